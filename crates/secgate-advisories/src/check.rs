//! The advisory gate: every locked package of the default registry against the database, as
//! RustSec defines a match (name, `patched` and `unaffected` semver ranges, not withdrawn).
//!
//! `affected.os`, `affected.arch` and `affected.functions` are not used to narrow matches: a
//! package is reported whatever the target, as `cargo audit` does without `--target-*`.

use crate::Database;
use rustsec::Advisory;
use rustsec::advisory::Informational;
use secgate_core::{Code, Finding, Location, Package, PackageRef, Severity};

/// Findings for every package in `packages` matched by an advisory in `db`, plus one
/// `db-bad-record` finding per record that failed to parse. Levels are the codes' defaults;
/// the policy sets the final ones.
pub fn check<'a>(packages: impl IntoIterator<Item = &'a Package>, db: &Database) -> Vec<Finding> {
    let mut findings = Vec::new();
    for package in packages {
        if !package.source.is_default_registry() {
            continue;
        }
        let Ok(version) = semver::Version::parse(&package.version) else {
            continue;
        };
        for advisory in db.for_package(&package.name) {
            if applies(advisory) && advisory.versions.is_vulnerable(&version) {
                findings.push(finding(advisory, package));
            }
        }
    }
    findings.extend(db.bad_records.iter().map(|bad| {
        Finding::new(
            Code::DbBadRecord,
            Location::new(bad.path.to_string_lossy().replace('\\', "/"), 1, 1),
            format!("advisory record skipped: {}", bad.message),
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
    f.severity = advisory.severity().map(severity);
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
        return match code {
            Code::Unmaintained => "no maintained release: move to an alternative".to_owned(),
            _ => "no patched release: remove the dependency or ignore the advisory with a reason"
                .to_owned(),
        };
    }
    let ranges: Vec<String> = patched
        .iter()
        .map(|r| r.to_string().replace(' ', ""))
        .collect();
    format!("upgrade to {}", ranges.join(" or "))
}

fn severity(s: rustsec::advisory::Severity) -> Severity {
    match s {
        rustsec::advisory::Severity::None => Severity::None,
        rustsec::advisory::Severity::Low => Severity::Low,
        rustsec::advisory::Severity::Medium => Severity::Medium,
        rustsec::advisory::Severity::High => Severity::High,
        rustsec::advisory::Severity::Critical => Severity::Critical,
    }
}
