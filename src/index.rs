//! The Tantivy index: a disposable cache of `data/`, kept in step with it.
//!
//! Layout of the index folder:
//! - `CURRENT` names the generation folder that readers open;
//! - `gen-*/` holds one complete index, its `manifest.json` (with the size of every file,
//!   checked on open) and `records.stamps` (what the stale check compares);
//! - `.lock` serialises rebuilds and refreshes.
//!
//! A rebuild, or an update of a few records in a hard-linked copy of the current
//! generation, writes a new generation and only then replaces `CURRENT` (write, fsync,
//! rename), so one that fails or is killed leaves the previous index in use.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::catalogue::{Entry, Paths};
use crate::countries;
use crate::error::Error;
use crate::sectors::Sectors;
use crate::stamps::{self, Changes, Scan, Stamp};

/// Bumped whenever the schema, the analyzer or the manifest change, so old indexes are rebuilt.
pub const SCHEMA_VERSION: u32 = 5;
/// The analyzer registered on every index open: tokenise, lowercase, ASCII-fold, stem.
pub const ANALYZER: &str = "migdev";
/// The analyzer of the `words` field: like [`ANALYZER`] but without stemming, so typo
/// corrections can be shown as real words.
pub const WORDS_ANALYZER: &str = "migdev_words";
const CURRENT_FILE: &str = "CURRENT";
const LOCK_FILE: &str = ".lock";
const MANIFEST_FILE: &str = "manifest.json";
/// The record stamps of the scan a generation was built from (see [`crate::stamps`]).
const STAMPS_FILE: &str = "records.stamps";
pub(crate) const GENERATION_PREFIX: &str = "gen-";

/// The index field names: the query syntax (`title:`, `keyword:`...) uses these.
pub mod names {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const KEYWORD: &str = "keyword";
    pub const SUMMARY: &str = "summary";
    pub const TEXT: &str = "text";
    pub const ORGANISATION: &str = "organisation";
    pub const COUNTRY: &str = "country";
    pub const SECTOR: &str = "sector";
    pub const KIND: &str = "kind";
    pub const STATUS: &str = "status";
    pub const YEAR: &str = "year";
    pub const COUNTRY_CODE: &str = "country_code";
    pub const PRIMARY_SECTOR: &str = "primary_sector";
    pub const SECTOR_FACET: &str = "sector_facet";
    pub const REGION_FACET: &str = "region_facet";
    pub const KIND_FACET: &str = "kind_facet";
    pub const STATUS_FACET: &str = "status_facet";
    pub const ACTIVE_FROM: &str = "active_from";
    pub const ACTIVE_TO: &str = "active_to";
    pub const WORDS: &str = "words";
    pub const ORGANISATION_FACET: &str = "organisation_facet";
    pub const RECORD: &str = "record";
    pub const TITLE_KEY: &str = "title_key";
}

/// Handles to every index field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub keyword: Field,
    pub summary: Field,
    pub text: Field,
    pub organisation: Field,
    pub country: Field,
    pub sector: Field,
    pub kind: Field,
    pub status: Field,
    pub year: Field,
    pub country_code: Field,
    pub primary_sector: Field,
    pub sector_facet: Field,
    pub region_facet: Field,
    pub kind_facet: Field,
    pub status_facet: Field,
    pub active_from: Field,
    pub active_to: Field,
    pub words: Field,
    pub organisation_facet: Field,
    pub record: Field,
    /// The folded title: sorts by title, and lets an incremental refresh check that
    /// titles stay unique.
    pub title_key: Field,
}

impl Fields {
    /// The text fields a free query searches, with their weights: title first, then
    /// keywords and summary.
    pub fn weighted_text(&self) -> [(Field, f32); 7] {
        [
            (self.title, 3.0),
            (self.keyword, 2.0),
            (self.summary, 1.5),
            (self.text, 1.0),
            (self.organisation, 1.0),
            (self.country, 1.0),
            (self.sector, 0.8),
        ]
    }
}

