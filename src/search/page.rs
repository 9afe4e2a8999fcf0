//! One page of results: sorted, paged without allocating for more hits than there are
//! records, with snippets and, on request, why each hit matched (`--explain`).

use std::collections::VecDeque;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use super::Sort;
use super::explain::{Explanation, WordScores};
use super::notes::Note;
use super::pipeline::Prepared;
use super::snippets::{Snippet, Snippets};
use super::then_by_id::{First, ThenById};
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
    /// The explanations of the next hits, in order (taken apart a batch at a time).
    explained: VecDeque<Explanation>,
    page: Page,
}

/// Hits whose scores are taken apart together: one pass of each scorer per batch.
const EXPLAIN_BATCH: usize = 1024;

/// Starts reading a page of a prepared query's results.
pub fn stream<'a>(
    opened: &Opened,
    paths: &'a Paths,
    prepared: &'a Prepared,
    page: &Page,
) -> Result<Stream<'a>, Error> {
    let searcher = opened.reader.searcher();
    let query = prepared.query(None);
    let sort = match page.sort {
        Sort::Relevance if !prepared.ranks() => Sort::Id,
        other => other,
    };
    let (total, addresses) = counted_page(&searcher, &*query, sort, page.limit, page.offset)?;
    let mut stream = Stream {
        total,
        sort,
        fields: opened.fields,
        paths,
        addresses: addresses.into_iter(),
        snippets: None,
        scorer: None,
        explained: VecDeque::new(),
        page: page.clone(),
        searcher,
    };
    if stream.addresses.len() == 0 {
        return Ok(stream);
    }
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
    /// True when hits' scores are taken apart: ranked hits show the BM25 part of their
    /// score, and `--explain` and exports show it whatever the order.
    fn explains(&self) -> bool {
        self.scorer.is_some()
            && (self.sort == Sort::Relevance || self.page.explain || self.page.scores)
    }

    /// Takes the scores of the next batch of hits apart.
    fn explain_batch(&mut self) -> Result<(), Error> {
        let Some(scorer) = &self.scorer else {
            return Ok(());
        };
        let batch: Vec<DocAddress> = self
            .addresses
            .as_slice()
            .iter()
            .take(EXPLAIN_BATCH)
            .map(|(_, address)| *address)
            .collect();
        self.explained = scorer
            .explain(&self.searcher, &batch, self.page.explain)?
            .into();
        Ok(())
    }

    fn hit(
        &self,
        score: Option<f32>,
        address: DocAddress,
        explain: Option<Explanation>,
    ) -> Result<Hit, Error> {
        let entry = load_entry(&self.searcher, &self.fields, self.paths, address)?;
        let page = &self.page;
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
        if self.explained.is_empty()
            && self.addresses.len() > 0
            && self.explains()
            && let Err(error) = self.explain_batch()
        {
            self.addresses.next()?;
            return Some(Err(error));
        }
        let (score, address) = self.addresses.next()?;
        let explain = self.explained.pop_front();
        Some(self.hit(score, address, explain))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.addresses.size_hint()
    }
}

/// A page's hits in order: their score when ranked, and where each is.
pub type Addresses = Vec<(Option<f32>, DocAddress)>;

/// How many records match, and the addresses of the requested page of them in the
/// requested order. A page never holds more than there are records (`--limit
/// 18446744073709551615` allocates nothing), and one pass over the matches both counts and
/// ranks them; with no limit (every match), the matches are counted first so that only
/// they are allocated for.
pub fn counted_page(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: Option<usize>,
    offset: usize,
) -> Result<(usize, Addresses), Error> {
    let most = match limit {
        Some(limit) => {
            let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
            limit.min(records.saturating_sub(offset))
        }
        None => searcher.search(query, &Count)?.saturating_sub(offset),
    };
    if most == 0 {
        return Ok((searcher.search(query, &Count)?, vec![]));
    }
    ranked(searcher, query, sort, most, offset)
}

