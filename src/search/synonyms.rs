//! The curated thesaurus, `data/synonyms.toml`: read at query time (editing it needs no
//! rebuild) and checked by `validate` with the file, line and column of each problem.
//!
//! ```toml
//! [[equivalent]]            # each term finds the others
//! terms = ["brain drain", "emigration of skilled workers"]
//!
//! [[broader]]               # one way: the term also finds the narrower ones
//! term = "health workers"
//! includes = ["nurses", "doctors", "midwives"]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::problem::Problem;

/// The file's name inside `data/`.
pub const FILE_NAME: &str = "synonyms.toml";

/// Where the thesaurus of a catalogue lives.
pub fn path_in(data: &Path) -> PathBuf {
    data.join(FILE_NAME)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    equivalent: Vec<Spanned<Equivalent>>,
    #[serde(default)]
    broader: Vec<Spanned<Broader>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Equivalent {
    terms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Broader {
    term: Spanned<String>,
    includes: Vec<Spanned<String>>,
}

/// The checked thesaurus: for each term, what else it finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thesaurus {
    /// Each term (as written in the file) with the terms it also finds.
    expansions: Vec<(String, Vec<String>)>,
}

const SHAPE_HINT: &str = "groups are [[equivalent]] with terms = [\"a\", \"b\"], or [[broader]] with term = \"a\" and includes = [\"b\", \"c\"]";

impl Thesaurus {
    /// Reads and checks the thesaurus; a missing file is an empty thesaurus.
    pub fn load(path: &Path) -> Result<Thesaurus, Vec<Problem>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Thesaurus::default());
            }
            Err(err) => {
                return Err(vec![Problem::file(
                    path,
                    format!("cannot read the synonyms: {err}"),
                    Some("check the file's permissions".into()),
                )]);
            }
        };
        Thesaurus::parse(path, &text)
    }

    /// Parses and checks the text of a thesaurus file.
    pub fn parse(path: &Path, text: &str) -> Result<Thesaurus, Vec<Problem>> {
        let file: File = toml::from_str(text).map_err(|err| {
            vec![Problem::at(
                path,
                text,
                err.span(),
                err.message().trim().to_string(),
                Some(SHAPE_HINT.into()),
            )]
        })?;
        let mut check = Check {
            path,
            text,
            problems: Vec::new(),
            expansions: Vec::new(),
            first_seen: HashMap::new(),
        };
        file.equivalent
            .iter()
            .for_each(|group| check.equivalent(group));
        file.broader.iter().for_each(|group| check.broader(group));
        if check.problems.is_empty() {
            Ok(Thesaurus {
                expansions: check.expansions,
            })
        } else {
            Err(check.problems)
        }
    }

    /// Each term with what it also finds.
    pub fn expansions(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.expansions
            .iter()
            .map(|(term, also)| (term.as_str(), also.as_slice()))
    }

    pub fn is_empty(&self) -> bool {
        self.expansions.is_empty()
    }
}

/// The problems of a catalogue's thesaurus, for `validate`.
pub fn check(data: &Path) -> Vec<Problem> {
    Thesaurus::load(&path_in(data)).err().unwrap_or_default()
}

/// The checks of one thesaurus file: problems found so far, and the expansions of the groups
/// that passed.
struct Check<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
    expansions: Vec<(String, Vec<String>)>,
    /// Where each term was first listed (its byte offset), to name a term listed twice.
    first_seen: HashMap<String, usize>,
}

