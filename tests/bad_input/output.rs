//! Bad input that reaches the output: numbers too large to allocate for, formats that must
//! keep their own shape, record text that must not reach a terminal raw, and terminals
//! too narrow for a table.

use serde_json::{Value, json};

use crate::util::{Catalogue, Output, Rec};

/// Three indexed records: `a` with every optional field the tests look at, `b` and `c`
/// minimal. All three hold the word "remittances".
fn three() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(
        &Rec::new("a", "Alpha remittance fund")
            .years(Some(2001), None)
            .organisations(&["IOM"])
            .description("Matches remittances."),
    );
    cat.add(&Rec::new("b", "Beta remittance bond").years(Some(1999), None));
    cat.add(&Rec::new("c", "Gamma remittance scheme"));
    cat.run(&["rebuild"]).assert_code(0);
    cat
}

/// The ids of a CSV export with `--fields id`.
fn exported_ids(out: &Output) -> Vec<&str> {
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("id"), "{out:?}");
    lines.collect()
}

#[test]
fn export_serves_any_limit_and_offset_without_allocating_for_them() {
    let cat = three();
    let huge = u64::MAX.to_string();
    for sort in [
        &[][..],
        &["--sort", "year"],
        &["--sort", "-year"],
        &["--sort", "title"],
    ] {
        for query in [&[][..], &["remittances"]] {
            let run = |extra: &[&str]| {
                cat.command()
                    .args(["export", "--fields", "id"])
                    .args(query)
                    .args(sort)
                    .args(extra)
                    .run()
            };
            let all = run(&["--limit", &huge]);
            all.assert_code(0)
                .assert_stderr("exported 3 of 3 matching records\n");
            assert_eq!(exported_ids(&all).len(), 3, "{all:?}");
            let rest = run(&["--limit", &huge, "--offset", "1"]);
            rest.assert_code(0);
            assert_eq!(exported_ids(&rest), exported_ids(&all)[1..], "{rest:?}");
            for offset in ["99999999999999", huge.as_str()] {
                let none = run(&["--offset", offset, "--limit", &huge]);
                none.assert_code(1)
                    .assert_stdout("id\n")
                    .assert_stderr("exported 0 of 3 matching records\n");
            }
        }
    }
}

#[test]
fn show_markdown_prints_the_record_as_a_markdown_document() {
    let cat = Catalogue::new();
    cat.write_record(
        "fund",
        r#"title = "Fund *for* [diaspora] <investment>"
kind = "fund"
sectors = ["financial-services"]
countries = ["MEX", "USA"]
origin = ["MEX"]
destination = ["USA"]
start_year = 2002
status = "ongoing"
summary = "Matches remittances."
description = """First paragraph.

Second paragraph, with_underscores."""

[[sources]]
title = "Review"
publisher = "World Bank"
year = 2008
kind = "evaluation"
url = "https://example.org/review"
via = "https://archive.example.net/review"
"#,
    );
    cat.run(&["rebuild"]).assert_code(0);
    cat.run(&["show", "fund", "--format", "markdown"])
        .assert_code(0)
        .assert_stderr("")
        .assert_stdout(
            "# Fund \\*for\\* \\[diaspora\\] \\<investment\\>\n\
             \n\
             - **id:** fund\n\
             - **kind:** fund\n\
             - **sectors:** Financial services\n\
             - **countries:** Mexico (MEX); United States of America (USA)\n\
             - **origin:** Mexico (MEX)\n\
             - **destination:** United States of America (USA)\n\
             - **years:** 2002- (ongoing)\n\
             \n\
             ## Summary\n\
             \n\
             Matches remittances.\n\
             \n\
             ## Description\n\
             \n\
             First paragraph.\n\
             \n\
             Second paragraph, with\\_underscores.\n\
             \n\
             ## Sources\n\
             \n\
             1. Review. World Bank, 2008 (evaluation). <https://example.org/review> \
             (via <https://archive.example.net/review>)\n",
        );
}

