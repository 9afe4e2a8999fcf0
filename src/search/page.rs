//! One page of results: sorted, paged without allocating for more hits than there are
//! records, with snippets and, on request, why each hit matched (`--explain`).

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Order, Searcher, SegmentReader, TantivyDocument};

use super::Sort;
use super::notes::Note;
use super::pipeline::Prepared;
use super::ranking::{self, Via, Word};
use super::snippets::{Snippet, Snippets};
use crate::catalogue::{Entry, Paths};
use crate::error::Error;
use crate::index::{self, Fields, names};
use crate::storage::{Opened, Unusable};

/// Which page of results to fetch, and what to add to each hit.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// `None`: every match; `Some(0)`: count only.
    pub limit: Option<usize>,
    pub offset: usize,
    pub sort: Sort,
    pub snippets: bool,
    pub explain: bool,
    /// Score every hit of a query that ranks, whatever the order (exports show the score
    /// in catalogue order too); otherwise only relevance order has scores.
    pub scores: bool,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: Entry,
    /// BM25 score (the coverage bonus taken out), when the query ranks.
    pub score: Option<f32>,
    pub snippet: Option<Snippet>,
    pub explain: Option<Explanation>,
}

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

/// The results of a search, with notes for the user (what was ignored or corrected).
#[derive(Debug, Clone)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub notes: Vec<Note>,
}

/// Fetches one page of a prepared query's results.
pub fn fetch(
    opened: &Opened,
    paths: &Paths,
    prepared: &Prepared,
    page: &Page,
) -> Result<Results, Error> {
    let stream = stream(opened, paths, prepared, page)?;
    let (total, sort) = (stream.total, stream.sort);
    let notes = prepared.notes().to_vec();
    let mut hits = stream.collect::<Result<Vec<Hit>, Error>>()?;
    if sort == Sort::Title {
        hits.sort_by_cached_key(|h| crate::text::fold(&h.entry.record.title));
    }
    Ok(Results { total, hits, notes })
}

/// A page of results read one hit at a time: only the addresses, in order, are held, so
/// an export of every record holds one record at a time. Titles come in the order of
/// their folded key ([`fetch`] also sorts by the folded title, which is the same order).
pub struct Stream<'a> {
    /// How many records match, whatever the page.
    pub total: usize,
    /// The order the hits come in (relevance becomes id order when nothing ranks).
    pub sort: Sort,
    searcher: Searcher,
    fields: Fields,
    paths: &'a Paths,
    addresses: std::vec::IntoIter<(Option<f32>, DocAddress)>,
    snippets: Option<Snippets>,
    scorer: Option<WordScores<'a>>,
    page: Page,
}

/// Starts reading a page of a prepared query's results.
pub fn stream<'a>(
    opened: &Opened,
    paths: &'a Paths,
    prepared: &'a Prepared,
    page: &Page,
) -> Result<Stream<'a>, Error> {
    let searcher = opened.reader.searcher();
    let query = prepared.query(None);
    let total = searcher.search(&*query, &Count)?;
    // Never more than there are matches: `--limit 18446744073709551615` allocates nothing.
    let limit = page
        .limit
        .unwrap_or(total)
        .min(total.saturating_sub(page.offset));
    let sort = match page.sort {
        Sort::Relevance if !prepared.ranks() => Sort::Id,
        other => other,
    };
    let mut stream = Stream {
        total,
        sort,
        fields: opened.fields,
        paths,
        addresses: Vec::new().into_iter(),
        snippets: None,
        scorer: None,
        page: page.clone(),
        searcher,
    };
    if limit == 0 {
        return Ok(stream);
    }
    stream.addresses = ranked(&stream.searcher, &*query, sort, limit, page.offset)?.into_iter();
    if page.snippets && prepared.ranks() {
        stream.snippets = Some(Snippets::new(
            &stream.searcher,
            prepared.text_query(),
            &opened.fields,
        )?);
    }
    stream.scorer = WordScores::new(&stream.searcher, prepared)?;
    Ok(stream)
}

impl Stream<'_> {
    fn hit(&self, score: Option<f32>, address: DocAddress) -> Result<Hit, Error> {
        let entry = load_entry(&self.searcher, &self.fields, self.paths, address)?;
        let page = &self.page;
        let explain = match &self.scorer {
            Some(scorer) if score.is_some() || page.explain || page.scores => {
                Some(scorer.explain(&self.searcher, address, page.explain)?)
            }
            _ => None,
        };
        let score = match (&explain, score) {
            (Some(e), Some(_)) => Some(e.bm25),
            (Some(e), None) if page.scores => Some(e.bm25),
            (_, score) => score,
        };
        Ok(Hit {
            snippet: self.snippets.as_ref().and_then(|s| s.best(&entry.record)),
            entry,
            score,
            explain: explain.filter(|_| page.explain),
        })
    }
}

