//! The prepared query, end to end: per-word typos, relaxed matching for questions, synonyms,
//! `--explain`, facets of the corrected query, narrow layouts, and hostile input (huge
//! limits, lone quotes, control characters, a leading `-`).

use crate::util::{Catalogue, Rec, search, search_as, strings};

/// Four records about different things, with words in several fields.
fn fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("prices", "Remittance prices database")
            .summary("Records what banks charge to send remittances.")
            .countries(&["MEX"]),
        Rec::new("nurses", "Nurse recruitment code")
            .summary("Ethical recruitment of nurses from Ghana.")
            .countries(&["GHA"]),
        Rec::new("bonds", "Diaspora bonds")
            .summary("Bonds sold to the diaspora to pay for roads.")
            .countries(&["ETH"]),
        Rec::new("remit", "Remit scheme").summary("A scheme to remit wages."),
    ])
}

#[test]
fn a_misspelt_word_among_others_is_corrected_on_its_own() {
    let cat = fixture();
    let out = search(&cat, &["remitances prices"]);
    out.assert_code(0);
    assert_eq!(out.ids()[0], "prices", "{out:?}");
    out.assert_stderr_has(
        "no exact match for \"remitances\"; showing results for \"remittances\"\n",
    );
}

#[test]
fn a_word_matching_only_through_a_much_shorter_stem_is_corrected() {
    // `remitances` stems to `remit`, which one record holds; `remittances` is more common.
    let cat = Catalogue::indexed(&[
        Rec::new("a", "Transfer fund").summary("Cuts the cost of remittances."),
        Rec::new("b", "Price survey").summary("Compares remittances and their fees."),
        Rec::new("c", "Wage scheme").summary("Lets workers remit wages."),
    ]);
    let out = search(&cat, &["remitances"]);
    out.assert_code(0);
    assert_eq!(
        crate::util::sorted(out.ids()),
        strings(&["a", "b"]),
        "{out:?}"
    );
    out.assert_stderr_has("showing results for \"remittances\"");
}

#[test]
fn typo_correction_never_offers_a_word_only_deleted_records_hold() {
    let cat = Catalogue::indexed(&[
        Rec::new("lighthouse", "Lighthouse keepers").summary("Coastal lighthouse upkeep."),
        Rec::new("other", "Nurse training").summary("Trains nurses."),
    ]);
    std::fs::remove_file(cat.record_path("lighthouse")).unwrap();
    let out = search(&cat, &["lighthous"]);
    out.assert_code(1)
        .assert_stderr_lacks("showing results for \"lighthouse\"");
}

#[test]
fn a_question_finds_records_holding_most_of_its_words_and_says_so() {
    let cat = fixture();
    let out = search(&cat, &["how are nurses recruited with bonds"]);
    out.assert_code(0);
    // Two of three words first, then one of three.
    assert_eq!(out.ids(), strings(&["nurses", "bonds"]), "{out:?}");
    out.assert_stderr_has(
        "no record has every word; showing records that match most of: nurses recruited bonds\n",
    );
}

#[test]
fn stop_words_never_make_a_record_fail() {
    let cat = fixture();
    let out = search(&cat, &["the bonds for the diaspora"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["bonds"]), "{out:?}");
    out.assert_stderr_lacks("no record has every word");
}

#[test]
fn required_excluded_and_quoted_parts_stay_exact_beside_relaxed_words() {
    let cat = fixture();
    // `+ghana` must hold even though the other words are relaxed.
    let out = search(&cat, &["nurses bonds +ghana"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["nurses"]), "{out:?}");
    let out = search(&cat, &["--", "diaspora nurses -ghana"]);
    assert_eq!(out.ids(), strings(&["bonds"]), "{out:?}");
    search(&cat, &["\"bonds nurses\""]).assert_code(1);
}

