//! The finding an OSV record produces for a locked package, shaped like a RustSec one: same
//! codes (informational kinds from RustSec's `database_specific.informational`), the summary
//! as message, `upgrade to >=X` from `fixed` events, and the advisory link.

use crate::check::no_fix;
use crate::osv::{Event, OsvRecord, RangeKind, ReferenceKind, VersionScheme, is_affected};
use crate::severity;
use secgate_core::{Code, Finding, Package, PackageRef};

/// The finding `record` gives for `package`, ordered by `scheme`; `None` when the record is
/// withdrawn or does not affect the locked version.
pub(crate) fn finding<S: VersionScheme>(
    scheme: &S,
    record: &OsvRecord,
    package: &Package,
) -> Option<Finding> {
    if record.withdrawn.is_some() {
        return None;
    }
    let entries: Vec<_> = record
        .affected_package(package.ecosystem.as_str(), &package.name)
        .collect();
    let hit = entries
        .iter()
        .find(|a| is_affected(scheme, a, &package.version))?;
    let code = match record.informational(hit) {
        None => Code::Vulnerability,
        Some("unmaintained") => Code::Unmaintained,
        Some("unsound") => Code::Unsound,
        Some(_) => Code::Notice,
    };

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
    let fix = if fixed.is_empty() {
        no_fix(code)
    } else {
        let upgrades: Vec<String> = fixed.iter().map(|v| format!(">={v}")).collect();
        format!("upgrade to {}", upgrades.join(" or "))
    };

    let mut f = Finding::new(code, package.location.clone(), message(record));
    f.severity = record
        .severity
        .iter()
        .chain(entries.iter().flat_map(|a| &a.severity))
        .filter_map(severity::from_osv)
        .max();
    f.fix = Some(fix);
    f.url = Some(url(record));
    let mut aliases: Vec<String> = record
        .aliases
        .iter()
        .filter(|a| **a != record.id)
        .cloned()
        .collect();
    aliases.sort();
    aliases.dedup();
    f.id = Some(record.id.clone());
    f.aliases = aliases;
    f.package = Some(PackageRef::from(package));
    Some(f)
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
