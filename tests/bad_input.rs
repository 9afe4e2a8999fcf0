//! One test per class of bad input, each asserting the whole contract for that class.
//!
//! Data: a catalogue that indexed fine is then broken in one way. `validate` and `rebuild`
//! must exit 2 and name the file (`path:line:col`, or the path where there is no line)
//! with a hint; the index must be left exactly as it was; and `search` must still answer,
//! refreshing around the broken file (which keeps its last good version) and warning
//! with its problem on every command. Files that are not records are ignored, not errors.
//!
//! Queries: a broken query never crashes; it is searched as far as it can be read (exit 0
//! with results, 1 without), a note names what was ignored, and `--strict` refuses it
//! (exit 2) with a message that names the problem and a hint. Queries that are valid
//! syntax (a lone `*`, only excluded words) are answered, also under `--strict`.
//!
//! tests/validate.rs pins the exact wording of each problem; tests/search_features.rs pins
//! the exact notes of broken queries. This file checks the contract around them.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{Catalogue, Output, Rec};
use migdev::catalogue::next_year;
use migdev::validation::files::MAX_RECORD_BYTES;

/// Bad input that reaches the output: limits, formats, terminal text, narrow terminals.
mod layout;
mod output;
mod queries;
mod record_files;
mod special_files;

// The fixture.

/// The word the fixture searches for: two of the three records hold it, and so does
/// the record the data tests add, so a partly rebuilt index would answer differently.
const WORD: &str = "migrants";

/// What searching the fixture for [`WORD`] finds.
const WORD_IDS: &[&str] = &["nurses", "remit"];

/// Three valid records with distinct words and years, indexed. No record holds the word
/// "to", so a range's `TO` cannot pass for a word.
fn indexed() -> Catalogue {
    let cat = Catalogue::new();
    for record in [
        Rec::new("remit", "Transfer fund")
            .summary("Cuts the cost of remittances sent home by migrants.")
            .years(Some(2005), None),
        Rec::new("nurses", "Nurse training")
            .summary("Trains nurses before the migrants leave.")
            .years(Some(1998), None),
        Rec::new("bond", "Savings bond")
            .summary("Bonds sold in the diaspora pay for roads.")
            .years(Some(2012), None),
    ] {
        cat.add(&record);
    }
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

/// The keys of [`good`]'s lines, in order: the line numbers in the tests refer to these.
const LAYOUT: [&str; 14] = [
    "title = ",
    "kind = ",
    "sectors = ",
    "scope = ",
    "start_year = ",
    "end_year = ",
    "status = ",
    "summary = ",
    "",
    "[[sources]]",
    "title = ",
    "publisher = ",
    "url = ",
    "kind = ",
];

/// A valid record that is not in the fixture, one field a line as [`LAYOUT`] lists them;
/// tests break one line of it. Global, so it has a scope line and no countries line.
fn good() -> String {
    let text = Rec::new(BROKEN, "Remittance matching fund")
        .kind("programme")
        .sectors(&["financial-services"])
        .global()
        .years(Some(2002), Some(2010))
        .status("ended")
        .summary("Matches migrants' remittances for public works.")
        .sources(&[(
            "Programme review",
            "World Bank",
            Some("https://example.org/review"),
        )])
        .toml();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), LAYOUT.len(), "unexpected layout:\n{text}");
    for (line, key) in lines.iter().zip(LAYOUT) {
        assert!(line.starts_with(key), "unexpected layout:\n{text}");
    }
    text
}

/// The id of the record the data tests add.
const BROKEN: &str = "broken";

/// Writes `text` as record `broken`; returns its path.
fn write_broken(cat: &Catalogue, text: &str) -> PathBuf {
    cat.write_record(BROKEN, text)
}

/// Writes record `broken`: [`good`] with line `line` (1-based) replaced; returns its path.
fn broken_line(cat: &Catalogue, line: usize, replacement: &str) -> PathBuf {
    let good = good();
    let mut lines: Vec<&str> = good.lines().collect();
    lines[line - 1] = replacement;
    write_broken(cat, &(lines.join("\n") + "\n"))
}

