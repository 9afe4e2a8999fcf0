//! The rules every record follows beyond its shape, as a table: each rule looks at one
//! concern and reports every breach at its place in the file. A new rule is one function
//! and one line in [`RULES`].

use std::path::Path;

use crate::countries;
use crate::problem::Problem;
use crate::record::{GCM_OBJECTIVES, Key, Record, Scope, SourceKey};
use crate::sectors::Sectors;
use crate::text;

use super::record::{At, span_of};

/// The earliest year a record may give.
pub const FIRST_YEAR: i64 = 1900;

/// What the rules need besides the record.
pub struct Context<'a> {
    pub sectors: &'a Sectors,
    /// The latest year a record may give (next year).
    pub year_limit: i64,
}

/// Collects what the rules find, each problem placed in the file's text.
pub struct Findings<'a> {
    path: &'a Path,
    text: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Findings<'_> {
    fn report(&mut self, at: At, message: impl Into<String>, hint: Option<String>) {
        let span = span_of(self.text, at);
        self.problems
            .push(Problem::at(self.path, self.text, span, message, hint));
    }

    /// Reports a control character inside the value at `at`, placed at the character
    /// itself (or its escape) when it can be found there.
    fn report_control(&mut self, at: At, what: &str, bad: char, long_text: bool) {
        let span = span_of(self.text, at).map(|span| {
            let start = self
                .text
                .get(span.clone())
                .and_then(|raw| control_offset(raw, long_text))
                .map_or(span.start, |offset| span.start + offset);
            start..start
        });
        let allowed = if long_text {
            " (line breaks and tabs are fine in long texts)"
        } else {
            ""
        };
        self.problems.push(Problem::at(
            self.path,
            self.text,
            span,
            format!("{what} holds the control character U+{:04X}", u32::from(bad)),
            Some(format!(
                "remove it: control characters (terminal escape codes, bells) do not belong in record text{allowed}"
            )),
        ));
    }
}

/// One rule: looks at the record and reports each breach.
type Rule = fn(&Record, &Context<'_>, &mut Findings<'_>);

/// Every rule, in the order their problems are reported.
const RULES: &[Rule] = &[
    texts_are_not_empty,
    sectors_are_known_and_listed_once,
    countries_are_known,
    origin_and_destination_lie_within_countries,
    countries_are_given_unless_global,
    years_are_plausible,
    gcm_objectives_exist,
    sources_are_complete,
    texts_hold_no_control_characters,
];

/// Applies every rule to a parsed record, adding what they find to `problems`.
pub fn check_record(
    path: &Path,
    text: &str,
    record: &Record,
    context: &Context<'_>,
    problems: &mut Vec<Problem>,
) {
    let mut findings = Findings {
        path,
        text,
        problems,
    };
    for rule in RULES {
        rule(record, context, &mut findings);
    }
}

fn texts_are_not_empty(record: &Record, _: &Context<'_>, found: &mut Findings<'_>) {
    if record.title.trim().is_empty() {
        found.report(
            At::Key(Key::Title),
            "the title is empty",
            Some("give the programme's own name".into()),
        );
    }
    if record.summary.trim().is_empty() {
        found.report(
            At::Key(Key::Summary),
            "the summary is empty",
            Some("write 1-3 sentences on what it is and where".into()),
        );
    }
}

fn sectors_are_known_and_listed_once(
    record: &Record,
    context: &Context<'_>,
    found: &mut Findings<'_>,
) {
    let sectors = context.sectors;
    if record.sectors.is_empty() {
        found.report(
            At::Key(Key::Sectors),
            "no sector given",
            Some(format!(
                "list at least one of: {}",
                sectors.slugs().collect::<Vec<_>>().join(", ")
            )),
        );
    }
    if sectors.list.is_empty() {
        return; // the vocabulary itself is broken and reported once
    }
    for (i, slug) in record.sectors.iter().enumerate() {
        if sectors.get(slug).is_none() {
            let valid: Vec<&str> = sectors.slugs().collect();
            let hint = match text::closest(slug, valid.iter().copied()) {
                Some(close) => format!(
                    "did you mean `{close}`? valid sectors: {}",
                    valid.join(", ")
                ),
                None => format!("valid sectors: {}", valid.join(", ")),
            };
            found.report(
                At::Item(Key::Sectors, i),
                format!("unknown sector `{slug}`"),
                Some(hint),
            );
        } else if record.sectors[..i].contains(slug) {
            found.report(
                At::Item(Key::Sectors, i),
                format!("sector `{slug}` is listed twice"),
                None,
            );
        }
    }
}

