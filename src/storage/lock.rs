//! The rebuild lock: one writer of generations at a time.

use std::fs::{self, File};
use std::path::Path;

use crate::error::Error;

use super::layout;

/// Held for the whole of a rebuild or refresh; released when dropped.
pub struct RebuildLock {
    _file: File,
}

/// Takes the rebuild lock. `wait` blocks until a running rebuild ends; otherwise a held
/// lock is reported as [`Error::Busy`]. Also tells whether another process held it.
///
/// Refuses an index folder that holds anything migdev did not put there (see
/// [`layout::check_owned`]): other files before writing anything in it, unmarked
/// generation folders once the lock is held.
pub fn lock(index_dir: &Path, wait: bool) -> Result<(RebuildLock, bool), Error> {
    layout::prepare(index_dir)?;
    let path = index_dir.join(layout::LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    let waited = match file.try_lock() {
        Ok(()) => false,
        Err(fs::TryLockError::WouldBlock) if wait => {
            file.lock().map_err(|e| Error::io(&path, e))?;
            true
        }
        Err(fs::TryLockError::WouldBlock) => return Err(Error::Busy(path)),
        Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
    };
    let lock = RebuildLock { _file: file };
    layout::check_owned(index_dir, layout::Generations::Marked)?;
    Ok((lock, waited))
}
