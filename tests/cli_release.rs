//! End to end: `secgate verify release` on a temp repository with a tag signed by a real SSH
//! key, release artifacts, their SHA256SUMS and an SBOM written by `secgate sbom`; then each
//! way a release can be wrong, with its specific finding.

mod common;

use common::signing::Lab;
use common::{output_dir, rustsec_db, s, secgate_in};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const PACKAGE_JSON: &str = r#"{
  "name": "app",
  "version": "1.0.0",
  "license": "MIT",
  "dependencies": { "is-number": "7.0.0" }
}
"#;

const PACKAGE_LOCK: &str = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "app", "version": "1.0.0", "license": "MIT", "dependencies": { "is-number": "7.0.0" } },
    "node_modules/is-number": {
      "version": "7.0.0",
      "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz",
      "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",
      "license": "MIT"
    }
  }
}
"#;

/// A repository with a policy requiring signed tags (Alice's SSH key), a small npm project,
/// HEAD tagged `v1.0` by Alice; and `dist/` (outside the repository) with an artifact, the SBOM
/// and SHA256SUMS over both.
fn release_lab() -> (Lab, PathBuf) {
    let lab = Lab::new();
    lab.ssh_key("alice");
    lab.allowed_signers(
        &lab.repo().join(".github/allowed_signers"),
        &[("alice@example.com", "namespaces=\"git\"", "alice")],
    );
    let repo = lab.repo();
    std::fs::write(
        repo.join("secgate.toml"),
        "[signatures]\ntags = \"required\"\nallowed-signers = \".github/allowed_signers\"\n",
    )
    .unwrap();
    std::fs::write(repo.join("package.json"), PACKAGE_JSON).unwrap();
    std::fs::write(repo.join("package-lock.json"), PACKAGE_LOCK).unwrap();
    lab.git(&["add", "."]);
    lab.git(&["commit", "-q", "-m", "app 1.0"]);
    sign_tag(&lab, "v1.0");

    let dist = lab.dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("app-1.0.tar.gz"), b"the release archive\n").unwrap();
    let sbom = secgate_in(
        &repo,
        &["sbom", ".", "--output", s(&dist.join("sbom.cdx.json"))],
    );
    assert_eq!(sbom.code, 0, "{}", sbom.stderr);
    write_sums(&dist, &["app-1.0.tar.gz", "sbom.cdx.json"]);
    (lab, dist)
}

fn sign_tag(lab: &Lab, tag: &str) {
    let sign = [
        "-c".to_owned(),
        "gpg.format=ssh".to_owned(),
        "-c".to_owned(),
        format!("user.signingKey={}", lab.keys().join("alice").display()),
    ];
    let mut args: Vec<&str> = sign.iter().map(String::as_str).collect();
    args.extend(["tag", "-s", tag, "-m", tag]);
    lab.git(&args);
}

fn write_sums(dist: &Path, files: &[&str]) {
    let mut sums = String::new();
    for file in files {
        let digest = Sha256::digest(std::fs::read(dist.join(file)).unwrap());
        for byte in digest {
            write!(sums, "{byte:02x}").unwrap();
        }
        writeln!(sums, "  {file}").unwrap();
    }
    std::fs::write(dist.join("SHA256SUMS"), sums).unwrap();
}

fn verify(lab: &Lab, dist: &Path, extra: &[&str]) -> (i32, Value, String) {
    let db = rustsec_db();
    let mut args = vec![
        "verify",
        "release",
        "--tag",
        "v1.0",
        "--artifacts",
        s(dist),
        "--db",
        s(&db),
        "--format",
        "json",
    ];
    args.extend(extra);
    let run = secgate_in(&lab.repo(), &args);
    let report = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (run.code, report, run.stderr)
}

/// (code, id or file) of every finding at level deny.
fn denied(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == "deny")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["id"]
                    .as_str()
                    .or(f["location"]["path"].as_str())
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

