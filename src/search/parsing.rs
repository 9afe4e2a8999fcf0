//! Reading the user's text: cleaning it, naming what cannot be read (in the user's words,
//! with positions), and parsing explicit syntax with Tantivy's parser.

use tantivy::query::{AllQuery, EmptyQuery, EnableScoring, Query, QueryParser, QueryParserError};

use super::cleaning;
use super::lexer::{self, Kind, QUERY_FIELDS, Token, splice};
use super::notes::{
    IGNORED, NAME_CHARS, Note, NoteKind, invalid, listed, query_hint, shorten, shorten_to,
};
use crate::error::Error;
use crate::index::names;
use crate::storage::Opened;

/// More brackets than this are not parsed as syntax.
const MAX_BRACKETS: usize = 64;

/// Longer queries are cut to this many characters (about 500 words), so that even a
/// pasted document is answered in well under a second.
const MAX_QUERY_CHARS: usize = 4_000;

/// A query's text made ready for the parser, and what was changed on the way.
pub struct Cleaned {
    /// The text without control characters or colour codes; too many brackets, unknown
    /// field names and web addresses are taken out, so their words are read as plain words.
    pub text: String,
    pub notes: Vec<Note>,
    /// An unbalanced quote or bracket is named in `notes`: the parser's own syntax errors
    /// would only say the same, less clearly.
    pub syntax_named: bool,
}

/// Cleans the query and names, in the user's words, what the parser would stumble on: the
/// first problem of each kind. With `strict` the first problem is an error.
/// `holds` tells the words some record holds, so that an address keeps only those.
pub fn clean(
    raw: &str,
    strict: bool,
    holds: &mut dyn FnMut(&str) -> Result<bool, Error>,
) -> Result<Cleaned, Error> {
    let (mut text, codes, controls) = cleaning::drop_controls(raw);
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
        notes.push(Note::ignored(why));
    }
    if controls > 0 && strict {
        let why = format!(
            "{controls} control character{} (invisible bytes such as \\x01)",
            if controls == 1 { "" } else { "s" }
        );
        return Err(invalid(&text, &why, "retype the query".into()));
    }
    let length = text.chars().count();
    if length > MAX_QUERY_CHARS {
        // Longer than any useful query; every word costs a term query in every field.
        if strict {
            let why = format!("{length} characters long, more than {MAX_QUERY_CHARS}");
            return Err(invalid(&text, &why, "search for a few key words".into()));
        }
        text = cut(&text, MAX_QUERY_CHARS);
        notes.push(Note::ignored(format!(
            "all but the first {MAX_QUERY_CHARS} of its {length} characters"
        )));
    }
    if text.matches(['(', '[', '{']).count() > MAX_BRACKETS {
        // The parser recurses per bracket; thousands of them would overflow the stack.
        if strict {
            let why = format!("more than {MAX_BRACKETS} brackets");
            return Err(invalid(&text, &why, query_hint()));
        }
        text = text.replace(['(', ')', '[', ']', '{', '}'], " ");
        notes.push(Note::ignored(format!(
            "more than {MAX_BRACKETS} brackets, read as plain words"
        )));
    }
    if !text.trim().is_empty() && text.chars().all(|c| c == '"' || c.is_whitespace()) {
        // Quotes around nothing: `"` and `"""` alike hold no words.
        if strict {
            return Err(invalid(&text, "quotes with no words in them", query_hint()));
        }
        notes.push(Note::ignored("quotes with no words in them"));
        text.clear();
    }
    text = cleaning::read_addresses(&text, strict, &mut notes, holds)?;
    let unbalanced = unbalanced(&lexer::tokens(&text));
    if let Some(why) = &unbalanced {
        if strict {
            return Err(invalid(&text, why, query_hint()));
        }
        notes.push(Note::ignored(why));
    }
    let (plain, unknown) = unknown_fields(&text);
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
        notes.push(Note::ignored(format!(
            "{named}, {their} words searched in every field; the fields are {fields}"
        )));
        text = plain;
    }
    Ok(Cleaned {
        text,
        notes,
        syntax_named: unbalanced.is_some(),
    })
}

/// The parsed text part of a request.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    /// True when the user gave words to rank by.
    pub ranks: bool,
    pub notes: Vec<Note>,
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

