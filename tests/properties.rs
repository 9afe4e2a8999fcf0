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
// Strategies
// ---------------------------------------------------------------------------------------

/// Characters that matter to TOML, plus letters, digits and a few non-ASCII ones.
const TOML_CHARS: &str =
    r#"[a-z_0-9 =\[\]{}"'#.,:+\\\n\t\r-]{0,200}|[a-zé€ \n="'\[\]{}\\\x00-\x1f]{0,80}"#;

/// Arbitrary bytes read as text, the way an editor that mangles encodings would leave them.
fn lossy_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..400)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn any_key() -> impl Strategy<Value = String> {
    let known: Vec<&'static str> = Key::names().into_iter().chain(SourceKey::names()).collect();
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(str::to_string),
        1 => proptest::sample::select(vec![
            "titel", "Title", "sources.title", "\"title\"", "'kind'", "a.b.c", "\"\"", "x",
            "sectors.0", "source",
        ])
        .prop_map(str::to_string),
        1 => "[a-z_]{1,12}",
    ]
}

/// TOML values of every type, valid or not for the key they land on.
fn any_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "\\PC{0,30}".prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(sector_slugs()).prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(real_country_codes().clone())
            .prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(
            Kind::names()
                .into_iter()
                .chain(Scope::names())
                .chain(Status::names())
                .chain(["", "programm", "Global", "https://example.org", "ftp://x.y"])
                .collect::<Vec<_>>()
        )
        .prop_map(|s| toml::Value::String(s.to_string()).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (1850i64..2100).prop_map(|n| n.to_string()),
        (-3i64..30).prop_map(|n| n.to_string()),
        proptest::sample::select(vec![
            "true",
            "1.5",
            "-0.0",
            "inf",
            "nan",
            "1979-05-27",
            "1979-05-27T07:32:00Z",
            "0x1F",
            "0o17",
            "1_000",
            "99999999999999999999",
            "\"\"\"a\nb\"\"\"",
            "'''x'''",
            "\"unterminated",
            "[",
            "]",
            "{",
            "}",
            "= 1",
            "\"\\u00e9\"",
            "\"\\uD800\"",
        ])
        .prop_map(str::to_string),
        TOML_CHARS,
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec((any_key(), inner), 0..4).prop_map(|pairs| {
                let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

/// TOML-ish documents: `key = value` lines over the real keys, table headers and junk.
fn toml_document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (any_key(), any_value()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => proptest::sample::select(vec![
            "[[sources]]", "[sources]", "[[sources.extra]]", "[title]", "[a.b]", "[[ sources ]]",
            "[[sources]", "# comment", "", "  ", "\u{feff}", "\r",
        ])
        .prop_map(str::to_string),
        1 => TOML_CHARS,
    ];
    let newline = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    proptest::collection::vec((line, newline), 0..24).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(line, newline)| format!("{line}{newline}"))
            .collect()
    })
}

/// A real record with a piece cut out and some text spliced in: almost valid documents,
/// which reach validation and its span lookups.
fn mutated_record() -> impl Strategy<Value = String> {
    let count = real_records().len();
    let insert = prop_oneof![
        Just(String::new()),
        "\\PC{0,10}",
        TOML_CHARS,
        (any_key(), any_value()).prop_map(|(k, v)| format!("\n{k} = {v}\n")),
    ];
    (0..count, any::<prop::sample::Index>(), 0usize..40, insert).prop_map(
        move |(which, at, cut, insert)| {
            let text = &real_records()[which].1;
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}{insert}{}", &text[..start], &text[end..])
        },
    )
}

fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).expect("a valid pattern")
}

/// Text without control characters, as record fields hold it.
fn plain_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        regex(&format!("[^\\p{{Cc}}]{{0,{max}}}")),
        regex(&format!("[a-zA-Z0-9 '\"\\\\#=\\[\\]{{}}éü€-]{{0,{max}}}")),
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("a\\\"b".to_string()),
    ]
}

/// Text that a validated field accepts: not blank.
fn filled_text(max: usize) -> impl Strategy<Value = String> {
    plain_text(max).prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Longer text with line breaks and tabs, as descriptions, results and lessons hold it.
fn long_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => plain_text(80),
        1 => "[^\\p{Cc}]{0,20}(\n|\t|\r\n)[^\\p{Cc}]{0,20}(\n\n)?[^\\p{Cc}]{0,10}\n?",
    ]
}

