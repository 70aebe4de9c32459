//! The npm checks on the real projects of `../shared/corpus`: every npm, pnpm and yarn project
//! there has its lockfile and every package-lock entry its `integrity`, so the corpus as
//! committed is clean; in-memory edits (lockfiles left out, an `integrity` removed from a v1,
//! v2 and v3 lockfile, a git source on a tag, a syntax error) must then be found at their exact
//! line and column, so a rule that silently stopped working fails here.
//!
//! The corpus is found through `SECGATE_SHARED`, else `../shared` next to the repository; a
//! missing corpus fails the tests.

mod common;

use common::corpus;
use secgate_core::Code;
use secgate_pins::{FileKind, PinsError, SourceFile, classify, npm};

const PROJECTS: &[&str] = &[
    "npm-axios",
    "npm-lock-v1-warehouse",
    "npm-lock-v3-marked",
    "pnpm-vite",
    "pnpm-vue-core",
    "yarn-v1-drawio-desktop",
    "yarn-webpack",
];

/// The npm files of a corpus project, at `project/name` as a walk of the corpus would see them.
fn project(name: &str) -> Vec<SourceFile> {
    let dir = corpus().join(name);
    let mut files: Vec<SourceFile> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let file_name = entry.unwrap().file_name().into_string().unwrap();
            let kind = classify(&file_name)?;
            let bytes = std::fs::read(dir.join(&file_name)).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Some(SourceFile::new(format!("{name}/{file_name}"), kind, text))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(
        files.iter().any(|f| f.kind == FileKind::PackageJson),
        "{name}"
    );
    files
}

fn findings(files: &[SourceFile]) -> Vec<(Code, String, u32, u32, String)> {
    npm::check(files)
        .unwrap()
        .into_iter()
        .map(|f| {
            assert!(f.fix.is_some(), "{f:?}");
            let id = f.id.unwrap();
            (
                f.code,
                f.location.path,
                f.location.line,
                f.location.column,
                id,
            )
        })
        .collect()
}

/// The project's files with the text of `file_name` edited by `edit`.
fn edited(name: &str, file_name: &str, edit: impl Fn(&str) -> String) -> Vec<SourceFile> {
    project(name)
        .into_iter()
        .map(|f| {
            if f.path.ends_with(&format!("/{file_name}")) {
                let text = edit(&f.text);
                assert_ne!(text, f.text, "the edit of {} changed nothing", f.path);
                SourceFile::new(f.path, f.kind, text)
            } else {
                f
            }
        })
        .collect()
}

/// `text` with `from` replaced by `to` on 1-based `line`, which must contain it.
fn edit_line(text: &str, line: usize, from: &str, to: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let target = &mut lines[line - 1];
    assert!(target.contains(from), "line {line} is {target:?}");
    *target = target.replacen(from, to, 1);
    lines.join("\n")
}

#[test]
fn every_project_has_its_lockfile_and_every_entry_its_hash() {
    let all: Vec<SourceFile> = PROJECTS.iter().flat_map(|p| project(p)).collect();
    assert_eq!(
        all.iter().filter(|f| f.kind == FileKind::NpmLock).count(),
        3
    );
    assert_eq!(findings(&all), []);
}

#[test]
fn without_their_lockfiles_every_manifest_is_lockfile_missing() {
    let manifests: Vec<SourceFile> = PROJECTS
        .iter()
        .flat_map(|p| project(p))
        .filter(|f| f.kind == FileKind::PackageJson)
        .collect();
    let missing = |project: &str, line, id: &str| {
        (
            Code::LockfileMissing,
            format!("{project}/package.json"),
            line,
            3,
            id.to_owned(),
        )
    };
    // At the first non-empty dependency key: axios lists `devDependencies` before
    // `dependencies`; packages without a `name` are identified by their path.
    assert_eq!(
        findings(&manifests),
        [
            missing("npm-axios", 82, "axios"),
            missing(
                "npm-lock-v1-warehouse",
                13,
                "npm-lock-v1-warehouse/package.json"
            ),
            missing("npm-lock-v3-marked", 50, "marked"),
            missing("pnpm-vite", 43, "@vitejs/vite-monorepo"),
            missing("pnpm-vue-core", 64, "pnpm-vue-core/package.json"),
            missing("yarn-v1-drawio-desktop", 37, "draw.io"),
            missing("yarn-webpack", 104, "webpack"),
        ]
    );
    // A workspace member below a root lockfile is covered by it.
    let mut member = project("pnpm-vite");
    let root = member
        .iter()
        .find(|f| f.kind == FileKind::PackageJson)
        .unwrap();
    member.push(SourceFile::new(
        "pnpm-vite/packages/vite/package.json",
        FileKind::PackageJson,
        root.text.clone(),
    ));
    assert_eq!(findings(&member), []);
}

#[test]
fn a_v2_entry_without_integrity_is_reported_once_from_packages() {
    // The entry appears in `packages` (line 76) and in the legacy `dependencies` (line 24846).
    let files = edited("npm-axios", "package-lock.json", |text| {
        let text = edit_line(text, 79, "\"integrity\"", "\"no-integrity\"");
        edit_line(&text, 24849, "\"integrity\"", "\"no-integrity\"")
    });
    assert_eq!(
        findings(&files),
        [(
            Code::HashMissing,
            "npm-axios/package-lock.json".into(),
            76,
            5,
            "@aashutoshrathi/word-wrap@1.2.6".into()
        )]
    );
}

#[test]
fn a_nested_v1_entry_without_integrity_is_found() {
    let files = edited("npm-lock-v1-warehouse", "package-lock.json", |text| {
        edit_line(text, 37, "\"integrity\"", "\"no-integrity\"")
    });
    assert_eq!(
        findings(&files),
        [(
            Code::HashMissing,
            "npm-lock-v1-warehouse/package-lock.json".into(),
            34,
            9,
            "@babel/code-frame@7.5.5".into()
        )]
    );
}

#[test]
fn a_v3_git_source_on_a_tag_is_git_unpinned() {
    let files = edited("npm-lock-v3-marked", "package-lock.json", |text| {
        edit_line(
            text,
            4555,
            "https://github.com/markedjs/marked/tarball/v18.0.0",
            "git+ssh://git@github.com/markedjs/marked.git#v18.0.0",
        )
    });
    assert_eq!(
        findings(&files),
        [(
            Code::GitUnpinned,
            "npm-lock-v3-marked/package-lock.json".into(),
            4555,
            19,
            "marked-repo".into()
        )]
    );
}

#[test]
fn a_syntax_error_fails_with_its_line_and_column() {
    let files = edited("npm-lock-v3-marked", "package-lock.json", |text| {
        edit_line(text, 5, "\"requires\": true,", "\"requires\": true,,")
    });
    match npm::check(&files) {
        Err(PinsError::Parse {
            path,
            line,
            column,
            message,
        }) => {
            assert_eq!(path, "npm-lock-v3-marked/package-lock.json");
            assert_eq!((line, column), (5, 20));
            assert!(message.starts_with("invalid JSON"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
