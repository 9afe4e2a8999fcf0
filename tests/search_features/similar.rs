//! Similar records.

use super::*;

/// `m-base` and `a-twin` share most of their words; `b-distant` shares a few; the rest none.
fn similar_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("m-base", "Diaspora bond for hometown infrastructure")
            .sectors(&["economic-growth"])
            .summary("Diaspora bond that pays for roads and schools in hometown villages out of emigrant savings."),
        Rec::new("a-twin", "Hometown infrastructure bond for emigrants")
            .sectors(&["economic-growth"])
            .summary("Emigrant savings pay for roads and schools in hometown villages through a diaspora bond."),
        Rec::new("b-distant", "Diaspora nurses exchange")
            .sectors(&["health"])
            .summary("Trains diaspora nurses for clinics in hometown villages."),
        Rec::new("c-unrelated", "Seasonal farm work visa")
            .sectors(&["agriculture-rural-development"])
            .summary("Farm workers harvest crops under a seasonal visa."),
        Rec::new("d-filler", "Pension portability agreement")
            .sectors(&["social-protection"])
            .summary("Workers keep pension rights when they move between countries."),
        Rec::new("e-filler", "Skills recognition network")
            .sectors(&["education"])
            .summary("Employers recognise qualifications gained abroad."),
    ])
}

#[test]
fn similar_ranks_the_closest_record_first_and_leaves_the_record_itself_out() {
    let cat = similar_fixture();
    let out = cat.run(&["similar", "m-base", "--format", "ids"]);
    out.assert_code(0).assert_stderr("");
    assert_eq!(out.ids(), strings(&["a-twin", "b-distant"]), "{out:?}");
    let out = cat.run(&["similar", "m-base", "--format", "json"]);
    let scores: Vec<f64> = out
        .json_scores()
        .into_iter()
        .map(|score| score.expect("a score"))
        .collect();
    assert!(scores[0] > scores[1], "{out:?}");
}

#[test]
fn similar_applies_filters() {
    let cat = similar_fixture();
    cat.run(&["similar", "m-base", "--sector", "health", "--format", "ids"])
        .assert_code(0)
        .assert_stdout("b-distant\n")
        .assert_stderr("");
    cat.run(&["similar", "m-base", "--sector", "trade"])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr("no similar records\n");
}

#[test]
fn similar_with_an_unknown_id_exits_2_and_suggests_the_closest() {
    let cat = similar_fixture();
    cat.run(&["similar", "m-bse"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr("error: no record with id `m-bse`\n  hint: did you mean m-base?\n");
    cat.run(&["similar", "zzzzzzzz"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(
            "error: no record with id `zzzzzzzz`\n  hint: `migdev search` lists the ids\n",
        );
}
