//! Advisory sources for secgate and the advisory gate.
//!
//! A [`Database`] is loaded from any mix of RustSec advisory-db checkouts and OSV sources (a
//! tree of `<Ecosystem>/*.json` records or `<Ecosystem>/all.zip` archives, one ecosystem
//! directory, or one archive), record by record: a record that fails to parse is kept as a
//! [`BadRecord`] and becomes one `db-bad-record` finding, never a failed load. [`check`]
//! matches every locked package against every source and returns one finding per (package,
//! issue), merging the RustSec and OSV records of the same issue; it never prints.
//!
//! Records are matched in a normalized form ([`RustsecEntry`], [`OsvEntry`]) that an
//! [`AdvisoryIndex`] stores per source, so a warm [`Database::open_indexed`] reads one file per
//! source instead of parsing every record.

mod check;
mod data_age;
mod database;
mod dedupe;
mod entry;
mod error;
mod index;
mod layout;
mod listing;
pub mod osv;
mod parallel;
mod rustsec_dir;
mod severity;
mod source;
mod yanked;

pub use check::check;
pub use data_age::{newest_rustsec_date, newest_rustsec_date_cached};
pub use database::{BadRecord, Database, DatabaseSource, SourceKind};
pub use entry::{
    AffectedVersions, Kind, ListedVersion, OsvEntry, OsvPackage, RustsecEntry, VersionRange,
};
pub use error::DbError;
pub use index::{AdvisoryIndex, IndexError, IndexState, IndexStatus, IndexUse};
pub use yanked::{YankedIndex, yanked};
