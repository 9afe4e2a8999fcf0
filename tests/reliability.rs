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

// ---------------------------------------------------------------------------------------
// Crashes: SIGKILL at any moment
// ---------------------------------------------------------------------------------------

/// How a kill went: whether it interrupted a process that had begun writing a new index
/// generation, or what the process printed if it ended before the kill.
enum Killed {
    MidWrite,
    BeforeWriting,
    Finished(Output),
}

/// Starts `migdev ARGS` and kills it. With `after_writing_began`, the kill waits until the
/// process has created a new generation folder (the marker that a rebuild or refresh is
/// writing), then `delay` more; without, it comes `delay` after the start.
fn spawn_and_kill(
    cat: &Catalogue,
    args: &[&str],
    after_writing_began: bool,
    delay: Duration,
) -> Killed {
    let before = generations(cat);
    let mut child = cat.spawn(args);
    let started = Instant::now();
    let mut began = false;
    while after_writing_began && !began {
        if child.try_wait().expect("poll migdev").is_some() {
            break;
        }
        began = generations(cat).iter().any(|g| !before.contains(g));
        assert!(started.elapsed() < TIMEOUT, "migdev never began writing");
        thread::sleep(Duration::from_millis(1));
    }
    thread::sleep(delay);
    let _ = child.kill(); // an error only means it had already exited
    let out = wait_output(child, TIMEOUT);
    if out.status.code().is_some() {
        return Killed::Finished(Output::from_std(out));
    }
    if generations(cat).iter().any(|g| !before.contains(g)) {
        Killed::MidWrite
    } else {
        Killed::BeforeWriting
    }
}

/// Tallies of kills, by how they went.
#[derive(Debug, Default)]
struct Tally {
    mid_write: u32,
    before_writing: u32,
    finished: u32,
}

impl Tally {
    fn total(&self) -> u32 {
        self.mid_write + self.before_writing + self.finished
    }

    /// Panics unless at least two kills in three interrupted a process mid-write: the
    /// test is only worth its time if it mostly kills rebuilds that are writing.
    #[track_caller]
    fn assert_mostly_mid_write(&self, what: &str) {
        assert!(
            self.mid_write * 3 >= self.total() * 2,
            "{what}: only {} of {} kills landed while writing ({self:?}); the catalogue is \
             too small for this machine",
            self.mid_write,
            self.total()
        );
    }
}

/// Rewrites every fourth synthetic record below `records` (not the edited one) with the same
/// fields and a comment that grows with `revision`: a refresh must re-index them all, so it
/// runs long enough to be killed while writing, and the answers stay the same.
fn touch_records(cat: &Catalogue, records: usize, revision: usize) {
    for i in (1..=records).step_by(4).filter(|&i| i != EDITED) {
        let toml = synth().record(i as u64).to_toml();
        cat.write_record(
            &synth_id(i),
            &format!("{toml}# touched{}\n", ".".repeat(revision + 1)),
        );
    }
}

