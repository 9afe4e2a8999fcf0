//! One pass over the matching documents that counts several dimensions at once, reading each
//! document's facet ordinals and start year from the fast fields of its segment. Running the
//! (possibly expensive, expanded) query once for all the dimensions that share it is what
//! makes facet counts cheap next to the search itself.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::names;

/// What one counter of a pass reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A facet field, by name: every node of its facet tree is counted.
    Facet(&'static str),
    /// The start year, counted by decade.
    Decades,
}

/// Documents under each facet path (path segments, root excluded), each counted once per
/// node however many of its values lie under it. Decades are one-segment paths (`1990s`,
/// `no year`).
pub type Counted = HashMap<Vec<String>, u64>;

/// What records without a start year are counted under.
pub const NO_YEAR: &str = "no year";

/// Counts every source in one pass over the documents a query matches.
pub struct Tally {
    pub sources: Vec<Source>,
}

impl Collector for Tally {
    type Fruit = Vec<Counted>;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let counters = self
            .sources
            .iter()
            .map(|source| {
                Ok(match *source {
                    Source::Facet(field) => Counter::Facet(FacetCounter::new(reader, field)?),
                    Source::Decades => Counter::Decades {
                        years: reader.fast_fields().i64(names::YEAR)?,
                        counts: HashMap::new(),
                        found: Vec::new(),
                    },
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentTally { counters })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Counted>>) -> tantivy::Result<Vec<Counted>> {
        let mut merged: Vec<Counted> = vec![Counted::new(); self.sources.len()];
        for fruit in fruits {
            for (into, from) in merged.iter_mut().zip(fruit) {
                for (path, count) in from {
                    *into.entry(path).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

/// The counters of one segment.
pub struct SegmentTally {
    counters: Vec<Counter>,
}

enum Counter {
    Facet(FacetCounter),
    Decades {
        years: Column<i64>,
        counts: HashMap<Option<i64>, u64>,
        /// The start years of a block of documents, reused from block to block.
        found: Vec<Option<i64>>,
    },
}

/// Counts the nodes of one facet field's tree in one segment, by facet ordinal. Ordinals
/// are read a block of documents at a time, as Tantivy's own aggregations read them.
struct FacetCounter {
    ords: Column<u64>,
    /// Buffers for a block: each value's document, its row and its ordinal.
    block_docs: Vec<DocId>,
    block_rows: Vec<u32>,
    block_ords: Vec<u64>,
    /// For each facet ordinal of the segment, the tree nodes it lies under (itself included).
    nodes_of_ord: Vec<Vec<u32>>,
    /// Each node's path.
    paths: Vec<Vec<String>>,
    counts: Vec<u64>,
    /// The last document counted for each node, so that a document with two values under
    /// one node (two countries of one region) counts once there.
    last_doc: Vec<DocId>,
}

impl FacetCounter {
    fn new(segment: &SegmentReader, field: &str) -> tantivy::Result<FacetCounter> {
        // The facet's column, opened once: its ordinals are counted, its dictionary names
        // them.
        let column = segment.fast_fields().str(field)?.ok_or_else(|| {
            tantivy::TantivyError::SchemaError(format!("the facet `{field}` has no column"))
        })?;
        let ords = column.ords().clone();
        let reader = FacetReader::new(column);
        let mut ids: HashMap<Vec<String>, u32> = HashMap::new();
        let mut paths: Vec<Vec<String>> = Vec::new();
        let mut nodes_of_ord = Vec::with_capacity(reader.num_facets());
        let mut facet = Facet::root();
        for ord in 0..reader.num_facets() as u64 {
            reader.facet_from_ord(ord, &mut facet)?;
            let segments: Vec<String> = facet.to_path().into_iter().map(String::from).collect();
            let nodes = (1..=segments.len())
                .map(|depth| {
                    let path = &segments[..depth];
                    match ids.get(path) {
                        Some(&id) => id,
                        None => {
                            let id = u32::try_from(paths.len()).unwrap_or(u32::MAX);
                            ids.insert(path.to_vec(), id);
                            paths.push(path.to_vec());
                            id
                        }
                    }
                })
                .collect();
            nodes_of_ord.push(nodes);
        }
        Ok(FacetCounter {
            ords,
            block_docs: Vec::new(),
            block_rows: Vec::new(),
            block_ords: Vec::new(),
            nodes_of_ord,
            counts: vec![0; paths.len()],
            last_doc: vec![DocId::MAX; paths.len()],
            paths,
        })
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let FacetCounter {
            ords,
            block_docs,
            block_rows,
            block_ords,
            nodes_of_ord,
            counts,
            last_doc,
            ..
        } = self;
        block_docs.clear();
        block_rows.clear();
        ords.index.docids_to_rowids(docs, block_docs, block_rows);
        block_ords.resize(block_rows.len(), 0);
        ords.values.get_vals(block_rows, block_ords);
        for (&doc, &ord) in block_docs.iter().zip(block_ords.iter()) {
            let Some(nodes) = usize::try_from(ord).ok().and_then(|o| nodes_of_ord.get(o)) else {
                continue;
            };
            for &node in nodes {
                let node = node as usize;
                if last_doc[node] != doc {
                    last_doc[node] = doc;
                    counts[node] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counted {
        self.paths
            .into_iter()
            .zip(self.counts)
            .filter(|&(_, count)| count > 0)
            .collect()
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Vec<Counted>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for counter in &mut self.counters {
            match counter {
                Counter::Facet(facets) => facets.collect_block(docs),
                Counter::Decades {
                    years,
                    counts,
                    found,
                } => {
                    found.clear();
                    found.resize(docs.len(), None);
                    years.first_vals(docs, found);
                    for year in found.iter() {
                        let decade = year.map(|year| year - year.rem_euclid(10));
                        *counts.entry(decade).or_default() += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Vec<Counted> {
        self.counters
            .into_iter()
            .map(|counter| match counter {
                Counter::Facet(facets) => facets.harvest(),
                Counter::Decades { counts, .. } => counts
                    .into_iter()
                    .map(|(decade, count)| {
                        let label = decade.map_or_else(|| NO_YEAR.to_string(), |d| format!("{d}s"));
                        (vec![label], count)
                    })
                    .collect(),
            })
            .collect()
    }
}
