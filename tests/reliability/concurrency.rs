//! Concurrency: rebuilds, refreshes and reads at the same time.

use super::*;

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
