//! Notes for the user on stderr: what the library did or noticed beside the results.
//!
//! Typed, so the binary decides how to show each kind (`-q` silences information but
//! never a warning) without looking at the text.

use std::fmt;

/// One thing the user should hear about on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// What happened ("index updated ..."); `-q` silences it.
    Info(String),
    /// Something the user should act on or know before trusting the results; always shown.
    Warning(String),
}

impl Note {
    pub fn info(text: impl Into<String>) -> Note {
        Note::Info(text.into())
    }

    pub fn warning(text: impl Into<String>) -> Note {
        Note::Warning(text.into())
    }

    pub fn is_warning(&self) -> bool {
        matches!(self, Note::Warning(_))
    }

    /// The text without the `warning: ` prefix that [`fmt::Display`] adds.
    pub fn text(&self) -> &str {
        match self {
            Note::Info(text) | Note::Warning(text) => text,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::Info(text) => f.write_str(text),
            Note::Warning(text) => write!(f, "warning: {text}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_are_prefixed_and_information_is_not() {
        assert_eq!(Note::warning("stale").to_string(), "warning: stale");
        assert_eq!(Note::info("index updated").to_string(), "index updated");
        assert!(Note::warning("x").is_warning());
        assert!(!Note::info("x").is_warning());
        assert_eq!(Note::warning("stale").text(), "stale");
    }
}
