//! Facet counts: drill-sideways, the M49 region tree, top N, JSON; evidence, origin and destination as facets and filters.

use super::*;

/// Five records about the diaspora and one that is not, over several sectors, regions
/// and kinds.
fn facet_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("fin-mex", "Diaspora remittance fund")
            .sectors(&["financial-services", "trade"])
            .countries(&["MEX"])
            .kind("fund")
            .status("ongoing"),
        Rec::new("trade-ken", "Diaspora traders law")
            .sectors(&["trade"])
            .countries(&["KEN"])
            .kind("law")
            .status("ended"),
        Rec::new("health-sen", "Diaspora doctors programme")
            .sectors(&["health"])
            .countries(&["SEN"])
            .kind("programme")
            .status("ongoing"),
        Rec::new("health-fra", "Diaspora nurses programme")
            .sectors(&["health", "education"])
            .countries(&["FRA"])
            .kind("programme"),
        Rec::new("edu-deu", "Diaspora scholarships")
            .sectors(&["education"])
            .countries(&["DEU"])
            .kind("policy"),
        Rec::new("farm-jpn", "Seasonal farm work")
            .sectors(&["trade"])
            .countries(&["JPN"])
            .kind("programme"),
    ])
}

/// `(value, count)` pairs of one dimension of `facets --format json` output.
fn json_counts(out: &Output, by: &str) -> Vec<(String, u64)> {
    let facets: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("facets JSON does not parse ({e}); output was:{out:?}"));
    let facet = facets
        .as_array()
        .expect("an array of facets")
        .iter()
        .find(|f| f["by"] == by)
        .unwrap_or_else(|| panic!("no facet {by:?}; output was:{out:?}"));
    facet["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| {
            (
                c["value"].as_str().expect("value").to_string(),
                c["count"].as_u64().expect("count"),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(v, c)| (v.to_string(), *c)).collect()
}

#[test]
fn facets_by_sector_count_only_the_records_matching_the_query() {
    let cat = facet_fixture();
    facets(&cat, &["diaspora", "--by", "sector"])
        .assert_code(0)
        .assert_stderr("")
        .assert_stdout(
            "\
─────────────────────────────────────
 facet    value                count 
═════════════════════════════════════
 sector   Education                2 
─────────────────────────────────────
 sector   Health services          2 
─────────────────────────────────────
 sector   Trade                    2 
─────────────────────────────────────
 sector   Financial services       1 
─────────────────────────────────────
",
        );
}

#[test]
fn facets_without_a_query_count_every_record() {
    let cat = facet_fixture();
    let out = facets(&cat, &["--by", "sector", "--format", "json"]);
    out.assert_code(0).assert_stderr("");
    assert_eq!(
        json_counts(&out, "sector"),
        pairs(&[
            ("trade", 3),
            ("education", 2),
            ("health", 2),
            ("financial-services", 1),
        ]),
        "{out:?}"
    );
}

#[test]
fn sector_filter_leaves_other_sectors_in_sector_counts_but_restricts_kind_counts() {
    let cat = facet_fixture();
    let out = facets(
        &cat,
        &[
            "diaspora", "--sector", "trade", "--by", "sector", "--by", "kind", "--format", "json",
        ],
    );
    out.assert_code(0).assert_stderr("");
    // Drill-sideways: the sector counts ignore the sector filter...
    assert_eq!(
        json_counts(&out, "sector"),
        pairs(&[
            ("education", 2),
            ("health", 2),
            ("trade", 2),
            ("financial-services", 1),
        ]),
        "{out:?}"
    );
    // ...but every other dimension counts only the records in the filtered sector.
    assert_eq!(
        json_counts(&out, "kind"),
        pairs(&[("fund", 1), ("law", 1)]),
        "{out:?}"
    );
}

#[test]
fn region_facets_list_the_m49_tree_indented_by_level_then_the_groupings() {
    let cat = facet_fixture();
    facets(&cat, &["diaspora", "--by", "region"])
        .assert_code(0)
        .assert_stderr("")
        .assert_stdout(
            "\
────────────────────────────────────────────────────
 facet    value                               count 
════════════════════════════════════════════════════
 region   Africa                                  2 
────────────────────────────────────────────────────
            Sub-Saharan Africa                    2 
────────────────────────────────────────────────────
              Eastern Africa                      1 
────────────────────────────────────────────────────
              Western Africa                      1 
────────────────────────────────────────────────────
 region   Europe                                  2 
────────────────────────────────────────────────────
            Western Europe                        2 
────────────────────────────────────────────────────
 region   Americas                                1 
────────────────────────────────────────────────────
            Latin America and the Caribbean       1 
────────────────────────────────────────────────────
              Central America                     1 
────────────────────────────────────────────────────
 region   Least Developed Countries (LDC)         1 
────────────────────────────────────────────────────
",
        );
}

