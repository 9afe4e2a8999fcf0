//! Crashes: SIGKILL at any moment leaves a usable index.

use super::*;

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

/// Fills the catalogue until one full rebuild (debug binary) takes over
/// `KILL_MIN_REBUILD`, so kills can land while it writes; the record count and that time.
fn sized_for_kills(cat: &Catalogue) -> (usize, Duration) {
    let mut records = 0;
    let mut target = KILL_START_RECORDS;
    loop {
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
            break (records, took);
        }
        assert!(
            target * 2 <= KILL_MAX_RECORDS,
            "even {records} records rebuild in {} ms, under {} ms: cannot size the kill test",
            took.as_millis(),
            KILL_MIN_REBUILD.as_millis()
        );
        target *= 2;
    }
}

#[test]
fn killed_rebuilds_and_refreshes_leave_the_previous_index_searchable() {
    let test_started = Instant::now();
    let cat = Catalogue::new();
    let (records, rebuild_time) = sized_for_kills(&cat);

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
