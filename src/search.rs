//! Queries over the index: free text in Tantivy syntax, filters, sorting and paging.

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::catalogue::{Entry, Paths};
use crate::countries::{self, RegionPath};
use crate::error::Error;
use crate::index::{self, Fields, Opened, names};
use crate::record::{Kind, Status};
use crate::sectors::Sectors;

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
    let mut parsed = parse_syntax(opened, text, strict)?;
    // Some queries parse but cannot run: Tantivy reads `field:*` as "has any value" for every
    // field name, yet runs it only on fast fields (id, year), so `title:*` or `foo:*` used to
    // fail the whole search with an index error. Building the query's weight finds this
    // before searching (found by tests/properties.rs).
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
                message: format!("invalid query `{}`: {why}", shorten(&clean(text))),
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
        parsed
            .notes
            .push(format!("ignored part of the query: {why}"));
        parsed.notes.push(STRICT_NOTE.into());
    }
    Ok(parsed)
}

/// The note that closes the notes about a broken query.
const STRICT_NOTE: &str = "(use --strict to make a broken query an error)";

/// [`parse`] without the check that the query can run.
fn parse_syntax(opened: &Opened, text: &str, strict: bool) -> Result<ParsedQuery, Error> {
    if text.trim().is_empty() {
        return Ok(ParsedQuery {
            query: Box::new(AllQuery),
            ranks: false,
            notes: vec![],
        });
    }
    let mut text = clean(text);
    let mut notes = Vec::new();
    if text.matches(['(', '[', '{']).count() > MAX_BRACKETS {
        // The parser recurses per bracket; thousands of them would overflow the stack.
        if strict {
            return Err(Error::Query {
                message: format!(
                    "invalid query `{}`: more than {MAX_BRACKETS} brackets",
                    shorten(&text)
                ),
                hint: query_hint(),
            });
        }
        text = text.replace(['(', ')', '[', ']', '{', '}'], " ");
        notes.push(format!(
            "ignored part of the query: more than {MAX_BRACKETS} brackets, read as plain words"
        ));
    }
    let parser = parser(opened);
    let strict_result = parser.parse_query(&text);
    if let Err(QueryParserError::AllButQueryForbidden) = strict_result {
        // "-foo -bar" alone is valid: every record without foo or bar.
        notes.push("the query only excludes words: showing every record without them".into());
        return Ok(ParsedQuery {
            query: only_excluding(opened, &text),
            ranks: false,
            notes,
        });
    }
    let strict_result = match strict_result {
        Ok(query) => {
            return Ok(ParsedQuery {
                query,
                ranks: true,
                notes,
            });
        }
        Err(err) if strict => {
            return Err(Error::Query {
                message: format!(
                    "invalid query `{}`: {}",
                    shorten(&text),
                    describe(&err, &text)
                ),
                hint: query_hint(),
            });
        }
        Err(err) => err,
    };
    let (query, errors) = parser.parse_query_lenient(&text);
    // Apostrophes (d'Ivoire) only trip the strict parser; other stray syntax is worth a note.
    if errors.is_empty() && parser.parse_query(&text.replace('\'', " ")).is_err() {
        notes.push(format!(
            "ignored part of the query: {}",
            describe(&strict_result, &text)
        ));
    }
    notes.extend(
        errors
            .iter()
            .map(|e| format!("ignored part of the query: {}", describe(e, &text))),
    );
    if !notes.is_empty() {
        notes.push(STRICT_NOTE.into());
    }
    Ok(ParsedQuery {
        query,
        ranks: true,
        notes,
    })
}

/// More brackets than this are not parsed as syntax.
const MAX_BRACKETS: usize = 64;

/// Every record except those matching any of the excluded words.
fn only_excluding(opened: &Opened, text: &str) -> Box<dyn Query> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_start_matches('-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut any_of = QueryParser::for_index(
        &opened.index,
        opened
            .fields
            .weighted_text()
            .iter()
            .map(|(f, _)| *f)
            .collect(),
    );
    any_of.set_conjunction_by_default();
    let excluded: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|w| (Occur::Should, any_of.parse_query_lenient(w).0))
        .collect();
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::MustNot, Box::new(BooleanQuery::new(excluded))),
    ]))
}

