//! The query pipeline: clean, tokenize, correct each word, expand with synonyms, and relax
//! when no record holds every word. The result, [`Prepared`], is what every command runs.

use tantivy::Searcher;
use tantivy::query::{EmptyQuery, Query};

use super::correction::{Corrector, MAX_CORRECTED, Verdict};
use super::filters::{Dimension, Filters, with_filters};
use super::lexer::{self, Kind, Token};
use super::nationalities;
use super::notes::{self, Note, NoteKind, no_record_contains, shorten};
use super::parsing::{self, ParsedQuery};
use super::ranking::{self, Variant, Via, Word, count_up_to};
use super::remembered::Remembered;
use super::synonyms::Thesaurus;
use super::syntax_path::syntax_path;
use super::{Matching, Options};
use crate::error::Error;
use crate::index::Fields;
use crate::storage::Opened;

/// A query ready to run, with what was done to it.
pub struct Prepared {
    fields: Fields,
    text_query: Remembered,
    filters: Filters,
    ranks: bool,
    relaxed: bool,
    notes: Vec<Note>,
    words: Vec<Word>,
}

impl Prepared {
    /// The text query and the filters, leaving out one filter dimension (for facets).
    pub fn query(&self, without: Option<Dimension>) -> Box<dyn Query> {
        with_filters(
            Box::new(self.text_query.clone()),
            self.filters.query(&self.fields, without),
        )
    }

    /// The text query alone: what snippets highlight.
    pub fn text_query(&self) -> &dyn Query {
        self.text_query.inner()
    }

    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// False when there are no words to rank by: results come in catalogue order.
    pub fn ranks(&self) -> bool {
        self.ranks
    }

    /// True when no record held every word and records are ranked by how many they hold.
    pub fn relaxed(&self) -> bool {
        self.relaxed
    }

    /// The query's words with their corrections and synonyms (empty for queries with
    /// operators or brackets, which Tantivy's parser reads as written).
    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// The checked filters (facet counts leave out those in force one at a time).
    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }
}

/// A question whose words all appear in fewer records than this also lists the records
/// holding most of its words, after those: a first screen of answers.
const FEW_FOR_A_QUESTION: usize = 5;

/// Prepares a query for the filters.
pub fn prepare(
    opened: &Opened,
    text: &str,
    filters: &Filters,
    options: &Options,
) -> Result<Prepared, Error> {
    let searcher = opened.reader.searcher();
    let mut corrector = Corrector::new(opened, &searcher);
    let cleaned = parsing::clean(text, options.strict, &mut |w| corrector.holds(w))?;
    let tokens = lexer::tokens(&cleaned.text);
    let mut prepared = if !cleaned.syntax_named && is_plain(&tokens) {
        words_path(
            opened, &searcher, corrector, &cleaned, &tokens, filters, options,
        )?
    } else {
        let parsed = syntax_path(
            opened, &searcher, corrector, &cleaned, &tokens, filters, options,
        )?;
        Prepared {
            fields: opened.fields,
            text_query: Remembered::new(parsed.query),
            filters: filters.clone(),
            ranks: parsed.ranks,
            relaxed: false,
            notes: parsed.notes,
            words: vec![],
        }
    };
    notes::finish(&mut prepared.notes);
    Ok(prepared)
}

/// The text query of a query without filters: for checks that the query path never fails.
pub fn parse(opened: &Opened, text: &str, strict: bool) -> Result<ParsedQuery, Error> {
    let options = Options {
        strict,
        ..Options::default()
    };
    let prepared = prepare(opened, text, &Filters::default(), &options)?;
    Ok(ParsedQuery {
        ranks: prepared.ranks,
        notes: prepared.notes,
        query: prepared.text_query.inner().box_clone(),
    })
}

/// Characters that make a word explicit syntax (wildcards, boosts, escapes).
const WORD_SYNTAX: [char; 4] = ['*', '^', '\\', '~'];

/// A word the relaxed path reads as words: no sign, field or syntax characters.
fn is_loose_word(token: &Token) -> bool {
    token.kind == Kind::Word
        && token.sign.is_none()
        && token.field.is_none()
        && !token.body.contains(WORD_SYNTAX)
        && lexer::words_in(token.body).next().is_some()
}

