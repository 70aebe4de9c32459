//! OSV records (<https://ossf.github.io/osv-schema/>) as an advisory source: the typed model,
//! the range evaluation, and loading from per-ecosystem trees and `all.zip` archives (the
//! findings a record produces are made from its normalized form, [`crate::entry::OsvEntry`]).
//!
//! Records of every ecosystem are parsed (a PyPI tree is real data and must load cleanly), but
//! only the ecosystems in [`MATCHED_ECOSYSTEMS`] are matched against locked packages; the
//! others are counted per source. Each matched ecosystem orders versions with its own scheme
//! ([`EcosystemScheme`]: semver for crates.io, node-semver for npm, PEP 440 for PyPI), and PyPI
//! names are compared in their PEP 503 form, as OSV does not normalize them.

use std::borrow::Cow;

mod load;
pub mod npm_semver;
pub mod pep440;
pub(crate) mod range;
mod record;

pub(crate) use load::{Loaded, json_files, load_archive, load_bytes, load_files};
pub use npm_semver::NpmSemver;
pub use pep440::{Pep440, Pep440Version};
pub use range::{
    EcosystemScheme, EcosystemVersion, Semver, VersionScheme, is_affected, is_affected_in,
    range_affects, unparsable_events,
};
pub use record::{
    Affected, AffectedPackage, Affects, DatabaseSpecific, EcosystemSpecific, Event, OsvRecord,
    OsvSeverity, Range, RangeKind, Reference, ReferenceKind, SeverityKind,
};

/// The OSV ecosystems whose packages secgate matches today.
pub const MATCHED_ECOSYSTEMS: &[&str] = &["crates.io", "npm", "PyPI"];

/// Whether records about `ecosystem` are matched against packages.
pub(crate) fn is_matched(ecosystem: &str) -> bool {
    MATCHED_ECOSYSTEMS.contains(&ecosystem)
}

/// `name` in the form packages of `ecosystem` are looked up by: PyPI names in their PEP 503
/// form (`Jinja2` and `jinja2` are one project), other names as they are.
pub fn normalize_name<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    if ecosystem == "PyPI" {
        Cow::Owned(pep503_name(name))
    } else {
        Cow::Borrowed(name)
    }
}

pub use secgate_core::pep503_name;
