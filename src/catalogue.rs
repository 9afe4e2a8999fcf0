//! Finding the catalogue on disk, reading its files and validating every record.

use std::convert::Infallible;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use toml::de::{DeTable, DeValue};

use crate::countries;
use crate::error::Error;
use crate::problem::Problem;
use crate::record::{self, RECORD_KEYS, Record, SOURCE_KEYS, SOURCES_KEY};
use crate::sectors::Sectors;
use crate::text;
use crate::validation::files::read_text;
use crate::validation::{Checker, TitleKey};

/// The vocabulary file, relative to the data folder.
pub const SECTORS_FILE: &str = "sectors.toml";
/// The folder of record files, relative to the data folder.
pub const RECORDS_DIR: &str = "programmes";
/// Record files end with this extension.
pub const RECORD_EXTENSION: &str = "toml";
/// The earliest year a record may give.
pub const FIRST_YEAR: i64 = 1900;

/// Where the catalogue's data and index live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data: PathBuf,
    pub index: PathBuf,
}

impl Paths {
    /// Resolves `--data`/`--index` (or their environment variables), else looks in `start`
    /// and its parents for the first folder holding `data/sectors.toml` or
    /// `data/programmes/`, as git finds its repository.
    pub fn locate(
        data: Option<PathBuf>,
        index: Option<PathBuf>,
        start: &Path,
    ) -> Result<Paths, Error> {
        let data = match data {
            Some(dir) => dir,
            None => start
                .ancestors()
                .map(|dir| dir.join("data"))
                // The records folder counts too, so a catalogue that lost its vocabulary
                // file is still found and validation can say what is missing.
                .find(|dir| dir.join(SECTORS_FILE).is_file() || dir.join(RECORDS_DIR).is_dir())
                .ok_or_else(|| Error::NoCatalogue {
                    start: start.to_path_buf(),
                })?,
        };
        let index = index.unwrap_or_else(|| {
            let absolute = if data.is_absolute() {
                data.clone()
            } else {
                start.join(&data)
            };
            absolute
                .parent()
                .map(|p| p.join("index"))
                .unwrap_or_else(|| PathBuf::from("index"))
        });
        Ok(Paths { data, index })
    }

    pub fn sectors_file(&self) -> PathBuf {
        self.data.join(SECTORS_FILE)
    }

    pub fn records_dir(&self) -> PathBuf {
        self.data.join(RECORDS_DIR)
    }

    /// The file a record with this id lives in.
    pub fn record_file(&self, id: &str) -> PathBuf {
        self.records_dir().join(format!("{id}.{RECORD_EXTENSION}"))
    }
}

/// A record together with the id and file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub path: PathBuf,
    pub record: Record,
}

/// The whole catalogue as read from disk.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub sectors: Sectors,
    /// Valid records, sorted by id (the catalogue order).
    pub entries: Vec<Entry>,
}

/// What reading the catalogue found: the records that are valid, and every problem.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub problems: Vec<Problem>,
    /// True when the problems leave nothing to index (a broken vocabulary, no record
    /// files), so not even a refresh that holds back broken files can run.
    pub blocks_refresh: bool,
}

impl Loaded {
    /// The catalogue, or every problem when there is any.
    pub fn into_valid(self) -> Result<Catalogue, Error> {
        if self.problems.is_empty() {
            Ok(self.catalogue)
        } else {
            Err(Error::Invalid(self.problems))
        }
    }
}

/// Reads and validates the vocabulary and every record file, in parallel. Problems do
/// not stop the reading: all of them are reported at once.
pub fn load(paths: &Paths) -> Result<Loaded, Error> {
    let mut checker = Checker::new();
    let sectors = checker.vocabulary(&paths.sectors_file());
    let records_dir = paths.records_dir();
    let files = list_record_files(&records_dir)?;
    checker.files(&records_dir, &files);
    let mut entries = load_each(
        &files,
        &sectors,
        checker.record_problems(),
        Ok::<_, Infallible>,
    )
    .unwrap_or_else(|never| match never {});
    let titles: Vec<TitleKey> = entries.iter().map(TitleKey::of).collect();
    checker.titles(&titles, |_| Ok(None))?;
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let blocks_refresh = checker.blocks();
    Ok(Loaded {
        catalogue: Catalogue { sectors, entries },
        problems: checker.into_problems(),
        blocks_refresh,
    })
}