#[test]
fn killed_rebuilds_and_refreshes_leave_the_previous_index_searchable() {
    let test_started = Instant::now();
    let cat = Catalogue::new();

    // Size the catalogue so that one full rebuild (debug binary) takes over two seconds.
    let mut records = 0;
    let mut target = KILL_START_RECORDS;
    let rebuild_time = loop {
        for n in records + 1..=target {
            cat.add_synth(n);
        }
        records = target;
        let started = Instant::now();
        cat.run_std(&["rebuild"]).assert_code(0);
        let took = started.elapsed();
        eprintln!(
            "kill test: {records} records (~{} KB of TOML) rebuild in {} ms",
            dir_bytes(&cat.programmes_dir()) / 1024,
            took.as_millis()
        );
        if took > KILL_MIN_REBUILD {
            break took;
        }
        assert!(
            target * 2 <= KILL_MAX_RECORDS,
            "even {records} records rebuild in {} ms, under {} ms: cannot size the kill test",
            took.as_millis(),
            KILL_MIN_REBUILD.as_millis()
        );
        target *= 2;
    };

    let baseline_out = marked_search(&cat, true);
    assert_ids_quietly(&baseline_out, &synth_marked_ids(records));
    let baseline = found(&baseline_out);

    // Kill rebuilds: two during start-up, then KILL_SPREAD spread over the first 60% of the
    // rebuild time after each has begun writing. A rebuild that ends before its kill
    // shortens the estimate, so a machine that speeds up still gets its kills mid-write.
    let mut estimate = rebuild_time;
    let mut tally = Tally::default();
    let early = [Duration::ZERO, Duration::from_millis(2)].map(|d| (false, d, 0));
    let spread = (0..KILL_SPREAD).map(|i| (true, Duration::ZERO, i));
    for (n, (after_writing_began, early_delay, i)) in early.into_iter().chain(spread).enumerate() {
        let delay = if after_writing_began {
            estimate * 3 * i / (5 * KILL_SPREAD)
        } else {
            early_delay
        };
        let started = Instant::now();
        match spawn_and_kill(&cat, &["rebuild"], after_writing_began, delay) {
            Killed::MidWrite => tally.mid_write += 1,
            Killed::BeforeWriting => tally.before_writing += 1,
            Killed::Finished(out) => {
                out.assert_code(0);
                tally.finished += 1;
                estimate = estimate.min(started.elapsed());
            }
        }
        let context = format!("after kill {n} at {} ms", delay.as_millis());
        let out = marked_search(&cat, true);
        assert!(
            out.code == 0 && found(&out) == baseline && out.notes().is_empty(),
            "{context}: search did not answer from the previous index; index folder: {:?}; output was:{out:?}",
            index_listing(&cat)
        );
        let out = cat.run_std(&["validate"]);
        assert!(
            out.code == 0,
            "{context}: validate failed; output was:{out:?}"
        );
    }
    eprintln!("kill test: rebuild kills {tally:?}");
    tally.assert_mostly_mid_write("rebuild kills");

    // Leftovers of killed rebuilds do not pile up.
    cat.run_std(&["rebuild"]).assert_code(0);
    let gens = generations(&cat);
    eprintln!(
        "kill test: index folder after a final rebuild: {:?}",
        index_listing(&cat)
    );
    assert!(
        !gens.is_empty() && gens.len() <= 2,
        "expected 1 or 2 generation folders after a good rebuild, found {gens:?}"
    );
    assert_ids_quietly(&marked_search(&cat, true), &baseline);

    // Kill the auto-refresh path: a search that is refreshing a stale index. Each round
    // edits the marked record one way or the other and touches a quarter of the records,
    // so the refresh has real work to do; the kills spread over the first 60% of the time
    // one such refresh takes.
    let with = with_edited(&baseline);
    edit_record(&cat, true, 0);
    touch_records(&cat, records, 0);
    let started = Instant::now();
    let out = marked_search(&cat, false);
    let mut estimate = started.elapsed();
    assert_ids(&out, &with);
    eprintln!(
        "kill test: a search that refreshes after the edits takes {} ms; its note: {:?}",
        estimate.as_millis(),
        out.notes()
    );
    let mut tally = Tally::default();
    for k in 0..REFRESH_KILLS {
        let marked = k % 2 == 1;
        edit_record(&cat, marked, k as usize + 1);
        touch_records(&cat, records, k as usize + 1);
        let new: &[String] = if marked { &with } else { &baseline };
        let delay = estimate * 3 * k / (5 * REFRESH_KILLS);
        let started = Instant::now();
        match spawn_and_kill(&cat, &marked_search_args(false), true, delay) {
            Killed::MidWrite => tally.mid_write += 1,
            Killed::BeforeWriting => tally.before_writing += 1,
            Killed::Finished(out) => {
                assert_ids(&out, new);
                tally.finished += 1;
                estimate = estimate.min(started.elapsed());
            }
        }
        let context = format!("after refresh kill {k} at {} ms", delay.as_millis());
        let out = marked_search(&cat, true);
        assert!(
            out.code == 0
                && (found(&out) == baseline || found(&out) == with)
                && out.notes().is_empty(),
            "{context}: --no-refresh search did not answer from the old or new index; output was:{out:?}"
        );
        if k == REFRESH_KILLS / 2 {
            // A search that may refresh brings the index up to date.
            assert_ids(&marked_search(&cat, false), new);
        }
    }
    eprintln!("kill test: refresh kills {tally:?}");
    tally.assert_mostly_mid_write("refresh kills");
    edit_record(&cat, true, REFRESH_KILLS as usize + 1);
    assert_ids(&marked_search(&cat, false), &with);
    cat.run_std(&["validate"]).assert_code(0);
    eprintln!("kill test: total {} ms", test_started.elapsed().as_millis());
}

