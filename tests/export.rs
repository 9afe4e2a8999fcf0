//! Exports that tools trust: CSV that parses back to the same values, formula
//! neutralising, BOM and line endings, complete JSON and JSON Lines, counts that agree with
//! `search`, column selection, atomic `--output`, quiet exits on closed pipes, NO_COLOR,
//! and a README that names every field.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{Catalogue, Output, Rec};
use serde_json::{Value, json};

/// Every field name `--fields` accepts, in README order.
const ALL_FIELDS: [&str; 27] = [
    "id",
    "title",
    "kind",
    "sectors",
    "sector_labels",
    "countries",
    "country_names",
    "regions",
    "origin",
    "destination",
    "scope",
    "organisations",
    "start_year",
    "end_year",
    "status",
    "summary",
    "description",
    "results",
    "lessons",
    "keywords",
    "gcm_objectives",
    "sources",
    "evidence",
    "source_titles",
    "source_urls",
    "score",
    "snippet",
];

const DEFAULT_HEADER: &str =
    "id,title,kind,sectors,countries,regions,start_year,end_year,status,summary,source_urls";

/// Runs `migdev export ARGS`.
fn export(cat: &Catalogue, args: &[&str]) -> Output {
    cat.command().arg("export").args(args).run()
}

/// The rows of CSV text (header excluded), read back with the `csv` crate, and the header.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            r.expect("a CSV row")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    (header, rows)
}

/// The value of `column` in each row.
fn column(header: &[String], rows: &[Vec<String>], column: &str) -> Vec<String> {
    let i = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column:?} in {header:?}"));
    rows.iter().map(|r| r[i].clone()).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    crate::util::strings(items)
}

// CSV values.

const ODD_TITLE: &str = "Fonds \"Tiền\", Côte d'Ivoire";
/// A title may not break lines (validate refuses control characters there); a
/// description may.
const ODD_DESCRIPTION: &str = "First line, \"quoted\"\nsecond line";

#[test]
fn csv_gives_back_texts_with_commas_quotes_newlines_and_non_ascii_letters() {
    let cat = Catalogue::indexed(&[
        Rec::new("a-odd", ODD_TITLE).description(ODD_DESCRIPTION),
        Rec::new("b-plain", "Plain title").description("Plain"),
        Rec::new("c-greek", "Ταμείο Ελλάδας; 日本の基金").description("Plain"),
    ]);
    let out = export(&cat, &["--fields", "id,title,description"]);
    out.assert_code(0)
        .assert_stderr("exported 3 of 3 matching records\n");
    let (header, rows) = parse_csv(&out.stdout);
    assert_eq!(header, strings(&["id", "title", "description"]));
    assert_eq!(
        rows,
        vec![
            strings(&["a-odd", ODD_TITLE, ODD_DESCRIPTION]),
            strings(&["b-plain", "Plain title", "Plain"]),
            strings(&["c-greek", "Ταμείο Ελλάδας; 日本の基金", "Plain"]),
        ],
        "{out:?}"
    );
    // RFC 4180 quoting, byte for byte.
    out.assert_stdout(
        "id,title,description\n\
         a-odd,\"Fonds \"\"Tiền\"\", Côte d'Ivoire\",\"First line, \"\"quoted\"\"\nsecond line\"\n\
         b-plain,Plain title,Plain\n\
         c-greek,Ταμείο Ελλάδας; 日本の基金,Plain\n",
    );
}

#[test]
fn csv_joins_multi_valued_fields_with_semicolon_space() {
    let cat = Catalogue::indexed(&[Rec::new("multi", "Multi fund")
        .sectors(&["trade", "health"])
        .countries(&["SEN", "FRA", "CIV"])
        .organisations(&["IOM", "Banque, \"centrale\""])
        .keywords(&["remittances", "diaspora bonds"])]);
    let out = export(
        &cat,
        &[
            "--fields",
            "sectors,sector_labels,countries,country_names,regions,organisations,keywords",
        ],
    );
    out.assert_code(0)
        .assert_stderr("exported 1 of 1 matching records\n");
    let (_, rows) = parse_csv(&out.stdout);
    assert_eq!(
        rows,
        vec![strings(&[
            "trade; health",
            "Trade; Health services",
            "SEN; FRA; CIV",
            "Senegal; France; Côte d'Ivoire",
            "Africa; Europe",
            "IOM; Banque, \"centrale\"",
            "remittances; diaspora bonds",
        ])],
        "{out:?}"
    );
}

