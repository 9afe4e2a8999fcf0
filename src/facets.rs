//! Facet counts for a query, computed drill-sideways: each dimension's counts ignore that
//! dimension's own filter, so `--sector trade` still shows the other sectors.

use std::collections::HashMap;

mod tally;

use serde::Serialize;

use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::names;
use crate::search::{Dimension, Filters, Prepared};
use crate::storage::Opened;
use tally::{Counted, Source, Tally};

/// What facet counts can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    Sector,
    Region,
    Country,
    Kind,
    Status,
    Decade,
    Organisation,
    /// The kinds of source a record cites (evaluation, research...).
    Evidence,
    Origin,
    Destination,
}

impl By {
    pub fn name(self) -> &'static str {
        match self {
            By::Sector => "sector",
            By::Region => "region",
            By::Country => "country",
            By::Kind => "kind",
            By::Status => "status",
            By::Decade => "decade",
            By::Organisation => "organisation",
            By::Evidence => "evidence",
            By::Origin => "origin",
            By::Destination => "destination",
        }
    }

    /// The filter this dimension leaves out of its own counts.
    fn own_filter(self) -> Option<Dimension> {
        match self {
            By::Sector => Some(Dimension::Sector),
            By::Region => Some(Dimension::Region),
            By::Country => Some(Dimension::Country),
            By::Kind => Some(Dimension::Kind),
            By::Status => Some(Dimension::Status),
            By::Decade => Some(Dimension::Years),
            By::Evidence => Some(Dimension::Evidence),
            By::Origin => Some(Dimension::Origin),
            By::Destination => Some(Dimension::Destination),
            By::Organisation => None,
        }
    }
}

/// One value and how many matching records have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The value as filters take it (slug, code, region name...).
    pub value: String,
    /// The value as people read it.
    pub label: String,
    pub count: u64,
    /// Sub-values (sub-regions under a region).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Count>,
}

impl Count {
    /// This value and every value under it, depth first, each with its depth (0 for this
    /// one) and its parent's value: the rows of a table or CSV.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        self.push_rows(0, None, &mut rows);
        rows
    }

    fn push_rows<'a>(&'a self, depth: usize, parent: Option<&'a str>, rows: &mut Vec<Row<'a>>) {
        rows.push(Row {
            depth,
            parent,
            count: self,
        });
        for child in &self.children {
            child.push_rows(depth + 1, Some(&self.value), rows);
        }
    }
}

/// One value of a facet tree, flattened.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub depth: usize,
    pub parent: Option<&'a str>,
    pub count: &'a Count,
}

/// The counts of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facet {
    pub by: &'static str,
    pub counts: Vec<Count>,
}

/// One dimension to count: drill-sideways (its own filter left out, for a sidebar) or among
/// the matching records themselves (every filter applied, for pictures of the results).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub by: By,
    pub sideways: bool,
}

/// Counts each dimension for the prepared query and its filters (the same query `search`
/// runs, corrections and synonyms included), keeping the `top` values of each level, sorted
/// by count and then name.
pub fn count(
    opened: &Opened,
    prepared: &Prepared,
    dimensions: &[By],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    let requests: Vec<Request> = dimensions
        .iter()
        .map(|&by| Request { by, sideways: true })
        .collect();
    count_each(opened, prepared, &requests, top)
}

/// Counts each dimension among the matching records themselves, every filter applied (not
/// drill-sideways): what charts of the current results show.
pub fn count_within(
    opened: &Opened,
    prepared: &Prepared,
    dimensions: &[By],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    let requests: Vec<Request> = dimensions
        .iter()
        .map(|&by| Request {
            by,
            sideways: false,
        })
        .collect();
    count_each(opened, prepared, &requests, top)
}

