//! `migdev validate`: every problem in data/ is reported as `path:line:col: message`
//! with a hint, all of them in one run, and the exit code is 2 when there is any.

use crate::util::Catalogue;

/// A valid record; tests break one line of it. Line numbers below refer to this layout.
const GOOD: &str = r#"title = "Remittance matching fund"
kind = "programme"
sectors = ["financial-services"]
countries = ["MEX"]
start_year = 2002
end_year = 2010
summary = "Matches migrants' remittances for public works."

[[sources]]
title = "Programme review"
publisher = "World Bank"
url = "https://example.org/review"
kind = "official"
"#;

/// GOOD with one line replaced; `line` is 1-based.
fn good_with(line: usize, replacement: &str) -> String {
    let mut lines: Vec<&str> = GOOD.lines().collect();
    lines[line - 1] = replacement;
    lines.join("\n") + "\n"
}

/// Writes `text` as record `id` in a fresh catalogue and runs `validate` there.
/// Returns the catalogue (to name paths) and what validate printed.
fn validate_one(id: &str, text: &str) -> (Catalogue, crate::util::Output) {
    let cat = Catalogue::new();
    cat.write_record(id, text);
    let out = cat.run(&["validate"]);
    (cat, out)
}

/// The exact stderr for a single problem in `path` at `line:col`.
fn one_problem(cat: &Catalogue, id: &str, at: &str, message: &str, hint: Option<&str>) -> String {
    let path = cat.record_path(id);
    let mut text = format!("{}:{at}: {message}\n", path.display());
    if let Some(hint) = hint {
        text.push_str(&format!("  hint: {hint}\n"));
    }
    text.push_str("1 problem found\n");
    text
}

/// What a clean run says on stderr for `records` records and the real sectors.
fn no_problems(records: usize) -> String {
    let sectors = crate::util::sector_slugs().len();
    format!("{records} records and {sectors} sectors: no problems\n")
}

#[test]
fn clean_catalogue_exits_0_and_counts_records_and_sectors() {
    let cat = Catalogue::new();
    cat.write_record("fund", GOOD);
    cat.add_minimal("beta", "Beta fund", "health", "SEN");
    cat.run(&["validate"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr(&no_problems(2));
}

#[test]
fn invalid_toml_syntax_is_reported_at_its_line_and_column() {
    // Line 7 loses its closing quote: the string runs to the end of the line.
    let text = good_with(
        7,
        r#"summary = "Matches migrants' remittances for public works."#,
    );
    let (cat, out) = validate_one("fund", &text);
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "7:59",
            "invalid TOML: invalid basic string, expected `\"`",
            Some("check quotes, brackets and `key = value` lines near this position"),
        ));
}

#[test]
fn wrong_value_type_is_reported_at_the_value() {
    let (cat, out) = validate_one("fund", &good_with(5, r#"start_year = "2002""#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "5:14",
            "invalid type: string \"2002\", expected i64",
            Some("text goes in quotes, lists in [ ], years are plain numbers"),
        ));
}

#[test]
fn text_field_given_a_number_is_a_type_error() {
    let (cat, out) = validate_one("fund", &good_with(1, "title = 5"));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "1:9",
            "invalid type: integer `5`, expected a string",
            Some("text goes in quotes, lists in [ ], years are plain numbers"),
        ));
}

#[test]
fn unknown_key_typo_suggests_the_known_key() {
    let (cat, out) = validate_one(
        "fund",
        &good_with(1, r#"titel = "Remittance matching fund""#),
    );
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "1:1",
            "unknown key `titel`",
            Some("did you mean `title`?"),
        ));
}

#[test]
fn unknown_key_in_a_source_table_is_reported_at_the_key() {
    let (cat, out) = validate_one("fund", &good_with(11, r#"publsher = "World Bank""#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "11:1",
            "unknown key `publsher`",
            Some("did you mean `publisher`?"),
        ));
}

#[test]
fn unknown_sector_hint_lists_the_valid_sectors() {
    let (cat, out) = validate_one("fund", &good_with(3, r#"sectors = ["finance"]"#));
    let valid = crate::util::sector_slugs().join(", ");
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "3:12",
            "unknown sector `finance`",
            Some(&format!("valid sectors: {valid}")),
        ));
}

#[test]
fn unknown_sector_close_to_a_slug_suggests_it_and_lists_the_valid_ones() {
    let (cat, out) = validate_one(
        "fund",
        &good_with(3, r#"sectors = ["financial-services", "trad"]"#),
    );
    let valid = crate::util::sector_slugs().join(", ");
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "3:34",
            "unknown sector `trad`",
            Some(&format!("did you mean `trade`? valid sectors: {valid}")),
        ));
}

