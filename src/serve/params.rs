//! The address's query string as a search: one parser for the page and the API, checked
//! strictly (a bad value is a 400 that names its parameter), and written back out in one
//! canonical order so that every state of the page has one bookmarkable address.

use crate::facets::By;
use crate::record::{Kind, SourceKind, Status};
use crate::search::{FilterArgs, Sort};

/// Longest accepted search text, in characters (the CLI cuts longer text to this).
pub const MAX_QUERY_CHARS: usize = 4000;
/// Most values one filter may repeat.
pub const MAX_VALUES: usize = 50;
/// Longest accepted filter value, in characters.
pub const MAX_VALUE_CHARS: usize = 200;
/// Most results one page or API call may return.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset accepted: far past any catalogue page a person reads.
pub const MAX_OFFSET: usize = 100_000;
/// Results per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 20;

/// A filterable facet dimension as the page and the API name it. The sidebar, the chips and
/// the filters are all drawn from [`DIMENSIONS`], so a new dimension is one more entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dimension {
    /// The query parameter and the facet's key in JSON.
    pub param: &'static str,
    /// The heading in the sidebar.
    pub title: &'static str,
    pub by: By,
}

/// The dimensions the sidebar shows, in order.
pub const DIMENSIONS: &[Dimension] = &[
    Dimension {
        param: "sector",
        title: "Sector",
        by: By::Sector,
    },
    Dimension {
        param: "region",
        title: "Region",
        by: By::Region,
    },
    Dimension {
        param: "country",
        title: "Country",
        by: By::Country,
    },
    Dimension {
        param: "kind",
        title: "Kind",
        by: By::Kind,
    },
    Dimension {
        param: "status",
        title: "Status",
        by: By::Status,
    },
    Dimension {
        param: "decade",
        title: "Start decade",
        by: By::Decade,
    },
    Dimension {
        param: "evidence",
        title: "Evidence",
        by: By::Evidence,
    },
    Dimension {
        param: "origin",
        title: "Origin country",
        by: By::Origin,
    },
    Dimension {
        param: "destination",
        title: "Destination country",
        by: By::Destination,
    },
];

/// The dimension a query parameter names.
pub fn dimension(param: &str) -> Option<&'static Dimension> {
    DIMENSIONS.iter().find(|d| d.param == param)
}

/// False for facet values no filter can select ("no year" among the decades).
pub fn filterable(param: &str, value: &str) -> bool {
    param != "decade" || decade_start(value).is_some()
}

/// The first year of a decade written as `1990s`.
fn decade_start(value: &str) -> Option<i64> {
    value
        .strip_suffix('s')
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| n.rem_euclid(10) == 0)
}

/// A request's bad parameter: the 400 answer names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam {
    pub param: String,
    pub message: String,
    pub hint: String,
}