/// Parser errors in words a user understands.
fn describe(err: &QueryParserError, text: &str) -> String {
    match err {
        QueryParserError::ExpectedInt(_) => {
            let bad: Vec<String> = range_bounds(text)
                .into_iter()
                .filter(|b| *b != "*" && b.parse::<i64>().is_err())
                .map(|b| format!("`{b}`"))
                .collect();
            format!(
                "a range needs numbers at both ends, e.g. year:[2000 TO 2010]; not a number: {}",
                bad.join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// The bounds written inside `[a TO b]` or `{a TO b}` ranges.
fn range_bounds(text: &str) -> Vec<&str> {
    text.split(['[', '{'])
        .skip(1)
        .filter_map(|rest| rest.split([']', '}']).next())
        .flat_map(|inside| inside.split(" TO "))
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect()
}

/// Drops control characters, which no record contains and which confuse the parser.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}...", text.chars().take(MAX).collect::<String>())
    }
}

fn query_hint() -> String {
    format!(
        "words are ANDed; use \"quoted phrases\", -excluded, +required and field:term with fields {}, {}, {}, {}, {}, {}, {}, {}, {}, {}",
        names::TITLE,
        names::KEYWORD,
        names::SUMMARY,
        names::TEXT,
        names::ORGANISATION,
        names::COUNTRY,
        names::SECTOR,
        names::KIND,
        names::STATUS,
        names::YEAR
    )
}

/// A bare word of the query text (not a phrase, field, operator or excluded term).
struct QueryWord {
    range: std::ops::Range<usize>,
    word: String,
}

/// The bare words of a query, with their positions, for typo correction.
fn bare_words(text: &str) -> Vec<QueryWord> {
    let mut words = Vec::new();
    let mut in_phrase = false;
    let mut start = None;
    let flush = |from: usize, to: usize, words: &mut Vec<QueryWord>| {
        let raw = &text[from..to];
        let token = raw.trim_start_matches(['+', '(']).trim_end_matches(')');
        if token.is_empty()
            || token.starts_with('-')
            || token.contains(':')
            || matches!(token, "AND" | "OR" | "NOT")
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
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                flush(s, i, &mut words);
            }
        } else if start.is_none() {
            start = Some(i);
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
    for word in bare_words(text) {
        if !word_known(opened, searcher, &word.word)?
            && !stem_matches(opened, searcher, &word.word)?
        {
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
fn correct(
    opened: &Opened,
    text: &str,
    matching: Matching,
) -> Result<(String, Vec<String>), Error> {
    if matching == Matching::Exact || text.trim().is_empty() {
        return Ok((text.to_string(), vec![]));
    }
    let searcher = opened.reader.searcher();
    let mut rewritten = text.to_string();
    let mut notes = Vec::new();
    let mut changes: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for word in bare_words(text) {
        let replacement = match matching {
            Matching::Fuzzy => {
                let close = close_words(&searcher, opened, &word.word)?;
                if close.is_empty() {
                    continue;
                }
                let mut options = vec![word.word.clone()];
                options.extend(close);
                notes.push(format!(
                    "fuzzy: \"{}\" also matches {}",
                    word.word,
                    options[1..]
                        .iter()
                        .map(|w| format!("\"{w}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                format!("({})", options.join(" OR "))
            }
            _ => {
                if word_known(opened, &searcher, &word.word)? {
                    continue;
                }
                let Some(best) = close_words(&searcher, opened, &word.word)?
                    .into_iter()
                    .next()
                else {
                    continue;
                };
                if stems(opened, &best) == stems(opened, &word.word) {
                    // Another form of the same word (remittance, remittances): stemming finds it.
                    continue;
                }
                notes.push(format!(
                    "no exact match for \"{}\"; showing results for \"{best}\"",
                    word.word
                ));
                best
            }
        };
        changes.push((word.range, replacement));
    }
    for (range, replacement) in changes.into_iter().rev() {
        rewritten.replace_range(range, &replacement);
    }
    Ok((rewritten, notes))
}

/// The plain words of a query whose syntax is broken: no operators, fields or addresses.
pub fn plain_words(text: &str) -> String {
    text.split_whitespace()
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
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a request against an opened index.
pub fn run(opened: &Opened, paths: &Paths, request: &Request) -> Result<Results, Error> {
    let (mut text, mut notes) = correct(opened, &request.text, request.matching)?;
    let searcher = opened.reader.searcher();
    if request.matching == Matching::Auto {
        let unmatched = unmatched_words(opened, &searcher, &request.text)?;
        if !unmatched.is_empty()
            && searcher.search(&*parse(opened, &text, request.strict)?.query, &Count)? == 0
        {
            // Words that no record contains in any form would empty the results: drop them.
            let mut kept = request.text.clone();
            for word in unmatched.iter().rev() {
                kept.replace_range(word.range.clone(), "");
                notes.push(format!(
                    "no record contains \"{}\"; searching without it",
                    word.word
                ));
            }
            if !kept.trim().is_empty() {
                (text, _) = correct(opened, &kept, request.matching)?;
            }
        }
    }
    let mut parsed = parse(opened, &text, request.strict)?;
    if !parsed.notes.is_empty() && searcher.search(&*parsed.query, &Count)? == 0 {
        // What could be read of a broken query matches nothing: search its plain words.
        let words = plain_words(&text);
        if !words.is_empty() {
            let fallback = parse(opened, &words, false)?;
            if fallback.notes.is_empty() {
                parsed
                    .notes
                    .push(format!("searching the plain words instead: {words}"));
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
        Sort::Title => {
            // Titles are not a fast field: take every match in id order, sort them by
            // folded title, then cut the page.
            let all = searcher.search(
                query,
                &TopDocs::with_limit(searcher.num_docs().max(1) as usize)
                    .order_by_string_fast_field(names::ID, Order::Asc),
            )?;
            let mut titled: Vec<(String, DocAddress)> = all
                .into_iter()
                .map(|(_, addr)| {
                    let doc: TantivyDocument = searcher.doc(addr)?;
                    let title = doc
                        .get_first(searcher.schema().get_field(names::TITLE)?)
                        .and_then(|v| tantivy::schema::Value::as_str(&v).map(crate::text::fold))
                        .unwrap_or_default();
                    Ok((title, addr))
                })
                .collect::<Result<_, Error>>()?;
            titled.sort();
            titled
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|(_, addr)| (None, addr))
                .collect()
        }
    })
}

fn unscored<T>(found: Vec<(T, DocAddress)>) -> Vec<(Option<f32>, DocAddress)> {
    found.into_iter().map(|(_, addr)| (None, addr)).collect()
}

/// Snippet generators for the fields a snippet may come from, most telling first.
pub struct Snippets {
    generators: Vec<tantivy::snippet::SnippetGenerator>,
}

/// Snippets are about this long, cut at word boundaries.
pub const SNIPPET_CHARS: usize = 160;

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Snippets, Error> {
        let generators = [
            fields.summary,
            fields.text,
            fields.keyword,
            fields.title,
            fields.organisation,
        ]
        .into_iter()
        .map(|field| {
            let mut generator = tantivy::snippet::SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok(generator)
        })
        .collect::<Result<_, Error>>()?;
        Ok(Snippets { generators })
    }

    /// The snippet with the most matched words; the first field wins a tie.
    pub fn best(&self, doc: &TantivyDocument) -> Option<Snippet> {
        let mut best: Option<tantivy::snippet::Snippet> = None;
        for generator in &self.generators {
            let snippet = generator.snippet_from_doc(doc);
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
            let snippet = snippets.and_then(|s| s.best(&doc));
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
        let mut buffer = String::new();
        for ord in 0..column.num_terms() as u64 {
            buffer.clear();
            column
                .ord_to_str(ord, &mut buffer)
                .map_err(|e| Error::io(&opened.dir, e))?;
            ids.push(buffer.clone());
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
    let found = searcher.search(
        &TermQuery::new(id_term.clone(), IndexRecordOption::Basic),
        &TopDocs::with_limit(1).order_by_score(),
    )?;
    let Some((_, address)) = found.into_iter().next() else {
        return Ok(None);
    };
    let like = MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_max_doc_frequency((searcher.num_docs() / 2).max(2))
        .with_min_term_frequency(1)
        .with_min_word_length(3)
        .with_max_query_terms(40)
        .with_document(address);
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