/// The total size of the files directly in `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .expect("read folder")
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

#[test]
fn two_rebuilds_at_once_either_both_succeed_or_one_reports_busy() {
    let started = Instant::now();
    let (cat, baseline) = rebuilt_synthetic(RACE_RECORDS);
    let mut busy = 0;
    for (round, stagger) in [0, 0, 20, 100, 300].into_iter().enumerate() {
        let first = cat.spawn(&["rebuild"]);
        thread::sleep(Duration::from_millis(stagger));
        let second = cat.spawn(&["rebuild"]);
        let outs = [first, second].map(|c| Output::from_std(wait_output(c, TIMEOUT)));
        let busy_here = outs.iter().filter(|o| assert_rebuilt_or_busy(o)).count();
        assert!(
            busy_here < 2,
            "round {round}: both rebuilds reported busy:{:?}{:?}",
            outs[0],
            outs[1]
        );
        busy += busy_here;
        assert_ids_quietly(&marked_search(&cat, true), &baseline);
        assert_ids_quietly(&marked_search(&cat, false), &baseline);
    }
    eprintln!(
        "two rebuilds at once: 5 rounds, {busy} reported busy, {} ms",
        started.elapsed().as_millis()
    );
    cat.run_std(&["validate"]).assert_code(0);
}

#[test]
fn searches_during_a_rebuild_answer_from_the_old_or_the_new_index() {
    let started = Instant::now();
    let (cat, baseline) = rebuilt_synthetic(RACE_RECORDS);
    let mut searches = 0;
    for round in 0..3 {
        let rebuild = in_background(cat.spawn(&["rebuild"]));
        let mut during = 0;
        loop {
            let done = rebuild.is_finished();
            // The data do not change, so the old and the new index give the same answer,
            // and neither needs a refresh.
            let out = marked_search(&cat, during % 2 == 1);
            assert!(
                out.code == 0 && found(&out) == baseline && out.notes().is_empty(),
                "round {round}, search {during} during a rebuild: expected exactly the \
                 {} baseline ids and no note; output was:{out:?}",
                baseline.len()
            );
            during += 1;
            if done {
                break;
            }
        }
        rebuild.join().expect("rebuild thread").assert_code(0);
        assert!(during >= 3, "round {round}: only {during} searches ran");
        searches += during;
    }
    eprintln!(
        "search during rebuild: {searches} searches over 3 rebuilds, {} ms",
        started.elapsed().as_millis()
    );
}

#[test]
fn auto_refresh_racing_a_rebuild_answers_from_the_old_or_the_new_index() {
    let started = Instant::now();
    let (cat, old) = rebuilt_synthetic(RACE_RECORDS);
    let with = with_edited(&old);
    let mut busy = 0;
    let mut answered = [0, 0];
    // An edit makes the index stale; then a rebuild and a search (which refreshes first)
    // start together, in either order.
    for round in 0..4_usize {
        let marked = round.is_multiple_of(2);
        edit_record(&cat, marked, round);
        let (before, after): (&[String], &[String]) =
            if marked { (&old, &with) } else { (&with, &old) };
        let (rebuild, search) = if round < 2 {
            let rebuild = cat.spawn(&["rebuild"]);
            (rebuild, cat.spawn(&marked_search_args(false)))
        } else {
            let search = cat.spawn(&marked_search_args(false));
            thread::sleep(Duration::from_millis(20 * round as u64));
            (cat.spawn(&["rebuild"]), search)
        };
        let rebuild = in_background(rebuild);
        let search = Output::from_std(wait_output(search, TIMEOUT));
        let rebuild = rebuild.join().expect("rebuild thread");
        answered[assert_one_of(&search, &[before, after])] += 1;
        if assert_rebuilt_or_busy(&rebuild) {
            busy += 1;
        }
        assert_ids(&marked_search(&cat, false), after);
        assert_ids_quietly(&marked_search(&cat, true), after);
    }
    // Two searches that both find the index stale: both answer; one refresh wins.
    for round in 4..6_usize {
        let marked = round.is_multiple_of(2);
        edit_record(&cat, marked, round);
        let (before, after): (&[String], &[String]) =
            if marked { (&old, &with) } else { (&with, &old) };
        let first = cat.spawn(&marked_search_args(false));
        let second = cat.spawn(&marked_search_args(false));
        for out in [first, second].map(|c| Output::from_std(wait_output(c, TIMEOUT))) {
            answered[assert_one_of(&out, &[before, after])] += 1;
        }
        assert_ids_quietly(&marked_search(&cat, true), after);
    }
    eprintln!(
        "auto-refresh races: {} old answers, {} new, {busy} rebuilds busy, {} ms",
        answered[0],
        answered[1],
        started.elapsed().as_millis()
    );
}

