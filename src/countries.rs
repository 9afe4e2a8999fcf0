//! ISO 3166-1 alpha-3 countries with English names and UN M49 regions.
//!
//! The data come from the `keshvar` crate; this module only shapes them for
//! the catalogue (lookup by code or name, region paths for facets).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::fold;

/// What the catalogue needs to know about one country.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code, upper case.
    pub code: String,
    /// ISO short English name, e.g. "Viet Nam".
    pub name: String,
    /// UN M49 region label, e.g. "Africa".
    pub region: Option<String>,
    /// UN M49 sub-region label, e.g. "Western Africa".
    pub subregion: Option<String>,
    /// Other names the country is known by, used when a user types a name.
    pub aliases: Vec<String>,
}

/// A place in the M49 hierarchy that a `--region` filter can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionPath {
    pub region: String,
    pub subregion: Option<String>,
}

impl RegionPath {
    /// Path segments, outermost first.
    pub fn segments(&self) -> Vec<&str> {
        let mut segments = vec![self.region.as_str()];
        if let Some(sub) = &self.subregion {
            segments.push(sub);
        }
        segments
    }
}

struct Table {
    by_code: HashMap<String, Country>,
    /// Folded name or alias -> code.
    by_name: HashMap<String, String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for country in keshvar::CountryIterator::new() {
            let code = country.alpha3().to_string().to_uppercase();
            let entry = Country {
                code: code.clone(),
                name: country.iso_short_name().to_string(),
                region: country.maybe_region().map(|r| label(&r.to_string())),
                subregion: country.maybe_subregion().map(|s| label(&s.to_string())),
                aliases: country
                    .unofficial_name_list()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            };
            for name in std::iter::once(&entry.name)
                .chain(entry.aliases.iter())
                .chain(std::iter::once(&country.iso_long_name().to_string()))
            {
                by_name.entry(fold(name)).or_insert_with(|| code.clone());
            }
            by_code.insert(code, entry);
        }
        Table { by_code, by_name }
    })
}

/// Turns keshvar's slug (`south-eastern-asia`) into the M49 label (`South-eastern Asia`).
fn label(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .enumerate()
        .map(|(i, word)| match (i, word) {
            (0, w) => capitalise(w),
            (_, "and") => "and".to_string(),
            // M49 writes "South-eastern Asia": the second half of a compass point stays lower case.
            (_, "eastern") if slug.starts_with("south-eastern") => "eastern".to_string(),
            (_, w) => capitalise(w),
        })
        .collect();
    words.join(" ").replace("South eastern", "South-eastern")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The country with this alpha-3 code (exact, upper case).
pub fn by_code(code: &str) -> Option<&'static Country> {
    table().by_code.get(code)
}

/// Finds a country from what a user typed: a code in any case, or a name or alias.
pub fn lookup(input: &str) -> Option<&'static Country> {
    let t = table();
    let trimmed = input.trim();
    t.by_code
        .get(&trimmed.to_uppercase())
        .or_else(|| t.by_name.get(&fold(trimmed)).and_then(|c| t.by_code.get(c)))
}

/// The closest known code or name to an unknown input, for "did you mean" hints.
pub fn closest(input: &str) -> Option<&'static Country> {
    let t = table();
    let upper = input.trim().to_uppercase();
    let folded = fold(input);
    let by_code = t
        .by_code
        .keys()
        .map(|code| (strsim::osa_distance(&upper, code), code.as_str()));
    let by_name = t
        .by_name
        .iter()
        .map(|(name, code)| (strsim::osa_distance(&folded, name), code.as_str()));
    by_code
        .chain(by_name)
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .and_then(|(_, code)| t.by_code.get(code))
}

/// Resolves a `--region` argument (an M49 region or sub-region, any case) to its path.
pub fn region_path(input: &str) -> Option<RegionPath> {
    let wanted = fold(input).replace('-', " ");
    table().by_code.values().find_map(|c| {
        let region = c.region.as_ref()?;
        if fold(region) == wanted {
            return Some(RegionPath {
                region: region.clone(),
                subregion: None,
            });
        }
        let sub = c.subregion.as_ref()?;
        (fold(sub).replace('-', " ") == wanted).then(|| RegionPath {
            region: region.clone(),
            subregion: Some(sub.clone()),
        })
    })
}

/// Every region and sub-region label, for error hints.
pub fn region_names() -> Vec<String> {
    let mut names: Vec<String> = table()
        .by_code
        .values()
        .flat_map(|c| c.region.iter().chain(c.subregion.iter()).cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_regions_come_from_the_crate() {
        let senegal = by_code("SEN").expect("SEN is a country");
        assert_eq!(senegal.name, "Senegal");
        assert_eq!(senegal.region.as_deref(), Some("Africa"));
        assert_eq!(senegal.subregion.as_deref(), Some("Western Africa"));
        assert_eq!(
            by_code("VNM").unwrap().subregion.as_deref(),
            Some("South-eastern Asia")
        );
    }

    #[test]
    fn lookup_accepts_codes_names_and_accents() {
        assert_eq!(lookup("mex").unwrap().code, "MEX");
        assert_eq!(lookup("cote d'ivoire").unwrap().code, "CIV");
        assert_eq!(lookup("Vietnam").unwrap().code, "VNM");
        assert!(lookup("Atlantis").is_none());
    }

    #[test]
    fn closest_suggests_a_near_code() {
        assert_eq!(closest("MXE").map(|c| c.code.as_str()), Some("MEX"));
    }

    #[test]
    fn region_paths_resolve_regions_and_subregions() {
        assert_eq!(region_path("africa").unwrap().segments(), vec!["Africa"]);
        assert_eq!(
            region_path("western africa").unwrap().segments(),
            vec!["Africa", "Western Africa"]
        );
        assert!(region_path("atlantis").is_none());
    }
}
