//! Search that analysts trust: facet counts (drill-sideways, regions, top N), typo recovery
//! and highlighting, queries with broken syntax, sorting and paging, `similar`, snippets.

use std::path::Path;
use std::process::Command as StdCommand;

use crate::util::{Catalogue, Output, Rec};

/// Runs `migdev search --format ids ARGS`.
fn search(cat: &Catalogue, args: &[&str]) -> Output {
    search_as(cat, "ids", args)
}

/// Runs `migdev search --format FORMAT ARGS`.
fn search_as(cat: &Catalogue, format: &str, args: &[&str]) -> Output {
    cat.command()
        .args(["search", "--format", format])
        .args(args)
        .run()
}

/// Runs `migdev facets ARGS`.
fn facets(cat: &Catalogue, args: &[&str]) -> Output {
    cat.command().arg("facets").args(args).run()
}

/// What a run printed, and its exit code; `None` when a signal ended it (a crash).
struct Raw {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary in the catalogue's root without the harness: NO_COLOR and the other
/// colour variables are unset, then `set` is applied. Unlike the harness it survives a
/// run that a signal ends, so crash tests can report what happened.
fn run_raw(root: &Path, args: &[&str], set: &[(&str, &str)]) -> Raw {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_migdev"));
    cmd.current_dir(root)
        .args(args)
        .env("COLUMNS", "200")
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE");
    for (key, value) in set {
        cmd.env(key, value);
    }
    let out = cmd.output().expect("run migdev");
    Raw {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Raw {
    /// The run as a harness [`Output`]; panics (showing stderr) if a signal ended it.
    #[track_caller]
    fn output(self) -> Output {
        let code = self.code.unwrap_or_else(|| {
            panic!(
                "migdev was ended by a signal (a crash)\n--- stderr ---\n{}",
                self.stderr
            )
        });
        Output {
            stdout: self.stdout,
            stderr: self.stderr,
            code,
        }
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    crate::util::strings(items)
}

// Facets.

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

// Typo recovery.

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

// Broken queries: searched as far as they can be read, never a crash.

/// Three records with distinct words and years.
fn broken_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("remit", "Transfer fund")
            .summary("Cuts the cost of remittances sent home by migrants.")
            .years(Some(2005), None),
        Rec::new("nurses", "Nurse training")
            .summary("Trains nurses before they migrate.")
            .years(Some(1998), None),
        Rec::new("bond", "Savings bond")
            .summary("Bonds sold to emigrants to pay for roads.")
            .years(Some(2012), None),
    ])
}

const STRICT_NOTE: &str = "(use --strict to make a broken query an error)\n";

const QUERY_HINT: &str = "  hint: words are ANDed; use \"quoted phrases\", -excluded, +required and field:term with fields title, keyword, summary, text, organisation, country, sector, kind, status, year\n";

/// `search --strict QUERY` exits 2, prints nothing on stdout, and names the query and
/// why it was refused.
#[track_caller]
fn assert_strict_refuses(cat: &Catalogue, query: &str, reason: &str) {
    search(cat, &["--strict", query])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: invalid query `{query}`: {reason}\n{QUERY_HINT}"
        ));
}

/// Panics unless the run found `ids` (in any order) with exactly these notes before the count.
#[track_caller]
fn assert_found_with_notes(out: &Output, ids: &[&str], notes: &str) {
    out.assert_code(0);
    assert_eq!(
        crate::util::sorted(out.ids()),
        crate::util::sorted(strings(ids)),
        "{out:?}"
    );
    assert_eq!(out.total(), Some(ids.len()), "{out:?}");
    out.assert_notes(notes);
}

#[test]
fn unbalanced_quote_searches_the_words_and_names_the_missing_quote() {
    let cat = broken_fixture();
    let out = search(&cat, &["\"remittances"]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!("ignored part of the query: a `\"` at position 1 is never closed\n{STRICT_NOTE}"),
    );
    assert_strict_refuses(
        &cat,
        "\"remittances",
        "a `\"` at position 1 is never closed",
    );
}

#[test]
fn unbalanced_open_bracket_searches_the_words_and_names_the_missing_bracket() {
    let cat = broken_fixture();
    let out = search(&cat, &["(remittances"]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!("ignored part of the query: `(` at position 1 is never closed\n{STRICT_NOTE}"),
    );
    assert_strict_refuses(&cat, "(remittances", "`(` at position 1 is never closed");
}

