//! Advice on records that are valid: what `validate` warns about but the index accepts.
//! A source's `url` on a document-sharing site, which analysts cannot cite as the
//! publisher; and the record format's sizes: 3 to 8 keywords, a summary of 1 to 3
//! sentences.

use std::fs;

use crate::catalogue::Entry;
use crate::problem::Problem;
use crate::provenance;
use crate::record::{Key, SourceKey};

use super::record::{At, span_of};

/// Keywords a record lists, when it lists any: fewer add little, more dilute its ranking.
const KEYWORDS: std::ops::RangeInclusive<usize> = 3..=8;
/// Sentences in a summary: the table and `show` give it a few lines.
const SUMMARY_SENTENCES: std::ops::RangeInclusive<usize> = 1..=3;

/// Warnings for one valid record, placed at their line and column when the file can still
/// be read.
pub fn advise(entry: &Entry) -> Vec<Problem> {
    let mut found = sizes(entry);
    found.extend(copies(entry));
    found
}

/// The record format's sizes: keywords and summary sentences.
fn sizes(entry: &Entry) -> Vec<Problem> {
    let record = &entry.record;
    let keywords = record.keywords.len();
    let sentences = sentences(&record.summary);
    let mut found = Vec::new();
    if keywords > 0 && !KEYWORDS.contains(&keywords) {
        found.push((
            At::Key(Key::Keywords),
            format!("{keywords} keywords; the record format asks for 3 to 8"),
            "keep the search terms that the title and summary do not already hold",
        ));
    }
    if !SUMMARY_SENTENCES.contains(&sentences) {
        found.push((
            At::Key(Key::Summary),
            format!("the summary has {sentences} sentences; the record format asks for 1 to 3"),
            "move the detail to `description`",
        ));
    }
    if found.is_empty() {
        return Vec::new();
    }
    let text = fs::read_to_string(&entry.path).unwrap_or_default();
    found
        .into_iter()
        .map(|(at, message, hint)| {
            Problem::at(
                &entry.path,
                &text,
                span_of(&text, at),
                message,
                Some(hint.into()),
            )
            .as_warning()
        })
        .collect()
}

/// Sentences in a text: runs ending in `.`, `!` or `?` followed by the end or by a space
/// and a capital letter (so `No. 104` and `2.5` end nothing).
fn sentences(text: &str) -> usize {
    let text = text.trim();
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &chars[i + 1..];
        let ends = rest.is_empty()
            || (rest[0].is_whitespace()
                && rest
                    .iter()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| c.is_uppercase()));
        if ends {
            count += 1;
        }
    }
    if !text.is_empty() && !text.ends_with(['.', '!', '?']) {
        count += 1;
    }
    count
}

/// Sources whose `url` is a copy on a document-sharing site.
fn copies(entry: &Entry) -> Vec<Problem> {
    let copies: Vec<(usize, &str, &str)> = entry
        .record
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, source)| {
            let url = source.url.as_deref()?;
            Some((i, url, provenance::sharing_host(url)?))
        })
        .collect();
    if copies.is_empty() {
        return Vec::new();
    }
    let text = fs::read_to_string(&entry.path).unwrap_or_default();
    copies
        .into_iter()
        .map(|(i, url, host)| {
            let span = span_of(&text, At::SourceKey(i, SourceKey::Url));
            Problem::at(
                &entry.path,
                &text,
                span,
                format!("source {} url is a copy on {host}: {url}", i + 1),
                Some(
                    "put the publisher's own address in `url` and this copy in `via`; keep the \
                     copy as `url` only when no original can be found"
                        .into(),
                ),
            )
            .as_warning()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_a_stop_before_a_space_or_the_end() {
        assert_eq!(sentences("One. Two! Three?"), 3);
        assert_eq!(sentences("Costs fell 2.5 per cent. Then rose"), 2);
        assert_eq!(sentences("Decree No. 104 gave plots."), 1);
        assert_eq!(sentences("No stop at all"), 1);
        assert_eq!(sentences(""), 0);
    }
}
