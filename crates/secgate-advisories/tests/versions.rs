//! npm and PyPI version semantics in OSV matching: the orderings, `is_affected_in`, and the
//! database lookup over hand-written npm records and the real `PyPA` snapshot.

mod common;

use common::{osv_dir, shared};
use secgate_advisories::osv::{
    Affected, EcosystemScheme, NpmSemver, OsvRecord, Pep440Version, VersionScheme, is_affected_in,
    pep503_name,
};
use secgate_advisories::{AdvisoryIndex, Database, IndexUse, check};
use secgate_core::{Ecosystem, Finding, Location, Package, PackageSource};
use serde_json::{Value, json};
use std::cmp::Ordering;
use std::path::Path;

fn pep440(text: &str) -> Pep440Version {
    Pep440Version::parse(text).unwrap()
}

fn npm_order(a: &str, b: &str) -> Ordering {
    NpmSemver.compare(&NpmSemver.parse(a).unwrap(), &NpmSemver.parse(b).unwrap())
}

/// The `affected` entries of a record written as JSON.
fn affected(entry: &Value) -> Affected {
    let record: OsvRecord = serde_json::from_value(json!({
        "id": "TEST-1",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [entry],
    }))
    .unwrap();
    record.affected.into_iter().next().unwrap()
}

fn package(ecosystem: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem,
        source: PackageSource::DefaultRegistry,
        checksum: None,
        dependencies: vec![],
        direct: None,
        dev: false,
        location: Location::new("lockfile", 1, 1),
    }
}

