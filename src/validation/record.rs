//! Parsing a record file: TOML syntax, unknown keys and types, each problem placed at
//! its line and column; and finding where in the file a later rule's problem sits.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::problem::Problem;
use crate::record::{self, Key, Record, SourceKey};
use crate::text;

/// Parses a record, reporting syntax errors, every unknown key and type errors with positions.
pub fn parse_record(path: &Path, text: &str) -> Result<Record, Vec<Problem>> {
    let table = DeTable::parse(text).map_err(|err| {
        vec![Problem::at(
            path,
            text,
            err.span(),
            format!("invalid TOML: {}", err.message().trim()),
            Some("check quotes, brackets and `key = value` lines near this position".into()),
        )]
    })?;
    let unknown = unknown_keys(path, text, table.get_ref());
    if !unknown.is_empty() {
        return Err(unknown);
    }
    serde::Deserialize::deserialize(toml::de::Deserializer::from(table)).map_err(
        |err: toml::de::Error| {
            let message = err.message().trim();
            let (message, hint) = match message.split_once(record::EXPECTED_ONE_OF) {
                Some((message, valid)) => {
                    (message.to_string(), Some(format!("use one of: {valid}")))
                }
                None => (message.to_string(), type_hint(message)),
            };
            vec![Problem::at(path, text, err.span(), message, hint)]
        },
    )
}

fn type_hint(message: &str) -> Option<String> {
    if message.contains("missing field") {
        Some("add the field; `migdev new` writes a template with every field".into())
    } else if message.contains("invalid type") {
        Some("text goes in quotes, lists in [ ], years are plain numbers".into())
    } else {
        None
    }
}

fn unknown_keys(path: &Path, text: &str, table: &DeTable<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |table: &DeTable<'_>, valid: &[&str], context: &str| {
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !valid.contains(&name) {
                let hint = match text::closest(name, valid.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("valid {context} keys: {}", valid.join(", ")),
                };
                problems.push(Problem::at(
                    path,
                    text,
                    Some(key.span()),
                    format!("unknown key `{name}`"),
                    Some(hint),
                ));
            }
        }
    };
    check(table, &Key::names(), "record");
    if let Some(sources) = find(table, Key::Sources.as_str())
        && let DeValue::Array(items) = sources.get_ref()
    {
        let valid = SourceKey::names();
        for item in items {
            if let DeValue::Table(source) = item.get_ref() {
                check(source, &valid, "source");
            }
        }
    }
    problems
}

fn find<'a, 'i>(table: &'a DeTable<'i>, key: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// Where in the file a problem found by a rule sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The value of a key.
    Key(Key),
    /// One item of a list.
    Item(Key, usize),
    /// The value of a key of one source.
    SourceKey(usize, SourceKey),
    /// One source as a whole.
    Source(usize),
}

/// Finds the byte span of a value. Only called when a problem is found, so the
/// happy path parses each file once.
pub fn span_of(text: &str, at: At) -> Option<Range<usize>> {
    let table = DeTable::parse(text).ok()?;
    let table = table.get_ref();
    let item = |key: Key, index: usize| match find(table, key.as_str())?.get_ref() {
        DeValue::Array(items) => items.get(index).map(toml::Spanned::span),
        _ => None,
    };
    match at {
        At::Key(key) => find(table, key.as_str()).map(toml::Spanned::span),
        At::Item(key, index) => item(key, index),
        At::Source(index) => item(Key::Sources, index),
        At::SourceKey(index, key) => match find(table, Key::Sources.as_str())?.get_ref() {
            DeValue::Array(items) => match items.get(index)?.get_ref() {
                DeValue::Table(source) => find(source, key.as_str()).map(toml::Spanned::span),
                _ => None,
            },
            _ => None,
        },
    }
}
