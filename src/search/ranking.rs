//! How the words of a query rank records: coverage first (records holding more of the
//! meaningful words come first), then BM25 with the field weights of
//! [`crate::index::Fields::weighted_text`]. A word matches through its own form, its
//! correction or its synonyms; a synonym hit ranks below an exact one.

use serde::Serialize;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, EnableScoring, Explanation, Occur,
    PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

use super::pairs;
use crate::error::Error;
use crate::index::Fields;

/// The score a record earns for each meaningful word it holds: larger than any BM25 sum,
/// so coverage decides first.
pub const COVERED: Score = 1000.0;

/// How much less a word earns when it is held only through a synonym.
const SYNONYM_PENALTY: Score = 20.0;

/// The BM25 weight of a synonym's terms against the word's own.
pub const SYNONYM_WEIGHT: Score = 0.5;

/// A word held by this share of the records, or fewer, counts fully for coverage.
const RARE_SHARE: f64 = 0.1;

/// A word held by this share of the records, or more, does not count for coverage: in
/// this catalogue it tells no record apart (`migration`, `people`, `help`). It still ranks.
const COMMON_SHARE: f64 = 0.3;

/// How much a word held by `holding` of `records` records counts for coverage, from 0 to 1:
/// its inverse document frequency, placed between that of a common and of a rare word.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a weight between 0 and 1 needs no more than f32's precision"
)]
pub fn information(holding: u64, records: u64) -> Score {
    if records == 0 || holding == 0 {
        return 1.0;
    }
    let idf = |share: f64| (1.0 + (1.0 - share) / share).ln();
    let share = (holding as f64 / records as f64).min(1.0);
    let ratio = (idf(share) - idf(COMMON_SHARE)) / (idf(RARE_SHARE) - idf(COMMON_SHARE));
    (ratio as Score).clamp(0.0, 1.0)
}

/// How a query word reached a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The word as typed (stemmed).
    Exact,
    /// Its typo correction, or a close spelling with `--match fuzzy`.
    Corrected,
    /// A synonym from `data/synonyms.toml`.
    Synonym,
}

/// One form a word is searched in.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// As people read it (`remittances`, `emigration of skilled workers`).
    pub text: String,
    pub via: Via,
    /// The index terms with their positions; several make a phrase.
    pub terms: Vec<(usize, String)>,
}

/// One word (or hyphenated group) of the query, with every form it is searched in.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As typed.
    pub typed: String,
    /// A stop or question word: never required, never ranked.
    pub stop: bool,
    /// No record holds it in any form: searched without.
    pub missing: bool,
    /// How much holding it counts for coverage, from 0 (a word most records hold) to 1 (a
    /// word that tells records apart): see [`information`].
    pub information: Score,
    pub variants: Vec<Variant>,
}

impl Word {
    /// The correction searched instead of the typed word, if any.
    pub fn corrected(&self) -> Option<&str> {
        self.variants
            .iter()
            .find(|v| v.via == Via::Corrected)
            .map(|v| v.text.as_str())
    }

    /// The synonyms searched too.
    pub fn synonyms(&self) -> impl Iterator<Item = &str> {
        self.variants
            .iter()
            .filter(|v| v.via == Via::Synonym)
            .map(|v| v.text.as_str())
    }

    /// Ranks: neither a stop word nor a word no record holds.
    pub fn meaningful(&self) -> bool {
        !self.stop && !self.missing
    }

    /// True when searching `terms` as a synonym of the word would find no record the word
    /// does not already find: the word has that form already, or `terms` is a phrase
    /// holding one of the word's own one-term forms (`transfer costs` for `costs`). Such a
    /// phrase only matches where the word itself does, and there the word already counts
    /// as held, exactly. Searching it for this word would only add the phrase's BM25 share
    /// where it beats the word's own, a reward for the query's words standing together
    /// that a synonym is not there to give, at the cost of evaluating the phrase twice.
    pub fn finds_already(&self, terms: &[(usize, String)]) -> bool {
        self.variants.iter().any(|v| {
            v.terms == terms
                || (v.via != Via::Synonym
                    && matches!(v.terms.as_slice(), [(_, own)] if terms.iter().any(|(_, t)| t == own)))
        })
    }

    /// What the word is searched as, for notes: its correction, else as typed.
    pub fn searched(&self) -> &str {
        self.corrected().unwrap_or(&self.typed)
    }
}