// ---------------------------------------------------------------------------------------
// Corruption: read commands notice a damaged index and rebuild it from data/
// ---------------------------------------------------------------------------------------

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

/// Builds a good index, damages it, and checks that a search, with and then without
/// `--no-refresh`, rebuilds it from data/, says so and why (one of `why`) on stderr, and
/// answers right; and that the repair sticks.
#[track_caller]
fn assert_repaired(damage: &dyn Fn(&Catalogue), why: &[&str]) {
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    let expected = synth_marked_ids(SMALL_RECORDS);
    for no_refresh in [false, true] {
        cat.run_std(&["rebuild"]).assert_code(0);
        assert_ids_quietly(&marked_search(&cat, true), &expected);
        damage(&cat);
        let out = marked_search(&cat, no_refresh);
        assert_ids(&out, &expected);
        eprintln!("  no_refresh={no_refresh}: {}", out.notes().trim_end());
        let notes = out.notes().to_lowercase();
        assert!(
            (notes.contains("rebuilt") || notes.contains("refreshed"))
                && why.iter().any(|w| notes.contains(w)),
            "no_refresh={no_refresh}: expected a note that the index was rebuilt because it \
             was {why:?}; output was:{out:?}"
        );
        // The repair sticks: the next search uses the new index as it is.
        assert_ids_quietly(&marked_search(&cat, true), &expected);
    }
}

#[test]
fn deleted_segment_file_is_detected_and_rebuilt() {
    for ext in ["idx", "store", "term"] {
        eprintln!("deleting a *.{ext} file");
        assert_repaired(
            &|cat| fs::remove_file(&segment_files(cat, ext)[0]).expect("delete segment file"),
            &["damaged"],
        );
    }
}

#[test]
fn truncated_segment_file_is_detected_and_rebuilt() {
    for ext in ["idx", "store", "term"] {
        eprintln!("truncating a *.{ext} file");
        assert_repaired(
            &|cat| {
                let path = &segment_files(cat, ext)[0];
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .expect("open segment file");
                let len = file.metadata().expect("segment size").len();
                file.set_len(len / 2).expect("truncate segment file");
            },
            &["damaged"],
        );
    }
}

#[test]
fn garbage_meta_json_is_detected_and_rebuilt() {
    // Short garbage, and garbage of the very same size (which a size check cannot see).
    for same_size in [false, true] {
        eprintln!("garbage meta.json, same size: {same_size}");
        assert_repaired(
            &|cat| {
                let path = current_generation(cat).join("meta.json");
                let garbage = if same_size {
                    let len = usize::try_from(fs::metadata(&path).expect("meta.json").len())
                        .expect("a small file");
                    "#".repeat(len)
                } else {
                    "this is {not JSON at all".to_string()
                };
                fs::write(&path, garbage).expect("overwrite meta.json");
            },
            &["damaged"],
        );
    }
}

#[test]
fn deleted_generation_folder_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| fs::remove_dir_all(current_generation(cat)).expect("delete the generation"),
        &["damaged", "no index", "missing"],
    );
}