fn countries_are_known(record: &Record, _: &Context<'_>, found: &mut Findings<'_>) {
    for (i, code) in record.countries.iter().enumerate() {
        if countries::by_code(code).is_none() {
            let hint = match countries::lookup(code).or_else(|| countries::closest(code)) {
                Some(c) => format!("did you mean `{}` ({})?", c.code, c.name),
                None => "use an ISO 3166-1 alpha-3 code in upper case, e.g. `MEX`".into(),
            };
            found.report(
                At::Item(Key::Countries, i),
                format!("unknown country code `{code}`"),
                Some(hint),
            );
        }
    }
}

fn origin_and_destination_lie_within_countries(
    record: &Record,
    _: &Context<'_>,
    found: &mut Findings<'_>,
) {
    for (key, roles) in [
        (Key::Origin, &record.origin),
        (Key::Destination, &record.destination),
    ] {
        for (i, code) in roles.iter().enumerate() {
            if !record.countries.contains(code) {
                let hint = if countries::by_code(code).is_some() {
                    format!("add `{code}` to countries, or remove it from {key}")
                } else {
                    "use an ISO 3166-1 alpha-3 code that is listed in countries".into()
                };
                found.report(
                    At::Item(key, i),
                    format!("{key} `{code}` is not one of the record's countries"),
                    Some(hint),
                );
            } else if roles[..i].contains(code) {
                found.report(
                    At::Item(key, i),
                    format!("{key} `{code}` is listed twice"),
                    None,
                );
            }
        }
    }
}

fn countries_are_given_unless_global(record: &Record, _: &Context<'_>, found: &mut Findings<'_>) {
    if record.countries.is_empty() && record.scope != Some(Scope::Global) {
        found.report(
            At::Key(Key::Countries),
            "no country given",
            Some("list the countries, or set scope = \"global\" for a worldwide programme".into()),
        );
    }
}

fn years_are_plausible(record: &Record, context: &Context<'_>, found: &mut Findings<'_>) {
    let year_limit = context.year_limit;
    for (key, year) in [
        (Key::StartYear, record.start_year),
        (Key::EndYear, record.end_year),
    ] {
        if let Some(year) = year
            && !(FIRST_YEAR..=year_limit).contains(&year)
        {
            found.report(
                At::Key(key),
                format!("{key} {year} is outside {FIRST_YEAR}..{year_limit}"),
                Some(
                    "give the four-digit year that a source confirms, or leave the field out"
                        .into(),
                ),
            );
        }
    }
    if let (Some(start), Some(end)) = (record.start_year, record.end_year)
        && end < start
    {
        found.report(
            At::Key(Key::EndYear),
            format!("end_year {end} is before start_year {start}"),
            Some("swap the years or correct the one that is wrong".into()),
        );
    }
}

fn gcm_objectives_exist(record: &Record, _: &Context<'_>, found: &mut Findings<'_>) {
    for (i, objective) in record.gcm_objectives.iter().enumerate() {
        if !GCM_OBJECTIVES.contains(objective) {
            found.report(
                At::Item(Key::GcmObjectives, i),
                format!("GCM objective {objective} does not exist"),
                Some("the Global Compact for Migration has objectives 1 to 23".into()),
            );
        }
    }
}

fn sources_are_complete(record: &Record, context: &Context<'_>, found: &mut Findings<'_>) {
    if record.sources.is_empty() {
        found.report(
            At::Key(Key::Sources),
            "no sources given",
            Some(
                "add a [[sources]] table with title and publisher (and url, year where shown)"
                    .into(),
            ),
        );
    }
    let year_limit = context.year_limit;
    for (i, source) in record.sources.iter().enumerate() {
        let n = i + 1;
        if source.title.trim().is_empty() {
            found.report(
                At::SourceKey(i, SourceKey::Title),
                format!("source {n} has no title"),
                Some("give the title as the source shows it".into()),
            );
        }
        if source.publisher.trim().is_empty() {
            found.report(
                At::SourceKey(i, SourceKey::Publisher),
                format!("source {n} has no publisher"),
                Some("name who published it".into()),
            );
        }
        for (key, address) in [(SourceKey::Url, &source.url), (SourceKey::Via, &source.via)] {
            if let Some(address) = address
                && !is_web_address(address)
            {
                found.report(
                    At::SourceKey(i, key),
                    format!("source {n} {key} `{address}` is not an http(s) address"),
                    Some("give the full address, starting with https://".into()),
                );
            }
        }
        if let Some(year) = source.year
            && !(FIRST_YEAR..=year_limit).contains(&year)
        {
            found.report(
                At::Source(i),
                format!("source {n} year {year} is outside {FIRST_YEAR}..{year_limit}"),
                None,
            );
        }
    }
}

