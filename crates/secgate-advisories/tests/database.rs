//! Loading RustSec directories: the real snapshot, a bad record among good ones, and matching
//! semantics on records written for the test.

use secgate_advisories::{Database, DbError, check};
use secgate_core::{Code, Ecosystem, Location, Package, PackageSource, Severity};
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("advisory-data/rustsec/crates").is_dir(),
        "../shared/advisory-data is required for these tests (set SECGATE_SHARED)"
    );
    dir
}

fn record(id: &str, package: &str, extra_advisory: &str, versions: &str) -> String {
    format!(
        "```toml\n[advisory]\nid = \"{id}\"\npackage = \"{package}\"\ndate = \"2024-01-01\"\n\
         aliases = [\"CVE-2024-0001\"]\n{extra_advisory}\n\n[versions]\n{versions}\n```\n\n\
         # A title for {id}\n\nSome description.\n"
    )
}

fn write(db: &Path, package: &str, id: &str, text: &str) {
    let dir = db.join("crates").join(package);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
}

fn pkg(name: &str, version: &str, source: PackageSource) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        ecosystem: Ecosystem::CratesIo,
        source,
        checksum: None,
        dependencies: vec![],
        direct: None,
        dev: false,
        location: Location::new("Cargo.lock", 10, 1),
    }
}

#[test]
fn real_snapshot_loads_every_crate_advisory() {
    let db = Database::open(&[shared().join("advisory-data/rustsec")]).unwrap();
    assert_eq!(db.bad_records, vec![], "the real snapshot parses cleanly");
    // The snapshot has 1,205 advisory files under crates/ (for 908 crates), none a draft.
    assert_eq!(db.len(), 1205);
    assert!(db.for_package("rsa").any(|a| a.id() == "RUSTSEC-2023-0071"));
}

#[test]
fn one_bad_record_is_reported_and_the_rest_still_match() {
    let tmp = tempfile::tempdir().unwrap();
    let real = shared().join("advisory-data/rustsec/crates");
    for (krate, id) in [("rsa", "RUSTSEC-2023-0071"), ("time", "RUSTSEC-2020-0071")] {
        let text = std::fs::read_to_string(real.join(krate).join(format!("{id}.md"))).unwrap();
        write(tmp.path(), krate, id, &text);
    }
    write(
        tmp.path(),
        "broken",
        "RUSTSEC-2099-0001",
        "```toml\n[advisory]\nid = \n```\n# x\n",
    );
    let db = Database::open(&[tmp.path().to_path_buf()]).unwrap();
    assert_eq!(db.len(), 2);
    assert_eq!(db.bad_records.len(), 1);
    let bad = &db.bad_records[0];
    assert!(bad.path.ends_with("crates/broken/RUSTSEC-2099-0001.md"));
    assert!(!bad.message.is_empty());

    let packages = [
        pkg("rsa", "0.9.6", PackageSource::DefaultRegistry),
        pkg("time", "0.1.43", PackageSource::DefaultRegistry),
    ];
    let findings = check(&packages, &db);
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| (f.code, f.id.clone().unwrap_or_default()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (Code::Vulnerability, "RUSTSEC-2020-0071".to_owned()),
            (Code::Vulnerability, "RUSTSEC-2023-0071".to_owned()),
            (Code::DbBadRecord, String::new()),
        ]
    );
    let rsa = findings
        .iter()
        .find(|f| f.id.as_deref() == Some("RUSTSEC-2023-0071"))
        .unwrap();
    assert_eq!(rsa.severity, Some(Severity::Medium));
    assert!(rsa.aliases.contains(&"CVE-2023-49092".to_owned()));
    assert_eq!(rsa.location.line, 10);
    let bad_finding = findings
        .iter()
        .find(|f| f.code == Code::DbBadRecord)
        .unwrap();
    assert!(
        bad_finding
            .location
            .path
            .ends_with("crates/broken/RUSTSEC-2099-0001.md")
    );
    assert!(bad_finding.message.starts_with("advisory record skipped: "));
}

#[test]
fn ranges_withdrawn_informational_and_sources_follow_rustsec() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "demo",
        "RUSTSEC-2024-0001",
        &record(
            "RUSTSEC-2024-0001",
            "demo",
            "",
            "patched = [\">= 1.2.0\"]\nunaffected = [\"< 1.0.0\"]",
        ),
    );
    write(
        tmp.path(),
        "demo",
        "RUSTSEC-2024-0002",
        &record(
            "RUSTSEC-2024-0002",
            "demo",
            "withdrawn = \"2024-02-01\"",
            "patched = []",
        ),
    );
    write(
        tmp.path(),
        "old",
        "RUSTSEC-2024-0003",
        &record(
            "RUSTSEC-2024-0003",
            "old",
            "informational = \"unmaintained\"",
            "patched = []",
        ),
    );
    let db = Database::open(&[tmp.path().to_path_buf()]).unwrap();
    let ids = |packages: &[Package]| -> Vec<(String, Code)> {
        check(packages, &db)
            .into_iter()
            .map(|f| (f.package.unwrap().version, f.code))
            .collect()
    };
    let registry = PackageSource::DefaultRegistry;
    assert_eq!(ids(&[pkg("demo", "0.9.0", registry.clone())]), vec![]);
    assert_eq!(
        ids(&[pkg("demo", "1.1.5", registry.clone())]),
        vec![("1.1.5".to_owned(), Code::Vulnerability)]
    );
    assert_eq!(ids(&[pkg("demo", "1.2.0", registry.clone())]), vec![]);
    // Pre-releases of the patched version are still vulnerable.
    assert_eq!(
        ids(&[pkg("demo", "1.2.0-rc.1", registry.clone())]),
        vec![("1.2.0-rc.1".to_owned(), Code::Vulnerability)]
    );
    // Workspace members, path, git and other-registry packages are not crates.io's `demo`.
    assert_eq!(ids(&[pkg("demo", "1.1.5", PackageSource::Local)]), vec![]);
    assert_eq!(
        ids(&[pkg(
            "demo",
            "1.1.5",
            PackageSource::Git {
                url: "https://example.com/demo".into(),
                rev: None
            }
        )]),
        vec![]
    );
    assert_eq!(
        ids(&[pkg(
            "demo",
            "1.1.5",
            PackageSource::Registry("https://my.registry/index".into())
        )]),
        vec![]
    );
    let unmaintained = check(&[pkg("old", "3.0.0", registry)], &db);
    assert_eq!(unmaintained.len(), 1);
    assert_eq!(unmaintained[0].code, Code::Unmaintained);
    assert_eq!(
        unmaintained[0].fix.as_deref(),
        Some("no maintained release: move to an alternative")
    );
    let vuln = check(&[pkg("demo", "1.1.5", PackageSource::DefaultRegistry)], &db);
    assert_eq!(vuln[0].fix.as_deref(), Some("upgrade to >=1.2.0"));
    assert_eq!(vuln[0].message, "A title for RUSTSEC-2024-0001");
    assert_eq!(vuln[0].aliases, vec!["CVE-2024-0001".to_owned()]);
}

#[test]
fn unusable_directories_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(
        Database::open(&[tmp.path().join("nope")]),
        Err(DbError::Missing { .. })
    ));
    assert!(matches!(
        Database::open(&[tmp.path().to_path_buf()]),
        Err(DbError::UnknownLayout { .. })
    ));
    std::fs::create_dir(tmp.path().join("crates")).unwrap();
    assert!(matches!(
        Database::open(&[tmp.path().to_path_buf()]),
        Err(DbError::Empty { .. })
    ));
}
