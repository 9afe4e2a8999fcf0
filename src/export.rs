//! Records as rows and objects for CSV, JSON and JSON Lines: the export schema.

use std::io::Write;

use serde::Serialize;

use crate::catalogue::Entry;
use crate::countries;
use crate::error::Error;
use crate::record::Record;
use crate::search::{Hit, Snippet};
use crate::sectors::Sectors;

/// Multi-valued fields are joined with this in CSV cells.
pub const JOIN: &str = "; ";

/// Declares the export columns with their names, in README order.
macro_rules! columns {
    ($($variant:ident => $name:literal: $doc:literal),+ $(,)?) => {
        /// A field that CSV exports can hold.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Column { $(#[doc = $doc] $variant),+ }

        impl Column {
            pub const ALL: &'static [Column] = &[$(Column::$variant),+];

            pub fn name(self) -> &'static str {
                match self { $(Column::$variant => $name),+ }
            }

            pub fn doc(self) -> &'static str {
                match self { $(Column::$variant => $doc),+ }
            }
        }
    };
}

columns! {
    Id => "id": "record id (file name without .toml)",
    Title => "title": "programme name",
    Kind => "kind": "programme, policy, law, institution, agreement, fund, network or tool",
    Sectors => "sectors": "sector slugs, primary first",
    SectorLabels => "sector_labels": "sector names, primary first",
    Countries => "countries": "ISO 3166-1 alpha-3 codes",
    CountryNames => "country_names": "English country names",
    Regions => "regions": "UN M49 regions of the countries",
    Scope => "scope": "national, bilateral, regional or global",
    Organisations => "organisations": "implementing bodies and partners",
    StartYear => "start_year": "first year, where a source confirms it",
    EndYear => "end_year": "last year, where a source confirms it",
    Status => "status": "ongoing, ended or unknown",
    Summary => "summary": "1-3 sentences",
    Description => "description": "what it does and how",
    Results => "results": "documented results",
    Lessons => "lessons": "lessons learnt and criticisms",
    Keywords => "keywords": "search keywords",
    GcmObjectives => "gcm_objectives": "Global Compact for Migration objectives (1-23)",
    SourceTitles => "source_titles": "titles of the cited sources",
    SourceUrls => "source_urls": "addresses of the cited sources",
    Score => "score": "relevance score, when a query ranks",
    Snippet => "snippet": "best-matching text, when a query ranks",
}

/// Columns of a CSV export when `--fields` is not given.
pub const DEFAULT_COLUMNS: &[Column] = &[
    Column::Id,
    Column::Title,
    Column::Kind,
    Column::Sectors,
    Column::Countries,
    Column::Regions,
    Column::StartYear,
    Column::EndYear,
    Column::Status,
    Column::Summary,
    Column::SourceUrls,
];

impl Column {
    /// Parses a `--fields` list such as `id,title,countries`.
    pub fn parse_list(list: &str) -> Result<Vec<Column>, Error> {
        list.split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                Column::ALL
                    .iter()
                    .copied()
                    .find(|c| c.name() == name)
                    .ok_or_else(|| {
                        let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
                        Error::Argument {
                            message: format!("--fields: unknown field `{name}`"),
                            hint: match crate::text::closest(name, names.iter().copied()) {
                                Some(close) => {
                                    format!("did you mean `{close}`? fields: {}", names.join(","))
                                }
                                None => format!("fields: {}", names.join(",")),
                            },
                        }
                    })
            })
            .collect()
    }

    /// The cell text of this column for a hit.
    pub fn value(self, hit: &Hit, sectors: &Sectors) -> String {
        let r = &hit.entry.record;
        let join = |items: &[String]| items.join(JOIN);
        let year = |y: Option<i64>| y.map(|y| y.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        match self {
            Column::Id => hit.entry.id.clone(),
            Column::Title => r.title.clone(),
            Column::Kind => r.kind.to_string(),
            Column::Sectors => join(&r.sectors),
            Column::SectorLabels => sector_labels(r, sectors).join(JOIN),
            Column::Countries => join(&r.countries),
            Column::CountryNames => country_names(r).join(JOIN),
            Column::Regions => regions(r).join(JOIN),
            Column::Scope => r.scope.map(|s| s.to_string()).unwrap_or_default(),
            Column::Organisations => join(&r.organisations),
            Column::StartYear => year(r.start_year),
            Column::EndYear => year(r.end_year),
            Column::Status => r.status.map(|s| s.to_string()).unwrap_or_default(),
            Column::Summary => r.summary.clone(),
            Column::Description => text(&r.description),
            Column::Results => text(&r.results),
            Column::Lessons => text(&r.lessons),
            Column::Keywords => join(&r.keywords),
            Column::GcmObjectives => r
                .gcm_objectives
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(JOIN),
            Column::SourceTitles => r
                .sources
                .iter()
                .map(|s| s.title.as_str())
                .collect::<Vec<_>>()
                .join(JOIN),
            Column::SourceUrls => r
                .sources
                .iter()
                .filter_map(|s| s.url.as_deref())
                .collect::<Vec<_>>()
                .join(JOIN),
            Column::Score => hit.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
            Column::Snippet => hit
                .snippet
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
        }
    }

    /// Numbers and codes are not text a spreadsheet could mistake for a formula.
    fn is_text(self) -> bool {
        !matches!(
            self,
            Column::StartYear | Column::EndYear | Column::Score | Column::GcmObjectives
        )
    }
}