/// Parses cleaned text with Tantivy's parser: strictly, and when that fails leniently,
/// naming what the lenient reading left out. The query is checked to run.
pub fn read(
    opened: &Opened,
    text: &str,
    cleaned_notes: &[Note],
    syntax_named: bool,
    strict: bool,
) -> Result<ParsedQuery, Error> {
    let mut parsed = read_syntax(opened, text, cleaned_notes, syntax_named, strict)?;
    // Some queries parse but cannot run: Tantivy reads `field:*` as "has any value" for every
    // field name, yet runs it only on fast fields (year), so `title:*` used to fail the
    // whole search with an index error. Building the query's weight finds this before
    // searching (found by tests/properties.rs).
    let searcher = opened.reader.searcher();
    if let Err(err) = parsed
        .query
        .weight(EnableScoring::disabled_from_searcher(&searcher))
    {
        let why = format!(
            "{err}; `field:*` (any value) works only with the field {}",
            names::YEAR
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
        parsed.notes.push(Note::ignored(why));
    }
    parsed.query = crate::exclusion::guard(parsed.query);
    Ok(parsed)
}

/// [`read`] without the check that the query can run.
fn read_syntax(
    opened: &Opened,
    text: &str,
    cleaned_notes: &[Note],
    syntax_named: bool,
    strict: bool,
) -> Result<ParsedQuery, Error> {
    /// Parser errors named at most, after the first.
    const SHOWN: usize = 3;
    let mut notes = cleaned_notes.to_vec();
    if text.trim().is_empty() {
        // No query lists every record; a query of which nothing could be read finds none.
        let query: Box<dyn Query> = if notes.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(EmptyQuery)
        };
        return Ok(ParsedQuery {
            query,
            ranks: false,
            notes,
        });
    }
    let parser = parser(opened);
    let err = match parser.parse_query(text) {
        Ok(query) => {
            return Ok(ParsedQuery {
                query,
                ranks: true,
                notes,
            });
        }
        Err(QueryParserError::AllButQueryForbidden) => {
            // "-foo -bar" alone is valid: every record without foo or bar.
            notes.push(Note::new(
                NoteKind::Relaxed,
                "the query only excludes words: showing every record without them",
            ));
            return Ok(ParsedQuery {
                query: only_excluding(opened, text),
                ranks: false,
                notes,
            });
        }
        Err(err) => err,
    };
    let (query, errors) = parser.parse_query_lenient(text);
    // Apostrophes (d'Ivoire) only trip the strict parser: that is not broken syntax.
    let only_apostrophes =
        errors.is_empty() && parser.parse_query(&text.replace('\'', " ")).is_ok();
    // The strict parser's syntax error only repeats the query: say what is wrong instead.
    let tokens = lexer::tokens(text);
    let why = match (&err, errors.first()) {
        (QueryParserError::SyntaxError(_), Some(first)) => describe(first, &tokens),
        (QueryParserError::SyntaxError(_), None) => {
            dangling_operator(&tokens).unwrap_or_else(|| describe(&err, &tokens))
        }
        _ => describe(&err, &tokens),
    };
    if strict && !only_apostrophes {
        return Err(invalid(text, &why, query_hint()));
    }
    // With an unbalanced quote or bracket already named, the parser's errors are what
    // follows from it (a range never closed, a phrase running to the end): only noise.
    if !syntax_named {
        if errors.is_empty() && !only_apostrophes {
            notes.push(Note::ignored(&why));
        }
        notes.extend(
            errors
                .iter()
                .take(SHOWN)
                .map(|e| Note::ignored(describe(e, &tokens))),
        );
        if errors.len() > SHOWN {
            notes.push(Note::ignored(format!(
                "{} more parser errors like those",
                errors.len() - SHOWN
            )));
        }
    }
    Ok(ParsedQuery {
        query,
        ranks: true,
        notes,
    })
}

/// The first `max` characters of `text`, ending at a space when there is one to end at.
fn cut(text: &str, max: usize) -> String {
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if !text[end..].starts_with(char::is_whitespace) => head[..space].to_string(),
        _ => head.to_string(),
    }
}

/// The first unbalanced quote or bracket, in words, with its position (counted in
/// characters from 1).
fn unbalanced(tokens: &[Token]) -> Option<String> {
    let mut open: Vec<usize> = Vec::new();
    let mut unclosed: Option<(char, usize)> = None;
    for token in tokens {
        match token.kind {
            Kind::Open => open.push(token.position),
            Kind::Close if token.body == ")" && !open.is_empty() => {
                open.pop();
            }
            Kind::Close => {
                let opening = match token.body {
                    ")" => '(',
                    "]" => '[',
                    _ => '{',
                };
                return Some(format!(
                    "`{}` at position {} has no opening `{opening}`",
                    token.body, token.position
                ));
            }
            Kind::Phrase { closed: false } | Kind::Range { closed: false } => {
                // The quote or bracket comes after the sign and the field name.
                let lead =
                    token.sign.map_or(0, |_| 1) + token.field.map_or(0, |f| f.chars().count() + 1);
                let c = if matches!(token.kind, Kind::Phrase { .. }) {
                    '"'
                } else {
                    '['
                };
                unclosed = Some((c, token.position + lead));
            }
            _ => {}
        }
    }
    match (unclosed, open.first()) {
        (Some((c, at)), Some(&bracket)) if at < bracket => Some(never_closed(c, at)),
        (_, Some(&bracket)) => Some(never_closed('(', bracket)),
        (Some((c, at)), None) => Some(never_closed(c, at)),
        (None, None) => None,
    }
}