impl BadParam {
    pub fn new(param: &str, message: impl Into<String>, hint: impl Into<String>) -> BadParam {
        BadParam {
            param: param.to_string(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// A search as the address describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub q: String,
    /// Filter values by parameter name, in the order of [`DIMENSIONS`].
    pub filters: Vec<(&'static str, Vec<String>)>,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub sort: Option<SortParam>,
    pub limit: usize,
    pub offset: usize,
    /// Facet dimensions asked for (`by`, the facets API only).
    pub by: Vec<&'static Dimension>,
    /// Values per dimension (`top`, the facets API only).
    pub top: Option<usize>,
}

/// The `sort` values, as the CLI spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortParam {
    Relevance,
    Year,
    YearDesc,
    Title,
}

impl SortParam {
    pub const ALL: [SortParam; 4] = [
        SortParam::Relevance,
        SortParam::Year,
        SortParam::YearDesc,
        SortParam::Title,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SortParam::Relevance => "relevance",
            SortParam::Year => "year",
            SortParam::YearDesc => "-year",
            SortParam::Title => "title",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortParam::Relevance => "Best match",
            SortParam::Year => "Oldest first",
            SortParam::YearDesc => "Newest first",
            SortParam::Title => "Title A-Z",
        }
    }

    pub fn sort(self) -> Sort {
        match self {
            SortParam::Relevance => Sort::Relevance,
            SortParam::Year => Sort::Year,
            SortParam::YearDesc => Sort::YearDesc,
            SortParam::Title => Sort::Title,
        }
    }
}

impl SearchParams {
    /// Parses a query string (without `?`). `page` is accepted as well as `offset`.
    pub fn parse(query: &str) -> Result<SearchParams, BadParam> {
        let mut params = SearchParams {
            limit: DEFAULT_LIMIT,
            filters: DIMENSIONS.iter().map(|d| (d.param, Vec::new())).collect(),
            ..SearchParams::default()
        };
        let mut page: Option<usize> = None;
        let mut offset: Option<usize> = None;
        let mut seen_q = false;
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            match &*name {
                "q" => {
                    if seen_q {
                        return Err(BadParam::new("q", "`q` is given twice", "give one q"));
                    }
                    seen_q = true;
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(BadParam::new(
                            "q",
                            format!("`q` is longer than {MAX_QUERY_CHARS} characters"),
                            "shorten the search text",
                        ));
                    }
                    params.q = value.to_string();
                }
                "since" => params.since = Some(year(&name, value)?),
                "until" => params.until = Some(year(&name, value)?),
                "sort" => {
                    let sort = SortParam::ALL.into_iter().find(|s| s.name() == value);
                    params.sort = Some(sort.ok_or_else(|| {
                        BadParam::new(
                            "sort",
                            format!("unknown sort `{}`", shorten(value)),
                            "sort is one of relevance, year, -year, title",
                        )
                    })?);
                }
                "limit" => params.limit = number(&name, value, 1, MAX_LIMIT)?,
                "offset" => offset = Some(number(&name, value, 0, MAX_OFFSET)?),
                "page" => page = Some(number(&name, value, 1, MAX_OFFSET)?),
                "top" => params.top = Some(number(&name, value, 1, 1000)?),
                "by" => {
                    let dimension = dimension(value).ok_or_else(|| {
                        BadParam::new(
                            "by",
                            format!("unknown facet `{}`", shorten(value)),
                            format!("by is one of {}", dimension_names()),
                        )
                    })?;
                    params.by.push(dimension);
                }
                other => {
                    let Some(values) = params.filters.iter_mut().find(|(p, _)| *p == other) else {
                        return Err(BadParam::new(
                            other,
                            format!("unknown parameter `{}`", shorten(other)),
                            format!(
                                "parameters: q, {}, since, until, sort, limit, offset, page",
                                dimension_names()
                            ),
                        ));
                    };
                    if value.is_empty() {
                        continue;
                    }
                    if values.1.len() >= MAX_VALUES || value.chars().count() > MAX_VALUE_CHARS {
                        return Err(BadParam::new(
                            other,
                            format!("too many or too long `{other}` values"),
                            format!(
                                "give at most {MAX_VALUES} values of {MAX_VALUE_CHARS} characters"
                            ),
                        ));
                    }
                    if !values.1.iter().any(|v| v == value) {
                        values.1.push(value.to_string());
                    }
                }
            }
        }
        params.offset = match (page, offset) {
            (Some(_), Some(_)) => {
                return Err(BadParam::new(
                    "page",
                    "`page` and `offset` are both given",
                    "give one of them",
                ));
            }
            (Some(page), None) => (page - 1).saturating_mul(params.limit).min(MAX_OFFSET),
            (None, Some(offset)) => offset,
            (None, None) => 0,
        };
        Ok(params)
    }

    /// The values of one filter.
    pub fn values(&self, param: &str) -> &[String] {
        self.filters
            .iter()
            .find(|(p, _)| *p == param)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The page number (from 1) the offset falls on.
    pub fn page(&self) -> usize {
        self.offset / self.limit + 1
    }

    /// The library's filter arguments; kinds, statuses, evidence and decades are checked
    /// here, the rest by [`FilterArgs::resolve`].
    pub fn filter_args(&self) -> Result<FilterArgs, BadParam> {
        let vocabulary = |param: &str, parse: fn(&str) -> Result<(), String>| {
            for value in self.values(param) {
                parse(value).map_err(|why| BadParam::new(param, why, ""))?;
            }
            Ok::<_, BadParam>(())
        };
        vocabulary("kind", |v| v.parse::<Kind>().map(drop))?;
        vocabulary("status", |v| v.parse::<Status>().map(drop))?;
        vocabulary("evidence", |v| v.parse::<SourceKind>().map(drop))?;
        let decades = self
            .values("decade")
            .iter()
            .map(|d| {
                decade_start(d).ok_or_else(|| {
                    BadParam::new(
                        "decade",
                        format!("`{}` is not a decade", shorten(d)),
                        "write a decade as 1990s or 2000s",
                    )
                })
            })
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(FilterArgs {
            sectors: self.values("sector").to_vec(),
            countries: self.values("country").to_vec(),
            regions: self.values("region").to_vec(),
            kinds: self
                .values("kind")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect(),
            statuses: self
                .values("status")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect(),
            since: self.since,
            until: self.until,
            decades,
            evidence: self
                .values("evidence")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect(),
            origins: self.values("origin").to_vec(),
            destinations: self.values("destination").to_vec(),
        })
    }

    /// The canonical query string of this search (no `?`), with the page number for pages.
    pub fn to_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        for (param, values) in &self.filters {
            for value in values {
                out.append_pair(param, value);
            }
        }
        if let Some(since) = self.since {
            out.append_pair("since", &since.to_string());
        }
        if let Some(until) = self.until {
            out.append_pair("until", &until.to_string());
        }
        if let Some(sort) = self.sort {
            out.append_pair("sort", sort.name());
        }
        if self.limit != DEFAULT_LIMIT {
            out.append_pair("limit", &self.limit.to_string());
        }
        if self.offset > 0 {
            out.append_pair("page", &self.page().to_string());
        }
        for dimension in &self.by {
            out.append_pair("by", dimension.param);
        }
        if let Some(top) = self.top {
            out.append_pair("top", &top.to_string());
        }
        out.finish()
    }