/// The words in their own forms only (as typed, or corrected), without their synonyms.
pub fn own_forms(words: &[Word]) -> Vec<Word> {
    words
        .iter()
        .map(|word| Word {
            variants: (word.variants.iter())
                .filter(|v| v.via != Via::Synonym)
                .cloned()
                .collect(),
            ..word.clone()
        })
        .collect()
}

/// One variant in one field, weighted as the field is. A phrase is looked up through the
/// field's pairs when it can be.
pub fn variant_in_field(
    fields: &Fields,
    variant: &Variant,
    field: Field,
    weight: Score,
) -> Box<dyn Query> {
    let paired = fields
        .pairs_of(field)
        .and_then(|pairs| pairs::phrase(field, pairs, &variant.terms));
    let query: Box<dyn Query> = match (variant.terms.as_slice(), paired) {
        ([], _) => Box::new(EmptyQuery),
        ([(_, term)], _) => Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        )),
        (_, Some(paired)) => paired,
        (terms, None) => Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|(at, t)| (*at, Term::from_field_text(field, t)))
                .collect(),
        )),
    };
    Box::new(BoostQuery::new(query, weight))
}

/// The variants that reach a record through `via` (the typed word counts with its
/// correction), in every weighted field: BM25 summed over fields, as Tantivy's parser does.
pub fn variants_query(fields: &Fields, word: &Word, synonyms: bool) -> Option<Box<dyn Query>> {
    let factor = if synonyms { SYNONYM_WEIGHT } else { 1.0 };
    let clauses: Vec<(Occur, Box<dyn Query>)> = word
        .variants
        .iter()
        .filter(|v| (v.via == Via::Synonym) == synonyms)
        .flat_map(|v| {
            fields
                .weighted_text()
                .into_iter()
                .map(move |(field, weight)| {
                    (
                        Occur::Should,
                        variant_in_field(fields, v, field, weight * factor),
                    )
                })
        })
        .collect();
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// One word's clause: the coverage bonus (less through a synonym) plus its BM25 score.
pub fn word_query(fields: &Fields, word: &Word) -> Box<dyn Query> {
    let mut ways: Vec<Box<dyn Query>> = Vec::new();
    let bonus = COVERED * word.information;
    if let Some(own) = variants_query(fields, word, false) {
        ways.push(Box::new(Covered::new(own, bonus)));
    }
    if let Some(synonyms) = variants_query(fields, word, true) {
        let less = (bonus - SYNONYM_PENALTY).max(0.0);
        ways.push(Box::new(Covered::new(synonyms, less)));
    }
    match ways.len() {
        0 => Box::new(EmptyQuery),
        1 => ways.pop().expect("one"),
        _ => Box::new(DisjunctionMaxQuery::new(ways)),
    }
}

/// The words' query: each meaningful word a clause, plus the explicit part (`+w`, `-w`,
/// phrases, fields), which must hold. With `every` each word must match too; otherwise at
/// least one must.
pub fn words_query(
    fields: &Fields,
    words: &[Word],
    explicit: Option<Box<dyn Query>>,
    every: bool,
) -> Box<dyn Query> {
    let occur = if every { Occur::Must } else { Occur::Should };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .filter(|w| w.meaningful())
        .map(|w| (occur, word_query(fields, w)))
        .collect();
    let should = clauses.len();
    if let Some(explicit) = explicit {
        clauses.push((Occur::Must, explicit));
    }
    let minimum = usize::from(!every && should > 0);
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses, minimum,
    ))
}

/// A query whose every match scores a fixed bonus on top of the inner query's score.
#[derive(Debug)]
pub struct Covered {
    inner: Box<dyn Query>,
    bonus: Score,
}

impl Covered {
    pub fn new(inner: Box<dyn Query>, bonus: Score) -> Covered {
        Covered { inner, bonus }
    }
}

impl Clone for Covered {
    fn clone(&self) -> Covered {
        Covered {
            inner: self.inner.box_clone(),
            bonus: self.bonus,
        }
    }
}

