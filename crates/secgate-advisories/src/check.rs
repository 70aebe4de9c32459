//! The advisory gate: every locked package of the default registry against every source of the
//! database, one finding per (package, issue).
//!
//! A RustSec record matches a crates.io package as RustSec defines it (name, `patched` and
//! `unaffected` semver ranges, not withdrawn, not about another registry); an OSV record
//! matches a crates.io, npm or PyPI package by the OSV evaluation algorithm over the package's
//! ecosystem (see [`crate::osv::is_affected_in`]). A version its ecosystem cannot parse is not
//! matched. Findings of the
//! same issue from several sources are then merged (see `dedupe`). Both are evaluated on their
//! normalized form ([`crate::RustsecEntry`], [`crate::OsvEntry`]), whether the database was
//! parsed or read from its index.
//!
//! `affected.os`, `affected.arch` and `affected.functions` are not used to narrow matches: a
//! package is reported whatever the target, as `cargo audit` does without `--target-*`.

use crate::Database;
use crate::dedupe::{self, Candidate, Origin};
use crate::osv::{EcosystemScheme, EcosystemVersion, VersionScheme as _};
use secgate_core::{Code, Ecosystem, Finding, Location, Package};

/// Findings for every package in `packages` matched by an advisory in `db`, plus one
/// `db-bad-record` finding per record that failed to parse. Levels are the codes' defaults;
/// the policy sets the final ones.
pub fn check<'a>(packages: impl IntoIterator<Item = &'a Package>, db: &Database) -> Vec<Finding> {
    let mut candidates = Vec::new();
    for package in packages {
        if !package.source.is_default_registry() {
            continue;
        }
        let Some(version) = EcosystemScheme::of(package.ecosystem).parse(&package.version) else {
            continue;
        };
        if let (Ecosystem::CratesIo, EcosystemVersion::Semver(semver)) =
            (package.ecosystem, &version)
        {
            for advisory in db.for_package(&package.name) {
                if let Some(finding) = advisory.finding(package, semver) {
                    candidates.push(Candidate {
                        finding,
                        origin: Origin::Rustsec,
                    });
                }
            }
        }
        for record in db.osv_for_package(package.ecosystem, &package.name) {
            if let Some(finding) = record.finding(package, &version) {
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