#[test]
fn unbalanced_close_bracket_searches_the_words_and_names_what_was_ignored() {
    let cat = broken_fixture();
    let out = search(&cat, &["remittances)"]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!("ignored part of the query: `)` at position 12 has no opening `(`\n{STRICT_NOTE}"),
    );
    assert_strict_refuses(
        &cat,
        "remittances)",
        "`)` at position 12 has no opening `(`",
    );
}

#[test]
fn unbalanced_square_bracket_searches_the_plain_words_instead() {
    let cat = broken_fixture();
    let out = search(&cat, &["[remittances"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["remit"]), "{out:?}");
    // The bracket is named once; the parser's own complaints about the range it opens
    // would only repeat it.
    out.assert_notes(&format!(
        "ignored part of the query: `[` at position 1 is never closed\n{STRICT_NOTE}\
         searching the plain words instead: remittances\n"
    ));
    assert_strict_refuses(&cat, "[remittances", "`[` at position 1 is never closed");
}

#[test]
fn stray_closing_square_bracket_is_named_on_stderr() {
    let cat = broken_fixture();
    let out = search(&cat, &["remittances]"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["remit"]), "{out:?}");
    // The bracket is dropped, so stderr must say so.
    out.assert_notes(&format!(
        "ignored part of the query: `]` at position 12 has no opening `[`\n{STRICT_NOTE}"
    ));
    assert_strict_refuses(
        &cat,
        "remittances]",
        "`]` at position 12 has no opening `[`",
    );
}

#[test]
fn empty_field_group_is_ignored_and_the_other_words_searched() {
    let cat = broken_fixture();
    let out = search(&cat, &["remittances title:("]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!("ignored part of the query: `(` at position 19 is never closed\n{STRICT_NOTE}"),
    );
    assert_strict_refuses(
        &cat,
        "remittances title:(",
        "`(` at position 19 is never closed",
    );
}

#[test]
fn empty_field_group_alone_finds_nothing_and_exits_1() {
    let cat = broken_fixture();
    search(&cat, &["title:("])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr(&format!(
            "ignored part of the query: `(` at position 7 is never closed\n\
             {STRICT_NOTE}no matching records (total matches: 0)\n"
        ));
    assert_strict_refuses(&cat, "title:(", "`(` at position 7 is never closed");
}

#[test]
fn pasted_address_is_read_as_its_words_with_a_note() {
    let cat = broken_fixture();
    let query = "remittances https://example.org/page?id=1";
    let out = search(&cat, &[query]);
    // `https`, `org` and words no record holds are left out; never Tantivy's regex error.
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!(
            "ignored part of the query: the web address `https://example.org/page?id=1`, read as its words: none\n{STRICT_NOTE}"
        ),
    );
    let out = search(&cat, &["see https://www.example.org/migrants/remittances"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["remit"]), "{out:?}");
    out.assert_stderr_has("read as its words: migrants remittances\n");
    out.assert_stderr_lacks("Regex");
    assert_strict_refuses(&cat, query, "a web address `https://example.org/page?id=1`");
}

/// The fields a query may name, as the notes and errors list them.
const FIELDS: &str =
    "title, keyword, summary, text, organisation, country, sector, kind, status, year";

#[test]
fn unknown_field_is_named_and_its_term_searched_as_a_plain_word() {
    let cat = broken_fixture();
    let note = format!(
        "ignored part of the query: unknown field `foo`, its words searched in every field; \
         the fields are {FIELDS}\n{STRICT_NOTE}"
    );
    assert_found_with_notes(&search(&cat, &["foo:remittances"]), &["remit"], &note);
    // Read as the plain words, ANDed: never every record.
    assert_found_with_notes(
        &search(&cat, &["foo:remittances foo:migrants"]),
        &["remit"],
        &note,
    );
    let out = search(&cat, &["foo:bar"]);
    out.assert_code(1).assert_stdout("").assert_stderr(&format!(
        "no record contains \"bar\"\n{note}no matching records (total matches: 0)\n"
    ));
    search(&cat, &["--strict", "foo:bar"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: invalid query `foo:bar`: unknown field `foo`; the fields are {FIELDS}\n  \
             hint: write one of those fields before the `:`, or drop `foo:` to search its words in every field\n"
        ));
}