fn pair(code: &str, what: &str) -> (String, String) {
    (code.to_owned(), what.to_owned())
}

#[test]
fn a_complete_release_passes_with_every_part_named() {
    let (lab, dist) = release_lab();
    let (code, report, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 0, "{stderr}\n{report:#}");
    assert_eq!(denied(&report), []);
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for expected in [
        "release: tag `v1.0` signed by alice@example.com",
        "release: tag `v1.0` is on the released commit",
        "SHA256SUMS`: 2 of 2 listed file(s) match",
        "release: SBOM",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(expected)),
            "{expected}: {notes:#?}"
        );
    }
    // The same report as SARIF, for the validators.
    let sarif = output_dir().join("verify-release.sarif");
    let (code, ..) = verify(
        &lab,
        &dist,
        &["--report", &format!("sarif={}", sarif.display())],
    );
    assert_eq!(code, 0);
    assert!(
        std::fs::read_to_string(&sarif)
            .unwrap()
            .contains("\"runs\"")
    );
}

#[test]
fn an_unsigned_tag_fails() {
    let (lab, dist) = release_lab();
    lab.git(&["tag", "-d", "v1.0"]);
    lab.git(&["tag", "-a", "v1.0", "-m", "unsigned"]);
    let (code, report, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(denied(&report), [pair("tag-unsigned", "v1.0")]);
}

#[test]
fn a_tag_on_another_commit_fails() {
    let (lab, dist) = release_lab();
    lab.commit("CHANGES", "after the tag\n", "work after the release", None);
    let (code, report, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(denied(&report), [pair("tag-commit-mismatch", "v1.0")]);
    // `--commit` names the released commit explicitly: the tagged one passes.
    let (code, ..) = verify(&lab, &dist, &["--commit", "HEAD~1"]);
    assert_eq!(code, 0);
}

#[test]
fn a_tampered_or_unlisted_artifact_fails() {
    let (lab, dist) = release_lab();
    std::fs::write(dist.join("app-1.0.tar.gz"), b"something else\n").unwrap();
    std::fs::write(dist.join("extra.bin"), b"not checksummed\n").unwrap();
    let (code, report, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 1, "{stderr}");
    let mut found = denied(&report);
    found.sort();
    assert_eq!(
        found,
        [
            pair("artifact-unlisted", "extra.bin"),
            pair("checksum-mismatch", "app-1.0.tar.gz"),
        ]
    );
    std::fs::remove_file(dist.join("SHA256SUMS")).unwrap();
    let (code, report, _) = verify(&lab, &dist, &[]);
    assert_eq!(code, 1);
    assert!(
        denied(&report)
            .iter()
            .any(|(c, _)| c == "checksums-missing")
    );
}

#[test]
fn a_missing_or_stale_sbom_fails() {
    let (lab, dist) = release_lab();
    std::fs::remove_file(dist.join("sbom.cdx.json")).unwrap();
    write_sums(&dist, &["app-1.0.tar.gz"]);
    let (code, report, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(denied(&report), [pair("sbom-missing", s(&dist))]);

    // An SBOM of some other state of the code: it lacks the locked is-number.
    let stale = dist.join("old.cdx.json");
    std::fs::write(
        &stale,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}"#,
    )
    .unwrap();
    let (code, report, _) = verify(&lab, &dist, &["--sbom", s(&stale)]);
    assert_eq!(code, 1);
    let found = denied(&report);
    assert!(
        found.contains(&pair("sbom-invalid", s(&stale))),
        "{found:?}"
    );
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "sbom-invalid")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("is-number 7.0.0"), "{message}");
}

#[test]
fn no_signers_means_the_release_was_not_checked() {
    let (lab, dist) = release_lab();
    std::fs::write(lab.repo().join("secgate.toml"), "").unwrap();
    let (code, _, stderr) = verify(&lab, &dist, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("signer"), "{stderr}");
}
