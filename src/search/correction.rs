//! Typo correction, one word at a time: candidates come from a Levenshtein automaton run over
//! the term dictionary of the unstemmed `words` field (never a scan of every term), and only
//! words that a live record holds are offered, so a deleted record's words never come back.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Searcher, TERMINATED, Term};

use crate::error::Error;
use crate::index;
use crate::storage::Opened;

/// Distinct words looked up for typos in one query; a longer query's other words are
/// searched as written.
pub const MAX_CORRECTED: usize = 8;

/// What a word becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The catalogue holds it (as written, or through its stem): search it as written.
    Known,
    /// A typo: search this word instead.
    Corrected(String),
    /// `--match fuzzy`: the word and also these close spellings.
    AlsoClose(Vec<String>),
    /// No record holds it, nor anything close to it.
    Unknown,
}

/// Edit distance allowed for a word: 1 from five letters, 2 from nine; shorter words are
/// never corrected (too many real words are one letter apart).
pub fn allowed_distance(word: &str) -> Option<u8> {
    match word.chars().count() {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

/// Looks words up in one index, remembering the answers for the life of one query.
pub struct Corrector<'a> {
    opened: &'a Opened,
    searcher: &'a Searcher,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    stems: HashMap<String, Vec<String>>,
}

impl<'a> Corrector<'a> {
    pub fn new(opened: &'a Opened, searcher: &'a Searcher) -> Corrector<'a> {
        let analyzer = opened
            .index
            .tokenizers()
            .get(index::ANALYZER)
            .expect("registered on open");
        Corrector {
            opened,
            searcher,
            analyzer,
            stems: HashMap::new(),
        }
    }

    /// The terms the index analyzer makes of a text (lower-cased, folded, stemmed).
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        if let Some(found) = self.stems.get(text) {
            return found.clone();
        }
        let mut stream = self.analyzer.token_stream(text);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push(token.text.clone());
        }
        drop(stream);
        self.stems.insert(text.to_string(), terms.clone());
        terms
    }

    /// How many records hold the stem in the searched field where it is most common
    /// (deleted records included: a cheap upper bound), 0 when none does.
    fn stem_frequency(&self, stem: &str) -> Result<u64, Error> {
        let mut most = 0;
        for (field, _) in self.opened.fields.weighted_text() {
            let term = Term::from_field_text(field, stem);
            if self.searcher.doc_freq(&term)? > 0 && has_live_doc(self.searcher, &term)? {
                most = most.max(self.searcher.doc_freq(&term)?);
            }
        }
        Ok(most)
    }

    /// About how many records hold all these terms somewhere (the most in any one field):
    /// what coverage weighs a word by.
    pub fn holding(&self, terms: &[(usize, String)]) -> Result<u64, Error> {
        let mut least = u64::MAX;
        for (_, term) in terms {
            let mut most = 0;
            for (field, _) in self.opened.fields.weighted_text() {
                most = most.max(
                    self.searcher
                        .doc_freq(&Term::from_field_text(field, term))?,
                );
            }
            least = least.min(most);
        }
        Ok(if least == u64::MAX { 0 } else { least })
    }

    /// Records holding the word as written (case and accents aside) in a short text.
    fn word_frequency(&self, folded: &str) -> Result<u64, Error> {
        let term = Term::from_field_text(self.opened.fields.words, folded);
        if self.searcher.doc_freq(&term)? == 0 || !has_live_doc(self.searcher, &term)? {
            return Ok(0);
        }
        Ok(self.searcher.doc_freq(&term)?)
    }

    /// True when a live record holds the word, as written or through its stem.
    pub fn holds(&mut self, word: &str) -> Result<bool, Error> {
        let stems = self.stems(word);
        if stems.is_empty() {
            return Ok(false);
        }
        for stem in &stems {
            if self.stem_frequency(stem)? == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Decides what one word of the query becomes.
    pub fn judge(&mut self, word: &str, fuzzy: bool) -> Result<Verdict, Error> {
        let folded = crate::text::fold(word);
        let stems = self.stems(word);
        let [stem] = stems.as_slice() else {
            // Several terms (d'ivoire) or none: searched as written.
            return Ok(Verdict::Known);
        };
        let stem = stem.clone();
        let as_written = self.word_frequency(&folded)?;
        let through_stem = self.stem_frequency(&stem)?;
        if fuzzy {
            let most = allowed_distance(&folded).unwrap_or(0);
            let close = self.close_words(&folded, most)?;
            return Ok(if close.is_empty() {
                if as_written + through_stem > 0 {
                    Verdict::Known
                } else {
                    Verdict::Unknown
                }
            } else {
                Verdict::AlsoClose(close.into_iter().map(|(w, _)| w).take(5).collect())
            });
        }
        if as_written > 0 {
            return Ok(Verdict::Known);
        }
        // A word found only through a much shorter stem (remitances -> remit) is more
        // likely a typo of a common word than the rare word the stem belongs to.
        let much_shorter = folded.chars().count() >= stem.chars().count() + 4;
        if through_stem > 0 && !much_shorter {
            return Ok(Verdict::Known);
        }
        // One edit away first: most typos are one edit, and the automaton for two edits is
        // far costlier to build. Candidates come closest first either way, so trying the
        // nearer ones alone first decides exactly as trying them all at once would.
        for distance in 1..=allowed_distance(&folded).unwrap_or(0) {
            for (candidate, frequency) in self.close_words(&folded, distance)? {
                if self.stems(&candidate) == stems {
                    // Another form of the same word (remittance, remittances): stemming
                    // finds it.
                    return Ok(Verdict::Known);
                }
                if through_stem == 0 || frequency >= through_stem {
                    return Ok(Verdict::Corrected(candidate));
                }
            }
        }
        Ok(if through_stem > 0 {
            Verdict::Known
        } else {
            Verdict::Unknown
        })
    }

    /// Catalogue words within `distance` edits of `folded` that a live record holds, closest
    /// and most common first, with how many records hold each.
    fn close_words(&self, folded: &str, distance: u8) -> Result<Vec<(String, u64)>, Error> {
        if distance == 0 {
            return Ok(vec![]);
        }
        let field = self.opened.fields.words;
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, folded), distance, true);
        // Built once and run over every segment's dictionary: building it is the costly part.
        let automaton = fuzzy.automaton()?;
        let mut found: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(|e| Error::io(&self.opened.dir, e))?;
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if candidate != folded {
                    *found.entry(candidate.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut words: Vec<(usize, String, u64)> = found
            .into_iter()
            .map(|(w, n)| (strsim::damerau_levenshtein(folded, &w), w, n))
            .collect();
        words.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
        let mut live = Vec::new();
        for (_, word, frequency) in words {
            if has_live_doc(self.searcher, &Term::from_field_text(field, &word))? {
                live.push((word, frequency));
            }
        }
        Ok(live)
    }
}

/// True when a record that has not been deleted holds the term. The term dictionary keeps
/// the terms of deleted records until segments merge, and their frequencies count them.
pub fn has_live_doc(searcher: &Searcher, term: &Term) -> Result<bool, Error> {
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(term.field())?;
        let postings = inverted
            .read_postings(term, IndexRecordOption::Basic)
            .map_err(|e| Error::io(segment.segment_id().uuid_string(), e))?;
        let Some(mut postings) = postings else {
            continue;
        };
        let alive = segment.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                return Ok(true);
            }
            doc = postings.advance();
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_never_corrected_and_long_ones_allow_two_edits() {
        assert_eq!(allowed_distance("bond"), None);
        assert_eq!(allowed_distance("bonds"), Some(1));
        assert_eq!(allowed_distance("remittanc"), Some(2));
    }
}
