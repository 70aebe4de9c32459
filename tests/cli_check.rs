//! End-to-end runs of `secgate check`: advisories, licences and pins in one report and one exit
//! code, on a real project (the licence gate's 34-crate fixture, with its sources in a private
//! Cargo home under `target/`, fetched once from crates.io) to which a workflow is added.

mod common;

use common::{rustsec_db, s};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The fixture project with a workflow, its crates' sources fetched.
fn project() -> tempfile::TempDir {
    let tmp = common::licence_fixture_project();
    let workflows = tmp.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::write(
        workflows.join("ci.yml"),
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cargo test --locked\n",
    )
    .unwrap();
    // The only step that needs the network: the crates' sources for the licence gate.
    let fetched = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["licenses", s(tmp.path()), "--fetch", "-q"])
            .env("CARGO_HOME", common::test_cargo_home())
            .env_remove("SECGATE_OFFLINE"),
    );
    assert!(fetched.code == 1, "{}", fetched.stderr);
    tmp
}

fn check(root: &Path, extra: &[&str]) -> (i32, Value, String) {
    let db = rustsec_db();
    let mut args = vec!["check", s(root), "--db", s(&db), "--format", "json"];
    args.extend_from_slice(extra);
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(&args)
            .env("CARGO_HOME", common::test_cargo_home())
            .env("SECGATE_OFFLINE", "1"),
    );
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, report, run.stderr)
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}",
                f["code"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap(),
                f["location"]["line"],
                f["id"]
                    .as_str()
                    .or(f["package"]["name"].as_str())
                    .unwrap_or("-"),
            )
        })
        .collect()
}

#[test]
fn every_gate_reports_into_one_report_and_one_exit_code() {
    let tmp = project();
    let (code, report, stderr) = check(tmp.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        codes(&report),
        [
            "action-unpinned .github/workflows/ci.yml:6 actions/checkout@v4",
            // core_detect declares `Apache-2.0/MIT`: allowed, with a warning.
            "license-legacy-expression Cargo.lock:27 core_detect",
            "license-denied Cargo.lock:88 MPL-2.0",
            "license-missing Cargo.lock:100 registry-varied-licenses",
            "license-denied Cargo.lock:178 CDLA-Permissive-2.0",
        ]
    );
    assert_eq!(report["summary"]["packages"], 34);
    assert_eq!(report["summary"]["files"], 3);

    // One policy governs all gates; accepting each finding passes the gate.
    std::fs::write(
        tmp.path().join("secgate.toml"),
        r#"[licenses]
exceptions = [
  { package = "option-ext", allow = ["MPL-2.0"], reason = "unmodified, file-level copyleft" },
  { package = "webpki-roots", allow = ["CDLA-Permissive-2.0"], reason = "CA list as data" },
]
[pins]
allow-tags = ["actions/*"]
[levels]
license-missing = "warn"
"#,
    )
    .unwrap();
    let (code, report, stderr) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{stderr}\n{report:#}");
    assert_eq!(
        codes(&report),
        [
            "license-legacy-expression Cargo.lock:27 core_detect",
            "license-missing Cargo.lock:100 registry-varied-licenses"
        ]
    );
    let human = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["check", s(tmp.path()), "--db", s(&rustsec_db())])
            .env("CARGO_HOME", common::test_cargo_home())
            .env("SECGATE_OFFLINE", "1")
            .env("NO_COLOR", "1"),
    );
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("34 packages and 3 files checked, 0 ignored — gate passed"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_gate_that_cannot_run_fails_the_check() {
    let tmp = project();
    // Licence sources missing: exit 2, not a pass on the other gates.
    let empty_home = tempfile::tempdir().unwrap();
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["check", s(tmp.path()), "--db", s(&rustsec_db())])
            .env("CARGO_HOME", empty_home.path())
            .env("SECGATE_OFFLINE", "1"),
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("cargo fetch --locked"),
        "{}",
        run.stderr
    );
    // No advisory database: exit 2.
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["check", s(tmp.path()), "--db", s(&tmp.path().join("no-db"))])
            .env("CARGO_HOME", common::test_cargo_home())
            .env("SECGATE_OFFLINE", "1"),
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
}

#[test]
fn without_a_lockfile_only_the_pinning_gate_runs_and_says_so() {
    let (code, report, stderr) = check(&common::corpus("pip-whisper"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 7);
    assert_eq!(report["summary"]["packages"], 0);
    let human = common::secgate(&["check", s(&common::corpus("scorecard"))]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stdout.contains(
            "note: advisories and licenses: not run (no lockfile with exact versions under"
        ),
        "{}",
        human.stdout
    );
}

#[test]
fn paths_excluded_by_the_policy_are_skipped_by_every_gate() {
    let tmp = project();
    // A second copy of the project's lockfile and an unpinned Dockerfile inside a test-input
    // folder: both would be read without the exclude.
    let inputs = tmp.path().join("tests/inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::copy(tmp.path().join("Cargo.lock"), inputs.join("Cargo.lock")).unwrap();
    std::fs::write(inputs.join("Dockerfile"), "FROM debian:latest\n").unwrap();
    let policy = "[licenses]\nexceptions = [\n  { package = \"option-ext\", allow = [\"MPL-2.0\"], reason = \"r\" },\n  { package = \"webpki-roots\", allow = [\"CDLA-Permissive-2.0\"], reason = \"r\" },\n]\n[pins]\nallow-tags = [\"actions/*\"]\n[levels]\nlicense-missing = \"warn\"\n";
    std::fs::write(tmp.path().join("secgate.toml"), policy).unwrap();
    let (code, report, stderr) = check(tmp.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let found = codes(&report);
    assert!(
        found.contains(&"image-unpinned tests/inputs/Dockerfile:1 debian:latest".to_owned()),
        "{found:?}"
    );
    assert_eq!(report["summary"]["packages"], 68);

    std::fs::write(
        tmp.path().join("secgate.toml"),
        format!("{policy}[paths]\nexclude = [\"tests/inputs\"]\n"),
    )
    .unwrap();
    let (code, report, stderr) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{stderr}\n{report:#}");
    let found = codes(&report);
    assert!(
        found.iter().all(|c| !c.contains("tests/inputs")),
        "{found:?}"
    );
    // The project's own 34 crates only: the excluded lockfile was not read.
    assert_eq!(report["summary"]["packages"], 34);
}