#[test]
fn deleted_index_folder_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| fs::remove_dir_all(cat.index_dir()).expect("delete the index folder"),
        &["no index", "missing"],
    );
}

#[test]
fn index_of_another_schema_version_is_detected_and_rebuilt() {
    assert_repaired(
        &|cat| {
            let path = current_generation(cat).join("manifest.json");
            let text = fs::read_to_string(&path).expect("read manifest.json");
            let mut manifest: serde_json::Value =
                serde_json::from_str(&text).expect("manifest.json is JSON");
            manifest["schema_version"] = serde_json::json!(999);
            fs::write(&path, manifest.to_string()).expect("write manifest.json");
        },
        &["schema"],
    );
}

// ---------------------------------------------------------------------------------------
// Read-only use
// ---------------------------------------------------------------------------------------

/// How these tests make `data/` and `index/` read-only.
#[derive(Debug, Clone, Copy)]
enum ReadOnly {
    /// Read-only bind mounts in a private user and mount namespace: works even as root.
    Unshare,
    /// Permissions: works only when the tests do not run as root.
    Chmod,
}

/// Runs the command inside the namespace: `$1` and `$2` become read-only bind mounts.
const UNSHARE_SCRIPT: &str =
    r#"mount --bind -o ro "$1" "$1" && mount --bind -o ro "$2" "$2" && shift 2 && exec "$@""#;

fn unshare_command() -> Command {
    let mut cmd = Command::new("unshare");
    cmd.args(["--user", "--map-root-user", "--mount", "sh", "-c"]);
    cmd
}

