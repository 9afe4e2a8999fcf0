//! Typo recovery and the highlighting of corrected words.

use super::*;

/// Records for the typo tests: one says "remittances", one does not.
fn typo_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("remit", "Transfer fund")
            .summary("Cuts the cost of remittances sent home by migrants."),
        Rec::new("nurses", "Nurse training").summary("Trains nurses before they migrate."),
    ])
}

#[test]
fn misspelt_word_finds_the_record_and_says_what_it_searched_instead() {
    let cat = typo_fixture();
    let out = search(&cat, &["remitances"]);
    out.assert_code(0).assert_stderr(
        "no exact match for \"remitances\"; showing results for \"remittances\"\n\
         showing 1-1 of 1 matching records\n",
    );
    assert_eq!(out.ids(), strings(&["remit"]), "{out:?}");
}

#[test]
fn exact_turns_typo_correction_off() {
    let cat = typo_fixture();
    search(&cat, &["--exact", "remitances"])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr("no matching records (total matches: 0)\n");
    // A correctly spelt word still matches.
    search(&cat, &["--exact", "remittances"]).assert_found(&["remit"]);
}

#[test]
fn fuzzy_matches_close_spellings_of_a_correct_word() {
    let cat = Catalogue::indexed(&[
        Rec::new("exact", "Transfer fund").summary("Cuts the cost of remittances."),
        Rec::new("variant", "Counter desk").summary("Counts each remmittances sent abroad."),
        Rec::new("other", "Nurse training").summary("Trains nurses."),
    ]);
    // Without --fuzzy a word that matches is taken as written.
    search(&cat, &["remittances"]).assert_found(&["exact"]);
    let out = search(&cat, &["--fuzzy", "remittances"]);
    out.assert_code(0);
    assert_eq!(
        crate::util::sorted(out.ids()),
        strings(&["exact", "variant"]),
        "{out:?}"
    );
    out.assert_stderr(
        "fuzzy: \"remittances\" also matches \"remmittances\"\n\
         showing 1-2 of 2 matching records\n",
    );
}

#[test]
fn color_always_highlights_the_corrected_word_in_bold() {
    let cat = typo_fixture();
    let out = run_raw(
        cat.root(),
        &["search", "remitances", "--color", "always"],
        &[],
    )
    .output();
    out.assert_code(0).assert_stderr(
        "no exact match for \"remitances\"; showing results for \"remittances\"\n\
         showing 1-1 of 1 matching records\n",
    );
    assert!(
        out.stdout
            .contains("Cuts the cost of \u{1b}[1mremittances\u{1b}[0m sent home by migrants"),
        "the corrected word is not in bold; output was:{out:?}"
    );
    assert_eq!(
        out.stdout.matches("\u{1b}[").count(),
        2,
        "only the matched word is styled; output was:{out:?}"
    );
}

#[test]
fn color_never_prints_no_escape_codes() {
    let cat = typo_fixture();
    let out = run_raw(
        cat.root(),
        &["search", "remitances", "--color", "never"],
        &[],
    )
    .output();
    out.assert_code(0);
    assert!(!out.stdout.contains('\u{1b}'), "{out:?}");
    assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
    assert!(
        out.stdout
            .contains("Cuts the cost of remittances sent home by migrants"),
        "{out:?}"
    );
}
