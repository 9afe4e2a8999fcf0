//! `migdev search`: text matching (accents, stems, AND), every filter, limits, exit codes
//! and ranking.

use crate::util::{Catalogue, Rec, search, search_as};

// Text matching.

#[test]
fn query_without_accents_finds_accented_text() {
    let cat = Catalogue::indexed(&[
        Rec::new("civ", "Diaspora bond").summary("Bonds sold to emigrants from Côte d'Ivoire."),
        Rec::new("sen", "Savings scheme").summary("Savings for emigrants from Senegal."),
    ]);
    search(&cat, &["cote d'ivoire"]).assert_found(&["civ"]);
    search(&cat, &["cote", "d'ivoire"]).assert_found(&["civ"]);
}

#[test]
fn strict_accepts_an_apostrophe_in_a_word() {
    // The parser reads `'` as a quote; in a word it is not broken syntax.
    let cat = Catalogue::indexed(&[
        Rec::new("civ", "Diaspora bond").summary("Bonds sold to emigrants from Côte d'Ivoire."),
        Rec::new("sen", "Savings scheme").summary("Savings for emigrants from Senegal."),
    ]);
    search(&cat, &["--strict", "cote d'ivoire"]).assert_found(&["civ"]);
}

#[test]
fn query_with_accents_finds_unaccented_text() {
    let cat = Catalogue::indexed(&[
        Rec::new("civ", "Diaspora bond").summary("Bonds sold to emigrants from Cote d'Ivoire."),
        Rec::new("sen", "Savings scheme").summary("Savings for emigrants from Senegal."),
    ]);
    search(&cat, &["Sénégal"]).assert_found(&["sen"]);
    search(&cat, &["Côte d’Ivoire"]).assert_found(&["civ"]);
}

#[test]
fn query_word_finds_its_plural_by_stemming() {
    let cat = Catalogue::indexed(&[
        Rec::new("plural", "Matching fund").summary("Matches collective remittances."),
        Rec::new("other", "Skills fund").summary("Trains returning engineers."),
    ]);
    let out = search(&cat, &["remittance"]);
    out.assert_code(0);
    assert_eq!(out.ids(), crate::util::strings(&["plural"]), "{out:?}");
    assert_eq!(out.total(), Some(1), "{out:?}");
    // The stemmed word matches as it is: nothing was corrected or ignored.
    out.assert_notes("");
    search(&cat, &["engineer"]).assert_found(&["other"]);
}

#[test]
fn query_word_finds_singular_and_plural_alike() {
    let cat = Catalogue::indexed(&[
        Rec::new("plural", "Matching fund").summary("Matches collective remittances."),
        Rec::new("singular", "Transfer fund").summary("Lowers the cost of each remittance."),
        Rec::new("other", "Skills fund").summary("Trains returning engineers."),
    ]);
    search(&cat, &["remittance"]).assert_found_any_order(&["plural", "singular"]);
    search(&cat, &["remittances"]).assert_found_any_order(&["plural", "singular"]);
}

#[test]
fn query_words_must_all_match() {
    let cat = Catalogue::indexed(&[
        Rec::new("both", "Housing loans for migrants"),
        Rec::new("housing", "Housing for returnees"),
        Rec::new("loans", "Loans for small firms"),
    ]);
    search(&cat, &["housing", "loans"]).assert_found(&["both"]);
    search(&cat, &["housing loans"]).assert_found(&["both"]);
    search(&cat, &["housing"]).assert_found_any_order(&["both", "housing"]);
}

#[test]
fn title_match_ranks_above_a_description_only_match() {
    // Ids run against the expected order, so catalogue order cannot pass for ranking.
    let cat = Catalogue::indexed(&[
        Rec::new("a-description", "Island fund")
            .description("Hometown associations on Zanzibar propose public works."),
        Rec::new("z-title", "Zanzibar diaspora fund"),
        Rec::new("m-neither", "Mainland fund"),
    ]);
    search(&cat, &["zanzibar"]).assert_found(&["z-title", "a-description"]);
    let out = search_as(&cat, "json", &["zanzibar"]);
    let scores: Vec<f64> = out
        .json_scores()
        .into_iter()
        .map(|score| score.expect("a score"))
        .collect();
    assert!(scores[0] > scores[1], "{out:?}");
}

// Filters.

/// Records for the filter tests: sectors, countries, kinds, statuses and years vary.
fn filter_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("sen-fund", "Senegal fund")
            .sectors(&["financial-services", "health"])
            .countries(&["SEN"])
            .kind("fund")
            .status("ongoing")
            .years(Some(2015), None),
        Rec::new("ken-law", "Kenya law")
            .sectors(&["health"])
            .countries(&["KEN"])
            .kind("law")
            .status("ended")
            .years(Some(1990), Some(1995)),
        Rec::new("esp-programme", "Spain programme")
            .sectors(&["education"])
            .countries(&["ESP", "MAR"])
            .kind("programme")
            .status("ended")
            .years(Some(2000), Some(2010)),
        Rec::new("tur-policy", "Turkey policy")
            .sectors(&["employment", "financial-services"])
            .countries(&["TUR"])
            .kind("policy")
            .years(None, Some(2005)),
        Rec::new("civ-network", "Ivorian network")
            .sectors(&["trade"])
            .countries(&["CIV"])
            .kind("network"),
        Rec::new("global-tool", "Global tool")
            .sectors(&["governance"])
            .global()
            .kind("tool")
            .status("unknown"),
    ])
}

