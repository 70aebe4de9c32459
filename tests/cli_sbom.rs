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

/// npm and Python projects of the corpus (`pip-whisper` pins nothing: the inventory refuses it).
const ECOSYSTEM_CORPUS: &[&str] = &[
    "npm-axios",
    "npm-lock-v1-warehouse",
    "npm-lock-v3-marked",
    "pnpm-vite",
    "pnpm-vue-core",
    "yarn-webpack",
    "yarn-v1-drawio-desktop",
    "poetry",
    "uv-pydantic",
    "pip-warehouse",
    "pip-hashes-warehouse",
];

/// Distinct (name, version) pairs a project locks, counted from the file text independently of
/// the inventory. Several entries of one name and version (nested npm installs, a pin in two
/// requirements files) are one component, so distinct pairs are the expected component count;
/// the same name and version from two sources are two (package-lock tells them apart here).
fn distinct_locked(project: &str) -> usize {
    let dir = corpus(project);
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    let mut pairs = std::collections::BTreeSet::new();
    if project.starts_with("npm-") {
        let lock = json(&read("package-lock.json"));
        if let Some(packages) = lock["packages"].as_object() {
            for (key, entry) in packages.iter().filter(|(k, _)| !k.is_empty()) {
                let installed = key.rsplit("node_modules/").next().unwrap();
                let name = entry["name"].as_str().unwrap_or(installed);
                // marked locks `marked 18.0.0` from the registry and from GitHub: two
                // components, told apart by the git purl's `vcs_url`.
                let resolved = entry["resolved"].as_str().unwrap_or_default();
                let source = if resolved.contains("registry.npm.invalid") {
                    ""
                } else {
                    resolved
                };
                pairs.insert((format!("{name} {source}"), entry["version"].to_string()));
            }
        } else {
            fn walk(deps: &Value, pairs: &mut std::collections::BTreeSet<(String, String)>) {
                for (key, entry) in deps.as_object().into_iter().flatten() {
                    let version = entry["version"].as_str().unwrap();
                    let (name, version) = version
                        .strip_prefix("npm:")
                        .and_then(|alias| alias.get(1..)?.split_once('@'))
                        .map_or((key.clone(), version.to_owned()), |(n, v)| {
                            (format!("{}{n}", &version[4..5]), v.to_owned())
                        });
                    pairs.insert((name, version));
                    walk(&entry["dependencies"], pairs);
                }
            }
            walk(&lock["dependencies"], &mut pairs);
        }
    } else if project.starts_with("pnpm-") {
        let text = read("pnpm-lock.yaml");
        let section = text.split("\npackages:\n").nth(1).unwrap();
        for line in section
            .lines()
            .take_while(|l| !l.starts_with(|c: char| c.is_alphabetic()))
        {
            if let Some(key) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
                && !key.starts_with(' ')
            {
                let key = key.trim_matches('\'');
                pairs.insert((key.split('(').next().unwrap().to_owned(), String::new()));
            }
        }
    } else if project.starts_with("yarn-") {
        let text = read("yarn.lock");
        let mut name = None;
        for line in text.lines() {
            if !line.starts_with([' ', '#']) && line.ends_with(':') {
                let first = line.trim_matches('"').split(", ").next().unwrap();
                let first = first.trim_matches('"');
                let at = first[1..].find('@').unwrap() + 1;
                // An alias (`string-width-cjs@npm:string-width@^4`) installs the real package.
                name = Some(match first[at + 1..].strip_prefix("npm:") {
                    Some(target) => target[..=target[1..].find('@').unwrap()].to_owned(),
                    None => first[..at].to_owned(),
                });
            } else if let Some(v) = line.strip_prefix("  version ") {
                pairs.insert((name.take().unwrap(), v.trim_matches('"').to_owned()));
            }
        }
    } else if project.starts_with("pip-") {
        for file in ["requirements/main.txt", "requirements/deploy.txt"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
                continue;
            };
            for line in text.lines() {
                if let Some((name, version)) = line.split_once("==") {
                    let version = version.split([' ', ';', '\\']).next().unwrap();
                    let name = name.to_lowercase().replace(['_', '.'], "-");
                    pairs.insert((name, version.to_owned()));
                }
            }
        }
    } else {
        let file = if project == "poetry" {
            "poetry.lock"
        } else {
            "uv.lock"
        };
        let text = read(file);
        for entry in text.split("[[package]]").skip(1) {
            let field = |key: &str| {
                entry
                    .lines()
                    .take_while(|l| !l.starts_with('['))
                    .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                    .map(|v| v.trim_end_matches('"').to_owned())
                    .unwrap_or_default()
            };
            pairs.insert((
                field("name").to_lowercase().replace(['_', '.'], "-"),
                field("version"),
            ));
        }
    }
    pairs.len()
}

