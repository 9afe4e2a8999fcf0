//! The fuzz seeds (`fuzz/seeds/record/*`, `fuzz/seeds/query/*`) replayed through the checks
//! the fuzz targets run (`fuzz/src/checks.rs`), so `cargo test` keeps every seed passing
//! without cargo-fuzz.

use std::fs;
use std::path::PathBuf;

use crate::fuzz_checks as checks;
use crate::util::manifest_dir;

/// Every seed of one target, by file name, in name order.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = manifest_dir().join("fuzz/seeds").join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("list seeds").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).expect("read a seed"))
        })
        .collect()
}

#[test]
fn record_seeds_pass_the_record_target_checks() {
    let seeds = seeds("record");
    assert!(seeds.len() >= 5, "only {} record seeds", seeds.len());
    let sectors = checks::load_sectors(&crate::util::real_data());
    let dir = tempfile::tempdir().expect("a scratch folder");
    let file = dir.path().join("fuzz-record.toml");
    for (name, bytes) in &seeds {
        eprintln!("record seed {name}");
        checks::check_record_bytes(bytes, &file, &sectors, migdev::catalogue::next_year());
    }
}

#[test]
fn query_seeds_pass_the_query_target_checks() {
    let seeds = seeds("query");
    assert!(seeds.len() >= 12, "only {} query seeds", seeds.len());
    // Issue 15's pages: `--limit`/`--offset` near `usize::MAX` and past every record.
    let paging = seeds.iter().filter(|(name, _)| name.starts_with("paging-"));
    assert!(paging.count() >= 4, "the huge-page seeds are missing");
    let index = crate::properties::query_fixture();
    for (name, bytes) in &seeds {
        eprintln!("query seed {name}");
        checks::check_query_bytes(index, bytes);
    }
}