#[test]
fn internal_index_fields_are_read_as_words_with_a_note() {
    let cat = fixture();
    let out = search(&cat, &["words:diaspora"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["bonds"]), "{out:?}");
    out.assert_stderr_has("unknown field `words`");
    search(&cat, &["--strict", "primary_sector:trade"]).assert_code(2);
}

#[test]
fn facets_count_the_corrected_query() {
    let cat = fixture();
    let out = cat.run(&["facets", "diaspra", "--by", "kind", "--format", "json"]);
    out.assert_code(0)
        .assert_stderr_has("showing results for \"diaspora\"");
    let facets: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(facets[0]["counts"][0]["count"], 1, "{out:?}");
}

#[test]
fn synonyms_are_read_at_query_time_and_rank_below_exact_hits() {
    let cat = Catalogue::indexed(&[
        Rec::new("exact", "Expatriate survey").summary("Counts expatriates abroad."),
        Rec::new("synonym", "Diaspora survey").summary("Counts the diaspora abroad."),
    ]);
    search(&cat, &["expatriates"]).assert_found(&["exact"]);
    // Edited after the index was built: no rebuild needed.
    cat.write(
        "data/synonyms.toml",
        "[[equivalent]]\nterms = [\"expatriates\", \"diaspora\"]\n",
    );
    let out = search(&cat, &["expatriates"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["exact", "synonym"]), "{out:?}");
    out.assert_stderr_has("synonyms searched too: expatriates → diaspora");
}

#[test]
fn validate_names_a_broken_synonyms_file_with_line_and_column_and_search_goes_on() {
    let cat = fixture();
    cat.write("data/synonyms.toml", "[[equivalent]]\nterms = [\"solo\"]\n");
    cat.run(&["validate"])
        .assert_code(2)
        .assert_stderr_has("synonyms.toml:1:1: an [[equivalent]] group needs at least two terms");
    search(&cat, &["bonds"])
        .assert_code(0)
        .assert_stderr_has("warning: synonyms not used: ");
}

#[test]
fn explain_in_json_says_which_words_matched_in_which_fields() {
    let cat = fixture();
    let out = search_as(&cat, "json", &["remitances prices", "--explain"]);
    out.assert_code(0);
    let hits: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let explain = &hits[0]["explain"];
    assert_eq!(explain["coverage"], 2, "{out:?}");
    let matches = explain["matches"].as_array().expect("matches");
    assert!(
        matches
            .iter()
            .any(|m| m["word"] == "remitances" && m["via"] == "corrected" && m["field"] == "title"),
        "{out:?}"
    );
    // In the table, as an extra line.
    search_as(&cat, "table", &["remitances prices", "--explain"])
        .assert_code(0)
        .assert_stdout_has("why: 2 of 2 words");
}

#[test]
fn a_page_of_hits_is_explained_as_each_hit_alone() {
    // Hits are scored a page at a time, each scorer moving forward through the page in
    // index order; the ranking puts later records first, and the synonym is a phrase that
    // some records hold, some hold only in part, some not at all.
    let cat = Catalogue::indexed(&[
        Rec::new("a", "Transfer survey").summary("Money sent abroad, transfers counted."),
        Rec::new("b", "Money transfers survey").summary("Money transfers to Ghana."),
        Rec::new("c", "Remittances survey").summary("Remittances and money transfers."),
        Rec::new("d", "Remittances").summary("Remittances, remittances and remittances."),
        Rec::new("e", "Wage survey").summary("Money kept at home."),
    ]);
    cat.write(
        "data/synonyms.toml",
        "[[equivalent]]\nterms = [\"remittances\", \"money transfers\"]\n",
    );
    let page = search_as(&cat, "json", &["remittances", "--explain"]);
    page.assert_code(0);
    let hits = page.json();
    let hits = hits.as_array().expect("a JSON array");
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().expect("id")).collect();
    assert_eq!(ids, ["d", "c", "b"], "{page:?}");
    for (offset, hit) in hits.iter().enumerate() {
        let alone = search_as(
            &cat,
            "json",
            &[
                "remittances",
                "--explain",
                "--limit",
                "1",
                "--offset",
                &offset.to_string(),
            ],
        );
        alone.assert_code(0);
        let alone = &alone.json()[0];
        assert_eq!(alone["id"], hit["id"]);
        assert_eq!(alone["score"], hit["score"], "{page:?}");
        assert_eq!(alone["explain"], hit["explain"], "{page:?}");
    }
    let synonym_only = &hits[2]["explain"];
    assert_eq!(synonym_only["coverage"], 1, "{page:?}");
    assert!(
        synonym_only["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .all(|m| m["via"] == "synonym" && m["term"] == "money transfers"),
        "{page:?}"
    );
}