    /// This search with one filter value added, or removed when present; back to page 1.
    pub fn toggled(&self, param: &str, value: &str) -> SearchParams {
        let mut next = self.first_page();
        if let Some((_, values)) = next.filters.iter_mut().find(|(p, _)| *p == param) {
            match values.iter().position(|v| v == value) {
                Some(at) => {
                    values.remove(at);
                }
                None => values.push(value.to_string()),
            }
        }
        next
    }

    /// This search on page 1 (a new filter or sort starts from the top).
    pub fn first_page(&self) -> SearchParams {
        SearchParams {
            offset: 0,
            ..self.clone()
        }
    }

    /// This search on another page.
    pub fn on_page(&self, page: usize) -> SearchParams {
        SearchParams {
            offset: (page.max(1) - 1) * self.limit,
            ..self.clone()
        }
    }
}

fn dimension_names() -> String {
    DIMENSIONS
        .iter()
        .map(|d| d.param)
        .collect::<Vec<_>>()
        .join(", ")
}

fn year(name: &str, value: &str) -> Result<i64, BadParam> {
    value
        .parse::<i64>()
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| {
            BadParam::new(
                name,
                format!("`{name}` must be a year, not `{}`", shorten(value)),
                format!("e.g. {name}=2010"),
            )
        })
}

fn number(name: &str, value: &str, min: usize, max: usize) -> Result<usize, BadParam> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            BadParam::new(
                name,
                format!(
                    "`{name}` must be a whole number from {min} to {max}, not `{}`",
                    shorten(value)
                ),
                format!("e.g. {name}={min}"),
            )
        })
}

/// At most 40 characters of what the user sent, for echoing in an error.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_repeat_and_the_address_round_trips() {
        let params =
            SearchParams::parse("q=remittances&sector=trade&sector=health&region=africa&page=2")
                .unwrap();
        assert_eq!(params.values("sector"), ["trade", "health"]);
        assert_eq!(params.offset, 20);
        assert_eq!(
            params.to_query(),
            "q=remittances&sector=trade&sector=health&region=africa&page=2"
        );
        assert_eq!(SearchParams::parse(&params.to_query()).unwrap(), params);
    }

    #[test]
    fn toggling_adds_and_removes_a_value_and_returns_to_page_one() {
        let params = SearchParams::parse("sector=trade&page=3").unwrap();
        let more = params.toggled("sector", "health");
        assert_eq!(more.to_query(), "sector=trade&sector=health");
        assert_eq!(more.toggled("sector", "trade").to_query(), "sector=health");
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (query, param) in [
            ("since=soon", "since"),
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("sort=best", "sort"),
            ("colour=red", "colour"),
            ("page=1&offset=3", "page"),
            ("by=planet", "by"),
        ] {
            assert_eq!(
                SearchParams::parse(query).map(|_| ()).unwrap_err().param,
                param
            );
        }
        for (query, param) in [("kind=poem", "kind"), ("decade=199", "decade")] {
            let params = SearchParams::parse(query).unwrap();
            assert_eq!(params.filter_args().unwrap_err().param, param);
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert_eq!(SearchParams::parse(&long).unwrap_err().param, "q");
    }

    #[test]
    fn decades_are_start_decades_apart_from_the_years_active() {
        let args = SearchParams::parse("decade=1990s&decade=2000s&since=1995")
            .unwrap()
            .filter_args()
            .unwrap();
        assert_eq!(args.decades, [1990, 2000]);
        assert_eq!((args.since, args.until), (Some(1995), None));
    }
}
