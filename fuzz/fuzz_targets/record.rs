//! Any bytes as a record file: through `parse_record` (lossily decoded) and through the
//! full per-file loader `load_record` (size and UTF-8 checks, parse, validation).
//!
//! Crashes on: a panic; an error without problems; a problem placed outside the text; a
//! record that parses but does not survive `to_toml` and back (see `checks`). One-byte
//! inputs 0xF0 to 0xF4 make the file a FIFO, a folder or a link instead ([`Special`]): the
//! loader must name it as one problem at once, never wait on it (a wait is a libFuzzer
//! timeout).
#![no_main]

use libfuzzer_sys::fuzz_target;
use migdev::catalogue::load_record;
use migdev_fuzz::{RECORD, Special, checks};

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
    checks::check_record_bytes(data, &fixture.file, &fixture.sectors, fixture.year_limit);
});
