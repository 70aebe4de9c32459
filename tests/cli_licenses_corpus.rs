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
//! - `cargo-large-omicron`: a workspace whose members the corpus lacks, so cargo-deny cannot
//!   load it; a project depending on each of its 1,127 crates.io packages at the locked
//!   version (seeded with its lockfile, it resolves to exactly those) stands in for it: 35
//!   crates rejected, listed in [`OMICRON_REJECTED`].
//!
//! secgate judges every locked crate (317 for bat) by default; `--graph` narrows that to what
//! `cargo metadata` resolves without dev-dependencies (291 for bat: cargo metadata unifies
//! features across targets, where cargo-deny's resolver leaves out 24 more crates that only a
//! wasm target's features pull in). The verdicts are the same either way.

mod common;

use common::s;
use serde_json::Value;
use std::fmt::Write as _;
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

/// A project that depends, at the exact locked version, on every crates.io package of a corpus
/// lockfile, seeded with that lockfile: Cargo resolves it to the same registry crates. It is
/// how cargo-deny can be run on the crates of a workspace whose members the corpus lacks
/// (omicron). Its crates are fetched with Cargo into the test Cargo home.
fn registry_crates_project(corpus: &str) -> tempfile::TempDir {
    let lock = std::fs::read_to_string(common::corpus(corpus).join("Cargo.lock")).unwrap();
    let mut manifest = String::from(
        "[package]\nname = \"registry-crates\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\nlicense = \"MIT\"\n\n[workspace]\n\n[dependencies]\n",
    );
    let mut count = 0;
    for entry in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            entry.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|v| v.trim().strip_prefix('='))
                    .map(|v| v.trim().trim_matches('"').to_owned())
            })
        };
        let (Some(name), Some(version), Some(source)) =
            (field("name "), field("version "), field("source "))
        else {
            continue;
        };
        if source.starts_with("registry+") {
            // Build metadata is ignored in requirements; `=1.0.2` still selects `1.0.2+x`.
            let version = version.split('+').next().unwrap_or(&version).to_owned();
            writeln!(
                manifest,
                "d{count} = {{ package = \"{name}\", version = \"={version}\", default-features = false }}"
            )
            .unwrap();
            count += 1;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        common::corpus(corpus).join("Cargo.lock"),
        tmp.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("src")).unwrap();
    std::fs::write(tmp.path().join("src/lib.rs"), "").unwrap();
    // Not `--locked`: the copied lockfile still lists the workspace's own and git packages,
    // which Cargo drops; every registry version stays as locked.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["fetch", "--quiet"])
        .current_dir(tmp.path())
        .env("CARGO_HOME", common::test_cargo_home())
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmp
}

/// cargo-deny 0.20.2 on the same project and cache (with the allowlist of the module docs)
/// rejected exactly these 35 of omicron's 1,127 registry crates (MPL-2.0, Unlicense,
/// bzip2-1.0.6, CDLA-Permissive-2.0); the generated root declares MIT and passes both.
const OMICRON_REJECTED: &[(&str, &str)] = &[
    ("colored", "2.2.0"),
    ("colored", "3.1.1"),
    ("corncobs", "0.1.4"),
    ("cstr-argument", "0.1.2"),
    ("hubpack", "0.1.2"),
    ("hubpack_derive", "0.1.1"),
    ("illumos-nvpair", "0.3.0"),
    ("illumos-nvpair-sys", "0.2.0"),
    ("indent_write", "2.2.0"),
    ("ingot", "0.2.1"),
    ("ingot-macros", "0.2.0"),
    ("ingot-types", "0.2.0"),
    ("libbz2-rs-sys", "0.2.2"),
    ("libefi-sys", "0.1.0"),
    ("omicron-zone-package", "0.12.3"),
    ("oxide-tokio-rt", "0.1.4"),
    ("oxide-update-engine", "0.1.2"),
    ("oxide-update-engine-display", "0.1.2"),
    ("oxide-update-engine-types", "0.1.2"),
    ("progenitor", "0.13.0"),
    ("progenitor", "0.14.0"),
    ("progenitor-client", "0.13.0"),
    ("progenitor-client", "0.14.0"),
    ("progenitor-impl", "0.13.0"),
    ("progenitor-impl", "0.14.0"),
    ("progenitor-macro", "0.13.0"),
    ("progenitor-macro", "0.14.0"),
    ("qorb", "0.4.1"),
    ("scuffle", "0.1.0"),
    ("slog-bunyan", "2.5.0"),
    ("smf", "0.2.3"),
    ("support-bundle-viewer", "0.1.2"),
    ("webpki-root-certs", "1.0.6"),
    ("zone", "0.3.1"),
    ("zone_cfg_derive", "0.3.1"),
];

#[test]
fn omicron_registry_crates_same_rejections_as_cargo_deny() {
    let tmp = registry_crates_project("cargo-large-omicron");
    let (code, report) = licenses(tmp.path(), &[]);
    assert_eq!(code, 1);
    // The 1,127 registry crates of omicron's lockfile, and the generated root.
    assert_eq!(report["summary"]["packages"], 1128);
    let mut rejected: Vec<(String, String)> = denied(&report)
        .into_iter()
        .map(|(code, name, version, _)| {
            assert_eq!(code, "license-denied", "{name} {version}");
            (name, version)
        })
        .collect();
    rejected.sort();
    let expected: Vec<(String, String)> = OMICRON_REJECTED
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(rejected, expected);
}
