//! Queries over the index. A query is prepared once — cleaned, parsed leniently, corrected
//! word by word, expanded with synonyms, with notes saying what was done — and that
//! [`Prepared`] query is what `search`, `search --facets`, `facets` and `export` run.
//!
//! - [`lexer`]: the one tokenizer of query text.
//! - [`cleaning`]: control characters, colour codes and web addresses pasted into a query.
//! - [`parsing`]: naming broken syntax, Tantivy's parser for explicit syntax.
//! - [`correction`]: typo correction per word with a Levenshtein automaton.
//! - [`synonyms`]: the curated thesaurus, `data/synonyms.toml`; [`nationalities`]:
//!   `nigerian` also finds Nigeria.
//! - `remembered`: the matches of a query run several times unscored (page count, facets)
//!   are found once.
//! - [`ranking`]: coverage first, then BM25; relaxed matching for questions; `pairs`:
//!   phrases looked up through the index's adjacent-term pairs.
//! - [`filters`]: `--sector`, `--country`... as unscored clauses.
//! - [`snippets`], [`page`] (sorting, paging), [`explain`] (a hit's score taken apart, for
//!   `--explain` and the score shown), [`records`] (lookups by id);
//!   `then_by_id`: by relevance or start year, ties by id.

pub mod cleaning;
pub mod correction;
pub mod explain;
pub mod filters;
pub mod lexer;
pub mod nationalities;
pub mod notes;
pub mod page;
mod pairs;
pub mod parsing;
mod pipeline;
pub mod ranking;
pub mod records;
mod remembered;
pub mod snippets;
pub mod synonyms;
mod syntax_path;
mod then_by_id;

pub use explain::{Explanation, Match};
pub use filters::{Dimension, FilterArgs, Filters, with_filters};
pub use lexer::QUERY_FIELDS;
pub use notes::{Note, NoteKind};
pub use page::{Hit, Page, Results, Stream, fetch, stream};
pub use parsing::{ParsedQuery, plain_words};
pub use pipeline::{Prepared, parse, prepare};
pub use ranking::{Via, Word};
pub use records::{SectorCount, all_ids, by_id, closest_ids, sector_counts, similar};
pub use snippets::{SNIPPET_CHARS, Snippet, Snippets};
pub use synonyms::Thesaurus;

use crate::catalogue::Paths;
use crate::error::Error;
use crate::storage::Opened;

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

/// How query words are matched (`--match`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// Exact (stemmed) words; a word that matches nothing, or only through a much shorter
    /// stem, is corrected to the closest catalogue word.
    #[default]
    Auto,
    /// Every word of five letters or more also matches its close spellings.
    Fuzzy,
    /// Exact words only, never corrected.
    Exact,
}

/// How a query is prepared.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub matching: Matching,
    /// Refuse a query whose syntax is broken instead of searching what can be read.
    pub strict: bool,
    /// The curated synonyms; empty searches without.
    pub thesaurus: Thesaurus,
}

/// A search to run: the one-call form of [`prepare`] and [`fetch`].
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub text: String,
    pub filters: Filters,
    /// `None`: every match; `Some(0)`: count only.
    pub limit: Option<usize>,
    pub offset: usize,
    pub sort: Sort,
    pub matching: Matching,
    /// Refuse a query whose syntax is broken instead of searching what can be read.
    pub strict: bool,
    /// Compute a highlighted snippet for each hit.
    pub snippets: bool,
    /// Say for each hit which words matched in which fields, and the parts of its score.
    pub explain: bool,
}

impl Request {
    /// The preparation options, with the catalogue's synonyms. A broken synonyms file does
    /// not stop a search: it is searched without, and a warning names the problem.
    pub fn options(&self, paths: &Paths) -> (Options, Vec<Note>) {
        let (thesaurus, notes) = load_thesaurus(paths);
        let options = Options {
            matching: self.matching,
            strict: self.strict,
            thesaurus,
        };
        (options, notes)
    }

    pub fn page(&self) -> Page {
        Page {
            limit: self.limit,
            offset: self.offset,
            sort: self.sort,
            snippets: self.snippets,
            explain: self.explain,
            scores: false,
        }
    }
}

/// The catalogue's synonyms, or none with a warning when the file has problems.
pub fn load_thesaurus(paths: &Paths) -> (Thesaurus, Vec<Note>) {
    match Thesaurus::load(&synonyms::path_in(&paths.data)) {
        Ok(thesaurus) => (thesaurus, vec![]),
        Err(problems) => {
            let first = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            let note = Note::new(
                NoteKind::Warning,
                format!(
                    "warning: synonyms not used: {}",
                    first.lines().next().unwrap_or_default()
                ),
            );
            (Thesaurus::default(), vec![note])
        }
    }
}

/// Prepares the request's query and fetches its page of results.
pub fn run(opened: &Opened, paths: &Paths, request: &Request) -> Result<Results, Error> {
    let (options, warnings) = request.options(paths);
    let prepared = prepare(opened, &request.text, &request.filters, &options)?;
    let mut results = fetch(opened, paths, &prepared, &request.page())?;
    results.notes.splice(0..0, warnings);
    Ok(results)
}
