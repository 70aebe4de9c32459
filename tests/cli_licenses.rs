//! End-to-end runs of `secgate licenses` on a real Cargo registry cache.
//!
//! The project is `crates/secgate-licenses/tests/fixtures/registry-varied-licenses` (34 crates.io
//! packages with varied licence metadata). Its sources are fetched by `secgate licenses --fetch`
//! (which runs `cargo fetch --locked`) into a private Cargo home under `target/`, shared with the
//! discovery tests; crates.io must be reachable on the first run.
//!
//! Expected verdicts come from cargo-deny 0.20.2 on the same project and cache, with the default
//! preset's licences as its allowlist: `CARGO_HOME=target/secgate-test-cargo-home cargo deny
//! --offline check licenses` with `[licenses] allow = ["MIT", "Apache-2.0", "BSD-2-Clause",
//! "BSD-3-Clause", "ISC", "0BSD", "Zlib", "Unicode-3.0", "Unicode-DFS-2016", "CC0-1.0",
//! "BSL-1.0", "Apache-2.0 WITH LLVM-exception"]`, `confidence-threshold = 0.8` and
//! `private = { ignore = false }`. It rejected `option-ext` (MPL-2.0) and `webpki-roots`
//! (CDLA-Permissive-2.0), found the root crate unlicensed, and accepted `fuchsia-cprng` from
//! its licence text.

mod common;

use common::s;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A copy of the fixture project Cargo can fetch for (it needs a target), plus `policy`.
fn project(policy: Option<&str>) -> tempfile::TempDir {
    let tmp = common::licence_fixture_project();
    if let Some(policy) = policy {
        std::fs::write(tmp.path().join("secgate.toml"), policy).unwrap();
    }
    tmp
}

fn licenses(root: &Path, cargo_home: &Path, extra: &[&str]) -> common::Run {
    common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["licenses", s(root), "--fetch", "--format", "json"])
            .args(extra)
            .env("CARGO_HOME", cargo_home)
            .env_remove("SECGATE_OFFLINE")
            .env("NO_COLOR", "1"),
    )
}

fn findings(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["package"]["name"].as_str().unwrap_or("").to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn same_verdicts_as_cargo_deny_on_a_real_registry_cache() {
    let tmp = project(None);
    let run = licenses(tmp.path(), &common::test_cargo_home(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        findings(&report),
        [
            // `Apache-2.0/MIT`: cargo-deny reads it as OR without a word; secgate warns.
            (
                "license-legacy-expression".to_owned(),
                "core_detect".to_owned(),
                27
            ),
            ("license-denied".to_owned(), "option-ext".to_owned(), 88),
            (
                "license-missing".to_owned(),
                "registry-varied-licenses".to_owned(),
                100
            ),
            ("license-denied".to_owned(), "webpki-roots".to_owned(), 178),
        ]
    );
    assert_eq!(report["summary"]["packages"], 34);
    let denied = &report["findings"][1];
    assert!(
        denied["message"].as_str().unwrap().contains("MPL-2.0"),
        "{denied}"
    );
}

#[test]
fn exceptions_and_a_declared_licence_pass_the_gate() {
    let tmp = project(Some(
        "[licenses]\nexceptions = [\n  { package = \"option-ext\", allow = [\"MPL-2.0\"], reason = \"unmodified, file-level copyleft\" },\n  { package = \"webpki-roots\", allow = [\"CDLA-Permissive-2.0\"], reason = \"CA list as data\" },\n]\n",
    ));
    let manifest = tmp.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen("[package]\n", "[package]\nlicense = \"MIT\"\n", 1),
    )
    .unwrap();
    let run = licenses(tmp.path(), &common::test_cargo_home(), &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stderr, run.stdout);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    // Only the legacy declaration's warning is left.
    assert_eq!(
        findings(&report),
        [(
            "license-legacy-expression".to_owned(),
            "core_detect".to_owned(),
            27
        )]
    );
    assert_eq!(report["findings"][0]["level"], "warn");
}

#[test]
fn missing_sources_are_named_and_exit_2() {
    let tmp = project(None);
    let empty_home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_secgate"))
        .args(["licenses", s(tmp.path())])
        .env("CARGO_HOME", empty_home.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not in the cargo cache"), "{stderr}");
    assert!(
        stderr.contains("webpki-roots 1.0.10") || stderr.contains("more"),
        "{stderr}"
    );
    assert!(stderr.contains("--fetch"), "{stderr}");

    // `--fetch` needs the network, which `--offline` forbids.
    let run = licenses(tmp.path(), empty_home.path(), &["--offline"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--offline"), "{}", run.stderr);
}