#[test]
fn region_facets_in_json_nest_each_m49_level_under_its_parent() {
    let cat = facet_fixture();
    let out = facets(&cat, &["diaspora", "--by", "region", "--format", "json"]);
    out.assert_code(0).assert_stderr("");
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        parsed,
        serde_json::json!([{
            "by": "region",
            "counts": [
                {"value": "Africa", "label": "Africa", "count": 2, "children": [
                    {"value": "Sub-Saharan Africa", "label": "Sub-Saharan Africa", "count": 2,
                     "children": [
                        {"value": "Eastern Africa", "label": "Eastern Africa", "count": 1},
                        {"value": "Western Africa", "label": "Western Africa", "count": 1},
                    ]},
                ]},
                {"value": "Europe", "label": "Europe", "count": 2, "children": [
                    {"value": "Western Europe", "label": "Western Europe", "count": 2},
                ]},
                {"value": "Americas", "label": "Americas", "count": 1, "children": [
                    {"value": "Latin America and the Caribbean",
                     "label": "Latin America and the Caribbean", "count": 1, "children": [
                        {"value": "Central America", "label": "Central America", "count": 1},
                    ]},
                ]},
                {"value": "Least Developed Countries (LDC)",
                 "label": "Least Developed Countries (LDC)", "count": 1},
            ],
        }]),
        "{out:?}"
    );
}

#[test]
fn top_limits_the_values_of_each_dimension_and_of_each_region() {
    let cat = facet_fixture();
    let out = facets(
        &cat,
        &[
            "diaspora", "--by", "sector", "--by", "region", "--top", "1", "--format", "json",
        ],
    );
    out.assert_code(0).assert_stderr("");
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(
        parsed,
        serde_json::json!([
            {"by": "sector", "counts": [
                {"value": "education", "label": "Education", "count": 2},
            ]},
            {"by": "region", "counts": [
                {"value": "Africa", "label": "Africa", "count": 2, "children": [
                    {"value": "Sub-Saharan Africa", "label": "Sub-Saharan Africa", "count": 2,
                     "children": [
                        {"value": "Eastern Africa", "label": "Eastern Africa", "count": 1},
                    ]},
                ]},
                {"value": "Least Developed Countries (LDC)",
                 "label": "Least Developed Countries (LDC)", "count": 1},
            ]},
        ]),
        "{out:?}"
    );
}

#[test]
fn facets_json_parses_and_holds_the_default_dimensions() {
    let cat = facet_fixture();
    let out = facets(&cat, &["diaspora", "--format", "json"]);
    out.assert_code(0).assert_stderr("");
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let dimensions: Vec<&str> = parsed
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["by"].as_str().expect("by"))
        .collect();
    assert_eq!(
        dimensions,
        ["sector", "region", "kind", "status"],
        "{out:?}"
    );
    assert_eq!(
        json_counts(&out, "kind"),
        pairs(&[("programme", 2), ("fund", 1), ("law", 1), ("policy", 1)]),
        "{out:?}"
    );
    assert_eq!(
        json_counts(&out, "status"),
        pairs(&[("ongoing", 2), ("unknown", 2), ("ended", 1)]),
        "{out:?}"
    );
}

