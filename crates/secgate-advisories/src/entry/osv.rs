//! An OSV record ready to match, shaped like a RustSec advisory when it becomes a finding: the
//! same codes (informational kinds from RustSec's `database_specific.informational`), the
//! summary as message, `upgrade to >=X` from `fixed` events, and the advisory link.

use super::{Kind, aliases, no_fix};
use crate::osv::range::{Placed, place, placed_affects};
use crate::osv::{
    EcosystemScheme, EcosystemVersion, Event, OsvRecord, RangeKind, ReferenceKind,
    VersionScheme as _, is_matched, normalize_name, unparsable_events,
};
use crate::severity;
use secgate_core::{Finding, Package, PackageRef, Severity};
use std::cmp::Ordering;

/// An OSV record of a matched ecosystem, normalized. Records about no matched ecosystem are
/// only counted, never kept.
#[derive(Clone, Debug, PartialEq)]
pub struct OsvEntry {
    pub(crate) id: String,
    /// Of two records with one id, the later `modified` is kept.
    pub(crate) modified: jiff::Timestamp,
    pub(crate) withdrawn: bool,
    /// The summary, else the first line of the details, else the id.
    pub(crate) message: String,
    /// The first `ADVISORY` reference, else the first `WEB` one, else the record on osv.dev.
    pub(crate) url: String,
    /// Sorted, without the id.
    pub(crate) aliases: Vec<String>,
    /// One per package of a matched ecosystem, in record order.
    pub(crate) packages: Vec<OsvPackage>,
}

/// What an OSV record says about one package: its `affected` entries for that package, merged.
#[derive(Clone, Debug, PartialEq)]
pub struct OsvPackage {
    pub(crate) ecosystem: String,
    pub(crate) name: String,
    /// The highest of the record's scores and of these entries' scores.
    pub(crate) severity: Option<Severity>,
    /// `upgrade to >=X or >=Y` from the `fixed` events of these entries; `None` without one.
    pub(crate) upgrade: Option<String>,
    /// The `affected` entries about the package, in record order.
    pub(crate) affected: Vec<AffectedVersions>,
}

/// One `affected` entry, ready to evaluate with the OSV algorithm on its ecosystem's line.
#[derive(Clone, Debug, PartialEq)]
pub struct AffectedVersions {
    /// From the entry's `database_specific.informational`, else the record's.
    pub(crate) kind: Kind,
    pub(crate) versions: Vec<ListedVersion>,
    /// `SEMVER` and `ECOSYSTEM` ranges (both on the ecosystem's line, see
    /// [`EcosystemScheme`]), each as its placed events sorted by version; `GIT` and unknown
    /// ranges never match and are left out, and so are ranges with an event the line cannot
    /// place (loading rejects those, except in PyPI records: see [`crate::osv::is_affected_in`]).
    pub(crate) ranges: Vec<Vec<Placed<EcosystemVersion>>>,
}

/// A version of an `affected[].versions` list, with its parse when it is a version of the
/// ecosystem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedVersion {
    pub(crate) text: String,
    pub(crate) parsed: Option<EcosystemVersion>,
}