impl Iterator for Stream<'_> {
    type Item = Result<Hit, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let (score, address) = self.addresses.next()?;
        Some(self.hit(score, address))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.addresses.size_hint()
    }
}

/// The addresses of the requested page of results, in the requested order. `limit` is at
/// least 1 and no more than the matches after `offset`.
pub fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<Vec<(Option<f32>, DocAddress)>, Error> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    Ok(match sort {
        Sort::Relevance => searcher
            .search(query, &top.order_by_score())?
            .into_iter()
            .map(|(score, addr)| (Some(score), addr))
            .collect(),
        Sort::Year | Sort::YearDesc => {
            let order = if sort == Sort::Year {
                Order::Asc
            } else {
                Order::Desc
            };
            unscored(searcher.search(query, &top.order_by_fast_field::<i64>(names::YEAR, order))?)
        }
        Sort::Id => unscored(searcher.search(
            query,
            &top.order_by_string_fast_field(names::ID, Order::Asc),
        )?),
        // The folded title: what the uniqueness check compares, and unique itself.
        Sort::Title => unscored(searcher.search(
            query,
            &top.order_by_string_fast_field(names::TITLE_KEY, Order::Asc),
        )?),
    })
}

fn unscored<T>(found: Vec<(T, DocAddress)>) -> Vec<(Option<f32>, DocAddress)> {
    found.into_iter().map(|(_, addr)| (None, addr)).collect()
}

/// Reads a stored record back.
pub fn load_entry(
    searcher: &Searcher,
    fields: &Fields,
    paths: &Paths,
    address: DocAddress,
) -> Result<Entry, Error> {
    let doc: TantivyDocument = searcher.doc(address)?;
    index::entry_of(&doc, fields, paths).ok_or_else(|| {
        Error::Unusable(Unusable::Corrupt(
            "a stored record could not be read back".into(),
        ))
    })
}

/// A field's name and one form's weight in it.
type FieldWeight = (&'static str, Box<dyn Weight>);

/// The weights of each meaningful word's forms in each field, to take a hit's score apart.
struct WordScores<'a> {
    words: Vec<&'a Word>,
    /// Per word: per form: per field.
    parts: Vec<Vec<Vec<FieldWeight>>>,
}

impl<'a> WordScores<'a> {
    /// `None` for queries read by Tantivy's parser, whose scores are shown as they are.
    fn new(searcher: &Searcher, prepared: &'a Prepared) -> Result<Option<WordScores<'a>>, Error> {
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
                    let query = ranking::variant_in_field(variant, field, weight * factor);
                    let name = field_name(schema.get_field_name(field));
                    in_fields.push((name, query.weight(scoring)?));
                }
                forms.push(in_fields);
            }
            parts.push(forms);
        }
        Ok(Some(WordScores { words, parts }))
    }

    /// Takes a hit's score apart; with `detail`, lists every scoring match.
    fn explain(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        detail: bool,
    ) -> Result<Explanation, Error> {
        let reader = searcher.segment_reader(address.segment_ord);
        let mut coverage = 0;
        let mut bm25 = 0.0;
        let mut matches = Vec::new();
        for (word, forms) in self.words.iter().zip(&self.parts) {
            // Ranking takes the better of the word's own forms and its synonyms.
            let mut own = 0.0;
            let mut synonyms = 0.0;
            let mut held = false;
            for (variant, in_fields) in word.variants.iter().zip(forms) {
                for (name, weight) in in_fields {
                    let Some(found) = score_in(&**weight, reader, address.doc_id)? else {
                        continue;
                    };
                    held = true;
                    if variant.via == Via::Synonym {
                        synonyms += found;
                    } else {
                        own += found;
                    }
                    if detail {
                        matches.push(Match {
                            word: word.typed.clone(),
                            via: variant.via,
                            term: variant.text.clone(),
                            field: name,
                            score: found,
                        });
                    }
                }
            }
            if held {
                coverage += 1;
                bm25 += if own > 0.0 { own } else { synonyms };
            }
        }
        Ok(Explanation {
            coverage,
            words: self.words.len(),
            bm25,
            matches,
        })
    }
}

/// The score a weight gives a document, `None` when the document does not match. (Not
/// `Weight::explain`: a phrase's explain asserts when its first match comes after the
/// document.)
fn score_in(weight: &dyn Weight, reader: &SegmentReader, doc: DocId) -> Result<Option<f32>, Error> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.doc() > doc {
        return Ok(None);
    }
    if scorer.doc() < doc && scorer.seek(doc) != doc {
        return Ok(None);
    }
    Ok(Some(scorer.score()))
}

/// The field's name as the query syntax writes it, as a `'static` string.
fn field_name(name: &str) -> &'static str {
    super::parsing::QUERY_FIELDS
        .iter()
        .find(|f| **f == name)
        .copied()
        .unwrap_or("text")
}
