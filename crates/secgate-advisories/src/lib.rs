//! Advisory sources for secgate and the advisory gate.
//!
//! A [`Database`] is loaded from any mix of RustSec advisory-db checkouts and OSV sources (a
//! tree of `<Ecosystem>/*.json` records or `<Ecosystem>/all.zip` archives, one ecosystem
//! directory, or one archive), record by record: a record that fails to parse is kept as a
//! [`BadRecord`] and becomes one `db-bad-record` finding, never a failed load. [`check`]
//! matches every locked package against every source and returns one finding per (package,
//! issue), merging the RustSec and OSV records of the same issue; it never prints.

mod check;
mod database;
mod dedupe;
mod error;
mod layout;
pub mod osv;
mod parallel;
mod rustsec_dir;
mod severity;
mod yanked;

pub use check::check;
pub use database::{BadRecord, Database, DatabaseSource, SourceKind};
pub use error::DbError;
pub use yanked::{YankedIndex, yanked};