#[test]
fn csv_has_the_documented_default_columns() {
    let cat = Catalogue::indexed(&[Rec::new("one", "One fund")
        .years(Some(2001), Some(2004))
        .status("ended")
        .sources(&[
            ("First", "Publisher", Some("https://example.org/a")),
            ("Second", "Publisher", Some("https://example.org/b")),
        ])]);
    export(&cat, &[])
        .assert_code(0)
        .assert_stderr("exported 1 of 1 matching records\n")
        .assert_stdout(&format!(
            "{DEFAULT_HEADER}\n\
             one,One fund,programme,trade,MEX,Americas,2001,2004,ended,A programme used as a test fixture.,https://example.org/a; https://example.org/b\n"
        ));
}

// Spreadsheet formulas.

fn formula_fixture() -> Catalogue {
    Catalogue::indexed(&[
        Rec::new("a-equals", "=HYPERLINK(\"http://x\")"),
        Rec::new("b-plus", "+1 fund").summary("=1+1"),
        Rec::new("c-minus", "-5% fees"),
        Rec::new("d-at", "@SUM(A1)"),
        Rec::new("e-middle", "Fund = bond + loan"),
    ])
}

#[test]
fn csv_neutralises_cells_that_start_like_a_formula() {
    let cat = formula_fixture();
    let out = export(&cat, &["--fields", "id,title,summary"]);
    out.assert_code(0)
        .assert_stderr("exported 5 of 5 matching records\n");
    let (_, rows) = parse_csv(&out.stdout);
    let fixture = "A programme used as a test fixture.";
    assert_eq!(
        rows,
        vec![
            strings(&["a-equals", "'=HYPERLINK(\"http://x\")", fixture]),
            strings(&["b-plus", "'+1 fund", "'=1+1"]),
            strings(&["c-minus", "'-5% fees", fixture]),
            strings(&["d-at", "'@SUM(A1)", fixture]),
            strings(&["e-middle", "Fund = bond + loan", fixture]),
        ],
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains("\na-equals,\"'=HYPERLINK(\"\"http://x\"\")\","),
        "{out:?}"
    );
}

#[test]
fn csv_raw_keeps_formula_like_cells_verbatim() {
    let cat = formula_fixture();
    let out = export(&cat, &["--fields", "id,title,summary", "--raw"]);
    out.assert_code(0)
        .assert_stderr("exported 5 of 5 matching records\n");
    let (_, rows) = parse_csv(&out.stdout);
    assert_eq!(
        column(&strings(&["id", "title", "summary"]), &rows, "title"),
        strings(&[
            "=HYPERLINK(\"http://x\")",
            "+1 fund",
            "-5% fees",
            "@SUM(A1)",
            "Fund = bond + loan",
        ]),
        "{out:?}"
    );
    assert_eq!(rows[1][2], "=1+1", "{out:?}");
}

// Byte-order mark and line endings.

fn two_records() -> Catalogue {
    Catalogue::indexed(&[Rec::new("a", "Alpha fund"), Rec::new("b", "Beta fund")])
}

#[test]
fn csv_has_no_byte_order_mark_unless_bom_is_given() {
    let cat = two_records();
    export(&cat, &["--fields", "id,title"])
        .assert_code(0)
        .assert_stdout("id,title\na,Alpha fund\nb,Beta fund\n");
    export(&cat, &["--fields", "id,title", "--bom"])
        .assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n")
        .assert_stdout("\u{feff}id,title\na,Alpha fund\nb,Beta fund\n");
}

