//! `migdev show ID`: one record laid out for reading; an unknown id suggests the closest.

use crate::util::{Catalogue, Rec};

const FULL: &str = r#"title = "Remittance matching fund"
kind = "fund"
sectors = ["financial-services", "infrastructure"]
countries = ["MEX", "CIV"]
origin = ["MEX"]
destination = ["CIV"]
organisations = ["Ministry of Finance", "IOM"]
start_year = 2002
end_year = 2010
status = "ended"
summary = "Matches migrants' remittances for public works."
description = "Hometown associations propose projects."
keywords = ["matching grants", "hometown associations"]

[[sources]]
title = "Programme review"
publisher = "World Bank"
url = "https://example.org/review"
via = "https://archive.example.net/review"
kind = "evaluation"

[[sources]]
title = "Annual report"
publisher = "Ministry of Finance"
year = 2008
kind = "official"
"#;

/// A catalogue with `remittance-fund` (FULL) and `diaspora-bond`, already indexed.
fn catalogue() -> Catalogue {
    let cat = Catalogue::new();
    cat.write_record("remittance-fund", FULL);
    cat.add(&crate::util::Rec::new("diaspora-bond", "Diaspora bond").countries(&["IND"]));
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

#[test]
fn show_prints_the_whole_record_with_labels_names_and_numbered_sources() {
    let cat = catalogue();
    let out = cat.run(&["show", "remittance-fund"]);
    out.assert_code(0).assert_stderr("");
    let stdout = &out.stdout;
    // Title, underlined.
    assert!(
        stdout.starts_with("Remittance matching fund\n========================\n"),
        "{out:?}"
    );
    for line in [
        "id:            remittance-fund\n",
        "kind:          fund\n",
        // Sector labels, not slugs.
        "sectors:       Financial services; Infrastructure\n",
        // Country names with their codes.
        "countries:     Mexico (MEX); Côte d'Ivoire (CIV)\n",
        "origin:        Mexico (MEX)\n",
        "destination:   Côte d'Ivoire (CIV)\n",
        "organisations: Ministry of Finance; IOM\n",
        "years:         2002-2010 (ended)\n",
        "keywords:      matching grants; hometown associations\n",
        "\nSummary\n  Matches migrants' remittances for public works.\n",
        "\nDescription\n  Hometown associations propose projects.\n",
        // Numbered sources with their kinds, each address (and the copy read) under its source.
        "\nSources\n  1. Programme review. World Bank (evaluation).\n     \
         https://example.org/review\n     via https://archive.example.net/review\n  \
         2. Annual report. Ministry of Finance, 2008 (official).\n",
    ] {
        out.assert_stdout_has(line);
    }
}

#[test]
fn show_of_a_minimal_record_leaves_out_the_fields_it_lacks() {
    let cat = catalogue();
    let out = cat.run(&["show", "diaspora-bond"]);
    out.assert_code(0).assert_stderr("");
    out.assert_stdout_has("countries: India (IND)\n")
        .assert_stdout_has("\nSources\n  1. Fixture source. Fixture publisher (official).\n");
    for absent in ["organisations:", "years:", "keywords:", "Description"] {
        assert!(!out.stdout.contains(absent), "{absent} shown:{out:?}");
    }
}

#[test]
fn unknown_id_exits_2_and_suggests_the_closest_id() {
    let cat = catalogue();
    cat.run(&["show", "remitance-fund"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(
            "error: no record with id `remitance-fund`\n  hint: did you mean remittance-fund?\n",
        );
}

#[test]
fn unknown_id_that_is_part_of_an_id_suggests_it() {
    let cat = catalogue();
    cat.run(&["show", "bond"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr("error: no record with id `bond`\n  hint: did you mean diaspora-bond?\n");
}

#[test]
fn unknown_id_like_no_other_points_to_search() {
    let cat = catalogue();
    cat.run(&["show", "qqqqqqqqqqqqqqqqqqqq"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(
            "error: no record with id `qqqqqqqqqqqqqqqqqqqq`\n  \
             hint: `migdev search` lists the ids\n",
        );
}

#[test]
fn show_refreshes_the_index_after_an_edit() {
    let cat = catalogue();
    cat.write_record(
        "remittance-fund",
        &FULL.replace(
            "Remittance matching fund",
            "Hometown co-financing fund, renamed",
        ),
    );
    let out = cat.run(&["show", "remittance-fund"]);
    out.assert_code(0);
    assert!(
        out.stdout
            .starts_with("Hometown co-financing fund, renamed\n"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .starts_with("index rebuilt (record files: 1 changed)"),
        "{out:?}"
    );
}

#[test]
fn an_id_in_upper_case_names_the_closest_ids() {
    let cat = Catalogue::new();
    cat.add(&Rec::new("m-pesa-kenya", "M-Pesa"));
    cat.add(&Rec::new("diaspora-bond", "Diaspora bond"));
    cat.run(&["show", "M-PESA-KENYA"])
        .assert_code(2)
        .assert_stderr_has("hint: did you mean m-pesa-kenya?");
}
