//! The sector vocabulary: the 13 sectors of the handbook's Part 3, read from `data/sectors.toml`.

use serde::{Deserialize, Serialize};

/// One sector of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub slug: String,
    pub label: String,
    pub description: String,
}

/// The sectors in handbook order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sectors {
    #[serde(rename = "sector")]
    pub list: Vec<Sector>,
}

impl Sectors {
    pub fn get(&self, slug: &str) -> Option<&Sector> {
        self.list.iter().find(|s| s.slug == slug)
    }

    /// The label for a slug, or the slug itself when unknown.
    pub fn label<'a>(&'a self, slug: &'a str) -> &'a str {
        self.get(slug).map(|s| s.label.as_str()).unwrap_or(slug)
    }

    pub fn slugs(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|s| s.slug.as_str())
    }

    /// Finds a sector from a slug or a label, in any case.
    pub fn lookup(&self, input: &str) -> Option<&Sector> {
        let wanted = crate::text::fold(input);
        self.list
            .iter()
            .find(|s| s.slug == wanted || crate::text::fold(&s.label) == wanted)
    }
}
