//! Snippets: length, highlighting, prose fields only.

use super::*;

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