impl OsvEntry {
    /// Normalizes a parsed record; `None` when it is about no ecosystem secgate matches.
    ///
    /// Each package's ranges are placed on its ecosystem's line ([`EcosystemScheme`]), for
    /// `SEMVER` and `ECOSYSTEM` ranges alike.
    pub(crate) fn new(record: &OsvRecord) -> Option<OsvEntry> {
        let mut packages: Vec<OsvPackage> = Vec::new();
        for affected in &record.affected {
            let Some(p) = affected
                .package
                .as_ref()
                .filter(|p| is_matched(&p.ecosystem))
            else {
                continue;
            };
            if !packages
                .iter()
                .any(|q| q.ecosystem == p.ecosystem && q.name == p.name)
            {
                packages.push(package(record, &p.ecosystem, &p.name));
            }
        }
        if packages.is_empty() {
            return None;
        }
        Some(OsvEntry {
            id: record.id.clone(),
            modified: record.modified,
            withdrawn: record.withdrawn.is_some(),
            message: message(record),
            url: url(record),
            aliases: aliases(&record.id, record.aliases.iter().map(String::as_str)),
            packages,
        })
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The finding for `package`, locked at `version` (its parse by the scheme of its
    /// ecosystem, [`EcosystemScheme::of`]); `None` when the record is withdrawn or does not
    /// affect the version. PyPI names match in their PEP 503 form.
    pub(crate) fn finding(&self, package: &Package, version: &EcosystemVersion) -> Option<Finding> {
        if self.withdrawn {
            return None;
        }
        let ecosystem = package.ecosystem.as_str();
        let name = normalize_name(ecosystem, &package.name);
        let about = self
            .packages
            .iter()
            .find(|p| p.ecosystem == ecosystem && normalize_name(ecosystem, &p.name) == name)?;
        let scheme = EcosystemScheme::of(package.ecosystem);
        let hit = about
            .affected
            .iter()
            .find(|a| a.affects(scheme, &package.version, version))?;
        let mut f = Finding::new(
            hit.kind.code(),
            package.location.clone(),
            self.message.clone(),
        );
        f.severity = about.severity;
        f.fix = Some(about.upgrade.clone().unwrap_or_else(|| no_fix(hit.kind)));
        f.url = Some(self.url.clone());
        f.id = Some(self.id.clone());
        f.aliases.clone_from(&self.aliases);
        f.package = Some(PackageRef::from(package));
        Some(f)
    }
}

impl AffectedVersions {
    /// The OSV evaluation of [`crate::osv::is_affected_in`]: `text` is the version as locked
    /// and `version` its parse by `scheme`.
    fn affects(&self, scheme: EcosystemScheme, text: &str, version: &EcosystemVersion) -> bool {
        self.versions.iter().any(|v| {
            v.text == text
                || v.parsed
                    .as_ref()
                    .is_some_and(|p| scheme.compare(version, p) == Ordering::Equal)
        }) || self
            .ranges
            .iter()
            .any(|events| placed_affects(&scheme, events, version))
    }
}

/// Everything `record` says about `name` in `ecosystem`.
fn package(record: &OsvRecord, ecosystem: &str, name: &str) -> OsvPackage {
    // Only matched ecosystems get here; the fallback keeps this total.
    let scheme = EcosystemScheme::of_osv(ecosystem).unwrap_or(EcosystemScheme::CratesIo);
    let entries: Vec<_> = record.affected_package(ecosystem, name).collect();
    let mut fixed: Vec<&str> = Vec::new();
    for range in entries.iter().flat_map(|a| &a.ranges) {
        if matches!(range.kind, RangeKind::Semver | RangeKind::Ecosystem) {
            for event in &range.events {
                if let Event::Fixed(v) = event
                    && !fixed.contains(&v.as_str())
                {
                    fixed.push(v);
                }
            }
        }
    }
    let upgrade = (!fixed.is_empty()).then(|| {
        let upgrades: Vec<String> = fixed.iter().map(|v| format!(">={v}")).collect();
        format!("upgrade to {}", upgrades.join(" or "))
    });
    OsvPackage {
        ecosystem: ecosystem.to_owned(),
        name: name.to_owned(),
        // A CVSS score where the record has one; else the rating GitHub states in
        // `database_specific.severity` (the one `npm audit --audit-level` uses).
        severity: record
            .severity
            .iter()
            .chain(entries.iter().flat_map(|a| &a.severity))
            .filter_map(severity::from_osv)
            .max()
            .or_else(|| {
                record
                    .database_specific
                    .as_ref()
                    .and_then(|d| d.severity.as_deref())
                    .and_then(|s| Severity::from_name(&s.to_ascii_lowercase()))
            }),
        upgrade,
        affected: entries
            .iter()
            .map(|a| AffectedVersions {
                kind: Kind::from_informational(record.informational(a)),
                versions: a
                    .versions
                    .iter()
                    .map(|v| ListedVersion {
                        text: v.clone(),
                        parsed: scheme.parse(v),
                    })
                    .collect(),
                ranges: a
                    .ranges
                    .iter()
                    .filter(|r| {
                        matches!(r.kind, RangeKind::Semver | RangeKind::Ecosystem)
                            && unparsable_events(&scheme, &r.events).is_empty()
                    })
                    .map(|r| place(&scheme, &r.events))
                    .collect(),
            })
            .collect(),
    }
}

/// The summary, else the first line of the details, else the id.
fn message(record: &OsvRecord) -> String {
    let summary = record.summary.as_deref().map(str::trim).unwrap_or_default();
    if !summary.is_empty() {
        return summary.to_owned();
    }
    record
        .details
        .as_deref()
        .and_then(|d| {
            d.lines()
                .map(|l| l.trim_start_matches('#').trim())
                .find(|l| !l.is_empty())
        })
        .unwrap_or(&record.id)
        .to_owned()
}

/// The first `ADVISORY` reference, else the first `WEB` one, else the record on osv.dev.
fn url(record: &OsvRecord) -> String {
    let first = |kind| record.references.iter().find(|r| r.kind == kind);
    first(ReferenceKind::Advisory)
        .or_else(|| first(ReferenceKind::Web))
        .map_or_else(
            || format!("https://osv.dev/vulnerability/{}", record.id),
            |r| r.url.clone(),
        )
}