#[test]
fn search_with_facets_prints_the_counts_under_the_results() {
    let cat = facet_fixture();
    let out = search_as(
        &cat,
        "table",
        &["diaspora", "--sector", "trade", "--facets", "--no-snippet"],
    );
    out.assert_code(0)
        .assert_stderr("showing 1-2 of 2 matching records\n");
    let facet_header = out
        .stdout
        .find(" facet ")
        .unwrap_or_else(|| panic!("no facet table; output was:{out:?}"));
    // The facet table starts at the border line above its header.
    let border = out.stdout[..facet_header]
        .trim_end_matches('\n')
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let (results, counts) = out.stdout.split_at(border);
    let results = Output {
        stdout: results.to_string(),
        ..out.clone()
    };
    let ids: Vec<String> = results.table_rows().iter().map(|r| r.get("id")).collect();
    assert_eq!(
        crate::util::sorted(ids),
        strings(&["fin-mex", "trade-ken"]),
        "{out:?}"
    );
    assert_eq!(
        counts,
        "\
────────────────────────────────────────────────────
 facet    value                               count 
════════════════════════════════════════════════════
 sector   Education                               2 
────────────────────────────────────────────────────
 sector   Health services                         2 
────────────────────────────────────────────────────
 sector   Trade                                   2 
────────────────────────────────────────────────────
 sector   Financial services                      1 
────────────────────────────────────────────────────
 region   Africa                                  1 
────────────────────────────────────────────────────
            Sub-Saharan Africa                    1 
────────────────────────────────────────────────────
              Eastern Africa                      1 
────────────────────────────────────────────────────
 region   Americas                                1 
────────────────────────────────────────────────────
            Latin America and the Caribbean       1 
────────────────────────────────────────────────────
              Central America                     1 
────────────────────────────────────────────────────
 kind     fund                                    1 
────────────────────────────────────────────────────
 kind     law                                     1 
────────────────────────────────────────────────────
 status   ended                                   1 
────────────────────────────────────────────────────
 status   ongoing                                 1 
────────────────────────────────────────────────────
",
        "{out:?}"
    );
}

// Evidence kinds, origins and destinations as facets and filters.

/// A corridor record with roles and an evaluation, and a plain record with neither.
fn roles_fixture() -> Catalogue {
    let cat = Catalogue::new();
    cat.write_record(
        "corridor",
        r#"title = "Corridor programme"
kind = "programme"
sectors = ["employment"]
countries = ["PHL", "SAU"]
origin = ["PHL"]
destination = ["SAU"]
summary = "Places workers from the Philippines in Saudi Arabia."

[[sources]]
title = "Programme page"
publisher = "Ministry"
kind = "official"

[[sources]]
title = "Mid-term evaluation"
publisher = "ILO"
kind = "evaluation"
"#,
    );
    cat.add(&Rec::new("plain", "Plain fund"));
    cat
}

#[test]
fn facets_count_evidence_kinds_origins_and_destinations() {
    let cat = roles_fixture();
    let out = facets(
        &cat,
        &[
            "--by",
            "evidence",
            "--by",
            "origin",
            "--by",
            "destination",
            "--format",
            "json",
        ],
    );
    out.assert_code(0);
    assert_eq!(
        json_counts(&out, "evidence"),
        pairs(&[("official", 2), ("evaluation", 1)]),
        "{out:?}"
    );
    assert_eq!(json_counts(&out, "origin"), pairs(&[("PHL", 1)]), "{out:?}");
    assert_eq!(
        json_counts(&out, "destination"),
        pairs(&[("SAU", 1)]),
        "{out:?}"
    );
}

#[test]
fn evidence_origin_and_destination_filter_search_facets_and_export() {
    let cat = roles_fixture();
    let ids = |args: &[&str]| {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "ids"]);
        cat.run(&all)
            .stdout
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&["--evidence", "evaluation"]), ["corridor"]);
    assert_eq!(ids(&["--evidence", "official"]).len(), 2);
    assert_eq!(ids(&["--origin", "philippines"]), ["corridor"]);
    assert_eq!(ids(&["--destination", "SAU"]), ["corridor"]);
    assert!(ids(&["--origin", "SAU"]).is_empty());
    // Facets leave their own filter out (drill-sideways) and apply the others.
    let out = facets(
        &cat,
        &[
            "--evidence",
            "evaluation",
            "--by",
            "evidence",
            "--by",
            "origin",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        json_counts(&out, "evidence"),
        pairs(&[("official", 2), ("evaluation", 1)]),
        "{out:?}"
    );
    assert_eq!(json_counts(&out, "origin"), pairs(&[("PHL", 1)]), "{out:?}");
    let out = cat.run(&["export", "--evidence", "evaluation", "--format", "jsonl"]);
    out.assert_code(0);
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");
    cat.run(&["search", "--evidence", "rumour"]).assert_code(2);
    cat.run(&["search", "--origin", "atlantis"])
        .assert_code(2)
        .assert_stderr_has("--origin: unknown country `atlantis`");
}