#[test]
fn csv_uses_lf_by_default_and_crlf_with_crlf() {
    let cat = two_records();
    let lf = export(&cat, &["--fields", "id,title"]);
    lf.assert_code(0);
    assert!(!lf.stdout.contains('\r'), "{lf:?}");
    export(&cat, &["--fields", "id,title", "--crlf"])
        .assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n")
        .assert_stdout("id,title\r\na,Alpha fund\r\nb,Beta fund\r\n");
    export(&cat, &["--fields", "id,title", "--crlf", "--bom"])
        .assert_code(0)
        .assert_stdout("\u{feff}id,title\r\na,Alpha fund\r\nb,Beta fund\r\n");
}

// JSON and JSON Lines.

/// A record with every field of the schema set.
const FULL_RECORD: &str = r#"title = "Full fund, \"quoted\""
kind = "fund"
sectors = ["financial-services", "trade"]
countries = ["SEN", "FRA"]
origin = ["SEN"]
destination = ["FRA"]
scope = "bilateral"
organisations = ["IOM", "Banque de France"]
start_year = 2005
end_year = 2019
status = "ended"
summary = "Lowers the cost of remittances sent home."
description = "Agents in both countries take and pay out transfers."
results = "Fees fell, according to the evaluation."
lessons = "Agents in rural areas were hard to keep."
keywords = ["remittances", "diaspora"]
gcm_objectives = [19, 20]

[[sources]]
title = "First source"
publisher = "First publisher"
year = 2010
url = "https://example.org/first"
kind = "official"

[[sources]]
title = "Second source"
publisher = "Second publisher"
year = 2015
url = "https://example.org/second"
via = "https://mirror.example.net/second"
kind = "evaluation"
"#;

/// The full record as every JSON export must show it (without a ranking query).
fn full_record_json() -> Value {
    json!({
        "id": "full",
        "title": "Full fund, \"quoted\"",
        "kind": "fund",
        "sectors": ["financial-services", "trade"],
        "countries": ["SEN", "FRA"],
        "origin": ["SEN"],
        "destination": ["FRA"],
        "scope": "bilateral",
        "organisations": ["IOM", "Banque de France"],
        "start_year": 2005,
        "end_year": 2019,
        "status": "ended",
        "summary": "Lowers the cost of remittances sent home.",
        "description": "Agents in both countries take and pay out transfers.",
        "results": "Fees fell, according to the evaluation.",
        "lessons": "Agents in rural areas were hard to keep.",
        "keywords": ["remittances", "diaspora"],
        "gcm_objectives": [19, 20],
        "sources": [
            {
                "title": "First source",
                "publisher": "First publisher",
                "year": 2010,
                "kind": "official",
                "url": "https://example.org/first",
                "via": null,
            },
            {
                "title": "Second source",
                "publisher": "Second publisher",
                "year": 2015,
                "kind": "evaluation",
                "url": "https://example.org/second",
                "via": "https://mirror.example.net/second",
            },
        ],
        "sector_labels": ["Financial services", "Trade"],
        "country_names": ["Senegal", "France"],
        "regions": ["Africa", "Europe"],
        "evidence": ["official", "evaluation"],
    })
}

