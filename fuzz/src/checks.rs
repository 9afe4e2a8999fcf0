//! The property checks, written once: the fuzz targets (`fuzz/fuzz_targets/`) run them on
//! libFuzzer's inputs, and the one test crate includes this file with `#[path]` to run
//! them on proptest's inputs (`tests/properties.rs`) and on the fuzz seeds
//! (`tests/fuzz_seeds.rs`), so `cargo test` asserts exactly what the fuzzers assert.
//!
//! Every check panics on a violation: libFuzzer saves the input as a crash, proptest
//! shrinks it. Only `migdev` and the standard library are used, so both crates compile it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use migdev::catalogue::{self, Paths};
use migdev::problem::Problem;
use migdev::search::{self, Matching, Request, Sort};
use migdev::sectors::Sectors;
use migdev::storage::Opened;
use migdev::store::{self, Refresh};

/// The real sector vocabulary of the data folder `data`; panics if it has problems.
pub fn load_sectors(data: &Path) -> Sectors {
    let mut problems = Vec::new();
    let sectors =
        migdev::validation::load_sectors(&data.join(catalogue::SECTORS_FILE), &mut problems);
    assert!(problems.is_empty(), "data/sectors.toml: {problems:?}");
    sectors
}

/// Panics unless the problem points inside `text`: an existing line, and a column within
/// it (one past its last character allowed: the end of the line or of the file).
/// Whole-file problems have line and column 0.
pub fn assert_inside(text: &str, problem: &Problem) {
    if problem.line == 0 {
        assert_eq!(
            problem.column, 0,
            "whole-file problem with a column: {problem}"
        );
        return;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        problem.line <= lines.len(),
        "line {} of a {}-line text: {problem}",
        problem.line,
        lines.len()
    );
    let width = lines[problem.line - 1].chars().count();
    assert!(
        (1..=width + 1).contains(&problem.column),
        "column {} on a line of {width} characters: {problem}",
        problem.column
    );
}

/// `parse_record` on any text: no panic; an error lists at least one problem, each at a
/// line and column inside the text; a record that parses survives `to_toml` and back.
pub fn check_parse(text: &str) {
    let path = Path::new("data/programmes/fuzz.toml");
    match migdev::validation::parse_record(path, text) {
        Ok(record) => {
            let again = migdev::validation::parse_record(path, &record.to_toml());
            assert_eq!(again, Ok(record), "re-serialised record differs");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error without any problem");
            for problem in &problems {
                assert!(problem.line >= 1, "unlocated parse problem: {problem}");
                assert_inside(text, problem);
            }
        }
    }
}

/// The full per-file loader (size and UTF-8 checks, parse, validation) on `bytes`, written
/// to `file` first: no panic; a record loads under the id its file name gives; an error
/// lists at least one problem, each naming the file and inside the (lossily decoded) text.
pub fn check_load(file: &Path, bytes: &[u8], sectors: &Sectors, year_limit: i64) {
    fs::write(file, bytes).expect("write the record file");
    let text = String::from_utf8_lossy(bytes);
    match catalogue::load_record(file, sectors, year_limit) {
        Ok(entry) => assert_eq!(entry.id, catalogue::id_of(file)),
        Err(problems) => {
            assert!(!problems.is_empty(), "an error without any problem");
            for problem in &problems {
                assert_eq!(problem.path, file, "problem names another file: {problem}");
                assert_inside(&text, problem);
            }
        }
    }
}

/// Any bytes as a record file: [`check_parse`] on their lossy decoding, then
/// [`check_load`] on the bytes themselves. The record fuzz target's whole body.
pub fn check_record_bytes(data: &[u8], file: &Path, sectors: &Sectors, year_limit: i64) {
    check_parse(&String::from_utf8_lossy(data));
    check_load(file, data, sectors, year_limit);
}

/// Real records in a [`QueryIndex`]: enough words to correct typos against, fast to search.
pub const QUERY_RECORDS: usize = 6;

/// A small catalogue (the real vocabulary, a few real records) and its index, built
/// through the path the binary uses (`store::open_fresh`).
pub struct QueryIndex {
    pub paths: Paths,
    pub opened: Opened,
    pub ids: BTreeSet<String>,
}

