//! What lives in an index folder, and which of it migdev owns.
//!
//! - `CURRENT` names the generation folder that readers open;
//! - `gen-*/` holds one complete index with its manifest and record stamps, and a
//!   [`MARKER_FILE`] written when migdev created it;
//! - `.lock` serialises rebuilds and refreshes;
//! - `.migdev-*` are temporary files of an atomic write in progress;
//! - `.gitignore` keeps the folder out of git, in a catalogue that is a repository.
//!
//! migdev removes only generation folders it made, and refuses to write into a folder
//! holding anything else: `--index ~/Documents` must never lose a file.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::Error;

pub const CURRENT_FILE: &str = "CURRENT";
pub const LOCK_FILE: &str = ".lock";
pub const MANIFEST_FILE: &str = "manifest.json";
/// The record stamps of the scan a generation was built from (see [`super::stamps`]).
pub const STAMPS_FILE: &str = "records.stamps";
pub const GENERATION_PREFIX: &str = "gen-";
/// Written first into every generation folder migdev creates: only folders carrying it
/// are ever removed.
pub const MARKER_FILE: &str = ".migdev-generation";
/// What the marker says, for a person who finds one.
pub const MARKER_TEXT: &str = "an index generation written by migdev; safe to delete\n";
/// A catalogue kept in git keeps its index out of it with this file in the folder.
const GITIGNORE_FILE: &str = ".gitignore";
/// A generation folder being made, before it is marked and renamed to `gen-*`.
pub const STAGING_PREFIX: &str = ".migdev-staging-";
/// The prefix of temporary files (see [`super::atomic`]) and staging folders.
const TEMP_PREFIX: &str = ".migdev-";

/// Makes sure the index folder exists and is a folder, and holds nothing but what
/// migdev may have put there (checked again, generations included, under the lock).
pub fn prepare(index_dir: &Path) -> Result<(), Error> {
    match fs::metadata(index_dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(Error::IndexNotAFolder(index_dir.to_path_buf())),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
        }
        Err(err) => return Err(Error::io(index_dir, err)),
    }
    check_owned(index_dir, Generations::ByName)
}

/// How closely [`check_owned`] looks at `gen-*` folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generations {
    /// Any `gen-*` folder passes: another migdev may be creating one right now.
    ByName,
    /// Only marked ones pass; for a caller holding the rebuild lock, when no other
    /// migdev can be half-way through creating one.
    Marked,
}

/// Refuses an index folder holding a file or folder that migdev did not make.
pub fn check_owned(index_dir: &Path, generations: Generations) -> Result<(), Error> {
    for item in fs::read_dir(index_dir).map_err(|e| Error::io(index_dir, e))? {
        let item = item.map_err(|e| Error::io(index_dir, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let owned = name == CURRENT_FILE
            || name == LOCK_FILE
            || name == GITIGNORE_FILE
            || name.starts_with(TEMP_PREFIX)
            || (name.starts_with(GENERATION_PREFIX)
                && (generations == Generations::ByName || is_own_generation(&item.path())));
        if !owned {
            return Err(Error::ForeignIndexFolder {
                dir: index_dir.to_path_buf(),
                found: name,
            });
        }
    }
    Ok(())
}

/// True for a generation folder migdev made: it carries the marker, or (written by a
/// migdev from before markers) both migdev's manifest and Tantivy's file list.
pub fn is_own_generation(dir: &Path) -> bool {
    dir.join(MARKER_FILE).is_file()
        || (dir.join(MANIFEST_FILE).is_file() && dir.join(".managed.json").is_file())
}

/// The name of the current generation, if any.
pub fn current_name(index_dir: &Path) -> Option<String> {
    let name = fs::read_to_string(index_dir.join(CURRENT_FILE)).ok()?;
    Some(name.trim().to_string())
}

/// True when `name` can only name a folder inside the index folder.
pub fn is_generation_name(name: &str) -> bool {
    name.starts_with(GENERATION_PREFIX) && !name.contains(['/', '\\'])
}

/// Removes a generation folder, but only one that migdev made.
pub fn remove_generation(dir: &Path) {
    if is_own_generation(dir) {
        let _ = fs::remove_dir_all(dir);
    }
}

/// Removes generation folders that CURRENT does not name: leftovers of killed rebuilds.
/// Only called under the rebuild lock, so no other writer is filling one of them.
pub fn remove_abandoned_generations(index_dir: &Path) {
    let current = current_name(index_dir).unwrap_or_default();
    let Ok(read) = fs::read_dir(index_dir) else {
        return;
    };
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with(GENERATION_PREFIX) && name != current {
            remove_generation(&item.path());
        } else if name.starts_with(STAGING_PREFIX) {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}
