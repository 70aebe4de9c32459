//! `secgate licenses` on corpus projects' own Cargo.lock, against a real registry cache that
//! `--fetch` fills (crates.io must be reachable on the first run), compared with cargo-deny.
//!
//! Expected verdicts come from cargo-deny 0.20.2 on copies of the same projects (their
//! `Cargo.toml` and `Cargo.lock`, an empty `src/main.rs` and `src/lib.rs`) and the same cache:
//! `cargo deny --offline check licenses` with the default preset's licences as `[licenses]
//! allow` (MIT, Apache-2.0, BSD-2-Clause, BSD-3-Clause, ISC, 0BSD, Zlib, Unicode-3.0,
//! Unicode-DFS-2016, CC0-1.0, BSL-1.0, Apache-2.0 WITH LLVM-exception, BlueOak-1.0.0),
//! `confidence-threshold = 0.8` and `private = { ignore = false }`:
//!
//! - `cargo-bat`: one error, `ansi_colours 1.2.3` rejected (LGPL-3.0-or-later); 267 crates in
//!   its graph.
//! - `cargo-old-spotify-tui`: no error; `fuchsia-cprng 0.1.1` has no `license` field and is
//!   accepted from its licence text (a `no-license-field` warning).
//!
//! secgate judges every locked crate (317 for bat) by default; `--graph` narrows that to what
//! `cargo metadata` resolves without dev-dependencies (291 for bat: cargo metadata unifies
//! features across targets, where cargo-deny's resolver leaves out 24 more crates that only a
//! wasm target's features pull in). The verdicts are the same either way.

mod common;

use common::s;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A copy of a corpus project that Cargo can fetch for and resolve (it needs targets).
fn project(corpus: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(common::corpus(corpus).join(file), tmp.path().join(file)).unwrap();
    }
    std::fs::create_dir(tmp.path().join("src")).unwrap();
    std::fs::write(tmp.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(tmp.path().join("src/lib.rs"), "").unwrap();
    tmp
}

fn licenses(root: &Path, extra: &[&str]) -> (i32, Value) {
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["licenses", s(root), "--fetch", "--format", "json"])
            .args(extra)
            .env("CARGO_HOME", common::test_cargo_home())
            .env_remove("SECGATE_OFFLINE")
            .env("NO_COLOR", "1"),
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    (run.code, serde_json::from_str(&run.stdout).unwrap())
}

/// (code, crate, version, line) of every finding at level deny.
fn denied(report: &Value) -> Vec<(String, String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == "deny")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["package"]["name"].as_str().unwrap().to_owned(),
                f["package"]["version"].as_str().unwrap().to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn count(report: &Value, code: &str) -> usize {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .count()
}

#[test]
fn bat_same_rejection_as_cargo_deny() {
    let tmp = project("cargo-bat");
    let (code, report) = licenses(tmp.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        denied(&report),
        [(
            "license-denied".to_owned(),
            "ansi_colours".to_owned(),
            "1.2.3".to_owned(),
            26
        )]
    );
    assert_eq!(report["summary"]["packages"], 317);
    // `MIT/Apache-2.0` and the like: read as OR, allowed, and flagged.
    assert_eq!(count(&report, "license-legacy-expression"), 19);
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "license-denied")
        .unwrap()["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("LGPL-3.0-or-later"), "{message}");

    // The resolve graph: fewer crates judged, the same verdict, and a note that says so.
    let (code, graph) = licenses(tmp.path(), &["--graph"]);
    assert_eq!(code, 1);
    assert_eq!(denied(&graph), denied(&report));
    assert_eq!(
        graph["notes"][0],
        "licenses: 291 of 317 locked crate(s) are built with the default features for any \
         platform (`--graph`); the other 26 were not judged"
    );
    let (_, linux) = licenses(tmp.path(), &["--target", "x86_64-unknown-linux-gnu"]);
    assert_eq!(denied(&linux), denied(&report));
    assert!(
        linux["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("licenses: 234 of 317 locked crate(s) are built with the default features for x86_64-unknown-linux-gnu"),
        "{}",
        linux["notes"]
    );
    // Fewer crates, fewer legacy declarations among them (winapi and friends are Windows-only).
    assert_eq!(count(&linux, "license-legacy-expression"), 14);

    // The same run also written as SARIF (`--report`), for code scanning.
    let sarif_path = tmp.path().join("licenses.sarif");
    let arg = format!("sarif={}", sarif_path.display());
    licenses(tmp.path(), &["--report", &arg]);
    let sarif: Value = serde_json::from_slice(&std::fs::read(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 20);
    if let Ok(dir) = std::env::var("SECGATE_TEST_OUTPUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            &sarif_path,
            Path::new(&dir).join("licenses-corpus-bat.sarif"),
        )
        .unwrap();
    }
}

#[test]
fn spotify_tui_passes_as_with_cargo_deny() {
    let tmp = project("cargo-old-spotify-tui");
    let (code, report) = licenses(tmp.path(), &[]);
    assert_eq!(code, 0, "{report}");
    assert!(denied(&report).is_empty());
    assert_eq!(report["summary"]["packages"], 255);
    assert_eq!(count(&report, "license-missing"), 0);
    assert_eq!(count(&report, "license-legacy-expression"), 113);
}