/// True when the query holds loose words and no operators or brackets: its words can be
/// relaxed, its signed, scoped and quoted parts stay exact.
fn is_plain(tokens: &[Token]) -> bool {
    tokens.iter().any(is_loose_word)
        && tokens.iter().all(|t| match t.kind {
            Kind::Word => true,
            Kind::Phrase { closed } | Kind::Range { closed } => closed,
            Kind::Operator | Kind::Open | Kind::Close => false,
        })
}

/// Loose words ranked by coverage, corrected and expanded; the explicit parts must hold.
fn words_path(
    opened: &Opened,
    searcher: &Searcher,
    mut corrector: Corrector,
    cleaned: &parsing::Cleaned,
    tokens: &[Token],
    filters: &Filters,
    options: &Options,
) -> Result<Prepared, Error> {
    let fields = opened.fields;
    let mut words = loose_words(&mut corrector, tokens);
    let mut notes = correct(&mut corrector, &mut words, options.matching)?;
    let expanded = expand(&mut corrector, &mut words, &options.thesaurus);
    let records = searcher.num_docs();
    for word in words.iter_mut().filter(|w| w.meaningful()) {
        let own = word.variants.iter().find(|v| v.via != Via::Synonym);
        if let Some(own) = own {
            word.information = ranking::information(corrector.holding(&own.terms)?, records);
        }
    }
    let mut parse_notes = cleaned.notes.clone();
    let explicit = explicit_parts(opened, cleaned, tokens, options.strict, &mut parse_notes)?;
    let missing: Vec<String> = words
        .iter()
        .filter(|w| w.missing && !w.stop)
        .map(|w| w.typed.clone())
        .collect();
    let left = words.iter().any(Word::meaningful) || explicit.is_some();
    notes.extend(no_record_contains(&missing, left));
    let every_of = |words: &[Word]| {
        ranking::words_query(
            &fields,
            words,
            explicit.as_ref().map(|q| q.box_clone()),
            true,
        )
    };
    let every = every_of(&words);
    let meaningful: Vec<&str> = words
        .iter()
        .filter(|w| w.meaningful())
        .map(Word::searched)
        .collect();
    let mut relaxed = false;
    let text_query: Box<dyn Query> = if !left {
        Box::new(EmptyQuery)
    } else if meaningful.len() < 2 {
        every
    } else {
        // A question (it has function words) wants an answer even when a record or two
        // happen to hold every word: records holding most of them follow.
        let question = words.iter().any(|w| w.stop);
        let few = if question { FEW_FOR_A_QUESTION } else { 1 };
        // Synonyms only add records: when enough records hold every word in its own form,
        // that settles it without evaluating the synonyms' phrases.
        let count = |words: &[Word]| {
            let query = with_filters(every_of(words), filters.query(&fields, None));
            count_up_to(searcher, &*query, few)
        };
        let mut holding_every = count(&ranking::own_forms(&words))?;
        if holding_every < few {
            holding_every = count(&words)?;
        }
        if holding_every >= few {
            every
        } else {
            relaxed = true;
            notes.push(relaxed_note(holding_every, &meaningful));
            ranking::words_query(&fields, &words, explicit, false)
        }
    };
    notes.extend(parse_notes);
    notes.extend(expanded);
    Ok(Prepared {
        fields,
        text_query: Remembered::new(crate::exclusion::guard(text_query)),
        filters: filters.clone(),
        ranks: true,
        relaxed,
        notes,
        words,
    })
}

/// The query's loose words as typed, each with its own stems; stop words marked, unless
/// the query has nothing else (a query of only common words searches them).
fn loose_words(corrector: &mut Corrector, tokens: &[Token]) -> Vec<Word> {
    let mut words: Vec<Word> = tokens
        .iter()
        .filter(|t| is_loose_word(t))
        .map(|t| {
            let typed = lexer::words_in(t.body).collect::<Vec<_>>().join(" ");
            let terms = corrector.stems(&typed).into_iter().enumerate().collect();
            Word {
                stop: crate::text::is_stop_word(&typed),
                missing: false,
                information: 1.0,
                variants: vec![Variant {
                    text: typed.clone(),
                    via: Via::Exact,
                    terms,
                }],
                typed,
            }
        })
        .collect();
    if words.iter().all(|w| w.stop) {
        words.iter_mut().for_each(|w| w.stop = false);
    }
    words
}

