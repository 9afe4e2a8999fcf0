//! Regression tests for what the properties and the fuzzers found.

use super::*;

fn run_query(text: &str, strict: bool) -> Result<search::Results, migdev::Error> {
    let fixture = query_fixture();
    let request = Request {
        text: text.to_string(),
        strict,
        ..Request::default()
    };
    search::run(&fixture.opened, &fixture.paths, &request)
}

/// Found by `queries_never_panic_and_hit_only_catalogue_records`: Tantivy parses `field:*`
/// ("has any value") for any field name but runs it only on fast fields, so `title:*` made
/// even a lenient search fail with "index error: Schema error: 'Field title is not a fast
/// field.'". Leniently the clause is now ignored with a note; strictly it is a query error.
#[test]
fn exists_query_on_a_field_that_is_not_fast_does_not_fail_the_search() {
    let all = query_fixture().ids.len();
    // (`unknown:*` is an unknown field, read as plain words: see tests/bad_input.rs.)
    for text in [
        "title:*",
        "-title:*",
        "(summary:*)",
        "+keyword:* OR title:*",
    ] {
        let results = run_query(text, false).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            results.total, all,
            "{text}: every record, the clause ignored"
        );
        assert!(
            results.notes.iter().any(|n| n.text.contains("`field:*`")),
            "{text}: {:?}",
            results.notes
        );
        let strict = run_query(text, true);
        assert!(
            matches!(strict, Err(migdev::Error::Query { .. })),
            "{text}: {:?}",
            strict.map(|r| r.total)
        );
    }
    // Other words are still searched.
    let words = run_query("title:* migration", false).unwrap();
    let plain = run_query("migration", false).unwrap();
    assert_eq!(words.total, plain.total);
    // On the year, a fast field, `field:*` works as before, strict or not.
    let results = run_query("year:*", true).unwrap();
    assert!(results.total >= 1);
    assert!(results.notes.is_empty(), "{:?}", results.notes);
    // `id` is an index field but not a query field: read as words, named, refused strictly.
    let results = run_query("id:*", false).unwrap();
    assert!(
        results
            .notes
            .iter()
            .any(|n| n.text.contains("unknown field `id`")),
        "{:?}",
        results.notes
    );
    assert!(matches!(
        run_query("id:*", true),
        Err(migdev::Error::Query { .. })
    ));
}