/// Counts each request, in the order asked. Every request that runs the full query (all
/// those without a filter of their own in force) shares one pass over the matching
/// documents; only a dimension whose own filter is active needs a pass of its own.
pub fn count_each(
    opened: &Opened,
    prepared: &Prepared,
    requests: &[Request],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    let searcher = opened.reader.searcher();
    // The filter each request's query leaves out; the same as none when it is not in force.
    let left_out: Vec<Option<Dimension>> = requests
        .iter()
        .map(|r| {
            r.by.own_filter()
                .filter(|&d| r.sideways && in_force(prepared.filters(), d))
        })
        .collect();
    let mut passes: Vec<Option<Dimension>> = Vec::new();
    for without in &left_out {
        if !passes.contains(without) {
            passes.push(*without);
        }
    }
    // Per request: which pass counted it, and which of that pass's sources.
    let mut located = vec![(0, 0); requests.len()];
    let mut fruits = Vec::with_capacity(passes.len());
    for (pass, without) in passes.iter().enumerate() {
        let mut sources: Vec<Source> = Vec::new();
        for (i, request) in requests.iter().enumerate() {
            if left_out[i] != *without {
                continue;
            }
            let source = source(request.by);
            let at = match sources.iter().position(|s| *s == source) {
                Some(at) => at,
                None => {
                    sources.push(source);
                    sources.len() - 1
                }
            };
            located[i] = (pass, at);
        }
        fruits.push(searcher.search(&*prepared.query(*without), &Tally { sources })?);
    }
    let sectors = &opened.manifest.sectors;
    Ok(requests
        .iter()
        .zip(located)
        .map(|(request, (pass, at))| {
            let paths = &fruits[pass][at];
            let counts = match request.by {
                By::Sector => flat(paths, |slug| sectors.label(slug).to_string()),
                By::Kind | By::Status | By::Organisation | By::Evidence | By::Decade => {
                    flat(paths, str::to_string)
                }
                By::Origin | By::Destination => flat(paths, country_name),
                // Regions come sorted level by level, with the groupings after the M49 tree.
                By::Region => return region_facet(paths, top),
                By::Country => countries_of(paths),
            };
            Facet {
                by: request.by.name(),
                counts: sorted(counts, top),
            }
        })
        .collect())
}

/// What a dimension's counts are read from.
fn source(by: By) -> Source {
    Source::Facet(match by {
        By::Sector => names::SECTOR_FACET,
        By::Region | By::Country => names::REGION_FACET,
        By::Kind => names::KIND_FACET,
        By::Status => names::STATUS_FACET,
        By::Organisation => names::ORGANISATION_FACET,
        By::Evidence => names::EVIDENCE_FACET,
        By::Origin => names::ORIGIN_FACET,
        By::Destination => names::DESTINATION_FACET,
        By::Decade => return Source::Decades,
    })
}

/// True when the filters restrict this dimension, so its sideways counts differ from the
/// counts of the results.
fn in_force(filters: &Filters, dimension: Dimension) -> bool {
    match dimension {
        Dimension::Sector => !filters.sectors.is_empty(),
        Dimension::Country => !filters.countries.is_empty(),
        Dimension::Region => !filters.regions.is_empty(),
        Dimension::Kind => !filters.kinds.is_empty(),
        Dimension::Status => !filters.statuses.is_empty(),
        Dimension::Years => {
            filters.since.is_some() || filters.until.is_some() || !filters.decades.is_empty()
        }
        Dimension::Evidence => !filters.evidence.is_empty(),
        Dimension::Origin => !filters.origins.is_empty(),
        Dimension::Destination => !filters.destinations.is_empty(),
    }
}

fn country_name(code: &str) -> String {
    countries::by_code(code).map_or_else(|| code.to_string(), |c| c.name.clone())
}

fn sorted(mut counts: Vec<Count>, top: usize) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    counts.truncate(top);
    counts
}

