//! OSV sources on records written for the test (next to the real RustSec snapshot where a
//! record must merge with it) and on the real OSV snapshot: layouts, archives, bad records,
//! matching semantics and the merge with RustSec.

mod common;

use common::{crate_at, osv_dir, rustsec_dir, shared};
use secgate_advisories::{Database, DbError, SourceKind, check};
use secgate_core::{Code, Finding, Package, Severity};
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};

const HIGH: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";

/// A crates.io record with one affected package; `fields` are merged over the defaults and
/// `affected` over the affected entry's defaults.
fn record(id: &str, package: &str, affected: &Value, fields: &Value) -> Value {
    let mut entry = json!({
        "package": { "ecosystem": "crates.io", "name": package, "purl": format!("pkg:cargo/{package}") },
        "ranges": [],
        "versions": [],
    });
    merge(&mut entry, affected);
    let mut r = json!({
        "id": id,
        "modified": "2024-05-01T10:00:00Z",
        "published": "2024-05-01T10:00:00Z",
        "aliases": [],
        "summary": format!("summary of {id}"),
        "details": "details",
        "affected": [entry],
        "references": [{ "type": "ADVISORY", "url": format!("https://advisories.invalid/{id}") }],
    });
    merge(&mut r, fields);
    r
}

fn merge(into: &mut Value, from: &Value) {
    for (k, v) in from.as_object().unwrap() {
        into[k] = v.clone();
    }
}

fn semver(events: &Value) -> Value {
    json!({ "ranges": [{ "type": "SEMVER", "events": events }] })
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

fn write_record(dir: &Path, r: &Value) {
    let id = r["id"].as_str().unwrap();
    write(
        dir,
        &format!("{id}.json"),
        &serde_json::to_string_pretty(r).unwrap(),
    );
}

/// Records about packages of the ytop corpus lockfile (old pins: time 0.1.43, libc 0.2.69,
/// log 0.4.8, cfg-if 0.1.10, num-traits 0.2.11), a malformed one, and a PyPI record.
fn corpus_tree(root: &Path) -> PathBuf {
    let crates = root.join("crates.io");
    // No RustSec advisory covers libc 0.2.69: this one exists only in OSV.
    write_record(
        &crates,
        &record(
            "GHSA-aaaa-bbbb-0001",
            "libc",
            &json!({ "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0.2.0" }, { "fixed": "0.2.70" }] }] }),
            &json!({
                "aliases": ["CVE-2099-0001"],
                "summary": null,
                "details": "\n## Out-of-bounds write in `libc::demo`\n\nMore text.",
                "severity": [{ "type": "CVSS_V3", "score": HIGH }],
                "references": [
                    { "type": "PACKAGE", "url": "https://crates.invalid/crates/libc" },
                    { "type": "WEB", "url": "https://example.invalid/libc-advisory" },
                ],
            }),
        ),
    );
    // The same issue as RustSec's RUSTSEC-2020-0071 (time 0.1), under a new GHSA id.
    write_record(
        &crates,
        &record(
            "GHSA-cccc-dddd-0002",
            "time",
            &json!({ "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "0.2.23" }] }] }),
            &json!({
                "aliases": ["RUSTSEC-2020-0071", "CVE-2099-0002"],
                "severity": [{ "type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" }],
            }),
        ),
    );
    // Withdrawn: never reported.
    write_record(
        &crates,
        &record(
            "GHSA-eeee-ffff-0003",
            "log",
            &semver(&json!([{ "introduced": "0" }])),
            &json!({ "withdrawn": "2024-06-01T00:00:00Z" }),
        ),
    );
    // An explicit list of versions and no range.
    write_record(
        &crates,
        &record(
            "GHSA-gggg-hhhh-0004",
            "cfg-if",
            &json!({ "versions": ["0.1.10"] }),
            &json!({}),
        ),
    );
    // GIT ranges cannot be evaluated for registry packages.
    write_record(
        &crates,
        &record(
            "GHSA-iiii-jjjj-0005",
            "num-traits",
            &json!({ "ranges": [{ "type": "GIT", "repo": "https://example.invalid/num-traits", "events": [{ "introduced": "0" }] }] }),
            &json!({}),
        ),
    );
    write(
        &crates,
        "bad.json",
        "{\n  \"id\": \"GHSA-bad\",\n  \"modified\": ,\n}\n",
    );
    write_record(
        &root.join("PyPI"),
        &json!({
            "id": "PYSEC-2099-1",
            "modified": "2024-01-01T00:00:00.123456Z",
            "affected": [{
                "package": { "ecosystem": "PyPI", "name": "libc" },
                "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "1.0.post1" }] }],
                "versions": ["0.9", "1.0"],
            }],
        }),
    );
    root.to_path_buf()
}

fn ytop() -> Vec<Package> {
    let lockfile = "cargo-old-ytop/Cargo.lock";
    let text = std::fs::read_to_string(shared().join("corpus").join(lockfile)).unwrap();
    secgate_inventory::parse_cargo_lock(&text, lockfile)
        .unwrap()
        .packages
}

fn about<'a>(findings: &'a [Finding], name: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| f.package.as_ref().is_some_and(|p| p.name == name))
        .collect()
}

