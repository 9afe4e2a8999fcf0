//! Exports that tools trust: CSV that parses back to the same values, formula
//! neutralising, BOM and line endings, complete JSON and JSON Lines, counts that agree with
//! `search`, column selection, atomic `--output`, quiet exits on closed pipes, NO_COLOR,
//! and a README that names every field.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::util::{Catalogue, Output, Rec};
use serde_json::{Value, json};

mod json;
mod output;

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
