//! Nationality adjectives (`nigerian`, `filipino`) read as their countries: records name the
//! country, analysts often write the adjective. From keshvar's country data, not a list kept
//! here.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The English short name of the country whose nationality adjective is `word`, if any.
pub fn country_of(word: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        keshvar::CountryIterator::new()
            .filter_map(|c| {
                let nationality = c.maybe_nationality()?;
                // One-word adjectives only: a query's words are matched one by one.
                (!nationality.contains(' '))
                    .then(|| (crate::text::fold(nationality), c.iso_short_name()))
            })
            .collect()
    });
    let folded = crate::text::fold(word);
    // Plural nouns of nationality too (`nigerians`).
    table
        .get(&folded)
        .or_else(|| folded.strip_suffix('s').and_then(|w| table.get(w)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nationality_adjectives_and_their_plurals_name_their_country() {
        assert_eq!(country_of("Nigerian"), Some("Nigeria"));
        assert_eq!(country_of("nigerians"), Some("Nigeria"));
        assert_eq!(country_of("remittances"), None);
    }
}