#[test]
fn misspelt_field_suggests_the_closest_field() {
    let cat = broken_fixture();
    let out = search(&cat, &["titel:transfer"]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!(
            "ignored part of the query: unknown field `titel` (did you mean `title`?), its words \
             searched in every field; the fields are {FIELDS}\n{STRICT_NOTE}"
        ),
    );
    search(&cat, &["--strict", "titel:transfer"])
        .assert_code(2)
        .assert_stderr_has(
            "error: invalid query `titel:transfer`: unknown field `titel` (did you mean `title`?); ",
        );
}

#[test]
fn year_range_with_a_bad_bound_names_the_bad_bound() {
    let cat = broken_fixture();
    let query = "year:[2000 TO abc]";
    let out = search(&cat, &[query]);
    // What can be read, year >= 2000, is searched.
    out.assert_code(0);
    assert_eq!(
        crate::util::sorted(out.ids()),
        strings(&["bond", "remit"]),
        "{out:?}"
    );
    out.assert_stderr_has("ignored part of the query")
        .assert_stderr_has(STRICT_NOTE);
    assert!(
        out.notes().contains("abc"),
        "stderr does not name the bad bound `abc`; output was:{out:?}"
    );
    let strict = search(&cat, &["--strict", query]);
    strict.assert_code(2).assert_stdout("");
    assert!(
        strict
            .stderr
            .starts_with(&format!("error: invalid query `{query}`: ")),
        "{strict:?}"
    );
    assert!(strict.stderr.ends_with(QUERY_HINT), "{strict:?}");
}

#[test]
fn only_excluded_word_lists_every_record_without_it() {
    let cat = broken_fixture();
    let out = search(&cat, &["--", "-nurses"]);
    out.assert_code(0);
    // Nothing ranks, so catalogue order.
    assert_eq!(out.ids(), strings(&["bond", "remit"]), "{out:?}");
    assert_eq!(out.total(), Some(2), "{out:?}");
    out.assert_notes("the query only excludes words: showing every record without them\n");
}

#[test]
fn several_excluded_words_leave_out_records_with_any_of_them() {
    let cat = broken_fixture();
    let out = search(&cat, &["--", "-nurses", "-bonds"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["remit"]), "{out:?}");
    assert_eq!(out.total(), Some(1), "{out:?}");
}

#[test]
fn strict_accepts_a_query_of_only_excluded_words() {
    // `migdev search -- -word` is documented query syntax, not broken syntax.
    let cat = broken_fixture();
    let out = search(&cat, &["--strict", "--", "-nurses"]);
    out.assert_code(0);
    assert_eq!(out.ids(), strings(&["bond", "remit"]), "{out:?}");
    assert_eq!(out.total(), Some(2), "{out:?}");
}

#[test]
fn lone_star_lists_every_record() {
    let cat = broken_fixture();
    let out = search(&cat, &["*"]);
    out.assert_found_any_order(&["bond", "nurses", "remit"]);
    // A valid query: --strict accepts it.
    search(&cat, &["--strict", "*"]).assert_found_any_order(&["bond", "nurses", "remit"]);
}

#[test]
fn control_characters_are_dropped_from_the_query() {
    let cat = broken_fixture();
    let query = "\u{7}remittances\u{1}\u{1b}\u{7f}";
    search(&cat, &[query]).assert_found(&["remit"]);
}

#[test]
fn control_character_inside_a_word_is_dropped_without_splitting_it() {
    let cat = broken_fixture();
    search(&cat, &["remit\u{1}tances"]).assert_found(&["remit"]);
    // A tab still separates words.
    search(&cat, &["remittances\tmigrants"]).assert_found(&["remit"]);
}

#[test]
fn strict_rejects_control_characters() {
    let cat = broken_fixture();
    search(&cat, &["--strict", "remit\u{1}tances"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr_has("error: invalid query `remittances`: 1 control character");
}

/// `piece` repeated to at least 100 KB.
fn hundred_kb(piece: &str) -> String {
    piece.repeat(100 * 1024 / piece.len() + 1)
}

#[test]
fn pasted_colour_code_is_dropped_and_named() {
    // A coloured word pasted from a terminal: the codes go, the word is searched.
    let cat = broken_fixture();
    let query = "\u{1b}[1;31mremittances\u{1b}[0m migrants";
    let out = search(&cat, &[query]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!(
            "ignored part of the query: pasted terminal colour codes `\\e[1;31m`, `\\e[0m`\n{STRICT_NOTE}"
        ),
    );
    // The error echoes the query without the codes, which would colour the terminal.
    search(&cat, &["--strict", query])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: invalid query `remittances migrants`: \
             pasted terminal colour codes `\\e[1;31m`, `\\e[0m`\n{QUERY_HINT}"
        ));
}

