//! Writing index generations: a full build from every record file, or an incremental
//! update that re-indexes only the files the stale check found added, changed or removed.
//!
//! Record files are read, validated and turned into documents on every core (rayon), and
//! each document goes straight to Tantivy's writer, whose own threads index it while
//! parsing continues: no record is held in memory longer than it takes to index it.
//! Nothing becomes visible until the single commit and [`Generation::publish`].
//!
//! Every build checks through one [`Checker`]. A file with problems either stops the
//! build ([`OnProblems::Refuse`], `migdev rebuild`) or is held back
//! ([`OnProblems::Hold`], the refresh before a read): the index keeps its last good
//! version and the manifest lists it, so one broken file never hides the other edits.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use tantivy::collector::TopDocs;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::catalogue::{self, Entry, Paths};
use crate::error::Error;
use crate::index::{self, Fields};
use crate::problem::Problem;
use crate::sectors::Sectors;
use crate::storage::stamps::{Changes, Scan};
use crate::storage::{Generation, Held, Manifest, Opened, RebuildLock, SCHEMA_VERSION};
use crate::validation::{Checker, TitleKey};

/// Memory for Tantivy's indexing buffers during a full build: large enough for few
/// segments (4 at 100k records, with the pairs fields), small enough to keep a 100k-record
/// build under 400 MB (about 340 MB).
const BUILD_MEMORY: usize = 144 * 1024 * 1024;
/// Indexing threads for a full build; parsing runs beside them on rayon's threads.
const BUILD_THREADS: usize = 2;
/// An incremental update indexes a handful of records: a small buffer, one thread.
const UPDATE_MEMORY: usize = 24 * 1024 * 1024;
/// Segments larger than this are never merged by an incremental update, so an edit
/// never waits for the big segments of the last full build to be rewritten.
const UPDATE_MERGE_MAX_DOCS: usize = 5_000;

/// Hears how a build is going, to draw a progress bar. Every method may be called from
/// several threads at once.
pub trait Observer: Sync {
    /// Reading and indexing of `total` record files begins.
    fn start(&self, _total: usize) {}
    /// One more record file has been read and handed to the index writer.
    fn advance(&self) {}
    /// Every file is read; the index is being committed.
    fn committing(&self) {}
}

/// An observer that ignores everything.
pub struct Unobserved;
impl Observer for Unobserved {}

/// What a build does with record files that have problems. A broken vocabulary or an
/// empty records folder leaves nothing to index and stops the build either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnProblems {
    /// Build nothing and report every problem (`migdev rebuild`).
    Refuse,
    /// Index every valid record; keep each broken file's last good version, read back
    /// from the generation in use, and list the file in the manifest.
    Hold,
}

/// Builds a whole new generation from every record file in `scan` and makes it current.
/// `previous`, the generation in use if any, supplies the last good version of files
/// held back.
pub fn full(
    paths: &Paths,
    scan: &Scan,
    lock: &RebuildLock,
    observer: &dyn Observer,
    on_problems: OnProblems,
    previous: Option<&Opened>,
) -> Result<Manifest, Error> {
    let mut checker = Checker::new();
    let sectors = checker.vocabulary(&paths.sectors_file());
    if checker.blocks() {
        // Every record would fail against a missing vocabulary: report only the cause.
        return Err(Error::Invalid(checker.into_problems()));
    }
    let records_dir = paths.records_dir();
    let files = files_of(&records_dir, scan.records.iter().map(|(name, _)| name));
    checker.files(&records_dir, &files);
    if checker.blocks() {
        return Err(Error::Invalid(checker.into_problems()));
    }

    let generation = Generation::create(&paths.index, lock)?;
    let (schema, fields) = index::schema();
    let index = Index::create_in_dir(&generation.dir, schema)?;
    index::register_analyzer(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(BUILD_THREADS, BUILD_MEMORY)?;
    observer.start(files.len());
    let titles = index_files(&writer, &fields, &sectors, &files, observer, &mut checker)?;
    checker.titles(&titles, |_| Ok(None))?;
    let restore = Restore {
        from: previous,
        paths,
        sectors: &sectors,
    };
    let held = hold_back(
        &writer,
        &fields,
        checker.into_problems(),
        on_problems,
        &restore,
    )?;
    observer.committing();
    writer.commit()?;
    writer.wait_merging_threads()?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        built_at: 0,
        record_count: record_count(&index)?,
        sectors,
        vocabulary: scan.vocabulary,
        held,
        seal: BTreeMap::new(),
    };
    generation.publish(&paths.index, manifest, scan)
}

