//! `lockfile-stale` on small in-memory workspaces: one failing and one passing form per rule.

use crate::rust::check;
use crate::{SourceFile, classify};
use secgate_core::Code;
use std::fmt::Write;

const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// `(path, line, id, message)` of the `lockfile-stale` findings in the tree `specs`.
fn stale(specs: &[(&str, &str)]) -> Vec<(String, u32, String, String)> {
    let files: Vec<SourceFile> = specs
        .iter()
        .map(|(path, text)| SourceFile::new(*path, classify(path).unwrap(), *text))
        .collect();
    let refs: Vec<&SourceFile> = files.iter().collect();
    check(&refs)
        .unwrap()
        .into_iter()
        .filter(|f| f.code == Code::LockfileStale)
        .map(|f| {
            assert!(
                f.fix
                    .as_deref()
                    .is_some_and(|fix| fix.contains("cargo update"))
            );
            let l = f.location;
            (l.path, l.line, f.id.unwrap(), f.message)
        })
        .collect()
}

fn at(found: &[(String, u32, String, String)]) -> Vec<(&str, u32, &str)> {
    found
        .iter()
        .map(|(p, l, id, _)| (p.as_str(), *l, id.as_str()))
        .collect()
}

/// A lock with the path packages `members` (name, version) and registry packages `registry`.
fn lock(members: &[(&str, &str)], registry: &[(&str, &str)]) -> String {
    let mut text = String::from("version = 4\n");
    for (name, version) in members {
        let _ = write!(
            text,
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n"
        );
    }
    for (name, version) in registry {
        let _ = write!(
            text,
            "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\nsource = \"{CRATES_IO}\"\n"
        );
    }
    text
}

const APP: &str = r#"[package]
name = "app"
version = "1.2.0"

[dependencies]
serde = "1.0.100"
"#;

#[test]
fn member_versions() {
    let fresh = lock(&[("app", "1.2.0")], &[("serde", "1.0.200")]);
    assert!(stale(&[("Cargo.toml", APP), ("Cargo.lock", &fresh)]).is_empty());
    let old = lock(&[("app", "1.1.0")], &[("serde", "1.0.200")]);
    let found = stale(&[("Cargo.toml", APP), ("Cargo.lock", &old)]);
    assert_eq!(at(&found), [("Cargo.toml", 3, "app")]);
    assert_eq!(
        found[0].3,
        "member `app` 1.2.0 is not in Cargo.lock (it has `app` 1.1.0 (path))"
    );
    // No version means 0.0.0; a registry package of the same name is not the member.
    let bare = "[package]\nname = \"serde\"\n";
    let fresh = lock(&[("serde", "0.0.0")], &[]);
    assert!(stale(&[("Cargo.toml", bare), ("Cargo.lock", &fresh)]).is_empty());
    let other = lock(&[], &[("serde", "0.0.0")]);
    assert_eq!(
        at(&stale(&[("Cargo.toml", bare), ("Cargo.lock", &other)])),
        [("Cargo.toml", 1, "serde")]
    );
}

#[test]
fn bumped_and_new_dependencies() {
    let bumped = APP.replace("1.0.100", "1.0.201");
    let lockfile = lock(&[("app", "1.2.0")], &[("serde", "1.0.200")]);
    let found = stale(&[("Cargo.toml", &bumped), ("Cargo.lock", &lockfile)]);
    assert_eq!(at(&found), [("Cargo.toml", 6, "serde")]);
    assert!(
        found[0]
            .3
            .contains("requires `1.0.201`, but Cargo.lock has `serde` 1.0.200"),
        "{}",
        found[0].3
    );
    let added = format!("{APP}toml = \"0.8\"\n");
    let found = stale(&[("Cargo.toml", &added), ("Cargo.lock", &lockfile)]);
    assert_eq!(at(&found), [("Cargo.toml", 7, "toml")]);
    assert!(found[0].3.contains("is not in Cargo.lock"));
}

