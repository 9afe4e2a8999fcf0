//! Snippets: about 160 characters of the record's prose (summary, description, results,
//! lessons) around the matched words. Never the keyword list, which reads as word salad.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use crate::error::Error;
use crate::index::Fields;
use crate::record::Record;

/// About 160 characters of the best-matching text, with the matched words marked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// Snippets are about this long, cut at word boundaries.
pub const SNIPPET_CHARS: usize = 160;

/// The text of a record that one index field was made from.
type RecordText = fn(&Record) -> String;

/// Snippet generators for the prose fields, most telling first, each with the record text
/// the field was indexed from (the index stores only the record).
pub struct Snippets {
    generators: Vec<(SnippetGenerator, RecordText)>,
}

/// The record's long texts, as the `text` field indexed them.
fn long_texts(record: &Record) -> String {
    [&record.description, &record.results, &record.lessons]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Snippets, Error> {
        let sources: [(Field, RecordText); 2] = [
            (fields.summary, |r| r.summary.clone()),
            (fields.text, long_texts),
        ];
        let generators = sources
            .into_iter()
            .map(|(field, text)| {
                let mut generator = SnippetGenerator::create(searcher, query, field)?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                Ok((generator, text))
            })
            .collect::<Result<_, Error>>()?;
        Ok(Snippets { generators })
    }

    /// The snippet with the most matched words; the summary wins a tie. A record whose
    /// prose holds none of the words gets the start of its summary.
    pub fn best(&self, record: &Record) -> Option<Snippet> {
        let mut best: Option<tantivy::snippet::Snippet> = None;
        for (generator, text) in &self.generators {
            let snippet = generator.snippet(text(record).trim());
            let count = snippet.highlighted().len();
            if count > 0 && best.as_ref().is_none_or(|b| count > b.highlighted().len()) {
                best = Some(snippet);
            }
        }
        match best {
            Some(s) => Some(Snippet {
                text: s.fragment().to_string(),
                highlights: s.highlighted().to_vec(),
            }),
            None => opening(&record.summary),
        }
    }
}

/// The first [`SNIPPET_CHARS`] characters of a text, cut at a word boundary.
fn opening(text: &str) -> Option<Snippet> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let end = text
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let cut = if end < text.len() {
        text[..end].rfind(' ').unwrap_or(end)
    } else {
        end
    };
    Some(Snippet {
        text: text[..cut].to_string(),
        highlights: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_cuts_a_long_summary_at_a_word_boundary() {
        let long = "word ".repeat(60);
        let snippet = opening(&long).unwrap();
        assert!(snippet.text.chars().count() <= SNIPPET_CHARS);
        assert!(snippet.text.ends_with("word"));
        assert_eq!(opening("  "), None);
    }
}