#[test]
fn operator_with_nothing_after_it_is_named() {
    let cat = broken_fixture();
    let out = search(&cat, &["remittances OR"]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!(
            "ignored part of the query: `OR` at position 13 has no word after it\n{STRICT_NOTE}\
             searching the plain words instead: remittances\n"
        ),
    );
    assert_strict_refuses(
        &cat,
        "remittances OR",
        "`OR` at position 13 has no word after it",
    );
}

#[test]
fn range_keyword_to_is_never_taken_for_a_word() {
    // No record holds "to": `TO` must not be corrected, dropped or said to be missing,
    // and the bounds are not words to search when the range finds nothing.
    let cat = broken_fixture();
    search(&cat, &["year:[abc TO 1950]"])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr(&format!(
            "ignored part of the query: a range needs numbers at both ends, e.g. year:[2000 TO 2010]; \
             not a number: `abc`\n{STRICT_NOTE}no matching records (total matches: 0)\n"
        ));
    search(&cat, &["year:[1990 TO 2000]"]).assert_found(&["nurses"]);
}

#[test]
fn notes_echo_at_most_80_characters_of_the_query() {
    let cat = broken_fixture();
    // Broken, and more than 80 characters of plain words, all in the catalogue.
    let words = "cuts cost sent home migrants transfer fund trains nurses before they migrate \
                 bonds sold emigrants pay roads";
    assert!(words.len() > 80);
    search(&cat, &[format!("({words}").as_str()])
        .assert_code(1)
        .assert_notes(&format!(
            "ignored part of the query: `(` at position 1 is never closed\n{STRICT_NOTE}\
             searching the plain words instead: {}...\n\
             no matching records (total matches: 0)\n",
            &words[..80]
        ));
    let long_word = "q".repeat(500);
    let echoed = format!("{}...", "q".repeat(80));
    let query = format!("{long_word})");
    search(&cat, &["--strict", query.as_str()])
        .assert_code(2)
        .assert_stderr_has(&format!(
            "error: invalid query `{echoed}`: `)` at position 501 has no opening `(`\n"
        ));
}

#[test]
fn a_100_kb_query_is_cut_to_its_first_4000_characters_and_searched() {
    let cat = broken_fixture();
    let query = hundred_kb("remittances migrants ");
    assert!(query.len() >= 100 * 1024);
    let length = query.chars().count();
    let out = search(&cat, &[query.as_str()]);
    assert_found_with_notes(
        &out,
        &["remit"],
        &format!(
            "ignored part of the query: all but the first 4000 of its {length} characters\n{STRICT_NOTE}"
        ),
    );
    let strict = search(&cat, &["--strict", query.as_str()]);
    strict
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: invalid query `{}...`: {length} characters long, more than 4000\n  \
         hint: search for a few key words\n",
            &query[..80]
        ));
}

#[test]
fn a_100_kb_query_of_open_brackets_does_not_crash() {
    let cat = broken_fixture();
    let query = hundred_kb("(");
    for args in [
        vec!["search", query.as_str()],
        vec!["search", "--strict", &query],
    ] {
        let strict = args.contains(&"--strict");
        let raw = run_raw(cat.root(), &args, &[("NO_COLOR", "1")]);
        assert!(
            !raw.stderr.contains("panicked") && !raw.stderr.contains("overflow"),
            "strict={strict}: migdev crashed; stderr was:\n{}",
            raw.stderr
        );
        let expected: &[i32] = if strict { &[2] } else { &[0, 1] };
        assert!(
            raw.code.is_some_and(|c| expected.contains(&c)),
            "strict={strict}: exit code {:?}, expected one of {expected:?}; stderr was:\n{}",
            raw.code,
            raw.stderr.chars().take(500).collect::<String>()
        );
        if strict {
            assert!(raw.stderr.starts_with("error: invalid query `((((("));
        } else {
            assert!(raw.stderr.contains("ignored part of the query"));
        }
    }
}

// Sorting and paging.

/// Titles and ids run against each other, so neither order can pass for the other.
fn sort_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("a-zeta", "Zeta fund").years(Some(2005), None),
        Rec::new("b-lima", "lima fund").years(Some(2012), None),
        Rec::new("c-emigre", "Émigré fund").years(Some(1990), None),
        Rec::new("d-alpha", "Alpha fund").years(Some(1999), None),
        Rec::new("e-noyear", "Mango fund"),
    ])
}

