//! Strategies for record text: TOML-like text, real keys, mutated and valid records.

use super::*;

/// Characters that matter to TOML, plus letters, digits and a few non-ASCII ones.
pub(super) const TOML_CHARS: &str =
    r#"[a-z_0-9 =\[\]{}"'#.,:+\\\n\t\r-]{0,200}|[a-zé€ \n="'\[\]{}\\\x00-\x1f]{0,80}"#;

/// Arbitrary bytes read as text, the way an editor that mangles encodings would leave them.
pub(super) fn lossy_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..400)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

pub(super) fn any_key() -> impl Strategy<Value = String> {
    let known: Vec<&'static str> = Key::names().into_iter().chain(SourceKey::names()).collect();
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(str::to_string),
        1 => proptest::sample::select(vec![
            "titel", "Title", "sources.title", "\"title\"", "'kind'", "a.b.c", "\"\"", "x",
            "sectors.0", "source",
        ])
        .prop_map(str::to_string),
        1 => "[a-z_]{1,12}",
    ]
}

/// TOML values of every type, valid or not for the key they land on.
pub(super) fn any_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "\\PC{0,30}".prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(sector_slugs()).prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(real_country_codes().clone())
            .prop_map(|s| toml::Value::String(s).to_string()),
        proptest::sample::select(
            Kind::names()
                .into_iter()
                .chain(Scope::names())
                .chain(Status::names())
                .chain(["", "programm", "Global", "https://example.org", "ftp://x.y"])
                .collect::<Vec<_>>()
        )
        .prop_map(|s| toml::Value::String(s.to_string()).to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (1850i64..2100).prop_map(|n| n.to_string()),
        (-3i64..30).prop_map(|n| n.to_string()),
        proptest::sample::select(vec![
            "true",
            "1.5",
            "-0.0",
            "inf",
            "nan",
            "1979-05-27",
            "1979-05-27T07:32:00Z",
            "0x1F",
            "0o17",
            "1_000",
            "99999999999999999999",
            "\"\"\"a\nb\"\"\"",
            "'''x'''",
            "\"unterminated",
            "[",
            "]",
            "{",
            "}",
            "= 1",
            "\"\\u00e9\"",
            "\"\\uD800\"",
        ])
        .prop_map(str::to_string),
        TOML_CHARS,
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec((any_key(), inner), 0..4).prop_map(|pairs| {
                let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", pairs.join(", "))
            }),
        ]
    })
}

/// TOML-ish documents: `key = value` lines over the real keys, table headers and junk.
pub(super) fn toml_document() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (any_key(), any_value()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => proptest::sample::select(vec![
            "[[sources]]", "[sources]", "[[sources.extra]]", "[title]", "[a.b]", "[[ sources ]]",
            "[[sources]", "# comment", "", "  ", "\u{feff}", "\r",
        ])
        .prop_map(str::to_string),
        1 => TOML_CHARS,
    ];
    let newline = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    proptest::collection::vec((line, newline), 0..24).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(line, newline)| format!("{line}{newline}"))
            .collect()
    })
}

/// A real record with a piece cut out and some text spliced in: almost valid documents,
/// which reach validation and its span lookups.
pub(super) fn mutated_record() -> impl Strategy<Value = String> {
    let count = real_records().len();
    let insert = prop_oneof![
        Just(String::new()),
        "\\PC{0,10}",
        TOML_CHARS,
        (any_key(), any_value()).prop_map(|(k, v)| format!("\n{k} = {v}\n")),
    ];
    (0..count, any::<prop::sample::Index>(), 0usize..40, insert).prop_map(
        move |(which, at, cut, insert)| {
            let text = &real_records()[which].1;
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}{insert}{}", &text[..start], &text[end..])
        },
    )
}

pub(super) fn regex(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
    proptest::string::string_regex(pattern).expect("a valid pattern")
}

/// Text without control characters, as record fields hold it.
pub(super) fn plain_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        regex(&format!("[^\\p{{Cc}}]{{0,{max}}}")),
        regex(&format!("[a-zA-Z0-9 '\"\\\\#=\\[\\]{{}}éü€-]{{0,{max}}}")),
        Just("\"\"\"".to_string()),
        Just("'''".to_string()),
        Just("a\\\"b".to_string()),
    ]
}

/// Text that a validated field accepts: not blank.
pub(super) fn filled_text(max: usize) -> impl Strategy<Value = String> {
    plain_text(max).prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Longer text with line breaks and tabs, as descriptions, results and lessons hold it.
pub(super) fn long_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => plain_text(80),
        1 => "[^\\p{Cc}]{0,20}(\n|\t|\r\n)[^\\p{Cc}]{0,20}(\n\n)?[^\\p{Cc}]{0,10}\n?",
    ]
}

pub(super) fn year() -> impl Strategy<Value = i64> {
    migdev::validation::FIRST_YEAR..=catalogue::next_year()
}

pub(super) fn web_address() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http")],
        // One hyphen at most, never `--`: `xn--` starts a punycode label, which must then
        // decode (`https://xn--.org` is rightly refused).
        "[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,5})?\\.(org|int|gov|example)",
        "(/[a-zA-Z0-9_.~%-]{0,12}){0,3}",
        "(\\?[a-z]=[0-9]{1,3})?",
    )
        .prop_map(|(scheme, host, path, query)| format!("{scheme}://{host}{path}{query}"))
}

