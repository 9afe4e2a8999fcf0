//! Records as rows and objects for CSV, JSON and JSON Lines: the export schema.

use std::borrow::{Borrow, Cow};
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalogue::Entry;
use crate::countries;
use crate::error::Error;
use crate::record::{Record, Source, SourceKey, SourceKind};
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
    Origin => "origin": "countries of origin of the migrants concerned (ISO alpha-3)",
    Destination => "destination": "destination countries (ISO alpha-3)",
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
    Sources => "sources": "the cited sources: objects with every source key in JSON; `title (publisher, year) url` in CSV",
    Evidence => "evidence": "the kinds of the cited sources (official, evaluation, research, news, data)",
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

    /// The cell text of this column for a hit: multi-valued fields joined with [`JOIN`],
    /// missing values empty.
    pub fn value(self, hit: &Hit, sectors: &Sectors) -> String {
        let r = &hit.entry.record;
        let year = |y: Option<i64>| y.map(|y| y.to_string()).unwrap_or_default();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        match self {
            Column::Id => hit.entry.id.clone(),
            Column::Title => r.title.clone(),
            Column::Kind => r.kind.to_string(),
            Column::Scope => r.scope.map(|s| s.to_string()).unwrap_or_default(),
            Column::StartYear => year(r.start_year),
            Column::EndYear => year(r.end_year),
            Column::Status => r.status.map(|s| s.to_string()).unwrap_or_default(),
            Column::Summary => r.summary.clone(),
            Column::Description => text(&r.description),
            Column::Results => text(&r.results),
            Column::Lessons => text(&r.lessons),
            Column::Sources => r
                .sources
                .iter()
                .map(source_cell)
                .collect::<Vec<_>>()
                .join(JOIN),
            Column::Score => hit.score.map(|s| format!("{s:.4}")).unwrap_or_default(),
            Column::Snippet => hit
                .snippet
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
            _ => self.items(hit, sectors).unwrap_or_default().join(JOIN),
        }
    }

    /// The value of this column for a hit in JSON: lists as arrays, years and scores as
    /// numbers, sources and snippets as objects, and `null` for a missing value.
    pub fn json(self, hit: &Hit, sectors: &Sectors) -> Value {
        let r = &hit.entry.record;
        let optional = |v: Option<String>| v.map_or(Value::Null, Value::String);
        match self {
            Column::Scope => optional(r.scope.map(|s| s.to_string())),
            Column::Status => optional(r.status.map(|s| s.to_string())),
            Column::StartYear => r.start_year.into(),
            Column::EndYear => r.end_year.into(),
            Column::Description => optional(r.description.clone()),
            Column::Results => optional(r.results.clone()),
            Column::Lessons => optional(r.lessons.clone()),
            Column::GcmObjectives => r.gcm_objectives.clone().into(),
            Column::Sources => r.sources.iter().map(source_object).collect(),
            // Through its shortest decimal text, so JSON shows 20.547626, not the f64 digits
            // of an f32 (20.547626495361328).
            Column::Score => hit.score.map_or(Value::Null, |s| {
                s.to_string()
                    .parse::<f64>()
                    .map_or(Value::Null, Value::from)
            }),
            Column::Snippet => hit.snippet.as_ref().map_or(Value::Null, |s| {
                serde_json::to_value(s).unwrap_or(Value::Null)
            }),
            _ => match self.items(hit, sectors) {
                Some(items) => items.into(),
                None => self.value(hit, sectors).into(),
            },
        }
    }

    /// The values of a multi-valued column; `None` for a single-valued one.
    fn items(self, hit: &Hit, sectors: &Sectors) -> Option<Vec<String>> {
        let r = &hit.entry.record;
        Some(match self {
            Column::Sectors => r.sectors.clone(),
            Column::SectorLabels => sector_labels(r, sectors),
            Column::Countries => r.countries.clone(),
            Column::Origin => r.origin.clone(),
            Column::Destination => r.destination.clone(),
            Column::Evidence => SourceKind::ALL
                .iter()
                .filter(|kind| r.sources.iter().any(|s| s.kind == **kind))
                .map(|kind| kind.to_string())
                .collect(),
            Column::CountryNames => country_names(r),
            Column::Regions => regions(r),
            Column::Organisations => r.organisations.clone(),
            Column::Keywords => r.keywords.clone(),
            Column::GcmObjectives => r.gcm_objectives.iter().map(i64::to_string).collect(),
            Column::SourceTitles => r.sources.iter().map(|s| s.title.clone()).collect(),
            Column::SourceUrls => r.sources.iter().filter_map(|s| s.url.clone()).collect(),
            _ => return None,
        })
    }

    /// Numbers and codes are not text a spreadsheet could mistake for a formula.
    fn is_text(self) -> bool {
        !matches!(
            self,
            Column::StartYear | Column::EndYear | Column::Score | Column::GcmObjectives
        )
    }
}