fn full_fixture() -> Catalogue {
    let cat = Catalogue::new();
    cat.write_record("full", FULL_RECORD);
    cat.add(&Rec::new("plain", "Plain fund"));
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

#[test]
fn json_export_holds_every_record_field_and_the_derived_names() {
    let cat = full_fixture();
    let out = export(&cat, &["--format", "json"]);
    out.assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n");
    let parsed: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON does not parse ({e}); output was:{out:?}"));
    let records = parsed.as_array().expect("one JSON array");
    assert_eq!(records.len(), 2, "{out:?}");
    assert_eq!(records[0], full_record_json(), "{out:?}");
    assert_eq!(records[1]["id"], "plain", "{out:?}");
}

#[test]
fn jsonl_export_is_one_whole_record_per_line() {
    let cat = full_fixture();
    let out = export(&cat, &["--format", "jsonl"]);
    out.assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{out:?}");
    assert!(out.stdout.ends_with('\n'), "{out:?}");
    let records: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(records[0], full_record_json(), "{out:?}");
    let array: Value =
        serde_json::from_str(&export(&cat, &["--format", "json"]).stdout).expect("JSON");
    assert_eq!(Value::Array(records), array);
}

#[test]
fn json_has_score_and_snippet_only_when_a_query_ranks() {
    let cat = full_fixture();
    let out = export(&cat, &["remittances", "--format", "json"]);
    out.assert_code(0)
        .assert_stderr("exported 1 of 1 matching records\n");
    let parsed: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut record = parsed[0].clone();
    let score = record["score"].as_f64().expect("a numeric score");
    assert!(score > 0.0, "{out:?}");
    let snippet = record["snippet"].clone();
    let text = snippet["text"].as_str().expect("snippet text");
    assert!(text.contains("remittances"), "{out:?}");
    let highlights = snippet["highlights"].as_array().expect("highlights");
    assert!(!highlights.is_empty(), "{out:?}");
    for h in highlights {
        let (start, end) = (
            usize::try_from(h["start"].as_u64().unwrap()).unwrap(),
            usize::try_from(h["end"].as_u64().unwrap()).unwrap(),
        );
        assert_eq!(&text[start..end].to_lowercase(), "remittances", "{out:?}");
    }
    // Apart from the ranking, the record is the same.
    let map = record.as_object_mut().unwrap();
    map.remove("score");
    map.remove("snippet");
    assert_eq!(record, full_record_json(), "{out:?}");
    // No query: nothing ranks, so neither appears.
    let all: Value =
        serde_json::from_str(&export(&cat, &["--format", "json"]).stdout).expect("JSON");
    for record in all.as_array().unwrap() {
        assert!(record.get("score").is_none(), "{all}");
        assert!(record.get("snippet").is_none(), "{all}");
    }
}

#[test]
fn csv_fields_hold_every_value_and_score_and_snippet_when_a_query_ranks() {
    let cat = full_fixture();
    let fields = ALL_FIELDS.join(",");
    let out = export(&cat, &["--fields", &fields, "--raw"]);
    out.assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n");
    let (header, rows) = parse_csv(&out.stdout);
    assert_eq!(header, strings(&ALL_FIELDS));
    assert_eq!(
        rows[0],
        strings(&[
            "full",
            "Full fund, \"quoted\"",
            "fund",
            "financial-services; trade",
            "Financial services; Trade",
            "SEN; FRA",
            "Senegal; France",
            "Africa; Europe",
            "SEN",
            "FRA",
            "bilateral",
            "IOM; Banque de France",
            "2005",
            "2019",
            "ended",
            "Lowers the cost of remittances sent home.",
            "Agents in both countries take and pay out transfers.",
            "Fees fell, according to the evaluation.",
            "Agents in rural areas were hard to keep.",
            "remittances; diaspora",
            "19; 20",
            "First source (First publisher, 2010) https://example.org/first; \
             Second source (Second publisher, 2015) https://example.org/second",
            "official; evaluation",
            "First source; Second source",
            "https://example.org/first; https://example.org/second",
            "",
            "",
        ]),
        "{out:?}"
    );
    let ranked = export(&cat, &["remittances", "--fields", "id,score,snippet"]);
    ranked.assert_code(0);
    let (_, rows) = parse_csv(&ranked.stdout);
    assert_eq!(rows.len(), 1, "{ranked:?}");
    assert_eq!(rows[0][0], "full");
    assert!(
        rows[0][1].parse::<f64>().is_ok_and(|s| s > 0.0),
        "{ranked:?}"
    );
    assert!(rows[0][2].contains("remittances"), "{ranked:?}");
}

// Counts and columns.

/// 22 records that mention remittances (more than a search page) and 3 that do not.
fn count_fixture() -> Catalogue {
    let mut records = Vec::new();
    for i in 0..22 {
        let sector = if i % 2 == 0 { "trade" } else { "health" };
        records.push(
            Rec::new(&format!("remit-{i:02}"), &format!("Transfer scheme {i}"))
                .sectors(&[sector])
                .summary("Cuts the cost of remittances."),
        );
    }
    for i in 0..3 {
        records.push(Rec::new(
            &format!("other-{i}"),
            &format!("Nurse training {i}"),
        ));
    }
    Catalogue::indexed(&records)
}

#[test]
fn export_row_count_equals_the_total_search_reports() {
    let cat = count_fixture();
    for args in [
        vec!["remittances"],
        vec!["remittances", "--sector", "health"],
        vec!["remitances"],
        vec![],
    ] {
        let searched = cat.command().arg("search").args(&args).run();
        searched.assert_code(0);
        let total = searched
            .total()
            .unwrap_or_else(|| panic!("no total; output was:{searched:?}"));
        let exported = export(&cat, &args);
        exported.assert_code(0);
        let (_, rows) = parse_csv(&exported.stdout);
        assert_eq!(rows.len(), total, "{args:?}: {exported:?}");
        // The same notes (corrections), then the export's own count.
        exported.assert_stderr(&format!(
            "{}exported {total} of {total} matching records\n",
            searched.notes()
        ));
    }
    // The totals themselves.
    let totals: Vec<usize> = [
        vec!["remittances"],
        vec!["remittances", "--sector", "health"],
    ]
    .iter()
    .map(|args| {
        cat.command()
            .arg("search")
            .args(args)
            .run()
            .total()
            .unwrap()
    })
    .collect();
    assert_eq!(totals, [22, 11]);
}

#[test]
fn fields_selects_and_orders_the_columns() {
    let cat = two_records();
    export(&cat, &["--fields", "title,id"])
        .assert_code(0)
        .assert_stderr("exported 2 of 2 matching records\n")
        .assert_stdout("title,id\nAlpha fund,a\nBeta fund,b\n");
    export(&cat, &["--fields", "id, title"])
        .assert_code(0)
        .assert_stdout("id,title\na,Alpha fund\nb,Beta fund\n");
}

const FIELD_LIST: &str = "id,title,kind,sectors,sector_labels,countries,country_names,regions,origin,destination,scope,organisations,start_year,end_year,status,summary,description,results,lessons,keywords,gcm_objectives,sources,evidence,source_titles,source_urls,score,snippet";

#[test]
fn unknown_field_exits_2_with_a_hint() {
    let cat = two_records();
    export(&cat, &["--fields", "id,titel"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: --fields: unknown field `titel`\n  hint: did you mean `title`? fields: {FIELD_LIST}\n"
        ));
    export(&cat, &["--fields", "id,colour"])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: --fields: unknown field `colour`\n  hint: fields: {FIELD_LIST}\n"
        ));
}

