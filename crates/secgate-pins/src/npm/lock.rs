//! package-lock.json (and npm-shrinkwrap.json): `hash-missing` for an entry downloaded from a
//! URL without `integrity`, `git-unpinned` for a git source without a commit. Lockfile v2 and v3
//! entries are read from `packages` (v2's legacy `dependencies` mirror the same packages and are
//! not read twice); v1 from the nested `dependencies` tree.
//!
//! Not flagged: links (`link: true`), bundled packages (`bundled`/`inBundle`, shipped inside
//! their parent's tarball), `file:` and directory sources, and git sources pinned to a commit
//! (a commit is its own hash).

use crate::SourceFile;
use secgate_core::{Code, Finding};
use secgate_inventory::json::{Member, Node};
use secgate_inventory::npm::is_git_specifier;

/// The findings of one package-lock, given its parsed root.
pub(crate) fn check(file: &SourceFile, root: &Node) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(packages) = root.get("packages") {
        for member in packages.members() {
            if !member.key.is_empty() {
                let name = member
                    .key
                    .rsplit_once("node_modules/")
                    .map_or(member.key.as_str(), |(_, name)| name);
                entry(file, member, name, false, &mut findings);
            }
        }
    } else if let Some(dependencies) = root.get("dependencies") {
        tree(file, dependencies, &mut findings);
    }
    findings
}

/// A v1 `dependencies` object and the ones nested in its entries.
fn tree(file: &SourceFile, dependencies: &Node, findings: &mut Vec<Finding>) {
    for member in dependencies.members() {
        entry(file, member, &member.key, true, findings);
        if let Some(nested) = member.value.get("dependencies") {
            tree(file, nested, findings);
        }
    }
}

fn entry(file: &SourceFile, member: &Member, name: &str, v1: bool, findings: &mut Vec<Finding>) {
    let entry = &member.value;
    if entry.flag("link") || entry.flag("bundled") || entry.flag("inBundle") {
        return;
    }
    let version = entry.get("version");
    let version_text = version.and_then(Node::as_str).unwrap_or_default();
    // v1 records a git dependency's source in `version`; `resolved` may be absent.
    let source = entry
        .get("resolved")
        .filter(|n| n.as_str().is_some())
        .or(version.filter(|_| v1 && is_git_specifier(version_text)));
    let Some(source) = source else {
        return;
    };
    let url = source.as_str().unwrap_or_default();
    if is_git_specifier(url) {
        let commit = url.rsplit_once('#').map(|(_, c)| c);
        if !commit.is_some_and(crate::shell::is_commit) {
            let mut finding = file.finding(
                Code::GitUnpinned,
                source.span.clone(),
                format!(
                    "`{}` is installed from git `{url}`, which names a branch or tag rather than \
                     a commit",
                    member.key
                ),
                Some(format!(
                    "point the dependency at a commit in package.json (`{name}`: \
                     `owner/repo#<40-hex commit>`) and run `npm install` to record it"
                )),
            );
            finding.id = Some(name.to_owned());
            findings.push(finding);
        }
        return;
    }
    let downloaded = url.starts_with("https://") || url.starts_with("http://");
    let integrity = entry
        .str_of("integrity")
        .is_some_and(|i| !i.trim().is_empty());
    if downloaded && !integrity {
        let shown = if version_text.is_empty() {
            name.to_owned()
        } else {
            format!("{name}@{version_text}")
        };
        let mut finding = file.finding(
            Code::HashMissing,
            member.key_span.clone(),
            format!(
                "`{}` ({shown}) is downloaded from `{url}` without an `integrity` hash, so a \
                 changed tarball would install unnoticed",
                member.key
            ),
            Some(
                "refill the hash with `npm install --package-lock-only` (delete the entry first \
                 if it stays empty) and commit the lockfile"
                    .to_owned(),
            ),
        );
        finding.id = Some(shown);
        findings.push(finding);
    }
}