#[test]
fn export_fields_choose_the_json_keys_and_missing_values_are_null() {
    let cat = three();
    let fields = "id,start_year,description,organisations,scope";
    let expected = json!([
        {"id": "a", "start_year": 2001, "description": "Matches remittances.",
         "organisations": ["IOM"], "scope": null},
        {"id": "b", "start_year": 1999, "description": null, "organisations": [], "scope": null},
        {"id": "c", "start_year": null, "description": null, "organisations": [], "scope": null},
    ]);
    let keys = |object: &Value| -> Vec<String> {
        object
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    };
    let out = cat.run(&["export", "--format", "json", "--fields", fields]);
    out.assert_code(0);
    // Parsed in order: the keys come in the order --fields gives them.
    let parsed: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(parsed, expected, "{out:?}");
    for object in parsed.as_array().unwrap() {
        let order: Vec<&str> = fields.split(',').collect();
        let mut sorted_keys = keys(object);
        sorted_keys.sort();
        let mut sorted_fields = order.clone();
        sorted_fields.sort();
        assert_eq!(sorted_keys, sorted_fields, "{out:?}");
    }
    assert!(
        out.stdout.find("\"start_year\"") < out.stdout.find("\"description\""),
        "{out:?}"
    );
    let lines = cat.run(&["export", "--format", "jsonl", "--fields", fields]);
    lines.assert_code(0);
    let objects: Vec<Value> = lines
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(Value::Array(objects), expected, "{lines:?}");
    // Without --fields every object still has the same keys, whatever the record lacks.
    let whole: Value =
        serde_json::from_str(&cat.run(&["export", "--format", "json"]).stdout).expect("JSON");
    let whole = whole.as_array().unwrap();
    assert_eq!(keys(&whole[0]), keys(&whole[2]));
    assert_eq!(whole[2]["description"], Value::Null);
}

/// Characters that validation lets through but a terminal would act on: a carriage return
/// in a long text (CRLF files keep it), a tab, and a right-to-left override in a title.
#[test]
fn record_text_reaches_the_terminal_without_control_or_direction_characters() {
    let cat = Catalogue::new();
    cat.add(
        &Rec::new("fund", "Fund \u{202e}dnuf")
            .summary("Matches remittances.")
            .description("First line\r\nsecond\tline."),
    );
    cat.run(&["rebuild"]).assert_code(0);
    let unsafe_char = |c: char| c == '\r' || c == '\t' || c == '\u{202e}' || c == '\u{1b}';
    for args in [
        &["show", "fund"][..],
        &["show", "fund", "--format", "markdown"],
        &["search", "remittances"],
        &["search", "remittances", "--format", "markdown"],
        &["similar", "fund"],
    ] {
        let out = cat.run(args);
        assert!(!out.stdout.contains(unsafe_char), "{args:?}:{out:?}");
    }
    let shown = cat.run(&["show", "fund"]);
    shown
        .assert_code(0)
        .assert_stdout_has("Fund dnuf\n")
        .assert_stdout_has("\nDescription\n  First line second line.\n");
    // Machine formats keep the text exactly.
    let exported = cat.run(&[
        "export",
        "--format",
        "jsonl",
        "--fields",
        "title,description",
    ]);
    let record: Value = serde_json::from_str(exported.stdout.trim()).expect("JSON");
    assert_eq!(record["title"], "Fund \u{202e}dnuf");
    assert_eq!(record["description"], "First line\r\nsecond\tline.");
}

#[test]
fn show_and_sectors_wrap_to_narrow_terminals() {
    let cat = Catalogue::new();
    cat.add(
        &Rec::new("fund", "Remittance matching fund for hometown associations")
            .countries(&["CIV", "MEX"])
            .organisations(&["Ministry of Finance and Public Credit"])
            .description("Hometown associations propose projects that the state matches.")
            .sources(&[(
                "Programme review",
                "World Bank",
                Some("https://example.org/a/long/address/for/a/review/of/the/programme"),
            )]),
    );
    cat.run(&["rebuild"]).assert_code(0);
    for width in [20, 30, 40] {
        for args in [&["show", "fund"][..], &["sectors"]] {
            let out = cat
                .command()
                .env("COLUMNS", width.to_string())
                .args(args)
                .run();
            out.assert_code(0);
            for line in out.stdout.lines() {
                assert!(
                    line.chars().count() <= width,
                    "{args:?} at {width} columns: {line:?} is too long:{out:?}"
                );
            }
        }
    }
    // Nothing is lost at the narrowest width: every word of the record is still there.
    let narrow = cat
        .command()
        .env("COLUMNS", "20")
        .args(["show", "fund"])
        .run();
    for word in ["hometown", "Ivoire", "Credit", "matches.", "Programme"] {
        narrow.assert_stdout_has(word);
    }
    let sectors = cat.command().env("COLUMNS", "40").arg("sectors").run();
    sectors
        .assert_stdout_has("1.  Governance\n    governance: 0 primary, 0 all\n")
        .assert_stdout_has("Tertiary education,");
}
