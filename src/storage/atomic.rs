//! Replacing a file so that nobody ever sees half of it: the one way migdev writes a file
//! that a reader may open at any moment (index manifests, `CURRENT`, record stamps,
//! `export --output`).
//!
//! The new contents go to a temporary file in the destination's own folder (a rename
//! across file systems is not atomic), are synced, and renamed over the destination; the
//! folder is synced too, so a crash leaves the old contents or the new, never a mix.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Links followed before a chain of symbolic links counts as a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Writes `path` atomically with whatever `write` puts out.
///
/// - An existing file keeps its permission mode; a new one gets the mode any new file
///   gets (0666 less the umask), not tempfile's owner-only default.
/// - A symbolic link is written through: its final target gets the new contents and the
///   link stays a link (a curator's `report.csv -> shared/report.csv` keeps working).
/// - A destination that exists and is not a regular file (a folder, a FIFO, a device)
///   is refused with [`Error::NotAFile`].
/// - When `write` fails, or anything before the rename does, the destination is left as
///   it was and the temporary file is removed.
pub fn write_atomically<T, E>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<Error>,
{
    let target = final_target(path)?;
    let existing = match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta.permissions()),
        Ok(_) => return Err(Error::NotAFile(path.to_path_buf()).into()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err(Error::io(&target, err).into()),
    };
    let dir = folder_of(&target);
    let mut temp = temp_file_in(dir).map_err(|err| Error::io(dir, err))?;
    if let Some(permissions) = existing {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(|err| Error::io(temp.path(), err))?;
    }
    let made = {
        let mut buffered = BufWriter::new(temp.as_file_mut());
        let made = write(&mut buffered)?;
        buffered.flush().map_err(|err| Error::io(&target, err))?;
        made
    };
    temp.as_file()
        .sync_all()
        .map_err(|err| Error::io(&target, err))?;
    temp.persist(&target)
        .map_err(|err| Error::io(&target, err.error))?;
    sync_folder(dir);
    Ok(made)
}

/// [`write_atomically`] for contents already in memory.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomically(path, |out| {
        out.write_all(bytes).map_err(|err| Error::io(path, err))
    })
}

/// The file a path finally names after following symbolic links (the path itself when
/// it is no link, or names nothing yet). A chain that never ends is [`Error::SymlinkLoop`].
pub fn final_target(path: &Path) -> Result<PathBuf, Error> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current).map_err(|err| Error::io(&current, err))?;
                // A relative target is relative to the link's folder; `join` keeps an
                // absolute one as it is.
                current = folder_of(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(Error::SymlinkLoop(path.to_path_buf()))
}

/// A temporary file to be renamed into place, readable as any new file would be:
/// tempfile's own default (owner only) would hide the index, or an export, from the
/// other users of a shared catalogue.
fn temp_file_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".migdev-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// The folder a file lives in; `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Syncs a folder so a rename in it survives a crash. Best effort: not every file system
/// lets a folder be synced, and the rename itself has already happened.
pub fn sync_folder(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(path: &Path, text: &str) -> Result<(), Error> {
        write_durably(path, text.as_bytes())
    }

    #[test]
    fn a_new_file_gets_the_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_text(&path, "a,b\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "a,b\n");
    }

    #[test]
    fn a_failing_writer_leaves_the_destination_untouched_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        let result: Result<(), Error> = write_atomically(&path, |out| {
            out.write_all(b"half").map_err(|e| Error::io("x", e))?;
            Err(Error::io("x", io::Error::other("the writer failed")))
        });
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_file_keeps_its_permission_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_text(&path, "new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("shared")).unwrap();
        let target = dir.path().join("shared/report.csv");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("report.csv");
        std::os::unix::fs::symlink("shared/report.csv", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_named_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::os::unix::fs::symlink("b", &a).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(matches!(write_text(&a, "x"), Err(Error::SymlinkLoop(_))));
    }

    #[test]
    fn a_folder_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let result = write_text(dir.path(), "x");
        assert!(matches!(result, Err(Error::NotAFile(_))), "{result:?}");
        assert!(dir.path().is_dir());
    }
}