impl Check<'_> {
    fn problem(&mut self, span: std::ops::Range<usize>, message: String, hint: &str) {
        let problem = Problem::at(self.path, self.text, Some(span), message, Some(hint.into()));
        self.problems.push(problem);
    }

    /// True when the term is plain words; otherwise names its problem.
    fn term(&mut self, term: &Spanned<String>) -> bool {
        let value = term.get_ref().trim();
        if !value.chars().any(char::is_alphanumeric) {
            self.problem(
                term.span(),
                "a synonym term needs at least one letter or digit".into(),
                "write the word or phrase, or remove the empty entry",
            );
            return false;
        }
        if value.contains(['"', ':', '(', ')', '[', ']', '{', '}', '*', '\\']) {
            self.problem(
                term.span(),
                format!("the term `{value}` holds query syntax"),
                "write plain words: no quotes, brackets, `:` or `*`",
            );
            return false;
        }
        true
    }

    fn equivalent(&mut self, group: &Spanned<Equivalent>) {
        let terms = &group.get_ref().terms;
        if terms.len() < 2 {
            self.problem(
                group.span(),
                "an [[equivalent]] group needs at least two terms".to_string(),
                "add the terms it should find, or remove the group",
            );
            return;
        }
        let mut ok = true;
        for term in terms {
            ok &= self.term(term);
            let key = crate::text::fold(term.get_ref());
            if let Some(&offset) = self.first_seen.get(&key) {
                // Lines are counted only for a problem: counting them for every term read
                // the whole file once per term.
                let line = crate::problem::line_col(self.text, offset).0;
                self.problem(
                    term.span(),
                    format!(
                        "`{}` is already in an [[equivalent]] group (line {line})",
                        term.get_ref().trim()
                    ),
                    "merge the two groups: a term belongs to one group",
                );
                ok = false;
            } else {
                self.first_seen.insert(key, term.span().start);
            }
        }
        if ok {
            for term in terms {
                let others = terms
                    .iter()
                    .filter(|t| t.span() != term.span())
                    .map(|t| t.get_ref().trim().to_string())
                    .collect();
                self.expansions
                    .push((term.get_ref().trim().to_string(), others));
            }
        }
    }

    fn broader(&mut self, group: &Spanned<Broader>) {
        let broader = group.get_ref();
        let mut ok = self.term(&broader.term);
        if broader.includes.is_empty() {
            self.problem(
                group.span(),
                "a [[broader]] group needs at least one term in `includes`".to_string(),
                "list the narrower terms the broader one should also find",
            );
            ok = false;
        }
        for include in &broader.includes {
            ok &= self.term(include);
            if crate::text::fold(include.get_ref()) == crate::text::fold(broader.term.get_ref()) {
                self.problem(
                    include.span(),
                    "a term cannot include itself".to_string(),
                    "remove it from `includes`",
                );
                ok = false;
            }
        }
        if ok {
            let includes = broader
                .includes
                .iter()
                .map(|t| t.get_ref().trim().to_string())
                .collect();
            self.expansions
                .push((broader.term.get_ref().trim().to_string(), includes));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Thesaurus, Vec<Problem>> {
        Thesaurus::parse(Path::new("data/synonyms.toml"), text)
    }

    #[test]
    fn equivalent_terms_find_each_other_and_broader_terms_find_the_narrower_ones() {
        let thesaurus = parse(
            "[[equivalent]]\nterms = [\"brain drain\", \"skilled emigration\"]\n\
             [[broader]]\nterm = \"health workers\"\nincludes = [\"nurses\", \"doctors\"]\n",
        )
        .unwrap();
        let found: Vec<(&str, Vec<&str>)> = thesaurus
            .expansions()
            .map(|(t, also)| (t, also.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("brain drain", vec!["skilled emigration"]),
                ("skilled emigration", vec!["brain drain"]),
                ("health workers", vec!["nurses", "doctors"]),
            ]
        );
    }

    #[test]
    fn a_bad_group_is_named_with_line_and_column() {
        let problems = parse("[[equivalent]]\nterms = [\"a\", \"\"]\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (2, 15));
        let problems = parse("[[equivalent]]\nterms = [\"solo\"]\n").unwrap_err();
        assert!(problems[0].message.contains("at least two terms"));
        let problems = parse("[[broader]]\nterm = \"x\"\nincludes = [\"x\"]\n").unwrap_err();
        assert!(problems[0].message.contains("include itself"));
    }

    #[test]
    fn unknown_keys_and_repeated_terms_are_problems() {
        let problems = parse("[[equivalent]]\nterm = [\"a\", \"b\"]\n").unwrap_err();
        assert_eq!(problems[0].line, 2);
        let problems = parse(
            "[[equivalent]]\nterms = [\"a\", \"b\"]\n[[equivalent]]\nterms = [\"B\", \"c\"]\n",
        )
        .unwrap_err();
        assert!(problems[0].message.contains("line 2"), "{problems:?}");
        assert_eq!(problems[0].line, 4);
    }

    #[test]
    fn a_missing_file_is_an_empty_thesaurus() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            Thesaurus::load(&dir.path().join(FILE_NAME))
                .unwrap()
                .is_empty()
        );
    }
}
