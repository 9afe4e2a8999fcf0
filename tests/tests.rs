//! The one integration-test crate, in the style of ripgrep's: a module per feature, all
//! sharing the harness in `util.rs`, so the binary under test is linked against once.

mod util;

/// The synthetic record generator of `examples/synth.rs`.
#[path = "../examples/synth/generator.rs"]
mod synth;

/// The fuzz targets' checks, shared with the properties and the seed replay.
#[path = "../fuzz/src/checks.rs"]
mod fuzz_checks;

mod bad_input;
mod catalogue;
mod curation;
mod doctor;
mod export;
mod fuzz_seeds;
mod incremental;
mod index;
mod properties;
mod query;
mod readme;
mod relevance;
mod reliability;
mod search;
mod search_features;
mod serve;
mod serve_browser;
mod show;
mod validate;
