//! The index: `rebuild`, the automatic refresh when data/ changes, keeping the previous
//! index when data/ is broken, and finding the catalogue (`--data`, `--index`, env, parents).

use std::path::Path;

use crate::util::{Catalogue, Output, Rec, strings};

/// Two records: `fund` (about remittances) and `bond` (about diaspora bonds).
fn two_records() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance matching fund").summary("Matches remittances."));
    cat.add(&Rec::new("bond", "Diaspora bond").summary("Sells bonds to emigrants."));
    cat
}

/// The stderr line `rebuild` prints, less the time it took.
#[track_caller]
fn assert_rebuilt(out: &Output, records: usize, index: &Path) {
    out.assert_code(0).assert_stdout("");
    let prefix = format!("indexed {records} records in ");
    let suffix = format!(" ms into {}\n", index.display());
    let millis = out
        .stderr
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(&suffix));
    assert!(
        millis.is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit())),
        "unexpected rebuild note; output was:{out:?}"
    );
}

/// Stderr, less the count note, is exactly the refresh note `index rebuilt (WHY): N
/// records in T ms`.
#[track_caller]
fn assert_refreshed(out: &Output, why: &str, records: usize) {
    let notes = out.notes();
    let millis = notes
        .strip_prefix(&format!("index rebuilt ({why}): {records} records in "))
        .and_then(|rest| rest.strip_suffix(" ms\n"));
    assert!(
        millis.is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit())),
        "expected the refresh note; output was:{out:?}"
    );
}

#[test]
fn rebuild_then_search_finds_a_record() {
    let cat = two_records();
    assert_rebuilt(&cat.run(&["rebuild"]), 2, &cat.index_dir());
    assert!(cat.index_dir().join("CURRENT").is_file());
    cat.run(&["search", "--format", "ids", "remittance"])
        .assert_found(&["fund"]);
}

#[test]
fn search_without_an_index_builds_one_first_and_says_so() {
    let cat = two_records();
    let out = cat.run(&["search", "--format", "ids", "remittance"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    assert_eq!(out.total(), Some(1), "{out:?}");
    assert_refreshed(&out, "no index yet", 2);
    assert!(cat.index_dir().join("CURRENT").is_file());
}

#[test]
fn edited_title_is_searchable_without_an_explicit_rebuild() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    cat.run(&["search", "--format", "ids", "matching"])
        .assert_found(&["fund"]);
    // A longer title, so the file's size changes as well as its time.
    cat.add(
        &Rec::new("fund", "Hometown association co-financing scheme")
            .summary("Matches remittances."),
    );

    let out = cat.run(&["search", "--format", "json", "hometown"]);
    out.assert_code(0);
    let json = out.json();
    let found: Vec<(&str, &str)> = json
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [("fund", "Hometown association co-financing scheme")],
        "{out:?}"
    );
    assert_eq!(out.total(), Some(1), "{out:?}");
    assert_refreshed(&out, "record files: 1 changed", 2);

    cat.run(&["search", "title:matching"])
        .assert_nothing_found();
}

#[test]
fn added_and_removed_records_are_noticed_without_an_explicit_rebuild() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    std::fs::remove_file(cat.record_path("bond")).unwrap();
    cat.add(&Rec::new("loan", "Migrant housing loan"));

    let out = cat.run(&["search", "--format", "ids"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund", "loan"]), "{out:?}");
    assert_refreshed(&out, "record files: 1 added, 1 removed", 2);
}

#[test]
fn files_that_are_not_records_do_not_make_the_index_stale() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    cat.write("data/programmes/README.md", "notes");
    cat.write("data/programmes/fund.toml~", "backup");
    cat.write("data/programmes/.fund.toml.swp", "swap");
    cat.run(&["search", "--format", "ids", "remittance"])
        .assert_found(&["fund"]);
}

