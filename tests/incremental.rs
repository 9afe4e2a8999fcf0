//! Incremental refresh: after an edit, only the changed record files are re-indexed, and
//! the index then answers exactly as a full rebuild would.

use crate::util::{Catalogue, Output, Rec, sorted, strings};

/// Eight records, so one changed file is a small share and takes the incremental path.
fn eight_records() -> Catalogue {
    let cat = Catalogue::new();
    for (id, title) in [
        ("fund", "Remittance matching fund"),
        ("bond", "Diaspora bond"),
        ("loan", "Migrant housing loan"),
        ("fair", "Diaspora investment fair"),
        ("desk", "Migrant information desk"),
        ("card", "Consular identity card"),
        ("scan", "Skills recognition scheme"),
        ("farm", "Seasonal farm work programme"),
    ] {
        cat.add(&Rec::new(id, title).summary(&format!("About the {title}.")));
    }
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

/// Runs `search ARGS --format ids` and returns the ids it printed, sorted, with the run.
fn ids(cat: &Catalogue, args: &[&str]) -> (Vec<String>, Output) {
    let mut all = vec!["search", "--format", "ids"];
    all.extend_from_slice(args);
    let out = cat.run(&all);
    (sorted(out.stdout.lines().map(String::from).collect()), out)
}

/// The generation folders in the index: an update replaces the current one.
fn generations(cat: &Catalogue) -> usize {
    std::fs::read_dir(cat.index_dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("gen-")
        })
        .count()
}

#[test]
fn an_edited_record_is_found_by_its_new_words_and_not_its_old_ones() {
    let cat = eight_records();
    cat.add(&Rec::new("fund", "Hometown co-financing scheme").summary("Matches remittances."));

    let (found, out) = ids(&cat, &["hometown"]);
    assert_eq!(found, strings(&["fund"]), "{out:?}");
    assert!(
        out.notes()
            .starts_with("index updated (record files: 1 changed): 8 records in "),
        "{out:?}"
    );
    cat.run(&["search", "title:matching"])
        .assert_nothing_found();
    // Every other record is still there, once.
    let (all, out) = ids(&cat, &[]);
    assert_eq!(
        all,
        strings(&[
            "bond", "card", "desk", "fair", "farm", "fund", "loan", "scan"
        ]),
        "{out:?}"
    );
    assert_eq!(generations(&cat), 1);
}

#[test]
fn a_removed_record_is_gone_from_search_show_and_suggestions() {
    let cat = eight_records();
    std::fs::remove_file(cat.record_path("loan")).unwrap();

    cat.run(&["search", "housing"]).assert_nothing_found();
    let out = cat.run(&["show", "loan"]);
    out.assert_code(2)
        .assert_stderr_has("no record with id `loan`");
    // The suggestions come from live records only.
    let out = cat.run(&["show", "lo"]);
    out.assert_code(2).assert_stderr_lacks("`loan`");
    let (all, out) = ids(&cat, &[]);
    assert_eq!(all.len(), 7, "{out:?}");
    cat.run(&["doctor"])
        .assert_code(0)
        .assert_stdout_has("7 records, generation");
}

#[test]
fn an_added_record_is_found_and_counted() {
    let cat = eight_records();
    cat.add(&Rec::new("club", "Hometown association club").summary("Pools savings."));
    assert_eq!(ids(&cat, &["hometown"]).0, strings(&["club"]));
    cat.run(&["--no-refresh", "search", "--format", "ids", "migrant"])
        .assert_found_any_order(&["loan", "desk"]);
}

#[test]
fn an_edit_that_takes_another_records_title_is_held_back_and_named() {
    let cat = eight_records();
    let loan = cat.add(&Rec::new("loan", "Diaspora Bond").summary("Now a bond."));

    // The index keeps the last good version of `loan`, and says why.
    let (found, out) = ids(&cat, &["housing"]);
    assert_eq!(found, strings(&["loan"]), "{out:?}");
    out.assert_stderr_has(&format!(
        "warning: {}: the title is also used by `bond`",
        loan.display()
    ));
    cat.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has("the title is also used by `bond`");
}