#[test]
fn unknown_country_code_is_reported_at_its_list_item() {
    // The second item: lower case is not a code, and the hint gives the code it means.
    let (cat, out) = validate_one("fund", &good_with(4, r#"countries = ["SEN", "mex"]"#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "4:21",
            "unknown country code `mex`",
            Some("did you mean `MEX` (Mexico)?"),
        ));
}

#[test]
fn unknown_country_code_hint_names_the_closest_code() {
    // `MXE` is `MEX` with two letters swapped: the likeliest typo.
    let (cat, out) = validate_one("fund", &good_with(4, r#"countries = ["MXE"]"#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "4:14",
            "unknown country code `MXE`",
            Some("did you mean `MEX` (Mexico)?"),
        ));
}

#[test]
fn unknown_kind_names_the_closest_and_the_valid_kinds() {
    let (cat, out) = validate_one("fund", &good_with(2, r#"kind = "programm""#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "2:8",
            "unknown kind `programm` (did you mean `programme`?)",
            Some("use one of: programme, policy, law, institution, agreement, fund, network, tool"),
        ));
}

#[test]
fn end_year_before_start_year_is_reported_at_end_year() {
    let (cat, out) = validate_one("fund", &good_with(6, "end_year = 1999"));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "6:12",
            "end_year 1999 is before start_year 2002",
            Some("swap the years or correct the one that is wrong"),
        ));
}

#[test]
fn start_year_before_1900_is_out_of_range() {
    let limit = migdev::catalogue::next_year();
    let (cat, out) = validate_one("fund", &good_with(5, "start_year = 1899"));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "5:14",
            &format!("start_year 1899 is outside 1900..{limit}"),
            Some("give the four-digit year that a source confirms, or leave the field out"),
        ));
}

#[test]
fn end_year_after_next_year_is_out_of_range() {
    let limit = migdev::catalogue::next_year();
    let year = limit + 1;
    let (cat, out) = validate_one("fund", &good_with(6, &format!("end_year = {year}")));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "6:12",
            &format!("end_year {year} is outside 1900..{limit}"),
            Some("give the four-digit year that a source confirms, or leave the field out"),
        ));
}

#[test]
fn years_1900_and_next_year_are_inside_the_range() {
    let limit = migdev::catalogue::next_year();
    let text = good_with(5, "start_year = 1900");
    let text = text.replace("end_year = 2010", &format!("end_year = {limit}"));
    let cat = Catalogue::new();
    cat.write_record("fund", &text);
    cat.add_minimal("other", "Other fund", "trade", "MEX");
    cat.run(&["validate"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr(&no_problems(2));
}

#[test]
fn empty_title_is_reported_at_the_title() {
    let (cat, out) = validate_one("fund", &good_with(1, r#"title = """#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "1:9",
            "the title is empty",
            Some("give the programme's own name"),
        ));
}

#[test]
fn empty_summary_is_reported_at_the_summary() {
    let (cat, out) = validate_one("fund", &good_with(7, r#"summary = """#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "7:11",
            "the summary is empty",
            Some("write 1-3 sentences on what it is and where"),
        ));
}

#[test]
fn blank_summary_is_reported_as_empty() {
    let (cat, out) = validate_one("fund", &good_with(7, r#"summary = "   ""#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "7:11",
            "the summary is empty",
            Some("write 1-3 sentences on what it is and where"),
        ));
}

#[test]
fn empty_sources_list_is_reported_at_the_list() {
    let text = r#"title = "Remittance matching fund"
kind = "programme"
sectors = ["financial-services"]
countries = ["MEX"]
summary = "Matches migrants' remittances for public works."
sources = []
"#;
    let (cat, out) = validate_one("fund", text);
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "6:11",
            "no sources given",
            Some("add a [[sources]] table with title and publisher (and url, year where shown)"),
        ));
}