#[test]
fn rebuild_with_invalid_data_exits_2_and_prints_the_problem() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    let current = std::fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap();
    let path = cat.write_record("bond", "title = 5\n");

    cat.run(&["rebuild"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: {}:1:9: invalid type: integer `5`, expected a string\n  \
             hint: text goes in quotes, lists in [ ], years are plain numbers\n\
             1 problem found\n",
            path.display()
        ));
    let after = std::fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap();
    assert_eq!(
        current, after,
        "a failed rebuild replaced the current index"
    );
}

#[test]
fn a_broken_record_keeps_its_last_good_version_and_is_named_on_every_command() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    let path = cat.write_record("bond", "title = 5\n");
    cat.run(&["rebuild"]).assert_code(2);

    let problem = format!(
        "warning: {}:1:9: invalid type: integer `5`, expected a string\n  \
         hint: text goes in quotes, lists in [ ], years are plain numbers\n",
        path.display()
    );
    let out = cat.run(&["search", "--format", "ids", "remittance"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    out.assert_stderr_has("index rebuilt (record files: 1 changed): 2 records")
        .assert_stderr_has(&problem)
        .assert_stderr_has(
            "warning: 1 record file with problems: the index keeps the last valid version of \
             each (nothing for a file never valid) until it is fixed; `migdev validate` checks\n",
        );
    // The last good version still answers, and the warning comes on every command.
    let bonds = cat.run(&["search", "--format", "ids", "bonds"]);
    assert_eq!(bonds.ids(), strings(&["bond"]), "{bonds:?}");
    bonds
        .assert_stderr_has(&problem)
        .assert_stderr_lacks("index rebuilt");
}

#[test]
fn warnings_about_a_broken_record_are_shown_even_with_quiet() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    let path = cat.write_record("bond", "title = 5\n");

    let out = cat.run(&["-q", "search", "--format", "ids", "remittance"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    assert!(
        out.stderr
            .starts_with(&format!("warning: {}:1:9: invalid type", path.display())),
        "{out:?}"
    );
    out.assert_stderr_lacks("index rebuilt")
        .assert_stderr_lacks("matching records");
}

#[test]
fn after_a_failed_rebuild_no_refresh_answers_from_the_previous_index() {
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    cat.write_record("bond", "title = 5\n");
    cat.run(&["rebuild"]).assert_code(2);

    // The old record is still found, and the broken data is not even looked at: no warning.
    cat.run(&["--no-refresh", "search", "--format", "ids", "bonds"])
        .assert_found(&["bond"]);
    cat.run(&["--no-refresh", "show", "bond"])
        .assert_code(0)
        .assert_stderr("")
        .assert_stdout_has("Diaspora bond\n");
}

#[test]
fn a_broken_record_without_an_index_is_left_out_and_the_rest_indexed() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance matching fund"));
    let path = cat.write_record("bond", "title = 5\n");

    let out = cat.run(&["search", "--format", "ids", "remittance"]);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    out.assert_code(0).assert_stderr_has(&format!(
        "warning: {}:1:9: invalid type: integer `5`, expected a string\n",
        path.display()
    ));
    cat.run(&["--no-refresh", "show", "bond"]).assert_code(2);
}

#[test]
fn running_from_a_subfolder_finds_the_catalogue_above() {
    let cat = two_records();
    let out = cat.run_in(
        "data/programmes",
        &["search", "--format", "ids", "remittance"],
    );
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    // The index goes beside data/, not in the folder the command ran from.
    assert!(cat.index_dir().join("CURRENT").is_file());
    assert!(!cat.programmes_dir().join("index").exists());

    assert_rebuilt(&cat.run_in("data", &["rebuild"]), 2, &cat.index_dir());
}

#[test]
fn no_catalogue_found_says_where_it_looked_and_to_pass_data() {
    let dir = Catalogue::bare();
    assert!(
        !dir.root()
            .ancestors()
            .any(|a| a.join("data").join("sectors.toml").is_file()),
        "the temporary folder {} lies inside a catalogue; set TMPDIR elsewhere",
        dir.root().display()
    );
    let expected = format!(
        "error: no catalogue found: looked for data/sectors.toml or data/programmes/ in {} and its parents\n  \
         hint: run migdev inside a catalogue, or pass --data DIR (or set MIGDEV_DATA)\n",
        dir.root().display()
    );
    for args in [
        &["search", "x"][..],
        &["validate"],
        &["rebuild"],
        &["show", "x"],
    ] {
        dir.run(args)
            .assert_code(2)
            .assert_stdout("")
            .assert_stderr(&expected);
    }
}

#[test]
fn data_flag_points_at_a_catalogue_from_elsewhere_and_indexes_beside_it() {
    let cat = two_records();
    let elsewhere = Catalogue::bare();
    let out = elsewhere
        .command()
        .arg("--data")
        .arg(cat.data_dir())
        .args(["search", "--format", "ids", "remittance"])
        .run();
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
    assert!(cat.index_dir().join("CURRENT").is_file());
    assert!(!elsewhere.root().join("index").exists());
}

#[test]
fn data_flag_wins_over_the_catalogue_of_the_current_folder() {
    let here = Catalogue::new();
    here.add(&Rec::new("local", "Local remittance fund"));
    let there = two_records();
    let out = here
        .command()
        .arg("--data")
        .arg(there.data_dir())
        .args(["search", "--format", "ids", "remittance"])
        .run();
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["fund"]), "{out:?}");
}

