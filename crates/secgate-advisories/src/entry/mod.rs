//! Advisories ready to match: the normalized form of a RustSec or OSV record that the gate
//! evaluates, whether the record was just parsed or read back from the advisory index.
//!
//! Everything [`crate::check`] needs is computed once, from the parsed record: the finding
//! code, the message, url, aliases and fix text as they will be reported, the severity, and the
//! version ranges already parsed (RustSec `patched`/`unaffected` as the introduced/fixed pairs
//! `rustsec` evaluates; OSV events placed and sorted on the semver line). Matching a locked
//! version then parses nothing, and the index stores exactly these values.

mod osv;
mod rustsec;

pub use osv::{AffectedVersions, ListedVersion, OsvEntry, OsvPackage};
pub use rustsec::{RustsecEntry, VersionRange};

use secgate_core::Code;

/// The kind of issue an advisory describes, which decides its finding code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A vulnerability (no informational kind).
    Vulnerability,
    /// RustSec `informational = "unmaintained"`.
    Unmaintained,
    /// RustSec `informational = "unsound"`.
    Unsound,
    /// Any other informational kind (`notice`, and kinds added later).
    Notice,
}

impl Kind {
    /// The finding code this kind reports as.
    pub fn code(self) -> Code {
        match self {
            Kind::Vulnerability => Code::Vulnerability,
            Kind::Unmaintained => Code::Unmaintained,
            Kind::Unsound => Code::Unsound,
            Kind::Notice => Code::Notice,
        }
    }

    /// The kind of an informational value as RustSec writes it (`None`: a vulnerability).
    pub(crate) fn from_informational(informational: Option<&str>) -> Kind {
        match informational {
            None => Kind::Vulnerability,
            Some("unmaintained") => Kind::Unmaintained,
            Some("unsound") => Kind::Unsound,
            Some(_) => Kind::Notice,
        }
    }
}

/// The fix text of an advisory with no patched version.
pub(crate) fn no_fix(kind: Kind) -> String {
    match kind {
        Kind::Unmaintained => "no maintained release: move to an alternative".to_owned(),
        _ => "no patched release: remove the dependency or ignore the advisory with a reason"
            .to_owned(),
    }
}

/// Other ids of the issue as a finding lists them: without the record's own id, sorted, once.
fn aliases<'a>(id: &str, all: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut aliases: Vec<String> = all.filter(|a| *a != id).map(str::to_owned).collect();
    aliases.sort();
    aliases.dedup();
    aliases
}