fn ids(findings: &[&Finding]) -> Vec<String> {
    let mut v: Vec<String> = findings.iter().filter_map(|f| f.id.clone()).collect();
    v.sort();
    v
}

#[test]
fn osv_records_join_the_rustsec_findings_of_a_real_lockfile() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = corpus_tree(tmp.path());
    let packages = ytop();
    let native = check(&packages, &Database::open(&[rustsec_dir()]).unwrap());
    let db = Database::open(&[rustsec_dir(), tree.clone()]).unwrap();
    let findings = check(&packages, &db);

    // The GHSA-only record is its own finding, shaped like a RustSec one.
    let libc = about(&findings, "libc");
    assert_eq!(ids(&libc), ["GHSA-aaaa-bbbb-0001"]);
    let libc = libc[0];
    assert_eq!(libc.code, Code::Vulnerability);
    assert_eq!(libc.severity, Some(Severity::High));
    assert_eq!(libc.message, "Out-of-bounds write in `libc::demo`");
    assert_eq!(libc.fix.as_deref(), Some("upgrade to >=0.2.70"));
    assert_eq!(
        libc.url.as_deref(),
        Some("https://example.invalid/libc-advisory")
    );
    assert_eq!(libc.aliases, ["CVE-2099-0001"]);
    assert_eq!(libc.location.path, "cargo-old-ytop/Cargo.lock");

    // The GHSA naming RUSTSEC-2020-0071 merges into it: one finding, the RustSec id and text,
    // the aliases of both, the higher severity (CVSS 4.0 critical over RustSec's 6.2).
    let time = about(&findings, "time");
    let native_time = about(&native, "time");
    assert_eq!(ids(&time), ids(&native_time));
    let merged = time
        .iter()
        .find(|f| f.id.as_deref() == Some("RUSTSEC-2020-0071"))
        .unwrap();
    let before = native_time
        .iter()
        .find(|f| f.id.as_deref() == Some("RUSTSEC-2020-0071"))
        .unwrap();
    assert_eq!(before.severity, Some(Severity::Medium));
    assert_eq!(merged.severity, Some(Severity::Critical));
    assert_eq!(merged.message, before.message);
    assert_eq!(merged.fix, before.fix);
    let mut aliases = before.aliases.clone();
    aliases.extend(["CVE-2099-0002".to_owned(), "GHSA-cccc-dddd-0002".to_owned()]);
    aliases.sort();
    assert_eq!(merged.aliases, aliases);

    assert_eq!(
        ids(&about(&findings, "log")),
        Vec::<String>::new(),
        "withdrawn"
    );
    assert_eq!(ids(&about(&findings, "cfg-if")), ["GHSA-gggg-hhhh-0004"]);
    assert_eq!(
        ids(&about(&findings, "num-traits")),
        Vec::<String>::new(),
        "GIT range"
    );

    // The malformed record is one warning at its real position; everything else still ran.
    let bad: Vec<_> = findings
        .iter()
        .filter(|f| f.code == Code::DbBadRecord)
        .collect();
    assert_eq!(bad.len(), 1);
    assert!(bad[0].location.path.ends_with("crates.io/bad.json"));
    assert_eq!((bad[0].location.line, bad[0].location.column), (3, 15));
    assert!(bad[0].message.starts_with("advisory record skipped: "));
    let advisories: Vec<_> = findings
        .iter()
        .filter(|f| f.code != Code::DbBadRecord)
        .collect();
    assert_eq!(
        advisories.len(),
        native.len() + 2,
        "native findings plus libc and cfg-if"
    );

    let sources: Vec<_> = db
        .sources
        .iter()
        .map(|s| {
            (
                s.kind,
                s.path.file_name().unwrap().to_string_lossy().into_owned(),
                s.records,
                s.other_ecosystems,
                s.bad_records,
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (SourceKind::Rustsec, "rustsec".to_owned(), 1205, 0, 0),
            // Ecosystem directories in byte order.
            // PyPI records are matched now (about PyPI packages, so no ytop finding).
            (SourceKind::OsvTree, "PyPI".to_owned(), 1, 0, 0),
            (SourceKind::OsvTree, "crates.io".to_owned(), 5, 0, 1),
        ]
    );
}

