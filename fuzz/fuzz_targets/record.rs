//! Any bytes as a record file: through `parse_record` (lossily decoded) and through the
//! full per-file loader `load_record` (size and UTF-8 checks, parse, validation).
//!
//! Crashes on: a panic; an error without problems; a problem placed outside the text; a
//! record that parses but does not survive `to_toml` and back.
#![no_main]

use std::fs;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use migdev::catalogue::{load_record, parse_record};
use migdev_fuzz::{RECORD, assert_inside};

fuzz_target!(|data: &[u8]| {
    let fixture = &*RECORD;
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
