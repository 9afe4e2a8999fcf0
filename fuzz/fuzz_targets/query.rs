//! Any bytes as query text against a small index of real records: `search::parse` lenient
//! and strict, then `search::run` lenient and strict. The first byte picks the matching
//! mode, sort order, snippets and paging; the rest, lossily decoded, is the query.
//!
//! Crashes on: a panic; a lenient parse or search that fails; a strict search that fails
//! with anything but a query error; a hit that is not a catalogue record, or comes twice.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use migdev::search::{self, Matching, Request, Sort};
use migdev_fuzz::QUERY;

const MATCHING: [Matching; 3] = [Matching::Auto, Matching::Fuzzy, Matching::Exact];
const SORT: [Sort; 5] = [
    Sort::Relevance,
    Sort::Year,
    Sort::YearDesc,
    Sort::Title,
    Sort::Id,
];

fuzz_target!(|data: &[u8]| {
    let Some((&options, text)) = data.split_first() else {
        return;
    };
    let fixture = &*QUERY;
    let opened = &fixture.opened;
    let text = String::from_utf8_lossy(text);

    if let Err(err) = search::parse(opened, &text, false) {
        panic!("lenient parse failed: {err}");
    }
    let _ = search::parse(opened, &text, true);

    let options = usize::from(options);
    let paged = options & 0x80 != 0;
    for strict in [false, true] {
        let request = Request {
            text: text.to_string(),
            matching: MATCHING[options % 3],
            sort: SORT[(options / 3) % 5],
            snippets: options & 0x40 != 0,
            limit: paged.then_some(2),
            offset: if paged { 1 } else { 0 },
            strict,
            ..Request::default()
        };
        let results = match search::run(opened, &fixture.paths, &request) {
            Ok(results) => results,
            Err(migdev::Error::Query { .. }) if strict => continue,
            Err(err) => panic!("search (strict: {strict}) failed: {err}"),
        };
        assert!(results.total <= fixture.ids.len());
        let mut seen = BTreeSet::new();
        for hit in &results.hits {
            assert!(fixture.ids.contains(&hit.entry.id), "hit {}", hit.entry.id);
            assert!(seen.insert(&hit.entry.id), "hit {} twice", hit.entry.id);
        }
    }
});
