//! Results by relevance or by start year with ties in catalogue order (by id): the order
//! every search, page and export promises. Left to Tantivy, ties follow the order
//! documents were indexed in, which differs between segments and changes after every
//! incremental update.
//!
//! Each segment keeps its best `keep` documents by (key, id ordinal): within a segment the
//! id column's ordinals follow the ids' order, so that is the right order there. Only those
//! winners' ids are read as text, in ordinal order (one walk of the dictionary), and the
//! segments' winners are merged by (key, id). Tantivy's own composite orders (score or
//! year, then id) give the same order but read each kept id on its own: an export of all
//! 100k synthetic records by year took 2.9 s with them against 1.9 s with this.

use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::names;

/// What comes before the id in the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum First {
    /// The highest score first.
    Score,
    /// By start year, oldest or newest first; records without a year last either way.
    Year { newest_first: bool },
}

/// Collects the first `keep` matches by `first`, ties by id.
pub struct ThenById {
    pub first: First,
    pub keep: usize,
}

/// Where a document sorts: records without a key (no year) after the others, then by the
/// key made ascending, then by id.
type Key<Id> = (bool, i64, Id);

/// A found document: where it sorts, where it is, and its score when ranked.
pub type Found = (Key<String>, DocAddress, Option<Score>);

/// An `i64` that orders as the score does, highest first: the score's bits as a signed
/// integer, with negative scores' magnitude bits flipped so that they order too.
fn descending(score: Score) -> i64 {
    let bits = score.to_bits().cast_signed();
    let ascending = bits ^ ((bits >> 31) & i32::MAX);
    -i64::from(ascending)
}

/// The score [`descending`] was made from.
fn score_of(key: i64) -> Score {
    let ascending = i32::try_from(-key).unwrap_or(i32::MAX);
    Score::from_bits((ascending ^ ((ascending >> 31) & i32::MAX)).cast_unsigned())
}

impl ThenById {
    fn key<Id>(&self, year: Option<i64>, score: Score, id: Id) -> Key<Id> {
        match (self.first, year) {
            (First::Score, _) => (false, descending(score), id),
            (First::Year { newest_first: true }, Some(year)) => (false, year.saturating_neg(), id),
            (First::Year { .. }, Some(year)) => (false, year, id),
            (First::Year { .. }, None) => (true, 0, id),
        }
    }
}

impl Collector for ThenById {
    type Fruit = Vec<Found>;
    type Child = SegmentThenById;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentThenById> {
        let ids = reader.fast_fields().str(names::ID)?.ok_or_else(|| {
            tantivy::TantivyError::SchemaError("the id field has no fast column".into())
        })?;
        let years = match self.first {
            First::Year { .. } => Some(reader.fast_fields().i64(names::YEAR)?),
            First::Score => None,
        };
        Ok(SegmentThenById {
            order: ThenById {
                first: self.first,
                keep: self.keep,
            },
            segment,
            years,
            ids,
            best: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.first == First::Score
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Found>>) -> tantivy::Result<Vec<Found>> {
        let mut all: Vec<Found> = fruits.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        all.truncate(self.keep);
        Ok(all)
    }
}

/// One segment's best documents so far: a max-heap whose top is the first to give way.
pub struct SegmentThenById {
    order: ThenById,
    segment: SegmentOrdinal,
    /// The start years, when they come first.
    years: Option<Column<i64>>,
    ids: StrColumn,
    best: BinaryHeap<(Key<u64>, DocId)>,
}

impl SegmentCollector for SegmentThenById {
    type Fruit = Vec<Found>;

    fn collect(&mut self, doc: DocId, score: Score) {
        // Every record has an id (`index::document`).
        let Some(ord) = self.ids.term_ords(doc).next() else {
            return;
        };
        let year = self.years.as_ref().and_then(|years| years.first(doc));
        let key = self.order.key(year, score, ord);
        if self.best.len() < self.order.keep {
            self.best.push((key, doc));
        } else if self
            .best
            .peek()
            .is_some_and(|top| (&key, doc) < (&top.0, top.1))
        {
            self.best.pop();
            self.best.push((key, doc));
        }
    }

    fn harvest(self) -> Self::Fruit {
        // Ids read in ordinal order walk the dictionary once instead of seeking per id.
        let mut best = self.best.into_vec();
        best.sort_unstable_by_key(|((_, _, ord), _)| *ord);
        let ords: Vec<u64> = best.iter().map(|((_, _, ord), _)| *ord).collect();
        let mut ids = Vec::with_capacity(ords.len());
        // A dictionary that cannot give back the ordinals it just gave out is damaged; the
        // records left without an id then sort as if it were empty rather than fail the page.
        let _ = self
            .ids
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                ids.push(String::from_utf8_lossy(bytes).into_owned());
            });
        ids.resize(best.len(), String::new());
        let scored = self.order.first == First::Score;
        best.into_iter()
            .zip(ids)
            .map(|(((missing, key, _), doc), id)| {
                let score = scored.then(|| score_of(key));
                (
                    (missing, key, id),
                    DocAddress::new(self.segment, doc),
                    score,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of four records in the order `first` sorts them: one without a year, two
    /// tied in 2001 and one in 1999.
    fn sorted(newest_first: bool) -> Vec<&'static str> {
        let order = ThenById {
            first: First::Year { newest_first },
            keep: 10,
        };
        let mut keys = [
            order.key(None, 0.0, "a"),
            order.key(Some(2001), 0.0, "c"),
            order.key(Some(1999), 0.0, "z"),
            order.key(Some(2001), 0.0, "b"),
        ];
        keys.sort();
        keys.iter().map(|k| k.2).collect()
    }

    #[test]
    fn oldest_first_puts_records_without_a_year_last_and_ties_by_id() {
        assert_eq!(sorted(false), ["z", "b", "c", "a"]);
    }

    #[test]
    fn newest_first_keeps_ties_by_id_and_records_without_a_year_last() {
        assert_eq!(sorted(true), ["b", "c", "z", "a"]);
    }

    #[test]
    fn scores_sort_highest_first_and_come_back_unchanged() {
        let scores = [1000.5, 26.83, 0.0, 3.2e-7, -1.5, 11.83];
        let mut keys: Vec<i64> = scores.iter().map(|s| descending(*s)).collect();
        keys.sort_unstable();
        let back: Vec<Score> = keys.into_iter().map(score_of).collect();
        assert_eq!(back, [1000.5, 26.83, 11.83, 3.2e-7, 0.0, -1.5]);
    }
}
