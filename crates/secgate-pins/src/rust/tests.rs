//! The whole Cargo check on small in-memory trees: `lockfile-missing`, errors, and how the
//! rules combine.

use super::*;
use crate::classify;

fn run(specs: &[(&str, &str)]) -> Result<Vec<Finding>, PinsError> {
    let files: Vec<SourceFile> = specs
        .iter()
        .map(|(path, text)| SourceFile::new(*path, classify(path).unwrap(), *text))
        .collect();
    check(&files.iter().collect::<Vec<_>>())
}

fn at(findings: &[Finding]) -> Vec<(Code, &str, u32, u32, &str)> {
    findings
        .iter()
        .map(|f| {
            let l = &f.location;
            (
                f.code,
                l.path.as_str(),
                l.line,
                l.column,
                f.id.as_deref().unwrap_or(""),
            )
        })
        .collect()
}

const LIB: &str = "[package]\nname = \"lib\"\nversion = \"0.1.0\"\n";

#[test]
fn lockfile_missing_at_the_workspace_or_package_header() {
    let root = "# a workspace\n[workspace]\nmembers = [\"lib\"]\n";
    let found = run(&[("ws/Cargo.toml", root), ("ws/lib/Cargo.toml", LIB)]).unwrap();
    assert_eq!(
        at(&found),
        [(Code::LockfileMissing, "ws/Cargo.toml", 2, 1, "ws")]
    );
    assert_eq!(
        found[0].fix.as_deref(),
        Some("run `cargo generate-lockfile` in `ws` and commit Cargo.lock")
    );

    let found = run(&[("Cargo.toml", LIB)]).unwrap();
    assert_eq!(
        at(&found),
        [(Code::LockfileMissing, "Cargo.toml", 1, 1, "lib")]
    );

    let lock = "[[package]]\nname = \"lib\"\nversion = \"0.1.0\"\n";
    assert!(
        run(&[("Cargo.toml", LIB), ("Cargo.lock", lock)])
            .unwrap()
            .is_empty()
    );
    // A lock elsewhere does not count.
    let found = run(&[("Cargo.toml", LIB), ("other/Cargo.lock", lock)]).unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn path_dependencies_need_no_lockfile_of_their_own() {
    let app = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n[dependencies]\nlib = { path = \"../lib\" }\n";
    let lock = "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"lib\"\nversion = \"0.1.0\"\n";
    let found = run(&[
        ("app/Cargo.toml", app),
        ("app/Cargo.lock", lock),
        ("lib/Cargo.toml", LIB),
    ])
    .unwrap();
    assert!(found.is_empty(), "{:?}", at(&found));
}

#[test]
fn invalid_toml_fails_the_scan() {
    let err = run(&[("Cargo.toml", LIB), ("Cargo.lock", "[[package]\n")]).unwrap_err();
    let PinsError::Parse { path, line, .. } = err else {
        panic!("expected a parse error");
    };
    assert_eq!((path.as_str(), line), ("Cargo.lock", 1));
    let err = run(&[("a/Cargo.toml", "[package]\nname = \n")]).unwrap_err();
    assert!(matches!(err, PinsError::Parse { line: 2, .. }), "{err}");
}

#[test]
fn rules_combine_sorted_by_location() {
    let app = r#"[package]
name = "app"
version = "0.2.0"

[dependencies]
any = "*"
fork = { git = "https://github.com/o/fork", branch = "dev" }
"#;
    let lock = r#"[[package]]
name = "app"
version = "0.1.0"

[[package]]
name = "fork"
version = "1.0.0"
source = "git+https://github.com/o/fork?branch=dev"
"#;
    let found = run(&[("Cargo.toml", app), ("Cargo.lock", lock)]).unwrap();
    assert_eq!(
        at(&found),
        [
            (Code::GitUnpinned, "Cargo.lock", 8, 11, "fork@1.0.0"),
            (Code::LockfileStale, "Cargo.toml", 3, 12, "app"),
            (Code::LockfileStale, "Cargo.toml", 6, 1, "any"),
            (Code::VersionWildcard, "Cargo.toml", 6, 8, "any"),
            (Code::GitUnpinned, "Cargo.toml", 7, 55, "fork"),
        ]
    );
}

#[test]
fn other_kinds_are_ignored_and_nothing_is_nothing() {
    let files = [SourceFile::new(
        "Dockerfile",
        FileKind::Dockerfile,
        "FROM x\n",
    )];
    assert!(check(&files.iter().collect::<Vec<_>>()).unwrap().is_empty());
    assert!(check(&[]).unwrap().is_empty());
}

#[test]
fn odd_shapes_are_skipped_without_errors() {
    let manifest = r#"
package = { name = 1 }
dependencies = { a = { version = 1, git = 2, path = [] }, b = 3 }
workspace = { members = "x", dependencies = 3, package = 4 }
patch = { x = 1, y = { z = 2 } }
replace = 5
target = { a = 1, b = { dependencies = 5 } }
"#;
    let lock = "version = 4\npackage = [1, \"x\", { name = 1 }, { name = \"a\", version = 2 }]\nroot = 3\n";
    let found = run(&[("Cargo.toml", manifest), ("Cargo.lock", lock)]).unwrap();
    // A virtual workspace with a lockfile, nothing judgeable: no findings.
    assert!(found.is_empty(), "{:?}", at(&found));
}

#[test]
fn format_1_lockfiles_lock_the_root_package_in_root() {
    let app = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n[dependencies]\nlog = \"0.4\"\n";
    let lock = r#"[root]
name = "app"
version = "0.1.0"
dependencies = [
 "log 0.4.8 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "log"
version = "0.4.8"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
    assert!(
        run(&[("Cargo.toml", app), ("Cargo.lock", lock)])
            .unwrap()
            .is_empty()
    );
    let bumped = app.replace("0.1.0", "0.2.0");
    let found = run(&[("Cargo.toml", &bumped), ("Cargo.lock", lock)]).unwrap();
    assert_eq!(
        at(&found),
        [(Code::LockfileStale, "Cargo.toml", 3, 12, "app")]
    );
}
