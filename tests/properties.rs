//! Property tests: arbitrary input through the record loader and the query path, and
//! generated records through `to_toml` and back.
//!
//! The checks themselves are the fuzz targets' (`fuzz/src/checks.rs`, included as
//! `crate::fuzz_checks`): proptest feeds them generated input, libFuzzer its own. Case
//! counts are kept modest so the file runs in seconds in a debug build; the fuzz targets
//! explore the same entry points for longer.
//!
//! Failures are not persisted to `proptest-regressions/`: a case that fails becomes a
//! named regression test at the end of this file instead.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use migdev::catalogue;
use migdev::index::names;
use migdev::record::{Key, Kind, Record, Scope, Source, SourceKey, SourceKind, Status};
use migdev::search::{self, Matching, Request, Sort};
use migdev::sectors::Sectors;
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::fuzz_checks::{self as checks, QueryIndex, QueryOptions, check_parse, check_query};

mod query_strategies;
mod record_strategies;
mod regressions;

use query_strategies::*;
use record_strategies::*;

// ---------------------------------------------------------------------------------------
// Shared fixtures
// ---------------------------------------------------------------------------------------

/// The package's real data folder.
fn real_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The real sector vocabulary.
fn sectors() -> &'static Sectors {
    static SECTORS: OnceLock<Sectors> = OnceLock::new();
    SECTORS.get_or_init(|| checks::load_sectors(&real_data()))
}

/// The real record files' texts, by file name, for mutation and as index content.
fn real_records() -> &'static Vec<(String, String)> {
    static RECORDS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let dir = real_data().join(catalogue::RECORDS_DIR);
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("read data/programmes")
            .map(|e| e.expect("list data/programmes").path())
            .filter(|p| catalogue::is_record_file_name(p))
            .collect();
        files.sort();
        let records: Vec<(String, String)> = files
            .into_iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read_to_string(&p).expect("read a record"))
            })
            .collect();
        assert!(!records.is_empty(), "data/programmes has records");
        records
    })
}

/// Every country code the real catalogue uses: real ISO codes that validation accepts.
fn real_country_codes() -> &'static Vec<String> {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes = BTreeSet::new();
        for (name, text) in real_records() {
            if let Ok(record) = migdev::validation::parse_record(Path::new(name), text) {
                codes.extend(record.countries);
            }
        }
        let codes: Vec<String> = codes
            .into_iter()
            .filter(|c| migdev::countries::by_code(c).is_some())
            .collect();
        assert!(codes.len() >= 10, "the real catalogue names countries");
        codes
    })
}

fn sector_slugs() -> Vec<String> {
    sectors().slugs().map(str::to_string).collect()
}

/// The small catalogue of real records with its index that the query fuzz target uses,
/// built once and shared by every query test (and by the seed replay).
pub fn query_fixture() -> &'static QueryIndex {
    static FIXTURE: OnceLock<QueryIndex> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        QueryIndex::build(
            &real_data(),
            &scratch_dir("properties-index-"),
            checks::QUERY_RECORDS,
        )
    })
}

/// A fresh folder under Cargo's per-target scratch space for fixtures that live as long as
/// the test process (statics are never dropped). Folders left by runs over an hour old are
/// removed first, so they do not pile up.
fn scratch_dir(prefix: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(base).unwrap();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for old in fs::read_dir(base).into_iter().flatten().flatten() {
        let stale = old.file_name().to_string_lossy().starts_with(prefix)
            && old
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < hour_ago);
        if stale {
            let _ = fs::remove_dir_all(old.path());
        }
    }
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(base)
        .unwrap()
        .keep()
}