fn ids_of(out: &Output) -> Vec<String> {
    out.assert_code(0);
    out.ids()
}

#[test]
fn sort_year_lists_oldest_first_and_records_without_a_year_last() {
    let cat = sort_fixture();
    let out = search(&cat, &["--sort", "year"]);
    out.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(
        ids_of(&out),
        strings(&["c-emigre", "d-alpha", "a-zeta", "b-lima", "e-noyear"])
    );
}

#[test]
fn sort_minus_year_lists_newest_first_and_records_without_a_year_last() {
    let cat = sort_fixture();
    let expected = strings(&["b-lima", "a-zeta", "d-alpha", "c-emigre", "e-noyear"]);
    let joined = search(&cat, &["--sort=-year"]);
    joined.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(ids_of(&joined), expected);
    // Written as the README writes it, with a space: `-year` is a value, not a flag.
    let spaced = search(&cat, &["--sort", "-year"]);
    spaced
        .assert_code(0)
        .assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(ids_of(&spaced), expected);
}

#[test]
fn sort_title_orders_a_to_z_ignoring_case_and_accents() {
    let cat = sort_fixture();
    let out = search(&cat, &["--sort", "title"]);
    out.assert_stderr("showing 1-5 of 5 matching records\n");
    assert_eq!(
        ids_of(&out),
        strings(&["d-alpha", "c-emigre", "b-lima", "e-noyear", "a-zeta"])
    );
}

#[test]
fn offset_pages_through_the_results_without_overlap_and_reports_the_total() {
    let cat = sort_fixture();
    let page = |offset: &str| {
        search(
            &cat,
            &[
                "fund", "--sort", "title", "--limit", "2", "--offset", offset,
            ],
        )
    };
    let first = page("0");
    first.assert_stderr("showing 1-2 of 5 matching records\n");
    let second = page("2");
    second.assert_stderr("showing 3-4 of 5 matching records\n");
    let third = page("4");
    third.assert_stderr("showing 5-5 of 5 matching records\n");
    let mut all = ids_of(&first);
    all.extend(ids_of(&second));
    all.extend(ids_of(&third));
    assert_eq!(
        all,
        strings(&["d-alpha", "c-emigre", "b-lima", "e-noyear", "a-zeta"])
    );
    // Past the end: nothing, exit 1, and the total is still reported.
    search(&cat, &["fund", "--offset", "5"])
        .assert_code(1)
        .assert_stdout("")
        .assert_stderr("no matching records (total matches: 5)\n");
}

#[test]
fn relevance_pages_do_not_overlap() {
    let cat = sort_fixture();
    let page = |offset: &str| {
        let out = search(&cat, &["fund", "--limit", "3", "--offset", offset]);
        ids_of(&out)
    };
    let mut all = page("0");
    all.extend(page("3"));
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(
        crate::util::sorted(all),
        strings(&["a-zeta", "b-lima", "c-emigre", "d-alpha", "e-noyear"])
    );
}

// Similar records.

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

// Snippets.

/// A record whose only match sits in the middle of a long summary.
fn snippet_fixture() -> Catalogue {
    let filler = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima \
                  mike november oscar papa quebec romeo sierra tango uniform victor whiskey ";
    let summary = format!(
        "{}lighthouse keepers {}",
        filler.repeat(4),
        filler.repeat(4)
    );
    Catalogue::indexed(&[
        Rec::new("long", "Coastal fund").summary(&summary),
        Rec::new("short", "Inland fund").summary("Pays for lighthouse repairs."),
    ])
}