/// Builds the schema; the single definition of what is indexed and how.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Not stored: `record` holds the whole record once, and snippets are cut from it.
    let fields = Fields {
        id: b.add_text_field(names::ID, STRING | STORED | FAST),
        title: b.add_text_field(names::TITLE, analysed.clone()),
        keyword: b.add_text_field(names::KEYWORD, analysed.clone()),
        summary: b.add_text_field(names::SUMMARY, analysed.clone()),
        text: b.add_text_field(names::TEXT, analysed.clone()),
        organisation: b.add_text_field(names::ORGANISATION, analysed.clone()),
        country: b.add_text_field(names::COUNTRY, analysed.clone()),
        sector: b.add_text_field(names::SECTOR, analysed),
        kind: b.add_text_field(names::KIND, STRING),
        status: b.add_text_field(names::STATUS, STRING),
        year: b.add_i64_field(names::YEAR, INDEXED | FAST),
        country_code: b.add_text_field(names::COUNTRY_CODE, STRING),
        primary_sector: b.add_text_field(names::PRIMARY_SECTOR, STRING),
        sector_facet: b.add_facet_field(names::SECTOR_FACET, FacetOptions::default()),
        region_facet: b.add_facet_field(names::REGION_FACET, FacetOptions::default()),
        kind_facet: b.add_facet_field(names::KIND_FACET, FacetOptions::default()),
        status_facet: b.add_facet_field(names::STATUS_FACET, FacetOptions::default()),
        active_from: b.add_i64_field(names::ACTIVE_FROM, INDEXED | FAST),
        active_to: b.add_i64_field(names::ACTIVE_TO, INDEXED | FAST),
        words: b.add_text_field(
            names::WORDS,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS_ANALYZER)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        organisation_facet: b.add_facet_field(names::ORGANISATION_FACET, FacetOptions::default()),
        record: b.add_text_field(names::RECORD, STORED),
        title_key: b.add_text_field(names::TITLE_KEY, STRING | FAST),
    };
    (b.build(), fields)
}

pub fn register_analyzer(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(MemoTerms)
        .build();
    index.tokenizers().register(ANALYZER, analyzer);
    let words = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(WORDS_ANALYZER, words);
}

/// Turns each word into its index term (lower case, ASCII-folded, English stem, as
/// Snowball stems it) and remembers the answer. The same few thousand words recur in
/// every record, so the memo saves most of the folding and stemming a rebuild did.
#[derive(Clone)]
struct MemoTerms;

/// Words remembered per analyzer; past this the memo stops growing.
const TERM_MEMO_LIMIT: usize = 200_000;