fn never_closed(c: char, position: usize) -> String {
    let article = if c == '"' { "a " } else { "" };
    format!("{article}`{c}` at position {position} is never closed")
}

/// The first `AND` or `OR` with no word after it (at the end, before another operator or
/// a closing bracket), in words: the strict parser fails on it without saying where.
fn dangling_operator(tokens: &[Token]) -> Option<String> {
    tokens.iter().enumerate().find_map(|(i, token)| {
        if token.kind != Kind::Operator || token.body == "NOT" {
            return None;
        }
        let after = tokens.get(i + 1);
        after
            .is_none_or(|t| t.kind == Kind::Operator || t.kind == Kind::Close)
            .then(|| {
                format!(
                    "`{}` at position {} has no word after it",
                    token.body, token.position
                )
            })
    })
}

/// The text with each field name the query may not use (and its `:`) taken out, so that
/// its words are searched in every field; and those names, in order of first use.
fn unknown_fields(text: &str) -> (String, Vec<String>) {
    let mut unknown: Vec<String> = Vec::new();
    let mut changes = Vec::new();
    for token in lexer::tokens(text) {
        let Some(field) = token.field else { continue };
        if QUERY_FIELDS.contains(&field) {
            continue;
        }
        if !unknown.iter().any(|u| u == field) {
            unknown.push(field.to_string());
        }
        let start = token.span.start + token.sign.map_or(0, char::len_utf8);
        changes.push((start..start + field.len() + 1, String::new()));
    }
    (splice(text, changes), unknown)
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
fn describe(err: &QueryParserError, tokens: &[Token]) -> String {
    match err {
        QueryParserError::ExpectedInt(_) => {
            let mut bad: Vec<String> = Vec::new();
            let bounds = tokens
                .iter()
                .filter(|t| matches!(t.kind, Kind::Range { .. }))
                .flat_map(|t| t.body.split_whitespace())
                .filter(|b| *b != "TO");
            for bound in bounds {
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

/// The plain words of a query whose syntax is broken, each once: no operators, fields,
/// excluded words or range bounds.
pub fn plain_words(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    lexer::tokens(text)
        .into_iter()
        .filter(|t| t.sign != Some('-'))
        .filter(|t| {
            // An unclosed range is no range: its words are words.
            matches!(
                t.kind,
                Kind::Word | Kind::Phrase { .. } | Kind::Range { closed: false }
            )
        })
        // Inside a phrase, `name:word` is still a field name and a word.
        .flat_map(|t| {
            t.body
                .split_whitespace()
                .map(|w| w.rsplit(':').next().unwrap_or(w))
        })
        .flat_map(lexer::words_in)
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT" | "TO"))
        .filter(|w| seen.insert(w.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when the note says part of the query was not read as written.
pub fn is_ignored(note: &Note) -> bool {
    note.text.starts_with(IGNORED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unbalanced_names_the_first_problem_with_its_position() {
        let check = |text: &str| unbalanced(&lexer::tokens(text));
        assert_eq!(
            check("a (b"),
            Some("`(` at position 3 is never closed".into())
        );
        assert_eq!(
            check("a)"),
            Some("`)` at position 2 has no opening `(`".into())
        );
        assert_eq!(
            check("a]"),
            Some("`]` at position 2 has no opening `[`".into())
        );
        assert_eq!(
            check("x \"a (b"),
            Some("a `\"` at position 3 is never closed".into())
        );
        assert_eq!(
            check("title:[2000"),
            Some("`[` at position 7 is never closed".into())
        );
        assert_eq!(check("(a) \"b\" [1 TO 2]"), None);
    }

    #[test]
    fn dangling_operator_is_found_before_a_bracket_or_at_the_end() {
        let check = |text: &str| dangling_operator(&lexer::tokens(text));
        assert_eq!(
            check("a OR"),
            Some("`OR` at position 3 has no word after it".into())
        );
        assert_eq!(
            check("(a AND) b"),
            Some("`AND` at position 4 has no word after it".into())
        );
        assert_eq!(check("a OR b"), None);
    }

    #[test]
    fn only_documented_fields_are_kept_as_fields() {
        let (plain, unknown) = unknown_fields("words:remit primary_sector:trade title:bond -foo:x");
        assert_eq!(plain, "remit trade title:bond -x");
        assert_eq!(unknown, vec!["words", "primary_sector", "foo"]);
    }

    #[test]
    fn plain_words_drop_syntax_and_excluded_words() {
        assert_eq!(
            plain_words("(a OR title:b) -c \"d e\" year:[2000 TO 2010] a"),
            "a b d e"
        );
    }
}
