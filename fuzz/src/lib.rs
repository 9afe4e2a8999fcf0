//! Fixtures for the fuzz targets in `fuzz_targets/`; the checks they run live in
//! [`checks`], which the test crate shares.
//!
//! Each target builds its fixture once per process and then only checks: any panic,
//! including a failed assertion, is a crash that libFuzzer saves under `artifacts/`.

pub mod checks;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, SystemTime};

use migdev::catalogue;
use migdev::sectors::Sectors;

use checks::QueryIndex;

/// The package's real data folder.
pub fn real_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

/// A scratch folder that lives as long as the fuzzing process (statics are never
/// dropped). Folders with the same prefix over an hour old, left by earlier runs, are
/// removed first so they do not pile up in the temporary folder.
pub fn scratch_dir(prefix: &str) -> PathBuf {
    let base = std::env::temp_dir();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for old in fs::read_dir(&base).into_iter().flatten().flatten() {
        let stale = old.file_name().to_string_lossy().starts_with(prefix)
            && old
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
        if stale {
            let _ = fs::remove_dir_all(old.path());
        }
    }
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(base)
        .expect("create a scratch folder")
        .keep()
}

/// What the record target needs: the real vocabulary and files to write inputs to.
pub struct RecordFixture {
    pub sectors: Sectors,
    pub year_limit: i64,
    /// `<scratch>/fuzz-record.toml`: a valid id, so only the contents are judged.
    pub file: PathBuf,
    /// `<scratch>/fuzz-special.toml`: made a FIFO, a folder or a link by [`Special`].
    pub special: PathBuf,
}

pub static RECORD: LazyLock<RecordFixture> = LazyLock::new(|| {
    let scratch = scratch_dir("migdev-fuzz-record-");
    RecordFixture {
        sectors: checks::load_sectors(&real_data()),
        year_limit: catalogue::next_year(),
        file: scratch.join("fuzz-record.toml"),
        special: scratch.join("fuzz-special.toml"),
    }
});

pub static QUERY: LazyLock<QueryIndex> = LazyLock::new(|| {
    QueryIndex::build(
        &real_data(),
        &scratch_dir("migdev-fuzz-query-"),
        checks::QUERY_RECORDS,
    )
});

/// What a name in `data/programmes/` can be besides a regular file. Each must come back
/// as a problem at once: the loader may never open a FIFO (the read would wait forever,
/// which libFuzzer reports as a timeout) or follow a link loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Fifo,
    Folder,
    LinkLoop,
    DanglingLink,
    LinkToFifo,
}

impl Special {
    /// The special file a one-byte input stands for: bytes 0xF0 to 0xF4 (seeds in
    /// `seeds/record/special-*`).
    pub fn from_input(data: &[u8]) -> Option<Special> {
        match data {
            [0xF0] => Some(Special::Fifo),
            [0xF1] => Some(Special::Folder),
            [0xF2] => Some(Special::LinkLoop),
            [0xF3] => Some(Special::DanglingLink),
            [0xF4] => Some(Special::LinkToFifo),
            _ => None,
        }
    }

    /// Replaces whatever is at `path` with this kind of file.
    pub fn make(self, path: &Path) {
        let _ = fs::remove_file(path);
        let _ = fs::remove_dir_all(path);
        let fifo = |at: &Path| {
            let _ = fs::remove_file(at);
            let made = std::process::Command::new("mkfifo")
                .arg(at)
                .status()
                .expect("run mkfifo");
            assert!(made.success(), "mkfifo {}", at.display());
        };
        match self {
            Special::Fifo => fifo(path),
            Special::Folder => fs::create_dir(path).expect("make a folder"),
            Special::LinkLoop => std::os::unix::fs::symlink(path, path).expect("make a link loop"),
            Special::DanglingLink => std::os::unix::fs::symlink(path.with_extension("gone"), path)
                .expect("make a dangling link"),
            Special::LinkToFifo => {
                let target = path.with_extension("fifo");
                fifo(&target);
                std::os::unix::fs::symlink(&target, path).expect("make a link to a FIFO");
            }
        }
    }
}