/// The first `lines` lines of [`good`].
fn good_head(lines: usize) -> String {
    good()
        .lines()
        .take(lines)
        .map(|l| format!("{l}\n"))
        .collect()
}

// Running migdev.

/// How a case runs `migdev ARGS` in a catalogue.
type Run = fn(&Catalogue, &[&str]) -> Output;

/// As this test's own user.
fn as_me(cat: &Catalogue, args: &[&str]) -> Output {
    cat.run(args)
}

#[cfg(unix)]
/// `setpriv` arguments that take away the capabilities letting root read any file.
const NO_READ_OVERRIDE: &str = "--bounding-set=-dac_override,-dac_read_search";

/// Under `setpriv`, without root's power to read files whatever their permissions, so
/// that a file with mode 000 is unreadable to migdev even when the tests run as root.
#[cfg(unix)]
fn without_read_override(cat: &Catalogue, args: &[&str]) -> Output {
    let out = std::process::Command::new("setpriv")
        .arg(NO_READ_OVERRIDE)
        .arg(env!("CARGO_BIN_EXE_migdev"))
        .args(args)
        .current_dir(cat.root())
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .output()
        .expect("run migdev under setpriv");
    let text = |bytes| String::from_utf8(bytes).expect("migdev prints UTF-8");
    let code = out.status.code();
    Output {
        code: code.expect("migdev exited normally, not by a signal"),
        stdout: text(out.stdout),
        stderr: text(out.stderr),
    }
}

/// The result ids of a search, sorted; panics unless it exited 0.
#[track_caller]
fn found_ids(out: &Output) -> Vec<String> {
    out.assert_code(0);
    crate::util::sorted(out.ids())
}

// The index as a reader sees it.

/// What must not change when a rebuild is refused: `index/CURRENT`, the generation folder
/// it names (every file with its size) and the entries of `index/` itself.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IndexState {
    current: String,
    entries: Vec<String>,
    generation: Vec<(String, u64)>,
}

impl IndexState {
    fn read(cat: &Catalogue) -> IndexState {
        let index = cat.index_dir();
        let current = fs::read_to_string(index.join("CURRENT")).expect("read index/CURRENT");
        let generation = list(&index.join(current.trim()))
            .into_iter()
            .map(|(name, path)| {
                let size = fs::metadata(path).expect("stat an index file").len();
                (name, size)
            })
            .collect();
        // `.lock` is how rebuilds take turns, not part of the index.
        let entries = list(&index)
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| name != ".lock")
            .collect();
        IndexState {
            current,
            entries,
            generation,
        }
    }
}

/// The names and paths in a folder, sorted by name.
fn list(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut items: Vec<(String, PathBuf)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .map(|item| {
            let item = item.expect("read a folder entry");
            (item.file_name().to_string_lossy().into_owned(), item.path())
        })
        .collect();
    items.sort();
    items
}

// The data contract.

/// The four steps for one class of bad data. Builds the indexed fixture, then calls
/// `break_it`, which damages the catalogue and returns the path that must be named.
/// The problem must be reported on a line starting with that path followed by `at`
/// (`":2:8: unknown kind"`, or `": is a folder"` where there is no line), followed by a
/// `  hint:` line; `says` are fragments of those two lines.
#[track_caller]
fn assert_refused(break_it: impl FnOnce(&Catalogue) -> PathBuf, at: &str, says: &[&str]) {
    assert_refused_by(as_me, break_it, at, says);
}