// Writing to a file.

#[test]
fn output_writes_the_export_to_the_file_and_nothing_to_stdout() {
    let cat = two_records();
    let expected = export(&cat, &["--fields", "id,title"]).stdout;
    export(&cat, &["--fields", "id,title", "--output", "out.csv"])
        .assert_code(0)
        .assert_stdout("")
        .assert_stderr("exported 2 of 2 matching records\n");
    let written = std::fs::read_to_string(cat.root().join("out.csv")).expect("out.csv written");
    assert_eq!(written, expected);
    assert_eq!(written, "id,title\na,Alpha fund\nb,Beta fund\n");
    // An existing file is replaced.
    export(&cat, &["--fields", "id", "-o", "out.csv"]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(cat.root().join("out.csv")).unwrap(),
        "id\na\nb\n"
    );
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn failed_export_leaves_an_existing_output_file_unchanged() {
    let cat = two_records();
    let out_dir = cat.root().join("exports");
    std::fs::create_dir(&out_dir).unwrap();
    let file = out_dir.join("out.csv");
    std::fs::write(&file, "previous export\n").unwrap();
    let file_arg = file.to_str().unwrap();
    export(&cat, &["--fields", "id,bogus_field", "--output", file_arg])
        .assert_code(2)
        .assert_stdout("")
        .assert_stderr(&format!(
            "error: --fields: unknown field `bogus_field`\n  hint: fields: {FIELD_LIST}\n"
        ));
    export(&cat, &["--sector", "nowhere", "--output", file_arg])
        .assert_code(2)
        .assert_stdout("");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous export\n");
    // No temporary file left behind either.
    assert_eq!(listing(&out_dir), strings(&["out.csv"]));
}

// A closed stdout.

/// Runs `migdev ARGS` with stdout piped into a reader that takes one line and closes the
/// pipe; returns that line, the exit code and stderr.
fn read_one_line_then_close(root: &Path, args: &[&str]) -> (String, Option<i32>, String) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_migdev"))
        .current_dir(root)
        .args(args)
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn migdev");
    let mut line = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
        reader.read_line(&mut line).expect("read one line");
        // Dropping the reader closes the pipe while migdev is still writing.
    }
    let out = child.wait_with_output().expect("wait for migdev");
    (
        line,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_stdout_ends_the_export_quietly() {
    // About 450 KB of CSV, far more than a pipe holds, so migdev is still writing when
    // the reader goes away.
    let summary = "Cuts the cost of remittances sent home by migrants. ".repeat(30);
    let records: Vec<Rec> = (0..300)
        .map(|i| Rec::new(&format!("rec-{i:03}"), &format!("Record {i}")).summary(&summary))
        .collect();
    let cat = Catalogue::indexed(&records);
    for format in ["csv", "jsonl", "json"] {
        let (line, code, stderr) =
            read_one_line_then_close(cat.root(), &["export", "--format", format]);
        let expected_first = match format {
            "csv" => format!("{DEFAULT_HEADER}\n"),
            "json" => "[\n".to_string(),
            _ => line.clone(),
        };
        assert_eq!(line, expected_first, "{format}");
        assert!(
            !stderr.contains("panicked"),
            "{format}: stderr was:\n{stderr}"
        );
        assert_eq!(code, Some(0), "{format}: stderr was:\n{stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

// Colour and documentation.

/// Runs `migdev search QUERY` as if on a colour terminal (CLICOLOR_FORCE, TERM), with
/// NO_COLOR set to `no_color` or unset.
fn search_on_colour_terminal(cat: &Catalogue, query: &str, no_color: Option<&str>) -> Output {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_migdev"));
    cmd.current_dir(cat.root())
        .args(["search", query])
        .env_remove("MIGDEV_DATA")
        .env_remove("MIGDEV_INDEX")
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .env("CLICOLOR", "1")
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "200");
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let out = cmd.output().expect("run migdev");
    Output {
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
        code: out.status.code().expect("not ended by a signal"),
    }
}

#[test]
fn no_color_removes_escape_codes_from_search_even_on_a_colour_terminal() {
    let cat = Catalogue::indexed(&[Rec::new("remit", "Transfer fund")
        .summary("Cuts the cost of remittances sent home by migrants.")]);
    // Without NO_COLOR these settings do colour the highlights...
    let coloured = search_on_colour_terminal(&cat, "remittances", None);
    coloured.assert_code(0);
    assert!(
        coloured.stdout.contains("\u{1b}[1mremittances\u{1b}[0m"),
        "{coloured:?}"
    );
    // ...and NO_COLOR=1 turns them off.
    let plain = search_on_colour_terminal(&cat, "remittances", Some("1"));
    plain
        .assert_code(0)
        .assert_stderr("showing 1-1 of 1 matching records\n");
    assert!(!plain.stdout.contains('\u{1b}'), "{plain:?}");
    assert!(
        plain
            .stdout
            .contains("Cuts the cost of remittances sent home by migrants"),
        "{plain:?}"
    );
}

#[test]
fn readme_lists_every_export_field_and_the_default_columns() {
    let readme =
        std::fs::read_to_string(crate::util::manifest_dir().join("README.md")).expect("README");
    let missing: Vec<&str> = ALL_FIELDS
        .iter()
        .copied()
        .filter(|name| !readme.contains(&format!("\n| `{name}` |")))
        .collect();
    assert!(missing.is_empty(), "README's field table lacks {missing:?}");
    assert!(
        readme.contains(&format!("Default CSV columns: `{DEFAULT_HEADER}`")),
        "README does not give the default columns as {DEFAULT_HEADER}"
    );
    // The binary accepts exactly these names, in this order in its hint.
    let cat = two_records();
    let out = export(&cat, &["--fields", &ALL_FIELDS.join(",")]);
    out.assert_code(0);
    assert_eq!(
        out.stdout.lines().next(),
        Some(ALL_FIELDS.join(",").as_str())
    );
    assert_eq!(FIELD_LIST, ALL_FIELDS.join(","));
}
