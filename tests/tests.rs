//! The one integration-test crate, in the style of ripgrep's: a module per feature, all
//! sharing the harness in `util.rs`, so the binary under test is linked against once.

mod util;

mod bad_input;
mod catalogue;
mod curation;
mod doctor;
mod export;
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