/// Records about made-up crates, one per rule.
fn rules_db(root: &Path) -> Database {
    let dir = root.join("crates.io");
    let records = [
        // last_affected is inclusive.
        record(
            "OSV-LAST",
            "demo",
            &semver(&json!([{ "introduced": "1.0.0" }, { "last_affected": "1.2.0" }])),
            &json!({}),
        ),
        // limit bounds the range; the events are not in order.
        record(
            "OSV-LIMIT",
            "demo",
            &semver(&json!([{ "limit": "2.5.0" }, { "introduced": "2.0.0-0" }])),
            &json!({}),
        ),
        // Pre-releases by precedence: 3.0.0-rc.1 < 3.0.0 (fixed), 3.1.0-alpha > 3.0.0.
        record(
            "OSV-PRE",
            "demo",
            &json!({ "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "2.9.0" }, { "fixed": "3.0.0" }, { "introduced": "3.1.0" }, { "fixed": "3.2.0" }] }] }),
            &json!({}),
        ),
        // An explicit list of versions, besides a range.
        record(
            "OSV-LIST",
            "demo",
            &json!({
                "versions": ["0.5.1", "0.7.0"],
                "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0.6.0" }, { "fixed": "0.6.2" }] }],
            }),
            &json!({}),
        ),
        // Informational kinds, from the affected entry or from the record.
        record(
            "OSV-UNSOUND",
            "kinds",
            &json!({
                "ranges": [{ "type": "SEMVER", "events": [{ "introduced": "0" }] }],
                "database_specific": { "informational": "unsound", "cvss": null },
            }),
            &json!({}),
        ),
        record(
            "OSV-UNMAINTAINED",
            "kinds",
            &semver(&json!([{ "introduced": "0" }])),
            &json!({ "database_specific": { "informational": "unmaintained" }, "references": [] }),
        ),
    ];
    for r in &records {
        write_record(&dir, r);
    }
    let db = Database::open(&[dir]).unwrap();
    assert!(db.bad_records.is_empty(), "{:?}", db.bad_records);
    db
}