#[test]
fn renamed_dependencies_use_the_real_name() {
    let text = format!("{APP}json = {{ package = \"serde_json\", version = \"1.0.50\" }}\n");
    let fresh = lock(
        &[("app", "1.2.0")],
        &[("serde", "1.0.200"), ("serde_json", "1.0.60")],
    );
    assert!(stale(&[("Cargo.toml", &text), ("Cargo.lock", &fresh)]).is_empty());
    let old = lock(
        &[("app", "1.2.0")],
        &[("serde", "1.0.200"), ("serde_json", "1.0.40")],
    );
    assert_eq!(
        at(&stale(&[("Cargo.toml", &text), ("Cargo.lock", &old)])),
        [("Cargo.toml", 7, "serde_json")]
    );
    // Locked under the key's name only: the renamed package is missing.
    let wrong = lock(
        &[("app", "1.2.0")],
        &[("serde", "1.0.200"), ("json", "1.0.60")],
    );
    let found = stale(&[("Cargo.toml", &text), ("Cargo.lock", &wrong)]);
    assert!(
        found[0].3.contains("`json` (package `serde_json`)"),
        "{}",
        found[0].3
    );
}

#[test]
fn target_specific_and_dev_dependencies() {
    let text = format!(
        "{APP}[target.'cfg(windows)'.dependencies]\nwinapi = \"0.3.9\"\n[dev-dependencies]\ntempfile = \"3\"\n"
    );
    let fresh = lock(
        &[("app", "1.2.0")],
        &[
            ("serde", "1.0.200"),
            ("winapi", "0.3.9"),
            ("tempfile", "3.10.0"),
        ],
    );
    assert!(stale(&[("Cargo.toml", &text), ("Cargo.lock", &fresh)]).is_empty());
    let old = lock(
        &[("app", "1.2.0")],
        &[("serde", "1.0.200"), ("winapi", "0.3.8")],
    );
    assert_eq!(
        at(&stale(&[("Cargo.toml", &text), ("Cargo.lock", &old)])),
        [("Cargo.toml", 8, "winapi"), ("Cargo.toml", 10, "tempfile")]
    );
}

const ROOT: &str = r#"[workspace]
members = ["crates/*"]

[workspace.package]
version = "0.3.0"

[workspace.dependencies]
serde = "1.0.100"
log = "0.4.20"
unused = "9"
core = { path = "crates/core", version = "0.3.0" }
"#;

const CORE: &str = "[package]\nname = \"core\"\nversion.workspace = true\n[dependencies]\nserde.workspace = true\n";
const CLI: &str = "[package]\nname = \"cli\"\nversion.workspace = true\n[dependencies]\ncore.workspace = true\nserde = { workspace = true, features = [\"derive\"] }\nlog.workspace = true\n";

#[test]
fn workspace_inherited_dependencies() {
    let tree = |lock: &str| {
        stale(&[
            ("Cargo.toml", ROOT),
            ("crates/core/Cargo.toml", CORE),
            ("crates/cli/Cargo.toml", CLI),
            ("Cargo.lock", lock),
        ])
    };
    let fresh = lock(
        &[("cli", "0.3.0"), ("core", "0.3.0")],
        &[("serde", "1.0.200"), ("log", "0.4.21")],
    );
    // `unused` is in no member and not locked: not a finding.
    assert!(tree(&fresh).is_empty(), "{:?}", tree(&fresh));
    // Two members inherit the stale `serde`: one finding, at the workspace entry.
    let old = lock(
        &[("cli", "0.3.0"), ("core", "0.2.0")],
        &[("serde", "1.0.50")],
    );
    assert_eq!(
        at(&tree(&old)),
        [
            ("Cargo.toml", 8, "serde"),
            ("crates/cli/Cargo.toml", 7, "log"),
            ("crates/core/Cargo.toml", 3, "core"),
        ]
    );
}

/// `lock` plus a path package `hidden` (a member whose manifest is not in the tree) depending
/// on `deps`.
fn with_hidden_member(lock: &str, deps: &[&str]) -> String {
    let deps: String = deps.iter().fold(String::new(), |mut out, d| {
        let _ = writeln!(out, " \"{d}\",");
        out
    });
    format!(
        "{lock}\n[[package]]\nname = \"hidden\"\nversion = \"0.1.0\"\ndependencies = [\n{deps}]\n"
    )
}

