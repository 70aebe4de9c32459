//! A RustSec advisory ready to match.

use super::{Kind, aliases, no_fix};
use crate::severity;
use rustsec::Advisory;
use rustsec::advisory::Informational;
use secgate_core::{Finding, Package, PackageRef, Severity};
use semver::Version;

/// A RustSec advisory about one crate, normalized from its `RUSTSEC-*.md` record.
#[derive(Clone, Debug, PartialEq)]
pub struct RustsecEntry {
    pub(crate) id: String,
    pub(crate) package: String,
    pub(crate) kind: Kind,
    /// Trimmed title: the finding's message.
    pub(crate) title: String,
    pub(crate) url: String,
    /// Sorted, without the id.
    pub(crate) aliases: Vec<String>,
    pub(crate) severity: Option<Severity>,
    pub(crate) withdrawn: bool,
    /// The advisory is about a package of another registry that has the same name.
    pub(crate) other_registry: bool,
    /// Affected versions: inside any of these ranges.
    pub(crate) affected: Vec<VersionRange>,
    /// `upgrade to …` from `patched`, or the no-fix text of the kind.
    pub(crate) fix: String,
}

/// A half-open range of versions, `introduced <= v < fixed`, either end open when `None`;
/// versions compare with [`Version`]'s `Ord`, as `rustsec` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRange {
    pub(crate) introduced: Option<Version>,
    pub(crate) fixed: Option<Version>,
}

impl VersionRange {
    fn contains(&self, v: &Version) -> bool {
        self.introduced.as_ref().is_none_or(|start| v >= start)
            && self.fixed.as_ref().is_none_or(|end| v < end)
    }
}

impl RustsecEntry {
    /// Normalizes a parsed advisory.
    pub(crate) fn new(advisory: &Advisory) -> RustsecEntry {
        let m = &advisory.metadata;
        let kind = match &m.informational {
            None => Kind::Vulnerability,
            Some(Informational::Unmaintained) => Kind::Unmaintained,
            Some(Informational::Unsound) => Kind::Unsound,
            // `Other` and kinds added later (the enum is non-exhaustive) are still worth a notice.
            Some(_) => Kind::Notice,
        };
        let id = m.id.as_str().to_owned();
        let patched = advisory.versions.patched();
        let fix = if patched.is_empty() {
            no_fix(kind)
        } else {
            let ranges: Vec<String> = patched
                .iter()
                .map(|r| r.to_string().replace(' ', ""))
                .collect();
            format!("upgrade to {}", ranges.join(" or "))
        };
        RustsecEntry {
            aliases: aliases(&id, m.aliases.iter().map(rustsec::advisory::Id::as_str)),
            url: m.url.as_ref().map_or_else(
                || format!("https://rustsec.org/advisories/{id}"),
                ToString::to_string,
            ),
            package: m.package.as_str().to_owned(),
            kind,
            title: m.title.trim().to_owned(),
            severity: advisory.severity().map(severity::from_cvss),
            withdrawn: m.withdrawn.is_some(),
            other_registry: m.source.as_ref().is_some_and(|s| !s.is_default_registry()),
            affected: rustsec::osv::ranges_for_advisory(&advisory.versions)
                .into_iter()
                .map(|r| VersionRange {
                    introduced: r.introduced,
                    fixed: r.fixed,
                })
                .collect(),
            fix,
            id,
        }
    }

    /// The advisory's id (`RUSTSEC-2023-0071`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The crate it is about.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// Whether the advisory was withdrawn.
    pub fn withdrawn(&self) -> bool {
        self.withdrawn
    }

    /// The finding for `package`, locked at `version`; `None` when the advisory was withdrawn,
    /// is about another registry's crate of that name, or does not affect the version.
    pub(crate) fn finding(&self, package: &Package, version: &Version) -> Option<Finding> {
        if self.withdrawn
            || self.other_registry
            || !self.affected.iter().any(|r| r.contains(version))
        {
            return None;
        }
        let mut f = Finding::new(
            self.kind.code(),
            package.location.clone(),
            self.title.clone(),
        );
        f.severity = self.severity;
        f.fix = Some(self.fix.clone());
        f.url = Some(self.url.clone());
        f.id = Some(self.id.clone());
        f.aliases.clone_from(&self.aliases);
        f.package = Some(PackageRef::from(package));
        Some(f)
    }
}