/// A source as one CSV cell: `title (publisher, year) url`.
fn source_cell(source: &Source) -> String {
    let mut cell = format!("{} ({}", source.title, source.publisher);
    if let Some(year) = source.year {
        cell.push_str(&format!(", {year}"));
    }
    cell.push(')');
    if let Some(url) = &source.url {
        cell.push(' ');
        cell.push_str(url);
    }
    cell
}

/// A source as a JSON object with every key of the schema, `null` where the record has
/// no value, so all source objects have the same keys.
fn source_object(source: &Source) -> Value {
    let mut given = match serde_json::to_value(source) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    SourceKey::ALL
        .iter()
        .map(|key| {
            let key = key.as_str();
            (key.to_string(), given.remove(key).unwrap_or(Value::Null))
        })
        .collect::<Map<_, _>>()
        .into()
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
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    Csv(CsvOptions),
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Why an export stopped: a record could not be read, or the output could not be written.
/// Kept apart so that a closed pipe (a write error) can end the export quietly.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Read(#[from] Error),
    #[error("cannot write the export")]
    Write(#[source] io::Error),
}

/// Writes hits as they come, each to the output before the next is read, so an export of
/// any size holds one record at a time. `columns` are the CSV columns or the keys of each
/// JSON object, in order. Returns how many records were written.
pub fn write<W, H>(
    out: W,
    format: Format,
    columns: &[Column],
    sectors: &Sectors,
    hits: impl IntoIterator<Item = Result<H, Error>>,
) -> Result<usize, ExportError>
where
    W: Write,
    H: Borrow<Hit>,
{
    let mut out = io::BufWriter::new(out);
    let written = match format {
        Format::Csv(options) => write_csv_rows(&mut out, options, columns, sectors, hits)?,
        Format::Json => write_json_array(&mut out, columns, sectors, hits)?,
        Format::Jsonl => {
            let mut written = 0;
            for hit in hits {
                let hit = hit?;
                let object = JsonRecord::with(hit.borrow(), columns, sectors);
                serde_json::to_writer(&mut out, &object)
                    .map_err(|e| ExportError::Write(e.into()))?;
                out.write_all(b"\n").map_err(ExportError::Write)?;
                written += 1;
            }
            written
        }
    };
    out.flush().map_err(ExportError::Write)?;
    Ok(written)
}

fn write_csv_rows<W: Write, H: Borrow<Hit>>(
    out: &mut W,
    options: CsvOptions,
    columns: &[Column],
    sectors: &Sectors,
    hits: impl IntoIterator<Item = Result<H, Error>>,
) -> Result<usize, ExportError> {
    if options.bom {
        out.write_all("\u{feff}".as_bytes())
            .map_err(ExportError::Write)?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(if options.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out);
    let failed = |e: csv::Error| ExportError::Write(into_io(e));
    writer
        .write_record(columns.iter().map(|c| c.name()))
        .map_err(failed)?;
    let mut written = 0;
    for hit in hits {
        let hit = hit?;
        let row = columns.iter().map(|&c| {
            let value = c.value(hit.borrow(), sectors);
            if options.raw || !c.is_text() {
                value
            } else {
                neutralise(&value).into_owned()
            }
        });
        writer.write_record(row).map_err(failed)?;
        written += 1;
    }
    writer.flush().map_err(ExportError::Write)?;
    Ok(written)
}

/// The same text as `serde_json::to_writer_pretty` of a `Vec`, one element at a time.
fn write_json_array<W: Write, H: Borrow<Hit>>(
    out: &mut W,
    columns: &[Column],
    sectors: &Sectors,
    hits: impl IntoIterator<Item = Result<H, Error>>,
) -> Result<usize, ExportError> {
    use serde::ser::{SerializeSeq, Serializer as _};
    let failed = |e: serde_json::Error| ExportError::Write(e.into());
    let mut serializer = serde_json::Serializer::pretty(&mut *out);
    let mut array = serializer.serialize_seq(None).map_err(failed)?;
    let mut written = 0;
    for hit in hits {
        let hit = hit?;
        array
            .serialize_element(&JsonRecord::with(hit.borrow(), columns, sectors))
            .map_err(failed)?;
        written += 1;
    }
    array.end().map_err(failed)?;
    out.write_all(b"\n").map_err(ExportError::Write)?;
    Ok(written)
}

/// Writes hits as CSV with a header row.
pub fn write_csv<W: Write>(
    out: W,
    hits: &[Hit],
    columns: &[Column],
    sectors: &Sectors,
    options: CsvOptions,
) -> Result<(), io::Error> {
    match write(
        out,
        Format::Csv(options),
        columns,
        sectors,
        hits.iter().map(Ok),
    ) {
        Ok(_) => Ok(()),
        Err(ExportError::Write(e)) => Err(e),
        Err(ExportError::Read(e)) => Err(io::Error::other(e)),
    }
}

fn into_io(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The keys of a JSON record when `--fields` does not choose them: every record field, then
/// the derived names.
pub const JSON_COLUMNS: &[Column] = &[
    Column::Id,
    Column::Title,
    Column::Kind,
    Column::Sectors,
    Column::Countries,
    Column::Origin,
    Column::Destination,
    Column::Scope,
    Column::Organisations,
    Column::StartYear,
    Column::EndYear,
    Column::Status,
    Column::Summary,
    Column::Description,
    Column::Results,
    Column::Lessons,
    Column::Keywords,
    Column::GcmObjectives,
    Column::Sources,
    Column::SectorLabels,
    Column::CountryNames,
    Column::Regions,
    Column::Evidence,
];

/// The keys of a JSON record without `--fields`: [`JSON_COLUMNS`], and the ranking when the
/// query ranks.
pub fn json_columns(ranked: bool) -> Vec<Column> {
    let mut columns = JSON_COLUMNS.to_vec();
    if ranked {
        columns.extend([Column::Score, Column::Snippet]);
    }
    columns
}

/// A record as one JSON object: exactly the given keys, in order, `null` for missing values,
/// so every object of an export has the same keys.
pub struct JsonRecord {
    fields: Vec<(&'static str, Value)>,
}

impl JsonRecord {
    /// The whole record, with score and snippet (either may be `null`) when it was ranked.
    pub fn new(hit: &Hit, sectors: &Sectors) -> JsonRecord {
        let ranked = hit.score.is_some() || hit.snippet.is_some();
        Self::with(hit, &json_columns(ranked), sectors)
    }

    /// The whole record of an entry, with its ranking when it has one.
    pub fn of(
        entry: &Entry,
        sectors: &Sectors,
        score: Option<f32>,
        snippet: Option<&Snippet>,
    ) -> JsonRecord {
        let hit = Hit {
            entry: entry.clone(),
            score,
            snippet: snippet.cloned(),
            explain: None,
        };
        Self::new(&hit, sectors)
    }

    /// The record with these keys only.
    pub fn with(hit: &Hit, columns: &[Column], sectors: &Sectors) -> JsonRecord {
        JsonRecord {
            fields: columns
                .iter()
                .map(|&column| (column.name(), column.json(hit, sectors)))
                .collect(),
        }
    }
}

impl Serialize for JsonRecord {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
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
    fn whole_json_records_have_a_key_for_every_record_field() {
        let keys: Vec<&str> = JSON_COLUMNS.iter().map(|c| c.name()).collect();
        for key in crate::record::Key::names() {
            assert!(
                keys.contains(&key),
                "JSON exports lack the record field `{key}`"
            );
        }
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