/// Control characters would reach the terminal through `show` and `search`: an ESC can
/// clear the screen or retitle the window. Long texts may break lines (a file saved with
/// CRLF line ends keeps the CR) and use tabs.
fn texts_hold_no_control_characters(record: &Record, _: &Context<'_>, found: &mut Findings<'_>) {
    let mut texts: Vec<(At, String, &str, bool)> = Vec::new();
    for (key, value) in [(Key::Title, &record.title), (Key::Summary, &record.summary)] {
        texts.push((At::Key(key), key.to_string(), value, false));
    }
    for (key, value) in [
        (Key::Description, &record.description),
        (Key::Results, &record.results),
        (Key::Lessons, &record.lessons),
    ] {
        if let Some(value) = value {
            texts.push((At::Key(key), key.to_string(), value, true));
        }
    }
    for (key, list) in [
        (Key::Organisations, &record.organisations),
        (Key::Keywords, &record.keywords),
        (Key::Sectors, &record.sectors),
        (Key::Countries, &record.countries),
    ] {
        for (i, value) in list.iter().enumerate() {
            texts.push((
                At::Item(key, i),
                format!("{key} item {}", i + 1),
                value,
                false,
            ));
        }
    }
    for (i, source) in record.sources.iter().enumerate() {
        let fields = [
            (SourceKey::Title, Some(&source.title)),
            (SourceKey::Publisher, Some(&source.publisher)),
            (SourceKey::Url, source.url.as_ref()),
            (SourceKey::Via, source.via.as_ref()),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                let what = format!("source {} {key}", i + 1);
                texts.push((At::SourceKey(i, key), what, value, false));
            }
        }
    }
    for (at, what, value, long_text) in texts {
        if let Some(bad) = value.chars().find(|&c| is_forbidden(c, long_text)) {
            found.report_control(at, &what, bad, long_text);
        }
    }
}

/// A control character that record text may not hold.
fn is_forbidden(c: char, long_text: bool) -> bool {
    c.is_control() && !(long_text && matches!(c, '\n' | '\r' | '\t'))
}

/// The offset, in a value's TOML source, of its first forbidden control character:
/// written as is, or as an escape (`\e`, `\u001B`, ...).
fn control_offset(raw: &str, long_text: bool) -> Option<usize> {
    let mut chars = raw.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            if is_forbidden(c, long_text) {
                return Some(at);
            }
            continue;
        }
        let (_, escape) = chars.next()?;
        let digits = match escape {
            'u' => 4,
            'U' => 8,
            'x' => 2,
            _ => {
                let decoded = match escape {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'e' => '\u{1b}',
                    'r' => '\r',
                    'n' => '\n',
                    't' => '\t',
                    _ => continue,
                };
                if is_forbidden(decoded, long_text) {
                    return Some(at);
                }
                continue;
            }
        };
        let hex: String = (0..digits)
            .filter_map(|_| chars.next().map(|(_, h)| h))
            .collect();
        let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
        if decoded.is_some_and(|d| is_forbidden(d, long_text)) {
            return Some(at);
        }
    }
    None
}

/// True for an absolute http or https address.
pub fn is_web_address(address: &str) -> bool {
    url::Url::parse(address)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_need_a_scheme_and_host() {
        assert!(is_web_address("https://www.iom.int/x"));
        assert!(!is_web_address("www.iom.int"));
        assert!(!is_web_address("ftp://iom.int"));
    }

    #[test]
    fn control_characters_are_found_written_or_escaped() {
        assert_eq!(control_offset(r#""a\u001Bb""#, false), Some(2));
        assert_eq!(control_offset(r#""a\eb""#, false), Some(2));
        assert_eq!(control_offset(r#""a\\u001B""#, false), None);
        assert_eq!(control_offset("\"\"\"a\nb\"\"\"", true), None);
        assert_eq!(control_offset("\"\"\"a\nb\"\"\"", false), Some(4));
        assert_eq!(control_offset(r#""tab\there""#, true), None);
    }
}
