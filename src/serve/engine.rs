//! The one place where the server calls the search library: every page and API answer
//! goes through these functions, which run exactly what the CLI runs for the same search.

use std::sync::Arc;

use serde::Serialize;

use crate::catalogue::{Entry, Paths};
use crate::error::Error;
use crate::facets::{self, By, Facet};
use crate::record::is_valid_id;
use crate::search::{self, Filters, Hit, Matching, NoteKind, Request, Sort};

use super::params::{BadParam, SearchParams};
use super::state::{Counts, Snapshot};

/// Why a search could not be answered.
#[derive(Debug)]
pub enum Failure {
    /// The request was wrong: a 400 naming the parameter.
    Bad(BadParam),
    /// The catalogue or index failed: a 500.
    Internal(Error),
}

impl From<BadParam> for Failure {
    fn from(bad: BadParam) -> Failure {
        Failure::Bad(bad)
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        match err {
            // The library names a bad filter as its CLI flag (`--sector: ...`).
            Error::Argument { message, hint } => {
                let (param, message) = match message.strip_prefix("--") {
                    Some(rest) => match rest.split_once(':') {
                        Some((flag, why)) => (flag.to_string(), why.trim().to_string()),
                        None => (String::new(), rest.to_string()),
                    },
                    None => (String::new(), message),
                };
                Failure::Bad(BadParam {
                    param,
                    message,
                    hint,
                })
            }
            other => Failure::Internal(other),
        }
    }
}

/// A page of results with the notes and facet counts that go with it.
pub struct Answer {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub notes: Vec<ShownNote>,
    /// Drill-sideways counts for the sidebar: each ignores its own filter.
    pub facets: Vec<Facet>,
    /// Counts among the matching records themselves, for the pictures.
    pub charts: Vec<Facet>,
}

/// A note as the page and the API show it: the library's kind, whether it is a warning the
/// reader should act on or information about what the engine did, and the line itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownNote {
    pub kind: NoteKind,
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
}

impl From<search::Note> for ShownNote {
    fn from(note: search::Note) -> ShownNote {
        let level = if note.kind.is_warning() {
            Level::Warning
        } else {
            Level::Info
        };
        ShownNote {
            kind: note.kind,
            level,
            text: note.text,
        }
    }
}

/// What the pictures of the search page count.
pub const CHARTS: [By; 3] = [By::Sector, By::Decade, By::Country];

/// Values kept per facet dimension: every country, for the map.
pub const FACET_TOP: usize = 300;

/// The checked filters of a search.
fn filters(snapshot: &Snapshot, params: &SearchParams) -> Result<Filters, Failure> {
    Ok(params
        .filter_args()?
        .resolve(&snapshot.opened.manifest.sectors)?)
}

fn request(snapshot: &Snapshot, params: &SearchParams) -> Result<Request, Failure> {
    Ok(Request {
        text: params.q.clone(),
        filters: filters(snapshot, params)?,
        limit: Some(params.limit),
        offset: params.offset,
        sort: params.sort.map(|s| s.sort()).unwrap_or(Sort::Relevance),
        matching: Matching::Auto,
        strict: false,
        snippets: true,
        explain: false,
    })
}

/// One page of results and, for the dimensions asked, drill-sideways facet counts, and
/// exact counts of the results for the `charts_of` dimensions. The counts of a search are
/// kept for its other pages and sort orders, which only change the hits.
pub fn search(
    snapshot: &Snapshot,
    paths: &Paths,
    params: &SearchParams,
    dimensions: &[By],
    charts_of: &[By],
    top: usize,
) -> Result<Answer, Failure> {
    let request = request(snapshot, params)?;
    // One prepared query for the page and its facet counts, as `search --facets` runs it.
    let (options, warnings) = request.options(paths);
    let prepared = search::prepare(&snapshot.opened, &request.text, &request.filters, &options)?;
    let results = search::fetch(&snapshot.opened, paths, &prepared, &request.page())?;
    let counts = counts(snapshot, params, &prepared, dimensions, charts_of, top)?;
    let notes = warnings.into_iter().chain(results.notes).collect();
    Ok(Answer {
        total: results.total,
        hits: results.hits,
        notes: with_warnings(snapshot, notes),
        facets: counts.facets.clone(),
        charts: counts.charts.clone(),
    })
}

/// Exact counts of the search's results for the pictures, without a page of hits: what the
/// script needs to redraw them after a live search.
pub fn charts(
    snapshot: &Snapshot,
    paths: &Paths,
    params: &SearchParams,
) -> Result<Vec<Facet>, Failure> {
    let request = request(snapshot, params)?;
    let (options, _) = request.options(paths);
    let prepared = search::prepare(&snapshot.opened, &request.text, &request.filters, &options)?;
    Ok(
        counts(snapshot, params, &prepared, &[], &CHARTS, FACET_TOP)?
            .charts
            .clone(),
    )
}

