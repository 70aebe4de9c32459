//! Which packages share which `Cargo.lock`: workspaces and standalone packages, found from the
//! manifests in the scanned tree the way Cargo finds them.
//!
//! - A manifest with `[workspace]` is a workspace root. Its members are the root package (if it
//!   has `[package]`), every package matched by a `members` entry (globs allowed) and not under
//!   an `exclude` path, and, transitively, the path dependencies of members that live inside the
//!   root's directory (Cargo makes those members too).
//! - A package belongs to the workspace its `package.workspace` names, else to the nearest
//!   enclosing workspace root that lists it; a package no workspace claims is standalone.
//! - Members the root names but whose `Cargo.toml` is not in the scanned tree (a partial copy, a
//!   glob that matches nothing here) cannot be judged: the project is marked incomplete.

use super::manifest::Manifest;
use super::paths::{ancestors, glob_match, is_glob, is_within, join};
use std::collections::{BTreeSet, HashMap};

/// The packages one `Cargo.lock` locks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Project {
    /// The workspace root, or the standalone package (index into the manifests).
    pub root: usize,
    /// The members present in the scanned tree, the root first when it is a package.
    pub members: Vec<usize>,
    /// Whether the root names members whose manifests are not in the scanned tree.
    pub incomplete: bool,
    /// Whether this standalone package is a path dependency of another manifest in the tree:
    /// it is built with that manifest's lockfile, so it needs none of its own.
    pub path_dependency: bool,
}

/// Every workspace and standalone package among `manifests`, in manifest order.
pub(super) fn projects(manifests: &[Manifest<'_>]) -> Vec<Project> {
    let by_dir: HashMap<&str, usize> = manifests
        .iter()
        .enumerate()
        .map(|(i, m)| (m.dir.as_str(), i))
        .collect();
    // A plain package (not itself a workspace root) in directory `dir`.
    let package_at = |dir: &str| {
        by_dir
            .get(dir)
            .copied()
            .filter(|&i| manifests[i].package.is_some() && manifests[i].workspace.is_none())
    };

    let mut listed: HashMap<usize, (BTreeSet<usize>, bool)> = HashMap::new();
    for (r, root) in manifests.iter().enumerate() {
        if root.workspace.is_some() {
            listed.insert(r, candidates(manifests, r, &package_at));
        }
    }

    let mut claimed: HashMap<usize, usize> = HashMap::new();
    for (p, manifest) in manifests.iter().enumerate() {
        let Some(package) = manifest
            .package
            .as_ref()
            .filter(|_| manifest.workspace.is_none())
        else {
            continue;
        };
        let explicit = package
            .workspace
            .as_deref()
            .and_then(|ws| join(&manifest.dir, ws))
            .and_then(|dir| by_dir.get(dir.as_str()).copied())
            .filter(|r| listed.contains_key(r));
        let nearest = || {
            ancestors(&manifest.dir)
                .filter_map(|dir| by_dir.get(dir).copied())
                .find(|r| {
                    listed
                        .get(r)
                        .is_some_and(|(members, _)| members.contains(&p))
                })
        };
        if let Some(r) = explicit.or_else(nearest) {
            claimed.insert(p, r);
        }
    }

    let path_targets: BTreeSet<String> = manifests.iter().flat_map(path_targets).collect();
    let mut projects = Vec::new();
    for (i, manifest) in manifests.iter().enumerate() {
        if let Some((_, incomplete)) = listed.get(&i) {
            let mut members: Vec<usize> =
                manifest.package.as_ref().map(|_| i).into_iter().collect();
            let mut claimed_here: Vec<usize> = claimed
                .iter()
                .filter(|&(_, &r)| r == i)
                .map(|(&p, _)| p)
                .collect();
            claimed_here.sort_unstable();
            members.extend(claimed_here);
            projects.push(Project {
                root: i,
                members,
                incomplete: *incomplete,
                path_dependency: false,
            });
        } else if manifest.package.is_some() && !claimed.contains_key(&i) {
            projects.push(Project {
                root: i,
                members: vec![i],
                incomplete: false,
                path_dependency: path_targets.contains(&manifest.dir),
            });
        }
    }
    projects
}

/// The packages root `r` lists (with their in-root path dependencies), and whether some listed
/// member is missing from the tree.
fn candidates(
    manifests: &[Manifest<'_>],
    r: usize,
    package_at: &dyn Fn(&str) -> Option<usize>,
) -> (BTreeSet<usize>, bool) {
    let root = &manifests[r];
    let Some(ws) = root.workspace.as_ref() else {
        return (BTreeSet::new(), false);
    };
    let excluded: Vec<String> = ws
        .exclude
        .iter()
        .filter_map(|e| join(&root.dir, e))
        .collect();
    let is_excluded = |dir: &str| {
        excluded
            .iter()
            .any(|ex| is_within(dir, ex) || (is_glob(ex) && glob_match(ex, dir)))
    };
    let mut members = BTreeSet::new();
    let mut incomplete = false;
    for pattern in &ws.members {
        let Some(pattern) = join(&root.dir, pattern) else {
            incomplete = true;
            continue;
        };
        if is_glob(&pattern) {
            let before = members.len();
            members.extend(manifests.iter().enumerate().filter_map(|(i, m)| {
                let matched = glob_match(&pattern, &m.dir) && !is_excluded(&m.dir);
                package_at(&m.dir).filter(|_| matched).map(|_| i)
            }));
            incomplete |= members.len() == before;
        } else {
            match package_at(&pattern) {
                Some(i) => {
                    members.insert(i);
                }
                None => incomplete = true,
            }
        }
    }
    if root.package.is_some() {
        members.insert(r);
    }
    // Path dependencies inside the root's directory become members; follow them to a fixpoint.
    let mut queue: Vec<usize> = members.iter().copied().collect();
    while let Some(m) = queue.pop() {
        let member = &manifests[m];
        for dep in &member.deps {
            let target = if dep.inherits {
                ws.deps
                    .iter()
                    .find(|w| w.key.value == dep.key.value)
                    .and_then(|w| join(&root.dir, w.path.as_deref()?))
            } else {
                dep.path.as_deref().and_then(|p| join(&member.dir, p))
            };
            let Some(target) = target.filter(|t| is_within(t, &root.dir) && !is_excluded(t)) else {
                continue;
            };
            match package_at(&target) {
                Some(i) if members.insert(i) => queue.push(i),
                Some(_) => {}
                None => incomplete |= !manifests.iter().any(|m| m.dir == target),
            }
        }
    }
    (members, incomplete)
}

/// Every directory `manifest` names as a path: dependencies, workspace dependencies, patches.
fn path_targets(manifest: &Manifest<'_>) -> Vec<String> {
    let ws_deps = manifest.workspace.iter().flat_map(|w| &w.deps);
    manifest
        .deps
        .iter()
        .chain(ws_deps)
        .chain(&manifest.patches)
        .filter_map(|dep| join(&manifest.dir, dep.path.as_deref()?))
        .collect()
}

#[cfg(test)]
mod tests;
