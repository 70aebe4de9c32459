//! End-to-end runs of `secgate audit` on small fixture projects: lockfile formats, exit codes,
//! database problems, bad lockfiles and policy ignores.

mod common;

use common::{fixture, rustsec_db, s, secgate, secgate_in};
use serde_json::Value;
use std::path::Path;

fn audit_json(path: &Path, extra: &[&str]) -> (i32, Value, String) {
    let db = rustsec_db();
    let mut args = vec![
        "audit",
        s(path),
        "--db",
        s(&db),
        "--offline",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = secgate(&args);
    let json = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (run.code, json, run.stderr)
}

/// `(code, id, package@version, line)` of every finding.
fn findings(report: &Value) -> Vec<(String, String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["id"].as_str().unwrap_or("").to_owned(),
                f["package"]["name"].as_str().map_or(String::new(), |n| {
                    format!("{n}@{}", f["package"]["version"].as_str().unwrap())
                }),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn one_vuln(line: u64) -> Vec<(String, String, String, u64)> {
    vec![(
        "vulnerability".into(),
        "RUSTSEC-2020-0071".into(),
        "time@0.1.43".into(),
        line,
    )]
}

#[test]
fn every_lockfile_version_is_read_and_audited_at_the_right_line() {
    for (dir, line) in [
        ("lock-v1", 13),
        ("lock-v2", 16),
        ("vuln-old-time", 26),
        ("lock-v4", 20),
    ] {
        let (code, report, stderr) = audit_json(&fixture(dir), &[]);
        assert_eq!(code, 1, "{dir}: {stderr}");
        assert_eq!(findings(&report), one_vuln(line), "{dir}");
        let f = &report["findings"][0];
        assert_eq!(f["location"]["path"], "Cargo.lock");
        assert_eq!(f["level"], "deny");
        assert_eq!(f["severity"], "medium", "CVSS 3.1 base 6.2");
        assert_eq!(f["package"]["purl"], "pkg:cargo/time@0.1.43");
        assert_eq!(f["fix"], "upgrade to >=0.2.23");
        assert_eq!(
            f["aliases"],
            serde_json::json!(["CVE-2020-26235", "GHSA-wcg3-cvx6-7396"])
        );
    }
}

#[test]
fn clean_lockfile_exits_zero_and_counts_its_packages() {
    let (code, report, stderr) = audit_json(&fixture("clean"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(findings(&report), vec![]);
    assert_eq!(
        report["summary"],
        serde_json::json!({"deny": 0, "warn": 0, "allow": 0, "packages": 3, "ignored": 0})
    );
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "secgate");
}

#[test]
fn path_may_be_a_lockfile_or_a_manifest() {
    for path in ["vuln-old-time/Cargo.lock", "vuln-old-time/Cargo.toml"] {
        let (code, report, stderr) = audit_json(&fixture(path), &[]);
        assert_eq!(code, 1, "{path}: {stderr}");
        assert_eq!(findings(&report), one_vuln(26), "{path}");
        assert_eq!(report["findings"][0]["location"]["path"], "Cargo.lock");
    }
}

#[test]
fn workspace_members_and_path_dependencies_are_not_audited() {
    let (code, report, stderr) = audit_json(&fixture("workspace-member"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(findings(&report), vec![]);
    assert_eq!(report["summary"]["packages"], 2);
}

#[test]
fn git_dependencies_are_not_matched_against_crates_io_advisories() {
    let (_, report, _) = audit_json(&fixture("lock-v4"), &[]);
    // `time 0.1.42` from git would match RUSTSEC-2020-0071 if it came from crates.io.
    assert!(findings(&report).iter().all(|f| f.2 != "time@0.1.42"));
}

#[test]
fn a_bad_advisory_record_is_a_warning_and_the_rest_still_match() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&rustsec_db().join("crates"), &tmp.path().join("crates"));
    let bad = tmp.path().join("crates/time/RUSTSEC-2099-0001.md");
    std::fs::write(
        &bad,
        "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = 7\n```\n# x\n",
    )
    .unwrap();
    let run = secgate(&[
        "audit",
        s(&fixture("vuln-old-time")),
        "--db",
        s(tmp.path()),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let all = findings(&report);
    assert!(all.contains(&one_vuln(26)[0]), "{all:?}");
    let bad_records: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "db-bad-record")
        .collect();
    assert_eq!(bad_records.len(), 1);
    assert_eq!(bad_records[0]["level"], "warn");
    let path = bad_records[0]["location"]["path"].as_str().unwrap();
    assert!(path.ends_with("crates/time/RUSTSEC-2099-0001.md"), "{path}");
    assert_eq!(report["summary"]["warn"], 1);

    // SARIF names the record outside the repository by a file: URI (validated in CI).
    let sarif_path = common::output_dir().join("bad-record.sarif");
    let run = secgate(&[
        "audit",
        s(&fixture("vuln-old-time")),
        "--db",
        s(tmp.path()),
        "--format",
        "sarif",
        "--output",
        s(&sarif_path),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
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
    assert!(uris.contains(&"Cargo.lock"), "{uris:?}");
    assert!(
        uris.iter()
            .any(|u| u.starts_with("file:///") && u.ends_with("crates/time/RUSTSEC-2099-0001.md")),
        "{uris:?}"
    );
}

#[test]
fn truncated_or_garbage_lockfiles_exit_2_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let real = std::fs::read_to_string(common::corpus("cargo-bat").join("Cargo.lock")).unwrap();
    // Cut inside the `name = "..."` string of the 40th package.
    let cut = real.match_indices("name = \"").nth(40).unwrap().0 + 10;
    let line = real[..cut].lines().count();
    std::fs::write(tmp.path().join("Cargo.lock"), &real[..cut]).unwrap();
    let run = secgate(&["audit", s(tmp.path()), "--db", s(&rustsec_db())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("Cargo.lock:{line}:")),
        "line {line} missing in: {}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "no report when the gate could not run");

    std::fs::write(
        tmp.path().join("Cargo.lock"),
        b"\x7fELF\x02\x01\x01\0\0garbage = [[",
    )
    .unwrap();
    let run = secgate(&["audit", s(tmp.path()), "--db", s(&rustsec_db())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Cargo.lock"), "{}", run.stderr);

    std::fs::write(
        tmp.path().join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"x\"\n",
    )
    .unwrap();
    let run = secgate(&["audit", s(tmp.path()), "--db", s(&rustsec_db())]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Cargo.lock:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("version"), "{}", run.stderr);
}

#[test]
fn missing_database_or_lockfile_exits_2() {
    let run = secgate(&[
        "audit",
        s(&fixture("clean")),
        "--db",
        "/nonexistent/advisory-db",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/nonexistent/advisory-db"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);

    let run = secgate(&["audit", s(&fixture("clean"))]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no advisory database"),
        "{}",
        run.stderr
    );

    let tmp = tempfile::tempdir().unwrap();
    let run = secgate(&["audit", s(tmp.path()), "--db", s(&rustsec_db())]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Cargo.lock"), "{}", run.stderr);

    let run = secgate(&["audit", "/nonexistent/project", "--db", s(&rustsec_db())]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("/nonexistent/project"),
        "{}",
        run.stderr
    );
}

#[test]
fn secgate_db_environment_variable_names_the_database() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_secgate"))
        .args(["audit", s(&fixture("vuln-old-time")), "--format", "json"])
        .env("SECGATE_DB", rustsec_db())
        .env("SECGATE_OFFLINE", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&report), one_vuln(26));
}

#[test]
fn output_file_is_written_and_not_clobbered_by_a_failed_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.json");
    let run = secgate(&[
        "audit",
        s(&fixture("vuln-old-time")),
        "--db",
        s(&rustsec_db()),
        "--format",
        "json",
        "--output",
        s(&out),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let written = std::fs::read_to_string(&out).unwrap();
    let report: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(findings(&report), one_vuln(26));
    // A run that cannot check leaves the previous report untouched.
    let run = secgate(&[
        "audit",
        "/nonexistent",
        "--db",
        s(&rustsec_db()),
        "--output",
        s(&out),
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn same_output_byte_for_byte_across_runs() {
    let (project, db) = (common::corpus("cargo-old-spotify-tui"), rustsec_db());
    let args = ["audit", s(&project), "--db", s(&db), "--format", "json"];
    let a = secgate(&args);
    let b = secgate(&args);
    assert_eq!(a.stdout, b.stdout);
    assert!(a.stdout.len() > 1000);
}

#[test]
fn runs_as_a_cargo_subcommand() {
    // `cargo secgate audit` runs `cargo-secgate secgate audit`; put the binary on PATH.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_cargo-secgate"))
        .parent()
        .unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "secgate",
            "audit",
            s(&fixture("vuln-old-time")),
            "--db",
            s(&rustsec_db()),
        ])
        .args(["--format", "json"])
        .env("PATH", path)
        .env("SECGATE_OFFLINE", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&report), one_vuln(26));
}

#[test]
fn explain_documents_every_code() {
    let list = secgate(&["explain"]);
    assert_eq!(list.code, 0);
    for code in [
        "vulnerability",
        "unmaintained",
        "unsound",
        "notice",
        "db-bad-record",
        "ignore-expired",
        "ignore-unused",
    ] {
        assert!(list.stdout.contains(code), "{code} not listed");
        let one = secgate(&["explain", code]);
        assert_eq!(one.code, 0, "{code}");
        assert!(
            one.stdout.starts_with(&format!("{code}: ")),
            "{}",
            one.stdout
        );
        assert!(one.stdout.contains("Fix:"), "{code}");
    }
    let unknown = secgate(&["explain", "no-such-code"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("no-such-code"));
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(secgate(&["audit", "--format", "xml"]).code, 2);
    assert_eq!(secgate(&["frobnicate"]).code, 2);
    assert_eq!(secgate(&["--version"]).code, 0);
}

#[test]
fn relative_paths_are_resolved_from_the_working_directory() {
    let run = secgate_in(
        &fixture("vuln-old-time"),
        &["audit", "--db", s(&rustsec_db()), "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(findings(&report), one_vuln(26));
}

#[test]
fn markdown_report_is_a_table_for_the_job_summary() {
    let run = secgate(&[
        "audit",
        s(&fixture("vuln-old-time")),
        "--db",
        s(&rustsec_db()),
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let md = &run.stdout;
    assert!(md.starts_with("## secgate\n"), "{md}");
    assert!(md.contains("**failed**"), "{md}");
    assert!(
        md.contains("| Level | Code | ID | Package | Location | Message |"),
        "{md}"
    );
    assert!(
        md.contains("| deny | `vulnerability` | RUSTSEC-2020-0071 | time@0.1.43 | Cargo.lock:26 |"),
        "{md}"
    );
}

/// A `--db` tree is used as it is, and the report says how current it is: the newest advisory
/// of a RustSec checkout, the latest `modified` of an OSV tree, against a fixed today.
#[test]
fn explicit_databases_report_the_age_of_their_data() {
    let osv = common::shared().join("advisory-data/osv/crates.io");
    let run = common::secgate(&[
        "audit",
        s(&common::corpus("cargo-bat")),
        "--db",
        s(&common::rustsec_db()),
        "--db",
        s(&osv),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let rustsec = format!(
        "advisory data `{}`: newest advisory dated 2026-08-20 (95 days ago)",
        s(&common::rustsec_db())
    );
    let osv_note = format!(
        "advisory data `{}`: newest record modified 2026-08-21 (94 days ago)",
        s(&osv)
    );
    assert!(notes.contains(&rustsec.as_str()), "{notes:#?}");
    assert!(notes.contains(&osv_note.as_str()), "{notes:#?}");
}