/// The explicit parts of a query (signed, scoped and quoted), read exactly as written and
/// required; `None` when there are none. A query that only excludes lists everything else.
fn explicit_parts(
    opened: &Opened,
    cleaned: &parsing::Cleaned,
    tokens: &[Token],
    strict: bool,
    notes: &mut Vec<Note>,
) -> Result<Option<Box<dyn Query>>, Error> {
    let explicit: Vec<&Token> = tokens.iter().filter(|t| !is_loose_word(t)).collect();
    if explicit.is_empty() {
        return Ok(None);
    }
    let text = explicit
        .iter()
        .map(|t| &cleaned.text[t.span.clone()])
        .collect::<Vec<_>>()
        .join(" ");
    let text = if explicit.iter().all(|t| t.sign == Some('-')) {
        format!("* {text}")
    } else {
        text
    };
    let parsed = parsing::read(opened, &text, &[], false, strict)?;
    notes.extend(parsed.notes);
    Ok(Some(parsed.query))
}

/// The one line that says a query was relaxed, and how many records held every word.
fn relaxed_note(holding_every: usize, meaningful: &[&str]) -> Note {
    let most = shorten(&meaningful.join(" "));
    Note::new(
        NoteKind::Relaxed,
        match holding_every {
            0 => format!("no record has every word; showing records that match most of: {most}"),
            1 => format!("only 1 record has every word; records that match most of: {most} follow"),
            n => format!(
                "only {n} records have every word; records that match most of: {most} follow"
            ),
        },
    )
}