#[test]
fn no_snippet_prints_only_the_title_in_the_title_cell() {
    let cat = snippet_fixture();
    let with = search_as(&cat, "table", &["lighthouse", "--sort", "title"]);
    with.assert_code(0);
    let rows = with.table_rows();
    assert_eq!(rows[1].lines("title")[0], "Inland fund", "{with:?}");
    assert_eq!(
        rows[1].lines("title")[1..].join(" "),
        "Pays for lighthouse repairs",
        "{with:?}"
    );
    let without = search_as(
        &cat,
        "table",
        &["lighthouse", "--sort", "title", "--no-snippet"],
    );
    without
        .assert_code(0)
        .assert_stderr("showing 1-2 of 2 matching records\n");
    let titles: Vec<Vec<String>> = without
        .table_rows()
        .iter()
        .map(|r| r.lines("title").to_vec())
        .collect();
    assert_eq!(
        titles,
        vec![strings(&["Coastal fund"]), strings(&["Inland fund"])],
        "{without:?}"
    );
    let json = search_as(&cat, "json", &["lighthouse", "--no-snippet"]);
    json.assert_code(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    for record in parsed.as_array().expect("array") {
        // Every ranked record has the same keys, so the snippet is there, and empty.
        assert_eq!(record["snippet"], serde_json::Value::Null, "{json:?}");
        assert!(record.get("score").is_some(), "{json:?}");
    }
}

/// The snippet under the first result's title, its wrapped lines joined with spaces.
/// Read by hand rather than with `Output::rows`, whose column positions escape codes shift.
fn first_snippet(table: &str) -> String {
    let mut lines = table.lines();
    let header = lines
        .by_ref()
        .find(|l| l.contains(" title "))
        .expect("a header");
    let column = header[..header.find(" title ").expect("title column") + 1]
        .chars()
        .count();
    lines.next(); // the ═ line
    lines.next(); // the title line
    lines
        .take_while(|l| !l.starts_with('─'))
        .map(|l| {
            l.chars()
                .skip(column)
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes the bold on/off escape codes.
fn strip_bold(text: &str) -> String {
    text.replace("\u{1b}[1m", "").replace("\u{1b}[0m", "")
}

#[test]
fn snippets_are_at_most_160_characters_plus_highlighting() {
    let cat = snippet_fixture();
    let json = search_as(&cat, "json", &["lighthouse", "--sort", "title"]);
    json.assert_code(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let snippet = parsed[0]["snippet"]["text"].as_str().expect("a snippet");
    assert_eq!(parsed[0]["id"], "long", "{json:?}");
    assert!(snippet.contains("lighthouse"), "{json:?}");
    // A window of the long summary around the match, not the whole text.
    assert!(
        (100..=160).contains(&snippet.chars().count()),
        "snippet of {} characters: {snippet:?}",
        snippet.chars().count()
    );
    // The table shows the same text, with only the bold codes added around the match.
    let out = run_raw(
        cat.root(),
        &[
            "search",
            "lighthouse",
            "--sort",
            "title",
            "--color",
            "always",
        ],
        &[],
    )
    .output();
    out.assert_code(0);
    let shown = first_snippet(&out.stdout);
    assert_eq!(strip_bold(&shown), snippet, "{out:?}");
    assert_eq!(
        shown.chars().count(),
        snippet.chars().count() + "\u{1b}[1m\u{1b}[0m".chars().count(),
        "{out:?}"
    );
    assert!(shown.contains("\u{1b}[1mlighthouse\u{1b}[0m"), "{out:?}");
}

/// Found by the `query` fuzz target: Tantivy asked an excluded phrase about a record
/// before its own position, so `-"a b"` could drop a record holding both words apart,
/// keep one holding the phrase, or (in debug builds) panic.
#[test]
fn an_excluded_phrase_drops_exactly_the_records_holding_that_phrase() {
    let cat = Catalogue::new();
    let fillers = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
    ];
    for (i, word) in fillers.iter().enumerate() {
        cat.add(
            &Rec::new(
                &format!("filler-{word}"),
                &format!("Filler programme {word}"),
            )
            .summary(&format!("Remittances programme number {i} about {word}.")),
        );
    }
    cat.add(
        &Rec::new("zz-phrase", "Zulu remittances window")
            .summary("A financing facility for remittances."),
    );
    cat.add(
        &Rec::new("zz-apart", "Zulu schools window")
            .summary("A facility for the financing of schools and remittances."),
    );
    let every_filler: Vec<String> = fillers.iter().map(|w| format!("filler-{w}")).collect();
    let mut expected = every_filler.clone();
    expected.push("zz-apart".into());
    for query in [
        "-\"financing facility\"",
        "remittances -\"financing facility\"",
        "remittances -financing-facility",
    ] {
        let out = cat.run(&["search", "--format", "ids", "--", query]);
        out.assert_code(0);
        assert_eq!(
            crate::util::sorted(out.stdout.lines().map(String::from).collect()),
            crate::util::sorted(expected.clone()),
            "{query}: {out:?}"
        );
    }
}

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
