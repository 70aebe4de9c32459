//! Which files the pinning gate reads. A directory PATH is walked (not following symlinks,
//! skipping build output, `node_modules`, `.git` and other hidden directories except `.github`);
//! a file PATH is checked alone when its kind is known.

use crate::{PinsError, SourceFile};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How many directory levels below PATH the walk descends.
const MAX_DEPTH: usize = 32;
/// Directories never walked besides hidden ones.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "__pycache__", "venv"];
/// Files larger than this are not read (no lockfile or workflow is that large).
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The kinds of file the gate checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `Cargo.toml`.
    CargoManifest,
    /// `Cargo.lock`.
    CargoLock,
    /// `.github/workflows/*.yml` or `*.yaml`.
    Workflow,
    /// `action.yml` or `action.yaml` (composite, Docker or JavaScript action metadata).
    Action,
    /// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`.
    Dockerfile,
    /// `requirements*.txt`, `constraints*.txt`, or any `.txt` in a `requirements` directory.
    Requirements,
    /// `package.json`.
    PackageJson,
    /// `package-lock.json` or `npm-shrinkwrap.json`.
    NpmLock,
    /// `yarn.lock`, `pnpm-lock.yaml`, `bun.lock`, `bun.lockb`: a lockfile for `package.json`.
    OtherJsLock,
    /// `*.sh`.
    ShellScript,
}

/// The kind of the file at `relative` (a `/`-separated path), if the gate checks it.
pub fn classify(relative: &str) -> Option<FileKind> {
    let (dir, name) = relative.rsplit_once('/').unwrap_or(("", relative));
    let lower = name.to_ascii_lowercase();
    let extension = Path::new(&lower)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let yaml = matches!(extension, "yml" | "yaml");
    Some(match lower.as_str() {
        "cargo.toml" if name == "Cargo.toml" => FileKind::CargoManifest,
        "cargo.lock" if name == "Cargo.lock" => FileKind::CargoLock,
        "action.yml" | "action.yaml" => FileKind::Action,
        "package.json" => FileKind::PackageJson,
        "package-lock.json" | "npm-shrinkwrap.json" => FileKind::NpmLock,
        "yarn.lock" | "pnpm-lock.yaml" | "bun.lock" | "bun.lockb" => FileKind::OtherJsLock,
        "dockerfile" | "containerfile" => FileKind::Dockerfile,
        _ if yaml && (dir == ".github/workflows" || dir.ends_with("/.github/workflows")) => {
            FileKind::Workflow
        }
        _ if extension == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.") =>
        {
            FileKind::Dockerfile
        }
        _ if extension == "txt"
            && (lower.starts_with("requirements")
                || lower.starts_with("constraints")
                || dir == "requirements"
                || dir.ends_with("/requirements")) =>
        {
            FileKind::Requirements
        }
        _ if extension == "sh" => FileKind::ShellScript,
        _ => return None,
    })
}

/// Reads every file under `path` the gate checks, sorted by path.
pub(crate) fn collect(
    path: &Path,
    excluded: &dyn Fn(&str) -> bool,
) -> Result<Vec<SourceFile>, PinsError> {
    let metadata = fs::metadata(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => PinsError::NotFound {
            path: path.to_owned(),
        },
        _ => read_error(path, source),
    })?;
    let mut found: Vec<(String, PathBuf, FileKind)> = Vec::new();
    if metadata.is_dir() {
        walk(path, excluded, &mut found)?;
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A workflow given alone is recognized by its directory, as it would be in a walk.
        let relative = match path.parent().and_then(|p| p.file_name()) {
            Some(parent)
                if parent == "workflows"
                    && path
                        .ancestors()
                        .nth(2)
                        .and_then(Path::file_name)
                        .is_some_and(|g| g == ".github") =>
            {
                format!(".github/workflows/{name}")
            }
            _ => name.clone(),
        };
        let kind = classify(&relative)
            .or_else(|| named_yaml_kind(path, &name))
            .ok_or_else(|| PinsError::UnsupportedFile {
                path: path.to_owned(),
            })?;
        // A manifest is judged with the lockfile beside it (else it would be `lockfile-missing`).
        let lock = path.with_file_name("Cargo.lock");
        if kind == FileKind::CargoManifest && lock.is_file() {
            found.push(("Cargo.lock".to_owned(), lock, FileKind::CargoLock));
        }
        found.push((name, path.to_owned(), kind));
    }
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    found
        .into_iter()
        .map(|(relative, full, kind)| read(&full, relative, kind))
        .collect()
}