#[test]
fn empty_query_lists_every_record_in_id_order() {
    let cat = filter_fixture();
    let out = search(&cat, &[]);
    out.assert_found(&[
        "civ-network",
        "esp-programme",
        "global-tool",
        "ken-law",
        "sen-fund",
        "tur-policy",
    ]);
    let out = search_as(&cat, "json", &[]);
    let scores = out.json_scores();
    assert!(
        scores.len() == 6 && scores.iter().all(Option::is_none),
        "a list without query words has no scores:{out:?}"
    );
}

#[test]
fn sector_filter_matches_any_listed_sector_by_slug_or_label() {
    let cat = filter_fixture();
    search(&cat, &["--sector", "health"]).assert_found(&["ken-law", "sen-fund"]);
    search(&cat, &["--sector", "Health services"]).assert_found(&["ken-law", "sen-fund"]);
    // Secondary sectors count too.
    search(&cat, &["--sector", "financial-services"]).assert_found(&["sen-fund", "tur-policy"]);
}

#[test]
fn country_filter_accepts_a_code_in_any_case() {
    let cat = filter_fixture();
    search(&cat, &["--country", "KEN"]).assert_found(&["ken-law"]);
    search(&cat, &["--country", "ken"]).assert_found(&["ken-law"]);
    // Any of a record's countries.
    search(&cat, &["--country", "MAR"]).assert_found(&["esp-programme"]);
}

#[test]
fn country_filter_accepts_an_english_name_with_or_without_accents() {
    let cat = filter_fixture();
    search(&cat, &["--country", "Kenya"]).assert_found(&["ken-law"]);
    search(&cat, &["--country", "Côte d'Ivoire"]).assert_found(&["civ-network"]);
    search(&cat, &["--country", "cote d'ivoire"]).assert_found(&["civ-network"]);
}

#[test]
fn region_filter_accepts_regions_and_sub_regions() {
    let cat = filter_fixture();
    search(&cat, &["--region", "africa"]).assert_found(&[
        "civ-network",
        "esp-programme",
        "ken-law",
        "sen-fund",
    ]);
    search(&cat, &["--region", "Western Africa"]).assert_found(&["civ-network", "sen-fund"]);
    search(&cat, &["--region", "europe"]).assert_found(&["esp-programme"]);
    search(&cat, &["--region", "western asia"]).assert_found(&["tur-policy"]);
}

#[test]
fn kind_filter_keeps_records_of_that_kind() {
    let cat = filter_fixture();
    search(&cat, &["--kind", "fund"]).assert_found(&["sen-fund"]);
    search(&cat, &["--kind", "network"]).assert_found(&["civ-network"]);
}

#[test]
fn status_filter_treats_a_missing_status_as_unknown() {
    let cat = filter_fixture();
    search(&cat, &["--status", "ended"]).assert_found(&["esp-programme", "ken-law"]);
    search(&cat, &["--status", "ongoing"]).assert_found(&["sen-fund"]);
    search(&cat, &["--status", "unknown"]).assert_found(&[
        "civ-network",
        "global-tool",
        "tur-policy",
    ]);
}

#[test]
fn since_keeps_programmes_still_active_in_or_after_the_year() {
    // ken-law 1990-1995, esp-programme 2000-2010, tur-policy -2005, sen-fund 2015-;
    // civ-network and global-tool give no years and are left out.
    let cat = filter_fixture();
    search(&cat, &["--since", "2008"]).assert_found(&["esp-programme", "sen-fund"]);
    search(&cat, &["--since", "1995"]).assert_found(&[
        "esp-programme",
        "ken-law",
        "sen-fund",
        "tur-policy",
    ]);
    search(&cat, &["--since", "2030"]).assert_found(&["sen-fund"]);
}

#[test]
fn until_keeps_programmes_begun_in_or_before_the_year() {
    let cat = filter_fixture();
    search(&cat, &["--until", "1999"]).assert_found(&["ken-law"]);
    search(&cat, &["--until", "2000"]).assert_found(&["esp-programme", "ken-law"]);
    // An end year alone is the only year known: it counts as the start too.
    search(&cat, &["--until", "2005"]).assert_found(&["esp-programme", "ken-law", "tur-policy"]);
}