pub(super) fn source() -> impl Strategy<Value = Source> {
    sources_of(
        filled_text(40),
        filled_text(30),
        proptest::option::of(year()),
        proptest::option::of(web_address()),
    )
}

/// Official sources made of the given parts.
fn sources_of(
    title: impl Strategy<Value = String>,
    publisher: impl Strategy<Value = String>,
    year: impl Strategy<Value = Option<i64>>,
    url: impl Strategy<Value = Option<String>>,
) -> impl Strategy<Value = Source> {
    (title, publisher, year, url).prop_map(|(title, publisher, year, url)| Source {
        title,
        publisher,
        year,
        kind: SourceKind::Official,
        url,
        via: None,
    })
}

pub(super) fn one_of<T: Clone + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

/// A record that validation accepts: real sector slugs (distinct, primary first), real
/// country codes (or none with a global scope), years in range and in order, GCM objectives
/// 1-23, non-blank title, summary and sources with http(s) addresses.
pub(super) fn valid_record() -> impl Strategy<Value = Record> {
    let slugs = sector_slugs();
    let max_sectors = slugs.len().min(4);
    let names = (
        filled_text(60),
        one_of(Kind::ALL),
        proptest::sample::subsequence(slugs, 1..=max_sectors).prop_shuffle(),
        proptest::sample::subsequence(real_country_codes().clone(), 0..=5).prop_shuffle(),
        proptest::option::of(one_of(Scope::ALL)),
        proptest::collection::vec(filled_text(30), 0..3),
    );
    let facts = (
        proptest::option::of(year()),
        proptest::option::of(year()),
        proptest::option::of(one_of(Status::ALL)),
        filled_text(120),
        proptest::option::of(long_text()),
        proptest::option::of(long_text()),
        proptest::option::of(long_text()),
    );
    let rest = (
        proptest::collection::vec(filled_text(20), 0..4),
        proptest::collection::vec(1i64..=23, 0..4),
        proptest::collection::vec(source(), 1..4),
    );
    (names, facts, rest).prop_map(
        |(
            (title, kind, sectors, countries, scope, organisations),
            (start, end, status, summary, description, results, lessons),
            (keywords, gcm_objectives, sources),
        )| {
            let scope = if countries.is_empty() {
                Some(Scope::Global)
            } else {
                scope
            };
            let (start_year, end_year) = match (start, end) {
                (Some(a), Some(b)) => (Some(a.min(b)), Some(a.max(b))),
                other => other,
            };
            // The first country as origin exercises the role lists, which must lie within
            // `countries`.
            let origin = countries.iter().take(1).cloned().collect();
            Record {
                title,
                kind,
                sectors,
                countries,
                origin,
                destination: vec![],
                scope,
                organisations,
                start_year,
                end_year,
                status,
                summary,
                description,
                results,
                lessons,
                keywords,
                gcm_objectives,
                sources,
            }
        },
    )
}

/// A record with values validation should refuse as often as accept: unknown sectors and
/// countries, years out of range or reversed, objectives outside 1-23, blank texts, bad
/// addresses. Serialised, it is well-formed TOML, so every check of `check_record` runs.
pub(super) fn questionable_record() -> impl Strategy<Value = Record> {
    let sector = prop_oneof![
        3 => proptest::sample::select(sector_slugs()),
        1 => "[a-z-]{0,12}",
        1 => "\\PC{0,8}",
    ];
    let country = prop_oneof![
        3 => proptest::sample::select(real_country_codes().clone()),
        1 => "[A-Za-z]{0,4}",
        1 => proptest::sample::select(vec!["mex", "Mexico", "XKX", "", " MEX", "ZZZ"])
            .prop_map(str::to_string),
    ];
    let any_year = prop_oneof![3 => year(), 1 => any::<i64>(), 1 => -5i64..5];
    let text = prop_oneof![3 => plain_text(20), 1 => "[ \t\u{a0}\u{3000}]{0,3}"];
    let url = prop_oneof![
        web_address(),
        proptest::sample::select(vec![
            "",
            "www.iom.int",
            "ftp://iom.int",
            "https://",
            "http://[::1]",
            "mailto:a@b.c",
            "https://exa mple.org",
            "file:///etc",
            "https://xn--e1a.org",
        ])
        .prop_map(str::to_string),
        "\\PC{0,20}",
    ];
    let source = sources_of(
        text.clone(),
        text.clone(),
        proptest::option::of(any_year.clone()),
        proptest::option::of(url),
    );
    (
        (
            text.clone(),
            one_of(Kind::ALL),
            proptest::collection::vec(sector, 0..4),
            proptest::collection::vec(country, 0..4),
            proptest::option::of(one_of(Scope::ALL)),
        ),
        (
            proptest::option::of(any_year.clone()),
            proptest::option::of(any_year),
            text,
            proptest::collection::vec(any::<i64>().prop_map(|n| n % 30), 0..4),
            proptest::collection::vec(source, 0..3),
        ),
    )
        .prop_map(
            |(
                (title, kind, sectors, countries, scope),
                (start_year, end_year, summary, gcm_objectives, sources),
            )| Record {
                title,
                kind,
                sectors,
                countries,
                origin: vec![],
                destination: vec![],
                scope,
                organisations: vec![],
                start_year,
                end_year,
                status: None,
                summary,
                description: None,
                results: None,
                lessons: None,
                keywords: vec![],
                gcm_objectives,
                sources,
            },
        )
}
