//! What `secgate init` looks for: which ecosystems, workflows and images the repository has,
//! whether it is a git repository with an allowed-signers file, and which folders hold test
//! inputs. Files are classified by the same rules the gates use.

use secgate_inventory::DependencyFile;
use secgate_pins::{FileKind, classify};
use std::path::Path;

/// How deep the walk goes: deep enough for monorepos, bounded for huge trees.
const MAX_DEPTH: usize = 6;
/// Folders never walked: build output, installed dependencies, version control.
const SKIPPED: &[&str] = &[
    "target",
    "node_modules",
    ".git",
    ".venv",
    "venv",
    "dist",
    "build",
];
/// Folder names that usually hold test inputs (broken on purpose).
const TEST_INPUTS: &[&str] = &["fixtures", "testdata", "test-data", "test_data"];
/// Where an allowed-signers file usually is.
const SIGNERS: &[&str] = &[
    ".github/allowed_signers",
    "allowed_signers",
    ".allowed_signers",
];

/// What the repository has.
// One flag per thing found: a set of independent facts, not a state machine.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Default)]
pub struct Detected {
    pub cargo: bool,
    pub npm: bool,
    pub python: bool,
    pub hashed_requirements: bool,
    pub workflows: bool,
    pub dockerfiles: bool,
    pub git: bool,
    /// The allowed-signers file, relative to the root.
    pub allowed_signers: Option<String>,
    /// Folders of test inputs, relative to the root.
    pub excluded: Vec<String>,
}

impl Detected {
    /// "Rust, npm, GitHub workflows" — or "no dependency files".
    pub fn summary(&self) -> String {
        let parts: Vec<&str> = [
            (self.cargo, "Rust (Cargo)"),
            (self.npm, "npm"),
            (self.python, "Python"),
            (self.workflows, "GitHub workflows"),
            (self.dockerfiles, "Dockerfiles"),
            (self.allowed_signers.is_some(), "an allowed-signers file"),
        ]
        .into_iter()
        .filter_map(|(found, name)| found.then_some(name))
        .collect();
        if parts.is_empty() {
            "no dependency files, workflows or Dockerfiles".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// Walks `root`.
pub fn detect(root: &Path) -> Detected {
    let mut d = Detected {
        git: root.join(".git").exists(),
        allowed_signers: SIGNERS
            .iter()
            .find(|s| root.join(s).is_file())
            .map(|s| (*s).to_owned()),
        ..Detected::default()
    };
    let mut stack = vec![(root.to_owned(), String::new(), 0usize)];
    while let Some((dir, relative, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if relative.is_empty() {
                name.clone()
            } else {
                format!("{relative}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let hidden = name.starts_with('.') && name != ".github";
                if TEST_INPUTS.contains(&name.as_str()) {
                    d.excluded.push(child);
                } else if depth < MAX_DEPTH && !hidden && !SKIPPED.contains(&name.as_str()) {
                    stack.push((entry.path(), child, depth + 1));
                }
            } else if kind.is_file() {
                note_file(&mut d, &child, &entry.path());
            }
        }
    }
    d.excluded.sort();
    d
}

fn note_file(d: &mut Detected, relative: &str, path: &Path) {
    match DependencyFile::of(relative) {
        Some(DependencyFile::CargoLock) => d.cargo = true,
        Some(DependencyFile::PackageLock | DependencyFile::PnpmLock | DependencyFile::YarnLock) => {
            d.npm = true;
        }
        Some(DependencyFile::Requirements) => {
            d.python = true;
            if std::fs::read_to_string(path).is_ok_and(|t| t.contains("--hash")) {
                d.hashed_requirements = true;
            }
        }
        Some(_) => d.python = true,
        None => {}
    }
    match classify(relative) {
        Some(FileKind::CargoManifest) => d.cargo = true,
        Some(FileKind::PackageJson) => d.npm = true,
        Some(FileKind::Workflow) => d.workflows = true,
        Some(FileKind::Dockerfile) => d.dockerfiles = true,
        _ => {}
    }
}
