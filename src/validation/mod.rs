//! Validation: the rules a record, the vocabulary and the catalogue as a whole follow.
//!
//! Reading a file ([`files`]), the vocabulary ([`vocabulary`]) and the rules about
//! the whole catalogue ([`whole`]) live here; `validate`, the full build and the
//! incremental update all go through them.

pub mod files;
pub mod vocabulary;
pub mod whole;

pub use vocabulary::load_sectors;
pub use whole::{Checker, TitleKey, title_key};
