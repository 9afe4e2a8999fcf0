//! Queries over the index: free text in Tantivy syntax, filters, sorting and paging.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::catalogue::{Entry, Paths};
use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::{self, Fields, names};
use crate::record::{Kind, Record, Status};
use crate::sectors::Sectors;
use crate::storage::Opened;

/// Filters as the user typed them (`--sector`, `--country`...), before they are checked.
#[derive(Debug, Clone, Default)]
pub struct FilterArgs {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub kinds: Vec<Kind>,
    pub statuses: Vec<Status>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// Checked filters. Values of one flag are alternatives; different flags must all hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
    pub regions: Vec<RegionPath>,
    pub kinds: Vec<Kind>,
    pub statuses: Vec<Status>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// One filter dimension, so facet counts can leave their own filter out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Sector,
    Country,
    Region,
    Kind,
    Status,
    Years,
}

impl FilterArgs {
    /// Checks every value against the vocabularies, with a hint for the ones that are wrong.
    pub fn resolve(&self, sectors: &Sectors) -> Result<Filters, Error> {
        let sector_slugs = self
            .sectors
            .iter()
            .map(|s| {
                sectors.lookup(s).map(|s| s.slug.clone()).ok_or_else(|| {
                    let valid: Vec<&str> = sectors.slugs().collect();
                    Error::Argument {
                        message: format!("--sector: unknown sector `{s}`"),
                        hint: hint_with_closest(s, &valid, "valid sectors"),
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        let countries = self
            .countries
            .iter()
            .map(|c| {
                countries::lookup(c)
                    .map(|c| c.code.clone())
                    .ok_or_else(|| Error::Argument {
                        message: format!("--country: unknown country `{c}`"),
                        hint: match countries::closest(c) {
                            Some(close) => {
                                format!("did you mean `{}` ({})?", close.code, close.name)
                            }
                            None => "give an ISO 3166-1 alpha-3 code (e.g. MEX) or an English name"
                                .into(),
                        },
                    })
            })
            .collect::<Result<_, _>>()?;
        let regions = self
            .regions
            .iter()
            .map(|r| {
                countries::region_path(r).ok_or_else(|| {
                    let names = countries::region_names();
                    let valid: Vec<&str> = names.iter().map(String::as_str).collect();
                    Error::Argument {
                        message: format!("--region: unknown region `{r}`"),
                        hint: hint_with_closest(r, &valid, "UN M49 regions and sub-regions"),
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            return Err(Error::Argument {
                message: format!("--since {since} is after --until {until}"),
                hint: "swap the two years".into(),
            });
        }
        Ok(Filters {
            sectors: sector_slugs,
            countries,
            regions,
            kinds: self.kinds.clone(),
            statuses: self.statuses.clone(),
            since: self.since,
            until: self.until,
        })
    }
}

fn hint_with_closest(input: &str, valid: &[&str], what: &str) -> String {
    match crate::text::closest(input, valid.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? {what}: {}", valid.join(", ")),
        None => format!("{what}: {}", valid.join(", ")),
    }
}

impl Filters {
    /// The filter as one query, leaving out one dimension (for drill-sideways facet counts).
    pub fn query(&self, fields: &Fields, without: Option<Dimension>) -> Vec<Box<dyn Query>> {
        let keep = |d: Dimension| without != Some(d);
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let facet_any = |field, paths: Vec<Vec<&str>>| -> Box<dyn Query> {
            any(paths
                .into_iter()
                .map(|p| term(Term::from_facet(field, &Facet::from_path(p))))
                .collect())
        };
        if keep(Dimension::Sector) && !self.sectors.is_empty() {
            clauses.push(facet_any(
                fields.sector_facet,
                self.sectors.iter().map(|s| vec![s.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Country) && !self.countries.is_empty() {
            clauses.push(any(self
                .countries
                .iter()
                .map(|c| term(Term::from_field_text(fields.country_code, c)))
                .collect()));
        }
        if keep(Dimension::Region) && !self.regions.is_empty() {
            clauses.push(facet_any(
                fields.region_facet,
                self.regions.iter().map(RegionPath::segments).collect(),
            ));
        }
        if keep(Dimension::Kind) && !self.kinds.is_empty() {
            clauses.push(facet_any(
                fields.kind_facet,
                self.kinds.iter().map(|k| vec![k.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Status) && !self.statuses.is_empty() {
            clauses.push(facet_any(
                fields.status_facet,
                self.statuses.iter().map(|s| vec![s.as_str()]).collect(),
            ));
        }
        if keep(Dimension::Years) {
            // Active at any time in [since, until]: it began by `until` and ended after `since`.
            if let Some(until) = self.until {
                clauses.push(Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(fields.active_from, until)),
                )));
            }
            if let Some(since) = self.since {
                clauses.push(Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(fields.active_to, since)),
                    Bound::Unbounded,
                )));
            }
        }
        clauses
    }
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn any(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.into_iter().next().unwrap();
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Combines a scored text query with unscored filters.
pub fn with_filters(text: Box<dyn Query>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if filters.is_empty() {
        return text;
    }
    let mut clauses = vec![(Occur::Must, text)];
    for filter in filters {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(filter, 0.0)) as Box<dyn Query>,
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first; catalogue order (by id) when there is no query text.
    #[default]
    Relevance,
    /// Oldest start year first.
    Year,
    /// Newest start year first.
    YearDesc,
    /// By title, A to Z.
    Title,
    /// By id: the catalogue's own order.
    Id,
}

/// How query words are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// Exact (stemmed) words; a word that matches nothing is corrected to the closest one.
    #[default]
    Auto,
    /// Every word of five letters or more also matches its close spellings.
    Fuzzy,
    /// Exact words only, never corrected.
    Exact,
}

/// A search to run.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    pub filters: Filters,
    pub limit: Option<usize>,
    pub offset: usize,
    pub sort: Sort,
    pub matching: Matching,
    /// Refuse a query whose syntax is broken instead of searching what can be read.
    pub strict: bool,
    /// Compute a highlighted snippet for each hit.
    pub snippets: bool,
}

/// About 160 characters of the best-matching text, with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: Entry,
    /// BM25 score, when the query ranks.
    pub score: Option<f32>,
    pub snippet: Option<Snippet>,
}

/// The results of a search, with notes for the user (what was ignored or corrected).
#[derive(Debug, Clone)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub notes: Vec<String>,
}

/// The parsed text part of a request.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    /// True when the user gave words to rank by.
    pub ranks: bool,
    pub notes: Vec<String>,
}

/// Builds the query parser over the weighted text fields.
pub fn parser(opened: &Opened) -> QueryParser {
    let fields = &opened.fields;
    let weighted = fields.weighted_text();
    let mut parser = QueryParser::for_index(
        &opened.index,
        weighted.iter().map(|(field, _)| *field).collect(),
    );
    parser.set_conjunction_by_default();
    for (field, boost) in weighted {
        parser.set_field_boost(field, boost);
    }
    parser
}

/// Parses the text of a request. Broken syntax is an error with `strict`, otherwise the
/// readable part is searched and the rest is named in a note.
pub fn parse(opened: &Opened, text: &str, strict: bool) -> Result<ParsedQuery, Error> {
    let prepared = prepare(opened, text, strict)?;
    read(opened, &prepared.text, &prepared, strict)
}

/// The note that closes the notes about a broken query.
const STRICT_NOTE: &str = "(use --strict to make a broken query an error)";

/// How every note about a part of the query that was not read as written begins.
const IGNORED: &str = "ignored part of the query: ";

/// A query's text made ready for the parser, and what was changed on the way.
struct Prepared {
    /// The text without control characters or colour codes; too many brackets and unknown
    /// field names are taken out, so their words are read as plain words.
    text: String,
    /// What was ignored, each note starting with [`IGNORED`].
    notes: Vec<String>,
    /// An unbalanced quote or bracket is named in `notes`: the parser's own syntax errors
    /// would only say the same, less clearly.
    syntax_named: bool,
}

/// Cleans the query and names, in the user's words, what the parser would stumble on: the
/// first problem of each kind. With `strict` the first problem is an error.
fn prepare(opened: &Opened, raw: &str, strict: bool) -> Result<Prepared, Error> {
    let (mut text, codes) = clean(raw);
    let mut notes = Vec::new();
    if !codes.is_empty() {
        let why = format!(
            "pasted terminal colour code{} {}",
            if codes.len() == 1 { "" } else { "s" },
            listed(&codes)
        );
        if strict {
            return Err(invalid(&text, &why, query_hint()));
        }
        notes.push(format!("{IGNORED}{why}"));
    }
    let length = text.chars().count();
    if length > MAX_QUERY_CHARS {
        // Longer than any useful query; every word costs a term query in every field.
        if strict {
            let why = format!("{length} characters long, more than {MAX_QUERY_CHARS}");
            return Err(invalid(&text, &why, "search for a few key words".into()));
        }
        text = cut(&text, MAX_QUERY_CHARS);
        notes.push(format!(
            "{IGNORED}all but the first {MAX_QUERY_CHARS} of its {length} characters"
        ));
    }
    if text.matches(['(', '[', '{']).count() > MAX_BRACKETS {
        // The parser recurses per bracket; thousands of them would overflow the stack.
        if strict {
            let why = format!("more than {MAX_BRACKETS} brackets");
            return Err(invalid(&text, &why, query_hint()));
        }
        text = text.replace(['(', ')', '[', ']', '{', '}'], " ");
        notes.push(format!(
            "{IGNORED}more than {MAX_BRACKETS} brackets, read as plain words"
        ));
    }
    let unbalanced = unbalanced(&text);
    if let Some(why) = &unbalanced {
        if strict {
            return Err(invalid(&text, why, query_hint()));
        }
        notes.push(format!("{IGNORED}{why}"));
    }
    let (plain, unknown) = unknown_fields(opened, &text);
    if !unknown.is_empty() {
        let fields = QUERY_FIELDS.join(", ");
        let named = name_unknown_fields(&unknown);
        if strict {
            let why = format!("{named}; the fields are {fields}");
            let hint = format!(
                "write one of those fields before the `:`, or drop `{}:` to search its words in every field",
                shorten_to(&unknown[0], NAME_CHARS)
            );
            return Err(invalid(&text, &why, hint));
        }
        let their = if unknown.len() == 1 { "its" } else { "their" };
        notes.push(format!(
            "{IGNORED}{named}, {their} words searched in every field; the fields are {fields}"
        ));
        text = plain;
    }
    Ok(Prepared {
        text,
        notes,
        syntax_named: unbalanced.is_some(),
    })
}

/// Parses prepared text: strictly, and when that fails leniently, naming what the lenient
/// reading left out.
/// Parses prepared query text into a query that can run.
fn read(
    opened: &Opened,
    text: &str,
    prepared: &Prepared,
    strict: bool,
) -> Result<ParsedQuery, Error> {
    let mut parsed = read_syntax(opened, text, prepared, strict)?;
    // Some queries parse but cannot run: Tantivy reads `field:*` as "has any value" for every
    // field name, yet runs it only on fast fields (id, year), so `title:*` used to fail the
    // whole search with an index error. Building the query's weight finds this before
    // searching (found by tests/properties.rs).
    let searcher = opened.reader.searcher();
    if let Err(err) = parsed
        .query
        .weight(EnableScoring::disabled_from_searcher(&searcher))
    {
        let why = format!(
            "{err}; `field:*` (any value) works only with the fields {} and {}",
            names::YEAR,
            names::ID
        );
        if strict {
            return Err(Error::Query {
                message: format!("invalid query `{}`: {why}", shorten(text)),
                hint: query_hint(),
            });
        }
        // Search the plain words instead, which always run (they hold no `field:` or `*`).
        let words = plain_words(text);
        parsed.ranks = !words.is_empty();
        parsed.query = if words.is_empty() {
            Box::new(AllQuery)
        } else {
            parser(opened).parse_query_lenient(&words).0
        };
        // The note goes before the closing `--strict` note.
        parsed.notes.retain(|note| note != STRICT_NOTE);
        parsed.notes.push(format!("{IGNORED}{why}"));
        parsed.notes.push(STRICT_NOTE.into());
    }
    parsed.query = crate::exclusion::guard(parsed.query);
    Ok(parsed)
}

/// [`read`] without the check that the query can run.
fn read_syntax(
    opened: &Opened,
    text: &str,
    prepared: &Prepared,
    strict: bool,
) -> Result<ParsedQuery, Error> {
    let mut notes = prepared.notes.clone();
    if text.trim().is_empty() {
        // No query lists every record; a query of which nothing could be read finds none.
        let query: Box<dyn Query> = if notes.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(EmptyQuery)
        };
        return Ok(with_strict_note(ParsedQuery {
            query,
            ranks: false,
            notes,
        }));
    }
    let parser = parser(opened);
    let err = match parser.parse_query(text) {
        Ok(query) => {
            return Ok(with_strict_note(ParsedQuery {
                query,
                ranks: true,
                notes,
            }));
        }
        Err(QueryParserError::AllButQueryForbidden) => {
            // "-foo -bar" alone is valid: every record without foo or bar.
            notes.push("the query only excludes words: showing every record without them".into());
            return Ok(with_strict_note(ParsedQuery {
                query: only_excluding(opened, text),
                ranks: false,
                notes,
            }));
        }
        Err(err) => err,
    };
    let (query, errors) = parser.parse_query_lenient(text);
    // Apostrophes (d'Ivoire) only trip the strict parser: that is not broken syntax.
    let only_apostrophes =
        errors.is_empty() && parser.parse_query(&text.replace('\'', " ")).is_ok();
    // The strict parser's syntax error only repeats the query: say what is wrong instead.
    let why = match (&err, errors.first()) {
        (QueryParserError::SyntaxError(_), Some(first)) => describe(first, text),
        (QueryParserError::SyntaxError(_), None) => {
            dangling_operator(text).unwrap_or_else(|| describe(&err, text))
        }
        _ => describe(&err, text),
    };
    if strict && !only_apostrophes {
        return Err(invalid(text, &why, query_hint()));
    }
    // With an unbalanced quote or bracket already named, the parser's errors are what
    // follows from it (a range never closed, a phrase running to the end): only noise.
    if !prepared.syntax_named {
        if errors.is_empty() && !only_apostrophes {
            notes.push(format!("{IGNORED}{why}"));
        }
        const SHOWN: usize = 3;
        notes.extend(
            errors
                .iter()
                .take(SHOWN)
                .map(|e| format!("{IGNORED}{}", describe(e, text))),
        );
        if errors.len() > SHOWN {
            notes.push(format!(
                "{IGNORED}{} more parser errors like those",
                errors.len() - SHOWN
            ));
        }
    }
    Ok(with_strict_note(ParsedQuery {
        query,
        ranks: true,
        notes,
    }))
}

/// Adds the pointer to `--strict` after notes that say part of the query was ignored.
fn with_strict_note(mut parsed: ParsedQuery) -> ParsedQuery {
    if parsed.notes.iter().any(|n| n.starts_with(IGNORED)) {
        parsed.notes.push(STRICT_NOTE.into());
    }
    parsed
}

/// The `--strict` error for a query that cannot be read as written.
fn invalid(text: &str, why: &str, hint: String) -> Error {
    Error::Query {
        message: format!("invalid query `{}`: {why}", shorten(text.trim_end())),
        hint,
    }
}

/// More brackets than this are not parsed as syntax.
const MAX_BRACKETS: usize = 64;

/// Longer queries are cut to this many characters (about 500 words), so that even a
/// pasted document is answered in well under a second.
const MAX_QUERY_CHARS: usize = 4_000;

/// The first `max` characters of `text`, ending at a space when there is one to end at.
fn cut(text: &str, max: usize) -> String {
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if !text[end..].starts_with(char::is_whitespace) => head[..space].to_string(),
        _ => head.to_string(),
    }
}

/// The fields a query may name, as the README and the query hint list them.
pub const QUERY_FIELDS: [&str; 10] = [
    names::TITLE,
    names::KEYWORD,
    names::SUMMARY,
    names::TEXT,
    names::ORGANISATION,
    names::COUNTRY,
    names::SECTOR,
    names::KIND,
    names::STATUS,
    names::YEAR,
];

/// How much of one name (a field, a colour code, a word) a note echoes.
const NAME_CHARS: usize = 30;

/// Up to three items as `` `a`, `b`, `c` ``, then how many more there are.
fn listed(items: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut listed = items
        .iter()
        .take(SHOWN)
        .map(|item| format!("`{}`", shorten_to(item, NAME_CHARS)))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        listed.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    listed
}

/// The first unbalanced quote or bracket, in words, with its position (counted in
/// characters from 1). A range opened by `[` or `{` may close with either `]` or `}`.
fn unbalanced(text: &str) -> Option<String> {
    let mut quote: Option<usize> = None;
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut escaped = false;
    for (index, c) in text.chars().enumerate() {
        let position = index + 1;
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if quote.is_some() {
            if c == '"' {
                quote = None;
            }
            continue;
        }
        let opening = match c {
            '"' => {
                quote = Some(position);
                continue;
            }
            '(' | '[' | '{' => {
                open.push((c, position));
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        let closes = match open.last() {
            Some(('(', _)) => opening == '(',
            Some(_) => opening != '(',
            None => false,
        };
        if !closes {
            return Some(format!(
                "`{c}` at position {position} has no opening `{opening}`"
            ));
        }
        open.pop();
    }
    match (quote, open.first()) {
        (Some(q), Some(&(_, b))) if q < b => Some(never_closed('"', q)),
        (Some(q), None) => Some(never_closed('"', q)),
        (_, Some(&(c, b))) => Some(never_closed(c, b)),
        (None, None) => None,
    }
}

fn never_closed(c: char, position: usize) -> String {
    let article = if c == '"' { "a " } else { "" };
    format!("{article}`{c}` at position {position} is never closed")
}

/// The first `AND` or `OR` with no word after it (at the end, before another operator or
/// a closing bracket), in words: the strict parser fails on it without saying where.
fn dangling_operator(text: &str) -> Option<String> {
    // Tokens as (position counted in characters from 1, text); a `)` is a token of its own.
    let mut tokens: Vec<(usize, &str)> = Vec::new();
    let mut in_phrase = false;
    let mut start: Option<(usize, usize)> = None;
    let end = (text.chars().count(), text.len());
    for (position, (byte, c)) in text.char_indices().chain([(end.1, ' ')]).enumerate() {
        if c == '"' {
            in_phrase = !in_phrase;
        }
        let boundary = !in_phrase && (c.is_whitespace() || c == ')');
        match start {
            Some((first, from)) if boundary => {
                tokens.push((first + 1, &text[from..byte]));
                start = None;
            }
            None if !boundary => start = Some((position, byte)),
            _ => {}
        }
        if c == ')' && !in_phrase {
            tokens.push((position + 1, ")"));
        }
    }
    let operator = |t: &str| matches!(t, "AND" | "OR");
    for (i, &(position, token)) in tokens.iter().enumerate() {
        if !operator(token) {
            continue;
        }
        let after = tokens.get(i + 1).map(|&(_, t)| t);
        if after.is_none_or(|t| operator(t) || t == ")") {
            return Some(format!(
                "`{token}` at position {position} has no word after it"
            ));
        }
    }
    None
}

/// Characters that cannot appear in a field name unescaped (Tantivy's query grammar).
const SYNTAX_CHARS: [char; 15] = [
    '+', '^', '`', ':', '{', '}', '"', '\'', '[', ']', '(', ')', '!', '\\', '*',
];

/// Field names before a `:` that the index does not have (outside phrases), in order of
/// first use; and the text with each such name and its `:` taken out, so that its words
/// are searched in every field. An address (`https://...`) is left as it is.
fn unknown_fields(opened: &Opened, text: &str) -> (String, Vec<String>) {
    let schema = opened.index.schema();
    let mut plain = String::with_capacity(text.len());
    let mut unknown: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut in_phrase = false;
    let mut token_start = true;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !in_phrase && token_start && !escaped {
            let name_len = rest
                .find(|c: char| c.is_whitespace() || SYNTAX_CHARS.contains(&c))
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            let after = &rest[name_len..];
            if !name.is_empty()
                && !name.starts_with('-')
                && after.starts_with(':')
                && !after.starts_with("://")
                && schema.get_field(name).is_err()
            {
                if seen.insert(name) {
                    unknown.push(name.to_string());
                }
                rest = &after[1..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_phrase = !in_phrase;
        }
        token_start = c.is_whitespace() || c == '(' || (token_start && matches!(c, '+' | '-'));
    }
    (plain, unknown)
}

/// "unknown field `titel` (did you mean `title`?)", or several unknown fields.
fn name_unknown_fields(unknown: &[String]) -> String {
    if let [one] = unknown {
        let close = crate::text::closest(&shorten_to(one, NAME_CHARS), QUERY_FIELDS);
        return match close {
            Some(close) => format!(
                "unknown field `{}` (did you mean `{close}`?)",
                shorten_to(one, NAME_CHARS)
            ),
            None => format!("unknown field `{}`", shorten_to(one, NAME_CHARS)),
        };
    }
    format!("unknown fields {}", listed(unknown))
}

/// Every record except those matching the excluded words and phrases. The parser refuses
/// a query of exclusions alone but reads `* -a -"b c"` as every record less those, which
/// keeps an excluded phrase a phrase.
fn only_excluding(opened: &Opened, text: &str) -> Box<dyn Query> {
    parser(opened).parse_query_lenient(&format!("* {text}")).0
}

/// Parser errors in words a user understands, never echoing more than a line of the query.
fn describe(err: &QueryParserError, text: &str) -> String {
    match err {
        QueryParserError::ExpectedInt(_) => {
            let mut bad: Vec<String> = Vec::new();
            for bound in range_bounds(text) {
                if bound != "*" && bound.parse::<i64>().is_err() && !bad.iter().any(|b| b == bound)
                {
                    bad.push(bound.to_string());
                }
            }
            let example = "a range needs numbers at both ends, e.g. year:[2000 TO 2010]";
            if bad.is_empty() {
                example.to_string()
            } else {
                format!("{example}; not a number: {}", listed(&bad))
            }
        }
        // Its message is the whole query when the strict parser gives up.
        QueryParserError::SyntaxError(message) => format!("Syntax Error: {}", shorten(message)),
        QueryParserError::FieldDoesNotExist(field) => {
            format!("Field does not exist: '{}'", shorten_to(field, NAME_CHARS))
        }
        other => shorten_to(&other.to_string(), 120),
    }
}

/// The bounds written inside `[a TO b]` or `{a TO b}` ranges.
fn range_bounds(text: &str) -> Vec<&str> {
    text.split(['[', '{'])
        .skip(1)
        .filter_map(|rest| rest.split([']', '}']).next())
        .flat_map(str::split_whitespace)
        .filter(|b| *b != "TO")
        .collect()
}

/// Drops pasted terminal colour codes (escape, `[`, parameters, a final letter, as in
/// `ESC[31m`) and turns other control characters into spaces: no record contains them and
/// they confuse the parser. Also returns the distinct codes, written with `\e` for escape.
fn clean(text: &str) -> (String, Vec<String>) {
    let mut cleaned = String::with_capacity(text.len());
    let mut codes: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = control_sequence_len(rest)
        {
            if seen.insert(&rest[1..len]) {
                codes.push(format!("\\e{}", &rest[1..len]));
            }
            rest = &rest[len..];
            continue;
        }
        cleaned.push(if c.is_control() { ' ' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    (cleaned, codes)
}

/// The length in bytes of the control sequence (ESC `[` parameters intermediates final)
/// that `text` starts with, if it is one.
fn control_sequence_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(1) != Some(&b'[') {
        return None;
    }
    let mut end = 2;
    while bytes.get(end).is_some_and(|b| (0x30..=0x3f).contains(b)) {
        end += 1;
    }
    while bytes.get(end).is_some_and(|b| (0x20..=0x2f).contains(b)) {
        end += 1;
    }
    bytes
        .get(end)
        .is_some_and(|b| (0x40..=0x7e).contains(b))
        .then_some(end + 1)
}

/// At most 80 characters of the user's text, for echoing it in a note or an error.
fn shorten(text: &str) -> String {
    shorten_to(text, 80)
}

fn shorten_to(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}...", &text[..cut]),
    }
}

fn query_hint() -> String {
    format!(
        "words are ANDed; use \"quoted phrases\", -excluded, +required and field:term with fields {}",
        QUERY_FIELDS.join(", ")
    )
}

/// A bare word of the query text (not a phrase, field, operator or excluded term).
struct QueryWord {
    range: std::ops::Range<usize>,
    word: String,
}

/// The bare words of a query, with their positions, for typo correction. Syntax is not a
/// word: operators (`AND`, `OR`, `NOT`, a range's `TO`), brackets, and the bounds inside a
/// range are left out.
fn bare_words(text: &str) -> Vec<QueryWord> {
    let mut words = Vec::new();
    let mut in_phrase = false;
    let mut in_range = false;
    // Where the current token starts, and whether that is inside a range.
    let mut start: Option<(usize, bool)> = None;
    let flush = |(from, ranged): (usize, bool), to: usize, words: &mut Vec<QueryWord>| {
        let raw = &text[from..to];
        let token = raw.trim_start_matches(['+', '(']).trim_end_matches(')');
        if ranged
            || token.is_empty()
            || token.starts_with('-')
            || token.contains(':')
            || matches!(token, "AND" | "OR" | "NOT" | "TO")
            || !token.chars().all(char::is_alphanumeric)
        {
            return;
        }
        let begin = from + (raw.len() - raw.trim_start_matches(['+', '(']).len());
        words.push(QueryWord {
            range: begin..begin + token.len(),
            word: token.to_string(),
        });
    };
    for (i, c) in text.char_indices() {
        if c == '"' {
            if let Some(s) = start.take() {
                flush(s, i, &mut words);
            }
            in_phrase = !in_phrase;
            continue;
        }
        if in_phrase {
            continue;
        }
        match c {
            '[' | '{' => in_range = true,
            ']' | '}' => in_range = false,
            _ => {}
        }
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                flush(s, i, &mut words);
            }
        } else if start.is_none() {
            start = Some((i, in_range));
        }
    }
    if let Some(s) = start
        && !in_phrase
    {
        flush(s, text.len(), &mut words);
    }
    words
}

/// Edit distance allowed for a word: 1 from five letters, 2 from nine.
fn allowed_distance(word: &str) -> Option<usize> {
    match word.chars().count() {
        0..=4 => None,
        5..=8 => Some(1),
        _ => Some(2),
    }
}

/// True when the word, analysed (stemmed) as the index analyses text, occurs in a searched field.
fn stem_matches(opened: &Opened, searcher: &Searcher, word: &str) -> Result<bool, Error> {
    let terms = stems(opened, word);
    for (field, _) in opened.fields.weighted_text() {
        for term in &terms {
            if searcher.doc_freq(&Term::from_field_text(field, term))? > 0 {
                return Ok(true);
            }
        }
    }
    Ok(terms.is_empty())
}

/// The terms the index analyzer makes of a word (lower-cased, folded, stemmed).
fn stems(opened: &Opened, word: &str) -> Vec<String> {
    let mut analyzer = opened
        .index
        .tokenizers()
        .get(index::ANALYZER)
        .expect("registered on open");
    let mut stream = analyzer.token_stream(word);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

/// The bare words that occur in no record, in any form.
fn unmatched_words(
    opened: &Opened,
    searcher: &Searcher,
    text: &str,
) -> Result<Vec<QueryWord>, Error> {
    let mut unmatched = Vec::new();
    let mut known: std::collections::HashMap<String, bool> = Default::default();
    for word in bare_words(text) {
        let found = match known.get(&word.word) {
            Some(&found) => found,
            None => {
                let found = word_known(opened, searcher, &word.word)?
                    || stem_matches(opened, searcher, &word.word)?;
                known.insert(word.word.clone(), found);
                found
            }
        };
        if !found {
            unmatched.push(word);
        }
    }
    Ok(unmatched)
}

/// True when the word occurs as written (case and accents aside) in the catalogue.
fn word_known(opened: &Opened, searcher: &Searcher, word: &str) -> Result<bool, Error> {
    let folded = crate::text::fold(word);
    Ok(searcher.doc_freq(&Term::from_field_text(opened.fields.words, &folded))? > 0)
}

/// Catalogue words within the allowed edit distance of `word`, closest and most common first.
fn close_words(searcher: &Searcher, opened: &Opened, word: &str) -> Result<Vec<String>, Error> {
    let Some(max) = allowed_distance(word) else {
        return Ok(vec![]);
    };
    let wanted = crate::text::fold(word);
    let length = wanted.chars().count();
    let mut found: std::collections::HashMap<String, (usize, u64)> = Default::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(opened.fields.words)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(|e| Error::io(&opened.dir, e))?;
        while stream.advance() {
            let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if candidate.len().abs_diff(length) > max || candidate == wanted {
                continue;
            }
            let distance = strsim::levenshtein(&wanted, candidate);
            if distance <= max {
                let entry = found.entry(candidate.to_string()).or_insert((distance, 0));
                entry.1 += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut words: Vec<(String, (usize, u64))> = found.into_iter().collect();
    words.sort_by(|a, b| {
        a.1.0
            .cmp(&b.1.0)
            .then(b.1.1.cmp(&a.1.1))
            .then(a.0.cmp(&b.0))
    });
    Ok(words.into_iter().take(5).map(|(w, _)| w).collect())
}

/// Rewrites the query for typos: in `Auto` mode a word that matches nothing becomes its
/// closest catalogue word; in `Fuzzy` mode every long word also matches its close spellings.
/// Each distinct word is looked up once, and only the first [`MAX_CORRECTED`] of them.
fn correct(
    opened: &Opened,
    text: &str,
    matching: Matching,
) -> Result<(String, Vec<String>), Error> {
    if matching == Matching::Exact || text.trim().is_empty() {
        return Ok((text.to_string(), vec![]));
    }
    let searcher = opened.reader.searcher();
    let mut notes = Vec::new();
    let mut decided: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut changes: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for word in bare_words(text) {
        let replacement = match decided.get(&word.word) {
            Some(replacement) => replacement.clone(),
            None if decided.len() >= MAX_CORRECTED => None,
            None => {
                let replacement = correction(opened, &searcher, &word.word, matching)?.map(
                    |(replacement, note)| {
                        notes.push(note);
                        replacement
                    },
                );
                decided.insert(word.word.clone(), replacement.clone());
                replacement
            }
        };
        if let Some(replacement) = replacement {
            changes.push((word.range, replacement));
        }
    }
    Ok((splice(text, changes), notes))
}

/// Distinct words looked up for typos in one query; a longer query's other words are
/// searched as written.
const MAX_CORRECTED: usize = 8;

/// What `word` becomes, with the note that says so; `None` when it stays as written.
fn correction(
    opened: &Opened,
    searcher: &Searcher,
    word: &str,
    matching: Matching,
) -> Result<Option<(String, String)>, Error> {
    if matching == Matching::Fuzzy {
        let close = close_words(searcher, opened, word)?;
        if close.is_empty() {
            return Ok(None);
        }
        let note = format!(
            "fuzzy: \"{}\" also matches {}",
            shorten(word),
            close
                .iter()
                .map(|w| format!("\"{}\"", shorten(w)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(Some((format!("({word} OR {})", close.join(" OR ")), note)));
    }
    // The words field holds the short texts only; a word of a long text is found by its stem.
    if word_known(opened, searcher, word)? || stem_matches(opened, searcher, word)? {
        return Ok(None);
    }
    let Some(best) = close_words(searcher, opened, word)?.into_iter().next() else {
        return Ok(None);
    };
    if stems(opened, &best) == stems(opened, word) {
        // Another form of the same word (remittance, remittances): stemming finds it.
        return Ok(None);
    }
    let note = format!(
        "no exact match for \"{}\"; showing results for \"{}\"",
        shorten(word),
        shorten(&best)
    );
    Ok(Some((best, note)))
}

/// `text` with each range replaced; the ranges are in order and do not overlap.
fn splice(text: &str, changes: Vec<(std::ops::Range<usize>, String)>) -> String {
    let mut spliced = String::with_capacity(text.len());
    let mut from = 0;
    for (range, replacement) in changes {
        spliced.push_str(&text[from..range.start]);
        spliced.push_str(&replacement);
        from = range.end;
    }
    spliced.push_str(&text[from..]);
    spliced
}

/// The notes for words that no record contains; `dropped` when the query is searched
/// without them (some other word is left).
fn no_record_contains(words: &[QueryWord], dropped: bool) -> Vec<String> {
    let mut distinct: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for word in words {
        if seen.insert(word.word.as_str()) {
            distinct.push(&word.word);
        }
    }
    const SHOWN: usize = 3;
    if distinct.len() <= SHOWN {
        let without = if dropped {
            "; searching without it"
        } else {
            ""
        };
        return distinct
            .iter()
            .map(|w| format!("no record contains \"{}\"{without}", shorten(w)))
            .collect();
    }
    let shown: Vec<String> = distinct[..SHOWN]
        .iter()
        .map(|w| format!("\"{}\"", shorten_to(w, NAME_CHARS)))
        .collect();
    let without = if dropped {
        "; searching without them"
    } else {
        ""
    };
    vec![format!(
        "no record contains {} or {} other words{without}",
        shown.join(", "),
        distinct.len() - SHOWN
    )]
}

/// The plain words of a query whose syntax is broken, each once: no operators, fields,
/// addresses or range bounds.
pub fn plain_words(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    without_ranges(text)
        .split_whitespace()
        .filter(|token| !token.contains("://") && !token.starts_with('-'))
        .map(|token| token.rsplit(':').next().unwrap_or(token))
        .map(|token| {
            token
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '\'' {
                        c
                    } else {
                        ' '
                    }
                })
                .collect::<String>()
        })
        .flat_map(|token| {
            token
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|word| !matches!(word.as_str(), "AND" | "OR" | "NOT" | "TO"))
        .filter(|word| seen.insert(word.clone()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text with each complete range (`[a TO b]`, `{a TO b}`) blanked: its bounds are not
/// words to search.
fn without_ranges(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['[', '{']) {
        kept.push_str(&rest[..open + 1]);
        let inside = &rest[open + 1..];
        match inside.find([']', '}']) {
            Some(close) if inside[..close].split_whitespace().any(|w| w == "TO") => {
                kept.pop();
                kept.push(' ');
                rest = &inside[close + 1..];
            }
            _ => rest = inside,
        }
    }
    kept.push_str(rest);
    kept
}

/// Runs a request against an opened index.
pub fn run(opened: &Opened, paths: &Paths, request: &Request) -> Result<Results, Error> {
    let prepared = prepare(opened, &request.text, request.strict)?;
    let (mut text, mut notes) = correct(opened, &prepared.text, request.matching)?;
    let searcher = opened.reader.searcher();
    if request.matching == Matching::Auto {
        let unmatched = unmatched_words(opened, &searcher, &prepared.text)?;
        if !unmatched.is_empty()
            && searcher.search(
                &*read(opened, &text, &prepared, request.strict)?.query,
                &Count,
            )? == 0
        {
            // Words that no record contains in any form would empty the results: drop them,
            // unless no other word is left.
            let kept = splice(
                &prepared.text,
                unmatched
                    .iter()
                    .map(|w| (w.range.clone(), String::new()))
                    .collect(),
            );
            let dropped = !kept.trim().is_empty();
            notes.extend(no_record_contains(&unmatched, dropped));
            if dropped {
                (text, _) = correct(opened, &kept, request.matching)?;
            }
        }
    }
    let mut parsed = read(opened, &text, &prepared, request.strict)?;
    if !parsed.notes.is_empty() && searcher.search(&*parsed.query, &Count)? == 0 {
        // What could be read of a broken query matches nothing: search its plain words.
        let words = plain_words(&text);
        if !words.is_empty() && words != text.trim() {
            let fallback = parse(opened, &words, false)?;
            if fallback.notes.is_empty() {
                parsed.notes.push(format!(
                    "searching the plain words instead: {}",
                    shorten(&words)
                ));
                parsed.query = fallback.query;
            }
        }
    }
    notes.extend(parsed.notes);
    let mut seen = std::collections::HashSet::new();
    notes.retain(|note| seen.insert(note.clone()));
    let snippets = if request.snippets && parsed.ranks {
        Some(Snippets::new(&searcher, &*parsed.query, &opened.fields)?)
    } else {
        None
    };
    let query = with_filters(parsed.query, request.filters.query(&opened.fields, None));
    let total = searcher.search(&*query, &Count)?;
    let limit = request.limit.unwrap_or(total).max(1);
    let sort = match request.sort {
        Sort::Relevance if !parsed.ranks => Sort::Id,
        other => other,
    };
    let addresses = ranked(&searcher, &*query, sort, limit, request.offset)?;
    let mut hits = load_hits(
        &searcher,
        &opened.fields,
        paths,
        addresses,
        snippets.as_ref(),
    )?;
    if sort == Sort::Title {
        hits.sort_by_cached_key(|h| crate::text::fold(&h.entry.record.title));
    }
    Ok(Results { total, hits, notes })
}

/// The addresses of the requested page of results, in the requested order.
fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> Result<Vec<(Option<f32>, DocAddress)>, Error> {
    let top = TopDocs::with_limit(limit).and_offset(offset);
    Ok(match sort {
        Sort::Relevance => searcher
            .search(query, &top.order_by_score())?
            .into_iter()
            .map(|(score, addr)| (Some(score), addr))
            .collect(),
        Sort::Year | Sort::YearDesc => {
            let order = if sort == Sort::Year {
                Order::Asc
            } else {
                Order::Desc
            };
            unscored(searcher.search(query, &top.order_by_fast_field::<i64>(names::YEAR, order))?)
        }
        Sort::Id => unscored(searcher.search(
            query,
            &top.order_by_string_fast_field(names::ID, Order::Asc),
        )?),
        // The folded title: what the uniqueness check compares, and unique itself.
        Sort::Title => unscored(searcher.search(
            query,
            &top.order_by_string_fast_field(names::TITLE_KEY, Order::Asc),
        )?),
    })
}

fn unscored<T>(found: Vec<(T, DocAddress)>) -> Vec<(Option<f32>, DocAddress)> {
    found.into_iter().map(|(_, addr)| (None, addr)).collect()
}

/// Snippet generators for the fields a snippet may come from, most telling first, each
/// with the record text the field was indexed from (the index stores only the record).
pub struct Snippets {
    generators: Vec<(tantivy::snippet::SnippetGenerator, RecordText)>,
}

/// The text of a record that one index field was made from.
type RecordText = fn(&Record) -> String;

/// Snippets are about this long, cut at word boundaries.
pub const SNIPPET_CHARS: usize = 160;

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Snippets, Error> {
        let sources: [(Field, RecordText); 5] = [
            (fields.summary, |r| r.summary.clone()),
            (fields.text, |r| {
                [&r.description, &r.results, &r.lessons]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
            (fields.keyword, |r| r.keywords.join(" ")),
            (fields.title, |r| r.title.clone()),
            (fields.organisation, |r| r.organisations.join(" ")),
        ];
        let generators = sources
            .into_iter()
            .map(|(field, text)| {
                let mut generator =
                    tantivy::snippet::SnippetGenerator::create(searcher, query, field)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Ok((generator, text))
            })
            .collect::<Result<_, Error>>()?;
        Ok(Snippets { generators })
    }

    /// The snippet with the most matched words; the first field wins a tie.
    pub fn best(&self, record: &Record) -> Option<Snippet> {
        let mut best: Option<tantivy::snippet::Snippet> = None;
        for (generator, text) in &self.generators {
            let snippet = generator.snippet(text(record).trim());
            let count = snippet.highlighted().len();
            if count > 0 && best.as_ref().is_none_or(|b| count > b.highlighted().len()) {
                best = Some(snippet);
            }
        }
        best.map(|s| Snippet {
            text: s.fragment().to_string(),
            highlights: s.highlighted().to_vec(),
        })
    }
}

fn load_hits(
    searcher: &Searcher,
    fields: &Fields,
    paths: &Paths,
    addresses: Vec<(Option<f32>, DocAddress)>,
    snippets: Option<&Snippets>,
) -> Result<Vec<Hit>, Error> {
    addresses
        .into_iter()
        .map(|(score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let entry = index::entry_of(&doc, fields, paths).ok_or_else(|| {
                Error::Index(tantivy::TantivyError::InvalidArgument(
                    "a stored record could not be read back".into(),
                ))
            })?;
            let snippet = snippets.and_then(|s| s.best(&entry.record));
            Ok(Hit {
                entry,
                score,
                snippet,
            })
        })
        .collect()
}

/// Fetches one record by id from the index.
pub fn by_id(opened: &Opened, paths: &Paths, id: &str) -> Result<Option<Entry>, Error> {
    let searcher = opened.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(opened.fields.id, id),
        IndexRecordOption::Basic,
    );
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let hits = load_hits(
        &searcher,
        &opened.fields,
        paths,
        found.into_iter().map(|(_, a)| (None, a)).collect(),
        None,
    )?;
    Ok(hits.into_iter().next().map(|h| h.entry))
}

/// Every id in the index, for "did you mean" on an unknown id.
pub fn all_ids(opened: &Opened) -> Result<Vec<String>, Error> {
    let searcher = opened.reader.searcher();
    let mut ids = Vec::new();
    for segment in searcher.segment_readers() {
        let column = segment
            .fast_fields()
            .str(names::ID)?
            .ok_or_else(|| tantivy::TantivyError::SchemaError("id is not a fast field".into()))?;
        // The dictionary keeps the ids of records an update deleted: go by live documents.
        let mut buffer = String::new();
        for doc in segment.doc_ids_alive() {
            for ord in column.term_ords(doc) {
                buffer.clear();
                column
                    .ord_to_str(ord, &mut buffer)
                    .map_err(|e| Error::io(&opened.dir, e))?;
                ids.push(buffer.clone());
            }
        }
    }
    ids.sort();
    Ok(ids)
}

/// How many records a sector has, as primary and in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorCount {
    pub slug: String,
    pub label: String,
    pub primary: usize,
    pub any: usize,
}

/// Record counts for each sector, in handbook order.
pub fn sector_counts(opened: &Opened) -> Result<Vec<SectorCount>, Error> {
    let searcher = opened.reader.searcher();
    let f = &opened.fields;
    opened
        .manifest
        .sectors
        .list
        .iter()
        .map(|sector| {
            let primary = searcher.search(
                &TermQuery::new(
                    Term::from_field_text(f.primary_sector, &sector.slug),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            let any = searcher.search(
                &TermQuery::new(
                    Term::from_facet(f.sector_facet, &Facet::from_path([&sector.slug])),
                    IndexRecordOption::Basic,
                ),
                &Count,
            )?;
            Ok(SectorCount {
                slug: sector.slug.clone(),
                label: sector.label.clone(),
                primary,
                any,
            })
        })
        .collect()
}

/// Records most like the one with `id` (Tantivy's more-like-this over the text fields),
/// the record itself excluded. Thresholds are low to suit a catalogue of a few hundred records.
pub fn similar(
    opened: &Opened,
    paths: &Paths,
    id: &str,
    filters: &Filters,
    limit: usize,
) -> Result<Option<Results>, Error> {
    use tantivy::query::MoreLikeThisQuery;
    let searcher = opened.reader.searcher();
    let id_term = Term::from_field_text(opened.fields.id, id);
    let Some(entry) = by_id(opened, paths, id)? else {
        return Ok(None);
    };
    // The record's own texts, as the index analysed them (the index does not store them).
    let doc = index::document(&entry, &opened.manifest.sectors, &opened.fields);
    let texts = opened
        .fields
        .weighted_text()
        .into_iter()
        .map(|(field, _)| {
            let values = doc
                .get_all(field)
                .filter_map(|v| v.as_str().map(|s| OwnedValue::Str(s.to_string())))
                .collect();
            (field, values)
        })
        .collect();
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
        .with_min_term_frequency(1)
        .with_min_word_length(3)
        .with_max_query_terms(40)
        .with_document_fields(texts);
    let query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (Occur::MustNot, term(id_term)),
    ]));
    let query = with_filters(query, filters.query(&opened.fields, None));
    let total = searcher.search(&*query, &Count)?;
    let addresses = ranked(&searcher, &*query, Sort::Relevance, limit.max(1), 0)?;
    let hits = load_hits(&searcher, &opened.fields, paths, addresses, None)?;
    Ok(Some(Results {
        total,
        hits,
        notes: vec![],
    }))
}

/// Up to three ids close to an unknown one, for "did you mean".
pub fn closest_ids(opened: &Opened, id: &str) -> Result<Vec<String>, Error> {
    let mut scored: Vec<(usize, String)> = all_ids(opened)?
        .into_iter()
        .map(|candidate| (strsim::levenshtein(id, &candidate), candidate))
        .filter(|(distance, candidate)| *distance <= candidate.len() / 2 || candidate.contains(id))
        .collect();
    scored.sort();
    Ok(scored.into_iter().take(3).map(|(_, id)| id).collect())
}
