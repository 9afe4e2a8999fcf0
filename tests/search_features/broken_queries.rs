//! Broken queries: searched as far as they can be read, never a crash.

use super::*;

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