#[test]
fn ranges_follow_the_osv_evaluation_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let db = rules_db(tmp.path());
    let hits = |version: &str| -> Vec<String> {
        let lock = [crate_at("demo", version, 4)];
        let found: Vec<_> = check(&lock, &db);
        ids(&found.iter().collect::<Vec<_>>())
    };
    let none: [&str; 0] = [];
    assert_eq!(hits("0.9.0"), none);
    assert_eq!(hits("1.0.0"), ["OSV-LAST"]);
    assert_eq!(hits("1.2.0"), ["OSV-LAST"]);
    assert_eq!(hits("1.2.1-rc.1"), none, "above last_affected");
    assert_eq!(
        hits("2.0.0-beta"),
        ["OSV-LIMIT"],
        "2.0.0-0 is below every 2.0.0 pre-release"
    );
    assert_eq!(hits("2.4.99"), ["OSV-LIMIT"]);
    assert_eq!(hits("2.5.0"), none);
    assert_eq!(hits("2.9.0"), ["OSV-PRE"]);
    assert_eq!(hits("3.0.0-rc.1"), ["OSV-PRE"]);
    assert_eq!(hits("3.0.0"), none);
    assert_eq!(
        hits("3.1.0-alpha"),
        none,
        "a pre-release of 3.1.0 is below 3.1.0"
    );
    assert_eq!(hits("3.1.5"), ["OSV-PRE"]);
    assert_eq!(hits("0.5.1"), ["OSV-LIST"]);
    assert_eq!(hits("0.5.2"), none);
    assert_eq!(hits("0.6.1"), ["OSV-LIST"]);
    assert_eq!(hits("0.7.0"), ["OSV-LIST"]);
    assert_eq!(
        hits("0.7.0+build.5"),
        ["OSV-LIST"],
        "build metadata is not precedence"
    );
}

#[test]
fn osv_findings_say_what_kind_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let db = rules_db(tmp.path());
    let pre = check(&[crate_at("demo", "3.1.5", 4)], &db);
    assert_eq!(pre[0].fix.as_deref(), Some("upgrade to >=3.0.0 or >=3.2.0"));
    assert_eq!(pre[0].message, "summary of OSV-PRE");
    assert_eq!(
        pre[0].url.as_deref(),
        Some("https://advisories.invalid/OSV-PRE")
    );
    let mut kinds: Vec<_> = check(&[crate_at("kinds", "1.0.0", 9)], &db)
        .into_iter()
        .map(|f| (f.id.unwrap(), f.code, f.fix.unwrap(), f.url.unwrap()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (
                "OSV-UNMAINTAINED".to_owned(),
                Code::Unmaintained,
                "no maintained release: move to an alternative".to_owned(),
                "https://osv.dev/vulnerability/OSV-UNMAINTAINED".to_owned()
            ),
            (
                "OSV-UNSOUND".to_owned(),
                Code::Unsound,
                "no patched release: remove the dependency or ignore the advisory with a reason"
                    .to_owned(),
                "https://advisories.invalid/OSV-UNSOUND".to_owned()
            ),
        ]
    );
}

#[test]
fn a_range_version_that_is_not_semver_makes_a_bad_record() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("crates.io");
    write_record(
        &dir,
        &record(
            "OSV-GOOD",
            "demo",
            &semver(&json!([{ "introduced": "0" }])),
            &json!({}),
        ),
    );
    write_record(
        &dir,
        &record(
            "OSV-NOT-SEMVER",
            "demo",
            &json!({ "ranges": [{ "type": "ECOSYSTEM", "events": [{ "introduced": "0" }, { "fixed": "1.2" }] }] }),
            &json!({}),
        ),
    );
    let db = Database::open(&[dir]).unwrap();
    assert_eq!(db.len(), 1);
    assert_eq!(db.bad_records.len(), 1);
    assert!(db.bad_records[0].path.ends_with("OSV-NOT-SEMVER.json"));
    assert!(
        db.bad_records[0]
            .message
            .contains("`1.2` is not a semantic version"),
        "{}",
        db.bad_records[0].message
    );
}