fn year() -> impl Strategy<Value = i64> {
    migdev::validation::FIRST_YEAR..=catalogue::next_year()
}

fn web_address() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http")],
        "[a-z][a-z0-9-]{0,10}\\.(org|int|gov|example)",
        "(/[a-zA-Z0-9_.~%-]{0,12}){0,3}",
        "(\\?[a-z]=[0-9]{1,3})?",
    )
        .prop_map(|(scheme, host, path, query)| format!("{scheme}://{host}{path}{query}"))
}

fn source() -> impl Strategy<Value = Source> {
    (
        filled_text(40),
        filled_text(30),
        proptest::option::of(year()),
        proptest::option::of(web_address()),
    )
        .prop_map(|(title, publisher, year, url)| Source {
            title,
            publisher,
            year,
            kind: SourceKind::Official,
            url,
            via: None,
        })
}

fn one_of<T: Clone + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

/// A record that validation accepts: real sector slugs (distinct, primary first), real
/// country codes (or none with a global scope), years in range and in order, GCM objectives
/// 1-23, non-blank title, summary and sources with http(s) addresses.
fn valid_record() -> impl Strategy<Value = Record> {
    let slugs = sector_slugs();
    let max_sectors = slugs.len().min(4);
    let names = (
        filled_text(60),
        one_of(Kind::ALL),
        proptest::sample::subsequence(slugs, 1..=max_sectors).prop_shuffle(),
        proptest::sample::subsequence(real_country_codes().clone(), 0..=5).prop_shuffle(),
        proptest::option::of(one_of(Scope::ALL)),
        proptest::collection::vec(filled_text(30), 0..3),
    );
    let facts = (
        proptest::option::of(year()),
        proptest::option::of(year()),
        proptest::option::of(one_of(Status::ALL)),
        filled_text(120),
        proptest::option::of(long_text()),
        proptest::option::of(long_text()),
        proptest::option::of(long_text()),
    );
    let rest = (
        proptest::collection::vec(filled_text(20), 0..4),
        proptest::collection::vec(1i64..=23, 0..4),
        proptest::collection::vec(source(), 1..4),
    );
    (names, facts, rest).prop_map(
        |(
            (title, kind, sectors, countries, scope, organisations),
            (start, end, status, summary, description, results, lessons),
            (keywords, gcm_objectives, sources),
        )| {
            let scope = if countries.is_empty() {
                Some(Scope::Global)
            } else {
                scope
            };
            let (start_year, end_year) = match (start, end) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            // The first country as origin exercises the role lists, which must lie within
            // `countries`.
            let origin = countries.iter().take(1).cloned().collect();
            Record {
                title,
                kind,
                sectors,
                countries,
                origin,
                destination: vec![],
                scope,
                organisations,
                start_year,
                end_year,
                status,
                summary,
                description,
                results,
                lessons,
                keywords,
                gcm_objectives,
                sources,
            }
        },
    )
}

