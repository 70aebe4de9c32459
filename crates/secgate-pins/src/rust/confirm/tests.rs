//! Confirmation with a fake Cargo (the bookkeeping) and with the real one on a tiny offline
//! workspace in a temporary directory (path dependencies only, so no registry is needed).

use super::*;
use crate::rust::check;
use crate::{SourceFile, classify};
use secgate_core::Location;
use std::fs;

fn finding(code: Code, path: &str) -> Finding {
    Finding::new(code, Location::new(path, 3, 1), "m")
}

#[test]
fn fresh_drops_stale_keeps_unknown_keeps() {
    let findings = vec![
        finding(Code::LockfileStale, "a/Cargo.toml"),
        finding(Code::LockfileStale, "a/Cargo.toml"),
        finding(Code::GitUnpinned, "a/Cargo.toml"),
        finding(Code::LockfileStale, "b/Cargo.toml"),
        finding(Code::LockfileStale, "Cargo.toml"),
        finding(Code::GitUnpinned, "Cargo.lock"),
    ];
    let mut asked = Vec::new();
    let (kept, notes) = confirm_by(findings, |manifest| {
        asked.push(manifest.to_owned());
        match manifest {
            "a/Cargo.toml" => CargoVerdict::Fresh,
            "b/Cargo.toml" => CargoVerdict::Stale("error: cannot update the lock file".into()),
            _ => CargoVerdict::Unknown("no cargo".into()),
        }
    });
    assert_eq!(asked, ["Cargo.toml", "a/Cargo.toml", "b/Cargo.toml"]);
    let kept: Vec<_> = kept
        .iter()
        .map(|f| (f.code, f.location.path.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            (Code::GitUnpinned, "a/Cargo.toml"),
            (Code::LockfileStale, "b/Cargo.toml"),
            (Code::LockfileStale, "Cargo.toml"),
            (Code::GitUnpinned, "Cargo.lock"),
        ]
    );
    assert_eq!(
        notes,
        [
            "cargo could not confirm the 1 lockfile-stale finding of `Cargo.toml`; kept: no cargo",
            "cargo metadata --locked accepts `a/Cargo.toml`; 2 lockfile-stale findings dropped",
            "cargo metadata --locked confirms the lockfile of `b/Cargo.toml` is stale (1 lockfile-stale finding): error: cannot update the lock file",
        ]
    );
}

#[test]
fn nothing_to_confirm_asks_nothing() {
    let findings = vec![finding(Code::GitUnpinned, "Cargo.toml")];
    let (kept, notes) = confirm_by(findings, |_| panic!("cargo must not run"));
    assert_eq!((kept.len(), notes.len()), (1, 0));
}

/// Writes a workspace `app` -> `util` (path) and locks it offline with the real Cargo.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let full = dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"app\", \"util\"]\nresolver = \"2\"\n",
    );
    write(
        "app/Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nutil = { path = \"../util\" }\n",
    );
    write("app/src/lib.rs", "");
    write(
        "util/Cargo.toml",
        "[package]\nname = \"util\"\nversion = \"0.2.0\"\nedition = \"2021\"\n",
    );
    write("util/src/lib.rs", "");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "generate-lockfile",
            "--offline",
            "--quiet",
            "--manifest-path",
        ])
        .arg(dir.path().join("Cargo.toml"))
        // An empty pipe, not the test's stdin: Cargo passes it on to `rustc`.
        .stdin(Stdio::piped())
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn scan(root: &Path) -> Vec<Finding> {
    let files: Vec<SourceFile> = [
        "Cargo.toml",
        "Cargo.lock",
        "app/Cargo.toml",
        "util/Cargo.toml",
    ]
    .iter()
    .map(|p| {
        let text = fs::read_to_string(root.join(p)).unwrap();
        SourceFile::new(*p, classify(p).unwrap(), text)
    })
    .collect();
    check(&files.iter().collect::<Vec<_>>()).unwrap()
}

#[test]
fn real_cargo_agrees_with_the_static_check() {
    let dir = workspace();
    let root = dir.path();
    assert_eq!(confirm_with_cargo(root, "Cargo.toml"), CargoVerdict::Fresh);
    assert!(scan(root).is_empty());

    // Bump a member without relocking: both the static check and Cargo call it stale.
    let util = root.join("util/Cargo.toml");
    let text = fs::read_to_string(&util).unwrap().replace("0.2.0", "0.3.0");
    fs::write(&util, text).unwrap();
    let findings = scan(root);
    let at: Vec<_> = findings
        .iter()
        .map(|f| (f.code, f.location.path.as_str(), f.location.line))
        .collect();
    assert_eq!(at, [(Code::LockfileStale, "util/Cargo.toml", 3)]);
    let verdict = confirm_with_cargo(root, "util/Cargo.toml");
    let CargoVerdict::Stale(line) = verdict else {
        panic!("cargo should find the lock stale: {verdict:?}");
    };
    assert!(line.contains("--locked"), "{line}");
    let (kept, notes) = confirm(root, findings);
    assert_eq!(kept.len(), 1);
    assert!(notes[0].contains("confirms"), "{notes:?}");
}

#[test]
fn a_finding_cargo_disagrees_with_is_dropped() {
    let dir = workspace();
    // A static false positive, made up: Cargo accepts the lock, so it goes.
    let (kept, notes) = confirm(
        dir.path(),
        vec![finding(Code::LockfileStale, "app/Cargo.toml")],
    );
    assert!(kept.is_empty());
    assert_eq!(
        notes,
        ["cargo metadata --locked accepts `app/Cargo.toml`; 1 lockfile-stale finding dropped"]
    );
}

#[test]
fn unknown_when_cargo_cannot_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let CargoVerdict::Unknown(why) = confirm_with_cargo(dir.path(), "Cargo.toml") else {
        panic!("a missing manifest cannot be judged");
    };
    assert!(why.starts_with("error"), "{why}");
}

#[test]
fn unknown_says_why_with_the_innermost_cause() {
    // Like the corpus copies: a manifest without its sources cannot be loaded.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("Cargo.lock"), "version = 4\n").unwrap();
    let verdict = confirm_with_cargo(dir.path(), "Cargo.toml");
    let CargoVerdict::Unknown(why) = verdict else {
        panic!("{verdict:?}");
    };
    assert!(
        why.starts_with("error: failed to parse manifest at"),
        "{why}"
    );
    assert!(
        why.ends_with(": no targets specified in the manifest"),
        "{why}"
    );

    assert_eq!(reason("\n  \n"), None);
    assert_eq!(
        reason("warning: x\nerror: y\n").as_deref(),
        Some("error: y")
    );
    assert_eq!(
        reason("error: a\n\nCaused by:\n  b\n\nCaused by:\n  c\n  d\n").as_deref(),
        Some("error: a: c")
    );
}
