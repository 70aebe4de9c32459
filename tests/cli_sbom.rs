//! End to end: `secgate sbom` on every Cargo.lock of the corpus (CycloneDX 1.6, 1.5 and SPDX 2.3,
//! written where CI's validators check them), component counts and purls against the lockfile,
//! byte-identical reruns, licences from a real cargo cache, and vulnerabilities with VEX.

mod common;

use common::{corpus, output_dir, s, secgate_in};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const CARGO_CORPUS: &[&str] = &[
    "cargo-bat",
    "cargo-large-omicron",
    "cargo-nushell",
    "cargo-old-spotify-tui",
    "cargo-old-ytop",
    "cargo-xi-editor-2023",
];

/// Runs `secgate sbom` with an empty cargo home, so no licence comes from this machine's cache
/// and the output is the same everywhere.
fn sbom(dir: &Path, args: &[&str]) -> common::Run {
    let home = tempfile::tempdir().unwrap();
    common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .arg("sbom")
            .arg(dir)
            .args(args)
            .env("CARGO_HOME", home.path())
            .env("SECGATE_OFFLINE", "1")
            .env("SOURCE_DATE_EPOCH", common::TODAY_EPOCH)
            .env("NO_COLOR", "1"),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:.300}"))
}

/// The lockfile of a corpus project and its `[[package]]` entries as (name, version).
fn locked(project: &str) -> Vec<(String, String)> {
    let dir = corpus(project);
    let lock = ["Cargo.lock", "rust/Cargo.lock"]
        .iter()
        .map(|p| dir.join(p))
        .find(|p| p.is_file())
        .unwrap();
    let text = std::fs::read_to_string(lock).unwrap();
    let mut out = Vec::new();
    for entry in text.split("[[package]]").skip(1) {
        let field = |key: &str| {
            entry
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .map(|v| v.trim_end_matches('"').to_owned())
                .unwrap()
        };
        out.push((field("name"), field("version")));
    }
    out
}

#[test]
fn cyclonedx_of_every_corpus_lockfile_lists_every_package() {
    for project in CARGO_CORPUS {
        let path = output_dir().join(format!("sbom-{project}.cdx.json"));
        let run = sbom(&corpus(project), &["--format", "cyclonedx", "-o", s(&path)]);
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        let bom = json(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(bom["specVersion"], "1.6");
        let components = bom["components"].as_array().unwrap();
        let packages = locked(project);
        assert_eq!(components.len(), packages.len(), "{project}");
        let purls: std::collections::HashSet<&str> = components
            .iter()
            .map(|c| c["purl"].as_str().unwrap())
            .collect();
        // Every 25th package of the lockfile, by name and version.
        for (name, version) in packages.iter().step_by(25) {
            let purl = format!("pkg:cargo/{name}@{}", version.replace('+', "%2B"));
            assert!(
                purls
                    .iter()
                    .any(|p| p.split('?').next() == Some(purl.as_str())),
                "{project}: {purl} missing"
            );
        }
        // The graph covers every component and the root.
        let deps = bom["dependencies"].as_array().unwrap();
        assert_eq!(deps.len(), components.len() + 1, "{project}");
    }
}

#[test]
fn spdx_and_cyclonedx_1_5_of_every_corpus_lockfile() {
    for project in CARGO_CORPUS {
        let spdx = output_dir().join(format!("sbom-{project}.spdx.json"));
        let run = sbom(&corpus(project), &["--format", "spdx", "-o", s(&spdx)]);
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        let doc = json(&std::fs::read_to_string(&spdx).unwrap());
        assert_eq!(doc["spdxVersion"], "SPDX-2.3");
        // One SPDX package per locked package, plus the described root.
        let packages = doc["packages"].as_array().unwrap();
        assert_eq!(packages.len(), locked(project).len() + 1, "{project}");

        let cdx = output_dir().join(format!("sbom-{project}-1.5.cdx.json"));
        let run = sbom(
            &corpus(project),
            &[
                "--format",
                "cyclonedx",
                "--spec-version",
                "1.5",
                "-o",
                s(&cdx),
            ],
        );
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        assert_eq!(
            json(&std::fs::read_to_string(&cdx).unwrap())["specVersion"],
            "1.5"
        );
    }
}

#[test]
fn same_inputs_and_source_date_epoch_give_identical_bytes() {
    for format in ["cyclonedx", "spdx"] {
        let first = sbom(&corpus("cargo-bat"), &["--format", format]);
        let second = sbom(&corpus("cargo-bat"), &["--format", format]);
        assert_eq!(first.code, 0, "{}", first.stderr);
        assert!(!first.stdout.is_empty());
        assert_eq!(first.stdout, second.stdout, "{format}");
        // The time written is SOURCE_DATE_EPOCH's, 2026-11-23.
        assert!(first.stdout.contains("2026-11-23T00:00:00Z"), "{format}");
    }
}

#[test]
fn report_formats_are_refused_for_sboms_and_sbom_formats_for_reports() {
    let run = sbom(&corpus("cargo-bat"), &["--format", "json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--format cyclonedx"), "{}", run.stderr);
    let run = secgate_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["pins", s(&corpus("cargo-bat")), "--format", "spdx"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("SBOM format"), "{}", run.stderr);
    let run = sbom(Path::new("/nonexistent/project"), &[]);
    assert_eq!(run.code, 2);
}

#[test]
fn licences_come_from_the_cargo_cache() {
    let tmp = common::licence_fixture_project();
    let run = common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(["sbom", s(tmp.path()), "--fetch"])
            .env("CARGO_HOME", common::test_cargo_home())
            .env_remove("SECGATE_OFFLINE")
            .env("NO_COLOR", "1"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = output_dir().join("sbom-licence-fixture.cdx.json");
    std::fs::write(&path, &run.stdout).unwrap();
    let bom = json(&run.stdout);
    let license = |name: &str| {
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .map(|c| c["licenses"][0]["expression"].clone())
            .unwrap()
    };
    assert_eq!(license("option-ext"), "MPL-2.0");
    assert_eq!(license("webpki-roots"), "CDLA-Permissive-2.0");
    // Recognized from its licence text: the crate declares none.
    assert_eq!(license("fuchsia-cprng"), "BSD-3-Clause");
    // No timestamp without SOURCE_DATE_EPOCH or --timestamp.
    assert!(bom["metadata"].get("timestamp").is_none());
}

#[test]
fn vulnerabilities_with_a_vex_analysis_for_ignored_advisories() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("vuln-old-time"), tmp.path());
    std::fs::write(
        tmp.path().join("secgate.toml"),
        "[advisories]\nignore = [{ id = \"RUSTSEC-2020-0071\", reason = \"no local time is read\" }]\n",
    )
    .unwrap();
    let db = common::rustsec_db();
    let path = output_dir().join("sbom-vuln-old-time.cdx.json");
    let run = sbom(
        tmp.path(),
        &["--with-vulnerabilities", "--db", s(&db), "-o", s(&path)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bom = json(&std::fs::read_to_string(&path).unwrap());
    let vulns = bom["vulnerabilities"].as_array().unwrap();
    let v = vulns
        .iter()
        .find(|v| v["id"] == "RUSTSEC-2020-0071")
        .unwrap_or_else(|| panic!("{vulns:?}"));
    assert_eq!(v["affects"][0]["ref"], "pkg:cargo/time@0.1.43");
    assert_eq!(v["analysis"]["state"], "not_affected");
    assert_eq!(v["analysis"]["detail"], "no local time is read");
    assert_eq!(v["source"]["name"], "RustSec");
}
