//! Facet counts for a query, computed drill-sideways: each dimension's counts ignore that
//! dimension's own filter, so `--sector trade` still shows the other sectors.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector};
use tantivy::query::Query;
use tantivy::schema::Field;

use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::names;
use crate::search::{Dimension, Prepared};
use crate::storage::Opened;

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

/// Counts each dimension for the prepared query and its filters (the same query `search`
/// runs, corrections and synonyms included), keeping the `top` values of each level, sorted
/// by count and then name.
pub fn count(
    opened: &Opened,
    prepared: &Prepared,
    dimensions: &[By],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    count_with(opened, prepared, dimensions, top, true)
}

/// Counts each dimension among the matching records themselves, every filter applied (not
/// drill-sideways): what charts of the current results show.
pub fn count_within(
    opened: &Opened,
    prepared: &Prepared,
    dimensions: &[By],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    count_with(opened, prepared, dimensions, top, false)
}

fn count_with(
    opened: &Opened,
    prepared: &Prepared,
    dimensions: &[By],
    top: usize,
    sideways: bool,
) -> Result<Vec<Facet>, Error> {
    let searcher = opened.reader.searcher();
    let sectors = &opened.manifest.sectors;
    let fields = &opened.fields;
    dimensions
        .iter()
        .map(|&by| {
            let query = prepared.query(if sideways { by.own_filter() } else { None });
            let counts = match by {
                By::Sector => flat(&searcher, &*query, fields.sector_facet, |slug| {
                    sectors.label(slug).to_string()
                })?,
                By::Kind => flat(&searcher, &*query, fields.kind_facet, str::to_string)?,
                By::Status => flat(&searcher, &*query, fields.status_facet, str::to_string)?,
                By::Organisation => flat(
                    &searcher,
                    &*query,
                    fields.organisation_facet,
                    str::to_string,
                )?,
                By::Region => regions(&searcher, &*query, fields.region_facet, top)?,
                By::Country => countries_of(&searcher, &*query, fields.region_facet)?,
                By::Decade => decades(&searcher, &*query)?,
                By::Evidence => flat(&searcher, &*query, fields.evidence_facet, str::to_string)?,
                By::Origin => flat(&searcher, &*query, fields.origin_facet, country_name)?,
                By::Destination => {
                    flat(&searcher, &*query, fields.destination_facet, country_name)?
                }
            };
            // Regions come sorted level by level, with the groupings after the M49 tree.
            let counts = if by == By::Region {
                counts
            } else {
                sorted(counts, top)
            };
            Ok(Facet {
                by: by.name(),
                counts,
            })
        })
        .collect()
}

fn country_name(code: &str) -> String {
    countries::by_code(code).map_or_else(|| code.to_string(), |c| c.name.clone())
}

fn sorted(mut counts: Vec<Count>, top: usize) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    counts.truncate(top);
    counts
}

fn collect(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    paths: &[String],
) -> Result<tantivy::collector::FacetCounts, Error> {
    let mut collector =
        FacetCollector::for_field(searcher.schema().get_field_name(field).to_string());
    for path in paths {
        collector.add_facet(path.as_str());
    }
    Ok(searcher.search(query, &collector)?)
}

/// Counts of a one-level facet (sector, kind, status, organisation).
fn flat(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    label: impl Fn(&str) -> String,
) -> Result<Vec<Count>, Error> {
    let counts = collect(searcher, query, field, &["/".to_string()])?;
    Ok(counts
        .get("/")
        .map(|(facet, count)| {
            let value = facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            Count {
                label: label(&value),
                value,
                count,
                children: vec![],
            }
        })
        .collect())
}

/// The M49 tree (region, sub-region, intermediate region) with the LDC, LLDC and SIDS
/// groupings after it, each level sorted by count and cut to `top`.
fn regions(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    top: usize,
) -> Result<Vec<Count>, Error> {
    let known = countries::regions();
    let children = children_counts(searcher, query, field, known)?;
    // Children that are region nodes (not country codes), looked up by facet path.
    let by_path: HashMap<String, &RegionPath> = known.iter().map(|p| (p.facet_path(), p)).collect();
    let level = |parent: &str| -> Vec<(RegionPath, u64)> {
        children
            .get(parent)
            .into_iter()
            .flatten()
            .filter_map(|(path, count)| Some(((*by_path.get(path)?).clone(), *count)))
            .collect()
    };
    let (groupings, m49): (Vec<_>, Vec<_>) = level("/")
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
    let mut all = sorted(m49, top);
    all.extend(sorted(groupings, top));
    Ok(all)
}

/// The counts under `parent`, each with its own children, largest first.
fn region_tree(
    parent: &RegionPath,
    level: &dyn Fn(&str) -> Vec<(RegionPath, u64)>,
    top: usize,
) -> Vec<Count> {
    let children = level(&parent.facet_path())
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

/// Countries: the leaves of the M49 tree.
fn countries_of(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
) -> Result<Vec<Count>, Error> {
    let m49: Vec<RegionPath> = countries::regions()
        .iter()
        .filter(|p| !p.is_grouping())
        .cloned()
        .collect();
    let children = children_counts(searcher, query, field, &m49)?;
    let mut found = Vec::new();
    for (path, count) in children.values().flatten() {
        let code = path.rsplit('/').next().unwrap_or_default();
        // A region's children are sub-regions or countries: keep the countries.
        let Some(country) = countries::by_code(code) else {
            continue;
        };
        found.push(Count {
            value: code.to_string(),
            label: country.name.clone(),
            count: *count,
            children: vec![],
        });
    }
    Ok(found)
}

/// The counts of the children of the root and of each of `parents`, by parent facet path.
/// A facet collector cannot count a facet and one of its descendants in one pass, so each
/// depth of the tree is its own pass.
fn children_counts(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    parents: &[RegionPath],
) -> Result<HashMap<String, Vec<(String, u64)>>, Error> {
    let mut by_depth: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    by_depth.entry(0).or_default().push("/".to_string());
    for parent in parents {
        by_depth
            .entry(parent.segments().len())
            .or_default()
            .push(parent.facet_path());
    }
    let mut children = HashMap::new();
    for paths in by_depth.values() {
        let counts = collect(searcher, query, field, paths)?;
        for path in paths {
            let found: Vec<(String, u64)> = counts
                .get(path.as_str())
                .map(|(facet, count)| (facet.to_path_string(), count))
                .collect();
            children.insert(path.clone(), found);
        }
    }
    Ok(children)
}

/// Decades of the start year; records without one are counted as "no year".
fn decades(searcher: &tantivy::Searcher, query: &dyn Query) -> Result<Vec<Count>, Error> {
    let docs = searcher.search(query, &DocSetCollector)?;
    let mut by_decade: BTreeMap<String, u64> = BTreeMap::new();
    let mut columns = BTreeMap::new();
    for address in docs {
        let column = match columns.entry(address.segment_ord) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => v.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .i64(names::YEAR)?,
            ),
        };
        let decade = column
            .first(address.doc_id)
            .map(|year| format!("{}s", year - year.rem_euclid(10)))
            .unwrap_or_else(|| "no year".to_string());
        *by_decade.entry(decade).or_default() += 1;
    }
    Ok(by_decade
        .into_iter()
        .map(|(decade, count)| Count {
            value: decade.clone(),
            label: decade,
            count,
            children: vec![],
        })
        .collect())
}