#[test]
fn since_and_until_together_keep_programmes_active_within_the_span() {
    let cat = filter_fixture();
    search(&cat, &["--since", "2005", "--until", "2005"])
        .assert_found(&["esp-programme", "tur-policy"]);
    search(&cat, &["--since", "1996", "--until", "1999"]).assert_nothing_found();
}

#[test]
fn records_without_years_are_excluded_by_since_and_by_until() {
    let cat = filter_fixture();
    for args in [&["--since", "1900"][..], &["--until", "2100"]] {
        let out = search(&cat, args);
        out.assert_code(0);
        let ids = out.ids();
        assert!(
            !ids.iter()
                .any(|id| id == "civ-network" || id == "global-tool"),
            "records without years matched {args:?}:{out:?}"
        );
    }
}

#[test]
fn a_filter_given_twice_accepts_either_value() {
    let cat = filter_fixture();
    search(&cat, &["--kind", "fund", "--kind", "law"]).assert_found(&["ken-law", "sen-fund"]);
    search(&cat, &["--sector", "education", "--sector", "trade"])
        .assert_found(&["civ-network", "esp-programme"]);
    search(&cat, &["--country", "SEN", "--country", "Turkey"])
        .assert_found(&["sen-fund", "tur-policy"]);
    search(&cat, &["--region", "europe", "--region", "western asia"])
        .assert_found(&["esp-programme", "tur-policy"]);
    search(&cat, &["--status", "ongoing", "--status", "ended"]).assert_found(&[
        "esp-programme",
        "ken-law",
        "sen-fund",
    ]);
}

#[test]
fn different_filters_must_all_hold() {
    let cat = filter_fixture();
    search(&cat, &["--sector", "health", "--country", "SEN"]).assert_found(&["sen-fund"]);
    search(&cat, &["--region", "africa", "--status", "ended"])
        .assert_found(&["esp-programme", "ken-law"]);
    search(&cat, &["--sector", "health", "--kind", "policy"]).assert_nothing_found();
}

#[test]
fn filters_combine_with_query_words() {
    let cat = filter_fixture();
    search(&cat, &["fund", "--region", "africa"]).assert_found(&["sen-fund"]);
    search(&cat, &["fund", "--region", "europe"]).assert_nothing_found();
}

#[test]
fn limit_caps_the_rows_but_not_the_count() {
    let cat = filter_fixture();
    let out = search(&cat, &["--limit", "2"]);
    out.assert_code(0);
    assert_eq!(
        out.ids(),
        crate::util::strings(&["civ-network", "esp-programme"]),
        "{out:?}"
    );
    assert_eq!(out.total(), Some(6), "{out:?}");
}

// Exit codes and errors.

#[test]
fn nothing_found_exits_1_with_a_note_on_stderr() {
    let cat = filter_fixture();
    search(&cat, &["qqqqqqqqqq"]).assert_nothing_found();
    search(&cat, &["--kind", "agreement"]).assert_nothing_found();
}

#[test]
fn unknown_sector_exits_2_and_suggests_the_closest() {
    let cat = filter_fixture();
    let valid = crate::util::sector_slugs().join(", ");
    search(&cat, &["--sector", "helth"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: --sector: unknown sector `helth`\n  \
             hint: did you mean `health`? valid sectors: {valid}\n"
        ));
}

#[test]
fn unknown_kind_exits_2() {
    let cat = filter_fixture();
    let out = search(&cat, &["--kind", "fnd"]);
    out.assert_code(2).assert_stdout("");
    out.assert_stderr_has("unknown kind `fnd` (did you mean `fund`?)");
}

#[test]
fn unknown_country_and_region_exit_2() {
    let cat = filter_fixture();
    search(&cat, &["--country", "Atlantis"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has("error: --country: unknown country `Atlantis`\n  hint: ");
    search(&cat, &["--region", "atlantis"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has("error: --region: unknown region `atlantis`\n  hint: ");
}

#[test]
fn since_after_until_exits_2() {
    let cat = filter_fixture();
    search(&cat, &["--since", "2010", "--until", "2000"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr("error: --since 2010 is after --until 2000\n  hint: swap the two years\n");
}

#[test]
fn broken_query_with_strict_exits_2_naming_the_query() {
    let cat = filter_fixture();
    for query in ["\"unbalanced", "title:("] {
        let out = search(&cat, &["--strict", query]);
        out.assert_code(2).assert_stdout("");
        assert!(
            out.stderr
                .starts_with(&format!("error: invalid query `{query}`: ")),
            "{out:?}"
        );
        out.assert_stderr_has("\n  hint: words are ANDed");
    }
}

#[test]
fn broken_query_without_strict_searches_what_it_can_read_and_says_so() {
    let cat = filter_fixture();
    let out = search(&cat, &["senegal title:("]);
    out.assert_code(0);
    assert_eq!(out.ids(), crate::util::strings(&["sen-fund"]), "{out:?}");
    out.assert_stderr_has("ignored part of the query")
        .assert_stderr_has("--strict");
}