impl TokenFilter for MemoTerms {
    type Tokenizer<T: Tokenizer> = MemoTermsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoTermsFilter<T> {
        MemoTermsFilter {
            inner,
            memo: FxHashMap::default(),
            fold: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

/// Each indexing thread holds its own analyzer, so the memo needs no lock.
#[derive(Clone)]
struct MemoTermsFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
    fold: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for MemoTermsFilter<T> {
    type TokenStream<'a> = MemoTermsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoTermsStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            fold: &mut self.fold,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct MemoTermsStream<'a, S> {
    tail: S,
    memo: &'a mut FxHashMap<String, String>,
    fold: &'a mut TextAnalyzer,
    stemmer: frostem::Stemmer,
}

impl<S: TokenStream> TokenStream for MemoTermsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(term) = self.memo.get(&token.text) {
            token.text.clone_from(term);
            return true;
        }
        let mut folded = String::new();
        let mut stream = self.fold.token_stream(&token.text);
        if stream.advance() {
            folded.push_str(&stream.token().text);
        }
        drop(stream);
        let term = self.stemmer.stem(&folded).into_owned();
        if self.memo.len() < TERM_MEMO_LIMIT {
            self.memo
                .insert(std::mem::take(&mut token.text), term.clone());
        }
        token.text = term;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Where an open-ended programme is taken to run until, for `--since`/`--until`.
pub const OPEN_END: i64 = 9999;

/// The stored form of an entry: what `show` and exports read back.
#[derive(Debug, Serialize, Deserialize)]
struct StoredEntry<'a> {
    id: std::borrow::Cow<'a, str>,
    record: std::borrow::Cow<'a, crate::record::Record>,
}

/// Turns one catalogue entry into an index document.
pub fn document(entry: &Entry, sectors: &Sectors, f: &Fields) -> TantivyDocument {
    let r = &entry.record;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &entry.id);
    doc.add_text(f.title, &r.title);
    doc.add_text(f.title_key, crate::catalogue::title_key(&r.title));
    doc.add_text(f.words, &r.title);
    for keyword in &r.keywords {
        doc.add_text(f.keyword, keyword);
        doc.add_text(f.words, keyword);
    }
    doc.add_text(f.summary, &r.summary);
    doc.add_text(f.words, &r.summary);
    // The long texts stay out of `words`: indexing them twice was a large share of a
    // rebuild, and a word that only they hold is still found through its stem.
    for text in [&r.description, &r.results, &r.lessons]
        .into_iter()
        .flatten()
    {
        doc.add_text(f.text, text);
    }
    for organisation in &r.organisations {
        doc.add_text(f.organisation, organisation);
        doc.add_text(f.words, organisation);
        doc.add_facet(f.organisation_facet, Facet::from_path([organisation]));
    }
    for code in &r.countries {
        doc.add_text(f.country_code, code);
        doc.add_text(f.country, code);
        if let Some(country) = countries::by_code(code) {
            doc.add_text(f.country, &country.name);
            doc.add_text(f.words, &country.name);
            let mut path: Vec<&str> = country
                .region
                .iter()
                .chain(country.subregion.iter())
                .map(String::as_str)
                .collect();
            path.push(&country.code);
            doc.add_facet(f.region_facet, Facet::from_path(path));
        }
    }
    if let Some(primary) = r.primary_sector() {
        doc.add_text(f.primary_sector, primary);
    }
    for slug in &r.sectors {
        doc.add_text(f.sector, slug.replace('-', " "));
        doc.add_text(f.sector, sectors.label(slug));
        doc.add_facet(f.sector_facet, Facet::from_path([slug]));
    }
    doc.add_text(f.kind, r.kind.as_str());
    doc.add_facet(f.kind_facet, Facet::from_path([r.kind.as_str()]));
    let status = r.status.unwrap_or(crate::record::Status::Unknown);
    doc.add_text(f.status, status.as_str());
    doc.add_facet(f.status_facet, Facet::from_path([status.as_str()]));
    if let Some(year) = r.start_year {
        doc.add_i64(f.year, year);
    }
    // The span a programme was active, for --since/--until: an unknown start begins at
    // the end year, an unknown end runs on; no year at all matches no span.
    if let Some(from) = r.start_year.or(r.end_year) {
        doc.add_i64(f.active_from, from);
        doc.add_i64(f.active_to, r.end_year.unwrap_or(OPEN_END));
    }
    let stored = StoredEntry {
        id: (&entry.id).into(),
        record: std::borrow::Cow::Borrowed(r),
    };
    doc.add_text(
        f.record,
        serde_json::to_string(&stored).expect("records serialise"),
    );
    doc
}

/// Reads an entry back from a stored document.
pub fn entry_of(doc: &TantivyDocument, f: &Fields, paths: &Paths) -> Option<Entry> {
    use tantivy::schema::Value;
    let json = doc.get_first(f.record)?.as_str()?;
    let stored: StoredEntry<'static> = serde_json::from_str(json).ok()?;
    let id = stored.id.into_owned();
    Some(Entry {
        path: paths.record_file(&id),
        id,
        record: stored.record.into_owned(),
    })
}

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
    /// rebuild. The record files' stamps are in a file of their own ([`STAMPS_FILE`]),
    /// which only the stale check reads.
    pub vocabulary: Option<Stamp>,
    /// The size of every file of the generation. Checked on each open, so a deleted or
    /// truncated file is noticed before Tantivy trips over it.
    pub seal: BTreeMap<String, u64>,
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
        let records = stamps::read(&self.dir.join(STAMPS_FILE))?;
        let built = Scan {
            vocabulary: self.manifest.vocabulary,
            records,
        };
        Some(Changes::between(&built, now))
    }
}

/// Why an index cannot be used as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    Missing,
    OtherSchema { found: u32 },
    Corrupt(String),
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Missing => write!(f, "no index yet"),
            Unusable::OtherSchema { found } => write!(
                f,
                "index was built by schema version {found}, this migdev uses {SCHEMA_VERSION}"
            ),
            Unusable::Corrupt(why) => write!(f, "index is damaged ({why})"),
        }
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

fn open_once(index_dir: &Path) -> Result<Opened, Unusable> {
    let current = match fs::read_to_string(index_dir.join(CURRENT_FILE)) {
        Ok(name) => name.trim().to_string(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Corrupt(format!("cannot read CURRENT: {e}"))),
    };
    if !current.starts_with(GENERATION_PREFIX) || current.contains(['/', '\\']) {
        return Err(Unusable::Corrupt(
            "CURRENT does not name a generation".into(),
        ));
    }
    let dir = index_dir.join(&current);
    let bytes = fs::read(dir.join(MANIFEST_FILE))
        .map_err(|e| Unusable::Corrupt(format!("cannot read manifest: {e}")))?;
    // The version first: a manifest of another version may not parse as this one.
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
    }
    let version: Version = serde_json::from_slice(&bytes)
        .map_err(|e| Unusable::Corrupt(format!("bad manifest: {e}")))?;
    if version.schema_version != SCHEMA_VERSION {
        return Err(Unusable::OtherSchema {
            found: version.schema_version,
        });
    }
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Unusable::Corrupt(format!("bad manifest: {e}")))?;
    check_seal(&dir, &manifest.seal)?;
    let directory = PublishedDirectory::open(&dir).map_err(|e| Unusable::Corrupt(short(e)))?;
    let index = Index::open(directory).map_err(|e| Unusable::Corrupt(short(e)))?;
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(Unusable::OtherSchema {
            found: manifest.schema_version,
        });
    }
    register_analyzer(&index);
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

