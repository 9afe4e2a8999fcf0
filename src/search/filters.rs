//! Filters (`--sector`, `--country`...): checked against the vocabularies, then turned into
//! unscored clauses. A new dimension is one field in [`FilterArgs`] and [`Filters`], one
//! [`Dimension`], one arm in [`FilterArgs::resolve`] and one in [`Filters::query`].

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};

use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::Fields;
use crate::record::{Kind, SourceKind, Status};
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
    /// Decades (1990 for the 1990s) a record's start year must fall in, one of them.
    pub decades: Vec<i64>,
    /// Kinds of source a record must cite at least one of (`--evidence evaluation`).
    pub evidence: Vec<SourceKind>,
    /// Countries of origin and destination, as codes or names.
    pub origins: Vec<String>,
    pub destinations: Vec<String>,
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
    /// First years of decades; the start year must fall in one of them.
    pub decades: Vec<i64>,
    pub evidence: Vec<SourceKind>,
    /// Alpha-3 codes.
    pub origins: Vec<String>,
    pub destinations: Vec<String>,
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
    Evidence,
    Origin,
    Destination,
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
        let countries = country_codes("--country", &self.countries)?;
        let origins = country_codes("--origin", &self.origins)?;
        let destinations = country_codes("--destination", &self.destinations)?;
        let regions = self
            .regions
            .iter()
            .map(|r| {
                countries::region_path(r).ok_or_else(|| {
                    let names = countries::region_names();
                    let valid: Vec<&str> = names.iter().map(String::as_str).collect();
                    Error::Argument {
                        message: format!("--region: unknown region `{r}`"),
                        hint: hint_with_closest(r, &valid, "UN M49 regions and groupings"),
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
            decades: self.decades.iter().map(|d| d - d.rem_euclid(10)).collect(),
            evidence: self.evidence.clone(),
            origins,
            destinations,
        })
    }
}

/// Alpha-3 codes for countries given as codes or names, or which flag has an unknown one.
fn country_codes(flag: &str, inputs: &[String]) -> Result<Vec<String>, Error> {
    inputs
        .iter()
        .map(|c| {
            countries::lookup(c)
                .map(|c| c.code.clone())
                .ok_or_else(|| Error::Argument {
                    message: format!("{flag}: unknown country `{c}`"),
                    hint: match countries::closest(c) {
                        Some(close) => format!("did you mean `{}` ({})?", close.code, close.name),
                        None => {
                            "give an ISO 3166-1 alpha-3 code (e.g. MEX) or an English name".into()
                        }
                    },
                })
        })
        .collect()
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
        if keep(Dimension::Evidence) && !self.evidence.is_empty() {
            clauses.push(facet_any(
                fields.evidence_facet,
                self.evidence.iter().map(|k| vec![k.as_str()]).collect(),
            ));
        }
        for (dimension, field, codes) in [
            (Dimension::Origin, fields.origin_facet, &self.origins),
            (
                Dimension::Destination,
                fields.destination_facet,
                &self.destinations,
            ),
        ] {
            if keep(dimension) && !codes.is_empty() {
                clauses.push(facet_any(
                    field,
                    codes.iter().map(|c| vec![c.as_str()]).collect(),
                ));
            }
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
            // A start year in one of the decades: what the decade facet counts.
            if !self.decades.is_empty() {
                clauses.push(any(self
                    .decades
                    .iter()
                    .map(|&decade| {
                        Box::new(RangeQuery::new(
                            Bound::Included(Term::from_field_i64(fields.year, decade)),
                            Bound::Included(Term::from_field_i64(fields.year, decade + 9)),
                        )) as Box<dyn Query>
                    })
                    .collect()));
            }
        }
        clauses
    }
}

pub(crate) fn term(term: Term) -> Box<dyn Query> {
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
