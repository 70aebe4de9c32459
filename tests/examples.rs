//! The example projects under `examples/` do what their READMEs say, run by the real binary.
//!
//! `examples/rust-project`'s crate sources are fetched with `cargo fetch --locked` into the
//! private Cargo home the licence tests share (`target/secgate-test-cargo-home`); crates.io must
//! be reachable the first time.

mod common;

use common::{TODAY_EPOCH, s, shared};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// A command with the test environment of `common::secgate_in`, in `cwd`.
fn gate_env(command: &mut Command, cwd: &Path) {
    command
        .current_dir(cwd)
        .env_remove("SECGATE_DB")
        .env_remove("GITHUB_REF")
        .env("NO_COLOR", "1")
        .env("SECGATE_OFFLINE", "1")
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env("CARGO_HOME", common::test_cargo_home())
        .stdin(Stdio::piped());
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["level"].as_str().unwrap(),
                f["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn rust_project_passes_cargo_secgate_check_with_its_ignore_and_exception() {
    let project = example("rust-project");
    let mut fetch = Command::new("cargo");
    fetch.args(["fetch", "--locked"]);
    gate_env(&mut fetch, &project);
    let fetched = common::run(&mut fetch);
    assert_eq!(fetched.code, 0, "cargo fetch --locked: {}", fetched.stderr);

    // `cargo secgate`: cargo finds the test build of `cargo-secgate` on PATH.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_secgate")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let db = common::rustsec_db();
    let mut check = Command::new("cargo");
    check
        .args([
            "secgate",
            "check",
            ".",
            "--db",
            s(&db),
            "--offline",
            "--format",
            "json",
        ])
        .env("PATH", path);
    gate_env(&mut check, &project);
    let run = common::run(&mut check);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    // RUSTSEC-2021-0003 (smallvec 1.6.0) is ignored with a reason until 2027-06-30.
    assert!(
        report["summary"]["ignored"].as_u64().unwrap() >= 1,
        "{}",
        run.stdout
    );
    assert_eq!(report["summary"]["deny"], 0);
    assert_eq!(report["summary"]["packages"], 3);
    let codes = codes(&report);
    // The ignore and the MPL-2.0 exception both matched: neither is reported unused.
    for unused in [
        "ignore-unused",
        "license-exception-unused",
        "license-denied",
    ] {
        assert!(!codes.iter().any(|c| c.ends_with(unused)), "{codes:?}");
    }

    // Without the ignore, the same project fails on the advisory: the ignore is what passes it.
    let tmp = tempfile::tempdir().unwrap();
    let policy = std::fs::read_to_string(project.join("secgate.toml")).unwrap();
    let without = policy.replace("RUSTSEC-2021-0003", "RUSTSEC-2099-0001");
    std::fs::write(tmp.path().join("policy.toml"), without).unwrap();
    let policy_path = tmp.path().join("policy.toml");
    let mut strict = Command::new(env!("CARGO_BIN_EXE_secgate"));
    strict.args([
        "audit",
        ".",
        "--db",
        s(&db),
        "--config",
        s(&policy_path),
        "--format",
        "json",
    ]);
    gate_env(&mut strict, &project);
    let run = common::run(&mut strict);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("\"RUSTSEC-2021-0003\""),
        "{}",
        run.stdout
    );
}

#[test]
fn npm_python_audit_and_pins_pass() {
    let project = example("npm-python");
    let osv = shared().join("advisory-data/osv");
    let mut audit = Command::new(env!("CARGO_BIN_EXE_secgate"));
    audit.args([
        "audit",
        ".",
        "--db",
        s(&osv.join("PyPI")),
        "--offline",
        "--format",
        "json",
    ]);
    gate_env(&mut audit, &project);
    let run = common::run(&mut audit);
    // Exit 0 with nothing found: six 1.16.0 has no record in the PyPI snapshot, and the
    // snapshot holds no npm data, so ms 2.1.3 is matched against nothing. Both packages are
    // still read (from requirements.txt and the v3 package-lock), and the policy (strict
    // preset, moderate threshold, required signed tags) loads without error.
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["packages"], 2, "{}", run.stdout);
    assert_eq!(report["findings"], serde_json::json!([]));

    let mut pins = Command::new(env!("CARGO_BIN_EXE_secgate"));
    pins.args(["pins", ".", "--offline", "--format", "json"]);
    gate_env(&mut pins, &project);
    let run = common::run(&mut pins);
    // Exit 0, no finding: actions pinned by SHA, requirements exact with hashes, every
    // package-lock entry with an integrity hash, and the workflow installs with `npm ci`.
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{}", run.stdout);
    let notes = report["notes"][0].as_str().unwrap();
    assert_eq!(
        notes,
        "pins: checked 1 workflow, 1 requirements file, 1 package.json, 1 package-lock"
    );

    // A requirement without its hash breaks the `exact-with-hashes` rule of this policy.
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&project, tmp.path());
    std::fs::write(tmp.path().join("requirements.txt"), "six==1.16.0\n").unwrap();
    let mut broken = Command::new(env!("CARGO_BIN_EXE_secgate"));
    broken.args(["pins", ".", "--offline", "--format", "json"]);
    gate_env(&mut broken, tmp.path());
    let run = common::run(&mut broken);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\"hash-missing\""), "{}", run.stdout);
}

#[test]
fn every_example_has_a_readme() {
    for dir in ["", "rust-project", "npm-python"] {
        let readme = example(dir).join("README.md");
        let text = std::fs::read_to_string(&readme)
            .unwrap_or_else(|e| panic!("{}: {e}", readme.display()));
        assert!(text.starts_with("# "), "{}", readme.display());
    }
}
