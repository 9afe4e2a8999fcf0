//! Reading a data file as text, where every way it can fail is a problem with a hint.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use crate::error::Error;
use crate::problem::Problem;
use crate::storage::atomic;

/// Record files larger than this are refused: no real record comes close.
pub const MAX_RECORD_BYTES: u64 = 1024 * 1024;

/// Reads a data file as UTF-8 text. Only regular files (and links to them) are opened:
/// opening a FIFO would wait forever for a writer, and a device has no end.
pub fn read_text(path: &Path) -> Result<String, Problem> {
    let meta = fs::metadata(path).map_err(|err| cannot_read(path, &err))?;
    if meta.is_dir() {
        return Err(Problem::file(
            path,
            "is a folder, not a file",
            Some("rename or remove the folder; records are files".into()),
        ));
    }
    if !meta.is_file() {
        return Err(Problem::file(
            path,
            format!("is {}, not a regular file", special_kind(&meta)),
            Some("records are plain text files: remove it, or put the record's text in a file of that name".into()),
        ));
    }
    if meta.len() > MAX_RECORD_BYTES {
        return Err(Problem::file(
            path,
            format!("file is {} bytes, over the 1 MiB limit", meta.len()),
            Some("a record is a few kilobytes; move long texts out".into()),
        ));
    }
    let mut file = fs::File::open(path).map_err(|err| cannot_read(path, &err))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` stops a file that grew since it was measured at the limit all the same.
    file.by_ref()
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| cannot_read(path, &err))?;
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.into_bytes()[..offset]).into_owned();
        Problem::at(
            path,
            &text,
            Some(offset..offset),
            "the file is not valid UTF-8",
            Some("save the file as UTF-8".into()),
        )
    })
}

/// The problem of a file that cannot be opened or read, with the hint its cause needs.
fn cannot_read(path: &Path, err: &io::Error) -> Problem {
    if path.is_symlink() {
        match atomic::final_target(path) {
            Err(Error::SymlinkLoop(_)) => {
                return Problem::file(
                    path,
                    "cannot read: the symbolic links lead in a loop",
                    Some("point the link at a real record file (`ls -l` shows where each link leads)".into()),
                );
            }
            _ if err.kind() == io::ErrorKind::NotFound => {
                return Problem::file(
                    path,
                    format!("cannot read: {err}"),
                    Some("the file is a symbolic link whose target is missing".into()),
                );
            }
            _ => {}
        }
    }
    let hint = match err.kind() {
        io::ErrorKind::NotFound => None,
        io::ErrorKind::PermissionDenied => Some("check the file's permissions".to_string()),
        _ => Some("check that the file can be read (`cat` it)".to_string()),
    };
    Problem::file(path, format!("cannot read: {err}"), hint)
}

/// What a file that is neither a regular file nor a folder is, for the message.
fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = meta;
    "a special file"
}
