//! Cargo manifests and lockfiles: `lockfile-missing`, `lockfile-stale`, `git-unpinned`,
//! `version-wildcard`.
//!
//! [`check`] parses every `Cargo.toml` and `Cargo.lock` of the scan (keeping spans), groups the
//! manifests into workspaces and standalone packages the way Cargo does ([`workspace`]), and
//! checks each against the `Cargo.lock` beside its root:
//!
//! - no lockfile: `lockfile-missing` at the `[workspace]` (or `[package]`) header;
//! - a lockfile the manifests no longer match: `lockfile-stale` at the member version or the
//!   dependency ([`stale`]), judged statically; [`confirm`] asks Cargo for a second opinion;
//! - git dependencies without a commit, in manifests and lockfiles: `git-unpinned` ([`git`]);
//! - `*` requirements in published packages: `version-wildcard` ([`wildcard`]).

mod confirm;
mod dep;
mod git;
mod lock;
mod manifest;
mod paths;
mod requirement;
mod spanned;
mod stale;
mod wildcard;
mod workspace;

pub use confirm::{CargoVerdict, confirm, confirm_with_cargo};

use crate::{FileKind, PinsError, SourceFile};
use lock::Lock;
use manifest::Manifest;
use secgate_core::{Code, Finding, sort_findings};

/// `lockfile-missing`, `lockfile-stale`, `git-unpinned` and `version-wildcard` for `files`: every
/// `Cargo.toml` and `Cargo.lock` the walk found, paths relative to the scanned root (other kinds
/// are ignored). Fails only when one of them is not valid TOML.
pub fn check(files: &[&SourceFile]) -> Result<Vec<Finding>, PinsError> {
    let mut manifests = Vec::new();
    let mut locks = Vec::new();
    for file in files {
        match file.kind {
            FileKind::CargoManifest => manifests.push(Manifest::parse(file)?),
            FileKind::CargoLock => locks.push(Lock::parse(file)?),
            _ => {}
        }
    }
    let mut findings = Vec::new();
    for project in workspace::projects(&manifests) {
        let root = &manifests[project.root];
        let lock = locks.iter().find(|l| l.dir == root.dir);
        match lock {
            Some(lock) => findings.extend(stale::check(&manifests, &project, lock)),
            None if project.path_dependency => {}
            None => findings.push(missing(root)),
        }
        findings.extend(wildcard::check(&manifests, &project, lock));
        let members = project.members.iter().filter(|&&m| m != project.root);
        for &m in std::iter::once(&project.root).chain(members) {
            findings.extend(git::manifest_findings(&manifests[m], lock));
        }
    }
    for lock in &locks {
        findings.extend(git::lock_findings(lock));
    }
    sort_findings(&mut findings);
    Ok(findings)
}

/// `lockfile-missing` for a workspace root or standalone package without a `Cargo.lock` beside
/// its manifest.
fn missing(root: &Manifest<'_>) -> Finding {
    let dir = if root.dir.is_empty() { "." } else { &root.dir };
    let (what, span) = match (&root.workspace, &root.package) {
        (Some(ws), _) => (format!("workspace `{dir}`"), ws.header.clone()),
        (None, Some(package)) => (
            format!("package `{}`", package.name),
            package.header.clone(),
        ),
        (None, None) => (format!("manifest `{}`", root.file.path), 0..0),
    };
    let message = format!(
        "{what} has no Cargo.lock beside its Cargo.toml, so every build resolves its dependencies afresh"
    );
    let fix = format!("run `cargo generate-lockfile` in `{dir}` and commit Cargo.lock");
    let mut finding = root
        .file
        .finding(Code::LockfileMissing, span, message, Some(fix));
    finding.id = Some(root.label());
    finding
}

#[cfg(test)]
mod tests;
