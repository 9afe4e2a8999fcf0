//! Cleaning what was pasted into a query: control characters (dropped without splitting the
//! word they sit in), terminal colour codes, and web addresses (read as their words).

use super::lexer::{self, Kind, splice};
use super::notes::{NAME_CHARS, Note, invalid, query_hint, shorten_to};
use crate::error::Error;

/// Parts of a web address that are not words anyone searches for.
const ADDRESS_NOISE: [&str; 14] = [
    "http", "https", "www", "com", "org", "net", "int", "gov", "edu", "html", "htm", "php", "aspx",
    "index",
];

/// True when a token reads as a web address (`https://...`, `www.x.org`, `x.org/page`).
fn is_address(word: &str) -> bool {
    if word.contains("://") || word.to_ascii_lowercase().starts_with("www.") {
        return true;
    }
    let host = word.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels.last().is_some_and(|tld| {
            (2..=4).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
        && labels[0].chars().any(|c| c.is_ascii_alphabetic())
}

/// Replaces each pasted web address by the words of it that some record holds (never
/// `https`, `www`, `org`...), with a note; with `strict` an address is an error.
pub fn read_addresses(
    text: &str,
    strict: bool,
    notes: &mut Vec<Note>,
    holds: &mut dyn FnMut(&str) -> Result<bool, Error>,
) -> Result<String, Error> {
    let tokens = lexer::tokens(text);
    let mut changes = Vec::new();
    for token in tokens.iter().filter(|t| t.kind == Kind::Word) {
        let whole = &text[token.span.clone()];
        if !is_address(whole) {
            continue;
        }
        if strict {
            return Err(invalid(
                text,
                &format!("a web address `{}`", shorten_to(whole, NAME_CHARS * 2)),
                query_hint(),
            ));
        }
        let mut words: Vec<&str> = Vec::new();
        for word in lexer::words_in(whole) {
            if !ADDRESS_NOISE.contains(&word.to_ascii_lowercase().as_str()) && holds(word)? {
                words.push(word);
            }
        }
        notes.push(Note::ignored(format!(
            "the web address `{}`, read as its words: {}",
            shorten_to(whole, NAME_CHARS * 2),
            if words.is_empty() {
                "none".to_string()
            } else {
                words.join(" ")
            }
        )));
        changes.push((token.span.clone(), words.join(" ")));
    }
    Ok(splice(text, changes))
}

/// Drops control characters: pasted terminal colour codes (escape, `[`, parameters, a final
/// letter, as in `ESC[31m`) are removed and returned (written with `\e` for escape); other
/// control characters are removed without splitting the word they sit in, except the ones
/// that separate words (tab, newline...), which become spaces. Also counts the removed ones.
pub fn drop_controls(text: &str) -> (String, Vec<String>, usize) {
    let mut cleaned = String::with_capacity(text.len());
    let mut codes: Vec<String> = Vec::new();
    let mut dropped = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = control_sequence_len(rest)
        {
            let code = format!("\\e{}", &rest[1..len]);
            if !codes.contains(&code) {
                codes.push(code);
            }
            rest = &rest[len..];
            continue;
        }
        if c.is_whitespace() {
            cleaned.push(' ');
        } else if c.is_control() {
            dropped += 1;
        } else {
            cleaned.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    (cleaned, codes, dropped)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_character_inside_a_word_is_dropped_without_splitting_it() {
        let (text, codes, dropped) = drop_controls("remit\u{1}tances\tprices");
        assert_eq!(text, "remittances prices");
        assert!(codes.is_empty());
        assert_eq!(dropped, 1);
    }

    #[test]
    fn colour_codes_are_named_once_each() {
        let (text, codes, _) = drop_controls("\u{1b}[1mx\u{1b}[0m \u{1b}[1my");
        assert_eq!(text, "x y");
        assert_eq!(codes, vec!["\\e[1m", "\\e[0m"]);
    }

    #[test]
    fn addresses_are_told_from_words_with_dots() {
        for address in [
            "https://remittanceprices.worldbank.org",
            "www.worldbank.org/remittances",
            "worldbank.org/en/topic",
            "iom.int",
        ] {
            assert!(is_address(address), "{address}");
        }
        for word in ["e.g.", "3.5", "U.S.", "remittances", "10:30"] {
            assert!(!is_address(word), "{word}");
        }
    }

    #[test]
    fn an_address_is_read_as_its_words_with_a_note() {
        let mut notes = vec![];
        let mut holds = |w: &str| Ok(w != "en");
        let text = read_addresses(
            "see www.worldbank.org/en/remittances",
            false,
            &mut notes,
            &mut holds,
        )
        .unwrap();
        assert_eq!(text, "see worldbank remittances");
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0]
                .text
                .contains("read as its words: worldbank remittances")
        );
        assert!(read_addresses("www.x.org", true, &mut vec![], &mut holds).is_err());
    }
}