impl Query for Covered {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CoveredWeight {
            inner: self.inner.weight(scoring)?,
            bonus: self.bonus,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct CoveredWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for CoveredWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(CoveredScorer {
            inner: self.inner.scorer(reader, boost)?,
            bonus: self.bonus * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation =
            Explanation::new("coverage bonus plus BM25", inner.value() + self.bonus);
        explanation.add_const("coverage bonus", self.bonus);
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

struct CoveredScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for CoveredScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for CoveredScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}

/// How many records match, counting no further than `most`: enough to decide between
/// "none", "a few" and "enough" without walking every match of a broad query.
pub fn count_up_to(searcher: &Searcher, query: &dyn Query, most: usize) -> Result<usize, Error> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut found = 0;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED && found < most {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                found += 1;
            }
            doc = scorer.advance();
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_and_articles_are_stop_words_but_topics_are_not() {
        for word in ["how", "Which", "the", "for", "What"] {
            assert!(crate::text::is_stop_word(word), "{word}");
        }
        for word in ["remittances", "health", "diaspora", "bonds"] {
            assert!(!crate::text::is_stop_word(word), "{word}");
        }
    }

    /// A small in-memory index of (title, summary) records.
    fn index_of(records: &[(&str, &str)]) -> (tantivy::Index, Fields) {
        let (schema, fields) = crate::index::schema();
        let index = tantivy::Index::create_in_ram(schema);
        crate::index::register_analyzer(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (title, summary) in records {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.title, title);
            doc.add_text(fields.summary, summary);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn word(typed: &str, synonyms: &[&str]) -> Word {
        let mut variants = vec![Variant {
            text: typed.into(),
            via: Via::Exact,
            terms: vec![(0, typed.into())],
        }];
        for s in synonyms {
            variants.push(Variant {
                text: (*s).into(),
                via: Via::Synonym,
                terms: vec![(0, (*s).into())],
            });
        }
        Word {
            typed: typed.into(),
            stop: false,
            missing: false,
            information: 1.0,
            variants,
        }
    }

    /// Titles (summaries) of the top records, best first.
    fn ranked(index: &tantivy::Index, query: &dyn Query) -> Vec<u32> {
        let searcher = index.reader().unwrap().searcher();
        searcher
            .search(
                query,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap()
            .into_iter()
            .map(|(_, a)| a.doc_id)
            .collect()
    }

    #[test]
    fn records_holding_more_words_rank_first_whatever_their_bm25() {
        // Doc 0 repeats one word in its title (high BM25); doc 1 holds both words once.
        // (Words chosen to be their own stems.)
        let (index, fields) = index_of(&[("bond bond bond", ""), ("", "bond ghana")]);
        let words = [word("bond", &[]), word("ghana", &[])];
        let relaxed = words_query(&fields, &words, None, false);
        assert_eq!(ranked(&index, &*relaxed), vec![1, 0]);
        let every = words_query(&fields, &words, None, true);
        assert_eq!(ranked(&index, &*every), vec![1]);
    }

    #[test]
    fn common_words_count_less_for_coverage_than_rare_ones() {
        assert_eq!(information(1, 1000), 1.0);
        assert_eq!(information(100, 1000), 1.0);
        let between = information(200, 1000);
        assert!(between > 0.0 && between < 1.0, "{between}");
        assert_eq!(information(300, 1000), 0.0);
        assert_eq!(information(1000, 1000), 0.0);
    }

    #[test]
    fn own_forms_keep_the_word_and_its_correction_but_not_its_synonyms() {
        let mut bond = word("bond", &["loan", "debt"]);
        bond.variants.push(Variant {
            text: "bonds".into(),
            via: Via::Corrected,
            terms: vec![(0, "bond".into())],
        });
        let own = own_forms(&[bond.clone()]);
        let vias: Vec<Via> = own[0].variants.iter().map(|v| v.via).collect();
        assert_eq!(vias, [Via::Exact, Via::Corrected]);
        assert_eq!((own[0].typed.as_str(), own[0].stop), ("bond", bond.stop));
    }

    #[test]
    fn a_synonym_phrase_holding_the_word_itself_adds_nothing_to_search() {
        let costs = word("cost", &["remittance fees"]);
        let phrase = |words: &[&str]| -> Vec<(usize, String)> {
            words.iter().map(|w| (*w).to_string()).enumerate().collect()
        };
        assert!(costs.finds_already(&phrase(&["transfer", "cost"])));
        assert!(costs.finds_already(&phrase(&["remittance fees"])));
        assert!(!costs.finds_already(&phrase(&["remitt", "fee"])));
    }

    #[test]
    fn a_synonym_hit_ranks_below_an_exact_hit() {
        // The synonym sits in the heavier title field, the word itself in the summary.
        let (index, fields) = index_of(&[("loan", ""), ("", "bond")]);
        let query = words_query(&fields, &[word("bond", &["loan"])], None, false);
        assert_eq!(ranked(&index, &*query), vec![1, 0]);
    }
}