#[test]
fn incomplete_workspaces_check_requirements_a_locked_member_uses() {
    let root = "[workspace]\nmembers = [\"gone/*\"]\n[workspace.dependencies]\nserde = \"1.0.100\"\nlog = \"0.4\"\nabsent = \"1\"\ngitdep = { git = \"https://example.com/g\" }\n";
    let tree = |lock: &str| stale(&[("Cargo.toml", root), ("Cargo.lock", lock)]);
    let fresh = with_hidden_member(
        &lock(&[], &[("serde", "1.0.200"), ("log", "0.4.0")]),
        &["serde", "log"],
    );
    assert!(tree(&fresh).is_empty());
    let old = with_hidden_member(
        &lock(&[], &[("serde", "1.0.50"), ("log", "0.4.0")]),
        &["serde", "log"],
    );
    assert_eq!(at(&tree(&old)), [("Cargo.toml", 4, "serde")]);
    // Locked only for some third-party package (no member depends on it): maybe unused, not
    // judged.
    let third_party = with_hidden_member(
        &lock(&[], &[("serde", "1.0.50"), ("log", "0.4.0")]),
        &["log"],
    );
    assert!(tree(&third_party).is_empty());
    // With every member present, an unused workspace requirement is not judged.
    let complete = root.replace("gone/*", "a");
    let a = "[package]\nname = \"a\"\nversion = \"0.1.0\"\n";
    let old = with_hidden_member(&lock(&[("a", "0.1.0")], &[("serde", "1.0.50")]), &["serde"]);
    assert!(
        stale(&[
            ("Cargo.toml", &complete),
            ("a/Cargo.toml", a),
            ("Cargo.lock", &old)
        ])
        .is_empty()
    );
}

#[test]
fn patched_dependencies_accept_what_the_patch_locked() {
    let text = format!(
        "{APP}reedline = \"0.40\"\n[patch.crates-io]\nreedline = {{ git = \"https://github.com/nushell/reedline\", branch = \"main\" }}\n"
    );
    let mut lockfile = lock(&[("app", "1.2.0")], &[("serde", "1.0.200")]);
    lockfile += "\n[[package]]\nname = \"reedline\"\nversion = \"0.49.0\"\nsource = \"git+https://github.com/nushell/reedline?branch=main#e4fe8edfb28440614e58a8c9dba78d128783f70f\"\n";
    assert!(stale(&[("Cargo.toml", &text), ("Cargo.lock", &lockfile)]).is_empty());
    // Unpatched, 0.40 is not met by the locked 0.49.0.
    let unpatched = text.split("[patch").next().unwrap_or_default();
    assert_eq!(
        at(&stale(&[
            ("Cargo.toml", unpatched),
            ("Cargo.lock", &lockfile)
        ])),
        [("Cargo.toml", 7, "reedline")]
    );
}

#[test]
fn git_and_path_dependencies() {
    let text = format!(
        "{APP}forked = {{ git = \"https://github.com/me/forked\", rev = \"0123456\" }}\nlocal = {{ path = \"local\" }}\n"
    );
    let local = "[package]\nname = \"local\"\nversion = \"0.1.0\"\n";
    let mut lockfile = lock(
        &[("app", "1.2.0"), ("local", "0.1.0")],
        &[("serde", "1.0.200")],
    );
    let git = "\n[[package]]\nname = \"forked\"\nversion = \"0.1.0\"\nsource = \"git+https://github.com/me/forked?rev=0123456#0123456789abcdef0123456789abcdef01234567\"\n";
    let tree = |lock: &str| {
        stale(&[
            ("Cargo.toml", &text),
            ("local/Cargo.toml", local),
            ("Cargo.lock", lock),
        ])
    };
    assert!(tree(&(lockfile.clone() + git)).is_empty());
    lockfile += &git.replace("me/forked", "upstream/forked");
    let found = tree(&lockfile);
    assert_eq!(at(&found), [("Cargo.toml", 7, "forked")]);
    assert!(
        found[0]
            .3
            .contains("comes from git repository https://github.com/me/forked")
    );
}
