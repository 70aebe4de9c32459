//! The advisory gate: every locked package of the default registry against every source of the
//! database, one finding per (package, issue).
//!
//! A RustSec record matches as RustSec defines it (name, `patched` and `unaffected` semver
//! ranges, not withdrawn, not about another registry); an OSV record by the OSV evaluation
//! algorithm over the package's ecosystem (see [`crate::osv::is_affected`]). Findings of the
//! same issue from several sources are then merged (see `dedupe`).
//!
//! `affected.os`, `affected.arch` and `affected.functions` are not used to narrow matches: a
//! package is reported whatever the target, as `cargo audit` does without `--target-*`.

use crate::Database;
use crate::dedupe::{self, Candidate, Origin};
use crate::osv::{self, Semver};
use crate::severity;
use rustsec::Advisory;
use rustsec::advisory::Informational;
use secgate_core::{Code, Ecosystem, Finding, Location, Package, PackageRef};

/// Findings for every package in `packages` matched by an advisory in `db`, plus one
/// `db-bad-record` finding per record that failed to parse. Levels are the codes' defaults;
/// the policy sets the final ones.
pub fn check<'a>(packages: impl IntoIterator<Item = &'a Package>, db: &Database) -> Vec<Finding> {
    let mut candidates = Vec::new();
    for package in packages {
        if !package.source.is_default_registry() || package.ecosystem != Ecosystem::CratesIo {
            continue;
        }
        let Ok(version) = semver::Version::parse(&package.version) else {
            continue;
        };
        for advisory in db.for_package(&package.name) {
            if applies(advisory) && advisory.versions.is_vulnerable(&version) {
                candidates.push(Candidate {
                    finding: finding(advisory, package),
                    origin: Origin::Rustsec,
                });
            }
        }
        for record in db.osv_for_package(package.ecosystem, &package.name) {
            if let Some(finding) = osv::finding(&Semver, record, package) {
                candidates.push(Candidate {
                    finding,
                    origin: Origin::Osv,
                });
            }
        }
    }
    let mut findings = dedupe::merge(candidates);
    findings.extend(db.bad_records.iter().map(|bad| {
        let path = bad.path.to_string_lossy().replace('\\', "/");
        let message = match &bad.entry {
            Some(entry) => format!(
                "advisory record skipped: archive entry `{entry}` line {} column {}: {}",
                bad.line, bad.column, bad.message
            ),
            None => format!("advisory record skipped: {}", bad.message),
        };
        let (line, column) = if bad.entry.is_some() {
            (1, 1)
        } else {
            (bad.line, bad.column)
        };
        Finding::new(
            Code::DbBadRecord,
            Location::new(path, line, column),
            message,
        )
    }));
    findings
}

/// Withdrawn advisories never report, and neither do advisories about another registry's
/// package of the same name.
fn applies(advisory: &Advisory) -> bool {
    advisory.metadata.withdrawn.is_none()
        && advisory
            .metadata
            .source
            .as_ref()
            .is_none_or(rustsec::package::SourceId::is_default_registry)
}

fn finding(advisory: &Advisory, package: &Package) -> Finding {
    let code = match &advisory.metadata.informational {
        None => Code::Vulnerability,
        Some(Informational::Unmaintained) => Code::Unmaintained,
        Some(Informational::Unsound) => Code::Unsound,
        // `Other` and kinds added later (the enum is non-exhaustive) are still worth a notice.
        Some(_) => Code::Notice,
    };
    let id = advisory.metadata.id.as_str().to_owned();
    let mut aliases: Vec<String> = advisory
        .metadata
        .aliases
        .iter()
        .map(|a| a.as_str().to_owned())
        .filter(|a| *a != id)
        .collect();
    aliases.sort();
    aliases.dedup();
    let mut f = Finding::new(
        code,
        package.location.clone(),
        advisory.metadata.title.trim().to_owned(),
    );
    f.severity = advisory.severity().map(severity::from_cvss);
    f.fix = Some(fix(advisory, code));
    f.url = Some(advisory.metadata.url.as_ref().map_or_else(
        || format!("https://rustsec.org/advisories/{id}"),
        ToString::to_string,
    ));
    f.id = Some(id);
    f.aliases = aliases;
    f.package = Some(PackageRef::from(package));
    f
}

fn fix(advisory: &Advisory, code: Code) -> String {
    let patched = advisory.versions.patched();
    if patched.is_empty() {
        return no_fix(code);
    }
    let ranges: Vec<String> = patched
        .iter()
        .map(|r| r.to_string().replace(' ', ""))
        .collect();
    format!("upgrade to {}", ranges.join(" or "))
}

/// The fix text of an advisory with no patched version.
pub(crate) fn no_fix(code: Code) -> String {
    match code {
        Code::Unmaintained => "no maintained release: move to an alternative".to_owned(),
        _ => "no patched release: remove the dependency or ignore the advisory with a reason"
            .to_owned(),
    }
}