/// A YAML file named on the command line outside `.github/workflows/` (an example workflow, a
/// template): a workflow when it has top-level `jobs:`, an action when it has `runs:`.
fn named_yaml_kind(path: &Path, name: &str) -> Option<FileKind> {
    let yaml = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
    if !yaml {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let top = |key: &str| text.lines().any(|l| l.trim_end().starts_with(key));
    if top("jobs:") {
        Some(FileKind::Workflow)
    } else if top("runs:") {
        Some(FileKind::Action)
    } else {
        None
    }
}

fn walk(
    root: &Path,
    excluded: &dyn Fn(&str) -> bool,
    found: &mut Vec<(String, PathBuf, FileKind)>,
) -> Result<(), PinsError> {
    let mut stack = vec![(root.to_owned(), String::new(), 0usize)];
    while let Some((dir, relative, depth)) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| read_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| read_error(&dir, e))?;
            // `DirEntry::file_type` does not follow symlinks: a link is neither dir nor file.
            let file_type = entry
                .file_type()
                .map_err(|e| read_error(&entry.path(), e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let child = if relative.is_empty() {
                name.to_string()
            } else {
                format!("{relative}/{name}")
            };
            if excluded(&child) {
                continue;
            }
            if file_type.is_dir() {
                if depth < MAX_DEPTH && walked_dir(&name) {
                    stack.push((entry.path(), child, depth + 1));
                }
            } else if file_type.is_file()
                && let Some(kind) = classify(&child)
            {
                found.push((child, entry.path(), kind));
            }
        }
    }
    Ok(())
}

fn walked_dir(name: &str) -> bool {
    (name == ".github" || !name.starts_with('.')) && !SKIPPED_DIRS.contains(&name)
}

fn read(full: &Path, relative: String, kind: FileKind) -> Result<SourceFile, PinsError> {
    let len = fs::metadata(full).map_err(|e| read_error(full, e))?.len();
    if len > MAX_FILE_BYTES {
        return Err(PinsError::Read {
            path: full.to_owned(),
            source: io::Error::other(format!("{len} bytes is more than the gate reads")),
        });
    }
    let bytes = fs::read(full).map_err(|e| read_error(full, e))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(SourceFile::new(relative, kind, text))
}

fn read_error(path: &Path, source: io::Error) -> PinsError {
    PinsError::Read {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name_and_directory() {
        let k = |p| classify(p);
        assert_eq!(k("Cargo.toml"), Some(FileKind::CargoManifest));
        assert_eq!(k("rust/Cargo.lock"), Some(FileKind::CargoLock));
        assert_eq!(k(".github/workflows/ci.yml"), Some(FileKind::Workflow));
        assert_eq!(k("x/.github/workflows/ci.yaml"), Some(FileKind::Workflow));
        assert_eq!(k("workflows/ci.yml"), None);
        assert_eq!(
            k(".github/actions/setup/action.yml"),
            Some(FileKind::Action)
        );
        assert_eq!(k("Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("docker/dev.Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("Dockerfile.alpine"), Some(FileKind::Dockerfile));
        assert_eq!(k("Containerfile"), Some(FileKind::Dockerfile));
        assert_eq!(k("requirements.txt"), Some(FileKind::Requirements));
        assert_eq!(k("requirements-dev.txt"), Some(FileKind::Requirements));
        assert_eq!(k("requirements/main.txt"), Some(FileKind::Requirements));
        assert_eq!(k("requirements/main.in"), None);
        assert_eq!(k("docs/notes.txt"), None);
        assert_eq!(k("package.json"), Some(FileKind::PackageJson));
        assert_eq!(k("package-lock.json"), Some(FileKind::NpmLock));
        assert_eq!(k("pnpm-lock.yaml"), Some(FileKind::OtherJsLock));
        assert_eq!(k("scripts/install.sh"), Some(FileKind::ShellScript));
        assert_eq!(k("README.md"), None);
    }
}
