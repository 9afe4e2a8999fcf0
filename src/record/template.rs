//! The commented template `migdev new` writes: every field of the schema with what it
//! holds, required ones filled or left empty, optional ones commented out. It lives beside
//! the schema so a new field cannot be forgotten (a test checks every key is in it).

use super::{GCM_OBJECTIVES, Key, Kind, Scope, SourceKind, Status};
use crate::sectors::Sectors;

/// Template lines are wrapped to this width so the file reads well in any editor.
const TEMPLATE_WIDTH: usize = 88;

/// What the user gave for a new record, already checked against the vocabularies.
pub struct Draft<'a> {
    pub title: &'a str,
    pub kind: Kind,
    /// Sector slugs, primary first.
    pub sectors: Vec<String>,
    /// ISO alpha-3 codes.
    pub countries: Vec<String>,
}

/// A TOML string literal, escaped by the toml serialiser.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// A TOML array of strings.
fn toml_strings(values: &[String]) -> String {
    toml::Value::Array(values.iter().cloned().map(toml::Value::String).collect()).to_string()
}

/// A `#` comment wrapped to the template width.
fn comment(text: &str) -> String {
    let options = textwrap::Options::new(TEMPLATE_WIDTH)
        .initial_indent("# ")
        .subsequent_indent("# ");
    textwrap::fill(text, options)
}

/// The record file: required fields filled or left empty for the user, optional ones
/// commented out, each with a comment on what it holds.
pub fn template(draft: &Draft<'_>, vocabulary: &Sectors) -> String {
    let title = toml_string(draft.title);
    let kind = toml_string(draft.kind.as_str());
    let sectors = toml_strings(&draft.sectors);
    let countries = toml_strings(&draft.countries);
    let kinds = comment(&format!(
        "What the record describes: {}.",
        Kind::names().join(", ")
    ));
    let sector_help = comment(&format!(
        "Sectors from sectors.toml, primary first: {}.",
        vocabulary.slugs().collect::<Vec<_>>().join(", ")
    ));
    let scopes = comment(&format!(
        "How many countries it spans: {}. A global programme needs no countries.",
        Scope::names().join(", ")
    ));
    let statuses = comment(&format!(
        "Whether it still runs, as far as the sources say: {}.",
        Status::names().join(", ")
    ));
    let source_kinds = comment(&format!(
        "What the source is: {} (an evaluation, review or audit of the programme).",
        SourceKind::names().join(", ")
    ));
    let (first_gcm, last_gcm) = (GCM_OBJECTIVES.start(), GCM_OBJECTIVES.end());
    let sources = Key::Sources;
    format!(
        r#"# A programme record for the migdev catalogue. Lines starting with `#` are comments:
# remove the `# ` before an optional field to use it. Check the file with `migdev validate`.

# The programme's own name, as its sources give it.
title = {title}
{kinds}
kind = {kind}
{sector_help}
sectors = {sectors}
# ISO 3166-1 alpha-3 codes of the countries involved, e.g. ["MEX", "USA"].
countries = {countries}
# Countries of origin and destination of the migrants concerned, where the sources say;
# each must also be in `countries`.
# origin = [""]
# destination = [""]
{scopes}
# scope = "national"
# Governments, agencies and organisations that run or fund it.
# organisations = [""]
# The years it started and ended, as a source confirms them.
# start_year = 2000
# end_year = 2010
{statuses}
# status = "ongoing"
# One to three sentences on what it is and where.
summary = ""
# How it works, in a few paragraphs.
# description = """"""
# What it achieved, with figures where the sources give them.
# results = """"""
# What others can learn from it.
# lessons = """"""
# Search terms that the title and summary do not already contain.
# keywords = [""]
# Global Compact for Migration objectives it serves, numbered {first_gcm} to {last_gcm}.
# gcm_objectives = []

# A public source that the facts rest on; repeat the [[{sources}]] table for each one.
[[{sources}]]
# The title as the source shows it.
title = ""
# Who published it.
publisher = ""
# The year it was published.
# year = 2020
{source_kinds}
kind = "official"
# The publisher's own address.
# url = "https://"
# A copy (mirror, document-sharing site, archive) where you read it, if not at `url`.
# via = "https://"
"#
    )
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::record::{Record, SourceKey};

    fn vocabulary() -> Sectors {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sectors.toml");
        toml::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    }

    fn draft(title: &str) -> Draft<'_> {
        Draft {
            title,
            kind: Kind::Fund,
            sectors: vec!["trade".into(), "health".into()],
            countries: vec!["MEX".into()],
        }
    }

    #[test]
    fn template_parses_and_keeps_tricky_titles() {
        let title = r#"The "3x1" fund \ C:\path 'quoted'"#;
        let record: Record = toml::from_str(&template(&draft(title), &vocabulary())).unwrap();
        assert_eq!(record.title, title);
        assert_eq!(record.kind, Kind::Fund);
        assert_eq!(record.sectors, ["trade", "health"]);
        assert_eq!(record.countries, ["MEX"]);
    }

    #[test]
    fn template_mentions_every_field() {
        let text = template(&draft("T"), &vocabulary());
        let starts_a_line = |key: &str| {
            text.lines().any(|line| {
                let line = line.strip_prefix("# ").unwrap_or(line);
                line.starts_with(&format!("{key} = ")) || line == format!("[[{key}]]")
            })
        };
        for key in Key::names().into_iter().chain(SourceKey::names()) {
            assert!(starts_a_line(key), "the template lacks `{key}`");
        }
    }

    #[test]
    fn uncommented_template_is_a_valid_shape() {
        let text = template(&draft("T"), &vocabulary());
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let record: Record = toml::from_str(&uncommented).unwrap();
        assert_eq!(record.scope, Some(Scope::National));
    }
}
