//! The Cargo checks on the real projects of `../shared/corpus`: the exact findings on each as
//! committed (consistent lockfiles: no `lockfile-stale`; the real git branches: `git-unpinned`),
//! and on in-memory edits of them (a bumped requirement, a bumped member version, a new
//! dependency, a deleted lockfile), so a check that silently stopped working fails here.
//!
//! The corpus is found through `SECGATE_SHARED`, else `../shared` next to the repository; a
//! missing corpus fails the tests.

mod common;

use common::corpus;
use secgate_core::{Code, Finding};
use secgate_pins::{FileKind, SourceFile, classify, rust};
use std::fs;
use std::path::Path;

/// Every `Cargo.toml` and `Cargo.lock` under the corpus project `name`, paths relative to it.
fn project(name: &str) -> Vec<SourceFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
                continue;
            }
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(kind @ (FileKind::CargoManifest | FileKind::CargoLock)) =
                classify(&relative)
            {
                out.push(SourceFile::new(
                    relative,
                    kind,
                    fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let root = corpus().join(name);
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    assert!(!files.is_empty(), "no Cargo files in {}", root.display());
    files
}

fn check(files: &[SourceFile]) -> Vec<Finding> {
    rust::check(&files.iter().collect::<Vec<_>>()).unwrap()
}

/// `(code, path, line, id)` of each finding.
fn summary(findings: &[Finding]) -> Vec<(Code, String, u32, String)> {
    findings
        .iter()
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (f.code, f.location.path.clone(), f.location.line, id)
        })
        .collect()
}

fn expect(findings: &[Finding], expected: &[(Code, &str, u32, &str)]) {
    let expected: Vec<_> = expected
        .iter()
        .map(|&(code, path, line, id)| (code, path.to_owned(), line, id.to_owned()))
        .collect();
    assert_eq!(summary(findings), expected);
}

/// `files` with the one occurrence of `from` in `path` replaced by `to`.
fn edit(mut files: Vec<SourceFile>, path: &str, from: &str, to: &str) -> Vec<SourceFile> {
    let file = files.iter_mut().find(|f| f.path == path).unwrap();
    assert_eq!(file.text.matches(from).count(), 1, "`{from}` in {path}");
    *file = SourceFile::new(path, file.kind, file.text.replacen(from, to, 1));
    files
}

use Code::{GitUnpinned, LockfileMissing, LockfileStale};

#[test]
fn bat_is_consistent() {
    assert!(check(&project("cargo-bat")).is_empty());
}

#[test]
fn bat_with_a_bumped_requirement_version_and_new_dependency() {
    let files = edit(
        project("cargo-bat"),
        "Cargo.toml",
        "console = \"0.16.2\"",
        "console = \"0.17\"",
    );
    let files = edit(
        files,
        "Cargo.toml",
        "version = \"0.26.1\"",
        "version = \"0.27.0\"",
    );
    let files = edit(
        files,
        "Cargo.toml",
        "[build-dependencies]\n",
        "[build-dependencies]\ncc = \"1\"\nbrand-new = \"1\"\n",
    );
    let found = check(&files);
    expect(
        &found,
        &[
            (LockfileStale, "Cargo.toml", 9, "bat"),
            (LockfileStale, "Cargo.toml", 47, "console"),
            (LockfileStale, "Cargo.toml", 111, "brand-new"),
        ],
    );
    assert_eq!(
        found[0].message,
        "member `bat` 0.27.0 is not in Cargo.lock (it has `bat` 0.26.1 (path))"
    );
    assert_eq!(found[1].location.column, 12);
    assert!(
        found[1]
            .message
            .contains("requires `0.17`, but Cargo.lock has `console` 0.16.3"),
        "{}",
        found[1].message
    );
    assert_eq!(
        found[1].fix.as_deref(),
        Some("run `cargo update -p console`, review and commit Cargo.lock")
    );
}

