//! The rules about the catalogue as a whole, assembled once: `validate`, the full build
//! and the incremental update all check through [`Checker`], so a new rule reaches all
//! three.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::catalogue::Entry;
use crate::error::Error;
use crate::problem::Problem;
use crate::sectors::Sectors;
use crate::text;

/// What the check for unique titles needs of a record.
#[derive(Debug, Clone)]
pub struct TitleKey {
    /// The title folded (case, accents, spacing), so near-identical titles clash too.
    pub key: String,
    pub id: String,
    pub path: PathBuf,
}

impl TitleKey {
    pub fn of(entry: &Entry) -> TitleKey {
        TitleKey {
            key: title_key(&entry.record.title),
            id: entry.id.clone(),
            path: entry.path.clone(),
        }
    }
}

/// The form in which two titles count as the same.
pub fn title_key(title: &str) -> String {
    text::fold(title)
}

/// Collects every problem of the catalogue, in the order a reader expects them: the
/// vocabulary, the set of files, each record, then titles. Problems that leave nothing
/// to index (a broken vocabulary, no record files) are told apart from those of single
/// files, which a refresh can hold back while it indexes the rest.
#[derive(Debug, Default)]
pub struct Checker {
    problems: Vec<Problem>,
    blocking: bool,
}

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    /// Reads and checks the sector vocabulary.
    pub fn vocabulary(&mut self, path: &Path) -> Sectors {
        let before = self.problems.len();
        let sectors = super::vocabulary::load_sectors(path, &mut self.problems);
        self.blocking |= self.problems.len() > before;
        sectors
    }

    /// The record files as a set: there is at least one, and no two names differ only
    /// in case.
    pub fn files(&mut self, dir: &Path, files: &[PathBuf]) {
        self.any_files(dir, files);
        self.case_clashes(files);
    }

    /// There is at least one record file.
    pub fn any_files(&mut self, dir: &Path, files: &[PathBuf]) {
        if files.is_empty() {
            self.problems.push(no_records_problem(dir));
            self.blocking = true;
        }
    }

    /// No two file names differ only in case: case-insensitive file systems (macOS,
    /// Windows) would see one file, so the catalogue could not be checked out there.
    pub fn case_clashes(&mut self, files: &[PathBuf]) {
        let mut seen: HashMap<String, &Path> = HashMap::with_capacity(files.len());
        for file in files {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            if let Some(first) = seen.get(&name.to_lowercase()) {
                self.problems.push(Problem::file(
                    file,
                    format!(
                        "the file name differs only in case from `{}`",
                        first.file_name().unwrap_or_default().to_string_lossy()
                    ),
                    Some(
                        "case-insensitive file systems (macOS, Windows) see one file: merge the two records or rename one"
                            .into(),
                    ),
                ));
            } else {
                seen.insert(name.to_lowercase(), file);
            }
        }
    }

    /// Titles are unique. Among `titles` (in file order) the first record keeps its
    /// title and each later one is a problem; `elsewhere` names the record outside
    /// `titles` that already holds a title, if any (an update asks the index).
    pub fn titles(
        &mut self,
        titles: &[TitleKey],
        mut elsewhere: impl FnMut(&TitleKey) -> Result<Option<String>, Error>,
    ) -> Result<(), Error> {
        let mut seen: HashMap<&str, &TitleKey> = HashMap::with_capacity(titles.len());
        for title in titles {
            if let Some(first) = seen.get(title.key.as_str()) {
                self.problems.push(title_clash(&title.path, &first.id));
            } else if let Some(other) = elsewhere(title)? {
                self.problems.push(title_clash(&title.path, &other));
            } else {
                seen.insert(&title.key, title);
            }
        }
        Ok(())
    }

    /// Where the problems of single records go, between the checks of the file set and
    /// of titles (see [`crate::catalogue::load_each`]).
    pub fn record_problems(&mut self) -> &mut Vec<Problem> {
        &mut self.problems
    }

    /// True when nothing can be indexed: the vocabulary is broken or there are no records.
    pub fn blocks(&self) -> bool {
        self.blocking
    }

    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// The problem of a records folder with no record files.
fn no_records_problem(dir: &Path) -> Problem {
    Problem::file(
        dir,
        "no record files found",
        Some("add a record with `migdev new --title \"...\" --sector SLUG`".into()),
    )
}

/// The problem of a record whose title another record already uses.
fn title_clash(path: &Path, other_id: &str) -> Problem {
    Problem::file(
        path,
        format!("the title is also used by `{other_id}`"),
        Some("give each programme its own title, or merge the two records".into()),
    )
}