/// Finds, once, a way to make a folder read-only here; fails the test if there is none.
fn read_only_mode() -> ReadOnly {
    static MODE: OnceLock<Result<ReadOnly, String>> = OnceLock::new();
    let mode = MODE.get_or_init(|| {
        let probe = Catalogue::bare();
        let dir = probe.root().to_path_buf();
        let target = dir.join("probe");
        let tried = unshare_command()
            .arg(r#"mount --bind -o ro "$1" "$1" || exit 90; : > "$1/probe""#)
            .arg("sh")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let unshare = match &tried {
            Ok(out) if !out.status.success() && out.status.code() != Some(90) => !target.exists(),
            _ => false,
        };
        if unshare {
            return Ok(ReadOnly::Unshare);
        }
        set_writable(&dir, false);
        let written = fs::write(&target, "x").is_ok();
        set_writable(&dir, true);
        if !written {
            return Ok(ReadOnly::Chmod);
        }
        Err(format!(
            "cannot make a folder read-only here: `unshare --user --map-root-user --mount` \
             with a read-only bind mount did not work ({tried:?}), and chmod does not stop \
             writes (running as root?)"
        ))
    });
    match mode {
        Ok(mode) => *mode,
        Err(why) => panic!("{why}"),
    }
}

/// Makes a folder tree read-only (or writable again) by permissions.
fn set_writable(path: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::symlink_metadata(path).expect("stat");
    if meta.is_dir() {
        for entry in fs::read_dir(path).expect("read folder").flatten() {
            set_writable(&entry.path(), writable);
        }
    }
    let mode = match (meta.is_dir(), writable) {
        (true, true) => 0o755,
        (true, false) => 0o555,
        (false, true) => 0o644,
        (false, false) => 0o444,
    };
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Restores write permission when dropped, even if the test panics.
struct WriteProtected(Vec<PathBuf>);

impl WriteProtected {
    fn new(dirs: Vec<PathBuf>) -> WriteProtected {
        for dir in &dirs {
            set_writable(dir, false);
        }
        WriteProtected(dirs)
    }
}

impl Drop for WriteProtected {
    fn drop(&mut self) {
        for dir in &self.0 {
            set_writable(dir, true);
        }
    }
}

/// Runs `migdev ARGS` with `data/` and `index/` read-only.
fn run_read_only(cat: &Catalogue, args: &[&str]) -> Output {
    match read_only_mode() {
        ReadOnly::Unshare => {
            let mut cmd = unshare_command();
            prepare_std(&mut cmd, cat.root());
            cmd.arg(UNSHARE_SCRIPT)
                .arg("sh")
                .arg(cat.data_dir())
                .arg(cat.index_dir())
                .arg(migdev_bin())
                .args(args);
            Output::from_std(wait_output(cmd.spawn().expect("start unshare"), TIMEOUT))
        }
        ReadOnly::Chmod => {
            let _guard = WriteProtected::new(vec![cat.data_dir(), cat.index_dir()]);
            cat.run_std(args)
        }
    }
}

/// A small synthetic catalogue with a good index.
fn small_rebuilt() -> (Catalogue, Vec<String>) {
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    cat.run_std(&["rebuild"]).assert_code(0);
    (cat, synth_marked_ids(SMALL_RECORDS))
}

/// The export's data rows (CSV lines that start with an id).
fn export_ids(out: &Output) -> Vec<String> {
    out.stdout
        .lines()
        .filter(|l| l.starts_with("synth-"))
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn read_commands_work_with_a_fresh_index_on_a_read_only_file_system() {
    let (cat, expected) = small_rebuilt();
    eprintln!("read-only mode: {:?}", read_only_mode());

    for no_refresh in [false, true] {
        assert_ids_quietly(
            &run_read_only(&cat, &marked_search_args(no_refresh)),
            &expected,
        );
    }

    let out = run_read_only(&cat, &["show", &expected[0]]);
    out.assert_code(0)
        .assert_stderr("")
        .assert_stdout_has(&synth().record(50).title);

    let out = run_read_only(&cat, &["facets", SYNTH_MARKER, "--by", "kind"]);
    out.assert_code(0).assert_stdout_has("kind");
    assert!(!out.stderr.contains("warning"), "{out:?}");

    let out = run_read_only(&cat, &["export", SYNTH_MARKER, "--format", "csv"]);
    out.assert_code(0).assert_notes("");
    assert!(out.stdout.starts_with("id,title,"), "{out:?}");
    assert_eq!(sorted(export_ids(&out)), expected, "{out:?}");
}

/// Every file and folder under `dir`: its bytes (files) and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Option<Vec<u8>>, SystemTime)> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = fs::symlink_metadata(&path).expect("stat");
        let modified = meta.modified().expect("modification time");
        if meta.is_dir() {
            for entry in fs::read_dir(&path).expect("read folder").flatten() {
                stack.push(entry.path());
            }
            all.insert(path, (None, modified));
        } else {
            all.insert(
                path.clone(),
                (Some(fs::read(&path).expect("read")), modified),
            );
        }
    }
    all
}

#[test]
fn read_commands_never_write_to_data() {
    // No index yet: the first command builds one, which must touch index/ only.
    let cat = Catalogue::new();
    generate_records(&cat, SMALL_RECORDS);
    let expected = synth_marked_ids(SMALL_RECORDS);
    let before = snapshot(&cat.data_dir());
    thread::sleep(Duration::from_millis(20)); // so a rewrite would show in the time

    assert_ids(&marked_search(&cat, false), &expected);
    assert_ids_quietly(&marked_search(&cat, true), &expected);
    cat.run_std(&["search", "remittance", "--facets"])
        .assert_code(0);
    cat.run_std(&["show", &expected[0]]).assert_code(0);
    cat.run_std(&["--no-refresh", "show", &expected[1]])
        .assert_code(0);
    cat.run_std(&["facets", "--by", "sector", "--by", "region"])
        .assert_code(0);
    cat.run_std(&["export", "--format", "csv"]).assert_code(0);
    cat.run_std(&["export", SYNTH_MARKER, "--format", "json"])
        .assert_code(0);
    cat.run_std(&["--no-refresh", "export", "--format", "jsonl"])
        .assert_code(0);

    let after = snapshot(&cat.data_dir());
    let changed: Vec<&PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|p| before.get(*p) != after.get(*p))
        .collect();
    assert!(
        changed.is_empty(),
        "read commands changed these under data/: {changed:?}"
    );
    assert_eq!(before.len(), after.len());
}

