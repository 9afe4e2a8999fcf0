//! Any bytes as query text against a small index of real records: `search::parse` lenient
//! and strict, then `search::run` lenient and strict. The first byte picks the matching
//! mode, sort order, snippets and a page, from small ones to `--limit`/`--offset` near
//! `usize::MAX`; the rest, lossily decoded, is the query.
//!
//! Crashes on: a panic or an abort (a page allocated in proportion to its size); a
//! lenient parse or search that fails; a strict search that fails with anything but a
//! query error; a hit that is not a catalogue record, or comes twice; a page of the wrong
//! length (see `checks`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use migdev_fuzz::{QUERY, checks};

fuzz_target!(|data: &[u8]| {
    checks::check_query_bytes(&QUERY, data);
});
