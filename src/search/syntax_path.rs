//! Queries with operators, brackets or broken syntax: each bare word is corrected, then
//! Tantivy's parser reads the query as written. The result becomes a [`super::Prepared`].

use std::ops::Range;

use tantivy::Searcher;
use tantivy::query::Query;

use super::correction::{Corrector, MAX_CORRECTED, Verdict};
use super::filters::{Filters, with_filters};
use super::lexer::{self, Token};
use super::notes::{Note, NoteKind, no_record_contains, shorten};
use super::parsing::{self, ParsedQuery};
use super::ranking::count_up_to;
use super::{Matching, Options};
use crate::error::Error;
use crate::storage::Opened;

/// Spans of the query text, each with what replaces it.
type Replacements = Vec<(Range<usize>, String)>;

/// Queries with operators, brackets or broken syntax: Tantivy's parser reads them as
/// written (every word required), after each bare word is corrected.
pub(super) fn syntax_path(
    opened: &Opened,
    searcher: &Searcher,
    mut corrector: Corrector,
    cleaned: &parsing::Cleaned,
    tokens: &[Token],
    filters: &Filters,
    options: &Options,
) -> Result<ParsedQuery, Error> {
    let mut notes = Vec::new();
    let (changes, unmatched) = if options.matching == Matching::Exact {
        (Vec::new(), Vec::new())
    } else {
        correct_bare_words(&mut corrector, tokens, options.matching, &mut notes)?
    };
    let mut text = lexer::splice(&cleaned.text, changes.clone());
    let read = |text: &str| {
        parsing::read(
            opened,
            text,
            &cleaned.notes,
            cleaned.syntax_named,
            options.strict,
        )
    };
    let matches_none = |query: &dyn Query| -> Result<bool, Error> {
        let query = with_filters(query.box_clone(), filters.query(&opened.fields, None));
        Ok(count_up_to(searcher, &*query, 1)? == 0)
    };
    if !unmatched.is_empty() && matches_none(&*read(&text)?.query)? {
        // Words that no record contains in any form would empty the results: drop them,
        // unless no other word is left.
        let mut all: Replacements = changes;
        all.extend(unmatched.iter().map(|r| (r.clone(), String::new())));
        all.sort_by_key(|(r, _)| r.start);
        let kept = lexer::splice(&cleaned.text, all);
        let dropped = !kept.trim().is_empty();
        let names: Vec<String> = unmatched
            .iter()
            .map(|r| cleaned.text[r.clone()].to_string())
            .collect();
        notes.extend(no_record_contains(&names, dropped));
        if dropped {
            text = kept;
        }
    }
    let mut parsed = read(&text)?;
    if parsed.notes.iter().any(parsing::is_ignored) && matches_none(&*parsed.query)? {
        // What could be read of a broken query matches nothing: search its plain words.
        let words = parsing::plain_words(&text);
        if !words.is_empty() && words != text.trim() {
            let fallback = parsing::read(opened, &words, &[], false, false)?;
            if fallback.notes.is_empty() {
                parsed.notes.push(Note::new(
                    NoteKind::Relaxed,
                    format!("searching the plain words instead: {}", shorten(&words)),
                ));
                parsed.query = fallback.query;
            }
        }
    }
    notes.extend(parsed.notes);
    parsed.notes = notes;
    Ok(parsed)
}

/// A correction for each bare word that needs one (the word's span and what replaces it),
/// and the spans of words no record holds in any form; notes name each correction.
fn correct_bare_words(
    corrector: &mut Corrector,
    tokens: &[Token],
    matching: Matching,
    notes: &mut Vec<Note>,
) -> Result<(Replacements, Vec<Range<usize>>), Error> {
    let mut changes = Vec::new();
    let mut unmatched = Vec::new();
    let mut decided: Vec<(&str, Option<String>)> = Vec::new();
    for token in tokens.iter().filter(|t| t.is_bare_word()) {
        let replacement = match decided.iter().find(|(w, _)| *w == token.body) {
            Some((_, r)) => r.clone(),
            None if decided.len() >= MAX_CORRECTED => None,
            None => {
                let fuzzy = matching == Matching::Fuzzy;
                let replacement = match corrector.judge(token.body, fuzzy)? {
                    Verdict::Known => None,
                    Verdict::Unknown => {
                        unmatched.push(token.span.clone());
                        None
                    }
                    Verdict::Corrected(better) => {
                        notes.push(Note::new(
                            NoteKind::Corrected,
                            format!(
                                "no exact match for \"{}\"; showing results for \"{}\"",
                                shorten(token.body),
                                shorten(&better)
                            ),
                        ));
                        Some(better)
                    }
                    Verdict::AlsoClose(close) => {
                        notes.push(Note::new(
                            NoteKind::Corrected,
                            format!(
                                "fuzzy: \"{}\" also matches {}",
                                shorten(token.body),
                                close
                                    .iter()
                                    .map(|w| format!("\"{}\"", shorten(w)))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        Some(format!("({} OR {})", token.body, close.join(" OR ")))
                    }
                };
                decided.push((token.body, replacement.clone()));
                replacement
            }
        };
        if let Some(replacement) = replacement {
            changes.push((token.span.clone(), replacement));
        }
    }

    Ok((changes, unmatched))
}