/// Applies `changes` to a copy of the current generation and makes the copy current.
/// The vocabulary must be unchanged (a new vocabulary needs [`full`]). Files held back
/// by the current generation are read again, since a change elsewhere (a title given
/// up) may have mended them.
pub fn incremental(
    paths: &Paths,
    current: &Opened,
    scan: &Scan,
    changes: &Changes,
    lock: &RebuildLock,
    observer: &dyn Observer,
) -> Result<Manifest, Error> {
    debug_assert!(!changes.vocabulary, "a new vocabulary needs a full build");
    let sectors = &current.manifest.sectors;
    let records_dir = paths.records_dir();
    let mut checker = Checker::new();
    let all = files_of(&records_dir, scan.records.iter().map(|(name, _)| name));
    checker.any_files(&records_dir, &all);
    if checker.blocks() {
        return Err(Error::Invalid(checker.into_problems()));
    }
    if !changes.added.is_empty() || !current.manifest.held.is_empty() {
        checker.case_clashes(&all);
    }
    let touched: HashSet<&String> = changes
        .added
        .iter()
        .chain(&changes.changed)
        .chain(&changes.removed)
        .collect();
    let held_before: Vec<&String> = current
        .manifest
        .held
        .iter()
        .map(|held| &held.file)
        .filter(|file| !touched.contains(file))
        .collect();
    let mut to_read: Vec<&String> = changes.added.iter().chain(&changes.changed).collect();
    to_read.extend(&held_before);
    to_read.sort();
    let to_read = files_of(&records_dir, to_read);
    // Ids whose old documents go away: their titles are free to be taken again. Added
    // files are included too, so no id can ever be indexed twice.
    let replaced: HashSet<String> = touched
        .into_iter()
        .chain(held_before)
        .map(|name| catalogue::id_of(Path::new(name)))
        .collect();

    let generation = Generation::copy_of(&paths.index, &current.dir, lock)?;
    let index = Index::open_in_dir(&generation.dir)?;
    index::register_analyzer(&index);
    let fields = current.fields;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, UPDATE_MEMORY)?;
    let mut merges = LogMergePolicy::default();
    merges.set_max_docs_before_merge(UPDATE_MERGE_MAX_DOCS);
    writer.set_merge_policy(Box::new(merges));
    for id in &replaced {
        writer.delete_term(Term::from_field_text(fields.id, id));
    }
    observer.start(to_read.len());
    let titles = index_files(&writer, &fields, sectors, &to_read, observer, &mut checker)?;
    checker.titles(&titles, |title| {
        title_holder(current, &title.key, |id| {
            id == title.id || replaced.contains(id)
        })
    })?;
    let restore = Restore {
        from: Some(current),
        paths,
        sectors,
    };
    let held = hold_back(
        &writer,
        &fields,
        checker.into_problems(),
        OnProblems::Hold,
        &restore,
    )?;
    observer.committing();
    writer.commit()?;
    writer.wait_merging_threads()?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        built_at: 0,
        record_count: record_count(&index)?,
        sectors: sectors.clone(),
        vocabulary: scan.vocabulary,
        held,
        seal: BTreeMap::new(),
    };
    generation.publish(&paths.index, manifest, scan)
}

/// The paths of record files given by name.
fn files_of<'a>(dir: &Path, names: impl IntoIterator<Item = &'a String>) -> Vec<PathBuf> {
    names.into_iter().map(|name| dir.join(name)).collect()
}

/// How many records a committed index holds.
fn record_count(index: &Index) -> Result<usize, Error> {
    let docs = index.reader()?.searcher().num_docs();
    Ok(usize::try_from(docs).unwrap_or(usize::MAX))
}

/// Reads, validates and indexes `files` in parallel. Returns the title of every valid
/// record (in file order) and gives every problem found to the checker.
fn index_files(
    writer: &IndexWriter,
    fields: &Fields,
    sectors: &Sectors,
    files: &[PathBuf],
    observer: &dyn Observer,
    checker: &mut Checker,
) -> Result<Vec<TitleKey>, Error> {
    catalogue::load_each(files, sectors, checker.record_problems(), |entry| {
        writer.add_document(index::document(&entry, sectors, fields))?;
        observer.advance();
        Ok(TitleKey::of(&entry))
    })
}

/// Where the last good version of a held-back file comes from.
struct Restore<'a> {
    from: Option<&'a Opened>,
    paths: &'a Paths,
    /// The vocabulary of the generation being written.
    sectors: &'a Sectors,
}

impl Restore<'_> {
    /// The record as the generation in use holds it, if it holds it.
    fn last_good(&self, id: &str) -> Result<Option<Entry>, Error> {
        let Some(from) = self.from else {
            return Ok(None);
        };
        let searcher = from.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(from.fields.id, id),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = found.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        Ok(index::entry_of(&doc, &from.fields, self.paths))
    }
}

/// Settles the files with problems: with [`OnProblems::Refuse`] any problem stops the
/// build; with [`OnProblems::Hold`] each file's new document (if any) is removed and its
/// last good version put back, and the files are returned for the manifest.
fn hold_back(
    writer: &IndexWriter,
    fields: &Fields,
    problems: Vec<Problem>,
    on_problems: OnProblems,
    restore: &Restore<'_>,
) -> Result<Vec<Held>, Error> {
    if problems.is_empty() {
        return Ok(Vec::new());
    }
    if on_problems == OnProblems::Refuse {
        return Err(Error::Invalid(problems));
    }
    let mut by_file: BTreeMap<String, Vec<Problem>> = BTreeMap::new();
    for problem in problems {
        let file = problem
            .path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        by_file.entry(file).or_default().push(problem);
    }
    for file in by_file.keys() {
        let id = catalogue::id_of(Path::new(file));
        // Deletes apply to documents added before them, so the new version goes and
        // the old one added next stays.
        writer.delete_term(Term::from_field_text(fields.id, &id));
        if let Some(entry) = restore.last_good(&id)? {
            writer.add_document(index::document(&entry, restore.sectors, fields))?;
        }
    }
    Ok(by_file
        .into_iter()
        .map(|(file, problems)| Held { file, problems })
        .collect())
}

/// The record in `opened` whose title folds to `key`, leaving out the ids `skip` names
/// (an update's own records, whose old titles are going away).
pub fn title_holder(
    opened: &Opened,
    key: &str,
    skip: impl Fn(&str) -> bool,
) -> Result<Option<String>, Error> {
    let searcher = opened.reader.searcher();
    let fields = &opened.fields;
    let query = TermQuery::new(
        Term::from_field_text(fields.title_key, key),
        IndexRecordOption::Basic,
    );
    for (_, address) in searcher.search(&query, &TopDocs::with_limit(3).order_by_score())? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let Some(other) = doc.get_first(fields.id).and_then(|v| v.as_str()) else {
            continue;
        };
        if !skip(other) {
            return Ok(Some(other.to_string()));
        }
    }
    Ok(None)
}
