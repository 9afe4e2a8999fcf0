//! Keeps the index in step with `data/`: every read command goes through [`open_fresh`].

use std::time::Instant;

use crate::catalogue::{self, Paths};
use crate::error::Error;
use crate::index::{self, Manifest, Opened};

/// Whether to check the index against `data/` before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Rebuild first when the index is missing, damaged, of another schema or stale.
    Auto,
    /// Use the index as it is (`--no-refresh`); rebuild only when there is none usable.
    Skip,
}

/// An index ready to read, with the notes the user should see on stderr.
pub struct Fresh {
    pub opened: Opened,
    pub notes: Vec<String>,
}

/// Opens the index, rebuilding it from `data/` first when needed.
pub fn open_fresh(paths: &Paths, refresh: Refresh) -> Result<Fresh, Error> {
    let current = index::open(&paths.index);
    if refresh == Refresh::Skip
        && let Ok(opened) = current
    {
        return Ok(Fresh {
            opened,
            notes: vec![],
        });
    }
    let files = index::scan(paths)?;
    let reason = match &current {
        Ok(opened) if opened.manifest.files == files => {
            return Ok(Fresh {
                opened: current.ok().unwrap(),
                notes: vec![],
            });
        }
        Ok(_) => "data changed".to_string(),
        Err(unusable) => unusable.to_string(),
    };
    let old = current.ok();
    match rebuild_locked(paths, true) {
        Ok(built) => {
            let opened = index::open(&paths.index)
                .map_err(|u| Error::io(&paths.index, std::io::Error::other(u.to_string())))?;
            Ok(Fresh {
                opened,
                notes: vec![format!(
                    "index refreshed ({reason}): {} in {} ms",
                    crate::text::count(built.manifest.record_count, "record"),
                    built.millis
                )],
            })
        }
        Err(err) => match old {
            // Answer from the previous index rather than not at all, and say why.
            Some(opened) => Ok(Fresh {
                opened,
                notes: vec![format!(
                    "warning: the index is out of date and could not be refreshed, so these results come from the previous index:\n{err}\n  hint: fix the problem, then run `migdev rebuild`"
                )],
            }),
            None => Err(err),
        },
    }
}

/// What a rebuild did.
pub struct Built {
    pub manifest: Manifest,
    pub millis: u128,
}

/// Rebuilds the index from `data/`. With `wait`, waits for a running rebuild to finish
/// (and skips the work if that rebuild already covered the current data); without it,
/// a running rebuild is an error.
pub fn rebuild_locked(paths: &Paths, wait: bool) -> Result<Built, Error> {
    let started = Instant::now();
    let lock = index::lock(&paths.index, wait)?;
    let files = index::scan(paths)?;
    if wait
        && let Ok(opened) = index::open(&paths.index)
        && opened.manifest.files == files
    {
        return Ok(Built {
            manifest: opened.manifest,
            millis: started.elapsed().as_millis(),
        });
    }
    let catalogue = catalogue::load(paths)?.into_valid()?;
    let manifest = index::build(paths, &catalogue, files, &lock)?;
    Ok(Built {
        manifest,
        millis: started.elapsed().as_millis(),
    })
}
