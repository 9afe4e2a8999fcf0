//! Phrases looked up through a field's adjacent-term pairs
//! ([`crate::index::Fields::pairs`]). A phrase of common words is costly because its
//! positions are read in every record that holds all its words, and most of those lack
//! the words side by side. Through the pairs, a two-word phrase is one term: the pair's
//! frequency is the phrase's. A longer phrase, or one with a stop word (whose pairs the
//! index does not keep), is checked with positions only in the few records holding each
//! of its kept pairs. Either way the matches and scores are the phrase's own.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{
    Bm25Weight, BooleanQuery, ConstScoreQuery, EmptyScorer, EnableScoring, Explanation, Occur,
    PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::index::{pair_of, pairable};

/// The phrase of `terms` in `field`, searched through `pairs`, the field's pairs field.
/// `None` when it has no kept pair to go by: fewer than two terms, terms not at
/// consecutive positions, or stop words in every pair (`cost of`).
pub fn phrase(field: Field, pairs: Field, terms: &[(usize, String)]) -> Option<Box<dyn Query>> {
    let consecutive = terms.windows(2).all(|w| w[1].0 == w[0].0 + 1);
    if terms.len() < 2 || !consecutive {
        return None;
    }
    let words: Vec<Term> = terms
        .iter()
        .map(|(_, t)| Term::from_field_text(field, t))
        .collect();
    let pair_terms: Vec<Term> = terms
        .windows(2)
        .filter(|w| pairable(&w[0].1, &w[1].1))
        .map(|w| Term::from_field_text(pairs, &pair_of(&w[0].1, &w[1].1)))
        .collect();
    match pair_terms.as_slice() {
        [] => return None,
        [pair] if terms.len() == 2 => {
            return Some(Box::new(TwoWords {
                field,
                pair: pair.clone(),
                words,
            }));
        }
        _ => {}
    }
    let holding_pairs: Vec<(Occur, Box<dyn Query>)> = pair_terms
        .into_iter()
        .map(|pair| {
            let query: Box<dyn Query> = Box::new(TermQuery::new(pair, IndexRecordOption::Basic));
            (Occur::Must, query)
        })
        .collect();
    let phrase = PhraseQuery::new_with_offset(
        terms
            .iter()
            .zip(words)
            .map(|((at, _), word)| (*at, word))
            .collect(),
    );
    // All clauses must hold, so Tantivy walks the rarest (the pairs) and only checks the
    // phrase where they hold; the pairs score 0, so the score is the phrase's own.
    let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(holding_pairs)), 0.0);
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(filter) as Box<dyn Query>),
        (Occur::Must, Box::new(phrase)),
    ])))
}

/// A two-word phrase read as one pair: scored as Tantivy scores the phrase (its words'
/// BM25 weight, its field's lengths, its frequency), which is the pair's frequency.
#[derive(Debug, Clone)]
struct TwoWords {
    field: Field,
    pair: Term,
    /// The phrase's words in their own field: they weigh the score, and snippets
    /// highlight them.
    words: Vec<Term>,
}

impl Query for TwoWords {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &self.words)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(TwoWordsWeight {
            field: self.field,
            pair: self.pair.clone(),
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word in &self.words {
            visitor(word, true);
        }
    }
}

struct TwoWordsWeight {
    field: Field,
    pair: Term,
    bm25: Option<Bm25Weight>,
}

impl TwoWordsWeight {
    fn pair_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<PairScorer> {
        let postings = reader
            .inverted_index(self.pair.field())?
            .read_postings(&self.pair, IndexRecordOption::WithFreqs)?;
        let field_lengths = match self.bm25 {
            Some(_) => reader.fieldnorms_readers().get_field(self.field)?,
            None => None,
        };
        Ok(PairScorer {
            postings,
            field_lengths: field_lengths
                .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)),
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        })
    }
}

impl Weight for TwoWordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.pair_scorer(reader, boost)?;
        Ok(if scorer.postings.is_some() {
            Box::new(scorer)
        } else {
            Box::new(EmptyScorer)
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.pair_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(match (&scorer.bm25, &scorer.postings) {
            (Some(bm25), Some(postings)) => {
                bm25.explain(scorer.field_lengths.fieldnorm_id(doc), postings.term_freq())
            }
            _ => Explanation::new("phrase, unscored", 1.0),
        })
    }
}

