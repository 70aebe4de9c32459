//! `secgate licenses` on npm projects: licences from package-lock entries, installed
//! package.json files and the project's own package.json; a lockfile that records no licences
//! for packages that are not installed is not passed (exit 2).

mod common;

use common::s;
use serde_json::Value;

/// (code, package, version, line) of every finding.
fn findings(report: &Value) -> Vec<(String, String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["package"]["name"].as_str().unwrap_or("").to_owned(),
                f["package"]["version"].as_str().unwrap_or("").to_owned(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(code: &str, name: &str, version: &str, line: u64) -> (String, String, String, u64) {
    (code.to_owned(), name.to_owned(), version.to_owned(), line)
}

#[test]
fn marked_lockfile_v3_licences_judged_at_their_entries() {
    let run = common::secgate(&[
        "licenses",
        s(&common::corpus("npm-lock-v3-marked")),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    // Derived from the lockfile by hand: the entries whose `license` is outside the default
    // preset (Python-2.0, Artistic-2.0, CC-BY-3.0), and the three entries with none.
    assert_eq!(
        findings(&report),
        [
            row("license-missing", "@andrewbranch/untar.js", "1.0.3", 94),
            row("license-missing", "@markedjs/html-differ", "5.0.4", 1079),
            row("license-denied", "argparse", "2.0.1", 1867),
            row("license-denied", "argparse", "3.0.0", 4370),
            row("license-denied", "npm", "11.18.0", 4791),
            row("license-missing", "qrcode-terminal", "0.12.0", 6402),
            row("license-denied", "spdx-exceptions", "2.5.0", 6517),
            row("license-denied", "spdx-exceptions", "2.5.0", 8005),
        ]
    );
    // The project itself (marked's package.json declares MIT) and 649 entries pass.
    assert_eq!(report["summary"]["packages"], 652);
    assert_eq!(
        report["findings"][2]["message"],
        "`Python-2.0` is not allowed"
    );
}

#[test]
fn a_lockfile_without_licences_for_packages_not_installed_cannot_be_judged() {
    for (project, lockfile, count) in [
        ("npm-axios", "package-lock.json", "2115"),
        ("pnpm-vite", "pnpm-lock.yaml", "1296"),
        ("yarn-v1-drawio-desktop", "yarn.lock", "313"),
    ] {
        let run = common::secgate(&["licenses", s(&common::corpus(project))]);
        assert_eq!(run.code, 2, "{project}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "the licences of {count} npm package(s) are not recorded in `{lockfile}`"
            )),
            "{project}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("hint: install them first"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "no report when the gate did not run");
    }
}

#[test]
fn installed_packages_and_the_project_manifest_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("monorepo").join("web"), tmp.path());
    // The lockfile records both licences; an installed copy of another version is ignored.
    std::fs::create_dir_all(tmp.path().join("node_modules/left-pad")).unwrap();
    std::fs::write(
        tmp.path().join("node_modules/left-pad/package.json"),
        r#"{"name": "left-pad", "version": "0.0.1", "license": "MIT"}"#,
    )
    .unwrap();
    // A published project is judged on its own licence, at its `license` line.
    std::fs::write(
        tmp.path().join("package.json"),
        "{\n  \"name\": \"web\",\n  \"version\": \"1.0.0\",\n  \"license\": \"GPL-3.0-only\",\n  \
         \"dependencies\": {\"left-pad\": \"1.3.0\"},\n  \"devDependencies\": {\"is-number\": \"7.0.0\"}\n}\n",
    )
    .unwrap();
    let run = common::secgate(&["licenses", s(tmp.path()), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        findings(&report),
        [
            row("license-denied", "left-pad", "1.3.0", 23),
            row("license-denied", "web", "1.0.0", 4),
        ]
    );
    assert_eq!(report["findings"][1]["location"]["path"], "package.json");
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("WTFPL")
    );
}

#[test]
fn the_sbom_states_the_npm_licences_the_lockfile_records() {
    let run = common::secgate(&["sbom", s(&common::corpus("npm-lock-v3-marked"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sbom: Value = serde_json::from_str(&run.stdout).unwrap();
    let components = sbom["components"].as_array().unwrap();
    let licensed = components
        .iter()
        .filter(|c| c.get("licenses").is_some())
        .count();
    // 617 distinct name/version pairs; the three without a recorded licence have none.
    assert_eq!((components.len(), licensed), (617, 614));
    let argparse = components
        .iter()
        .find(|c| c["name"] == "argparse" && c["version"] == "2.0.1")
        .unwrap();
    assert_eq!(argparse["licenses"][0]["expression"], "Python-2.0");
}