#[test]
fn npm_and_python_corpus_projects_give_valid_sboms_with_decoded_hashes() {
    for project in ECOSYSTEM_CORPUS {
        let cdx = output_dir().join(format!("sbom-{project}.cdx.json"));
        let run = sbom(&corpus(project), &["--format", "cyclonedx", "-o", s(&cdx)]);
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        let bom = json(&std::fs::read_to_string(&cdx).unwrap());
        let components = bom["components"].as_array().unwrap();
        assert_eq!(components.len(), distinct_locked(project), "{project}");
        let refs: std::collections::HashSet<&str> = components
            .iter()
            .map(|c| c["bom-ref"].as_str().unwrap())
            .collect();
        assert_eq!(refs.len(), components.len(), "{project}: bom-refs repeat");
        let purl_type =
            if project.starts_with("pip-") || ["poetry", "uv-pydantic"].contains(project) {
                "pkg:pypi/"
            } else {
                "pkg:npm/"
            };
        assert!(
            components
                .iter()
                .all(|c| c["purl"].as_str().unwrap().starts_with(purl_type)),
            "{project}"
        );
        // Every written digest is hex of its algorithm's length, never the lockfile's text.
        let mut hashed = 0;
        for hash in components
            .iter()
            .flat_map(|c| c["hashes"].as_array().into_iter().flatten())
        {
            let content = hash["content"].as_str().unwrap();
            let length = match hash["alg"].as_str().unwrap() {
                "SHA-1" => 40,
                "SHA-256" => 64,
                "SHA-384" => 96,
                "SHA-512" => 128,
                other => panic!("{project}: {other}"),
            };
            assert_eq!(content.len(), length, "{project}: {content}");
            assert!(
                content
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            hashed += 1;
        }
        assert!(hashed > 0, "{project}: no hashes");
        // The graph covers every component and the root; the root depends on something.
        let deps = bom["dependencies"].as_array().unwrap();
        assert_eq!(deps.len(), components.len() + 1, "{project}");
        let root = deps.iter().find(|d| d["ref"] == "root").unwrap();
        assert!(
            !root["dependsOn"].as_array().unwrap().is_empty(),
            "{project}"
        );

        let spdx = output_dir().join(format!("sbom-{project}.spdx.json"));
        let run = sbom(&corpus(project), &["--format", "spdx", "-o", s(&spdx)]);
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        let doc = json(&std::fs::read_to_string(&spdx).unwrap());
        assert_eq!(
            doc["packages"].as_array().unwrap().len(),
            components.len() + 1,
            "{project}"
        );
    }
}

#[test]
fn unresolvable_python_edges_are_dropped_with_one_note() {
    // uv-pydantic locks numpy and rpds-py twice (per Python version); `pandas -> numpy` does
    // not say which, so the edge is left out and the SBOM still written.
    let run = sbom(&corpus("uv-pydantic"), &["--format", "cyclonedx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("secgate: note:"))
        .collect();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(notes[0].contains("3 dependency edges"), "{}", notes[0]);
    assert!(
        notes[0].contains("pandas 2.3.3 -> \"numpy\""),
        "{}",
        notes[0]
    );
    // npm lockfiles of the corpus resolve completely: no note.
    let run = sbom(&corpus("npm-lock-v1-warehouse"), &["--format", "cyclonedx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

/// Standard base64 to lower-case hex, written out here so the test does not share the
/// decoder it checks.
fn base64_hex(text: &str) -> String {
    use std::fmt::Write as _;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut hex = String::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            write!(hex, "{:02x}", (bits >> count) & 0xff).unwrap();
        }
    }
    hex
}

#[test]
fn monorepo_sbom_has_cargo_npm_and_pypi_components_with_decoded_integrity() {
    let dir = common::fixture("monorepo");
    let path = output_dir().join("sbom-monorepo.cdx.json");
    let run = sbom(&dir, &["--format", "cyclonedx", "-o", s(&path)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bom = json(&std::fs::read_to_string(&path).unwrap());
    let components = bom["components"].as_array().unwrap();
    let purls: Vec<&str> = components
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    for purl in [
        "pkg:cargo/itoa@1.0.11",
        "pkg:npm/is-number@7.0.0",
        "pkg:pypi/jinja2@2.11.2",
    ] {
        assert!(purls.contains(&purl), "{purl} missing: {purls:?}");
    }
    let lock = json(&std::fs::read_to_string(dir.join("web/package-lock.json")).unwrap());
    let integrity = lock["packages"]["node_modules/is-number"]["integrity"]
        .as_str()
        .unwrap();
    let expected = base64_hex(integrity.strip_prefix("sha512-").unwrap());
    assert_eq!(expected.len(), 128);
    let is_number = components
        .iter()
        .find(|c| c["name"] == "is-number")
        .unwrap();
    assert_eq!(is_number["hashes"][0]["alg"], "SHA-512");
    assert_eq!(is_number["hashes"][0]["content"], expected.as_str());
    // The root reaches every ecosystem: the Cargo member and the npm and pip tops.
    let deps = bom["dependencies"].as_array().unwrap();
    let root = deps.iter().find(|d| d["ref"] == "root").unwrap();
    let tops: Vec<&str> = root["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for prefix in ["pkg:cargo/", "pkg:npm/", "pkg:pypi/"] {
        assert!(
            tops.iter().any(|t| t.starts_with(prefix)),
            "{prefix}: {tops:?}"
        );
    }

    let spdx = output_dir().join("sbom-monorepo.spdx.json");
    let run = sbom(&dir, &["--format", "spdx", "-o", s(&spdx)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&std::fs::read_to_string(&spdx).unwrap());
    let checksum = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "is-number")
        .map(|p| p["checksums"][0].clone())
        .unwrap();
    assert_eq!(checksum["algorithm"], "SHA512");
    assert_eq!(checksum["checksumValue"], expected.as_str());
}

#[test]
fn the_root_component_is_the_project_its_manifest_declares() {
    // The root crate of a Cargo workspace, the package.json of an npm project, the
    // pyproject.toml `[project]` (or `[tool.poetry]`) of a Python one, else the directory.
    for (project, name, version) in [
        ("cargo-bat", "bat", Some("0.26.1")),
        ("npm-axios", "axios", Some("1.7.9")),
        ("uv-pydantic", "pydantic", None),
        ("poetry", "poetry", Some("2.5.0.dev0")),
        ("pip-warehouse", "pip-warehouse", None),
    ] {
        let run = sbom(&corpus(project), &[]);
        assert_eq!(run.code, 0, "{project}: {}", run.stderr);
        let root = &json(&run.stdout)["metadata"]["component"];
        assert_eq!(root["name"], name, "{project}");
        assert_eq!(root["version"].as_str(), version, "{project}");
    }
}
