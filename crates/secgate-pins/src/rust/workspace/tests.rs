//! Workspace discovery on small in-memory trees.

use super::*;
use crate::{FileKind, SourceFile};

fn files(specs: &[(&str, &str)]) -> Vec<SourceFile> {
    specs
        .iter()
        .map(|(path, text)| SourceFile::new(*path, FileKind::CargoManifest, *text))
        .collect()
}

/// (root label, member labels, incomplete, path dependency) per project.
fn run(files: &[SourceFile]) -> Vec<(String, Vec<String>, bool, bool)> {
    let manifests: Vec<Manifest<'_>> = files.iter().map(|f| Manifest::parse(f).unwrap()).collect();
    projects(&manifests)
        .into_iter()
        .map(|p| {
            let members = p.members.iter().map(|&m| manifests[m].label()).collect();
            (
                manifests[p.root].label(),
                members,
                p.incomplete,
                p.path_dependency,
            )
        })
        .collect()
}

fn pkg(name: &str) -> String {
    format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n")
}

#[test]
fn globs_exclude_and_root_package() {
    let root = format!(
        "{}[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/old\"]\n",
        pkg("app")
    );
    let tree = files(&[
        ("Cargo.toml", &root),
        ("crates/a/Cargo.toml", &pkg("a")),
        ("crates/b/Cargo.toml", &pkg("b")),
        ("crates/old/Cargo.toml", &pkg("old")),
        ("crates/a/deep/Cargo.toml", &pkg("deep")),
    ]);
    let got = run(&tree);
    assert_eq!(
        got,
        [
            (
                "app".into(),
                vec!["app".into(), "a".into(), "b".into()],
                false,
                false
            ),
            ("old".into(), vec!["old".into()], false, false),
            ("deep".into(), vec!["deep".into()], false, false),
        ]
    );
}

#[test]
fn missing_members_make_the_project_incomplete() {
    let root = "[workspace]\nmembers = [\"present\", \"absent\", \"tools/*\"]\n";
    let tree = files(&[
        ("Cargo.toml", root),
        ("present/Cargo.toml", &pkg("present")),
    ]);
    assert_eq!(
        run(&tree),
        [(".".into(), vec!["present".into()], true, false)]
    );
    let root = "[workspace]\nmembers = [\"present\"]\n";
    let tree = files(&[
        ("Cargo.toml", root),
        ("present/Cargo.toml", &pkg("present")),
    ]);
    assert_eq!(
        run(&tree),
        [(".".into(), vec!["present".into()], false, false)]
    );
}

#[test]
fn path_dependencies_inside_the_root_become_members() {
    let root = "[workspace]\nmembers = [\"app\"]\n[workspace.dependencies]\nshared = { path = \"shared\" }\n";
    let app = format!(
        "{}[dependencies]\nutil = {{ path = \"../util\" }}\nshared.workspace = true\nouter = {{ path = \"../../outer\" }}\n",
        pkg("app")
    );
    let tree = files(&[
        ("ws/Cargo.toml", root),
        ("ws/app/Cargo.toml", &app),
        ("ws/util/Cargo.toml", &pkg("util")),
        ("ws/shared/Cargo.toml", &pkg("shared")),
        ("outer/Cargo.toml", &pkg("outer")),
    ]);
    assert_eq!(
        run(&tree),
        [
            (
                "ws".into(),
                vec!["app".into(), "util".into(), "shared".into()],
                false,
                false
            ),
            // Outside the root: not a member, and it needs no lockfile of its own.
            ("outer".into(), vec!["outer".into()], false, true),
        ]
    );
}

#[test]
fn nearest_root_wins_and_package_workspace_names_its_root() {
    let outer = "[workspace]\nmembers = [\"**\"]\n";
    let inner = "[workspace]\nmembers = [\"x\"]\n";
    let y = format!("{}workspace = \"..\"\n", pkg("y"));
    let tree = files(&[
        ("Cargo.toml", outer),
        ("inner/Cargo.toml", inner),
        ("inner/x/Cargo.toml", &pkg("x")),
        ("lone/y/Cargo.toml", &y),
        ("lone/Cargo.toml", "[workspace]\n"),
        ("other/Cargo.toml", &pkg("other")),
    ]);
    assert_eq!(
        run(&tree),
        [
            (".".into(), vec!["other".into()], false, false),
            ("inner".into(), vec!["x".into()], false, false),
            ("lone".into(), vec!["y".into()], false, false),
        ]
    );
}
