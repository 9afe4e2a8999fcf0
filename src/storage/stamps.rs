//! The stale check: size and modification time of every data file, compared with what
//! the index was built from, without reading any file's contents.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalogue::{self, Paths};
use crate::error::Error;

/// Size and modification time of one data file, to notice edits without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub modified_ns: u128,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            modified_ns: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        }
    }

    /// The stamp of a file that cannot be read: never equal to a real one, so the
    /// file counts as changed and validation reports why it cannot be read.
    const UNREADABLE: Stamp = Stamp {
        size: u64::MAX,
        modified_ns: 0,
    };
}

/// The data files as they are now: the vocabulary and each record file by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// `data/sectors.toml`, or `None` when it is missing.
    pub vocabulary: Option<Stamp>,
    /// Record file names (not paths) with their stamps, sorted by name.
    pub records: Vec<(String, Stamp)>,
}

/// Lists and stats the data files. The stats run in parallel: on large catalogues they
/// are most of the cost of a search.
pub fn scan(paths: &Paths) -> Result<Scan, Error> {
    let vocabulary = fs::metadata(paths.sectors_file())
        .ok()
        .map(|m| Stamp::of(&m));
    let dir = paths.records_dir();
    let mut entries = Vec::new();
    for item in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
        let item = item.map_err(|e| Error::io(&dir, e))?;
        let name = item.file_name();
        if let Some(name) = name.to_str()
            && catalogue::is_record_file_name(Path::new(name))
        {
            entries.push((name.to_string(), item));
        }
    }
    // `DirEntry::metadata` stats relative to the open folder (fstatat), which skips
    // walking the whole path for each file: the bulk of the check's cost at 100k files.
    let mut records: Vec<(String, Stamp)> = entries
        .into_par_iter()
        .map(|(name, entry)| {
            // A symbolic link is stamped by its target, whose edits are what count.
            let meta = match entry.file_type() {
                Ok(kind) if kind.is_symlink() => fs::metadata(entry.path()),
                _ => entry.metadata(),
            };
            let stamp = meta.map(|m| Stamp::of(&m)).unwrap_or(Stamp::UNREADABLE);
            (name, stamp)
        })
        .collect();
    records.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(Scan {
        vocabulary,
        records,
    })
}

/// What changed between the scan an index was built from and the data now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub vocabulary: bool,
    /// Record file names that are new, edited or gone.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    pub fn between(built: &Scan, now: &Scan) -> Changes {
        let mut changes = Changes {
            vocabulary: built.vocabulary != now.vocabulary,
            ..Changes::default()
        };
        let (mut old, mut new) = (
            built.records.iter().peekable(),
            now.records.iter().peekable(),
        );
        loop {
            match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some((name, _)), None) => {
                    changes.removed.push(name.clone());
                    old.next();
                }
                (None, Some((name, _))) => {
                    changes.added.push(name.clone());
                    new.next();
                }
                (Some((a, sa)), Some((b, sb))) => match a.cmp(b) {
                    std::cmp::Ordering::Less => {
                        changes.removed.push(a.clone());
                        old.next();
                    }
                    std::cmp::Ordering::Greater => {
                        changes.added.push(b.clone());
                        new.next();
                    }
                    std::cmp::Ordering::Equal => {
                        if sa != sb {
                            changes.changed.push(a.clone());
                        }
                        old.next();
                        new.next();
                    }
                },
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        !self.vocabulary && self.record_files() == 0
    }

    /// How many record files were added, edited or removed.
    pub fn record_files(&self) -> usize {
        self.added.len() + self.changed.len() + self.removed.len()
    }

    /// "record files: 2 added, 1 changed", for notes.
    pub fn describe(&self) -> String {
        let counts: Vec<String> = [
            (self.added.len(), "added"),
            (self.changed.len(), "changed"),
            (self.removed.len(), "removed"),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect();
        let records = (!counts.is_empty()).then(|| format!("record files: {}", counts.join(", ")));
        let vocabulary = self.vocabulary.then(|| "sectors.toml changed".to_string());
        vocabulary
            .into_iter()
            .chain(records)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Writes the record stamps of a scan, one `size modified_ns name` line each. A plain
/// text format: at 100k records it loads several times faster than JSON.
pub fn write(path: &Path, scan: &Scan) -> Result<(), Error> {
    let mut text = Vec::with_capacity(scan.records.len() * 48);
    for (name, stamp) in &scan.records {
        writeln!(text, "{} {} {name}", stamp.size, stamp.modified_ns).expect("writing to memory");
    }
    super::atomic::write_durably(path, &text)
}

/// Reads record stamps written by [`write`]; `None` when the file is missing or damaged.
pub fn read(path: &Path) -> Option<Vec<(String, Stamp)>> {
    let text = fs::read_to_string(path).ok()?;
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let size = parts.next()?.parse().ok()?;
            let modified_ns = parts.next()?.parse().ok()?;
            let name = parts.next()?.to_string();
            Some((name, Stamp { size, modified_ns }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_of(records: &[(&str, u64)]) -> Scan {
        Scan {
            vocabulary: Some(Stamp {
                size: 1,
                modified_ns: 1,
            }),
            records: records
                .iter()
                .map(|(name, size)| {
                    (
                        name.to_string(),
                        Stamp {
                            size: *size,
                            modified_ns: 7,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn changes_name_added_changed_and_removed_files() {
        let built = scan_of(&[("a.toml", 1), ("b.toml", 2), ("d.toml", 4)]);
        let now = scan_of(&[("b.toml", 3), ("c.toml", 1), ("d.toml", 4), ("e.toml", 1)]);
        let changes = Changes::between(&built, &now);
        assert_eq!(changes.added, ["c.toml", "e.toml"]);
        assert_eq!(changes.changed, ["b.toml"]);
        assert_eq!(changes.removed, ["a.toml"]);
        assert!(!changes.vocabulary);
        assert!(Changes::between(&now, &now).is_empty());
    }

    #[test]
    fn stamps_survive_a_write_and_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stamps");
        let scan = scan_of(&[("a b.toml", 10), ("c.toml", 20)]);
        write(&path, &scan).unwrap();
        assert_eq!(read(&path), Some(scan.records));
        fs::write(&path, "12 x a.toml\n").unwrap();
        assert_eq!(read(&path), None);
    }
}
