//! migdev: a searchable catalogue of migration-and-development programme experiences.
//!
//! The library does the work (records, validation, index, queries); the `migdev`
//! binary parses arguments and prints.
#![forbid(unsafe_code)]

pub mod build;
pub mod catalogue;
pub mod countries;
pub mod doctor;
pub mod error;
pub mod exclusion;
pub mod export;
pub mod facets;
pub mod index;
pub mod note;
pub mod problem;
pub mod provenance;
pub mod record;
pub mod search;
pub mod sectors;
pub mod serve;
pub mod storage;
pub mod store;
pub mod text;
pub mod validation;

pub use catalogue::{Catalogue, Entry, Paths};
pub use error::Error;
pub use record::Record;
