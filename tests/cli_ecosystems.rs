//! End to end: npm and Python dependency files through `secgate audit` — the corpus files'
//! package counts, PyPI advisories from the real OSV snapshot, and one monorepo (Cargo + npm +
//! Python) in one SARIF report.

mod common;

use common::{output_dir, s, secgate, shared};
use serde_json::Value;
use std::path::Path;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.400}"))
}

/// A small OSV tree with one npm advisory for `left-pad` below 1.3.1 (written by the test: the
/// shared snapshot has no npm records).
fn npm_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("osv-npm");
    std::fs::create_dir_all(db.join("npm")).unwrap();
    std::fs::write(
        db.join("npm/GHSA-test-left-pad.json"),
        r#"{
  "schema_version": "1.6.0",
  "id": "GHSA-test-left-pad",
  "modified": "2026-01-01T00:00:00Z",
  "summary": "left-pad pads wrongly",
  "aliases": ["CVE-2099-0001"],
  "affected": [{
    "package": {"ecosystem": "npm", "name": "left-pad"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.1"}]}]
  }],
  "database_specific": {"severity": "HIGH"}
}
"#,
    )
    .unwrap();
    db.join("npm")
}

#[test]
fn monorepo_cargo_npm_and_python_in_one_sarif_report() {
    let tmp = tempfile::tempdir().unwrap();
    let npm = npm_db(tmp.path());
    let rustsec = common::rustsec_db();
    let pypi = shared().join("advisory-data/osv/PyPI");
    let fixture = common::fixture("monorepo");
    let sarif = output_dir().join("audit-monorepo.sarif");
    let base = [
        "audit",
        s(&fixture),
        "--db",
        s(&rustsec),
        "--db",
        s(&pypi),
        "--db",
        s(&npm),
        "--offline",
    ];
    let run = secgate(&[&base[..], &["--format", "sarif", "-o", s(&sarif)]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = secgate(&[&base[..], &["--format", "json"]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    let mut found: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "vulnerability")
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    // jinja2 2.11.2 is in the `versions` of exactly one PyPI record of the snapshot
    // (PYSEC-2021-66, fixed in 2.11.3; PYSEC-2019-217 and the others were fixed before 2.11);
    // markupsafe 2.0.1 is in none.
    assert_eq!(
        found,
        [
            (
                "GHSA-test-left-pad".to_owned(),
                "web/package-lock.json".to_owned(),
                23
            ),
            (
                "PYSEC-2021-66".to_owned(),
                "py/requirements.txt".to_owned(),
                1
            ),
            ("RUSTSEC-2020-0071".to_owned(), "Cargo.lock".to_owned(), 26),
        ]
    );
    // Cargo's 6 packages, npm's 2 (the root project is not a package), Python's 2.
    assert_eq!(report["summary"]["packages"], 10);
    let sarif: Value = json(&std::fs::read_to_string(&sarif).unwrap());
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    for uri in ["Cargo.lock", "web/package-lock.json", "py/requirements.txt"] {
        assert!(uris.contains(&uri), "{uris:?}");
    }
}

/// (corpus file, packages it locks), counted as the corpus README counts them.
const CORPUS_FILES: &[(&str, usize)] = &[
    ("npm-axios/package-lock.json", 2115),
    ("npm-lock-v3-marked/package-lock.json", 652),
    ("npm-lock-v1-warehouse/package-lock.json", 1886),
    // The README's 1,296 registry packages plus the 109 `file:` workspace folders pnpm also
    // locks (kept as local packages, not audited).
    ("pnpm-vite/pnpm-lock.yaml", 1405),
    ("pnpm-vue-core/pnpm-lock.yaml", 620),
    ("yarn-v1-drawio-desktop/yarn.lock", 313),
    // The README's "~1,400 entries": 1,397 unindented `descriptor:` lines.
    ("yarn-webpack/yarn.lock", 1397),
    // pip-compile pins at column 1 with `==` (the README's "~180").
    ("pip-warehouse/requirements/main.txt", 184),
    ("pip-warehouse/requirements/deploy.txt", 8),
    ("poetry/poetry.lock", 78),
    ("uv-pydantic/uv.lock", 176),
    ("pip-hashes-warehouse/requirements/main.txt", 122),
];

#[test]
fn every_npm_and_python_corpus_file_is_audited_with_its_package_count() {
    let pypi = shared().join("advisory-data/osv/PyPI");
    for (file, packages) in CORPUS_FILES {
        let path = shared().join("corpus").join(file);
        let run = secgate(&[
            "audit",
            s(&path),
            "--db",
            s(&pypi),
            "--offline",
            "--format",
            "json",
        ]);
        assert!(run.code == 0 || run.code == 1, "{file}: {}", run.stderr);
        let report = json(&run.stdout);
        assert_eq!(report["summary"]["packages"], *packages, "{file}");
    }
}

/// Derived from the data, independently of secgate: for every `name==version` pin of
/// `pip-hashes-warehouse/requirements/main.txt` (names PEP 503-normalised), the PyPI records of
/// the snapshot, not withdrawn, whose affected `versions` list (OSV's own enumeration of the
/// affected releases) contains that exact version. A Python script over the JSON files gave
/// these 26 (id, package); secgate's range evaluation must find exactly the same.
const WAREHOUSE_2021_PYPI: &[(&str, &str)] = &[
    ("PYSEC-2020-100", "rsa"),
    ("PYSEC-2021-108", "urllib3"),
    ("PYSEC-2021-140", "pygments"),
    ("PYSEC-2021-141", "pygments"),
    ("PYSEC-2021-19", "lxml"),
    ("PYSEC-2021-421", "babel"),
    ("PYSEC-2021-59", "urllib3"),
    ("PYSEC-2021-63", "cryptography"),
    ("PYSEC-2021-66", "jinja2"),
    ("PYSEC-2021-852", "lxml"),
    ("PYSEC-2021-858", "celery"),
    ("PYSEC-2021-865", "bleach"),
    ("PYSEC-2022-230", "lxml"),
    ("PYSEC-2022-260", "mako"),
    ("PYSEC-2022-42986", "certifi"),
    ("PYSEC-2022-42991", "future"),
    ("PYSEC-2022-43012", "setuptools"),
    ("PYSEC-2022-48", "protobuf"),
    ("PYSEC-2023-11", "cryptography"),
    ("PYSEC-2023-117", "pygments"),
    ("PYSEC-2023-135", "certifi"),
    ("PYSEC-2023-192", "urllib3"),
    ("PYSEC-2023-212", "urllib3"),
    ("PYSEC-2023-254", "cryptography"),
    ("PYSEC-2023-74", "requests"),
    ("PYSEC-2024-60", "idna"),
];

#[test]
fn pypi_advisories_of_a_2021_requirements_file_match_the_snapshot_at_their_lines() {
    let file = shared().join("corpus/pip-hashes-warehouse/requirements/main.txt");
    let pypi = shared().join("advisory-data/osv/PyPI");
    let run = secgate(&[
        "audit",
        s(&file),
        "--db",
        s(&pypi),
        "--offline",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run.stdout);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        let id = f["id"].as_str().unwrap();
        let name = f["package"]["name"].as_str().unwrap();
        let version = f["package"]["version"].as_str().unwrap();
        // The finding points at the pin itself: that line names the package and version.
        let line = lines[f["location"]["line"].as_u64().unwrap() as usize - 1].to_lowercase();
        assert!(
            line.replace('_', "-").starts_with(&format!("{name}==")) && line.contains(version),
            "{id}: line `{line}` is not the pin of {name} {version}"
        );
        assert_eq!(f["package"]["purl"], format!("pkg:pypi/{name}@{version}"));
        found.push((id.to_owned(), name.to_owned()));
    }
    found.sort();
    found.dedup();
    let expected: Vec<(String, String)> = WAREHOUSE_2021_PYPI
        .iter()
        .map(|(i, n)| ((*i).to_owned(), (*n).to_owned()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn development_only_packages_follow_dev_flags_and_include_dev() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("osv-dev/npm");
    std::fs::create_dir_all(&db).unwrap();
    // An advisory for the monorepo's dev-only `is-number` 7.0.0.
    std::fs::write(
        db.join("GHSA-test-is-number.json"),
        r#"{"id": "GHSA-test-is-number", "modified": "2026-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "npm", "name": "is-number"},
    "versions": ["7.0.0"]}]}"#,
    )
    .unwrap();
    let web = common::fixture("monorepo").join("web");
    let audit = |extra: &[&str], cwd: &Path| {
        let mut args = vec![
            "audit",
            s(&web),
            "--db",
            s(&db),
            "--offline",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let run = common::secgate_in(cwd, &args);
        (run.code, json(&run.stdout), run.stderr)
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // By default (as `npm audit`), dev-only packages are audited.
    let (code, report, stderr) = audit(&[], repo);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"][0]["id"], "GHSA-test-is-number");
    let (code, report, stderr) = audit(&["--no-dev"], repo);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        report["notes"]
            .to_string()
            .contains("1 development-only package(s) not audited"),
        "{}",
        report["notes"]
    );
    // The policy says the same with `include-dev = false`; `--dev` overrides it.
    let policy_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        policy_dir.path().join("secgate.toml"),
        "[advisories]\ninclude-dev = false\n",
    )
    .unwrap();
    let config = policy_dir.path().join("secgate.toml");
    let (code, _, stderr) = audit(&["--config", s(&config)], repo);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = audit(&["--config", s(&config), "--dev"], repo);
    assert_eq!(code, 1, "{stderr}");
}

#[test]
fn severity_threshold_moderate_behaves_like_npm_audit_level_moderate() {
    // GitHub's rating in `database_specific.severity` is what `npm audit --audit-level` reads:
    // LOW is reported but passes at `moderate`, MODERATE and above fail.
    let web = common::fixture("monorepo").join("web");
    let policy = tempfile::tempdir().unwrap();
    let config = policy.path().join("secgate.toml");
    std::fs::write(&config, "[advisories]\nseverity-threshold = \"moderate\"\n").unwrap();
    for (rating, code, level) in [
        ("LOW", 0, "warn"),
        ("MODERATE", 1, "deny"),
        ("HIGH", 1, "deny"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("npm");
        std::fs::create_dir_all(&db).unwrap();
        std::fs::write(
            db.join("GHSA-rated.json"),
            format!(
                r#"{{"id": "GHSA-rated", "modified": "2026-01-01T00:00:00Z",
  "affected": [{{"package": {{"ecosystem": "npm", "name": "left-pad"}}, "versions": ["1.3.0"]}}],
  "database_specific": {{"severity": "{rating}"}}}}"#
            ),
        )
        .unwrap();
        let run = secgate(&[
            "audit",
            s(&web),
            "--db",
            s(&db),
            "--offline",
            "--config",
            s(&config),
            "--format",
            "json",
        ]);
        assert_eq!(run.code, code, "{rating}: {}", run.stderr);
        let report = json(&run.stdout);
        assert_eq!(report["findings"][0]["level"], level, "{rating}");
    }
}
