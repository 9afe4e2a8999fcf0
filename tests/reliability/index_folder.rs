//! The index folder belongs to migdev alone (issue 15).

use super::*;

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
