//! The library's error type.

use std::path::PathBuf;

use crate::problem::Problem;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no catalogue found: looked for data/sectors.toml or data/programmes/ in {} and its parents\n  hint: run migdev inside a catalogue, or pass --data DIR (or set MIGDEV_DATA)",
        start.display()
    )]
    NoCatalogue { start: PathBuf },

    #[error("{}", render_problems(.0))]
    Invalid(Vec<Problem>),

    // The I/O error is part of the message, not a `source`: printed as a chain it
    // would appear twice.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    // Not a `source`: printed as a chain, Tantivy's text would appear twice.
    #[error("the index cannot be read or written: {}\n  hint: run `migdev rebuild` to build it again from data/", short(.0))]
    Index(tantivy::TantivyError),

    #[error("{0}\n  hint: run `migdev rebuild` to build it again from data/")]
    Unusable(Unusable),

    #[error("{} exists and is not a regular file\n  hint: give the path of a regular file, or of a new one", .0.display())]
    NotAFile(PathBuf),

    #[error("{}: the symbolic links lead in a loop\n  hint: point the link at a real file (`ls -l` shows where each link leads)", .0.display())]
    SymlinkLoop(PathBuf),

    #[error("the index folder {} is a file\n  hint: give --index (or MIGDEV_INDEX) a folder; it is created if missing", .0.display())]
    IndexNotAFolder(PathBuf),

    #[error("the index folder {} holds `{found}`, which migdev did not make\n  hint: migdev writes only into a folder of its own; give --index a new or empty folder, or move `{found}` away", dir.display())]
    ForeignIndexFolder { dir: PathBuf, found: String },

    #[error("another rebuild is in progress (lock held on {})\n  hint: wait for it to finish and run the command again", .0.display())]
    Busy(PathBuf),

    #[error("no index in {}\n  hint: run `migdev rebuild`", .0.display())]
    NoIndex(PathBuf),

    #[error("{message}\n  hint: {hint}")]
    Query { message: String, hint: String },

    #[error("no record with id `{id}`{}", suggestions(.closest))]
    UnknownId { id: String, closest: Vec<String> },

    #[error("{message}\n  hint: {hint}")]
    Argument { message: String, hint: String },
}

fn render_problems(problems: &[Problem]) -> String {
    let mut text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    text.push(format!(
        "{} found",
        crate::text::count(problems.len(), "problem")
    ));
    text.join("\n")
}

fn suggestions(closest: &[String]) -> String {
    if closest.is_empty() {
        "\n  hint: `migdev search` lists the ids".to_string()
    } else {
        format!("\n  hint: did you mean {}?", closest.join(", "))
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Error {
        Error::Index(error)
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            error: source,
        }
    }
}

/// Why an index cannot be used as it is. Defined here, beside [`Error`], so that the error
/// type depends on no other module of the crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    #[error("no index yet")]
    Missing,
    #[error("index was built by schema version {found}, this migdev uses {expected}")]
    OtherSchema { found: u32, expected: u32 },
    #[error("index is damaged ({0})")]
    Corrupt(String),
}

/// An error's text cut to a line's length: a damaged file's bytes can end up in it.
pub(crate) fn short(error: impl std::fmt::Display) -> String {
    const MAX: usize = 200;
    let text = error.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}
