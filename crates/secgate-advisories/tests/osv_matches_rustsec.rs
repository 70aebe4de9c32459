//! The RustSec snapshot in its native form and in its OSV export must give the same findings on
//! every real Cargo.lock of the corpus, and both together must give each finding once.

mod common;

use common::{LOCKFILES, osv_dir, packages, rustsec_dir};
use secgate_advisories::{Database, check};
use secgate_core::{Code, Finding, Severity};
use std::collections::{BTreeSet, HashSet};

type Key = (Code, String, String);

/// `cargo audit` 0.22.2's counts on the same snapshot (see ../shared/corpus/README.md), for
/// each of [`LOCKFILES`]: vulnerabilities, unmaintained, unsound.
const CARGO_AUDIT: &[(usize, usize, usize)] = &[
    (0, 3, 0),
    (3, 4, 7),
    (14, 11, 12),
    (7, 8, 8),
    (27, 12, 14),
    (9, 7, 3),
];

fn keys(findings: &[Finding]) -> Vec<Key> {
    findings
        .iter()
        .map(|f| {
            let p = f
                .package
                .as_ref()
                .expect("advisory findings name a package");
            (
                f.code,
                f.id.clone().unwrap(),
                format!("{}@{}", p.name, p.version),
            )
        })
        .collect()
}

fn set(keys: &[Key]) -> BTreeSet<Key> {
    keys.iter().cloned().collect()
}

#[test]
fn osv_export_gives_the_same_findings_as_rustsec_and_both_give_them_once() {
    let native = Database::open(&[rustsec_dir()]).unwrap();
    let osv = Database::open(&[osv_dir().join("crates.io")]).unwrap();
    let both = Database::open(&[rustsec_dir(), osv_dir().join("crates.io")]).unwrap();
    assert!(native.bad_records.is_empty() && osv.bad_records.is_empty());
    for (lockfile, expected) in LOCKFILES.iter().zip(CARGO_AUDIT) {
        let packages = packages(lockfile);
        let native_findings = check(&packages, &native);
        let osv_findings = check(&packages, &osv);
        let from_native = keys(&native_findings);
        let from_osv = keys(&osv_findings);
        let count = |code| from_osv.iter().filter(|k| k.0 == code).count();
        assert_eq!(
            (
                count(Code::Vulnerability),
                count(Code::Unmaintained),
                count(Code::Unsound)
            ),
            *expected,
            "{lockfile}: OSV findings by kind"
        );
        let from_both = check(&packages, &both);
        let both_keys = keys(&from_both);
        assert_eq!(
            set(&from_osv),
            set(&from_native),
            "{lockfile}: OSV export and native RustSec differ"
        );
        assert_eq!(
            set(&both_keys),
            set(&from_native),
            "{lockfile}: both sources"
        );
        assert_eq!(
            both_keys.len(),
            set(&both_keys).len(),
            "{lockfile}: a finding is reported twice"
        );
        assert_eq!(from_native.len(), set(&from_native).len());
        // The export carries the same severity (CVSS vectors), aliases and title.
        assert_eq!(
            details(&osv_findings),
            details(&native_findings),
            "{lockfile}"
        );
        // Loading only the lockfile's crates gives the same findings.
        let names: HashSet<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        let filtered =
            Database::open_for_packages(&[rustsec_dir(), osv_dir().join("crates.io")], &names)
                .unwrap();
        assert_eq!(keys(&check(&packages, &filtered)), both_keys, "{lockfile}");
    }
}

type Details = (
    Option<String>,
    String,
    Option<Severity>,
    Vec<String>,
    String,
);

fn details(findings: &[Finding]) -> Vec<Details> {
    let mut v: Vec<Details> = findings
        .iter()
        .map(|f| {
            let p = f.package.as_ref().unwrap();
            (
                f.id.clone(),
                format!("{}@{}", p.name, p.version),
                f.severity,
                f.aliases.clone(),
                f.message.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The one record the OSV export has and the native tree lacks: RUSTSEC-2025-0000, a copy of
/// RUSTSEC-2025-0065 (`matrix-sdk-base`, same title, CVE and GHSA) under an id advisory-db
/// never assigned. It has a RustSec id of its own and names neither record, so it is reported
/// on its own, as two RustSec advisories sharing a CVE are. No corpus lockfile locks
/// `matrix-sdk-base`, so the corpus comparison above is exact.
#[test]
fn the_export_has_one_record_the_native_tree_lacks() {
    let native = Database::open(&[rustsec_dir()]).unwrap();
    let osv = Database::open(&[osv_dir().join("crates.io")]).unwrap();
    let both = Database::open(&[rustsec_dir(), osv_dir().join("crates.io")]).unwrap();
    assert_eq!(native.len(), 1205);
    assert_eq!(osv.len(), 1206);
    let lock = [common::crate_at("matrix-sdk-base", "0.14.0", 5)];
    let ids = |db| -> Vec<String> {
        let mut v: Vec<String> = check(&lock, db).into_iter().filter_map(|f| f.id).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&native), ["RUSTSEC-2025-0065", "RUSTSEC-2025-0135"]);
    let with_copy = [
        "RUSTSEC-2025-0000",
        "RUSTSEC-2025-0065",
        "RUSTSEC-2025-0135",
    ];
    assert_eq!(ids(&osv), with_copy);
    assert_eq!(ids(&both), with_copy);
    // Both copies are fixed in 0.14.1.
    let lock = [common::crate_at("matrix-sdk-base", "0.14.1", 5)];
    let ids = |db| -> Vec<String> { check(&lock, db).into_iter().filter_map(|f| f.id).collect() };
    assert_eq!(ids(&both), ["RUSTSEC-2025-0135"]);
}