/// Counts of a one-level facet (sector, kind, status, organisation...).
fn flat(paths: &Counted, label: impl Fn(&str) -> String) -> Vec<Count> {
    paths
        .iter()
        .filter_map(|(path, &count)| match path.as_slice() {
            [value] => Some(Count {
                label: label(value),
                value: value.clone(),
                count,
                children: vec![],
            }),
            _ => None,
        })
        .collect()
}

/// The counted children of each counted path, by parent path (the root is `[]`).
fn children(paths: &Counted) -> HashMap<&[String], Vec<(&[String], u64)>> {
    let mut children: HashMap<&[String], Vec<(&[String], u64)>> = HashMap::new();
    for (path, &count) in paths {
        if let Some((_, parent)) = path.split_last() {
            children
                .entry(parent)
                .or_default()
                .push((path.as_slice(), count));
        }
    }
    children
}

/// The M49 tree (region, sub-region, intermediate region) with the LDC, LLDC and SIDS
/// groupings after it, each level sorted by count and cut to `top`.
fn region_facet(paths: &Counted, top: usize) -> Facet {
    let children = children(paths);
    // Children that are region nodes (not country codes), looked up by path.
    let by_path: HashMap<Vec<&str>, &RegionPath> = countries::regions()
        .iter()
        .map(|p| (p.segments(), p))
        .collect();
    let level = |parent: &[String]| -> Vec<(RegionPath, u64)> {
        children
            .get(parent)
            .into_iter()
            .flatten()
            .filter_map(|(path, count)| {
                let key: Vec<&str> = path.iter().map(String::as_str).collect();
                Some(((*by_path.get(&key)?).clone(), *count))
            })
            .collect()
    };
    let (groupings, m49): (Vec<_>, Vec<_>) = level(&[])
        .into_iter()
        .partition(|(node, _)| node.is_grouping());
    let m49 = m49
        .into_iter()
        .map(|(node, count)| region_count(&node, count, region_tree(&node, &level, top)))
        .collect();
    let groupings = groupings
        .into_iter()
        .map(|(node, count)| region_count(&node, count, vec![]))
        .collect();
    let mut counts = sorted(m49, top);
    counts.extend(sorted(groupings, top));
    Facet {
        by: By::Region.name(),
        counts,
    }
}

/// The region nodes counted directly under a path, with their counts.
type RegionsUnder<'a> = dyn Fn(&[String]) -> Vec<(RegionPath, u64)> + 'a;

/// The counts under `parent`, each with its own children, largest first.
fn region_tree(parent: &RegionPath, level: &RegionsUnder, top: usize) -> Vec<Count> {
    let path: Vec<String> = parent.segments().into_iter().map(String::from).collect();
    let children = level(&path)
        .into_iter()
        .map(|(node, count)| region_count(&node, count, region_tree(&node, level, top)))
        .collect();
    sorted(children, top)
}

fn region_count(node: &RegionPath, count: u64, children: Vec<Count>) -> Count {
    Count {
        value: node.name().to_string(),
        label: node.name().to_string(),
        count,
        children,
    }
}

/// Countries: the leaves of the M49 tree (children of the root or of an M49 region, not of
/// the LDC, LLDC and SIDS groupings, which list the same countries again).
fn countries_of(paths: &Counted) -> Vec<Count> {
    let m49: Vec<Vec<&str>> = countries::regions()
        .iter()
        .filter(|p| !p.is_grouping())
        .map(RegionPath::segments)
        .collect();
    let mut found = Vec::new();
    for (parent, children) in children(paths) {
        let parent: Vec<&str> = parent.iter().map(String::as_str).collect();
        if !parent.is_empty() && !m49.contains(&parent) {
            continue;
        }
        for (path, count) in children {
            let code = path.last().map(String::as_str).unwrap_or_default();
            // A region's children are sub-regions or countries: keep the countries.
            let Some(country) = countries::by_code(code) else {
                continue;
            };
            found.push(Count {
                value: code.to_string(),
                label: country.name.clone(),
                count,
                children: vec![],
            });
        }
    }
    found
}