/// [`assert_refused`], running every command with `run`.
#[track_caller]
fn assert_refused_by(
    run: Run,
    break_it: impl FnOnce(&Catalogue) -> PathBuf,
    at: &str,
    says: &[&str],
) {
    let (cat, problem, _) = refused_by_validate_and_rebuild(run, break_it, at, says);

    // 4. A search refreshes around the broken file, which keeps its last good version
    //    (nothing, for a new file), and warns with the problem; so does every later
    //    command, until the file is fixed.
    let auto = run(&cat, &["search", "--format", "ids", WORD]);
    assert_eq!(found_ids(&auto), crate::util::strings(WORD_IDS), "{auto:?}");
    for part in ["warning: ", &problem, "`migdev validate` checks"] {
        auto.assert_stderr_has(part);
    }
    let again = run(
        &cat,
        &["-q", "--no-refresh", "search", "--format", "ids", WORD],
    );
    assert_eq!(
        found_ids(&again),
        crate::util::strings(WORD_IDS),
        "{again:?}"
    );
    again.assert_stderr_has(&format!("warning: {problem}"));
}

/// [`assert_refused`] for a problem that leaves nothing to index (the vocabulary, the
/// records folder): a search cannot refresh, so it answers from the previous index and
/// says so, leaving the index as it was.
#[track_caller]
fn assert_blocks_every_refresh(
    break_it: impl FnOnce(&Catalogue) -> PathBuf,
    at: &str,
    says: &[&str],
) {
    let (cat, problem, before) = refused_by_validate_and_rebuild(as_me, break_it, at, says);
    let auto = cat.run(&["search", "--format", "ids", WORD]);
    assert_eq!(found_ids(&auto), crate::util::strings(WORD_IDS), "{auto:?}");
    for part in ["warning", "previous index", &problem, "migdev rebuild"] {
        auto.assert_stderr_has(part);
    }
    assert_eq!(IndexState::read(&cat), before, "search changed the index");
}

/// Steps 1 to 3 of the contract: builds the indexed fixture, breaks it, and checks that
/// validate and rebuild refuse with the problem and leave the index as it was. Returns
/// the catalogue, the problem's `path` + `at`, and the index as it was.
#[track_caller]
fn refused_by_validate_and_rebuild(
    run: Run,
    break_it: impl FnOnce(&Catalogue) -> PathBuf,
    at: &str,
    says: &[&str],
) -> (Catalogue, String, IndexState) {
    let cat = indexed();
    let before = IndexState::read(&cat);
    let search_stale = ["--no-refresh", "search", "--format", "ids", WORD];
    assert_eq!(
        found_ids(&run(&cat, &search_stale)),
        crate::util::strings(WORD_IDS),
        "the fixture itself"
    );
    let problem = format!("{}{at}", break_it(&cat).display());

    // 1. validate names the file (and line) with a hint.
    let validate = run(&cat, &["validate"]);
    validate.assert_code(2).assert_stdout("");
    assert_reports(&validate, &problem, says);

    // 2. rebuild refuses with the same message.
    let rebuild = run(&cat, &["rebuild"]);
    rebuild.assert_code(2).assert_stdout("");
    assert!(
        rebuild.stderr.contains(&validate.stderr),
        "rebuild does not print validate's message{validate:?}\nrebuild:{rebuild:?}"
    );

    // 3. The index is left as it was.
    assert_eq!(IndexState::read(&cat), before, "rebuild changed the index");
    let stale = run(&cat, &search_stale);
    assert_eq!(
        found_ids(&stale),
        crate::util::strings(WORD_IDS),
        "{stale:?}"
    );

    (cat, problem, before)
}

/// Panics unless stderr has a line starting with `problem`, the next line is a hint, and
/// the two lines hold every fragment of `says`.
#[track_caller]
fn assert_reports(out: &Output, problem: &str, says: &[&str]) {
    let lines: Vec<&str> = out.stderr.lines().collect();
    let Some(i) = lines.iter().position(|l| l.starts_with(problem)) else {
        panic!("no line starts with {problem:?}; output was:{out:?}");
    };
    let hint = lines.get(i + 1).copied().unwrap_or_default();
    assert!(
        hint.starts_with("  hint: "),
        "{problem:?} is not followed by a `  hint:` line; output was:{out:?}"
    );
    let both = format!("{}\n{hint}", lines[i]);
    for part in says {
        assert!(
            both.contains(part),
            "the report lacks {part:?}; output was:{out:?}"
        );
    }
}
