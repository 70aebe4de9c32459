//! `git-unpinned` on small manifests and lockfiles.

use super::*;
use crate::FileKind;

const SHA: &str = "3c40d5646bd00e91357f6f26dfa17f140fd1f5d9";

fn manifest_hits(text: &str, lock_text: Option<&str>) -> Vec<(u32, u32, String, String)> {
    let file = SourceFile::new("Cargo.toml", FileKind::CargoManifest, text);
    let lock_file = lock_text.map(|t| SourceFile::new("Cargo.lock", FileKind::CargoLock, t));
    let manifest = Manifest::parse(&file).unwrap();
    let lock = lock_file.as_ref().map(|f| Lock::parse(f).unwrap());
    manifest_findings(&manifest, lock.as_ref())
        .into_iter()
        .map(|f| {
            assert_eq!(f.code, Code::GitUnpinned);
            let fix = f.fix.unwrap();
            (f.location.line, f.location.column, f.id.unwrap(), fix)
        })
        .collect()
}

#[test]
fn branches_tags_and_default_branches_are_unpinned() {
    let text = format!(
        r#"[package]
name = "app"

[dependencies]
a = {{ git = "https://github.com/o/a", branch = "main" }}
b = {{ git = "https://github.com/o/b", tag = "v1.0" }}
c = {{ git = "https://github.com/o/c" }}
d = {{ git = "https://github.com/o/d", rev = "{SHA}" }}
e = {{ git = "https://github.com/o/e", rev = "3c40d56" }}
f = {{ git = "https://github.com/o/f", rev = "release" }}
g = "1"

[patch.crates-io]
onig = {{ git = "https://github.com/kornelski/rust-onig", branch = "bindgen" }}
"#
    );
    let hits = manifest_hits(&text, None);
    let at: Vec<_> = hits
        .iter()
        .map(|(l, c, id, _)| (*l, *c, id.as_str()))
        .collect();
    // Each at the branch / tag / rev value, or at the URL when nothing is named.
    assert_eq!(
        at,
        [
            (5, 49, "a"),
            (6, 46, "b"),
            (7, 14, "c"),
            (10, 46, "f"),
            (14, 68, "onig")
        ]
    );
    assert!(hits[0].3.contains("<full commit sha>"));
}

#[test]
fn the_fix_names_the_locked_commit_and_workspace_entries_are_checked_once() {
    let text = r#"[workspace]
[workspace.dependencies]
onig = { git = "https://GitHub.com/kornelski/rust-onig.git", branch = "bindgen" }

[package]
name = "app"

[dependencies]
onig.workspace = true
"#;
    let lock = format!(
        "[[package]]\nname = \"onig\"\nversion = \"5.0.0\"\nsource = \"git+https://github.com/kornelski/rust-onig?branch=bindgen#{SHA}\"\n"
    );
    let hits = manifest_hits(text, Some(&lock));
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].0, hits[0].2.as_str()), (3, "onig"));
    assert!(hits[0].3.contains(SHA), "{}", hits[0].3);
}

#[test]
fn lock_sources_without_a_commit() {
    let text = format!(
        r#"[[package]]
name = "a"
version = "1.0.0"
source = "git+https://github.com/o/a?branch=main"

[[package]]
name = "b"
version = "1.0.0"
source = "git+https://github.com/o/b?branch=main#{SHA}"

[[package]]
name = "c"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "d"
version = "0.1.0"
source = "git+https://github.com/o/d#"
"#
    );
    let file = SourceFile::new("Cargo.lock", FileKind::CargoLock, text);
    let lock = Lock::parse(&file).unwrap();
    let hits: Vec<_> = lock_findings(&lock)
        .into_iter()
        .map(|f| {
            (
                f.location.line,
                f.location.column,
                f.id.unwrap(),
                f.package.unwrap().purl,
            )
        })
        .collect();
    assert_eq!(
        hits,
        [
            (4, 11, "a@1.0.0".to_owned(), "pkg:cargo/a@1.0.0".to_owned()),
            (19, 11, "d@0.1.0".to_owned(), "pkg:cargo/d@0.1.0".to_owned()),
        ]
    );
}

#[test]
fn repository_urls_compare_canonically() {
    assert!(same_repo(
        "https://github.com/O/Repo.git",
        "https://github.com/o/repo?rev=1#abc"
    ));
    assert!(same_repo(
        "https://example.com/x/",
        "HTTPS://EXAMPLE.com/x.git"
    ));
    assert!(!same_repo("https://example.com/X", "https://example.com/x"));
    assert!(!same_repo(
        "https://github.com/o/a",
        "https://github.com/o/b"
    ));
    assert!(same_repo("ssh://git@host/x", "ssh://git@host/x.git"));
}
