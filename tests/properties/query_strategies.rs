//! Strategies for query text and query options.

use super::*;

/// Query text of every sort: words, phrases, operators, fields real and unknown, ranges,
/// brackets, wildcards and control characters.
pub(super) fn query_text() -> impl Strategy<Value = String> {
    // The fields a query may name, the index's other fields, and names that are no field.
    let fields: Vec<&str> = search::QUERY_FIELDS
        .into_iter()
        .chain([
            names::ID,
            names::COUNTRY_CODE,
            names::PRIMARY_SECTOR,
            names::SECTOR_FACET,
            names::REGION_FACET,
            names::ACTIVE_FROM,
            names::ACTIVE_TO,
            names::WORDS,
            names::RECORD,
            "unknown",
            "Title",
            "",
            "title.x",
        ])
        .collect();
    let word = prop_oneof![
        proptest::sample::select(vec![
            "remittances",
            "remitances",
            "diaspora",
            "migration",
            "Mexico",
            "mexico",
            "MEX",
            "labour",
            "labor",
            "programme",
            "skills",
            "d'Ivoire",
            "Côte",
            "AND",
            "OR",
            "NOT",
            "TO",
            "*",
            "-",
            "+",
            "a",
            "e",
            "the",
            "2008",
            "governance",
            "legal-protection",
            "/governance",
            "Africa",
            "\"",
            "'",
            "\\",
            "~",
            "^",
            "!",
            "&&",
            "||",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z]{1,12}",
        "\\PC{1,6}",
    ];
    let bound = prop_oneof![
        (1800i64..2100).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        proptest::sample::select(vec!["*", "abc", "", "1e3", "2000.5", "-", "TO"])
            .prop_map(str::to_string),
    ];
    let token = prop_oneof![
        6 => word.clone(),
        2 => (proptest::sample::select(fields.clone()), word.clone())
            .prop_map(|(f, w)| format!("{f}:{w}")),
        1 => (proptest::sample::select(fields), prop_oneof![Just('['), Just('{')], bound.clone(),
              bound, prop_oneof![Just(']'), Just('}')], proptest::bool::ANY)
            .prop_map(|(f, open, a, b, close, year)| {
                let f = if year { names::YEAR } else { f };
                format!("{f}:{open}{a} TO {b}{close}")
            }),
        1 => word.clone().prop_map(|w| format!("-{w}")),
        1 => word.clone().prop_map(|w| format!("+{w}")),
        1 => proptest::collection::vec(word.clone(), 0..3)
            .prop_map(|ws| format!("\"{}\"", ws.join(" "))),
        1 => word.clone().prop_map(|w| format!("({w})")),
        1 => (word.clone(), 0u8..4).prop_map(|(w, n)| format!("{w}~{n}")),
        1 => (word, 0u8..4).prop_map(|(w, n)| format!("{w}^{n}")),
        1 => "[()\\[\\]{}\"*:~^+\\-!\\\\]{1,3}",
    ];
    let separator = prop_oneof![8 => Just(" "), 1 => Just(""), 1 => Just("\t"), 1 => Just("\u{0}")];
    prop_oneof![
        8 => proptest::collection::vec((token, separator), 0..8)
            .prop_map(|parts| parts.into_iter().map(|(t, s)| format!("{t}{s}")).collect()),
        2 => "[a-zA-Z0-9 \"'()\\[\\]{}*:~^+!\\\\-]{0,40}",
        2 => any::<String>(),
        1 => lossy_text(),
        1 => "[\\x00-\\x1f\\x7f ]{0,10}",
        1 => long_query(),
    ]
}

/// Very long queries: floods of brackets, quotes or operators, long words.
pub(super) fn long_query() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(vec![
            "(",
            ")",
            "[",
            "{",
            "\"",
            "-",
            "a ",
            "a:",
            "NOT ",
            "(a ",
            "year:[1 TO 2] ",
            "*",
            "remittance ",
        ]),
        40usize..400,
    )
        .prop_map(|(unit, times)| unit.repeat(times))
}

pub(super) fn query_options() -> impl Strategy<Value = QueryOptions> {
    (
        prop_oneof![
            Just(Matching::Auto),
            Just(Matching::Fuzzy),
            Just(Matching::Exact)
        ],
        prop_oneof![
            Just(Sort::Relevance),
            Just(Sort::Year),
            Just(Sort::YearDesc),
            Just(Sort::Title),
            Just(Sort::Id)
        ],
        proptest::bool::ANY,
        prop_oneof![
            3 => (proptest::option::of(0usize..5), 0usize..4),
            1 => proptest::sample::select(&checks::PAGES[..]),
        ],
    )
        .prop_map(|(matching, sort, snippets, (limit, offset))| QueryOptions {
            matching,
            sort,
            snippets,
            limit,
            offset,
        })
}
