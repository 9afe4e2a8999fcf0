//! A guard around excluded clauses (`-word`, `-"a phrase"`, `-hyphen-ated`).
//!
//! Tantivy 0.27 checks an excluded clause with `seek_danger`, which its phrase scorer
//! cannot answer for a document before its own: an excluded phrase then excluded
//! nothing (and tripped a debug assertion; found by the `query` fuzz target). Wrapped,
//! the clause seeks with `DocSet`'s default `seek_danger`, which handles that case.

use tantivy::query::{BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Wraps every excluded clause of `query`, at any depth.
pub fn guard(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let clauses = boolean
        .clauses()
        .iter()
        .map(|(occur, clause)| {
            let clause = guard(clause.box_clone());
            let clause: Box<dyn Query> = if *occur == Occur::MustNot {
                Box::new(SafeSeek(clause))
            } else {
                clause
            };
            (*occur, clause)
        })
        .collect();
    // Keep how many optional clauses must match (relaxed matching sets it).
    Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses,
        boolean.get_minimum_number_should_match(),
    ))
}

#[derive(Debug)]
struct SafeSeek(Box<dyn Query>);

impl Clone for SafeSeek {
    fn clone(&self) -> SafeSeek {
        SafeSeek(self.0.box_clone())
    }
}

impl Query for SafeSeek {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SafeSeekWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct SafeSeekWeight(Box<dyn Weight>);

impl Weight for SafeSeekWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(SafeSeekScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Delegates everything but `seek_danger`, which keeps `DocSet`'s default.
struct SafeSeekScorer(Box<dyn Scorer>);

impl DocSet for SafeSeekScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for SafeSeekScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
