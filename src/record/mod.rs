//! The record schema: the one place that names the fields of a programme record.

pub mod template;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a closed vocabulary (kind, scope, status) with its TOML spelling.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order the schema documents them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What the user calls this vocabulary in messages.
            pub const WHAT: &'static str = $what;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The accepted spellings, for hints.
            pub fn names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(unknown_value($what, s, &Self::names())),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// Separates an unknown vocabulary value's message from the list of valid values, so
/// validation can show that list as the hint.
pub const EXPECTED_ONE_OF: &str = "; expected one of: ";

fn unknown_value(what: &str, value: &str, valid: &[&str]) -> String {
    let mut message = format!("unknown {what} `{value}`");
    if let Some(close) = crate::text::closest(value, valid.iter().copied()) {
        message.push_str(&format!(" (did you mean `{close}`?)"));
    }
    message.push_str(EXPECTED_ONE_OF);
    message.push_str(&valid.join(", "));
    message
}

vocabulary!(
    /// What sort of thing a record describes.
    Kind, "kind" {
        Programme => "programme",
        Policy => "policy",
        Law => "law",
        Institution => "institution",
        Agreement => "agreement",
        Fund => "fund",
        Network => "network",
        Tool => "tool",
    }
);

vocabulary!(
    /// How many countries a programme spans.
    Scope, "scope" {
        National => "national",
        Bilateral => "bilateral",
        Regional => "regional",
        Global => "global",
    }
);

vocabulary!(
    /// What a source is, so analysts can tell an evaluation from the programme's own word.
    SourceKind, "source kind" {
        Official => "official",
        Evaluation => "evaluation",
        Research => "research",
        News => "news",
        Data => "data",
    }
);

vocabulary!(
    /// Whether a programme still runs, as far as its sources say.
    Status, "status" {
        Ongoing => "ongoing",
        Ended => "ended",
        Unknown => "unknown",
    }
);

/// One programme experience, as written in `data/programmes/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub title: String,
    pub kind: Kind,
    /// Sector slugs from `data/sectors.toml`, primary first.
    pub sectors: Vec<String>,
    /// ISO 3166-1 alpha-3 codes.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Countries of origin of the migrants concerned, as the sources name them; each is
    /// also in `countries`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origin: Vec<String>,
    /// Destination countries, as the sources name them; each is also in `countries`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lessons: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gcm_objectives: Vec<i64>,
    pub sources: Vec<Source>,
}

/// A public source that the record's facts rest on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    pub kind: SourceKind,
    /// The publisher's own address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A copy (mirror, document-sharing site, archive) where the text was read, when it
    /// is not at `url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

vocabulary!(
    /// The keys of a record file, as TOML spells them: the one list that validation,
    /// hints and the `new` template use. A test keeps it equal to [`Record`]'s fields.
    Key, "record key" {
        Title => "title",
        Kind => "kind",
        Sectors => "sectors",
        Countries => "countries",
        Origin => "origin",
        Destination => "destination",
        Scope => "scope",
        Organisations => "organisations",
        StartYear => "start_year",
        EndYear => "end_year",
        Status => "status",
        Summary => "summary",
        Description => "description",
        Results => "results",
        Lessons => "lessons",
        Keywords => "keywords",
        GcmObjectives => "gcm_objectives",
        Sources => "sources",
    }
);

vocabulary!(
    /// The keys of a `[[sources]]` table. A test keeps it equal to [`Source`]'s fields.
    SourceKey, "source key" {
        Title => "title",
        Publisher => "publisher",
        Year => "year",
        Kind => "kind",
        Url => "url",
        Via => "via",
    }
);

/// Global Compact for Migration objectives are numbered 1 to 23.
pub const GCM_OBJECTIVES: std::ops::RangeInclusive<i64> = 1..=23;

impl Record {
    /// The primary sector: the first one listed.
    pub fn primary_sector(&self) -> Option<&str> {
        self.sectors.first().map(String::as_str)
    }

    /// Years as a reader expects them: `2002-2019`, `2002-`, `-2019` or empty.
    pub fn years(&self) -> String {
        match (self.start_year, self.end_year) {
            (Some(s), Some(e)) if s == e => s.to_string(),
            (Some(s), Some(e)) => format!("{s}-{e}"),
            (Some(s), None) => format!("{s}-"),
            (None, Some(e)) => format!("-{e}"),
            (None, None) => String::new(),
        }
    }

    /// The record as TOML, as `migdev` would write it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a record always serialises")
    }
}

/// An id is the file stem: lowercase kebab-case.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Turns a title into an id candidate: `3x1 Programme (Mexico)` -> `3x1-programme-mexico`.
pub fn slugify(title: &str) -> String {
    let folded = crate::text::fold(title);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut slug = String::new();
    for word in words {
        if slug.len() + word.len() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn full_record() -> Record {
        Record {
            title: "T".into(),
            kind: Kind::Programme,
            sectors: vec!["trade".into()],
            countries: vec!["MEX".into(), "USA".into()],
            origin: vec!["MEX".into()],
            destination: vec!["USA".into()],
            scope: Some(Scope::National),
            organisations: vec!["O".into()],
            start_year: Some(2000),
            end_year: Some(2001),
            status: Some(Status::Ended),
            summary: "S".into(),
            description: Some("D".into()),
            results: Some("R".into()),
            lessons: Some("L".into()),
            keywords: vec!["k".into()],
            gcm_objectives: vec![19],
            sources: vec![Source {
                title: "t".into(),
                publisher: "p".into(),
                year: Some(2000),
                kind: SourceKind::Evaluation,
                url: Some("https://example.org".into()),
                via: Some("https://mirror.example.net/copy".into()),
            }],
        }
    }

    #[test]
    fn key_lists_match_the_serde_schema() {
        let table: toml::Table = toml::from_str(&full_record().to_toml()).unwrap();
        let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
        let mut expected = Key::names();
        keys.sort();
        expected.sort();
        assert_eq!(keys, expected);
        let source = table[Key::Sources.as_str()].as_array().unwrap()[0]
            .as_table()
            .unwrap();
        let mut source_keys: Vec<&str> = source.keys().map(String::as_str).collect();
        let mut expected_source = SourceKey::names();
        source_keys.sort();
        expected_source.sort();
        assert_eq!(source_keys, expected_source);
    }

    #[test]
    fn ids_are_lowercase_kebab_case() {
        assert!(is_valid_id("mexico-3x1"));
        assert!(!is_valid_id("Mexico-3x1"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("-a"));
    }

    #[test]
    fn slugify_makes_valid_ids() {
        assert_eq!(slugify("3x1 Programme (Mexico)"), "3x1-programme-mexico");
        assert_eq!(slugify("Côte d'Ivoire diaspora"), "cote-d-ivoire-diaspora");
        assert!(is_valid_id(&slugify("A  --  B")));
    }

    #[test]
    fn unknown_kind_names_the_valid_ones() {
        let err = "programm".parse::<Kind>().unwrap_err();
        assert!(err.contains("did you mean `programme`"), "{err}");
        assert!(err.contains("policy"), "{err}");
    }
}
