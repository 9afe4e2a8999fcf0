//! Reliability: rebuilds and refreshes killed at any moment, rebuilds and searches racing
//! each other, damaged indexes repaired from `data/`, and read-only use.
//!
//! These tests run the real binary through std::process so they can time, overlap and kill
//! it; the synthetic catalogues come from the generator of `examples/synth.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::util::{
    Catalogue, Output, Rec, SYNTH_MARKER, generate_records, migdev_bin, prepare_std, sorted, synth,
    synth_id, synth_marked_ids, wait_output,
};

/// The `--output` file and stdout: replaced whole or not at all, never a false success.
mod output_file;

mod concurrency;
mod corruption;
mod index_folder;
mod kills;
mod read_only;

/// No single run of migdev in these tests may take longer than this.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Where the kill test starts sizing its catalogue, and the most it will grow to.
const KILL_START_RECORDS: usize = 2000;
const KILL_MAX_RECORDS: usize = 64_000;
/// A rebuild of the kill test's catalogue must take longer than this, so that most kills
/// land while it writes even on a loaded machine.
const KILL_MIN_REBUILD: Duration = Duration::from_secs(2);
/// Rebuild kills spread over the writing phase (after two kills during start-up).
const KILL_SPREAD: u32 = 18;
/// Kills of a search while it refreshes a stale index, spread over the refresh time.
const REFRESH_KILLS: u32 = 9;

/// Records in the catalogues of the race tests: enough that a rebuild takes a while.
const RACE_RECORDS: usize = 600;
/// Records in the catalogues of the corruption and read-only tests.
const SMALL_RECORDS: usize = 120;

/// The synthetic record the tests edit; its summary does not carry the marker.
const EDITED: usize = 7;

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// A catalogue of `n` synthetic records, rebuilt once; with the ids the marker query finds.
fn rebuilt_synthetic(n: usize) -> (Catalogue, Vec<String>) {
    let cat = Catalogue::new();
    generate_records(&cat, n);
    let started = Instant::now();
    cat.run_std(&["rebuild"]).assert_code(0);
    eprintln!(
        "[{n} records] first rebuild took {} ms",
        started.elapsed().as_millis()
    );
    (cat, synth_marked_ids(n))
}

/// `migdev [--no-refresh] search kestrel`, every match, one id a line; [`found`] reads it.
fn marked_search(cat: &Catalogue, no_refresh: bool) -> Output {
    cat.run_std(&marked_search_args(no_refresh))
}

fn marked_search_args(no_refresh: bool) -> Vec<&'static str> {
    let mut args = vec![];
    if no_refresh {
        args.push("--no-refresh");
    }
    args.extend([
        "search",
        SYNTH_MARKER,
        "--format",
        "ids",
        "--sort",
        "title",
        "--limit",
        "100000",
    ]);
    args
}

/// The ids a marked search printed, sorted like the expected lists.
fn found(out: &Output) -> Vec<String> {
    sorted(out.ids())
}

/// Exit 0 and exactly `expected` on stdout, with the count note to match (no partial list).
#[track_caller]
fn assert_ids(out: &Output, expected: &[String]) {
    out.assert_code(0);
    assert_eq!(
        found(out),
        expected,
        "unexpected results; output was:{out:?}"
    );
    assert_eq!(
        out.total(),
        Some(expected.len()),
        "unexpected count; output was:{out:?}"
    );
}

/// Like [`assert_ids`], and nothing on stderr but the count note: the index was used as
/// it was, not repaired or refreshed first.
#[track_caller]
fn assert_ids_quietly(out: &Output, expected: &[String]) {
    assert_ids(out, expected);
    out.assert_notes("");
}

/// Exit 0 with one of the given id lists; returns which.
#[track_caller]
fn assert_one_of(out: &Output, choices: &[&[String]]) -> usize {
    out.assert_code(0);
    let ids = found(out);
    let Some(choice) = choices.iter().position(|c| *c == ids.as_slice()) else {
        panic!("results are none of {choices:?}; output was:{out:?}");
    };
    assert_eq!(
        out.total(),
        Some(ids.len()),
        "unexpected count; output was:{out:?}"
    );
    choice
}

/// A rebuild either succeeded or stopped because another one held the lock.
/// Returns true for "busy".
#[track_caller]
fn assert_rebuilt_or_busy(out: &Output) -> bool {
    match out.code {
        0 if out.stderr.starts_with("indexed ") => false,
        2 if out.stderr.contains("another rebuild is in progress") => true,
        _ => panic!("a rebuild neither succeeded nor reported another rebuild; output was:{out:?}"),
    }
}

/// Rewrites the edited record: with the marker in its title or without, and a summary
/// that grows with `revision` so the file's size changes on every edit.
fn edit_record(cat: &Catalogue, marked: bool, revision: usize) {
    let mut record = synth().record(EDITED as u64);
    record.title = if marked {
        format!("{} {SYNTH_MARKER} edition", record.title)
    } else {
        format!("{} plain edition", record.title)
    };
    record.summary = format!(
        "An edited synthetic record.{}",
        " Revised.".repeat(revision + 1)
    );
    cat.write_record(&synth_id(EDITED), &record.to_toml());
}

/// The marked ids with the edited record added, sorted.
fn with_edited(marked: &[String]) -> Vec<String> {
    let mut ids = marked.to_vec();
    ids.push(synth_id(EDITED));
    ids.sort();
    ids
}

/// The generation folders in the index folder.
fn generations(cat: &Catalogue) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(cat.index_dir())
        .expect("read the index folder")
        .map(|e| {
            e.expect("index entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

/// Everything in the index folder, for messages.
fn index_listing(cat: &Catalogue) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(cat.index_dir())
        .map(|read| {
            read.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Runs `child` to the end on another thread, so the caller can keep working meanwhile.
fn in_background(child: std::process::Child) -> thread::JoinHandle<Output> {
    thread::spawn(move || Output::from_std(wait_output(child, TIMEOUT)))
}

/// The generation folder that `index/CURRENT` names.
fn current_generation(cat: &Catalogue) -> PathBuf {
    let name = fs::read_to_string(cat.index_dir().join("CURRENT")).expect("read CURRENT");
    cat.index_dir().join(name.trim())
}

/// The current generation's segment files with this extension, largest first.
fn segment_files(cat: &Catalogue, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<(u64, PathBuf)> = fs::read_dir(current_generation(cat))
        .expect("read the generation folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .map(|p| (fs::metadata(&p).expect("segment file").len(), p))
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    assert!(!files.is_empty(), "no *.{ext} segment file in the index");
    files.into_iter().map(|(_, p)| p).collect()
}
