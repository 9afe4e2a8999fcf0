//! `migdev doctor`: the state of data and index, exit 2 only when a person must act,
//! and never a change to either.

use std::fs;
use std::path::PathBuf;

use crate::util::{Catalogue, Rec};

fn built() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance matching fund").summary("Matches remittances."));
    cat.add(&Rec::new("bond", "Diaspora bond").summary("Sells bonds to emigrants."));
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

/// The generation folder CURRENT names.
fn generation(cat: &Catalogue) -> PathBuf {
    let name = fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap();
    cat.index_dir().join(name.trim())
}

#[test]
fn a_healthy_catalogue_reports_counts_age_and_checksums_and_exits_0() {
    let cat = built();
    let out = cat.run(&["doctor"]);
    out.assert_code(0)
        .assert_stdout_has("2 valid records and 13 sectors, no problems")
        .assert_stdout_has("2 records, generation gen-")
        .assert_stdout_has("up to date with data/")
        .assert_stdout_has("checksums ok (")
        .assert_stdout_has("all well");
    assert!(out.stdout.contains(" ago)\n"), "{out:?}");
}

#[test]
fn a_stale_index_is_reported_but_is_not_an_error_and_is_not_refreshed() {
    let cat = built();
    cat.add(&Rec::new("loan", "Migrant housing loan"));
    let before = fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap();
    cat.run(&["doctor"]).assert_code(0).assert_stdout_has(
        "stale (record files: 1 added): the next search refreshes it, or run `migdev rebuild`",
    );
    assert_eq!(
        fs::read_to_string(cat.index_dir().join("CURRENT")).unwrap(),
        before
    );
}

#[test]
fn invalid_data_lists_the_problems_and_exits_2() {
    let cat = built();
    cat.write_record("fund", "title = \"Remittance\"\nkind = \"programme\"\n");
    cat.run(&["doctor"])
        .assert_code(2)
        .assert_stdout_has("1 valid record and 13 sectors, 1 problem")
        .assert_stdout_has("fund.toml:")
        .assert_stdout_has("missing field")
        .assert_stdout_has("something is wrong");
}

#[test]
fn a_missing_index_is_an_error_with_a_hint() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("fund", "Remittance matching fund"));
    cat.run(&["doctor"])
        .assert_code(2)
        .assert_stdout_has("unusable: no index yet")
        .assert_stdout_has("hint: `migdev rebuild` builds it");
    assert!(!cat.index_dir().join("CURRENT").exists());
}

#[test]
fn a_flipped_byte_fails_the_checksum_and_exits_2() {
    let cat = built();
    let store = fs::read_dir(generation(&cat))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a .store file");
    let mut bytes = fs::read(&store).unwrap();
    bytes[0] ^= 0xff;
    fs::write(&store, bytes).unwrap();
    cat.run(&["doctor"])
        .assert_code(2)
        .assert_stdout_has("checksum failed: ")
        .assert_stdout_has(".store");
}

#[test]
fn json_format_gives_the_same_facts_and_an_ok_flag() {
    let cat = built();
    let out = cat.run(&["doctor", "--format", "json"]);
    out.assert_code(0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["data"]["records"], 2);
    assert_eq!(report["index"]["state"], "usable");
    assert_eq!(report["index"]["records"], 2);
    assert_eq!(report["index"]["changes"], "");
    assert_eq!(report["index"]["checksum_failures"], serde_json::json!([]));
}

#[test]
fn hints_are_indented_under_their_problem() {
    let cat = built();
    cat.write_record("fund", "title = 5\n");
    let out = cat.run(&["doctor"]);
    out.assert_code(2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.contains("fund.toml:1:9: invalid type"))
        .unwrap_or_else(|| panic!("no problem line; output was:{out:?}"));
    assert!(lines[at].starts_with("       /"), "{out:?}");
    assert!(
        lines[at + 1].starts_with("         hint: text goes in quotes"),
        "{out:?}"
    );
}

#[test]
fn files_held_back_are_listed_and_a_blocked_refresh_is_not_promised() {
    let cat = built();
    cat.write_record("fund", "title = 5\n");
    cat.run(&["search", "bonds"]).assert_code(0);
    cat.run(&["doctor"]).assert_code(2).assert_stdout_has(
        "holds the last good version (or nothing) of 1 record file with problems: fund.toml",
    );

    // A broken vocabulary stops every refresh: doctor must not promise one.
    cat.write("data/sectors.toml", "sector = []\n");
    let out = cat.run(&["doctor"]);
    out.assert_code(2)
        .assert_stdout_has("no search can refresh it until the problems above are fixed");
    assert!(
        !out.stdout.contains("the next search refreshes it"),
        "{out:?}"
    );
}

#[test]
fn a_stale_index_with_a_broken_record_says_the_refresh_goes_around_it() {
    let cat = built();
    cat.write_record("fund", "title = 5\n");
    cat.run(&["doctor"]).assert_code(2).assert_stdout_has(
        "stale (record files: 1 changed): the next search refreshes it around the files with problems",
    );
}
