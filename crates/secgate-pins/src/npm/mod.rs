//! npm manifests and lockfiles: `lockfile-missing` for a `package.json` that declares
//! dependencies with no lockfile (package-lock, npm-shrinkwrap, yarn, pnpm or bun) in its
//! directory or an ancestor directory among the scanned files (workspaces keep one lockfile at
//! their root), and the package-lock rules (`lock`). Malformed JSON fails the scan with its
//! line and column: the gate cannot vouch for a file it cannot read.

mod lock;

use crate::{FileKind, PinsError, SourceFile};
use secgate_core::{Code, Finding};
use secgate_inventory::json::{self, Node, Options};
use std::collections::HashSet;

/// The keys whose dependencies a lockfile pins.
const DEPENDENCY_KEYS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// `lockfile-missing` for a `package.json` without a lockfile, `hash-missing` and
/// `git-unpinned` for package-lock entries.
pub fn check(files: &[SourceFile]) -> Result<Vec<Finding>, PinsError> {
    let lock_dirs: HashSet<&str> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::NpmLock | FileKind::OtherJsLock))
        .map(|f| directory(&f.path))
        .collect();
    let mut findings = Vec::new();
    for file in files {
        match file.kind {
            FileKind::PackageJson => {
                let root = read(file)?;
                if !locked(directory(&file.path), &lock_dirs) {
                    findings.extend(lockfile_missing(file, &root));
                }
            }
            FileKind::NpmLock => findings.extend(lock::check(file, &read(file)?)),
            _ => {}
        }
    }
    Ok(findings)
}

/// The directory of a `/`-separated relative path (`""` for the root).
fn directory(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Whether `dir` or one of its ancestors has a lockfile.
fn locked(dir: &str, lock_dirs: &HashSet<&str>) -> bool {
    let mut dir = dir;
    loop {
        if lock_dirs.contains(dir) {
            return true;
        }
        match dir.rsplit_once('/') {
            Some((parent, _)) => dir = parent,
            None if dir.is_empty() => return false,
            None => dir = "",
        }
    }
}

/// The JSON tree of a file, or the parse error at its line and column.
fn read(file: &SourceFile) -> Result<Node, PinsError> {
    // npm accepts a byte-order mark; serde_json does not.
    let bom = if file.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let text = file.text.get(bom..).unwrap_or_default();
    let parse_error = |line: usize, column: usize, message: String| PinsError::Parse {
        path: file.path.clone(),
        line: line.max(1) as u32,
        column: (column + usize::from(bom > 0 && line <= 1)).max(1) as u32,
        message,
    };
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |at| &message[..at]);
        return Err(parse_error(
            e.line(),
            e.column(),
            format!("invalid JSON: {message}"),
        ));
    }
    let options = Options {
        base: bom,
        ..Options::default()
    };
    json::parse_with(text, &options).map_err(|_| parse_error(1, 1, "invalid JSON".to_owned()))
}

/// The finding for a manifest with dependencies, at its first non-empty dependency key.
fn lockfile_missing(file: &SourceFile, root: &Node) -> Option<Finding> {
    let key = root
        .members()
        .iter()
        .find(|m| DEPENDENCY_KEYS.contains(&m.key.as_str()) && !m.value.members().is_empty())?;
    let name = root.str_of("name");
    let mut finding = file.finding(
        Code::LockfileMissing,
        key.key_span.clone(),
        format!(
            "`{}` declares `{}` but no lockfile (package-lock.json, npm-shrinkwrap.json, \
             yarn.lock, pnpm-lock.yaml, bun.lock) is next to it or in a parent directory, so \
             every install resolves the ranges afresh",
            file.path, key.key
        ),
        Some(
            "generate and commit a lockfile: `npm install --package-lock-only` (or `pnpm \
             install --lockfile-only`, `yarn install`, `bun install`), then install with `npm ci`"
                .to_owned(),
        ),
    );
    finding.id = Some(name.map_or_else(|| file.path.clone(), str::to_owned));
    Some(finding)
}

#[cfg(test)]
mod tests;