#[test]
fn index_flag_puts_the_index_where_it_says() {
    let cat = two_records();
    let elsewhere = Catalogue::bare();
    let index = elsewhere.root().join("my-index");
    let out = cat
        .command()
        .arg("--index")
        .arg(&index)
        .arg("rebuild")
        .run();
    assert_rebuilt(&out, 2, &index);
    assert!(index.join("CURRENT").is_file());
    assert!(!cat.index_dir().join("CURRENT").exists());

    let out = cat
        .command()
        .arg("--index")
        .arg(&index)
        .args(["search", "--format", "ids", "remittance"])
        .run();
    out.assert_found(&["fund"]);
    assert!(!cat.index_dir().join("CURRENT").exists());
}

#[test]
fn migdev_data_and_migdev_index_environment_variables_are_used() {
    let cat = two_records();
    let elsewhere = Catalogue::bare();
    let index = elsewhere.root().join("env-index");
    let out = elsewhere
        .command()
        .env("MIGDEV_DATA", cat.data_dir())
        .env("MIGDEV_INDEX", &index)
        .args(["search", "--format", "ids", "bonds"])
        .run();
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["bond"]), "{out:?}");
    assert!(index.join("CURRENT").is_file());
    assert!(!cat.index_dir().join("CURRENT").exists());
}

#[test]
fn migdev_data_alone_indexes_beside_the_data_folder() {
    let cat = two_records();
    let elsewhere = Catalogue::bare();
    let out = elsewhere
        .command()
        .env("MIGDEV_DATA", cat.data_dir())
        .arg("rebuild")
        .run();
    assert_rebuilt(&out, 2, &cat.index_dir());
}

/// Files migdev writes get the same permissions as any new file (the umask's), so the
/// other users of a shared catalogue can read the index and exports.
#[cfg(unix)]
#[test]
fn index_files_and_exports_are_as_readable_as_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let cat = two_records();
    cat.run(&["rebuild"]).assert_code(0);
    let export = cat.root().join("all.csv");
    cat.run(&["export", "--output", export.to_str().unwrap()])
        .assert_code(0);
    let reference = cat.write("reference.txt", "x");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let generation = std::fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap();
    for path in [
        cat.index_dir().join("CURRENT"),
        cat.index_dir()
            .join(generation.trim())
            .join("manifest.json"),
        cat.index_dir()
            .join(generation.trim())
            .join("records.stamps"),
        export,
    ] {
        assert_eq!(mode(&path), mode(&reference), "{}", path.display());
    }
}