/// An error's text cut to a line's length: a damaged file's bytes can end up in it.
fn short(error: impl std::fmt::Display) -> String {
    const MAX: usize = 200;
    let text = error.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// A published generation, opened for reading. It never changes, so readers need none
/// of Tantivy's file locks, which would need write access: this is what lets migdev
/// search an index on a read-only file system.
#[derive(Debug, Clone)]
struct PublishedDirectory(MmapDirectory);

impl PublishedDirectory {
    fn open(
        dir: &Path,
    ) -> Result<PublishedDirectory, tantivy::directory::error::OpenDirectoryError> {
        MmapDirectory::open(dir).map(PublishedDirectory)
    }
}

impl Directory for PublishedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }
}

/// The rebuild lock; held for the whole of a rebuild.
pub struct RebuildLock {
    _file: File,
}

/// Takes the rebuild lock. `wait` blocks until a running rebuild ends; otherwise a held
/// lock is reported as [`Error::Busy`]. Also tells whether another process held it.
pub fn lock(index_dir: &Path, wait: bool) -> Result<(RebuildLock, bool), Error> {
    fs::create_dir_all(index_dir).map_err(|e| Error::io(index_dir, e))?;
    let path = index_dir.join(LOCK_FILE);
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
    Ok((RebuildLock { _file: file }, waited))
}

/// Writes a file so that a crash leaves either the old or the new content: temp file,
/// fsync, rename, fsync of the folder.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = temp_file_in(dir).map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    sync_dir(dir);
    Ok(())
}

/// A temporary file to be renamed into place, readable as any new file would be:
/// tempfile's own default (owner only) would hide the index, or an export, from the other
/// users of a shared catalogue.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

fn sync_dir(dir: &Path) {
    // Best effort: not every file system lets a folder be fsynced.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Reads the name of the current generation, if any.
fn current_name(index_dir: &Path) -> Option<String> {
    let name = fs::read_to_string(index_dir.join(CURRENT_FILE)).ok()?;
    Some(name.trim().to_string())
}

/// Removes generation folders that CURRENT does not name: leftovers of killed rebuilds.
/// Only called under the rebuild lock, so no other writer is filling one of them.
fn remove_abandoned_generations(index_dir: &Path) {
    let current = current_name(index_dir).unwrap_or_default();
    let Ok(read) = fs::read_dir(index_dir) else {
        return;
    };
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with(GENERATION_PREFIX) && name != current {
            let _ = fs::remove_dir_all(item.path());
        }
    }
}

/// Checks every file of a generation against the sizes recorded when it was written.
fn check_seal(dir: &Path, seal: &BTreeMap<String, u64>) -> Result<(), Unusable> {
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

/// A generation folder being written. Readers never see it until [`Generation::publish`]
/// names it in CURRENT; dropped unpublished (an error), it is removed.
pub struct Generation {
    name: String,
    pub dir: PathBuf,
    published: bool,
}

impl Generation {
    /// A new empty generation folder. Needs the rebuild lock.
    pub fn create(index_dir: &Path, _lock: &RebuildLock) -> Result<Generation, Error> {
        remove_abandoned_generations(index_dir);
        let name = format!(
            "{GENERATION_PREFIX}{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
            std::process::id()
        );
        let dir = index_dir.join(&name);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
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
            // The manifest and stamps are written anew by `publish`.
            if name_text.starts_with(".tantivy-")
                || name_text == MANIFEST_FILE
                || name_text == STAMPS_FILE
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
        sync_dir(&self.dir);
        let previous = current_name(index_dir);
        write_durably(&index_dir.join(CURRENT_FILE), self.name.as_bytes())?;
        self.published = true;
        if let Some(previous) = previous
            && previous != self.name
            && previous.starts_with(GENERATION_PREFIX)
            && !previous.contains(['/', '\\'])
        {
            let _ = fs::remove_dir_all(index_dir.join(previous));
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