/// A per-test temporary records folder for the per-file loader.
fn record_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("migdev-properties-")
        .tempdir()
        .unwrap()
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Failing cases become named regression tests below, not files in the repository.
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Checks (the fuzz targets' own, on a per-test file)
// ---------------------------------------------------------------------------------------

/// [`checks::check_load`] on a file of its own: proptest runs the properties in parallel.
fn check_load(bytes: &[u8]) {
    let dir = record_dir();
    let file = dir.path().join("fuzz-record.toml");
    checks::check_load(&file, bytes, sectors(), catalogue::next_year());
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    /// `parse_record` never panics on arbitrary Unicode text, and every problem it reports
    /// sits at a line and column of that text.
    #[test]
    fn parse_record_survives_any_string(text in any::<String>()) {
        check_parse(&text);
    }

    /// `parse_record` never panics on arbitrary bytes decoded lossily (U+FFFD included).
    #[test]
    fn parse_record_survives_lossy_bytes(text in lossy_text()) {
        check_parse(&text);
    }

    /// `parse_record` never panics on TOML-like fragments (quotes, brackets, escapes, line
    /// endings) and locates every syntax error inside the text.
    #[test]
    fn parse_record_survives_toml_like_text(text in TOML_CHARS) {
        check_parse(&text);
    }

    /// Documents made of the real keys (and misspelt ones) with values of every type: the
    /// unknown-key and type-error reports never panic and are located inside the text; a
    /// document that does parse survives `to_toml` and back.
    #[test]
    fn parse_record_survives_documents_of_real_keys(text in toml_document()) {
        check_parse(&text);
    }

    /// The full per-file loader (size and UTF-8 checks, parse, validation with its span
    /// lookups) never panics on arbitrary bytes, and every problem is inside the text.
    #[test]
    fn load_record_survives_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_load(&bytes);
    }

    /// The loader on near-valid records (a real record with a piece cut out and text spliced
    /// in) never panics, and every problem is inside the text.
    #[test]
    fn load_record_survives_mutated_real_records(text in mutated_record()) {
        check_parse(&text);
        check_load(text.as_bytes());
    }

    /// The loader on documents of real keys with random values never panics.
    #[test]
    fn load_record_survives_documents_of_real_keys(text in toml_document()) {
        check_load(text.as_bytes());
    }

    /// Well-formed records with doubtful values (unknown sectors and countries, years out of
    /// range, blank texts, bad addresses) go through every validation check without a panic,
    /// and each problem is located inside the file.
    #[test]
    fn load_record_locates_every_validation_problem(record in questionable_record()) {
        check_load(record.to_toml().as_bytes());
    }

    /// Roundtrip: a valid record written with `to_toml()` and read back with `parse_record`
    /// is the same record.
    #[test]
    fn valid_record_roundtrips_through_toml(record in valid_record()) {
        let text = record.to_toml();
        let parsed = migdev::validation::parse_record(Path::new("data/programmes/x.toml"), &text);
        prop_assert_eq!(parsed.as_ref(), Ok(&record), "TOML was:\n{}", text);
    }

    /// A generated valid record written to a file passes the full loader with no problem,
    /// and the entry holds the same record: the generator and validation agree on "valid".
    #[test]
    fn valid_record_loads_without_problems(record in valid_record()) {
        let dir = record_dir();
        let path = dir.path().join("generated-record.toml");
        let text = record.to_toml();
        fs::write(&path, &text).unwrap();
        let entry = catalogue::load_record(&path, sectors(), catalogue::next_year());
        prop_assert!(entry.is_ok(), "problems: {:?}\nTOML was:\n{}", entry.err(), text);
        prop_assert_eq!(entry.unwrap().record, record);
    }
}

proptest! {
    // Each case runs several searches against the shared index, so fewer cases.
    #![proptest_config(config(96))]

    /// Any query text, in every matching mode and sort order, lenient and strict: parsing
    /// and searching never panic, lenient mode always answers, strict mode fails only with a
    /// query error, and hits are distinct records of the catalogue.
    #[test]
    fn queries_never_panic_and_hit_only_catalogue_records(
        text in query_text(),
        options in query_options(),
    ) {
        check_query(query_fixture(), &text, &options);
    }

    /// `plain_words` (the fallback for a broken query that matches nothing) keeps only
    /// words: letters, digits and apostrophes, no operators, and it always parses leniently.
    #[test]
    fn plain_words_keep_only_words(text in query_text()) {
        let words = search::plain_words(&text);
        prop_assert!(
            words.chars().all(|c| c.is_alphanumeric() || c == '\'' || c == ' '),
            "{:?} -> {:?}", text, words
        );
        prop_assert!(
            !words.split(' ').any(|w| matches!(w, "AND" | "OR" | "NOT" | "TO")),
            "{:?} -> {:?}", text, words
        );
        prop_assert!(search::parse(&query_fixture().opened, &words, false).is_ok());
    }
}
