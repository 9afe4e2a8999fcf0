//! Facet counts for a query, computed drill-sideways: each dimension's counts ignore that
//! dimension's own filter, so `--sector trade` still shows the other sectors.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector};
use tantivy::query::Query;
use tantivy::schema::Field;

use crate::countries;
use crate::error::Error;
use crate::index::names;
use crate::search::{self, Dimension, Request};
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

/// The counts of one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facet {
    pub by: &'static str,
    pub counts: Vec<Count>,
}

/// Counts each dimension for the request's query and filters, keeping the `top` values
/// of each level, sorted by count and then name.
pub fn count(
    opened: &Opened,
    request: &Request,
    dimensions: &[By],
    top: usize,
) -> Result<Vec<Facet>, Error> {
    let searcher = opened.reader.searcher();
    let sectors = &opened.manifest.sectors;
    let fields = &opened.fields;
    dimensions
        .iter()
        .map(|&by| {
            let parsed = search::parse(opened, &request.text, request.strict)?;
            let query =
                search::with_filters(parsed.query, request.filters.query(fields, by.own_filter()));
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
            };
            Ok(Facet {
                by: by.name(),
                counts: sorted(counts, top),
            })
        })
        .collect()
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

/// M49 regions with their sub-regions.
fn regions(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    top: usize,
) -> Result<Vec<Count>, Error> {
    let region_paths: Vec<String> = countries::region_names()
        .into_iter()
        .filter_map(|name| countries::region_path(&name))
        .filter(|p| p.subregion.is_none())
        .map(|p| format!("/{}", p.region))
        .collect();
    // A collector cannot count a facet and its descendants at once: two passes.
    let top_level = collect(searcher, query, field, &["/".to_string()])?;
    let counts = collect(searcher, query, field, &region_paths)?;
    Ok(top_level
        .get("/")
        .map(|(facet, count)| {
            let region = facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let children = counts
                .get(&facet.to_path_string())
                .map(|(sub, count)| {
                    let name = sub
                        .to_path()
                        .last()
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    Count {
                        value: name.clone(),
                        label: name,
                        count,
                        children: vec![],
                    }
                })
                .collect();
            Count {
                value: region.clone(),
                label: region,
                count,
                children: sorted(children, top),
            }
        })
        .collect())
}

/// Countries: the leaves of the region facet.
fn countries_of(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
) -> Result<Vec<Count>, Error> {
    let mut subregions: Vec<String> = countries::region_names()
        .into_iter()
        .filter_map(|name| countries::region_path(&name))
        .filter(|p| p.subregion.is_some())
        .map(|p| format!("/{}", p.segments().join("/")))
        .collect();
    subregions.sort();
    subregions.dedup();
    let counts = collect(searcher, query, field, &subregions)?;
    let mut found = Vec::new();
    for path in &subregions {
        for (facet, count) in counts.get(path) {
            let code = facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let label = countries::by_code(&code)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| code.clone());
            found.push(Count {
                value: code,
                label,
                count,
                children: vec![],
            });
        }
    }
    Ok(found)
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