fn sector_labels(r: &Record, sectors: &Sectors) -> Vec<String> {
    r.sectors
        .iter()
        .map(|s| sectors.label(s).to_string())
        .collect()
}

fn country_names(r: &Record) -> Vec<String> {
    r.countries
        .iter()
        .map(|c| {
            countries::by_code(c)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| c.clone())
        })
        .collect()
}

/// The distinct M49 regions of a record's countries, in order of first appearance.
pub fn regions(r: &Record) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for code in &r.countries {
        if let Some(region) = countries::by_code(code).and_then(|c| c.region.clone())
            && !found.contains(&region)
        {
            found.push(region);
        }
    }
    found
}

/// Options of a CSV export.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Start with the UTF-8 byte-order mark Excel on Windows needs.
    pub bom: bool,
    /// End lines with CRLF, as RFC 4180 says.
    pub crlf: bool,
    /// Leave cells as they are instead of neutralising formula-like text.
    pub raw: bool,
}

/// Prefixes `'` to text that a spreadsheet would run as a formula (OWASP's advice).
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes hits as CSV with a header row.
pub fn write_csv<W: Write>(
    out: W,
    hits: &[Hit],
    columns: &[Column],
    sectors: &Sectors,
    options: CsvOptions,
) -> Result<(), std::io::Error> {
    let mut out = out;
    if options.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(if options.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    writer
        .write_record(columns.iter().map(|c| c.name()))
        .map_err(into_io)?;
    for hit in hits {
        let row = columns.iter().map(|&c| {
            let value = c.value(hit, sectors);
            if options.raw || !c.is_text() {
                value
            } else {
                neutralise(&value).into_owned()
            }
        });
        writer.write_record(row).map_err(into_io)?;
    }
    writer.flush()
}

fn into_io(err: csv::Error) -> std::io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// A whole record for JSON output: every field, derived names, and the ranking when a query ranks.
#[derive(Debug, Serialize)]
pub struct JsonRecord<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub record: &'a Record,
    pub sector_labels: Vec<String>,
    pub country_names: Vec<String>,
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<&'a Snippet>,
}

impl<'a> JsonRecord<'a> {
    pub fn new(hit: &'a Hit, sectors: &Sectors) -> JsonRecord<'a> {
        Self::of(&hit.entry, sectors, hit.score, hit.snippet.as_ref())
    }

    pub fn of(
        entry: &'a Entry,
        sectors: &Sectors,
        score: Option<f32>,
        snippet: Option<&'a Snippet>,
    ) -> JsonRecord<'a> {
        let r = &entry.record;
        JsonRecord {
            id: &entry.id,
            record: r,
            sector_labels: sector_labels(r, sectors),
            country_names: country_names(r),
            regions: regions(r),
            score,
            snippet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_get_a_quote() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("Plain"), "Plain");
    }

    #[test]
    fn field_lists_parse_and_reject_unknown_names() {
        assert_eq!(
            Column::parse_list("id, title").unwrap(),
            vec![Column::Id, Column::Title]
        );
        let err = Column::parse_list("id,titel").unwrap_err().to_string();
        assert!(err.contains("did you mean `title`"), "{err}");
    }
}
