//! The one tokenizer of query text. Every later step (unknown fields, broken syntax, typo
//! correction, relaxed matching, the plain-word fallback) reads these tokens instead of
//! scanning the text again.

use std::ops::Range;

use crate::index::names;

/// The fields a query may name, as the README and the query hint list them. Any other
/// `name:` is read as plain words.
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

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A word, possibly signed (`+w`, `-w`) or scoped (`title:w`).
    Word,
    /// `"..."`; `closed` is false when it runs to the end of the query.
    Phrase { closed: bool },
    /// `[a TO b]` or `{a TO b}`; `closed` is false when it runs to the end of the query.
    Range { closed: bool },
    /// `AND`, `OR` or `NOT`.
    Operator,
    /// `(`.
    Open,
    /// `)`, `]` or `}` with nothing open to close.
    Close,
}

/// One token, with where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    /// Bytes of the whole token, sign and field included.
    pub span: Range<usize>,
    /// Where the token starts, in characters from 1 (as notes count).
    pub position: usize,
    /// `+` or `-` before the token.
    pub sign: Option<char>,
    /// The field named before a `:`.
    pub field: Option<&'a str>,
    /// The word, the inside of a phrase or range, or the bracket or operator itself.
    pub body: &'a str,
}

impl Token<'_> {
    /// A word with no sign, field or syntax in it: one that relaxed matching may drop and
    /// typo correction may change.
    pub fn is_bare_word(&self) -> bool {
        self.kind == Kind::Word
            && self.sign.is_none()
            && self.field.is_none()
            && !self.body.is_empty()
            && self.body.chars().all(|c| c.is_alphanumeric() || c == '\'')
    }
}

/// Splits query text into tokens. Never fails: unbalanced quotes and ranges run to the end
/// and are marked as not closed; stray closing brackets are tokens of their own.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    // Characters seen so far, for positions.
    let position_of = |byte: usize| text[..byte].chars().count() + 1;
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if matches!(c, '(' | ')' | ']' | '}') {
            chars.next();
            tokens.push(Token {
                kind: if c == '(' { Kind::Open } else { Kind::Close },
                span: start..start + 1,
                position: position_of(start),
                sign: None,
                field: None,
                body: &text[start..start + 1],
            });
            continue;
        }
        let mut at = start;
        let sign = match c {
            '+' | '-' => {
                chars.next();
                at += 1;
                Some(c)
            }
            _ => None,
        };
        // A field name: letters, digits and `_` up to a `:` that does not start `://`.
        let rest = &text[at..];
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let field = (name_len > 0
            && rest[name_len..].starts_with(':')
            && !rest[name_len..].starts_with("://"))
        .then(|| &rest[..name_len]);
        if field.is_some() {
            at += name_len + 1;
            while chars.peek().is_some_and(|&(i, _)| i < at) {
                chars.next();
            }
        }
        let (kind, body, end) = match text[at..].chars().next() {
            Some('"') => {
                let inside = at + 1;
                match find_unescaped(&text[inside..], &['"']) {
                    Some(close) => (
                        Kind::Phrase { closed: true },
                        &text[inside..inside + close],
                        inside + close + 1,
                    ),
                    None => (Kind::Phrase { closed: false }, &text[inside..], text.len()),
                }
            }
            Some('[' | '{') => {
                let inside = at + 1;
                match find_unescaped(&text[inside..], &[']', '}']) {
                    Some(close) => (
                        Kind::Range { closed: true },
                        &text[inside..inside + close],
                        inside + close + 1,
                    ),
                    None => (Kind::Range { closed: false }, &text[inside..], text.len()),
                }
            }
            _ => {
                let len = word_len(&text[at..]);
                let body = &text[at..at + len];
                let operator = sign.is_none()
                    && field.is_none()
                    && matches!(body, "AND" | "OR" | "NOT" | "&&" | "||");
                let kind = if operator { Kind::Operator } else { Kind::Word };
                (kind, body, at + len)
            }
        };
        while chars.peek().is_some_and(|&(i, _)| i < end) {
            chars.next();
        }
        tokens.push(Token {
            kind,
            span: start..end,
            position: position_of(start),
            sign,
            field,
            body,
        });
    }
    tokens
}

/// Bytes up to the end of a word: whitespace, a bracket or a quote ends it; `\` escapes.
fn word_len(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '[' | ']' | '{' | '}') {
            return i;
        }
    }
    text.len()
}

/// The byte offset of the first of `ends` not escaped by `\`.
fn find_unescaped(text: &str, ends: &[char]) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if ends.contains(&c) {
            return Some(i);
        }
    }
    None
}

/// The words a person would read in a token: letters and digits, split at anything else.
pub fn words_in(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
}

/// `text` with each range replaced; the ranges are in order and do not overlap.
pub fn splice(text: &str, changes: Vec<(std::ops::Range<usize>, String)>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, Option<char>, Option<&str>, &str)> {
        tokens(text)
            .into_iter()
            .map(|t| (t.kind, t.sign, t.field, t.body))
            .collect()
    }

    #[test]
    fn words_signs_fields_phrases_and_ranges_are_told_apart() {
        assert_eq!(
            kinds(r#"health +workers -ghana title:bond "brain drain" year:[2000 TO 2010]"#),
            vec![
                (Kind::Word, None, None, "health"),
                (Kind::Word, Some('+'), None, "workers"),
                (Kind::Word, Some('-'), None, "ghana"),
                (Kind::Word, None, Some("title"), "bond"),
                (Kind::Phrase { closed: true }, None, None, "brain drain"),
                (
                    Kind::Range { closed: true },
                    None,
                    Some("year"),
                    "2000 TO 2010"
                ),
            ]
        );
    }

    #[test]
    fn operators_and_brackets_are_tokens_of_their_own() {
        assert_eq!(
            kinds("(a OR b) AND c]"),
            vec![
                (Kind::Open, None, None, "("),
                (Kind::Word, None, None, "a"),
                (Kind::Operator, None, None, "OR"),
                (Kind::Word, None, None, "b"),
                (Kind::Close, None, None, ")"),
                (Kind::Operator, None, None, "AND"),
                (Kind::Word, None, None, "c"),
                (Kind::Close, None, None, "]"),
            ]
        );
    }

    #[test]
    fn unclosed_phrase_runs_to_the_end_and_says_so() {
        let found = tokens("a \"b c");
        assert_eq!(found[1].kind, Kind::Phrase { closed: false });
        assert_eq!(found[1].body, "b c");
        assert_eq!(found[1].position, 3);
    }

    #[test]
    fn an_address_is_one_word_not_a_field() {
        let found = tokens("see https://example.org/x?a=1");
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].field, None);
        assert_eq!(found[1].body, "https://example.org/x?a=1");
        assert!(!found[1].is_bare_word());
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let found = tokens("côte (x");
        assert_eq!(found[1].position, 6);
    }

    #[test]
    fn words_in_splits_at_punctuation_and_keeps_apostrophes() {
        assert_eq!(
            words_in("www.worldbank.org/d'ivoire").collect::<Vec<_>>(),
            vec!["www", "worldbank", "org", "d'ivoire"]
        );
    }
}
