//! Advice on records that are valid: what `validate` warns about but the index accepts.
//! Today one rule: a source's `url` on a document-sharing site, which analysts cannot cite
//! as the publisher.

use std::fs;

use crate::catalogue::Entry;
use crate::problem::Problem;
use crate::provenance;
use crate::record::SourceKey;

use super::record::{At, span_of};

/// Warnings for one valid record, placed at their line and column when the file can still
/// be read.
pub fn advise(entry: &Entry) -> Vec<Problem> {
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
