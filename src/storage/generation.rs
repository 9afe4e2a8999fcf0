//! Writing a generation: a new folder filled by a build, sealed (the size of every file
//! recorded in its manifest) and published by naming it in `CURRENT`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Error;

use super::atomic::{self, write_durably};
use super::layout::{self, CURRENT_FILE, GENERATION_PREFIX, MANIFEST_FILE, STAMPS_FILE};
use super::lock::RebuildLock;
use super::stamps::{self, Scan};
use super::{Manifest, Unusable};

/// A generation folder being written. Readers never see it until [`Generation::publish`]
/// names it in CURRENT; dropped unpublished (an error), it is removed.
pub struct Generation {
    name: String,
    pub dir: PathBuf,
    published: bool,
}

impl Generation {
    /// A new empty generation folder, marked as migdev's. Needs the rebuild lock.
    pub fn create(index_dir: &Path, _lock: &RebuildLock) -> Result<Generation, Error> {
        layout::remove_abandoned_generations(index_dir);
        let name = format!(
            "{GENERATION_PREFIX}{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
            std::process::id()
        );
        let dir = index_dir.join(&name);
        // Made under a staging name and renamed once marked, so a process killed half-way
        // never leaves an unmarked `gen-*` folder that would look like someone else's.
        let staging = index_dir.join(format!("{}{name}", layout::STAGING_PREFIX));
        fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
        let marker = staging.join(layout::MARKER_FILE);
        fs::write(&marker, layout::MARKER_TEXT).map_err(|e| Error::io(&marker, e))?;
        fs::rename(&staging, &dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Generation {
            name,
            dir,
            published: false,
        })
    }

    /// A new generation holding the same index as `from`, to be updated in place of it.
    /// Tantivy never rewrites a file (new segments and deletes are new files; meta.json
    /// is replaced by rename), so hard links share the bytes without risk to readers of
    /// `from`. Where links are not possible the files are copied.
    pub fn copy_of(index_dir: &Path, from: &Path, lock: &RebuildLock) -> Result<Generation, Error> {
        let generation = Generation::create(index_dir, lock)?;
        for item in fs::read_dir(from).map_err(|e| Error::io(from, e))? {
            let item = item.map_err(|e| Error::io(from, e))?;
            let name = item.file_name();
            let name_text = name.to_string_lossy();
            // The manifest and stamps are written anew by `publish`, the marker by `create`.
            if name_text.starts_with(".tantivy-")
                || name_text == MANIFEST_FILE
                || name_text == STAMPS_FILE
                || name_text == layout::MARKER_FILE
            {
                continue;
            }
            let target = generation.dir.join(&name);
            if fs::hard_link(item.path(), &target).is_err() {
                fs::copy(item.path(), &target).map_err(|e| Error::io(&target, e))?;
            }
        }
        Ok(generation)
    }

    /// Records the sizes of the generation's files, writes its manifest and record stamps,
    /// and makes it current; the previous generation is then removed.
    pub fn publish(
        mut self,
        index_dir: &Path,
        mut manifest: Manifest,
        scan: &Scan,
    ) -> Result<Manifest, Error> {
        stamps::write(&self.dir.join(STAMPS_FILE), scan)?;
        manifest.seal = seal_of(&self.dir)?;
        manifest.built_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        write_durably(
            &self.dir.join(MANIFEST_FILE),
            &serde_json::to_vec_pretty(&manifest).expect("manifest serialises"),
        )?;
        atomic::sync_folder(&self.dir);
        let previous = layout::current_name(index_dir);
        write_durably(&index_dir.join(CURRENT_FILE), self.name.as_bytes())?;
        self.published = true;
        if let Some(previous) = previous
            && previous != self.name
            && layout::is_generation_name(&previous)
        {
            layout::remove_generation(&index_dir.join(previous));
        }
        Ok(manifest)
    }
}

impl Drop for Generation {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The sizes of a generation's files, except the manifest, which holds them.
fn seal_of(dir: &Path) -> Result<BTreeMap<String, u64>, Error> {
    let mut seal = BTreeMap::new();
    for item in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let item = item.map_err(|e| Error::io(dir, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name == MANIFEST_FILE || name.starts_with(".tantivy-") {
            continue;
        }
        let meta = item.metadata().map_err(|e| Error::io(item.path(), e))?;
        if meta.is_file() {
            seal.insert(name, meta.len());
        }
    }
    Ok(seal)
}

/// Checks every file of a generation against the sizes recorded when it was written.
pub(super) fn check_seal(dir: &Path, seal: &BTreeMap<String, u64>) -> Result<(), Unusable> {
    for (name, size) in seal {
        match fs::metadata(dir.join(name)) {
            Ok(meta) if meta.len() == *size => {}
            Ok(meta) => {
                return Err(Unusable::Corrupt(format!(
                    "{name} is {} bytes, expected {size}",
                    meta.len()
                )));
            }
            Err(e) => return Err(Unusable::Corrupt(format!("{name}: {e}"))),
        }
    }
    Ok(())
}
