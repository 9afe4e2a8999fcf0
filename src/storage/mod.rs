//! Where the index lives on disk: generations, `CURRENT`, sealing, the rebuild lock and
//! durable writes.
//!
//! A rebuild, or an update of a few records in a hard-linked copy of the current
//! generation, writes a new generation and only then replaces `CURRENT` (write, fsync,
//! rename), so one that fails or is killed leaves the previous index in use. What the
//! folder holds is described in [`layout`].

pub mod atomic;
mod generation;
pub mod layout;
mod lock;
pub mod stamps;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::{Index, IndexReader, ReloadPolicy};

pub use crate::error::Unusable;
use crate::error::short;
use crate::index::{self, Fields};
use crate::problem::Problem;
use crate::sectors::Sectors;

pub use generation::Generation;
pub use lock::{RebuildLock, lock};
use stamps::{Changes, Scan, Stamp};

/// Bumped whenever the schema, the analyzer or the manifest change, so old indexes are rebuilt.
pub const SCHEMA_VERSION: u32 = 9;

/// What an index generation was built from, and how to tell it is whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    /// When the generation was written, in seconds since the Unix epoch.
    pub built_at: u64,
    pub record_count: usize,
    /// The sector vocabulary the index was built with, so readers need not parse data/.
    pub sectors: Sectors,
    /// The stamp of `data/sectors.toml` when it was read: a new vocabulary means a full
    /// rebuild. The record files' stamps are in a file of their own
    /// ([`layout::STAMPS_FILE`]), which only the stale check reads.
    pub vocabulary: Option<Stamp>,
    /// Record files with problems when the generation was built: the index holds their
    /// last good version (or nothing, for a file never valid), and every command warns
    /// about them until they are fixed.
    pub held: Vec<Held>,
    /// The size of every file of the generation. Checked on each open, so a deleted or
    /// truncated file is noticed before Tantivy trips over it.
    pub seal: BTreeMap<String, u64>,
}

/// A record file that the index does not hold as it stands, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// The file name in the records folder.
    pub file: String,
    pub problems: Vec<Problem>,
}

/// An opened index generation.
pub struct Opened {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub manifest: Manifest,
    pub dir: PathBuf,
}

impl Opened {
    /// What changed in `data/` since this generation was built; `None` when its record
    /// stamps cannot be read, which only a rebuild mends.
    pub fn changes_since(&self, now: &Scan) -> Option<Changes> {
        let records = stamps::read(&self.dir.join(layout::STAMPS_FILE))?;
        let built = Scan {
            vocabulary: self.manifest.vocabulary,
            records,
        };
        Some(Changes::between(&built, now))
    }
}

/// Opens the current generation, telling apart "missing", "other schema" and "damaged".
pub fn open(index_dir: &Path) -> Result<Opened, Unusable> {
    // A rebuild may swap generations (and remove the old one) between reading CURRENT
    // and opening the folder: read CURRENT again before calling the index damaged.
    let mut attempt = open_once(index_dir);
    for _ in 0..3 {
        match attempt {
            Err(Unusable::Corrupt(_)) => attempt = open_once(index_dir),
            _ => break,
        }
    }
    attempt
}

/// The part of a manifest every version has: read first, since a manifest of another
/// version may not parse as this one.
#[derive(Deserialize)]
struct Version {
    schema_version: u32,
}

fn open_once(index_dir: &Path) -> Result<Opened, Unusable> {
    let current = match fs::read_to_string(index_dir.join(layout::CURRENT_FILE)) {
        Ok(name) => name.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        // `--index` naming a file: there is no index in it, and the refresh says why.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Corrupt(format!("cannot read CURRENT: {e}"))),
    };
    if !layout::is_generation_name(&current) {
        return Err(Unusable::Corrupt(
            "CURRENT does not name a generation".into(),
        ));
    }
    let dir = index_dir.join(&current);
    let bytes = fs::read(dir.join(layout::MANIFEST_FILE))
        .map_err(|e| Unusable::Corrupt(format!("cannot read manifest: {e}")))?;
    let version: Version = serde_json::from_slice(&bytes)
        .map_err(|e| Unusable::Corrupt(format!("bad manifest: {e}")))?;
    if version.schema_version != SCHEMA_VERSION {
        return Err(Unusable::OtherSchema {
            found: version.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Unusable::Corrupt(format!("bad manifest: {e}")))?;
    generation::check_seal(&dir, &manifest.seal)?;
    let directory = PublishedDirectory::open(&dir).map_err(|e| Unusable::Corrupt(short(e)))?;
    let index = Index::open(directory).map_err(|e| Unusable::Corrupt(short(e)))?;
    let (expected, fields) = index::schema();
    if index.schema() != expected {
        return Err(Unusable::OtherSchema {
            found: manifest.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    index::register_analyzer(&index);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| Unusable::Corrupt(short(e)))?;
    Ok(Opened {
        index,
        reader,
        fields,
        manifest,
        dir,
    })
}

/// A published generation, opened for reading. It never changes, so readers need none
/// of Tantivy's file locks, which would need write access: this is what lets migdev
/// search an index on a read-only file system.
///
/// Stored-record files (`*.store`) are read with positioned reads instead of being mapped:
/// an export reads every record once, and mapped pages would stay in the process's
/// resident memory (some 75 MB at 100,000 records) until it exits.
#[derive(Debug, Clone)]
struct PublishedDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
}

impl PublishedDirectory {
    fn open(
        dir: &Path,
    ) -> Result<PublishedDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(PublishedDirectory {
            mapped: MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
        })
    }

    /// Opens a file for positioned reads.
    fn read_at(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let open = || -> std::io::Result<ReadAtFile> {
            let file = fs::File::open(self.root.join(path))?;
            let len = usize::try_from(file.metadata()?.len()).map_err(std::io::Error::other)?;
            Ok(ReadAtFile { file, len })
        };
        match open() {
            Ok(file) => Ok(Arc::new(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(OpenReadError::FileDoesNotExist(path.to_path_buf()))
            }
            Err(e) => Err(OpenReadError::wrap_io_error(e, path.to_path_buf())),
        }
    }
}

/// A file read with `pread`: each read copies just the bytes asked for.
#[derive(Debug)]
struct ReadAtFile {
    file: fs::File,
    len: usize,
}

impl tantivy::HasLen for ReadAtFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadAtFile {
    fn read_bytes(
        &self,
        range: std::ops::Range<usize>,
    ) -> std::io::Result<tantivy::directory::OwnedBytes> {
        let mut bytes = vec![0; range.len()];
        read_exact_at(&self.file, &mut bytes, range.start as u64)?;
        Ok(tantivy::directory::OwnedBytes::new(bytes))
    }
}

#[cfg(unix)]
fn read_exact_at(file: &fs::File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &fs::File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        match file.seek_read(bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

impl Directory for PublishedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if path.extension().is_some_and(|e| e == "store") {
            return self.read_at(path);
        }
        self.mapped.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mapped.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.mapped.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
}
