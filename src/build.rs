//! Writing index generations: a full build from every record file, or an incremental
//! update that re-indexes only the files the stale check found added, changed or removed.
//!
//! Record files are read, validated and turned into documents on every core (rayon), and
//! each document goes straight to Tantivy's writer, whose own threads index it while
//! parsing continues: no record is held in memory longer than it takes to index it.
//! Nothing becomes visible until the single commit and [`Generation::publish`]; any
//! invalid record abandons the new generation and leaves the current one in use.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tantivy::collector::TopDocs;
use tantivy::indexer::LogMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::catalogue::{self, Paths, TitleKey};
use crate::error::Error;
use crate::index::{self, Fields};
use crate::problem::Problem;
use crate::sectors::Sectors;
use crate::storage::stamps::{Changes, Scan};
use crate::storage::{Generation, Manifest, Opened, RebuildLock, SCHEMA_VERSION};

/// Memory for Tantivy's indexing buffers during a full build: large enough for few
/// segments, small enough to keep a 100k-record build well under 400 MB.
const BUILD_MEMORY: usize = 96 * 1024 * 1024;
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

/// Builds a whole new generation from every record file in `scan` and makes it current.
pub fn full(
    paths: &Paths,
    scan: &Scan,
    lock: &RebuildLock,
    observer: &dyn Observer,
) -> Result<Manifest, Error> {
    let mut problems = Vec::new();
    let sectors = catalogue::load_sectors(&paths.sectors_file(), &mut problems);
    if !problems.is_empty() {
        // Every record would fail against a missing vocabulary: report only the cause.
        return Err(Error::Invalid(problems));
    }
    let records_dir = paths.records_dir();
    let files: Vec<PathBuf> = scan
        .records
        .iter()
        .map(|(name, _)| records_dir.join(name))
        .collect();
    if files.is_empty() {
        problems.push(catalogue::no_records_problem(&records_dir));
    }
    catalogue::check_case_clashes(&files, &mut problems);

    let generation = Generation::create(&paths.index, lock)?;
    let (schema, fields) = index::schema();
    let index = Index::create_in_dir(&generation.dir, schema)?;
    index::register_analyzer(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(BUILD_THREADS, BUILD_MEMORY)?;
    observer.start(files.len());
    let titles = index_files(&writer, &fields, &sectors, &files, observer, &mut problems)?;
    catalogue::check_unique_titles(&titles, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    observer.committing();
    writer.commit()?;
    writer.wait_merging_threads()?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        built_at: 0,
        record_count: titles.len(),
        sectors,
        vocabulary: scan.vocabulary,
        held: Vec::new(),
        seal: Default::default(),
    };
    generation.publish(&paths.index, manifest, scan)
}

/// Applies `changes` to a copy of the current generation and makes the copy current.
/// The vocabulary must be unchanged (a new vocabulary needs [`full`]).
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
    let mut problems = Vec::new();
    if scan.records.is_empty() {
        problems.push(catalogue::no_records_problem(&records_dir));
        return Err(Error::Invalid(problems));
    }
    if !changes.added.is_empty() {
        let all: Vec<PathBuf> = scan
            .records
            .iter()
            .map(|(name, _)| records_dir.join(name))
            .collect();
        catalogue::check_case_clashes(&all, &mut problems);
    }
    let to_read: Vec<PathBuf> = changes
        .added
        .iter()
        .chain(&changes.changed)
        .map(|name| records_dir.join(name))
        .collect();
    // Ids whose old documents go away: their titles are free to be taken again. Added
    // files are included too, so no id can ever be indexed twice.
    let replaced: HashSet<String> = changes
        .added
        .iter()
        .chain(&changes.changed)
        .chain(&changes.removed)
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
    let titles = index_files(&writer, &fields, sectors, &to_read, observer, &mut problems)?;
    catalogue::check_unique_titles(&titles, &mut problems);
    check_titles_against(current, &titles, &replaced, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    observer.committing();
    writer.commit()?;
    writer.wait_merging_threads()?;
    let record_count = index.reader()?.searcher().num_docs() as usize;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        built_at: 0,
        record_count,
        sectors: sectors.clone(),
        vocabulary: scan.vocabulary,
        held: Vec::new(),
        seal: Default::default(),
    };
    generation.publish(&paths.index, manifest, scan)
}

/// Reads, validates and indexes `files` in parallel. Returns the title of every valid
/// record (in file order) and adds every problem found.
fn index_files(
    writer: &IndexWriter,
    fields: &Fields,
    sectors: &Sectors,
    files: &[PathBuf],
    observer: &dyn Observer,
    problems: &mut Vec<Problem>,
) -> Result<Vec<TitleKey>, Error> {
    catalogue::load_each(files, sectors, problems, |entry| {
        writer.add_document(index::document(&entry, sectors, fields))?;
        observer.advance();
        Ok(TitleKey::of(&entry))
    })
}

/// An incremental update sees only the changed records, so their titles are checked
/// against the rest of the catalogue through the index.
fn check_titles_against(
    current: &Opened,
    titles: &[TitleKey],
    replaced: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Result<(), Error> {
    let searcher = current.reader.searcher();
    let fields = &current.fields;
    for title in titles {
        let query = TermQuery::new(
            Term::from_field_text(fields.title_key, &title.key),
            IndexRecordOption::Basic,
        );
        for (_, address) in searcher.search(&query, &TopDocs::with_limit(2).order_by_score())? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(other) = doc.get_first(fields.id).and_then(|v| v.as_str()) else {
                continue;
            };
            if other != title.id && !replaced.contains(other) {
                problems.push(catalogue::title_clash(&title.path, other));
                break;
            }
        }
    }
    Ok(())
}
