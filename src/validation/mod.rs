//! Validation: the rules a record, the vocabulary and the catalogue as a whole follow.
//!
//! Reading a file ([`files`]), parsing a record with positions ([`record`]), the rules
//! each record follows ([`rules`]), the vocabulary ([`vocabulary`]) and the rules about
//! the whole catalogue ([`whole`]) live here; `validate`, the full build and the
//! incremental update all go through them.

pub mod advice;
pub mod files;
pub mod record;
pub mod rules;
pub mod vocabulary;
pub mod whole;

pub use record::parse_record;
pub use rules::FIRST_YEAR;
pub use vocabulary::load_sectors;
pub use whole::{Checker, TitleKey, title_key};
