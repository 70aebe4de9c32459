//! End-to-end policy handling: ignores with reasons and expiry, unused ignores, levels, and
//! invalid policy files reported with file, line and column.

mod common;

use common::{fixture, rustsec_db, s, secgate};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A copy of the `vuln-old-time` project (one RUSTSEC-2020-0071 finding) with `policy` as
/// `secgate.toml`.
fn project(policy: &str) -> (tempfile::TempDir, PathBuf) {
    project_from("vuln-old-time", "secgate.toml", policy)
}

fn project_from(fixture_name: &str, file: &str, policy: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture(fixture_name).join("Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(tmp.path().join(file), policy).unwrap();
    let root = tmp.path().to_path_buf();
    (tmp, root)
}

fn audit(root: &Path, extra: &[&str]) -> (i32, Value, String) {
    let db = rustsec_db();
    let mut args = vec!["audit", s(root), "--db", s(&db), "--format", "json"];
    args.extend_from_slice(extra);
    let run = secgate(&args);
    (
        run.code,
        serde_json::from_str(&run.stdout).unwrap_or(Value::Null),
        run.stderr,
    )
}

fn codes(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["location"]["path"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn ignore_with_reason_silences_the_advisory() {
    let (_tmp, root) = project(
        "[advisories]\nignore = [\n  { id = \"RUSTSEC-2020-0071\", reason = \"no localtime calls\", expires = \"2999-12-31\" },\n]\n",
    );
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(codes(&report), vec![]);
    assert_eq!(report["summary"]["ignored"], 1);
}

#[test]
fn ignore_by_alias_silences_the_advisory() {
    let (_tmp, root) = project(
        "[advisories]\nignore = [{ id = \"CVE-2020-26235\", reason = \"tracked as CVE\" }]\n",
    );
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["summary"]["ignored"], 1);
}

#[test]
fn ignore_without_reason_is_a_config_error_with_its_line() {
    let (_tmp, root) = project("[advisories]\nignore = [\n  { id = \"RUSTSEC-2020-0071\" },\n]\n");
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 2);
    assert_eq!(report, Value::Null, "no report when the policy is invalid");
    assert!(stderr.contains("secgate.toml:3:"), "{stderr}");
    assert!(stderr.contains("reason"), "{stderr}");
}

#[test]
fn expired_ignore_reports_itself_and_no_longer_silences() {
    let (_tmp, root) = project(
        "[advisories]\nignore = [\n  { id = \"RUSTSEC-2020-0071\", reason = \"was fine\", expires = \"2001-02-03\" },\n]\n",
    );
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        codes(&report),
        vec![
            ("vulnerability".into(), "Cargo.lock".into(), 26),
            ("ignore-expired".into(), "secgate.toml".into(), 3),
        ]
    );
    let expired = &report["findings"][1];
    assert_eq!(expired["level"], "deny");
    assert!(expired["message"].as_str().unwrap().contains("2001-02-03"));
}

#[test]
fn unused_ignore_is_a_warning() {
    let (_tmp, root) = project_from(
        "clean",
        "secgate.toml",
        "[advisories]\nignore = [\n  { id = \"RUSTSEC-2020-0071\", reason = \"old\" },\n]\n",
    );
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        codes(&report),
        vec![("ignore-unused".into(), "secgate.toml".into(), 3)]
    );
    assert_eq!(report["findings"][0]["level"], "warn");
}

#[test]
fn unknown_keys_and_type_errors_are_all_reported_at_once() {
    let (_tmp, root) = project(
        "[advisories]\nignroe = []\n\n[levels]\nvulnerability = \"sometimes\"\nno-such-code = \"warn\"\n",
    );
    let (code, _, stderr) = audit(&root, &[]);
    assert_eq!(code, 2);
    for needle in [
        "secgate.toml:2:1",
        "ignroe",
        "secgate.toml:5:",
        "sometimes",
        "secgate.toml:6:1",
        "no-such-code",
    ] {
        assert!(stderr.contains(needle), "{needle} missing in:\n{stderr}");
    }
}

#[test]
fn levels_change_the_gate() {
    let (_tmp, root) = project("[levels]\nvulnerability = \"warn\"\n");
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["level"], "warn");
    assert_eq!(report["summary"]["warn"], 1);

    let (_tmp, root) = project("[advisories]\nvulnerability = \"allow\"\n");
    let (code, report, _) = audit(&root, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["allow"], 1);
}

#[test]
fn dot_secgate_toml_and_explicit_config_are_used() {
    let (_tmp, root) = project_from(
        "vuln-old-time",
        ".secgate.toml",
        "[levels]\nvulnerability = \"warn\"\n",
    );
    let (code, _, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");

    let elsewhere = tempfile::tempdir().unwrap();
    let config = elsewhere.path().join("policy.toml");
    std::fs::write(&config, "[levels]\nvulnerability = \"deny\"\n").unwrap();
    let (code, _, stderr) = audit(&root, &["--config", s(&config)]);
    assert_eq!(code, 1, "--config wins over .secgate.toml: {stderr}");

    let (code, _, stderr) = audit(&root, &["--config", "/nonexistent/secgate.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/secgate.toml"), "{stderr}");
}

#[test]
fn human_report_shows_the_lockfile_entry_and_the_summary() {
    let run = secgate(&[
        "audit",
        s(&fixture("vuln-old-time")),
        "--db",
        s(&rustsec_db()),
        "--color",
        "never",
    ]);
    assert_eq!(run.code, 1);
    let out = &run.stdout;
    assert!(out.contains("RUSTSEC-2020-0071"), "{out}");
    assert!(out.contains("Cargo.lock:26:1"), "{out}");
    assert!(
        out.contains("name = \"time\""),
        "snippet of the entry: {out}"
    );
    assert!(
        out.contains("version = \"0.1.43\""),
        "snippet of the entry: {out}"
    );
    assert!(out.contains("upgrade to >=0.2.23"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour with --color never");
    let insta = common::insta_settings();
    insta.bind(|| insta::assert_snapshot!("vuln-old-time.human", out));
}

#[test]
fn severity_threshold_turns_lower_vulnerabilities_into_warnings() {
    // RUSTSEC-2020-0071 is CVSS 6.2: medium ("moderate").
    let (_tmp, root) = project("[advisories]\nseverity-threshold = \"high\"\n");
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["level"], "warn");
    assert_eq!(report["findings"][0]["severity"], "medium");

    let (_tmp, root) = project("[advisories]\nseverity-threshold = \"moderate\"\n");
    let (code, report, stderr) = audit(&root, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"][0]["level"], "deny");
}
