//! Advisory sources for secgate and the advisory gate.
//!
//! A [`Database`] is loaded from one or more advisory directories (today: RustSec advisory-db
//! checkouts), record by record: a record that fails to parse is kept as a [`BadRecord`] and
//! becomes one `db-bad-record` finding, never a failed load. [`check`] matches every locked
//! package against the database and returns findings; it never prints.

mod check;
mod database;
mod error;
mod rustsec_dir;

pub use check::check;
pub use database::{BadRecord, Database, DatabaseSource, SourceKind};
pub use error::DbError;