#[test]
fn ids_stay_whole_in_an_80_column_terminal() {
    let cat = Catalogue::indexed(&[Rec::new(
        "a-very-long-programme-identifier-that-fills-half-a-line",
        "A programme with a long title that has to wrap somewhere in a narrow terminal",
    )
    .summary("Programme about remittances and diaspora bonds in many countries.")]);
    let out = cat
        .command()
        .env("COLUMNS", "80")
        .args(["search", "remittances"])
        .run();
    out.assert_code(0);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("a-very-long-programme-identifier-that-fills-half-a-line ")),
        "{out:?}"
    );
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 80),
        "{out:?}"
    );
}

#[test]
fn huge_limit_and_offset_are_served_without_allocating_for_them() {
    let cat = fixture();
    search(&cat, &["bonds", "--limit", "18446744073709551615"]).assert_found(&["bonds"]);
    search(&cat, &["bonds", "--offset", "99999999999999"])
        .assert_code(1)
        .assert_stdout("");
    let out = cat.run(&["similar", "bonds", "--limit", "18446744073709551615"]);
    out.assert_stderr_lacks("panicked");
    assert!(matches!(out.code, 0 | 1), "{out:?}");
}

#[test]
fn limit_zero_prints_only_the_number_of_matches() {
    let cat = fixture();
    search(&cat, &["bonds", "--limit", "0"])
        .assert_code(0)
        .assert_stdout("1\n");
    search(&cat, &["zzzqqq", "--limit", "0", "--match", "exact"])
        .assert_code(1)
        .assert_stdout("0\n");
}

#[test]
fn one_quote_and_three_quotes_both_find_nothing_with_a_note() {
    let cat = fixture();
    for query in ["\"", "\"\"\""] {
        search(&cat, &[query])
            .assert_code(1)
            .assert_stderr_has("ignored part of the query: quotes with no words in them");
    }
}

#[test]
fn a_query_starting_with_a_dash_says_to_put_it_after_double_dash() {
    let cat = fixture();
    cat.run(&["search", "-remittances"])
        .assert_code(2)
        .assert_stderr_has("goes after `--`: migdev search -- -remittances");
}

#[test]
fn facets_with_json_search_results_are_a_field_of_one_object() {
    let cat = fixture();
    let out = search_as(&cat, "json", &["bonds", "--facets"]);
    out.assert_code(0);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON value");
    assert_eq!(value["records"][0]["id"], "bonds", "{out:?}");
    assert!(
        value["facets"].as_array().is_some_and(|f| !f.is_empty()),
        "{out:?}"
    );
    search_as(&cat, "csv", &["bonds", "--facets"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has("--facets");
}

#[test]
fn match_flag_replaces_fuzzy_and_exact_which_still_work() {
    let cat = fixture();
    search(&cat, &["diaspra", "--match", "exact"]).assert_code(1);
    search(&cat, &["diaspra", "--exact"]).assert_code(1);
    assert_eq!(
        search(&cat, &["diaspra", "--match", "auto"]).ids(),
        strings(&["bonds"])
    );
    search(&cat, &["remittances", "--match", "fuzzy"]).assert_code(0);
}
