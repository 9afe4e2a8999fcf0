//! `migdev doctor`: the state of the catalogue and its index, without changing either.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::catalogue::{self, Paths};
use crate::error::Error;
use crate::problem::Problem;
use crate::storage::{self, stamps};

/// Everything doctor found.
#[derive(Debug, Serialize)]
pub struct Report {
    pub data: DataState,
    pub index: IndexState,
}

/// The records in `data/`.
#[derive(Debug, Serialize)]
pub struct DataState {
    pub path: String,
    pub records: usize,
    pub sectors: usize,
    pub problems: Vec<Problem>,
    /// True when the problems leave nothing to index, so no refresh can run until they
    /// are fixed; other problems only hold their files back.
    pub blocks_refresh: bool,
}

/// The index, as the next read command would find it.
#[derive(Debug, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum IndexState {
    /// No usable index: missing, damaged or of another schema version.
    Unusable {
        path: String,
        reason: String,
    },
    Usable(Box<IndexDetails>),
}

/// A usable index.
#[derive(Debug, Serialize)]
pub struct IndexDetails {
    pub path: String,
    pub generation: String,
    pub records: usize,
    /// When it was written, RFC 3339, and how long ago in seconds.
    pub built_at: String,
    pub age_seconds: u64,
    /// What changed in `data/` since; empty when up to date.
    pub changes: String,
    /// Record files the index holds at their last good version (or not at all) because
    /// they had problems when it was built.
    pub held: Vec<String>,
    /// Files whose checksum does not match what Tantivy wrote.
    pub checksum_failures: Vec<String>,
    /// Segments whose files were checked.
    pub segments: usize,
}

impl Report {
    /// True when something needs a person: invalid data, an index that cannot be used,
    /// or a failed checksum. A stale index is not wrong: the next search refreshes it.
    pub fn is_wrong(&self) -> bool {
        !self.data.problems.is_empty()
            || match &self.index {
                IndexState::Unusable { .. } => true,
                IndexState::Usable(details) => !details.checksum_failures.is_empty(),
            }
    }
}

/// Reads the whole catalogue and checks every byte of the index.
pub fn examine(paths: &Paths) -> Result<Report, Error> {
    let loaded = catalogue::load(paths)?;
    let data = DataState {
        path: paths.data.display().to_string(),
        records: loaded.catalogue.entries.len(),
        sectors: loaded.catalogue.sectors.list.len(),
        problems: loaded.problems,
        blocks_refresh: loaded.blocks_refresh,
    };
    let index_path = paths.index.display().to_string();
    let index = match storage::open(&paths.index) {
        Err(unusable) => IndexState::Unusable {
            path: index_path,
            reason: unusable.to_string(),
        },
        Ok(opened) => {
            let scan = stamps::scan(paths)?;
            let changes = match opened.changes_since(&scan) {
                Some(changes) => changes.describe(),
                None => "unknown: the record stamps are unreadable".to_string(),
            };
            let failures = opened.index.validate_checksum()?;
            let mut checksum_failures: Vec<String> = failures
                .iter()
                .map(|path| path.display().to_string())
                .collect();
            checksum_failures.sort();
            let built = UNIX_EPOCH + Duration::from_secs(opened.manifest.built_at);
            IndexState::Usable(Box::new(IndexDetails {
                path: index_path,
                generation: opened
                    .dir
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                records: opened.manifest.record_count,
                built_at: humantime::format_rfc3339_seconds(built).to_string(),
                age_seconds: SystemTime::now()
                    .duration_since(built)
                    .unwrap_or_default()
                    .as_secs(),
                changes,
                held: opened
                    .manifest
                    .held
                    .iter()
                    .map(|held| held.file.clone())
                    .collect(),
                checksum_failures,
                segments: opened.index.searchable_segment_ids()?.len(),
            }))
        }
    };
    Ok(Report { data, index })
}