#[test]
fn nushell_follows_a_reedline_branch() {
    let found = check(&project("cargo-nushell"));
    expect(&found, &[(GitUnpinned, "Cargo.toml", 494, "reedline")]);
    assert_eq!(found[0].location.column, 69);
    assert!(
        found[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("e4fe8edfb28440614e58a8c9dba78d128783f70f")
    );
}

#[test]
fn nushell_inherited_and_target_requirements() {
    // `crossterm` is inherited by the root package: reported at the workspace entry.
    let files = edit(
        project("cargo-nushell"),
        "Cargo.toml",
        "crossterm = \"0.29.0\"",
        "crossterm = \"0.30\"",
    );
    let files = edit(
        files,
        "Cargo.toml",
        "openssl = { version = \"0.10.78\"",
        "openssl = { version = \"0.11\"",
    );
    // `reedline` is patched: a requirement the locked git version does not meet is fine.
    let files = edit(
        files,
        "Cargo.toml",
        "reedline = \"0.49.0\"",
        "reedline = \"0.1\"",
    );
    expect(
        &check(&files),
        &[
            (LockfileStale, "Cargo.toml", 154, "crossterm"),
            (LockfileStale, "Cargo.toml", 363, "openssl"),
            (GitUnpinned, "Cargo.toml", 494, "reedline"),
        ],
    );
}

#[test]
fn omicron_partial_workspace() {
    let found = check(&project("cargo-large-omicron"));
    expect(
        &found,
        &[
            (GitUnpinned, "Cargo.toml", 513, "dice-verifier"),
            (GitUnpinned, "Cargo.toml", 610, "ispf"),
            (GitUnpinned, "Cargo.toml", 623, "lpc55_areas"),
            (GitUnpinned, "Cargo.toml", 705, "openapi-lint"),
            (GitUnpinned, "Cargo.toml", 842, "slog-error-chain"),
            (GitUnpinned, "Cargo.toml", 874, "tofino"),
            (GitUnpinned, "Cargo.toml", 884, "transceiver-controller"),
            (GitUnpinned, "Cargo.toml", 887, "tufaceous"),
            (GitUnpinned, "Cargo.toml", 888, "tufaceous-artifact"),
            (GitUnpinned, "Cargo.toml", 889, "tufaceous-brand-metadata"),
            (GitUnpinned, "Cargo.toml", 1142, "pq-sys"),
        ],
    );
    assert!(found[1].message.contains("follows the default branch"));
    assert!(found[10].message.contains("branch `oxide/omicron`"));
}

#[test]
fn omicron_workspace_requirement_used_by_an_absent_member() {
    // Members' manifests are not in the corpus, but the lock shows members using `anyhow`.
    let files = edit(
        project("cargo-large-omicron"),
        "Cargo.toml",
        "anyhow = \"1.0\"",
        "anyhow = \"2.0\"",
    );
    let stale: Vec<_> = check(&files)
        .into_iter()
        .filter(|f| f.code == LockfileStale)
        .collect();
    expect(&stale, &[(LockfileStale, "Cargo.toml", 438, "anyhow")]);
}

#[test]
fn old_projects_are_consistent_and_their_lockfiles_are_required() {
    assert!(check(&project("cargo-old-spotify-tui")).is_empty());
    assert!(check(&project("cargo-old-ytop")).is_empty());
    let files: Vec<_> = project("cargo-old-ytop")
        .into_iter()
        .filter(|f| f.kind == FileKind::CargoManifest)
        .collect();
    let found = check(&files);
    expect(&found, &[(LockfileMissing, "Cargo.toml", 1, "ytop")]);
    let files = edit(
        project("cargo-old-spotify-tui"),
        "Cargo.toml",
        "tokio = { version = \"0.2\"",
        "tokio = { version = \"1\"",
    );
    expect(
        &check(&files),
        &[(LockfileStale, "Cargo.toml", 28, "tokio")],
    );
}

#[test]
fn xi_editor_patches_onig_from_a_branch() {
    let found = check(&project("cargo-xi-editor-2023"));
    expect(
        &found,
        &[
            (GitUnpinned, "rust/Cargo.toml", 42, "onig"),
            (GitUnpinned, "rust/Cargo.toml", 43, "onig_sys"),
        ],
    );
    // Renaming a path member without relocking.
    let files = edit(
        project("cargo-xi-editor-2023"),
        "rust/Cargo.toml",
        "name = \"xi-core\"",
        "name = \"xi-core2\"",
    );
    let stale: Vec<_> = check(&files)
        .into_iter()
        .filter(|f| f.code == LockfileStale)
        .collect();
    expect(&stale, &[(LockfileStale, "rust/Cargo.toml", 3, "xi-core2")]);
}