/// The counts of a search, from the snapshot's cache when another page or sort order of
/// the same search already counted them.
fn counts(
    snapshot: &Snapshot,
    params: &SearchParams,
    prepared: &search::Prepared,
    dimensions: &[By],
    charts_of: &[By],
    top: usize,
) -> Result<Arc<Counts>, Error> {
    let key = counts_key(params, dimensions, charts_of, top);
    if let Some(counts) = snapshot.counts.get(&key) {
        return Ok(counts);
    }
    let counts = Arc::new(count(snapshot, prepared, dimensions, charts_of, top)?);
    snapshot.counts.insert(key, Arc::clone(&counts));
    Ok(counts)
}

/// The sidebar's drill-sideways counts and the pictures' exact ones, all in as few passes
/// over the matching records as the filters in force allow.
fn count(
    snapshot: &Snapshot,
    prepared: &search::Prepared,
    dimensions: &[By],
    charts_of: &[By],
    top: usize,
) -> Result<Counts, Error> {
    let requests: Vec<facets::Request> = dimensions
        .iter()
        .map(|&by| facets::Request { by, sideways: true })
        .chain(charts_of.iter().map(|&by| facets::Request {
            by,
            sideways: false,
        }))
        .collect();
    let mut facets = facets::count_each(&snapshot.opened, prepared, &requests, top)?;
    let charts = facets.split_off(dimensions.len());
    Ok(Counts { facets, charts })
}

/// What the counts of a search depend on: the search without its page, page size and sort,
/// and the dimensions counted.
fn counts_key(params: &SearchParams, dimensions: &[By], charts_of: &[By], top: usize) -> String {
    let mut search = params.first_page();
    search.sort = None;
    search.limit = super::params::DEFAULT_LIMIT;
    search.by.clear();
    search.top = None;
    let names = |dims: &[By]| dims.iter().map(|d| d.name()).collect::<Vec<_>>().join(",");
    format!(
        "{}\n{}\n{}\n{top}",
        search.to_query(),
        names(dimensions),
        names(charts_of)
    )
}

/// Every matching record, as `migdev export` writes them: catalogue order (by id) unless
/// the search says how to sort.
pub fn export(
    snapshot: &Snapshot,
    paths: &Paths,
    params: &SearchParams,
) -> Result<Answer, Failure> {
    let mut request = request(snapshot, params)?;
    request.limit = None;
    request.offset = 0;
    request.snippets = !params.q.is_empty();
    let mut results = search::run(&snapshot.opened, paths, &request)?;
    if params.sort.is_none() {
        results.hits.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    }
    Ok(Answer {
        total: results.total,
        hits: results.hits,
        notes: with_warnings(snapshot, results.notes),
        facets: Vec::new(),
        charts: Vec::new(),
    })
}

/// One record by id; `None` for an unknown id (or one no record file could have).
pub fn record(snapshot: &Snapshot, paths: &Paths, id: &str) -> Result<Option<Entry>, Error> {
    if !is_valid_id(id) {
        return Ok(None);
    }
    search::by_id(&snapshot.opened, paths, id)
}

/// Records most like `id` that also match the search's filters; `None` for an unknown id.
pub fn similar(
    snapshot: &Snapshot,
    paths: &Paths,
    id: &str,
    params: &SearchParams,
) -> Result<Option<(usize, Vec<Hit>)>, Failure> {
    if !is_valid_id(id) {
        return Ok(None);
    }
    let filters = filters(snapshot, params)?;
    Ok(
        search::similar(&snapshot.opened, paths, id, &filters, params.limit)?
            .map(|r| (r.total, r.hits)),
    )
}

/// Up to three ids close to an unknown one, for the 404 answer.
pub fn closest_ids(snapshot: &Snapshot, id: &str) -> Vec<String> {
    let id: String = id.chars().take(100).collect();
    search::closest_ids(&snapshot.opened, &id).unwrap_or_default()
}

/// The search's notes, after the warnings every answer carries while a record is broken.
/// The pointer to the CLI's `--strict` flag means nothing here and is left out.
fn with_warnings(snapshot: &Snapshot, notes: Vec<search::Note>) -> Vec<ShownNote> {
    let warnings = snapshot
        .warnings
        .iter()
        .map(|w| search::Note::new(NoteKind::Warning, w.clone()));
    warnings
        .chain(notes.into_iter().filter(|n| n.kind != NoteKind::Strict))
        .map(ShownNote::from)
        .collect()
}
