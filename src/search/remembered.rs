//! A query that remembers which documents it matched. One prepared query is run unscored
//! several times in a row (the count of a page, then each facet dimension, drill-sideways),
//! and with synonyms its words are unions of phrases in every field, costly to evaluate.
//! Remembered, it is evaluated once per segment; later unscored runs read the set.
//! Scored runs (ranking) always evaluate the query itself, and a scored run that walks
//! every match of a segment (a ranking that also counts) remembers them on the way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, SegmentReader, Term};

/// The documents of each segment that matched, deleted ones included (collectors skip
/// those, as they do for any query). Segments never change, so neither do their matches.
type Matches = Arc<Mutex<HashMap<SegmentId, Arc<BitSet>>>>;

/// Wraps `inner`; clones share what was remembered.
#[derive(Debug, Clone)]
pub struct Remembered {
    inner: Arc<dyn Query>,
    matches: Matches,
}

impl Remembered {
    pub fn new(inner: Box<dyn Query>) -> Remembered {
        Remembered {
            inner: Arc::from(inner),
            matches: Matches::default(),
        }
    }

    /// The query as it was given.
    pub fn inner(&self) -> &dyn Query {
        &*self.inner
    }
}

impl Query for Remembered {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(scoring)?;
        if scoring.is_scoring_enabled() {
            return Ok(Box::new(RecordingWeight {
                inner,
                matches: Arc::clone(&self.matches),
            }));
        }
        Ok(Box::new(RememberedWeight {
            inner,
            matches: Arc::clone(&self.matches),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct RememberedWeight {
    inner: Box<dyn Weight>,
    matches: Matches,
}

impl RememberedWeight {
    fn matches_in(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let id = reader.segment_id();
        let known = self
            .matches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        if let Some(known) = known {
            return Ok(known);
        }
        let mut found = BitSet::with_max_value(reader.max_doc());
        self.inner.for_each_no_score(reader, &mut |docs| {
            for &doc in docs {
                found.insert(doc);
            }
        })?;
        let found = Arc::new(found);
        self.matches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::clone(&found));
        Ok(found)
    }
}

impl Weight for RememberedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let found = BitSetDocSet::from((*self.matches_in(reader)?).clone());
        Ok(Box::new(ConstScorer::new(found, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// A scored run: scores as the query itself does, and remembers a segment's matches when a
/// collector walks all of them (`for_each`, as ranking while counting does).
struct RecordingWeight {
    inner: Box<dyn Weight>,
    matches: Matches,
}

impl Weight for RecordingWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// Every match in order, through the query's own (often block-wise) walk: remembered.
    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let id = reader.segment_id();
        if self.known(id) {
            return self.inner.for_each(reader, callback);
        }
        let mut found = BitSet::with_max_value(reader.max_doc());
        self.inner.for_each(reader, &mut |doc, score| {
            found.insert(doc);
            callback(doc, score);
        })?;
        self.remember(id, found);
        Ok(())
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    /// Pruning skips matches, so nothing is remembered.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        self.inner.for_each_pruning(threshold, reader, callback)
    }
}

impl RecordingWeight {
    fn known(&self, id: SegmentId) -> bool {
        self.matches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(&id)
    }

    fn remember(&self, id: SegmentId, found: BitSet) {
        self.matches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, Arc::new(found));
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, DocSetCollector};
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument};

    use super::*;
    use crate::index;

    #[test]
    fn unscored_runs_match_what_the_query_matches_and_reuse_the_first_evaluation() {
        let (schema, fields) = index::schema();
        let index = Index::create_in_ram(schema);
        index::register_analyzer(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for summary in [
            "money transfers home",
            "transfers of money",
            "money",
            "home",
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.summary, summary);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| Term::from_field_text(fields.summary, w);
        let phrase = PhraseQuery::new(vec![term("money"), term("transfer")]);
        let remembered = Remembered::new(Box::new(phrase.clone()));
        let expected = searcher.search(&phrase, &DocSetCollector).unwrap();
        assert_eq!(expected.len(), 1);
        assert_eq!(
            searcher.search(&remembered, &DocSetCollector).unwrap(),
            expected
        );
        assert_eq!(remembered.matches.lock().unwrap().len(), 1);
        // A clone shares the set: counted from it, without the phrase.
        let clone = remembered.clone();
        assert_eq!(searcher.search(&clone, &Count).unwrap(), 1);
        // Scored runs rank as the query itself does; one that counts walks every match,
        // and remembers them for the unscored runs after it.
        let scored = TermQuery::new(term("money"), IndexRecordOption::WithFreqs);
        let remembered = Remembered::new(Box::new(scored.clone()));
        let top = || {
            (
                Count,
                tantivy::collector::TopDocs::with_limit(3).order_by_score(),
            )
        };
        assert_eq!(
            searcher.search(&remembered, &top()).unwrap(),
            searcher.search(&scored, &top()).unwrap()
        );
        assert_eq!(remembered.matches.lock().unwrap().len(), 1);
        assert_eq!(
            searcher
                .search(&remembered.clone(), &DocSetCollector)
                .unwrap(),
            searcher.search(&scored, &DocSetCollector).unwrap()
        );
    }
}
