//! JSON and JSON Lines: every field, the same keys in every object, scores only when ranked.

use super::*;

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
