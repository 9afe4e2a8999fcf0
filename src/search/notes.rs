//! What the pipeline tells the user about their query: one line each, typed so that a web
//! page or a script can tell a correction from a part that was ignored.

use serde::Serialize;

use super::lexer::QUERY_FIELDS;
use crate::error::Error;

/// Why a note was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// Part of the query could not be read as written and was left out or read as words.
    Ignored,
    /// A word was replaced by (or also matches) a close spelling.
    Corrected,
    /// No record holds every word: records holding most of them are shown.
    Relaxed,
    /// Words that no record holds, searched without.
    Dropped,
    /// Synonyms from `data/synonyms.toml` were searched too.
    Expanded,
    /// The pointer to `--strict` after notes about ignored input.
    Strict,
    /// Something the user should fix outside the query (a broken synonyms file).
    Warning,
}

impl NoteKind {
    /// True when part of the query was not searched as typed, or something needs fixing;
    /// the other notes say what the engine did.
    pub fn is_warning(self) -> bool {
        matches!(self, NoteKind::Ignored | NoteKind::Warning)
    }
}

/// One line for the user about their query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub text: String,
}

impl Note {
    pub fn new(kind: NoteKind, text: impl Into<String>) -> Note {
        Note {
            kind,
            text: text.into(),
        }
    }

    /// A part of the query that was not read as written.
    pub fn ignored(what: impl AsRef<str>) -> Note {
        Note::new(NoteKind::Ignored, format!("{IGNORED}{}", what.as_ref()))
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// How every note about a part of the query that was not read as written begins.
pub const IGNORED: &str = "ignored part of the query: ";

/// The note that closes the notes about a broken query.
pub const STRICT_NOTE: &str = "(use --strict to make a broken query an error)";

/// How much of one name (a field, a colour code, a word) a note echoes.
pub const NAME_CHARS: usize = 30;

/// At most 80 characters of the user's text, for echoing it in a note or an error.
pub fn shorten(text: &str) -> String {
    shorten_to(text, 80)
}

pub fn shorten_to(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}...", &text[..cut]),
    }
}

/// Up to three items as `` `a`, `b`, `c` ``, then how many more there are.
pub fn listed(items: &[String]) -> String {
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

/// Adds the pointer to `--strict` after notes that say part of the query was ignored, and
/// drops repeated notes.
pub fn finish(notes: &mut Vec<Note>) {
    notes.retain(|n| n.kind != NoteKind::Strict);
    let mut seen = std::collections::HashSet::new();
    notes.retain(|n| seen.insert(n.text.clone()));
    if let Some(last) = notes.iter().rposition(|n| n.kind == NoteKind::Ignored) {
        notes.insert(last + 1, Note::new(NoteKind::Strict, STRICT_NOTE));
    }
}

/// The `--strict` error for a query that cannot be read as written.
pub fn invalid(text: &str, why: &str, hint: String) -> Error {
    Error::Query {
        message: format!("invalid query `{}`: {why}", shorten(text.trim_end())),
        hint,
    }
}

pub fn query_hint() -> String {
    format!(
        "words are ANDed; use \"quoted phrases\", -excluded, +required and field:term with fields {}",
        QUERY_FIELDS.join(", ")
    )
}

/// The notes for words that no record contains; `dropped` when the query is searched
/// without them (something else is left).
pub fn no_record_contains(words: &[String], dropped: bool) -> Vec<Note> {
    const SHOWN: usize = 3;
    let mut distinct: Vec<&str> = Vec::new();
    for word in words {
        if !distinct.contains(&word.as_str()) {
            distinct.push(word);
        }
    }
    let without = match (dropped, distinct.len().min(SHOWN + 1)) {
        (false, _) => "",
        (true, 1) => "; searching without it",
        (true, _) => "; searching without them",
    };
    if distinct.len() <= SHOWN {
        let without = if dropped {
            "; searching without it"
        } else {
            ""
        };
        return distinct
            .iter()
            .map(|w| {
                Note::new(
                    NoteKind::Dropped,
                    format!("no record contains \"{}\"{without}", shorten(w)),
                )
            })
            .collect();
    }
    let shown: Vec<String> = distinct[..SHOWN]
        .iter()
        .map(|w| format!("\"{}\"", shorten_to(w, NAME_CHARS)))
        .collect();
    vec![Note::new(
        NoteKind::Dropped,
        format!(
            "no record contains {} or {} other words{without}",
            shown.join(", "),
            distinct.len() - SHOWN
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_pointer_follows_the_last_ignored_note_once() {
        let mut notes = vec![
            Note::ignored("a"),
            Note::ignored("b"),
            Note::new(NoteKind::Corrected, "c"),
            Note::ignored("a"),
        ];
        finish(&mut notes);
        let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "ignored part of the query: a",
                "ignored part of the query: b",
                STRICT_NOTE,
                "c"
            ]
        );
    }

    #[test]
    fn shorten_cuts_at_characters_and_marks_the_cut() {
        assert_eq!(shorten_to("ééééé", 3), "ééé...");
        assert_eq!(shorten_to("abc", 3), "abc");
    }

    #[test]
    fn no_record_contains_names_up_to_three_words_then_counts_the_rest() {
        let words: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        let notes = no_record_contains(&words, true);
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0].text,
            "no record contains \"a\", \"b\", \"c\" or 1 other words; searching without them"
        );
        let notes = no_record_contains(&words[..1], false);
        assert_eq!(notes[0].text, "no record contains \"a\"");
    }
}