/// Reads and checks `files` on every core, handing each valid record to `each` as soon as
/// it is read. Returns what `each` made of the valid records, in file order, and adds the
/// problems of the others; an error from `each` stops the reading.
pub fn load_each<T: Send, E: Send>(
    files: &[PathBuf],
    sectors: &Sectors,
    problems: &mut Vec<Problem>,
    each: impl Fn(Entry) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let year_limit = next_year();
    let outcomes: Vec<Result<T, Vec<Problem>>> = files
        .par_iter()
        .map(|file| match load_record(file, sectors, year_limit) {
            Ok(entry) => each(entry).map(Ok),
            Err(found) => Ok(Err(found)),
        })
        .collect::<Result<_, E>>()?;
    let mut made = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(item) => made.push(item),
            Err(mut found) => problems.append(&mut found),
        }
    }
    Ok(made)
}

/// Lists `*.toml` files in the records folder, sorted. Hidden files, editor backups and
/// other files are not records and are skipped.
pub fn list_record_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for item in read {
        let item = item.map_err(|e| Error::io(dir, e))?;
        let path = item.path();
        if is_record_file_name(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// A record file name ends in `.toml` and is not hidden (editor swap files are).
pub fn is_record_file_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.starts_with('.') && path.extension().is_some_and(|e| e == RECORD_EXTENSION)
}

/// The id of a record file: its stem.
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads and checks one record file.
pub fn load_record(path: &Path, sectors: &Sectors, year_limit: i64) -> Result<Entry, Vec<Problem>> {
    let id = id_of(path);
    let mut problems = Vec::new();
    if !record::is_valid_id(&id) {
        problems.push(Problem::file(
            path,
            format!("`{id}` is not a valid record id"),
            Some(format!(
                "rename the file in lowercase kebab-case, e.g. `{}.toml`",
                record::slugify(&id)
            )),
        ));
    }
    let text = read_text(path).map_err(|p| {
        problems.push(p);
        problems.clone()
    })?;
    let record = match parse_record(path, &text) {
        Ok(record) => record,
        Err(mut found) => {
            problems.append(&mut found);
            return Err(problems);
        }
    };
    check_record(path, &text, &record, sectors, year_limit, &mut problems);
    if problems.is_empty() {
        Ok(Entry {
            id,
            path: path.to_path_buf(),
            record,
        })
    } else {
        Err(problems)
    }
}

/// Parses a record, reporting syntax errors, every unknown key and type errors with positions.
pub fn parse_record(path: &Path, text: &str) -> Result<Record, Vec<Problem>> {
    let table = DeTable::parse(text).map_err(|err| {
        vec![Problem::at(
            path,
            text,
            err.span(),
            format!("invalid TOML: {}", err.message().trim()),
            Some("check quotes, brackets and `key = value` lines near this position".into()),
        )]
    })?;
    let unknown = unknown_keys(path, text, table.get_ref());
    if !unknown.is_empty() {
        return Err(unknown);
    }
    Record::deserialize_from(table).map_err(|err| {
        let message = err.message().trim();
        let (message, hint) = match message.split_once(record::EXPECTED_ONE_OF) {
            Some((message, valid)) => (message.to_string(), Some(format!("use one of: {valid}"))),
            None => (message.to_string(), type_hint(message)),
        };
        vec![Problem::at(path, text, err.span(), message, hint)]
    })
}

impl Record {
    fn deserialize_from(table: toml::Spanned<DeTable<'_>>) -> Result<Record, toml::de::Error> {
        serde::Deserialize::deserialize(toml::de::Deserializer::from(table))
    }
}

fn type_hint(message: &str) -> Option<String> {
    if message.contains("missing field") {
        Some("add the field; `migdev new` writes a template with every field".into())
    } else if message.contains("invalid type") {
        Some("text goes in quotes, lists in [ ], years are plain numbers".into())
    } else {
        None
    }
}

fn unknown_keys(path: &Path, text: &str, table: &DeTable<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |table: &DeTable<'_>, valid: &[&str], context: &str| {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !valid.contains(&name) {
                let hint = match text::closest(name, valid.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("valid {context} keys: {}", valid.join(", ")),
                };
                problems.push(Problem::at(
                    path,
                    text,
                    Some(key.span()),
                    format!("unknown key `{name}`"),
                    Some(hint),
                ));
            }
        }
    };
    check(table, RECORD_KEYS, "record");
    if let Some(sources) = find(table, SOURCES_KEY)
        && let DeValue::Array(items) = sources.get_ref()
    {
        for item in items {
            if let DeValue::Table(source) = item.get_ref() {
                check(source, SOURCE_KEYS, "source");
            }
        }
    }
    problems
}