/// A record with values validation should refuse as often as accept: unknown sectors and
/// countries, years out of range or reversed, objectives outside 1-23, blank texts, bad
/// addresses. Serialised, it is well-formed TOML, so every check of `check_record` runs.
fn questionable_record() -> impl Strategy<Value = Record> {
    let sector = prop_oneof![
        3 => proptest::sample::select(sector_slugs()),
        1 => "[a-z-]{0,12}",
        1 => "\\PC{0,8}",
    ];
    let country = prop_oneof![
        3 => proptest::sample::select(real_country_codes().clone()),
        1 => "[A-Za-z]{0,4}",
        1 => proptest::sample::select(vec!["mex", "Mexico", "XKX", "", " MEX", "ZZZ"])
            .prop_map(str::to_string),
    ];
    let any_year = prop_oneof![3 => year(), 1 => any::<i64>(), 1 => -5i64..5];
    let text = prop_oneof![3 => plain_text(20), 1 => "[ \t\u{a0}\u{3000}]{0,3}"];
    let url = prop_oneof![
        web_address(),
        proptest::sample::select(vec![
            "",
            "www.iom.int",
            "ftp://iom.int",
            "https://",
            "http://[::1]",
            "mailto:a@b.c",
            "https://exa mple.org",
            "file:///etc",
            "https://xn--e1a.org",
        ])
        .prop_map(str::to_string),
        "\\PC{0,20}",
    ];
    let source = (
        text.clone(),
        text.clone(),
        proptest::option::of(any_year.clone()),
        proptest::option::of(url),
    )
        .prop_map(|(title, publisher, year, url)| Source {
            title,
            publisher,
            year,
            kind: SourceKind::Official,
            url,
            via: None,
        });
    (
        (
            text.clone(),
            one_of(Kind::ALL),
            proptest::collection::vec(sector, 0..4),
            proptest::collection::vec(country, 0..4),
            proptest::option::of(one_of(Scope::ALL)),
        ),
        (
            proptest::option::of(any_year.clone()),
            proptest::option::of(any_year),
            text,
            proptest::collection::vec(any::<i64>().prop_map(|n| n % 30), 0..4),
            proptest::collection::vec(source, 0..3),
        ),
    )
        .prop_map(
            |(
                (title, kind, sectors, countries, scope),
                (start_year, end_year, summary, gcm_objectives, sources),
            )| Record {
                title,
                kind,
                sectors,
                countries,
                origin: vec![],
                destination: vec![],
                scope,
                organisations: vec![],
                start_year,
                end_year,
                status: None,
                summary,
                description: None,
                results: None,
                lessons: None,
                keywords: vec![],
                gcm_objectives,
                sources,
            },
        )
}

/// Query text of every sort: words, phrases, operators, fields real and unknown, ranges,
/// brackets, wildcards and control characters.
fn query_text() -> impl Strategy<Value = String> {
    // The fields a query may name, the index's other fields, and names that are no field.
    let fields: Vec<&str> = search::QUERY_FIELDS
        .into_iter()
        .chain([
            names::ID,
            names::COUNTRY_CODE,
            names::PRIMARY_SECTOR,
            names::SECTOR_FACET,
            names::REGION_FACET,
            names::ACTIVE_FROM,
            names::ACTIVE_TO,
            names::WORDS,
            names::RECORD,
            "unknown",
            "Title",
            "",
            "title.x",
        ])
        .collect();
    let word = prop_oneof![
        proptest::sample::select(vec![
            "remittances",
            "remitances",
            "diaspora",
            "migration",
            "Mexico",
            "mexico",
            "MEX",
            "labour",
            "labor",
            "programme",
            "skills",
            "d'Ivoire",
            "Côte",
            "AND",
            "OR",
            "NOT",
            "TO",
            "*",
            "-",
            "+",
            "a",
            "e",
            "the",
            "2008",
            "governance",
            "legal-protection",
            "/governance",
            "Africa",
            "\"",
            "'",
            "\\",
            "~",
            "^",
            "!",
            "&&",
            "||",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z]{1,12}",
        "\\PC{1,6}",
    ];
    let bound = prop_oneof![
        (1800i64..2100).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        proptest::sample::select(vec!["*", "abc", "", "1e3", "2000.5", "-", "TO"])
            .prop_map(str::to_string),
    ];
    let token = prop_oneof![
        6 => word.clone(),
        2 => (proptest::sample::select(fields.clone()), word.clone())
            .prop_map(|(f, w)| format!("{f}:{w}")),
        1 => (proptest::sample::select(fields), prop_oneof![Just('['), Just('{')], bound.clone(),
              bound, prop_oneof![Just(']'), Just('}')], proptest::bool::ANY)
            .prop_map(|(f, open, a, b, close, year)| {
                let f = if year { names::YEAR } else { f };
                format!("{f}:{open}{a} TO {b}{close}")
            }),
        1 => word.clone().prop_map(|w| format!("-{w}")),
        1 => word.clone().prop_map(|w| format!("+{w}")),
        1 => proptest::collection::vec(word.clone(), 0..3)
            .prop_map(|ws| format!("\"{}\"", ws.join(" "))),
        1 => word.clone().prop_map(|w| format!("({w})")),
        1 => (word.clone(), 0u8..4).prop_map(|(w, n)| format!("{w}~{n}")),
        1 => (word, 0u8..4).prop_map(|(w, n)| format!("{w}^{n}")),
        1 => "[()\\[\\]{}\"*:~^+\\-!\\\\]{1,3}",
    ];
    let separator = prop_oneof![8 => Just(" "), 1 => Just(""), 1 => Just("\t"), 1 => Just("\u{0}")];
    prop_oneof![
        8 => proptest::collection::vec((token, separator), 0..8)
            .prop_map(|parts| parts.into_iter().map(|(t, s)| format!("{t}{s}")).collect()),
        2 => "[a-zA-Z0-9 \"'()\\[\\]{}*:~^+!\\\\-]{0,40}",
        2 => any::<String>(),
        1 => lossy_text(),
        1 => "[\\x00-\\x1f\\x7f ]{0,10}",
        1 => long_query(),
    ]
}

/// Very long queries: floods of brackets, quotes or operators, long words.
fn long_query() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(vec![
            "(",
            ")",
            "[",
            "{",
            "\"",
            "-",
            "a ",
            "a:",
            "NOT ",
            "(a ",
            "year:[1 TO 2] ",
            "*",
            "remittance ",
        ]),
        40usize..400,
    )
        .prop_map(|(unit, times)| unit.repeat(times))
}