impl QueryIndex {
    /// Copies `records` real record files, spread over the catalogue in `data` for varied
    /// words, sectors and countries, into a new catalogue under `root`, and indexes it.
    pub fn build(data: &Path, root: &Path, records: usize) -> QueryIndex {
        let paths = Paths {
            data: root.join("data"),
            index: root.join("index"),
        };
        fs::create_dir_all(paths.records_dir()).expect("create the records folder");
        fs::copy(data.join(catalogue::SECTORS_FILE), paths.sectors_file())
            .expect("copy sectors.toml");
        let mut files: Vec<PathBuf> = fs::read_dir(data.join(catalogue::RECORDS_DIR))
            .expect("read data/programmes")
            .map(|e| e.expect("list data/programmes").path())
            .filter(|p| catalogue::is_record_file_name(p))
            .collect();
        files.sort();
        let step = (files.len() / records).max(1);
        let mut ids = BTreeSet::new();
        for file in files.iter().step_by(step).take(records) {
            let name = file.file_name().expect("a file name");
            fs::copy(file, paths.records_dir().join(name)).expect("copy a record");
            ids.insert(catalogue::id_of(file));
        }
        let fresh = store::open_fresh(&paths, Refresh::Auto, &migdev::build::Unobserved)
            .expect("build the query index");
        QueryIndex {
            paths,
            opened: fresh.opened,
            ids,
        }
    }
}

const MATCHING: [Matching; 3] = [Matching::Auto, Matching::Fuzzy, Matching::Exact];
const SORT: [Sort; 5] = [
    Sort::Relevance,
    Sort::Year,
    Sort::YearDesc,
    Sort::Title,
    Sort::Id,
];
/// `(limit, offset)` pairs: every match, small pages, and the huge numbers of issue 15,
/// which must be served without allocating in proportion to the number asked for.
pub const PAGES: [(Option<usize>, usize); 8] = [
    (None, 0),
    (Some(2), 1),
    (Some(1), 0),
    (Some(4), 3),
    (Some(usize::MAX), 0),
    (Some(3), usize::MAX),
    (Some(usize::MAX), usize::MAX),
    (None, 99_999_999_999_999),
];

/// How a query is run besides its text.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    pub matching: Matching,
    pub sort: Sort,
    pub snippets: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

impl QueryOptions {
    /// The options a fuzz input's first byte picks: matching mode, sort order, snippets
    /// and one of the [`PAGES`], in that order of significance.
    pub fn from_byte(byte: u8) -> QueryOptions {
        let n = usize::from(byte);
        let (limit, offset) = PAGES[(n / 30) % PAGES.len()];
        QueryOptions {
            matching: MATCHING[n % 3],
            sort: SORT[(n / 3) % 5],
            snippets: (n / 15) % 2 == 1,
            limit,
            offset,
        }
    }
}

/// One query through `search::parse` (lenient and strict) and `search::run` (lenient and
/// strict): no panic; lenient parsing and searching always answer, and so do the plain
/// words of the text; strict mode fails only with a query error; hits are distinct
/// records of the catalogue, as many as the page holds, with snippet highlights inside
/// their text.
pub fn check_query(index: &QueryIndex, text: &str, options: &QueryOptions) {
    let opened = &index.opened;
    if let Err(err) = search::parse(opened, text, false) {
        panic!("lenient parse failed: {err}");
    }
    let _ = search::parse(opened, text, true);
    let words = search::plain_words(text);
    if let Err(err) = search::parse(opened, &words, false) {
        panic!("plain words {words:?} did not parse: {err}");
    }

    for strict in [false, true] {
        let request = Request {
            text: text.to_string(),
            limit: options.limit,
            offset: options.offset,
            sort: options.sort,
            matching: options.matching,
            strict,
            snippets: options.snippets,
            ..Request::default()
        };
        let results = match search::run(opened, &index.paths, &request) {
            Ok(results) => results,
            Err(migdev::Error::Query { .. }) if strict => continue,
            Err(err) => panic!("search (strict: {strict}) failed: {err}"),
        };
        assert!(results.total <= index.ids.len(), "total {}", results.total);
        // A page holds what is left after the offset, up to the limit (0: count only).
        assert_eq!(
            results.hits.len(),
            results
                .total
                .saturating_sub(options.offset)
                .min(options.limit.unwrap_or(usize::MAX)),
            "a page of {:?} from {} of {} matches",
            options.limit,
            options.offset,
            results.total
        );
        let mut seen = BTreeSet::new();
        for hit in &results.hits {
            assert!(index.ids.contains(&hit.entry.id), "hit {}", hit.entry.id);
            assert!(seen.insert(&hit.entry.id), "hit {} twice", hit.entry.id);
            if let Some(snippet) = &hit.snippet {
                for range in &snippet.highlights {
                    assert!(
                        snippet.text.get(range.clone()).is_some(),
                        "highlight {range:?} outside {:?}",
                        snippet.text
                    );
                }
            }
        }
    }
}

/// Any bytes as a query: the first byte picks the [`QueryOptions`], the rest, lossily
/// decoded, is the text. The query fuzz target's whole body.
pub fn check_query_bytes(index: &QueryIndex, data: &[u8]) {
    let Some((&options, text)) = data.split_first() else {
        return;
    };
    check_query(
        index,
        &String::from_utf8_lossy(text),
        &QueryOptions::from_byte(options),
    );
}