/// Zips every file of `dir` into `archive`, deflated.
fn zip_dir(dir: &Path, archive: &Path) {
    let file = std::fs::File::create(archive).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(&std::fs::read(dir.join(&name)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
}

fn without_paths(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.code != Code::DbBadRecord)
        .collect()
}

#[test]
fn an_all_zip_archive_loads_like_the_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = corpus_tree(&tmp.path().join("tree"));
    let zipped = tmp.path().join("zipped");
    for eco in ["crates.io", "PyPI"] {
        std::fs::create_dir_all(zipped.join(eco)).unwrap();
        zip_dir(&tree.join(eco), &zipped.join(eco).join("all.zip"));
    }
    let packages = ytop();
    let from_tree = check(
        &packages,
        &Database::open(std::slice::from_ref(&tree)).unwrap(),
    );
    assert_eq!(
        without_paths(from_tree.clone()).len(),
        3,
        "libc, time, cfg-if"
    );

    // The archive tree, one ecosystem directory holding only all.zip, and the archive itself.
    let archive = zipped.join("crates.io").join("all.zip");
    for given in [zipped.clone(), zipped.join("crates.io"), archive.clone()] {
        let db = Database::open(std::slice::from_ref(&given)).unwrap();
        let findings = check(&packages, &db);
        assert_eq!(
            without_paths(findings.clone()),
            without_paths(from_tree.clone()),
            "{}",
            given.display()
        );
        assert!(db.sources.iter().all(|s| s.kind == SourceKind::OsvZip));
        let source = db.sources.iter().find(|s| s.path == archive).unwrap();
        assert_eq!((source.records, source.bad_records), (5, 1));
        // The bad record is the archive's entry.
        assert_eq!(db.bad_records.len(), 1);
        assert_eq!(db.bad_records[0].path, archive);
        assert_eq!(db.bad_records[0].entry.as_deref(), Some("bad.json"));
        let bad: Vec<_> = findings
            .iter()
            .filter(|f| f.code == Code::DbBadRecord)
            .collect();
        assert_eq!(bad.len(), 1);
        assert!(bad[0].location.path.ends_with("crates.io/all.zip"));
        assert!(
            bad[0].message.starts_with(
                "advisory record skipped: archive entry `bad.json` line 3 column 15: "
            ),
            "{}",
            bad[0].message
        );
    }
    let pypi = Database::open(&[zipped.join("PyPI").join("all.zip")]).unwrap();
    assert_eq!(
        (pypi.sources[0].records, pypi.sources[0].other_ecosystems),
        (1, 0)
    );
}

#[test]
fn a_damaged_archive_is_unusable() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = corpus_tree(&tmp.path().join("tree"));
    let archive = tmp.path().join("all.zip");
    zip_dir(&tree.join("crates.io"), &archive);
    let bytes = std::fs::read(&archive).unwrap();

    let truncated = tmp.path().join("truncated.zip");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = Database::open(&[truncated]).unwrap_err();
    assert!(matches!(err, DbError::Archive { .. }), "{err:?}");
    assert!(err.to_string().contains("is not a readable zip archive"));

    let not_zip = tmp.path().join("notes.zip");
    std::fs::write(&not_zip, "not an archive").unwrap();
    assert!(matches!(
        Database::open(&[not_zip]),
        Err(DbError::Archive { .. })
    ));

    // An archive whose central directory is fine but one entry fails its checksum.
    let stored = tmp.path().join("stored.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&stored).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let text = serde_json::to_string(&record(
        "OSV-CRC",
        "demo",
        &semver(&json!([{ "introduced": "0" }])),
        &json!({}),
    ))
    .unwrap();
    zip.start_file("OSV-CRC.json", options).unwrap();
    zip.write_all(text.as_bytes()).unwrap();
    zip.finish().unwrap();
    let mut bytes = std::fs::read(&stored).unwrap();
    let at = bytes
        .windows(b"summary of".len())
        .position(|w| w == b"summary of")
        .unwrap();
    bytes[at] = b'S';
    std::fs::write(&stored, &bytes).unwrap();
    let err = Database::open(&[stored]).unwrap_err();
    assert!(
        matches!(&err, DbError::ArchiveEntry { entry, .. } if entry == "OSV-CRC.json"),
        "{err:?}"
    );
}