/// The matches counted, and the page of `limit` (at least 1) after `offset`, in one pass.
fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<(usize, Addresses), Error> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    Ok(match sort {
        Sort::Relevance | Sort::Year | Sort::YearDesc => {
            let first = match sort {
                Sort::Year => First::Year {
                    newest_first: false,
                },
                Sort::YearDesc => First::Year { newest_first: true },
                _ => First::Score,
            };
            let order = ThenById {
                first,
                keep: offset.saturating_add(limit),
            };
            let (total, found) = searcher.search(query, &(Count, order))?;
            let page = found
                .into_iter()
                .skip(offset)
                .map(|(_, address, score)| (score, address))
                .collect();
            (total, page)
        }
        Sort::Id => unscored(searcher.search(
            query,
            &(Count, top.order_by_string_fast_field(names::ID, Order::Asc)),
        )?),
        // The folded title: what the uniqueness check compares, and unique itself.
        Sort::Title => unscored(searcher.search(
            query,
            &(
                Count,
                top.order_by_string_fast_field(names::TITLE_KEY, Order::Asc),
            ),
        )?),
    })
}

fn unscored<T>((total, found): (usize, Vec<(T, DocAddress)>)) -> (usize, Addresses) {
    (
        total,
        found.into_iter().map(|(_, addr)| (None, addr)).collect(),
    )
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

#[cfg(test)]
mod tests {
    use tantivy::query::TermQuery;

    use crate::search::ranking::count_up_to;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;

    /// An index of one-word summaries (ids `r0`, `r1`...), with `deleted` documents of
    /// `word` deleted again.
    fn index_of(summaries: &[&str], deleted: &str) -> (Index, Fields) {
        let (schema, fields) = index::schema();
        let index = Index::create_in_ram(schema);
        index::register_analyzer(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (at, summary) in summaries.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.id, format!("r{at}"));
            doc.add_text(fields.summary, summary);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        writer.delete_term(Term::from_field_text(fields.summary, deleted));
        writer.commit().unwrap();
        (index, fields)
    }

    fn term(fields: &Fields, word: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(fields.summary, word),
            IndexRecordOption::Basic,
        )
    }

    #[test]
    fn counting_up_to_a_bound_stops_there_and_is_exact_below_it_live_records_only() {
        let words = ["bond", "bond", "bond", "bond", "ghana", "gone", "gone"];
        let (index, fields) = index_of(&words, "gone");
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(
            count_up_to(&searcher, &term(&fields, "bond"), 2).unwrap(),
            2
        );
        assert_eq!(
            count_up_to(&searcher, &term(&fields, "bond"), 9).unwrap(),
            4
        );
        assert_eq!(
            count_up_to(&searcher, &term(&fields, "ghana"), 5).unwrap(),
            1
        );
        assert_eq!(
            count_up_to(&searcher, &term(&fields, "gone"), 5).unwrap(),
            0
        );
    }

    #[test]
    fn a_page_counts_every_match_and_never_holds_more_than_there_are_records() {
        let words = ["bond", "bond", "bond", "ghana"];
        let (index, fields) = index_of(&words, "none");
        let searcher = index.reader().unwrap().searcher();
        let bond = term(&fields, "bond");
        let (total, page) = counted_page(&searcher, &bond, Sort::Relevance, Some(2), 0).unwrap();
        assert_eq!((total, page.len()), (3, 2));
        let (total, page) =
            counted_page(&searcher, &bond, Sort::Relevance, Some(usize::MAX), 1).unwrap();
        assert_eq!((total, page.len()), (3, 2));
        let (total, page) = counted_page(&searcher, &bond, Sort::Relevance, Some(0), 0).unwrap();
        assert_eq!((total, page.len()), (3, 0));
        let (total, page) = counted_page(&searcher, &bond, Sort::Relevance, None, 2).unwrap();
        assert_eq!((total, page.len()), (3, 1));
    }
}