fn find<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// Where in the file a semantic problem sits.
enum At<'a> {
    Key(&'a str),
    Item(&'a str, usize),
    SourceKey(usize, &'a str),
    Source(usize),
}

/// Finds the byte span of a value. Only called when a problem is found, so the
/// happy path parses each file once.
fn span_of(text: &str, at: &At<'_>) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let table = table.get_ref();
    let item = |key: &str, index: usize| match find(table, key)?.get_ref() {
        DeValue::Array(items) => items.get(index).map(|v| v.span()),
        _ => None,
    };
    match at {
        At::Key(key) => find(table, key).map(|v| v.span()),
        At::Item(key, index) => item(key, *index),
        At::Source(index) => item(SOURCES_KEY, *index),
        At::SourceKey(index, key) => match find(table, SOURCES_KEY)?.get_ref() {
            DeValue::Array(items) => match items.get(*index)?.get_ref() {
                DeValue::Table(source) => find(source, key).map(|v| v.span()),
                _ => None,
            },
            _ => None,
        },
    }
}

fn check_record(
    path: &Path,
    text: &str,
    record: &Record,
    sectors: &Sectors,
    year_limit: i64,
    problems: &mut Vec<Problem>,
) {
    let mut report = |at: At<'_>, message: String, hint: Option<String>| {
        problems.push(Problem::at(path, text, span_of(text, &at), message, hint));
    };
    if record.title.trim().is_empty() {
        report(
            At::Key("title"),
            "the title is empty".into(),
            Some("give the programme's own name".into()),
        );
    }
    if record.summary.trim().is_empty() {
        report(
            At::Key("summary"),
            "the summary is empty".into(),
            Some("write 1-3 sentences on what it is and where".into()),
        );
    }
    if record.sectors.is_empty() {
        report(
            At::Key("sectors"),
            "no sector given".into(),
            Some(format!(
                "list at least one of: {}",
                sectors.slugs().collect::<Vec<_>>().join(", ")
            )),
        );
    }
    for (i, slug) in record.sectors.iter().enumerate() {
        if sectors.list.is_empty() {
            break; // the vocabulary itself is broken and reported once
        }
        if sectors.get(slug).is_none() {
            let valid: Vec<&str> = sectors.slugs().collect();
            let hint = match text::closest(slug, valid.iter().copied()) {
                Some(close) => format!(
                    "did you mean `{close}`? valid sectors: {}",
                    valid.join(", ")
                ),
                None => format!("valid sectors: {}", valid.join(", ")),
            };
            report(
                At::Item("sectors", i),
                format!("unknown sector `{slug}`"),
                Some(hint),
            );
        } else if record.sectors[..i].contains(slug) {
            report(
                At::Item("sectors", i),
                format!("sector `{slug}` is listed twice"),
                None,
            );
        }
    }
    for (i, code) in record.countries.iter().enumerate() {
        if countries::by_code(code).is_none() {
            let hint = match countries::lookup(code).or_else(|| countries::closest(code)) {
                Some(c) => format!("did you mean `{}` ({})?", c.code, c.name),
                None => "use an ISO 3166-1 alpha-3 code in upper case, e.g. `MEX`".into(),
            };
            report(
                At::Item("countries", i),
                format!("unknown country code `{code}`"),
                Some(hint),
            );
        }
    }
    for (key, roles) in [
        ("origin", &record.origin),
        ("destination", &record.destination),
    ] {
        for (i, code) in roles.iter().enumerate() {
            if !record.countries.contains(code) {
                let hint = if countries::by_code(code).is_some() {
                    format!("add `{code}` to countries, or remove it from {key}")
                } else {
                    "use an ISO 3166-1 alpha-3 code that is listed in countries".into()
                };
                report(
                    At::Item(key, i),
                    format!("{key} `{code}` is not one of the record's countries"),
                    Some(hint),
                );
            } else if roles[..i].contains(code) {
                report(
                    At::Item(key, i),
                    format!("{key} `{code}` is listed twice"),
                    None,
                );
            }
        }
    }
    if record.countries.is_empty() && record.scope != Some(record::Scope::Global) {
        report(
            At::Key("countries"),
            "no country given".into(),
            Some("list the countries, or set scope = \"global\" for a worldwide programme".into()),
        );
    }
    for (key, year) in [
        ("start_year", record.start_year),
        ("end_year", record.end_year),
    ] {
        if let Some(year) = year
            && !(FIRST_YEAR..=year_limit).contains(&year)
        {
            report(
                At::Key(key),
                format!("{key} {year} is outside {FIRST_YEAR}..{year_limit}"),
                Some(
                    "give the four-digit year that a source confirms, or leave the field out"
                        .into(),
                ),
            );
        }
    }
    if let (Some(start), Some(end)) = (record.start_year, record.end_year)
        && end < start
    {
        report(
            At::Key("end_year"),
            format!("end_year {end} is before start_year {start}"),
            Some("swap the years or correct the one that is wrong".into()),
        );
    }
    for (i, objective) in record.gcm_objectives.iter().enumerate() {
        if !record::GCM_OBJECTIVES.contains(objective) {
            report(
                At::Item("gcm_objectives", i),
                format!("GCM objective {objective} does not exist"),
                Some("the Global Compact for Migration has objectives 1 to 23".into()),
            );
        }
    }
    if record.sources.is_empty() {
        report(
            At::Key(SOURCES_KEY),
            "no sources given".into(),
            Some(
                "add a [[sources]] table with title and publisher (and url, year where shown)"
                    .into(),
            ),
        );
    }
    for (i, source) in record.sources.iter().enumerate() {
        if source.title.trim().is_empty() {
            report(
                At::SourceKey(i, "title"),
                format!("source {} has no title", i + 1),
                Some("give the title as the source shows it".into()),
            );
        }
        if source.publisher.trim().is_empty() {
            report(
                At::SourceKey(i, "publisher"),
                format!("source {} has no publisher", i + 1),
                Some("name who published it".into()),
            );
        }
        for (key, address) in [("url", &source.url), ("via", &source.via)] {
            if let Some(address) = address
                && !is_web_address(address)
            {
                report(
                    At::SourceKey(i, key),
                    format!(
                        "source {} {key} `{address}` is not an http(s) address",
                        i + 1
                    ),
                    Some("give the full address, starting with https://".into()),
                );
            }
        }
        if let Some(year) = source.year
            && !(FIRST_YEAR..=year_limit).contains(&year)
        {
            report(
                At::Source(i),
                format!(
                    "source {} year {year} is outside {FIRST_YEAR}..{year_limit}",
                    i + 1
                ),
                None,
            );
        }
    }
}

/// True for an absolute http or https address.
pub fn is_web_address(address: &str) -> bool {
    url::Url::parse(address)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .unwrap_or(false)
}

/// The year after the current one: the latest year a record may give.
pub fn next_year() -> i64 {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    now[..4]
        .parse::<i64>()
        .expect("an RFC 3339 time starts with the year")
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_year_follows_the_clock() {
        let year = next_year();
        assert!((2026..10_000).contains(&year), "{year}");
    }

    #[test]
    fn record_file_names_skip_hidden_files_and_backups() {
        assert!(is_record_file_name(Path::new("data/programmes/a.toml")));
        assert!(!is_record_file_name(Path::new("data/programmes/a.toml~")));
        assert!(!is_record_file_name(Path::new(
            "data/programmes/.a.toml.swp"
        )));
        assert!(!is_record_file_name(Path::new("data/programmes/.a.toml")));
        assert!(!is_record_file_name(Path::new("data/programmes/README.md")));
    }

    #[test]
    fn web_addresses_need_a_scheme_and_host() {
        assert!(is_web_address("https://www.iom.int/x"));
        assert!(!is_web_address("www.iom.int"));
        assert!(!is_web_address("ftp://iom.int"));
    }
}