#[test]
fn the_real_osv_tree_loads_every_record() {
    let db = Database::open(&[osv_dir()]).unwrap();
    assert_eq!(db.bad_records, vec![]);
    let sources: Vec<_> = db
        .sources
        .iter()
        .map(|s| {
            (
                s.kind,
                s.path.file_name().unwrap().to_string_lossy().into_owned(),
                s.records,
                s.other_ecosystems,
            )
        })
        .collect();
    assert_eq!(
        sources,
        [
            (SourceKind::OsvTree, "PyPI".to_owned(), 2661, 0),
            (SourceKind::OsvTree, "crates.io".to_owned(), 1206, 0),
        ]
    );
    assert_eq!(db.len(), 1206 + 2661, "PyPI records are kept and matched");

    // PyPI alone: real data with ECOSYSTEM ranges in PEP 440, GIT ranges and version lists.
    let pypi = Database::open(&[osv_dir().join("PyPI")]).unwrap();
    assert_eq!(pypi.bad_records, vec![]);
    assert_eq!(pypi.sources[0].records, 2661);
    assert_eq!(pypi.len(), 2661);

    // Opened for a few names, only their records are kept (PyPI's `rsa` is a package too).
    let names = ["rsa", "time"].into_iter().collect();
    let some = Database::open_for_packages(&[osv_dir()], &names).unwrap();
    let of = |ecosystem| {
        ["rsa", "time"]
            .iter()
            .flat_map(|n| some.osv_for_package(ecosystem, n))
            .map(secgate_advisories::OsvEntry::id)
            .collect::<Vec<_>>()
    };
    let kept = of(secgate_core::Ecosystem::CratesIo);
    let python = of(secgate_core::Ecosystem::PyPI);
    assert!(!python.is_empty());
    assert_eq!(some.len(), kept.len() + python.len());
    assert!(kept.contains(&"RUSTSEC-2023-0071") && kept.contains(&"RUSTSEC-2020-0071"));
    assert_eq!(
        some.sources[1].records, 1206,
        "the source is still read whole"
    );
}

#[test]
fn the_real_crates_io_export_zipped_matches_the_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("all.zip");
    zip_dir(&osv_dir().join("crates.io"), &archive);
    let zipped = Database::open(&[archive]).unwrap();
    assert_eq!((zipped.len(), zipped.bad_records.len()), (1206, 0));
    let lockfile = "cargo-old-spotify-tui/Cargo.lock";
    let text = std::fs::read_to_string(shared().join("corpus").join(lockfile)).unwrap();
    let packages = secgate_inventory::parse_cargo_lock(&text, lockfile)
        .unwrap()
        .packages;
    let tree = Database::open(&[osv_dir().join("crates.io")]).unwrap();
    let from_zip = check(&packages, &zipped);
    assert_eq!(from_zip.len(), 27 + 12 + 14);
    assert_eq!(from_zip, check(&packages, &tree));
}

#[test]
fn the_same_record_given_twice_counts_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let events = |fixed: &str| semver(&json!([{ "introduced": "0" }, { "fixed": fixed }]));
    write_record(
        &old.join("crates.io"),
        &record("OSV-TWICE", "demo", &events("1.0.0"), &json!({})),
    );
    write_record(
        &new.join("crates.io"),
        &record(
            "OSV-TWICE",
            "demo",
            &events("2.0.0"),
            &json!({ "modified": "2024-07-01T00:00:00Z" }),
        ),
    );
    for dirs in [[old.clone(), new.clone()], [new.clone(), old.clone()]] {
        let db = Database::open(&dirs).unwrap();
        assert_eq!(db.len(), 1);
        let found = check(&[crate_at("demo", "1.5.0", 2)], &db);
        assert_eq!(found.len(), 1, "the later modified record is kept");
        assert_eq!(found[0].fix.as_deref(), Some("upgrade to >=2.0.0"));
    }
}

#[test]
fn paths_that_are_no_osv_source_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, "x").unwrap();
    assert!(matches!(
        Database::open(&[notes]),
        Err(DbError::UnknownLayout { .. })
    ));
    std::fs::create_dir_all(tmp.path().join("tree/crates.io")).unwrap();
    assert!(matches!(
        Database::open(&[tmp.path().join("tree")]),
        Err(DbError::UnknownLayout { .. })
    ));
    // An archive with no entries holds no advisories.
    let empty = tmp.path().join("empty.zip");
    zip::ZipWriter::new(std::fs::File::create(&empty).unwrap())
        .finish()
        .unwrap();
    assert!(matches!(
        Database::open(&[empty]),
        Err(DbError::Empty { .. })
    ));
}
