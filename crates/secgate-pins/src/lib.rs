//! The pinning gate: everything that decides *which* code a build pulls in must name it
//! immutably. [`scan`] walks a repository and checks
//!
//! - Cargo manifests and lockfiles ([`rust`]): `lockfile-missing`, `lockfile-stale`,
//!   `git-unpinned`, `version-wildcard`;
//! - GitHub workflows and composite actions ([`workflow`]): `action-unpinned`,
//!   `action-tag-mismatch`, and the `run:` scripts;
//! - Dockerfiles ([`dockerfile`]): `image-unpinned`, and the `RUN` scripts;
//! - pip requirements files ([`requirements`]): `requirement-unpinned`, `hash-missing`;
//! - npm manifests and lockfiles ([`npm`]): `lockfile-missing`, `hash-missing`;
//! - shell scripts ([`shell`], also used for `run:` steps and `RUN` lines):
//!   `install-unlocked`, `curl-pipe-shell`.
//!
//! Every finding is at the exact line and column of the offending text, with the fix in its
//! message. Checkers never touch the network: action tags are resolved by the caller
//! ([`ActionRef`], [`tag_mismatches`]).

pub mod dockerfile;
mod error;
pub mod npm;
mod options;
pub mod requirements;
pub mod rust;
pub mod shell;
mod source;
mod tags;
mod walk;
pub mod workflow;

pub use error::PinsError;
pub use options::{ActionsRule, ImagesRule, PinsOptions, PythonRule};
pub use source::SourceFile;
pub use tags::{ActionRef, ResolvedTags, tag_mismatches};
pub use walk::{FileKind, classify};

use secgate_core::{Finding, sort_findings};
use std::path::Path;

/// What a scan found, and what it read.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// Findings at their codes' default levels, sorted.
    pub findings: Vec<Finding>,
    /// Every file checked, with its text, sorted by path (for snippets and counts).
    pub files: Vec<SourceFile>,
    /// Actions pinned by SHA with a version comment, for an online tag check.
    pub action_refs: Vec<ActionRef>,
    /// What the scan says about how it ran (e.g. what `cargo metadata --locked` confirmed).
    pub notes: Vec<String>,
}

impl Scan {
    /// How many files of `kind` were checked.
    pub fn count(&self, kind: FileKind) -> usize {
        self.files.iter().filter(|f| f.kind == kind).count()
    }
}

/// Checks every pinnable file under `path`: a repository directory (walked), or one file of a
/// kind [`classify`] knows, checked alone. Fails only when a file cannot be read or a file the
/// gate must understand (a Cargo manifest or lockfile, a workflow, a package-lock) does not
/// parse; every rule violation is a finding.
pub fn scan(path: &Path, options: &PinsOptions) -> Result<Scan, PinsError> {
    scan_excluding(path, options, &|_| false)
}

/// [`scan`], skipping the files and directories (paths relative to `path`, `/`-separated)
/// for which `excluded` is true: the policy's `[paths] exclude`.
pub fn scan_excluding(
    path: &Path,
    options: &PinsOptions,
    excluded: &dyn Fn(&str) -> bool,
) -> Result<Scan, PinsError> {
    let files = walk::collect(path, excluded)?;
    let mut scan = Scan::default();
    let cargo: Vec<&SourceFile> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::CargoManifest | FileKind::CargoLock))
        .collect();
    // A stale lock is confirmed with `cargo metadata --locked` when cargo is installed, so a
    // gap in the native check never fails a lock cargo accepts.
    let root = if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let (rust_findings, notes) = rust::confirm(root, rust::check(&cargo)?);
    scan.findings.extend(rust_findings);
    scan.notes.extend(notes);
    for file in &files {
        match file.kind {
            FileKind::Workflow | FileKind::Action => {
                let checked = workflow::check(file, options)?;
                scan.findings.extend(checked.findings);
                scan.action_refs.extend(checked.action_refs);
            }
            FileKind::Dockerfile => scan.findings.extend(dockerfile::check(file, options)),
            FileKind::Requirements => scan.findings.extend(requirements::check(file, options)),
            FileKind::ShellScript => scan.findings.extend(shell::check_file(file)),
            // Read as a set: by `rust::check` above and `npm::check` below.
            FileKind::PackageJson
            | FileKind::NpmLock
            | FileKind::OtherJsLock
            | FileKind::CargoManifest
            | FileKind::CargoLock => {}
        }
    }
    scan.findings.extend(npm::check(&files)?);
    sort_findings(&mut scan.findings);
    scan.files = files;
    Ok(scan)
}
