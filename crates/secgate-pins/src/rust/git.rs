//! `git-unpinned`: a git dependency that follows a branch, a tag or the default branch instead
//! of naming a commit (`rev = "<sha>"`), in any dependency table, `[workspace.dependencies]`,
//! `[patch.*]` or `[replace]`; and a `Cargo.lock` git source without its `#<commit>` fragment.
//!
//! The lockfile does record the commit a branch resolved to, but `cargo update` (or a missing
//! lockfile) silently moves to whatever the branch points at now, so the manifest is where the
//! pin has to be. A `rev` that is not a commit id (`rev = "main"`, any ref Cargo accepts) follows
//! that ref and is reported too.

use super::dep::Dep;
use super::lock::Lock;
use super::manifest::Manifest;
use crate::SourceFile;
use secgate_core::{Code, Ecosystem, Finding, PackageRef, purl};

/// `git-unpinned` for the git dependencies of `manifest`; `lock` (the project's lockfile, when
/// there is one) supplies the commit to pin in the fix.
pub(super) fn manifest_findings(manifest: &Manifest<'_>, lock: Option<&Lock<'_>>) -> Vec<Finding> {
    let ws_deps = manifest.workspace.iter().flat_map(|w| &w.deps);
    let deps = manifest.deps.iter().chain(ws_deps).chain(&manifest.patches);
    deps.filter(|dep| !dep.inherits)
        .filter_map(|dep| unpinned(manifest.file, dep, lock))
        .collect()
}

fn unpinned(file: &SourceFile, dep: &Dep, lock: Option<&Lock<'_>>) -> Option<Finding> {
    let git = dep.git.as_ref()?;
    let (what, at) = match (&git.rev, &git.branch, &git.tag) {
        (Some(rev), _, _) if is_commit(&rev.value) => return None,
        (Some(rev), _, _) => (
            format!(
                "`rev = \"{}\"`, which is a ref, not a commit id,",
                rev.value
            ),
            rev,
        ),
        (None, Some(branch), _) => (format!("branch `{}`", branch.value), branch),
        (None, None, Some(tag)) => (format!("tag `{}`", tag.value), tag),
        (None, None, None) => ("the default branch".to_owned(), &git.url),
    };
    let locked = lock.and_then(|lock| {
        lock.named(&dep.name)
            .filter_map(|p| p.git_source())
            .filter(|source| same_repo(source, &git.url.value))
            .find_map(|source| source.rsplit_once('#').map(|(_, commit)| commit.to_owned()))
            .filter(|commit| is_commit(commit))
    });
    let message = format!(
        "git dependency `{}` in `[{}]` follows {what} of {}; whatever is pushed there is what the next `cargo update` builds",
        dep.key.value, dep.section, git.url.value
    );
    let fix = match locked {
        Some(commit) => format!(
            "pin the commit Cargo.lock has: `rev = \"{commit}\"` (instead of the branch or tag)"
        ),
        None => {
            "pin a commit: `rev = \"<full commit sha>\"` (instead of the branch or tag)".to_owned()
        }
    };
    let mut finding = file.finding(Code::GitUnpinned, at.span.clone(), message, Some(fix));
    finding.id = Some(dep.name.clone());
    Some(finding)
}

/// `git-unpinned` for the locked git packages whose source records no commit.
pub(super) fn lock_findings(lock: &Lock<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for package in &lock.packages {
        let (Some(source), Some(git)) = (&package.source, package.git_source()) else {
            continue;
        };
        let commit = git.rsplit_once('#').map(|(_, commit)| commit);
        if commit.is_some_and(is_commit) {
            continue;
        }
        let message = format!(
            "`{}` {} is locked from git source `{}` without a `#<commit>`: the build takes whatever the ref points at",
            package.name, package.version, source.value
        );
        let fix = format!(
            "run `cargo update -p {}` with a current cargo so the lock records the commit, and commit Cargo.lock",
            package.name
        );
        let mut finding =
            lock.file
                .finding(Code::GitUnpinned, source.span.clone(), message, Some(fix));
        finding.id = Some(format!("{}@{}", package.name, package.version));
        finding.package = Some(PackageRef {
            name: package.name.clone(),
            version: package.version.clone(),
            ecosystem: Ecosystem::CratesIo,
            purl: purl(Ecosystem::CratesIo, &package.name, &package.version),
        });
        findings.push(finding);
    }
    findings
}

/// Whether `rev` is a (possibly abbreviated) commit id: 7 to 64 hex digits (SHA-1 or SHA-256).
fn is_commit(rev: &str) -> bool {
    (7..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether two git URLs (a manifest's `git`, or a lock source after `git+`) name the same
/// repository: query and fragment, a trailing `/` or `.git`, and the case of the scheme and host
/// (and of the whole path on github.com, which is case-insensitive) do not matter.
pub(super) fn same_repo(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

fn canonical(url: &str) -> String {
    let url = url.strip_prefix("git+").unwrap_or(url);
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let url = url.trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let path = if host == "github.com" || host == "www.github.com" {
        path.to_ascii_lowercase()
    } else {
        path.to_owned()
    };
    format!("{}://{host}/{path}", scheme.to_ascii_lowercase())
}

#[cfg(test)]
mod tests;