/// The records holding a pair, in order, each scored by the phrase's weight.
struct PairScorer {
    /// `None` when no record holds the pair.
    postings: Option<SegmentPostings>,
    field_lengths: FieldNormReader,
    bm25: Option<Bm25Weight>,
}

impl DocSet for PairScorer {
    fn advance(&mut self) -> DocId {
        self.postings
            .as_mut()
            .map_or(tantivy::TERMINATED, DocSet::advance)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings
            .as_mut()
            .map_or(tantivy::TERMINATED, |p| p.seek(target))
    }

    fn doc(&self) -> DocId {
        self.postings
            .as_ref()
            .map_or(tantivy::TERMINATED, DocSet::doc)
    }

    fn size_hint(&self) -> u32 {
        self.postings.as_ref().map_or(0, DocSet::size_hint)
    }
}

impl Scorer for PairScorer {
    fn score(&mut self) -> Score {
        match (&self.bm25, &self.postings) {
            (Some(bm25), Some(postings)) => {
                let doc = postings.doc();
                bm25.score(self.field_lengths.fieldnorm_id(doc), postings.term_freq())
            }
            _ => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{self, Fields};
    use tantivy::collector::TopDocs;

    fn index_of(summaries: &[&str]) -> (tantivy::Index, Fields) {
        let (schema, fields) = index::schema();
        let index = tantivy::Index::create_in_ram(schema);
        index::register_analyzer(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for summary in summaries {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(fields.summary, summary);
            doc.add_text(fields.pairs_of(fields.summary).unwrap(), summary);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// Matching records with their scores, by record.
    fn scored(index: &tantivy::Index, query: &dyn Query) -> Vec<(u32, f32)> {
        let searcher = index.reader().unwrap().searcher();
        let mut found: Vec<(u32, f32)> = searcher
            .search(query, &TopDocs::with_limit(100).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, a)| (a.doc_id, score))
            .collect();
        found.sort_by_key(|(doc, _)| *doc);
        found
    }

    fn terms(words: &[&str]) -> Vec<(usize, String)> {
        words.iter().map(|w| (*w).to_string()).enumerate().collect()
    }

    #[test]
    fn through_pairs_a_phrase_matches_and_scores_as_the_phrase_itself() {
        let (index, fields) = index_of(&[
            "lower transfer costs for migrants, then transfer costs again",
            "costs of a transfer",
            "the cost of sending money home, at a cost of sending money",
            "cost of money sending, not the cost of sending money",
            "transfer, costs",
            "a much longer summary about ways to lower transfer costs, and other things besides",
        ]);
        let pairs = fields.pairs_of(fields.summary).unwrap();
        for words in [
            &["transfer", "cost"][..],
            &["cost", "of", "send", "money"],
            &["lower", "transfer", "cost"],
        ] {
            let terms = terms(words);
            let through_pairs = phrase(fields.summary, pairs, &terms).unwrap();
            let itself = PhraseQuery::new(
                terms
                    .iter()
                    .map(|(_, t)| Term::from_field_text(fields.summary, t))
                    .collect(),
            );
            let found = scored(&index, &*through_pairs);
            assert!(found.len() >= 2, "{words:?}: {found:?}");
            assert_eq!(found, scored(&index, &itself), "{words:?}");
        }
    }

    #[test]
    fn one_word_a_gap_or_only_stop_word_pairs_have_no_pairs_to_go_by() {
        let (_, fields) = index_of(&[]);
        let pairs = fields.pairs_of(fields.summary).unwrap();
        assert!(phrase(fields.summary, pairs, &terms(&["cost"])).is_none());
        let gapped = [(0, "cost".to_string()), (2, "money".to_string())];
        assert!(phrase(fields.summary, pairs, &gapped).is_none());
        assert!(phrase(fields.summary, pairs, &terms(&["cost", "of"])).is_none());
    }

    #[test]
    fn snippets_see_a_pairs_phrase_as_its_words_in_their_own_field() {
        let (_, fields) = index_of(&[]);
        let pairs = fields.pairs_of(fields.summary).unwrap();
        let query = phrase(fields.summary, pairs, &terms(&["transfer", "cost"])).unwrap();
        let mut seen = Vec::new();
        query.query_terms(&mut |term, _| seen.push(term.clone()));
        assert_eq!(
            seen,
            [
                Term::from_field_text(fields.summary, "transfer"),
                Term::from_field_text(fields.summary, "cost")
            ]
        );
    }
}
