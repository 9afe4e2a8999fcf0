//! Finding the catalogue on disk and loading its record files, each checked by
//! [`crate::validation`] as it is read.

use std::convert::Infallible;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;
use crate::problem::Problem;
use crate::record::{self, Record};
use crate::sectors::Sectors;
use crate::validation::files::read_text;
use crate::validation::rules::{Context, check_record};
use crate::validation::{Checker, TitleKey, parse_record};

/// The vocabulary file, relative to the data folder.
pub const SECTORS_FILE: &str = "sectors.toml";
/// The folder of record files, relative to the data folder.
pub const RECORDS_DIR: &str = "programmes";
/// Record files end with this extension.
pub const RECORD_EXTENSION: &str = "toml";

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
    let context = Context {
        sectors,
        year_limit,
    };
    check_record(path, &text, &record, &context, &mut problems);
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
}
