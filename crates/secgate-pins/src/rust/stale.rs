//! `lockfile-stale` without running Cargo: does the project's `Cargo.lock` still satisfy the
//! manifests in the tree?
//!
//! 1. Every member present in the tree must be locked as a path package (no `source`) with its
//!    name and version (`version.workspace = true` read from `[workspace.package]`, no version
//!    meaning `0.0.0`).
//! 2. Every dependency of every member (all kinds and targets) must be satisfied
//!    ([`evaluate`]). A dependency missing from the lock is reported at the member's key; an
//!    inherited one (`workspace = true`) whose workspace entry is not satisfied is reported once,
//!    at the `[workspace.dependencies]` entry, however many members inherit it.
//! 3. A `[workspace.dependencies]` entry no present member inherits is judged only when members
//!    are missing from the tree (they may use it) and the lock shows a member depending on that
//!    name; then its registry requirement must match a locked registry version. Cargo does not
//!    lock unused workspace dependencies, and the name may well be locked at another version for
//!    some third-party package (omicron's `p256 = "0.13"` is unused while `p256` 0.14 is
//!    locked for `russh`), so neither an absent name nor a mismatch without a member using it is
//!    a finding.

use super::dep::Dep;
use super::lock::{Lock, Locked};
use super::manifest::{Field, Manifest};
use super::requirement::{Problem, evaluate, satisfied};
use super::workspace::Project;
use crate::SourceFile;
use secgate_core::{Code, Finding};
use std::collections::{BTreeMap, BTreeSet};

/// `lockfile-stale` findings for `project`, whose lockfile is `lock`.
pub(super) fn check(
    manifests: &[Manifest<'_>],
    project: &Project,
    lock: &Lock<'_>,
) -> Vec<Finding> {
    let root = &manifests[project.root];
    let ws_deps: &[Dep] = root.workspace.as_ref().map_or(&[], |w| &w.deps);
    let patched: BTreeSet<String> = root
        .patches
        .iter()
        .flat_map(|p| [p.name.clone(), p.key.value.clone()])
        .collect();
    let mut findings = Vec::new();
    let mut ws_failed: BTreeMap<usize, Problem> = BTreeMap::new();
    let mut ws_used: BTreeSet<usize> = BTreeSet::new();

    for &m in &project.members {
        let member = &manifests[m];
        findings.extend(member_version(member, root, lock));
        for dep in &member.deps {
            let ws_index = if dep.inherits {
                match ws_deps.iter().position(|w| w.key.value == dep.key.value) {
                    Some(i) => Some(i),
                    // Cargo refuses the manifest; nothing to compare.
                    None => continue,
                }
            } else {
                None
            };
            let effective = ws_index.and_then(|i| ws_deps.get(i)).unwrap_or(dep);
            ws_used.extend(ws_index);
            match (evaluate(effective, lock, &patched), ws_index) {
                (Ok(()), _) => {}
                (Err(Problem::Absent), _) => {
                    findings.push(absent(member.file, dep, &effective.name, lock));
                }
                (Err(problem), Some(i)) => {
                    ws_failed.entry(i).or_insert(problem);
                }
                (Err(problem), None) => {
                    findings.push(unsatisfied(member.file, dep, &problem, lock));
                }
            }
        }
    }

    for (i, dep) in ws_deps.iter().enumerate() {
        if let Some(problem) = ws_failed.get(&i) {
            findings.push(unsatisfied(root.file, dep, problem, lock));
        } else if !ws_used.contains(&i)
            && project.incomplete
            && lock.member_depends_on(&dep.name)
            && dep.is_registry()
            && !patched.contains(&dep.name)
            && let Some(version) = &dep.version
        {
            let registry: Vec<&Locked> =
                lock.named(&dep.name).filter(|p| p.is_registry()).collect();
            if !registry.is_empty() && !satisfied(&version.value, registry) {
                findings.push(unsatisfied(root.file, dep, &Problem::Unsatisfied, lock));
            }
        }
    }
    findings
}

/// The member's own name and version must be locked as a path package.
fn member_version(member: &Manifest<'_>, root: &Manifest<'_>, lock: &Lock<'_>) -> Option<Finding> {
    let package = member.package.as_ref()?;
    let (version, span) = match &package.version {
        Field::Value(version, span) => (version.clone(), span.clone()),
        Field::Inherited(span) => (root.workspace.as_ref()?.version.clone()?, span.clone()),
        Field::Absent => ("0.0.0".to_owned(), package.header.clone()),
    };
    let locked = lock
        .named(&package.name)
        .any(|p| p.source.is_none() && p.version == version);
    if locked {
        return None;
    }
    let message = format!(
        "member `{}` {version} is not in Cargo.lock (it has {})",
        package.name,
        lock.describe(&package.name)
    );
    let mut finding = member
        .file
        .finding(Code::LockfileStale, span, message, Some(fix_all(lock)));
    finding.id = Some(package.name.clone());
    Some(finding)
}

fn absent(file: &SourceFile, dep: &Dep, name: &str, lock: &Lock<'_>) -> Finding {
    let renamed = if name == dep.key.value {
        String::new()
    } else {
        format!(" (package `{name}`)")
    };
    let inherited = if dep.inherits {
        ", inherited from `[workspace.dependencies]`,"
    } else {
        ""
    };
    let message = format!(
        "dependency `{}`{renamed} in `[{}]`{inherited} is not in Cargo.lock",
        dep.key.value, dep.section
    );
    // `cargo update -p NAME` refuses a name the lock does not have yet; `-w` adds it.
    let fix = fix_all(lock);
    let mut finding = file.finding(
        Code::LockfileStale,
        dep.key.span.clone(),
        message,
        Some(fix),
    );
    finding.id = Some(name.to_owned());
    finding
}

fn unsatisfied(file: &SourceFile, dep: &Dep, problem: &Problem, lock: &Lock<'_>) -> Finding {
    let (what, span) = match (problem, &dep.git, &dep.version) {
        (Problem::OtherSource, Some(git), _) => (
            format!("comes from git repository {}", git.url.value),
            git.url.span.clone(),
        ),
        (_, _, Some(version)) => (
            format!("requires `{}`", version.value),
            version.span.clone(),
        ),
        _ => ("is not satisfied".to_owned(), dep.key.span.clone()),
    };
    let message = format!(
        "dependency `{}` in `[{}]` {what}, but Cargo.lock has {}",
        dep.key.value,
        dep.section,
        lock.describe(&dep.name)
    );
    let fix = format!(
        "run `cargo update -p {}`, review and commit Cargo.lock",
        dep.name
    );
    let mut finding = file.finding(Code::LockfileStale, span, message, Some(fix));
    finding.id = Some(dep.name.clone());
    finding
}

fn fix_all(lock: &Lock<'_>) -> String {
    format!(
        "run `cargo update -w` in `{}`, review and commit Cargo.lock",
        if lock.dir.is_empty() { "." } else { &lock.dir }
    )
}

#[cfg(test)]
mod tests;
