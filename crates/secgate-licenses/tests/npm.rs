//! npm licence discovery: package-lock entries, installed package.json files (npm, yarn and
//! pnpm layouts), the project's own package.json, and packages nothing records.

use secgate_core::Package;
use secgate_inventory::{Lockfile, npm};
use secgate_licenses::evaluate::LicenseSource;
use secgate_licenses::npm::{NpmLicense, NpmLockfile, discover_npm, npm_project};
use std::fs;
use std::path::{Path, PathBuf};

fn declared(expression: &str) -> NpmLicense {
    NpmLicense::Known(LicenseSource::Declared {
        expression: expression.to_owned(),
    })
}

/// Discovery over one lockfile at `root/<path>`: (name, version, what was found), in lockfile order.
fn run(root: &Path, lockfile: &Lockfile) -> Vec<(String, String, NpmLicense)> {
    let packages: Vec<&Package> = lockfile.packages.iter().collect();
    let files = [NpmLockfile {
        path: &lockfile.path,
        text: &lockfile.text,
    }];
    let found = discover_npm(root, &files, &packages).found;
    packages
        .iter()
        .zip(found)
        .map(|(p, f)| (p.name.clone(), p.version.clone(), f))
        .collect()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const LOCK_V3: &str = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "version": "1.0.0", "license": "MIT", "workspaces": ["pkgs/*"] },
    "node_modules/a": { "version": "1.0.0", "license": "ISC" },
    "node_modules/b": { "version": "2.0.0" },
    "node_modules/c": { "version": "3.0.0", "license": { "type": "BSD-3-Clause" } },
    "node_modules/a/node_modules/@s/d": { "version": "0.1.0", "licenses": [{ "type": "MIT" }, { "type": "Apache-2.0" }] },
    "node_modules/own": { "resolved": "pkgs/own", "link": true },
    "pkgs/own": { "name": "own", "version": "0.0.1", "license": "Apache-2.0" },
    "pkgs/private": { "name": "private", "version": "0.0.1" }
  }
}"#;

#[test]
fn package_lock_v3_records_every_licence_and_a_missing_one_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let lock = npm::parse_package_lock(LOCK_V3, "package-lock.json").unwrap();
    write(
        &tmp.path().join("pkgs/private/package.json"),
        r#"{"name": "private", "private": true}"#,
    );
    let found = run(tmp.path(), &lock);
    let by_name = |n: &str| found.iter().find(|(name, ..)| name == n).unwrap().2.clone();
    assert_eq!(by_name("a"), declared("ISC"));
    assert_eq!(by_name("b"), NpmLicense::Known(LicenseSource::Missing));
    assert_eq!(by_name("c"), declared("BSD-3-Clause"));
    assert_eq!(by_name("@s/d"), declared("(MIT) OR (Apache-2.0)"));
    // The workspace folder is judged on its entry; the link to it is the same package.
    let own: Vec<NpmLicense> = found
        .iter()
        .filter(|f| f.0 == "own")
        .map(|f| f.2.clone())
        .collect();
    assert_eq!(own, [NpmLicense::Own, declared("Apache-2.0")]);
    assert_eq!(by_name("private"), NpmLicense::Own);
}

#[test]
fn an_installed_package_json_fills_in_what_the_lockfile_lacks() {
    let tmp = tempfile::tempdir().unwrap();
    // npm 7/8 style: lockfileVersion 2 with no `license` in any entry.
    let text = r#"{"lockfileVersion": 2, "packages": {
      "": {"name": "app", "license": "MIT"},
      "node_modules/x": {"version": "1.0.0"},
      "node_modules/y": {"version": "1.0.0"},
      "node_modules/z": {"version": "1.0.0"},
      "node_modules/x/node_modules/y": {"version": "0.9.0"}
    }}"#;
    write(
        &tmp.path().join("web/node_modules/x/package.json"),
        r#"{"version": "1.0.0", "license": "MIT"}"#,
    );
    // Installed, but another version than the one locked: not evidence.
    write(
        &tmp.path().join("web/node_modules/y/package.json"),
        r#"{"version": "9.9.9", "license": "MIT"}"#,
    );
    write(
        &tmp.path()
            .join("web/node_modules/x/node_modules/y/package.json"),
        r#"{"version": "0.9.0", "license": {"type": "Zlib"}}"#,
    );
    write(
        &tmp.path().join("web/node_modules/z/package.json"),
        r#"{"version": "1.0.0"}"#,
    );
    let lock = npm::parse_package_lock(text, "web/package-lock.json").unwrap();
    let found: Vec<NpmLicense> = run(tmp.path(), &lock).into_iter().map(|f| f.2).collect();
    assert_eq!(
        found,
        [
            declared("MIT"),
            NpmLicense::Unrecorded,
            NpmLicense::Known(LicenseSource::Missing),
            declared("Zlib"),
        ]
    );
}

