//! `version-wildcard`: a dependency of a published package whose requirement accepts any version
//! in some component (`*`, `1.*`). crates.io refuses such manifests, and every user of the crate
//! resolves it afresh.
//!
//! A package is published unless `publish = false` or `publish = []` (also inherited from
//! `[workspace.package]`). Path and git dependencies without a `version` have no requirement
//! and are not flagged. An inherited dependency is reported once, at its
//! `[workspace.dependencies]` entry, when some published member present in the tree inherits it.

use super::dep::Dep;
use super::lock::Lock;
use super::manifest::{Field, Manifest};
use super::requirement::{best_locked, is_wildcard};
use super::workspace::Project;
use crate::SourceFile;
use secgate_core::{Code, Finding};
use std::collections::BTreeSet;

/// `version-wildcard` findings for the published members of `project`.
pub(super) fn check(
    manifests: &[Manifest<'_>],
    project: &Project,
    lock: Option<&Lock<'_>>,
) -> Vec<Finding> {
    let root = &manifests[project.root];
    let ws = root.workspace.as_ref();
    let ws_deps: &[Dep] = ws.map_or(&[], |w| &w.deps);
    let mut findings = Vec::new();
    let mut inherited: BTreeSet<usize> = BTreeSet::new();
    for &m in &project.members {
        let member = &manifests[m];
        let Some(package) = &member.package else {
            continue;
        };
        let published = match package.publish {
            Field::Absent => true,
            Field::Value(publish, _) => publish,
            Field::Inherited(_) => ws.and_then(|w| w.publish).unwrap_or(true),
        };
        if !published {
            continue;
        }
        for dep in &member.deps {
            if dep.inherits {
                inherited.extend(ws_deps.iter().position(|w| w.key.value == dep.key.value));
            } else {
                findings.extend(wildcard(member.file, dep, lock));
            }
        }
    }
    for i in inherited {
        findings.extend(
            ws_deps
                .get(i)
                .and_then(|dep| wildcard(root.file, dep, lock)),
        );
    }
    findings
}

fn wildcard(file: &SourceFile, dep: &Dep, lock: Option<&Lock<'_>>) -> Option<Finding> {
    let version = dep.version.as_ref().filter(|v| is_wildcard(&v.value))?;
    let message = format!(
        "dependency `{}` in `[{}]` of a published package accepts any version (`{}`)",
        dep.key.value, dep.section, version.value
    );
    let locked = lock.and_then(|lock| best_locked(&version.value, lock.named(&dep.name)));
    let fix = match locked {
        Some(locked) => format!(
            "require the lowest version you support, e.g. `\"{locked}\"` (the version Cargo.lock has)"
        ),
        None => {
            "require the lowest version you support, e.g. `\"1.2.3\"` instead of `*`".to_owned()
        }
    };
    let mut finding = file.finding(
        Code::VersionWildcard,
        version.span.clone(),
        message,
        Some(fix),
    );
    finding.id = Some(dep.name.clone());
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileKind;
    use crate::rust::workspace::projects;

    fn hits(specs: &[(&str, &str)], lock: Option<&str>) -> Vec<(String, u32, String, String)> {
        let files: Vec<SourceFile> = specs
            .iter()
            .map(|(p, t)| SourceFile::new(*p, FileKind::CargoManifest, *t))
            .collect();
        let manifests: Vec<Manifest<'_>> =
            files.iter().map(|f| Manifest::parse(f).unwrap()).collect();
        let lock_file = lock.map(|t| SourceFile::new("Cargo.lock", FileKind::CargoLock, t));
        let lock = lock_file.as_ref().map(|f| Lock::parse(f).unwrap());
        projects(&manifests)
            .iter()
            .flat_map(|p| check(&manifests, p, lock.as_ref()))
            .map(|f| {
                (
                    f.location.path,
                    f.location.line,
                    f.id.unwrap(),
                    f.fix.unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn published_packages_are_checked() {
        let text = "[package]\nname = \"a\"\n[dependencies]\nx = \"*\"\ny = \"1.*\"\nz = \"1\"\np = { path = \"p\" }\nq = { path = \"q\", version = \"*\" }\n";
        let lock = "[[package]]\nname = \"x\"\nversion = \"0.3.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let got = hits(&[("Cargo.toml", text)], Some(lock));
        let at: Vec<_> = got.iter().map(|(_, l, id, _)| (*l, id.as_str())).collect();
        assert_eq!(at, [(8, "q"), (4, "x"), (5, "y")]);
        assert!(got[1].3.contains("\"0.3.1\""), "{}", got[1].3);
    }

    #[test]
    fn unpublished_packages_are_not() {
        for publish in [
            "publish = false",
            "publish = []",
            "publish.workspace = true",
        ] {
            let text = format!(
                "[package]\nname = \"a\"\n{publish}\n[workspace.package]\npublish = false\n[workspace]\n[dependencies]\nx = \"*\"\n"
            );
            assert!(hits(&[("Cargo.toml", &text)], None).is_empty(), "{publish}");
        }
        let text = "[package]\nname = \"a\"\npublish = [\"corp\"]\n[dependencies]\nx = \"*\"\n";
        assert_eq!(hits(&[("Cargo.toml", text)], None).len(), 1);
    }

    #[test]
    fn inherited_wildcards_are_reported_once_at_the_workspace_entry() {
        let root = "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n[workspace.dependencies]\nx = \"*\"\ny = \"*\"\n";
        let a = "[package]\nname = \"a\"\n[dependencies]\nx.workspace = true\n";
        let b = "[package]\nname = \"b\"\n[dev-dependencies]\nx = { workspace = true }\n";
        let c = "[package]\nname = \"c\"\npublish = false\n[dependencies]\ny.workspace = true\n";
        let got = hits(
            &[
                ("Cargo.toml", root),
                ("a/Cargo.toml", a),
                ("b/Cargo.toml", b),
                ("c/Cargo.toml", c),
            ],
            None,
        );
        let at: Vec<_> = got
            .iter()
            .map(|(p, l, id, _)| (p.as_str(), *l, id.as_str()))
            .collect();
        assert_eq!(at, [("Cargo.toml", 4, "x")]);
    }
}
