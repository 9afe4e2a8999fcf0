//! Small text helpers shared by validation, lookups and output, and the stop words that
//! both the index (which pairs it keeps) and queries (which words rank) go by.

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;
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

/// English function words and the words of a question (`how`, `which`...): they never make
/// a record fail, and they do not rank.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by",
    "can", "could", "did", "do", "does", "doing", "done", "during", "each", "either",
    "especially", "etc", "ever", "example", "examples", "exist", "exists", "few", "find", "for",
    "from", "get", "give", "had", "happen", "happened", "happens", "has", "have", "having",
    "he", "her", "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just",
    "know", "like", "list", "look", "looking", "make", "may", "me", "might", "more", "most",
    "much", "must", "my", "need", "no", "nor", "not", "of", "off", "on", "once", "one", "only",
    "or", "other", "our", "out", "over", "own", "per", "please", "same", "see", "shall", "she",
    "should", "show", "since", "so", "some", "such", "tell", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "up", "us", "very", "via", "want", "was", "way", "ways", "we", "were", "what", "when",
    "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with",
    "within", "without", "would", "you", "your",
];

/// True for a word that never makes a record fail.
pub fn is_stop_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    STOP_WORDS.binary_search(&lower.as_str()).is_ok()
}

/// True for an index term (folded and stemmed, as the index analyzer makes it) that a stop
/// word becomes: `of`, `doe` (does). The index keeps no pairs of terms with one of these
/// (see `crate::index::pairable`).
pub fn is_stop_term(term: &str) -> bool {
    static STOP_TERMS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        STOP_WORDS
            .iter()
            .map(|word| stemmer.stem(&fold(word)).into_owned())
            .collect()
    });
    STOP_TERMS.contains(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_listed_once_each_in_lower_case() {
        let words = STOP_WORDS;
        assert!(
            words.windows(2).all(|w| w[0] < w[1]),
            "keep STOP_WORDS sorted: is_stop_word searches it by halves"
        );
        assert!(words.iter().all(|w| *w == w.to_lowercase()));
    }

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