#[test]
fn pnpm_and_yarn_packages_are_read_from_node_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let pnpm_text = "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      '@s/p':\n        specifier: 1.0.0\n        version: 1.0.0\n\npackages:\n  '@s/p@1.0.0':\n    resolution: {integrity: sha512-AAAA}\n  q@2.0.0:\n    resolution: {integrity: sha512-BBBB}\n\nsnapshots:\n  '@s/p@1.0.0': {}\n  q@2.0.0: {}\n";
    write(
        &tmp.path()
            .join("node_modules/.pnpm/@s+p@1.0.0/node_modules/@s/p/package.json"),
        r#"{"version": "1.0.0", "license": "MIT"}"#,
    );
    let pnpm = npm::parse_pnpm_lock(pnpm_text, "pnpm-lock.yaml").unwrap();
    let found = run(tmp.path(), &pnpm);
    assert_eq!(found[0].2, declared("MIT"), "{found:?}");
    assert_eq!(found[1].2, NpmLicense::Unrecorded);

    let yarn_text = "# yarn lockfile v1\n\n\nleft@^1.0.0:\n  version \"1.0.0\"\n  resolved \"https://registry.yarnpkg.com/left/-/left-1.0.0.tgz#abc\"\n  integrity sha512-AAAA\n";
    let tmp2 = tempfile::tempdir().unwrap();
    write(
        &tmp2.path().join("node_modules/left/package.json"),
        r#"{"version": "1.0.0", "license": "Apache-2.0"}"#,
    );
    let yarn = npm::parse_yarn_lock(yarn_text, "yarn.lock").unwrap();
    assert_eq!(run(tmp2.path(), &yarn)[0].2, declared("Apache-2.0"));
}

#[test]
fn the_project_is_judged_unless_private_and_unlicensed() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("web/package.json"),
        "{\n  \"name\": \"web\",\n  \"version\": \"1.2.3\",\n  \"license\": \"GPL-3.0-only\"\n}\n",
    );
    let project = npm_project(tmp.path(), "web/package-lock.json").unwrap();
    assert_eq!(project.path, "web/package.json");
    assert_eq!(
        (project.name.as_str(), project.version.as_str()),
        ("web", "1.2.3")
    );
    assert_eq!(project.license.as_deref(), Some("GPL-3.0-only"));
    assert_eq!(project.line, 4);

    write(
        &tmp.path().join("package.json"),
        r#"{"name": "p", "private": true}"#,
    );
    assert_eq!(npm_project(tmp.path(), "package-lock.json"), None);
    write(&tmp.path().join("package.json"), r#"{"name": "p"}"#);
    assert_eq!(
        npm_project(tmp.path(), "package-lock.json")
            .unwrap()
            .license,
        None
    );
}

fn corpus(rel: &str) -> PathBuf {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    shared.join("corpus").join(rel)
}

#[test]
fn corpus_marked_lockfile_records_licences_for_all_but_three() {
    let dir = corpus("npm-lock-v3-marked");
    let text = fs::read_to_string(dir.join("package-lock.json")).unwrap();
    let lock = npm::parse_package_lock(&text, "package-lock.json").unwrap();
    let found = run(&dir, &lock);
    assert_eq!(found.len(), 652);
    let missing: Vec<&str> = found
        .iter()
        .filter(|f| f.2 == NpmLicense::Known(LicenseSource::Missing))
        .map(|f| f.0.as_str())
        .collect();
    assert_eq!(
        missing,
        [
            "@andrewbranch/untar.js",
            "@markedjs/html-differ",
            "qrcode-terminal"
        ]
    );
    let declared = found
        .iter()
        .filter(|f| matches!(f.2, NpmLicense::Known(LicenseSource::Declared { .. })))
        .count();
    assert_eq!(declared, 649);
}
