//! Queries over the index: free text in Tantivy syntax, filters, sorting and paging.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::catalogue::{Entry, Paths};
use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::{self, Fields, Opened, names};
use crate::record::{Kind, Status};
use crate::sectors::Sectors;

/// Filters as the user typed them (`--sector`, `--country`...), before they are checked.
#[derive(Debug, Clone, Default)]
pub struct FilterArgs {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub kinds: Vec<Kind>,
    pub statuses: Vec<Status>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// Checked filters. Values of one flag are alternatives; different flags must all hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
    pub regions: Vec<RegionPath>,
    pub kinds: Vec<Kind>,
    pub statuses: Vec<Status>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// One filter dimension, so facet counts can leave their own filter out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Sector,
    Country,
    Region,
    Kind,
    Status,
    Years,
}

impl FilterArgs {
    /// Checks every value against the vocabularies, with a hint for the ones that are wrong.
    pub fn resolve(&self, sectors: &Sectors) -> Result<Filters, Error> {
        let sector_slugs = self
            .sectors
            .iter()
            .map(|s| {
                sectors.lookup(s).map(|s| s.slug.clone()).ok_or_else(|| {
                    let valid: Vec<&str> = sectors.slugs().collect();
                    Error::Argument {
                        message: format!("--sector: unknown sector `{s}`"),
                        hint: hint_with_closest(s, &valid, "valid sectors"),
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        let countries = self
            .countries
            .iter()
            .map(|c| {
                countries::lookup(c).map(|c| c.code.clone()).ok_or_else(|| Error::Argument {
                    message: format!("--country: unknown country `{c}`"),
                    hint: match countries::closest(c) {
                        Some(close) => format!("did you mean `{}` ({})?", close.code, close.name),
                        None => "give an ISO 3166-1 alpha-3 code (e.g. MEX) or an English name".into(),
                    },
                })
            })
            .collect::<Result<_, _>>()?;
        let regions = self
            .regions
            .iter()
            .map(|r| {
                countries::region_path(r).ok_or_else(|| {
                    let names = countries::region_names();
                    let valid: Vec<&str> = names.iter().map(String::as_str).collect();
                    Error::Argument {
                        message: format!("--region: unknown region `{r}`"),
                        hint: hint_with_closest(r, &valid, "UN M49 regions and sub-regions"),
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            return Err(Error::Argument {
                message: format!("--since {since} is after --until {until}"),
                hint: "swap the two years".into(),
            });
        }
        Ok(Filters {
            sectors: sector_slugs,
            countries,
            regions,
            kinds: self.kinds.clone(),
            statuses: self.statuses.clone(),
            since: self.since,
            until: self.until,
        })
    }
}

fn hint_with_closest(input: &str, valid: &[&str], what: &str) -> String {
    match crate::text::closest(input, valid.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? {what}: {}", valid.join(", ")),
        None => format!("{what}: {}", valid.join(", ")),
    }
}

impl Filters {
    /// The filter as one query, leaving out one dimension (for drill-sideways facet counts).
    pub fn query(&self, fields: &Fields, without: Option<Dimension>) -> Vec<Box<dyn Query>> {
        let keep = |d: Dimension| without != Some(d);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let facet_any = |field, paths: Vec<Vec<&str>>| -> Box<dyn Query> {
            any(paths
                .into_iter()
                .map(|p| term(Term::from_facet(field, &Facet::from_path(p))))
                .collect())
        };
        if keep(Dimension::Sector) && !self.sectors.is_empty() {
            clauses.push(facet_any(
                fields.sector_facet,
                self.sectors.iter().map(|s| vec![s.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Country) && !self.countries.is_empty() {
            clauses.push(any(self
                .countries
                .iter()
                .map(|c| term(Term::from_field_text(fields.country_code, c)))
                .collect()));
        }
        if keep(Dimension::Region) && !self.regions.is_empty() {
            clauses.push(facet_any(
                fields.region_facet,
                self.regions.iter().map(RegionPath::segments).collect(),
            ));
        }
        if keep(Dimension::Kind) && !self.kinds.is_empty() {
            clauses.push(facet_any(
                fields.kind_facet,
                self.kinds.iter().map(|k| vec![k.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Status) && !self.statuses.is_empty() {
            clauses.push(facet_any(
                fields.status_facet,
                self.statuses.iter().map(|s| vec![s.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Years) {
            // Active at any time in [since, until]: it began by `until` and ended after `since`.
            if let Some(until) = self.until {
                clauses.push(Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(fields.active_from, until)),
                )));
            }
            if let Some(since) = self.since {
                clauses.push(Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(fields.active_to, since)),
                    Bound::Unbounded,
                )));
            }
        }
        clauses
    }
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn any(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.into_iter().next().unwrap();
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Combines a scored text query with unscored filters.
pub fn with_filters(text: Box<dyn Query>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if filters.is_empty() {
        return text;
    }
    let mut clauses = vec![(Occur::Must, text)];
    for filter in filters {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(filter, 0.0)) as Box<dyn Query>,
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first; catalogue order (by id) when there is no query text.
    #[default]
    Relevance,
    /// Oldest start year first.
    Year,
    /// Newest start year first.
    YearDesc,
    /// By title, A to Z.
    Title,
    /// By id: the catalogue's own order.
    Id,
}

/// A search to run.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    pub filters: Filters,
    pub limit: Option<usize>,
    pub offset: usize,
    pub sort: Sort,
    /// Refuse a query whose syntax is broken instead of searching what can be read.
    pub strict: bool,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: Entry,
    /// BM25 score, when the query ranks.
    pub score: Option<f32>,
}

/// The results of a search, with notes for the user (what was ignored or corrected).
#[derive(Debug, Clone)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub notes: Vec<String>,
}

/// The parsed text part of a request.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    /// True when the user gave words to rank by.
    pub ranks: bool,
    pub notes: Vec<String>,
}

/// Builds the query parser over the weighted text fields.
pub fn parser(opened: &Opened) -> QueryParser {
    let fields = &opened.fields;
    let weighted = fields.weighted_text();
    let mut parser = QueryParser::for_index(
        &opened.index,
        weighted.iter().map(|(field, _)| *field).collect(),
    );
    parser.set_conjunction_by_default();
    for (field, boost) in weighted {
        parser.set_field_boost(field, boost);
    }
    parser
}

/// Parses the text of a request. Broken syntax is an error with `strict`, otherwise the
/// readable part is searched and the rest is named in a note.
pub fn parse(opened: &Opened, text: &str, strict: bool) -> Result<ParsedQuery, Error> {
    if text.trim().is_empty() {
        return Ok(ParsedQuery {
            query: Box::new(AllQuery),
            ranks: false,
            notes: vec![],
        });
    }
    let parser = parser(opened);
    if strict {
        let query = parser.parse_query(text).map_err(|e| Error::Query {
            message: format!("invalid query `{}`: {e}", shorten(text)),
            hint: query_hint(),
        })?;
        return Ok(ParsedQuery {
            query,
            ranks: true,
            notes: vec![],
        });
    }
    let (query, errors) = parser.parse_query_lenient(text);
    let notes = errors
        .iter()
        .map(|e| format!("ignored part of the query: {e} (use --strict to make this an error)"))
        .collect();
    Ok(ParsedQuery {
        query,
        ranks: true,
        notes,
    })
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

fn query_hint() -> String {
    format!(
        "words are ANDed; use \"quoted phrases\", -excluded, +required and field:term with fields {}, {}, {}, {}, {}, {}, {}, {}, {}",
        names::TITLE,
        names::KEYWORD,
        names::SUMMARY,
        names::TEXT,
        names::ORGANISATION,
        names::COUNTRY,
        names::SECTOR,
        names::KIND,
        names::YEAR
    )
}

/// Runs a request against an opened index.
pub fn run(opened: &Opened, paths: &Paths, request: &Request) -> Result<Results, Error> {
    let parsed = parse(opened, &request.text, request.strict)?;
    let query = with_filters(parsed.query, request.filters.query(&opened.fields, None));
    let searcher = opened.reader.searcher();
    let total = searcher.search(&*query, &Count)?;
    let limit = request.limit.unwrap_or(total).max(1);
    let sort = match request.sort {
        Sort::Relevance if !parsed.ranks => Sort::Id,
        other => other,
    };
    let top = TopDocs::with_limit(limit).and_offset(request.offset);
    let addresses: Vec<(Option<f32>, DocAddress)> = match sort {
        Sort::Relevance => searcher
            .search(&*query, &top.order_by_score())?
            .into_iter()
            .map(|(score, addr)| (Some(score), addr))
            .collect(),
        Sort::Year | Sort::YearDesc => {
            let order = if sort == Sort::Year { Order::Asc } else { Order::Desc };
            unscored(searcher.search(&*query, &top.order_by_fast_field::<i64>(names::YEAR, order))?)
        }
        Sort::Title | Sort::Id => {
            // Titles sort on their folded form; ids are already lowercase.
            unscored(searcher.search(
                &*query,
                &top.order_by_string_fast_field(names::ID, Order::Asc),
            )?)
        }
    };
    let mut hits = load_hits(&searcher, &opened.fields, paths, addresses)?;
    if sort == Sort::Title {
        hits.sort_by_cached_key(|h| crate::text::fold(&h.entry.record.title));
    }
    Ok(Results {
        total,
        hits,
        notes: parsed.notes,
    })
}

fn unscored<T>(found: Vec<(T, DocAddress)>) -> Vec<(Option<f32>, DocAddress)> {
    found.into_iter().map(|(_, addr)| (None, addr)).collect()
}

fn load_hits(
    searcher: &Searcher,
    fields: &Fields,
    paths: &Paths,
    addresses: Vec<(Option<f32>, DocAddress)>,
) -> Result<Vec<Hit>, Error> {
    addresses
        .into_iter()
        .map(|(score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let entry = index::entry_of(&doc, fields, paths).ok_or_else(|| {
                Error::Index(tantivy::TantivyError::InvalidArgument(
                    "a stored record could not be read back".into(),
                ))
            })?;
            Ok(Hit { entry, score })
        })
        .collect()
}

/// Fetches one record by id from the index.
pub fn by_id(opened: &Opened, paths: &Paths, id: &str) -> Result<Option<Entry>, Error> {
    let searcher = opened.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(opened.fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let hits = load_hits(
        &searcher,
        &opened.fields,
        paths,
        found.into_iter().map(|(_, a)| (None, a)).collect(),
    )?;
    Ok(hits.into_iter().next().map(|h| h.entry))
}

/// Every id in the index, for "did you mean" on an unknown id.
pub fn all_ids(opened: &Opened) -> Result<Vec<String>, Error> {
    let searcher = opened.reader.searcher();
    let mut ids = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .str(names::ID)?
            .ok_or_else(|| tantivy::TantivyError::SchemaError("id is not a fast field".into()))?;
        let mut buffer = String::new();
        for ord in 0..column.num_terms() as u64 {
            buffer.clear();
            column
                .ord_to_str(ord, &mut buffer)
                .map_err(|e| Error::io(&opened.dir, e))?;
            ids.push(buffer.clone());
        }
    }
    ids.sort();
    Ok(ids)
}

/// How many records a sector has, as primary and in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorCount {
    pub slug: String,
    pub label: String,
    pub primary: usize,
    pub any: usize,
}

/// Record counts for each sector, in handbook order.
pub fn sector_counts(opened: &Opened) -> Result<Vec<SectorCount>, Error> {
    let searcher = opened.reader.searcher();
    let f = &opened.fields;
    opened
        .manifest
        .sectors
        .list
        .iter()
        .map(|sector| {
            let primary = searcher.search(
                &TermQuery::new(
                    Term::from_field_text(f.primary_sector, &sector.slug),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            let any = searcher.search(
                &TermQuery::new(
                    Term::from_facet(f.sector_facet, &Facet::from_path([&sector.slug])),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            Ok(SectorCount {
                slug: sector.slug.clone(),
                label: sector.label.clone(),
                primary,
                any,
            })
        })
        .collect()
}
