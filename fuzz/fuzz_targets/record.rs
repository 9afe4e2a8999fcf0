//! Any bytes as a record file: through `parse_record` (lossily decoded) and through the
//! full per-file loader `load_record` (size and UTF-8 checks, parse, validation).
//!
//! Crashes on: a panic; an error without problems; a problem placed outside the text; a
//! record that parses but does not survive `to_toml` and back. One-byte inputs 0xF0 to
//! 0xF4 make the file a FIFO, a folder or a link instead ([`Special`]): the loader must
//! name it as one problem at once, never wait on it (a wait is a libFuzzer timeout).
#![no_main]

use std::fs;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use migdev::catalogue::load_record;
use migdev::validation::parse_record;
use migdev_fuzz::{RECORD, Special, assert_inside};

fuzz_target!(|data: &[u8]| {
    let fixture = &*RECORD;
    if let Some(special) = Special::from_input(data) {
        special.make(&fixture.special);
        let problems = load_record(&fixture.special, &fixture.sectors, fixture.year_limit)
            .expect_err("a special file loaded as a record");
        assert_eq!(problems.len(), 1, "{special:?}: {problems:?}");
        assert!(problems[0].hint.is_some(), "{special:?} without a hint: {problems:?}");
        return;
    }
    let text = String::from_utf8_lossy(data);
    let path = Path::new("data/programmes/fuzz.toml");
    match parse_record(path, &text) {
        Ok(record) => {
            let again = parse_record(path, &record.to_toml());
            assert_eq!(again, Ok(record), "re-serialised record differs");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "an error without any problem");
            for problem in &problems {
                assert!(problem.line >= 1, "unlocated parse problem: {problem}");
                assert_inside(&text, problem);
            }
        }
    }

    fs::write(&fixture.file, data).expect("write the record file");
    if let Err(problems) = load_record(&fixture.file, &fixture.sectors, fixture.year_limit) {
        assert!(!problems.is_empty(), "an error without any problem");
        for problem in &problems {
            assert_inside(&text, problem);
        }
    }
});