#[test]
fn source_with_empty_title_is_reported_at_that_title() {
    let (cat, out) = validate_one("fund", &good_with(10, r#"title = """#));
    out.assert_code(2)
        .assert_stdout("")
        .assert_stderr(&one_problem(
            &cat,
            "fund",
            "10:9",
            "source 1 has no title",
            Some("give the title as the source shows it"),
        ));
}

#[test]
fn file_name_with_upper_case_is_a_bad_id() {
    let (cat, out) = validate_one("Remittance-Fund", GOOD);
    let path = cat.record_path("Remittance-Fund");
    out.assert_code(2).assert_stdout("").assert_stderr(&format!(
        "{}: `Remittance-Fund` is not a valid record id\n  \
         hint: rename the file in lowercase kebab-case, e.g. `remittance-fund.toml`\n\
         1 problem found\n",
        path.display()
    ));
}

#[test]
fn every_problem_in_one_file_is_reported() {
    let text = GOOD
        .replace(r#"title = "Remittance matching fund""#, r#"title = """#)
        .replace(r#"countries = ["MEX"]"#, r#"countries = ["ZZZZZ"]"#)
        .replace("end_year = 2010", "end_year = 1999");
    let (cat, out) = validate_one("fund", &text);
    let path = cat.record_path("fund");
    let p = path.display();
    out.assert_code(2).assert_stdout("").assert_stderr(&format!(
        "{p}:1:9: the title is empty\n  hint: give the programme's own name\n\
         {p}:4:14: unknown country code `ZZZZZ`\n  \
         hint: use an ISO 3166-1 alpha-3 code in upper case, e.g. `MEX`\n\
         {p}:6:12: end_year 1999 is before start_year 2002\n  \
         hint: swap the years or correct the one that is wrong\n\
         3 problems found\n"
    ));
}

#[test]
fn all_problems_across_several_bad_files_are_reported_in_one_run() {
    let cat = Catalogue::new();
    cat.write_record("a-syntax", &good_with(2, r#"kind = "programme"#));
    cat.write_record("b-good", GOOD);
    cat.write_record(
        "c-typo",
        &good_with(1, r#"titel = "Remittance matching fund two""#),
    );
    cat.write_record(
        "d-years",
        &good_with(1, r#"title = "Another fund""#).replace("end_year = 2010", "end_year = 2001"),
    );
    let out = cat.run(&["validate"]);
    let a = cat.record_path("a-syntax");
    let c = cat.record_path("c-typo");
    let d = cat.record_path("d-years");
    out.assert_code(2).assert_stdout("").assert_stderr(&format!(
        "{}:2:18: invalid TOML: invalid basic string, expected `\"`\n  \
         hint: check quotes, brackets and `key = value` lines near this position\n\
         {}:1:1: unknown key `titel`\n  hint: did you mean `title`?\n\
         {}:6:12: end_year 2001 is before start_year 2002\n  \
         hint: swap the years or correct the one that is wrong\n\
         3 problems found\n",
        a.display(),
        c.display(),
        d.display()
    ));
}

#[test]
fn two_records_with_the_same_title_are_a_problem() {
    let cat = Catalogue::new();
    cat.write_record("first", GOOD);
    cat.write_record("second", GOOD);
    let second = cat.record_path("second");
    cat.run(&["validate"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "{}: the title is also used by `first`\n  \
             hint: give each programme its own title, or merge the two records\n\
             1 problem found\n",
            second.display()
        ));
}

#[test]
fn files_that_are_not_records_are_ignored() {
    let cat = Catalogue::new();
    cat.write_record("fund", GOOD);
    cat.add_minimal("other", "Other fund", "trade", "MEX");
    let broken = "this is = not [ TOML";
    cat.write("data/programmes/README.md", broken);
    cat.write("data/programmes/fund.toml~", broken);
    cat.write("data/programmes/.fund.toml.swp", broken);
    cat.write("data/programmes/.hidden.toml", broken);
    cat.run(&["validate"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr(&no_problems(2));
}

#[test]
fn a_source_url_on_a_document_sharing_site_is_a_warning_that_does_not_fail() {
    let text = GOOD.replace(
        "https://example.org/review",
        "https://www.docslib.org/doc/42/review",
    );
    let (cat, out) = validate_one("copy", &text);
    let path = cat.record_path("copy");
    out.assert_code(0).assert_stderr(&format!(
        "{}:12:7: warning: source 1 url is a copy on docslib.org: \
         https://www.docslib.org/doc/42/review\n  hint: put the publisher's own address in `url` \
         and this copy in `via`; keep the copy as `url` only when no original can be found\n\
         1 record and 13 sectors: no problems (1 warning)\n",
        path.display()
    ));
    let json = cat.run(&["validate", "--format", "json"]);
    json.assert_code(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(parsed[0]["severity"], "warning", "{json:?}");
    assert_eq!(parsed[0]["line"], 12, "{json:?}");
    // The same copy in `via`, with the publisher's address in `url`, is what is asked for.
    let fixed = GOOD.replace(
        "url = \"https://example.org/review\"",
        "url = \"https://example.org/review\"\nvia = \"https://docslib.org/doc/42\"",
    );
    let (_, out) = validate_one("fixed", &fixed);
    out.assert_code(0)
        .assert_stderr("1 record and 13 sectors: no problems\n");
}