/// Corrects each word that needs it, marking words no record holds; returns the notes.
fn correct(
    corrector: &mut Corrector,
    words: &mut [Word],
    matching: Matching,
) -> Result<Vec<Note>, Error> {
    let mut notes = Vec::new();
    let mut judged = 0;
    if matching == Matching::Exact {
        return Ok(notes);
    }
    for i in 0..words.len() {
        let word = &words[i];
        if word.stop || word.typed.contains(' ') {
            continue;
        }
        // The same word twice in a query is judged once.
        let earlier = words[..i].iter().position(|w| w.typed == word.typed);
        if let Some(earlier) = earlier {
            words[i] = words[earlier].clone();
            continue;
        }
        if judged >= MAX_CORRECTED {
            continue;
        }
        judged += 1;
        let typed = word.typed.clone();
        match corrector.judge(&typed, matching == Matching::Fuzzy)? {
            Verdict::Known => {}
            Verdict::Unknown => words[i].missing = true,
            Verdict::Corrected(better) => {
                notes.push(Note::new(
                    NoteKind::Corrected,
                    format!(
                        "no exact match for \"{}\"; showing results for \"{}\"",
                        shorten(&typed),
                        shorten(&better)
                    ),
                ));
                let terms = corrector.stems(&better).into_iter().enumerate().collect();
                words[i].variants = vec![Variant {
                    text: better,
                    via: Via::Corrected,
                    terms,
                }];
            }
            Verdict::AlsoClose(close) => {
                notes.push(Note::new(
                    NoteKind::Corrected,
                    format!(
                        "fuzzy: \"{}\" also matches {}",
                        shorten(&typed),
                        close
                            .iter()
                            .map(|w| format!("\"{}\"", shorten(w)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                for other in close {
                    let terms = corrector.stems(&other).into_iter().enumerate().collect();
                    words[i].variants.push(Variant {
                        text: other,
                        via: Via::Corrected,
                        terms,
                    });
                }
            }
        }
    }
    Ok(notes)
}

/// Adds the thesaurus's expansions to the words they match (a multi-word term matches the
/// same words in a row, stop words aside), and a nationality's country to the adjective;
/// returns the note naming them.
fn expand(corrector: &mut Corrector, words: &mut [Word], thesaurus: &Thesaurus) -> Vec<Note> {
    // The tokens of the words that rank, with their places in `words`.
    let ranked: Vec<(usize, Vec<ThesaurusWord>)> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.stop)
        .map(|(i, w)| {
            let own = w.variants.iter().find(|v| v.via != Via::Synonym);
            (
                i,
                own.map(|v| tokens_of(&v.text, &v.terms))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let tokens: Vec<ThesaurusWord> = ranked.iter().flat_map(|(_, t)| t.clone()).collect();
    let owner: Vec<usize> = ranked
        .iter()
        .flat_map(|(i, t)| std::iter::repeat_n(*i, t.len()))
        .collect();
    let mut found: Vec<String> = Vec::new();
    for (term, also) in thesaurus.expansions() {
        // Stop words between the words of a term are skipped, as in the query; inside a
        // hyphenated word (out-migration) they are part of it.
        let wanted: Vec<ThesaurusWord> = term
            .split_whitespace()
            .filter(|w| !crate::text::is_stop_word(w))
            .flat_map(|w| {
                let stems: Vec<(usize, String)> =
                    corrector.stems(w).into_iter().enumerate().collect();
                tokens_of(w, &stems)
            })
            .collect();
        if wanted.is_empty() || wanted.len() > tokens.len() {
            continue;
        }
        for start in 0..=tokens.len() - wanted.len() {
            let window = &tokens[start..start + wanted.len()];
            if !window.iter().zip(&wanted).all(|(a, b)| same_word(a, b)) {
                continue;
            }
            let mut targets: Vec<usize> = owner[start..start + wanted.len()].to_vec();
            targets.dedup();
            for other in also {
                let terms: Vec<(usize, String)> =
                    corrector.stems(other).into_iter().enumerate().collect();
                for &target in &targets {
                    let word = &mut words[target];
                    if word.finds_already(&terms) {
                        continue;
                    }
                    word.missing = false;
                    word.variants.push(Variant {
                        text: other.clone(),
                        via: Via::Synonym,
                        terms: terms.clone(),
                    });
                }
            }
            let line = format!("{term} → {}", also.join(", "));
            if !found.contains(&line) {
                found.push(line);
            }
        }
    }
    for word in words
        .iter_mut()
        .filter(|w| !w.stop && !w.typed.contains(' '))
    {
        let Some(country) = nationalities::country_of(&word.typed) else {
            continue;
        };
        let terms: Vec<(usize, String)> =
            corrector.stems(country).into_iter().enumerate().collect();
        if word.finds_already(&terms) {
            continue;
        }
        word.missing = false;
        word.variants.push(Variant {
            text: country.to_string(),
            via: Via::Synonym,
            terms,
        });
        found.push(format!("{} → {country}", word.typed));
    }
    if found.is_empty() {
        return vec![];
    }
    vec![Note::new(
        NoteKind::Expanded,
        format!("synonyms searched too: {}", shorten_list(&found)),
    )]
}

/// A word as the thesaurus compares it: its index term and its folded form.
type ThesaurusWord = (String, String);

/// The tokens of a text whose index terms are `terms`.
fn tokens_of(text: &str, terms: &[(usize, String)]) -> Vec<ThesaurusWord> {
    let words: Vec<&str> = lexer::words_in(text).collect();
    terms
        .iter()
        .enumerate()
        .map(|(i, (_, term))| {
            let word = match words.get(i) {
                Some(w) if words.len() == terms.len() => crate::text::fold(w),
                _ => term.clone(),
            };
            (term.clone(), word)
        })
        .collect()
}

/// Two words are the same for the thesaurus when they share an index term and their
/// written forms differ by no more than an ending (remittance, remittances; crisis,
/// crises), so that stemming's coincidences (government, governance) do not count.
fn same_word(a: &ThesaurusWord, b: &ThesaurusWord) -> bool {
    let light = |w: &str| {
        w.strip_suffix("es")
            .or_else(|| w.strip_suffix('s'))
            .unwrap_or(w)
            .to_string()
    };
    let (x, y) = (light(&a.1), light(&b.1));
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    a.0 == b.0 && long.starts_with(short.as_str()) && long.len() - short.len() <= 3
}

/// `a; b; c` cut to about two lines of a terminal.
fn shorten_list(items: &[String]) -> String {
    notes::shorten_to(&items.join("; "), 160)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(term: &str, word: &str) -> ThesaurusWord {
        (term.to_string(), word.to_string())
    }

    #[test]
    fn thesaurus_words_match_across_plural_endings_but_not_stemming_coincidences() {
        assert!(same_word(
            &token("remitt", "remittance"),
            &token("remitt", "remittances")
        ));
        assert!(same_word(
            &token("crisi", "crisis"),
            &token("crisi", "crises")
        ));
        assert!(!same_word(
            &token("govern", "government"),
            &token("govern", "governance")
        ));
    }
}