#[test]
fn a_new_file_repeating_a_title_is_left_out_and_named() {
    let cat = eight_records();
    let copy = cat.add(&Rec::new("copy", "Diaspora bond").summary("A copy of the bond."));

    let (found, out) = ids(&cat, &["copy"]);
    assert_eq!(found, strings(&[]), "{out:?}");
    out.assert_code(1).assert_stderr_has(&format!(
        "warning: {}: the title is also used by `bond`",
        copy.display()
    ));
}

#[test]
fn an_edit_is_indexed_while_another_record_is_broken() {
    let cat = eight_records();
    let broken = cat.write_record("farm", "title = 5\n");
    cat.add(&Rec::new("desk", "Migrant information desk").summary("Now also runs a hotline."));

    let (found, out) = ids(&cat, &["hotline"]);
    assert_eq!(found, strings(&["desk"]), "{out:?}");
    out.assert_stderr_has(&format!("warning: {}:1:9", broken.display()));
    // The broken file's last good version still answers.
    assert_eq!(ids(&cat, &["seasonal"]).0, strings(&["farm"]));
}

#[test]
fn fixing_a_held_back_record_indexes_it_and_ends_the_warnings() {
    let cat = eight_records();
    cat.add(&Rec::new("copy", "Diaspora bond").summary("A copy of the bond."));
    ids(&cat, &["copy"]).1.assert_stderr_has("warning: ");
    // Giving the title up elsewhere mends the held file, though the file itself is unchanged.
    cat.add(&Rec::new("bond", "Diaspora savings bond").summary("Renamed, a longer summary."));

    let (found, out) = ids(&cat, &["copy"]);
    assert_eq!(found, strings(&["copy"]), "{out:?}");
    out.assert_stderr_lacks("warning");
    ids(&cat, &["copy"]).1.assert_stderr_lacks("warning");
}

#[test]
fn a_record_may_take_the_title_another_record_gave_up_in_the_same_update() {
    let cat = eight_records();
    cat.add(&Rec::new("bond", "Diaspora savings bond").summary("Renamed."));
    cat.add(&Rec::new("loan", "Diaspora bond").summary("Took the old title."));
    let (found, out) = ids(&cat, &["title:savings"]);
    assert_eq!(found, strings(&["bond"]), "{out:?}");
    out.assert_stderr_lacks("warning");
    cat.run(&["search", "housing"]).assert_nothing_found();
}

#[test]
fn a_new_sector_vocabulary_rebuilds_everything() {
    let cat = eight_records();
    let sectors = cat.data_dir().join("sectors.toml");
    let text = std::fs::read_to_string(&sectors).unwrap();
    std::fs::write(&sectors, format!("{text}\n# edited\n")).unwrap();
    let out = cat.run(&["search", "diaspora"]);
    out.assert_code(0);
    assert!(
        out.notes()
            .starts_with("index rebuilt (sectors.toml changed): 8 records in "),
        "{out:?}"
    );
}

#[test]
fn many_edits_in_a_row_keep_one_generation_and_the_right_count() {
    let cat = eight_records();
    for round in 0..6 {
        cat.add(
            &Rec::new("desk", &format!("Migrant information desk, round {round}"))
                .summary("Edited again."),
        );
        assert_eq!(ids(&cat, &["desk"]).0, strings(&["desk"]));
    }
    assert_eq!(generations(&cat), 1);
    let doctor = cat.run(&["doctor"]);
    doctor
        .assert_code(0)
        .assert_stdout_has("8 records, generation gen-")
        .assert_stdout_has("up to date with data/");
}

#[cfg(unix)]
#[test]
fn an_edit_to_the_target_of_a_symlinked_record_is_noticed() {
    let cat = eight_records();
    let elsewhere = cat.root().join("shared-fund.toml");
    std::fs::rename(cat.record_path("fund"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, cat.record_path("fund")).unwrap();
    cat.run(&["search", "matching"]).assert_code(0);
    let edited = std::fs::read_to_string(&elsewhere)
        .unwrap()
        .replace("Remittance matching fund", "Hometown pooling fund");
    std::fs::write(&elsewhere, edited).unwrap();
    let (found, out) = ids(&cat, &["pooling"]);
    assert_eq!(found, strings(&["fund"]), "{out:?}");
}
