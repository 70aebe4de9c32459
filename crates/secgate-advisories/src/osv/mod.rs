//! OSV records (<https://ossf.github.io/osv-schema/>) as an advisory source: the typed model,
//! the range evaluation, and loading from per-ecosystem trees and `all.zip` archives (the
//! findings a record produces are made from its normalized form, [`crate::entry::OsvEntry`]).
//!
//! Records of every ecosystem are parsed (a PyPI tree is real data and must load cleanly), but
//! only the ecosystems in [`MATCHED_ECOSYSTEMS`] are matched against locked packages; the
//! others are counted per source.

mod load;
pub(crate) mod range;
mod record;

pub(crate) use load::{Loaded, json_files, load_archive, load_bytes, load_files};
pub use range::{Semver, VersionScheme, is_affected, range_affects, unparsable_events};
pub use record::{
    Affected, AffectedPackage, Affects, DatabaseSpecific, EcosystemSpecific, Event, OsvRecord,
    OsvSeverity, Range, RangeKind, Reference, ReferenceKind, SeverityKind,
};

/// The OSV ecosystems whose packages secgate matches today.
pub const MATCHED_ECOSYSTEMS: &[&str] = &["crates.io"];

/// Whether records about `ecosystem` are matched against packages.
pub(crate) fn is_matched(ecosystem: &str) -> bool {
    MATCHED_ECOSYSTEMS.contains(&ecosystem)
}