fn ids_for(findings: &[Finding], name: &str) -> Vec<String> {
    let mut ids: Vec<String> = findings
        .iter()
        .filter(|f| f.package.as_ref().is_some_and(|p| p.name == name))
        .filter_map(|f| f.id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn npm_pre_releases_sort_before_their_release() {
    assert_eq!(npm_order("1.0.0-rc.1", "1.0.0"), Ordering::Less);
    assert_eq!(npm_order("1.0.0-rc.2", "1.0.0-rc.10"), Ordering::Less);
    assert_eq!(npm_order("v1.0.0", "=1.0.0+build.3"), Ordering::Equal);
}

#[test]
fn pep440_tricky_orderings() {
    assert!(pep440("1.0.post1") > pep440("1.0"));
    assert!(pep440("1!0.1") > pep440("2.0"));
    assert!(pep440("1.0+local") > pep440("1.0"));
    assert!(pep440("1.0+local") < pep440("1.0.post0"));
    assert_ne!(pep440("1.0+local"), pep440("1.0"));
    assert_eq!(pep440("1.0+LOCAL"), pep440("1.0+local"));
    assert_eq!(pep440("1.0"), pep440("1.0.0"));
    assert_eq!(pep440("1!1.0"), pep440("1!1"));
    let line = ["1.0.dev0", "1.0a1", "1.0b1", "1.0rc1", "1.0"];
    for pair in line.windows(2) {
        assert!(pep440(pair[0]) < pep440(pair[1]), "{pair:?}");
    }
    assert!(pep440("1.0.post0.dev0") < pep440("1.0.post0"));
    assert!(pep440("1.0.post0.dev0") > pep440("1.0"));
    assert_eq!(
        EcosystemScheme::of(Ecosystem::PyPI).parse("0.4m1"),
        None,
        "legacy versions are not PEP 440"
    );
}

#[test]
fn pypi_versions_lists_match_after_normalization() {
    let entry = affected(&json!({
        "package": { "ecosystem": "PyPI", "name": "demo" },
        "versions": ["1.0", "2.0rc1", "3.0.post1"],
    }));
    for (locked, hit) in [
        ("1.0", true),
        ("1.0.0", true),
        ("v1.0", true),
        ("2.0-RC-1", true),
        ("2.0", false),
        ("3.0-1", true),
        ("1.0+local", false),
        ("not a version", false),
    ] {
        assert_eq!(
            is_affected_in(Ecosystem::PyPI, &entry, locked),
            hit,
            "{locked}"
        );
    }
}

#[test]
fn pypi_ecosystem_ranges_use_pep440() {
    let entry = affected(&json!({
        "package": { "ecosystem": "PyPI", "name": "demo" },
        "ranges": [{ "type": "ECOSYSTEM", "events": [
            { "introduced": "1.0a1" }, { "fixed": "1.0.post1" },
            { "introduced": "2.0" }, { "last_affected": "2.1" },
        ] }],
    }));
    for (locked, hit) in [
        ("1.0.dev0", false),
        ("1.0a1", true),
        ("1.0", true),
        ("1.0.0+ubuntu1", true),
        ("1.0.post0", true),
        ("1.0.post1", false),
        ("1.5", false),
        ("2.0.0", true),
        ("2.1.0", true),
        ("2.1+local", false),
        ("2.1.post1", false),
    ] {
        assert_eq!(
            is_affected_in(Ecosystem::PyPI, &entry, locked),
            hit,
            "{locked}"
        );
    }
    // A range the scheme cannot fully place is not evaluated (real PyPA data has a fixed date).
    let dated = affected(&json!({
        "package": { "ecosystem": "PyPI", "name": "demo" },
        "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "2019-09-12" }] }],
        "versions": ["0.9"],
    }));
    assert!(is_affected_in(Ecosystem::PyPI, &dated, "0.9.0"));
    assert!(!is_affected_in(Ecosystem::PyPI, &dated, "5.0"));
}

#[test]
fn npm_semver_ranges_order_pre_releases() {
    let entry = affected(&json!({
        "package": { "ecosystem": "npm", "name": "demo" },
        "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "1.0.0-rc.1" }, { "fixed": "1.2.0-beta.2" }] }],
        "versions": ["v0.5.0"],
    }));
    for (locked, hit) in [
        ("1.0.0-beta", false),
        ("1.0.0-rc.1", true),
        ("1.0.0", true),
        ("v1.1.9", true),
        ("1.2.0-beta.1", true),
        ("1.2.0-beta.2", false),
        ("1.2.0", false),
        ("0.5.0", true),
        ("^1.0.0", false),
    ] {
        assert_eq!(
            is_affected_in(Ecosystem::Npm, &entry, locked),
            hit,
            "{locked}"
        );
    }
}

fn write_record(dir: &Path, record: &Value) {
    std::fs::create_dir_all(dir).unwrap();
    let id = record["id"].as_str().unwrap();
    std::fs::write(dir.join(format!("{id}.json")), record.to_string()).unwrap();
}

/// Three npm records: a SEMVER range with pre-releases, a `last_affected` one, and a version
/// list; plus a PyPI record under a spelling of the name that is not normalized.
fn npm_and_pypi_tree(root: &Path) {
    let npm = root.join("npm");
    let record = |id: &str, affected: Value| {
        json!({
            "id": id,
            "modified": "2024-05-01T00:00:00Z",
            "summary": format!("{id} summary"),
            "affected": [affected],
        })
    };
    write_record(
        &npm,
        &record(
            "GHSA-npm-0001",
            json!({
                "package": { "ecosystem": "npm", "name": "left-pad" },
                "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }, { "fixed": "2.0.0-rc.1" }] }],
            }),
        ),
    );
    write_record(
        &npm,
        &record(
            "GHSA-npm-0002",
            json!({
                "package": { "ecosystem": "npm", "name": "@scope/tool" },
                "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "3.0.0-alpha.0" }, { "last_affected": "3.1.4" }] }],
            }),
        ),
    );
    write_record(
        &npm,
        &record(
            "GHSA-npm-0003",
            json!({
                "package": { "ecosystem": "npm", "name": "left-pad" },
                "versions": ["2.0.0"],
            }),
        ),
    );
    write_record(
        &root.join("PyPI"),
        &record(
            "PYSEC-2099-1",
            json!({
                "package": { "ecosystem": "PyPI", "name": "Zope.Interface" },
                "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "5.0" }] }],
            }),
        ),
    );
}

#[test]
fn npm_and_pypi_records_load_from_a_tree_and_match_through_check() {
    let tmp = tempfile::tempdir().unwrap();
    npm_and_pypi_tree(tmp.path());
    let db = Database::open(&[tmp.path().to_path_buf()]).unwrap();
    assert_eq!(db.bad_records, vec![]);
    assert_eq!(db.len(), 4);
    let sources: Vec<_> = db
        .sources
        .iter()
        .map(|s| {
            (
                s.path.file_name().unwrap().to_owned(),
                s.records,
                s.other_ecosystems,
            )
        })
        .collect();
    assert_eq!(
        sources,
        [("PyPI".into(), 1, 0), ("npm".into(), 3, 0)],
        "ecosystem directories in byte order"
    );

    let packages = [
        package(Ecosystem::Npm, "left-pad", "1.3.0"),
        package(Ecosystem::Npm, "left-pad", "2.0.0-beta"),
        package(Ecosystem::Npm, "left-pad", "2.0.0-rc.1"),
        package(Ecosystem::Npm, "left-pad", "2.0.0"),
        package(Ecosystem::Npm, "@scope/tool", "3.0.0-beta.1"),
        package(Ecosystem::Npm, "@scope/tool", "3.1.4"),
        package(Ecosystem::Npm, "@scope/tool", "3.1.5-rc.0"),
        package(Ecosystem::PyPI, "zope-interface", "4.7.2"),
        // An npm package never matches a PyPI record of the same name, nor the reverse.
        package(Ecosystem::PyPI, "left-pad", "1.0"),
    ];
    let hits: Vec<(String, String, String)> = check(&packages, &db)
        .into_iter()
        .map(|f| {
            let p = f.package.unwrap();
            (p.name, p.version, f.id.unwrap())
        })
        .collect();
    let expect = |n: &str, v: &str, id: &str| (n.to_owned(), v.to_owned(), id.to_owned());
    assert_eq!(
        hits,
        [
            expect("left-pad", "1.3.0", "GHSA-npm-0001"),
            expect("left-pad", "2.0.0-beta", "GHSA-npm-0001"),
            expect("left-pad", "2.0.0", "GHSA-npm-0003"),
            expect("@scope/tool", "3.0.0-beta.1", "GHSA-npm-0002"),
            expect("@scope/tool", "3.1.4", "GHSA-npm-0002"),
            expect("zope-interface", "4.7.2", "PYSEC-2099-1"),
        ]
    );
    let fix = check(&packages[..1], &db).remove(0).fix;
    assert_eq!(fix.as_deref(), Some("upgrade to >=2.0.0-rc.1"));

    // The lookup normalizes PyPI names on both sides, and only PyPI names.
    for name in ["Zope.Interface", "zope_interface", "ZOPE--interface"] {
        assert_eq!(
            db.osv_for_package(Ecosystem::PyPI, name).count(),
            1,
            "{name}"
        );
    }
    assert_eq!(db.osv_for_package(Ecosystem::Npm, "Left-Pad").count(), 0);
    let names = ["ZOPE_interface"].into_iter().collect();
    let some = Database::open_for_packages(&[tmp.path().to_path_buf()], &names).unwrap();
    assert_eq!(some.len(), 1, "opening for a PyPI name keeps its records");
}

#[test]
fn pep503_names() {
    assert_eq!(pep503_name("Jinja2"), "jinja2");
    assert_eq!(pep503_name("jw.util"), "jw-util");
    assert_eq!(pep503_name("Foo__Bar-.baz"), "foo-bar-baz");
}

/// The `name==version` pins of a pip-compile requirements file (hash lines skipped).
fn pins(requirements: &str) -> Vec<Package> {
    requirements
        .lines()
        .filter_map(|line| {
            let spec = line.split([' ', ';', '\\']).next()?;
            let (name, version) = spec.split_once("==")?;
            Some(package(Ecosystem::PyPI, name, version))
        })
        .collect()
}

#[test]
fn the_real_pypi_snapshot_reports_what_its_records_say() {
    let requirements =
        std::fs::read_to_string(shared().join("corpus/pip-hashes-warehouse/requirements/main.txt"))
            .unwrap();
    let mut packages = pins(&requirements);
    assert!(packages.len() > 100, "{} pins", packages.len());
    // Locked under a spelling the records do not use: PEP 503 makes it the same project.
    packages.push(package(Ecosystem::PyPI, "Jinja2", "2.11.2"));
    let db = Database::open(&[osv_dir().join("PyPI")]).unwrap();
    assert_eq!(db.bad_records, vec![]);
    let findings = check(&packages, &db);

    // Derived by reading every PYSEC record naming each package (ECOSYSTEM ranges; each
    // record's `versions` list agrees):
    // - jinja2 2.11.2: PYSEC-2021-66 (introduced 0, fixed 2.11.3). The older ones are fixed
    //   at or before 2.10.1 (PYSEC-2014-8 2.7.2, 2014-82 2.7.3, 2019-217 2.10.1, 2019-220
    //   2.8.1).
    // - urllib3 1.26.2: PYSEC-2021-108 (0..1.26.5), 2021-59 (1.26.0..1.26.4), 2023-192 and
    //   2023-212 (events out of order: introduced 2.0.0, fixed 2.0.6/2.0.7, introduced 0,
    //   fixed 1.26.17/1.26.18). Not 2017-98 (1.17..1.18.1), 2020-149 (1.25.2..1.25.8), nor
    //   those fixed at 1.23, 1.24.2, 1.24.3, 1.25.9.
    // - requests 2.25.0: PYSEC-2023-74 (2.3.0..2.31.0); 2014-13/14, 2015-17, 2018-28 are fixed
    //   by 2.20.0.
    // - lxml 4.6.2: PYSEC-2021-19 (fixed 4.6.3), 2021-852 (4.6.5), 2022-230 (4.9.1); not
    //   PYSEC-2020-62, whose `fixed` is exactly 4.6.2.
    // - cryptography 3.3.1: PYSEC-2021-63 (3.1..3.3.2), 2023-11 (1.8..39.0.1), 2023-254
    //   (3.1..41.0.6); not 2023-112 (40.0.0..41.0.2) nor those fixed by 3.2.1.
    // - babel 2.9.0: PYSEC-2021-421 (fixed 2.9.1).
    let expected: &[(&str, &[&str])] = &[
        ("jinja2", &["PYSEC-2021-66"]),
        ("Jinja2", &["PYSEC-2021-66"]),
        (
            "urllib3",
            &[
                "PYSEC-2021-108",
                "PYSEC-2021-59",
                "PYSEC-2023-192",
                "PYSEC-2023-212",
            ],
        ),
        ("requests", &["PYSEC-2023-74"]),
        (
            "lxml",
            &["PYSEC-2021-19", "PYSEC-2021-852", "PYSEC-2022-230"],
        ),
        (
            "cryptography",
            &["PYSEC-2021-63", "PYSEC-2023-11", "PYSEC-2023-254"],
        ),
        ("babel", &["PYSEC-2021-421"]),
    ];
    for (name, ids) in expected {
        assert_eq!(ids_for(&findings, name), *ids, "{name}");
    }
    let babel = findings
        .iter()
        .find(|f| f.id.as_deref() == Some("PYSEC-2021-421"))
        .unwrap();
    assert_eq!(babel.fix.as_deref(), Some("upgrade to >=2.9.1"));

    // The same through the prebuilt index: PEP 440 versions survive the round trip.
    let tmp = tempfile::tempdir().unwrap();
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let dirs = [osv_dir().join("PyPI")];
    let cold = Database::open_indexed(&dirs, None, Some(&index)).unwrap();
    let warm = Database::open_indexed(&dirs, None, Some(&index)).unwrap();
    assert_eq!(cold.sources[0].index, IndexUse::Built);
    assert_eq!(warm.sources[0].index, IndexUse::Read);
    assert_eq!(check(&packages, &cold), findings);
    assert_eq!(check(&packages, &warm), findings);
}