#[test]
fn read_commands_answer_from_a_stale_index_on_a_read_only_file_system_with_a_warning() {
    let (cat, old) = small_rebuilt();
    // The edit would add the record to the marker query, but the index cannot be rebuilt.
    edit_record(&cat, true, 0);

    let warned = |out: &Output| {
        assert!(
            out.stderr.contains("warning") && out.stderr.contains("migdev rebuild"),
            "expected a warning that says to run `migdev rebuild`; output was:{out:?}"
        );
    };
    let out = run_read_only(&cat, &marked_search_args(false));
    assert_ids(&out, &old);
    warned(&out);

    let out = run_read_only(&cat, &["show", &synth_id(EDITED), "--format", "json"]);
    out.assert_code(0);
    assert_eq!(
        out.json()[0]["title"],
        synth().record(EDITED as u64).title.as_str(),
        "{out:?}"
    );
    assert!(
        !out.stdout.contains("edition"),
        "shows the new text:{out:?}"
    );
    warned(&out);

    let out = run_read_only(&cat, &["facets", SYNTH_MARKER, "--by", "kind"]);
    out.assert_code(0).assert_stdout_has("kind");
    warned(&out);

    let out = run_read_only(&cat, &["export", SYNTH_MARKER, "--format", "csv"]);
    out.assert_code(0);
    assert_eq!(sorted(export_ids(&out)), old, "{out:?}");
    warned(&out);

    // Once writable again, the next search refreshes.
    assert_ids(&marked_search(&cat, false), &with_edited(&old));
}

// The index folder belongs to migdev alone (issue 15).

fn one_record() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance matching fund").summary("Matches remittances."));
    cat
}

#[test]
fn rebuild_removes_only_generations_it_made_and_refuses_a_folder_holding_other_files() {
    let cat = one_record();
    let foreign = cat.root().join("idx");
    fs::create_dir_all(foreign.join("gen-notes")).unwrap();
    fs::write(foreign.join("gen-notes/notes.txt"), "mine").unwrap();
    cat.run(&["--index", "idx", "rebuild"])
        .assert_code(2)
        .assert_stderr_has("holds `gen-notes`, which migdev did not make")
        .assert_stderr_has("\n  hint: migdev writes only into a folder of its own");
    assert_eq!(
        fs::read_to_string(foreign.join("gen-notes/notes.txt")).unwrap(),
        "mine"
    );

    // In its own folder, a generation left by a killed rebuild carries the marker and goes.
    cat.run(&["rebuild"]).assert_code(0);
    let leftover = cat.index_dir().join("gen-1-1");
    fs::create_dir(&leftover).unwrap();
    fs::write(leftover.join(".migdev-generation"), "").unwrap();
    cat.run(&["rebuild"]).assert_code(0);
    assert!(!leftover.exists(), "a marked leftover generation was kept");
}

#[test]
fn an_index_option_naming_a_file_gets_a_clear_message() {
    let cat = one_record();
    fs::write(cat.root().join("idx-file"), "not a folder").unwrap();
    let out = cat.run(&["--index", "idx-file", "search", "remittances"]);
    out.assert_code(2)
        .assert_stderr_has("error: the index folder idx-file is a file\n  hint: give --index")
        .assert_stderr_lacks("os error");
}

#[test]
fn a_store_damaged_without_a_size_change_gives_one_clear_error_with_a_rebuild_hint() {
    // Enough records for the document store to hold many blocks: the damage goes to
    // their middle, away from the index of blocks at the end that opening checks.
    let cat = Catalogue::new();
    generate_records(&cat, 300);
    cat.run(&["rebuild"]).assert_code(0);
    for store in segment_files(&cat, "store") {
        let mut bytes = fs::read(&store).unwrap();
        let (from, to) = (bytes.len() / 8, bytes.len() / 2);
        for byte in &mut bytes[from..to] {
            *byte ^= 0x5a;
        }
        fs::write(&store, bytes).unwrap();
    }
    let out = cat.run(&["export", "--format", "jsonl"]);
    out.assert_code(2);
    assert_eq!(
        out.stderr.matches("run `migdev rebuild`").count(),
        1,
        "{out:?}"
    );
    assert!(
        out.stderr.starts_with("error: the index cannot be read"),
        "{out:?}"
    );
}
