//! Keeps the index in step with `data/`: every read command goes through [`open_fresh`].

use std::time::Instant;

use crate::build::{self, Observer, OnProblems};
use crate::catalogue::Paths;
use crate::error::Error;
use crate::note::Note;
use crate::storage::stamps::{self, Changes, Scan};
use crate::storage::{self, Manifest, Opened};

/// Whether to check the index against `data/` before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Refresh first when the index is missing, damaged, of another schema or stale.
    Auto,
    /// Use the index as it is (`--no-refresh`); rebuild only when there is none usable.
    Skip,
}

/// An index ready to read, with the notes the user should see on stderr.
pub struct Fresh {
    pub opened: Opened,
    pub notes: Vec<Note>,
}

/// Opens the index, bringing it up to date with `data/` first when needed. Record
/// files with problems never stop the refresh: the index keeps their last good version
/// and every command warns about them (see [`held_warnings`]) until they are fixed.
pub fn open_fresh(
    paths: &Paths,
    refresh: Refresh,
    observer: &dyn Observer,
) -> Result<Fresh, Error> {
    let mut fresh = open_refreshed(paths, refresh, observer)?;
    fresh.notes.extend(held_warnings(&fresh.opened.manifest));
    Ok(fresh)
}

/// The warnings about record files the index holds back, each problem at its
/// `path:line:col`, then what that means for the results.
pub fn held_warnings(manifest: &Manifest) -> Vec<Note> {
    if manifest.held.is_empty() {
        return Vec::new();
    }
    let mut notes: Vec<Note> = manifest
        .held
        .iter()
        .flat_map(|held| &held.problems)
        .map(|problem| Note::warning(problem.to_string()))
        .collect();
    notes.push(Note::warning(format!(
        "{} with problems: the index keeps the last valid version of each (nothing for a file never valid) until it is fixed; `migdev validate` checks",
        crate::text::count(manifest.held.len(), "record file")
    )));
    notes
}

fn open_refreshed(
    paths: &Paths,
    refresh: Refresh,
    observer: &dyn Observer,
) -> Result<Fresh, Error> {
    let mut current = storage::open(&paths.index);
    if refresh == Refresh::Skip
        && let Ok(opened) = current
    {
        return Ok(Fresh {
            opened,
            notes: vec![],
        });
    }
    let scan = stamps::scan(paths)?;
    let mut changes = current.as_ref().ok().map(|o| o.changes_since(&scan));
    if let Some(None) = changes {
        // A rebuild may have replaced, and removed, the generation just opened before its
        // stamps were read: open the current one again before calling them unreadable.
        current = storage::open(&paths.index);
        changes = current.as_ref().ok().map(|o| o.changes_since(&scan));
    }
    let reason = match (&current, changes) {
        (Ok(_), Some(Some(changes))) if changes.is_empty() => None,
        (Ok(_), Some(Some(changes))) => Some(changes.describe()),
        (Ok(_), _) => Some("its record stamps are unreadable".to_string()),
        (Err(unusable), _) => Some(unusable.to_string()),
    };
    let old = current.ok();
    let Some(reason) = reason else {
        return Ok(Fresh {
            opened: old.expect("an index without changes is open"),
            notes: vec![],
        });
    };
    match refresh_locked(paths, scan, observer) {
        Ok(refreshed) => {
            let opened = storage::open(&paths.index).map_err(Error::Unusable)?;
            Ok(Fresh {
                opened,
                notes: vec![Note::info(format!(
                    "index {} ({reason}): {} in {} ms",
                    refreshed.how.verb(),
                    crate::text::count(refreshed.manifest.record_count, "record"),
                    refreshed.millis
                ))],
            })
        }
        Err(err) => match old {
            // Answer from the previous index rather than not at all, and say why.
            Some(opened) => Ok(Fresh {
                opened,
                notes: vec![Note::warning(format!(
                    "the index is out of date and could not be refreshed, so these results come from the previous index:\n{err}\n  hint: {}",
                    rebuild_hint(&err)
                ))],
            }),
            None => Err(err),
        },
    }
}

/// What to tell a user whose refresh failed.
fn rebuild_hint(err: &Error) -> &'static str {
    match err {
        Error::Io { error, .. }
            if matches!(
                error.kind(),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            "the index folder cannot be written; run `migdev rebuild` where it can (or pass --index DIR for a writable folder)"
        }
        _ => "fix the problem, then run `migdev rebuild`",
    }
}

/// How the index was brought up to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Every record was indexed anew.
    Full,
    /// Only these record files were re-indexed.
    Incremental(Changes),
    /// Another process had already refreshed it.
    AlreadyCurrent,
}

impl How {
    /// What happened to the index, for the note on stderr.
    fn verb(&self) -> &'static str {
        match self {
            How::Full => "rebuilt",
            How::Incremental(_) => "updated",
            How::AlreadyCurrent => "refreshed by another migdev",
        }
    }
}

/// What a rebuild or refresh did.
pub struct Built {
    pub manifest: Manifest,
    pub how: How,
    pub millis: u128,
}

/// Above this share of changed record files, a full build is quicker than an update.
const INCREMENTAL_MAX_SHARE: f64 = 0.25;

/// Brings the index up to date under the rebuild lock, waiting for a running rebuild
/// first. Re-indexes only the changed files when it can, else builds afresh.
pub fn refresh_locked(paths: &Paths, scan: Scan, observer: &dyn Observer) -> Result<Built, Error> {
    let started = Instant::now();
    let (lock, waited) = storage::lock(&paths.index, true)?;
    // Whoever held the lock may have refreshed already, from a newer view of data/.
    let scan = if waited { stamps::scan(paths)? } else { scan };
    let current = storage::open(&paths.index).ok();
    let changes = current.as_ref().and_then(|c| c.changes_since(&scan));
    let (manifest, how) = match (&current, changes) {
        (Some(opened), Some(changes)) if changes.is_empty() => {
            (opened.manifest.clone(), How::AlreadyCurrent)
        }
        (Some(opened), Some(changes))
            if !changes.vocabulary
                && (changes.record_files() as f64)
                    <= INCREMENTAL_MAX_SHARE * scan.records.len().max(1) as f64 =>
        {
            let manifest = build::incremental(paths, opened, &scan, &changes, &lock, observer)?;
            (manifest, How::Incremental(changes))
        }
        (previous, _) => {
            let manifest = build::full(
                paths,
                &scan,
                &lock,
                observer,
                OnProblems::Hold,
                previous.as_ref(),
            )?;
            (manifest, How::Full)
        }
    };
    Ok(Built {
        manifest,
        how,
        millis: started.elapsed().as_millis(),
    })
}

/// Rebuilds the whole index from `data/` (`migdev rebuild`). A rebuild already running
/// is an error ([`Error::Busy`]) rather than a wait.
pub fn rebuild(paths: &Paths, observer: &dyn Observer) -> Result<Built, Error> {
    let started = Instant::now();
    let (lock, _) = storage::lock(&paths.index, false)?;
    let scan = stamps::scan(paths)?;
    let manifest = build::full(paths, &scan, &lock, observer, OnProblems::Refuse, None)?;
    Ok(Built {
        manifest,
        how: How::Full,
        millis: started.elapsed().as_millis(),
    })
}