fn query_options() -> impl Strategy<Value = QueryOptions> {
    (
        prop_oneof![
            Just(Matching::Auto),
            Just(Matching::Fuzzy),
            Just(Matching::Exact)
        ],
        prop_oneof![
            Just(Sort::Relevance),
            Just(Sort::Year),
            Just(Sort::YearDesc),
            Just(Sort::Title),
            Just(Sort::Id)
        ],
        proptest::bool::ANY,
        prop_oneof![
            3 => (proptest::option::of(0usize..5), 0usize..4),
            1 => proptest::sample::select(&checks::PAGES[..]),
        ],
    )
        .prop_map(|(matching, sort, snippets, (limit, offset))| QueryOptions {
            matching,
            sort,
            snippets,
            limit,
            offset,
        })
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

// ---------------------------------------------------------------------------------------
// Regression tests for what the properties and the fuzzers found
// ---------------------------------------------------------------------------------------

fn run_query(text: &str, strict: bool) -> Result<search::Results, migdev::Error> {
    let fixture = query_fixture();
    let request = Request {
        text: text.to_string(),
        strict,
        ..Request::default()
    };
    search::run(&fixture.opened, &fixture.paths, &request)
}

/// Found by `queries_never_panic_and_hit_only_catalogue_records`: Tantivy parses `field:*`
/// ("has any value") for any field name but runs it only on fast fields, so `title:*` made
/// even a lenient search fail with "index error: Schema error: 'Field title is not a fast
/// field.'". Leniently the clause is now ignored with a note; strictly it is a query error.
#[test]
fn exists_query_on_a_field_that_is_not_fast_does_not_fail_the_search() {
    let all = query_fixture().ids.len();
    // (`unknown:*` is an unknown field, read as plain words: see tests/bad_input.rs.)
    for text in [
        "title:*",
        "-title:*",
        "(summary:*)",
        "+keyword:* OR title:*",
    ] {
        let results = run_query(text, false).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            results.total, all,
            "{text}: every record, the clause ignored"
        );
        assert!(
            results.notes.iter().any(|n| n.text.contains("`field:*`")),
            "{text}: {:?}",
            results.notes
        );
        let strict = run_query(text, true);
        assert!(
            matches!(strict, Err(migdev::Error::Query { .. })),
            "{text}: {:?}",
            strict.map(|r| r.total)
        );
    }
    // Other words are still searched.
    let words = run_query("title:* migration", false).unwrap();
    let plain = run_query("migration", false).unwrap();
    assert_eq!(words.total, plain.total);
    // On the year, a fast field, `field:*` works as before, strict or not.
    let results = run_query("year:*", true).unwrap();
    assert!(results.total >= 1);
    assert!(results.notes.is_empty(), "{:?}", results.notes);
    // `id` is an index field but not a query field: read as words, named, refused strictly.
    let results = run_query("id:*", false).unwrap();
    assert!(
        results
            .notes
            .iter()
            .any(|n| n.text.contains("unknown field `id`")),
        "{:?}",
        results.notes
    );
    assert!(matches!(
        run_query("id:*", true),
        Err(migdev::Error::Query { .. })
    ));
}
