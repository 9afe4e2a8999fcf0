//! Small text helpers shared by validation, lookups and output.

use std::cell::RefCell;

use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, TokenStream};

/// Lower-cases and strips accents so that `Côte d'Ivoire` and `cote d'ivoire` compare
/// equal, with the very filters the index folds its terms with: a title, a sector or a
/// country name folds here exactly as a search for it does.
pub fn fold(text: &str) -> String {
    FOLDER.with_borrow_mut(|folder| {
        let mut stream = folder.token_stream(text.trim());
        let mut folded = String::new();
        while stream.advance() {
            folded.push_str(&stream.token().text);
        }
        folded
    })
}

/// The analyzer behind [`fold`]: the whole text as one token, lower-cased, ASCII-folded.
/// The index's term analyzer folds each word with it before stemming.
pub fn folding_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

thread_local! {
    /// One analyzer per thread: it keeps buffers between calls and needs `&mut`.
    static FOLDER: RefCell<TextAnalyzer> = RefCell::new(folding_analyzer());
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = fold(input);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&input, &fold(c)), c))
        .filter(|(distance, c)| *distance <= (c.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// `1 record`, `2 records`: a count with its noun in the right number.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_agrees_with_the_index_on_letters_beyond_latin_1() {
        assert_eq!(fold("  Côte d’Ivoire "), "cote d'ivoire");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Æsir Œuvre"), "aesir oeuvre");
        assert_eq!(fold("Đakovo"), "dakovo");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold(""), "");
    }
}
