//! Why a hit scored what it did: its score taken apart per query word, form and field. The
//! score shown for a hit is the BM25 part of this (the coverage bonus left out), so every
//! ranked page is taken apart, `--explain` or not.
//!
//! A page's hits are taken apart together: each (word, form, field) scorer is opened once
//! per segment and moved forward through the page's documents in index order. Opening
//! scorers per hit cost more than the search itself once synonyms add phrases.

use serde::Serialize;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, Score, Searcher, SeekDangerResult, SegmentReader};

use super::pipeline::Prepared;
use super::ranking::{self, Via, Word};
use crate::error::Error;

/// Why a record matched: how many of the query's meaningful words it holds, and each
/// (word, form, field) that scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Meaningful words the record holds (in any form).
    pub coverage: usize,
    /// Meaningful words in the query.
    pub words: usize,
    /// The BM25 part of the score.
    pub bm25: f32,
    pub matches: Vec<Match>,
}

/// One form of one query word found in one field of the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The query word as typed.
    pub word: String,
    pub via: Via,
    /// The form that matched (the word, its correction or a synonym).
    pub term: String,
    pub field: &'static str,
    /// This match's share of the BM25 score, field weight included.
    pub score: f32,
}

/// A field's name and one form's weight in it.
type FieldWeight = (&'static str, Box<dyn Weight>);

/// The weights of each meaningful word's forms in each field, to take hits' scores apart.
pub struct WordScores<'a> {
    words: Vec<&'a Word>,
    /// Per word: per form: per field.
    parts: Vec<Vec<Vec<FieldWeight>>>,
}

/// What one hit holds of one word so far.
#[derive(Default, Clone, Copy)]
struct Held {
    own: f32,
    synonyms: f32,
    any: bool,
}

impl<'a> WordScores<'a> {
    /// `None` for queries read by Tantivy's parser, whose scores are shown as they are.
    pub fn new(
        searcher: &Searcher,
        prepared: &'a Prepared,
    ) -> Result<Option<WordScores<'a>>, Error> {
        let words: Vec<&Word> = prepared.words().iter().filter(|w| w.meaningful()).collect();
        if words.is_empty() {
            return Ok(None);
        }
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let schema = searcher.schema();
        let mut parts = Vec::with_capacity(words.len());
        for word in &words {
            let mut forms = Vec::with_capacity(word.variants.len());
            for variant in &word.variants {
                let factor = if variant.via == Via::Synonym {
                    ranking::SYNONYM_WEIGHT
                } else {
                    1.0
                };
                let mut in_fields = Vec::new();
                for (field, weight) in prepared.fields().weighted_text() {
                    let query = ranking::variant_in_field(
                        prepared.fields(),
                        variant,
                        field,
                        weight * factor,
                    );
                    let name = field_name(schema.get_field_name(field));
                    in_fields.push((name, query.weight(scoring)?));
                }
                forms.push(in_fields);
            }
            parts.push(forms);
        }
        Ok(Some(WordScores { words, parts }))
    }

    /// Takes the scores of these hits apart, in their order; with `detail`, lists every
    /// scoring match of each.
    pub fn explain(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
        detail: bool,
    ) -> Result<Vec<Explanation>, Error> {
        let mut explanations: Vec<Explanation> = addresses
            .iter()
            .map(|_| Explanation {
                coverage: 0,
                words: self.words.len(),
                bm25: 0.0,
                matches: Vec::new(),
            })
            .collect();
        // The hits in index order, so that each scorer only moves forward.
        let mut order: Vec<usize> = (0..addresses.len()).collect();
        order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
        for segment in order.chunk_by(|&a, &b| addresses[a].segment_ord == addresses[b].segment_ord)
        {
            let reader = searcher.segment_reader(addresses[segment[0]].segment_ord);
            for (word, forms) in self.words.iter().zip(&self.parts) {
                let mut held = vec![Held::default(); segment.len()];
                for (variant, in_fields) in word.variants.iter().zip(forms) {
                    for (name, weight) in in_fields {
                        let docs = segment.iter().map(|&hit| addresses[hit].doc_id);
                        let found_at = scores_at(&**weight, reader, docs)?;
                        for (slot, &hit) in segment.iter().enumerate() {
                            let Some(found) = found_at[slot] else {
                                continue;
                            };
                            let held = &mut held[slot];
                            held.any = true;
                            if variant.via == Via::Synonym {
                                held.synonyms += found;
                            } else {
                                held.own += found;
                            }
                            if detail {
                                explanations[hit].matches.push(Match {
                                    word: word.typed.clone(),
                                    via: variant.via,
                                    term: variant.text.clone(),
                                    field: name,
                                    score: found,
                                });
                            }
                        }
                    }
                }
                for (held, &hit) in held.iter().zip(segment) {
                    if held.any {
                        // Ranking counts the word once: through its own forms when the
                        // record holds them, else through its synonyms.
                        let explanation = &mut explanations[hit];
                        explanation.coverage += 1;
                        explanation.bm25 += if held.own > 0.0 {
                            held.own
                        } else {
                            held.synonyms
                        };
                    }
                }
            }
        }
        Ok(explanations)
    }
}

/// The score a weight gives each of these documents (in increasing order), `None` where
/// it does not match. The scorer is opened at the first document and sought to each: a
/// phrase is checked at those documents only, never searched for in between. (Not
/// `Weight::explain`: a phrase's explain asserts when its first match comes after the
/// document.)
fn scores_at(
    weight: &dyn Weight,
    reader: &SegmentReader,
    mut docs: impl Iterator<Item = DocId>,
) -> Result<Vec<Option<Score>>, Error> {
    let Some(first) = docs.next() else {
        return Ok(vec![]);
    };
    let (mut seek, mut scorer) = weight.scorer_danger(reader, first, 1.0)?;
    let mut scores = vec![(seek == SeekDangerResult::Found).then(|| scorer.score())];
    for doc in docs {
        // After a miss the scorer only answers `seek_danger`, and holds nothing before
        // the bound it gave.
        if let SeekDangerResult::SeekLowerBound(bound) = seek
            && doc < bound
        {
            scores.push(None);
            continue;
        }
        seek = scorer.seek_danger(doc);
        scores.push((seek == SeekDangerResult::Found).then(|| scorer.score()));
    }
    Ok(scores)
}

/// The field's name as the query syntax writes it, as a `'static` string.
fn field_name(name: &str) -> &'static str {
    super::lexer::QUERY_FIELDS
        .iter()
        .find(|f| **f == name)
        .copied()
        .unwrap_or("text")
}
