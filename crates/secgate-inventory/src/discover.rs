//! Finding the lockfiles a PATH stands for, and reading them into an [`Inventory`].
//!
//! PATH is one of:
//! - a directory: walked for every dependency file [`DependencyFile`] knows (`Cargo.lock`,
//!   npm, pnpm and yarn lockfiles, requirements files, poetry, uv, Pipfile and pylock
//!   lockfiles), skipping `target`, `node_modules`, virtualenvs and hidden directories (so
//!   `.git`), never following symlinks, at most [`MAX_DEPTH`] levels deep; paths are relative
//!   to it;
//! - one such dependency file;
//! - a `Cargo.toml`: its lockfile is the first `Cargo.lock` in the manifest's directory or one of
//!   its ancestors (where Cargo puts a workspace's lockfile), and the root is that directory;
//! - any other file whose name ends in `.lock` and is not another tool's lockfile (`yarn.lock`,
//!   `poetry.lock`, ...): read as a Cargo lockfile, with its directory as the root.
//!
//! A PATH that yields no package is an error: the gate must never pass on nothing.

use crate::InventoryError;
use crate::cargo_lock::{Lockfile, parse_cargo_lock_bytes};
use crate::kind::{DependencyFile, ReadError};
use secgate_core::Package;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How many directory levels below PATH the walk descends.
const MAX_DEPTH: usize = 32;

const LOCKFILE: &str = "Cargo.lock";
const MANIFEST: &str = "Cargo.toml";
/// Directories never walked (besides hidden ones): build output, npm's install tree and Python
/// virtualenvs (whose `site-packages` hold installed packages, not locked ones).
const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "venv",
    "env",
    "__pypackages__",
    "site-packages",
];
/// `*.lock` files that belong to other tools.
const OTHER_LOCKFILES: &[&str] = &[
    "yarn.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "bun.lock",
    "flake.lock",
    "Gemfile.lock",
    "composer.lock",
    "mix.lock",
];

/// Everything found under a PATH.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inventory {
    /// The directory lockfile paths are relative to.
    pub root: PathBuf,
    /// Lockfiles, sorted by path.
    pub lockfiles: Vec<Lockfile>,
}

impl Inventory {
    /// Every package of every lockfile, lockfile by lockfile in file order.
    pub fn packages(&self) -> impl Iterator<Item = &Package> {
        self.lockfiles.iter().flat_map(|l| l.packages.iter())
    }

    /// How many packages [`Inventory::packages`] yields.
    pub fn package_count(&self) -> usize {
        self.lockfiles.iter().map(|l| l.packages.len()).sum()
    }
}

/// Reads PATH: a directory (walked for every `Cargo.lock`), a `Cargo.lock` file, or a
/// `Cargo.toml` (its lockfile: the first `Cargo.lock` in the manifest's directory or its
/// ancestors). The root is the directory PATH, or for a file PATH the directory that contains the
/// lockfile. Lockfiles are sorted by path.
pub fn discover(path: &Path) -> Result<Inventory, InventoryError> {
    discover_excluding(path, &|_| false)
}

/// [`discover`], skipping the files and directories under a directory PATH (paths relative to
/// it, `/`-separated) for which `excluded` is true: the policy's `[paths] exclude`.
pub fn discover_excluding(
    path: &Path,
    excluded: &dyn Fn(&str) -> bool,
) -> Result<Inventory, InventoryError> {
    let inventory = discover_any(path, excluded)?;
    if inventory.package_count() == 0 {
        let files: Vec<&str> = inventory
            .lockfiles
            .iter()
            .map(|l| l.path.as_str())
            .collect();
        return Err(InventoryError::NothingLocked {
            path: path.to_owned(),
            files: files.join(", "),
        });
    }
    Ok(inventory)
}

fn discover_any(path: &Path, excluded: &dyn Fn(&str) -> bool) -> Result<Inventory, InventoryError> {
    let metadata = fs::metadata(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => InventoryError::NotFound {
            path: path.to_owned(),
        },
        _ => read_error(path)(source),
    })?;
    if metadata.is_dir() {
        return discover_dir(path, excluded);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == MANIFEST {
        return discover_manifest(path);
    }
    // The parent directory's name counts: `requirements/main.txt` is a requirements file.
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(kind) = DependencyFile::of(&format!("{parent}/{name}")) {
        return Ok(Inventory {
            root: parent_dir(path),
            lockfiles: read_file(kind, path, &name)?,
        });
    }
    let is_lock = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("lock"));
    if is_lock && !OTHER_LOCKFILES.contains(&name.as_str()) {
        let lockfile = read_lockfile(path, &name)?;
        return Ok(Inventory {
            root: parent_dir(path),
            lockfiles: vec![lockfile],
        });
    }
    Err(InventoryError::UnsupportedFile {
        path: path.to_owned(),
    })
}

fn discover_dir(root: &Path, excluded: &dyn Fn(&str) -> bool) -> Result<Inventory, InventoryError> {
    let mut found = find_lockfiles(root, excluded)?;
    if found.is_empty() {
        return Err(InventoryError::NoLockfile {
            path: root.to_owned(),
        });
    }
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut lockfiles: Vec<Lockfile> = Vec::new();
    for (relative, path, kind) in found {
        for lockfile in read_file(kind, &path, &relative)? {
            // A requirements file included by another one is also found by the walk: once.
            if !lockfiles.iter().any(|l| l.path == lockfile.path) {
                lockfiles.push(lockfile);
            }
        }
    }
    lockfiles.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Inventory {
        root: root.to_owned(),
        lockfiles,
    })
}

/// Every dependency file under `root`, as (path relative to root with `/`, full path, kind).
fn find_lockfiles(
    root: &Path,
    excluded: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, PathBuf, DependencyFile)>, InventoryError> {
    let mut found = Vec::new();
    let mut stack = vec![(root.to_owned(), String::new(), 0usize)];
    while let Some((dir, relative, depth)) = stack.pop() {
        for entry in fs::read_dir(&dir).map_err(read_error(&dir))? {
            let entry = entry.map_err(read_error(&dir))?;
            // `DirEntry::file_type` does not follow symlinks: a link is neither dir nor file.
            let file_type = entry.file_type().map_err(read_error(&entry.path()))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if excluded(&join(&relative, &name)) {
                continue;
            }
            if file_type.is_dir() {
                if depth < MAX_DEPTH && !skipped_dir(&name) {
                    stack.push((entry.path(), join(&relative, &name), depth + 1));
                }
            } else if file_type.is_file() {
                let relative = join(&relative, &name);
                if let Some(kind) = DependencyFile::of(&relative) {
                    found.push((relative, entry.path(), kind));
                }
            }
        }
    }
    Ok(found)
}

fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || SKIPPED_DIRS.contains(&name)
}

fn join(relative: &str, name: &str) -> String {
    if relative.is_empty() {
        name.to_owned()
    } else {
        format!("{relative}/{name}")
    }
}

fn discover_manifest(manifest: &Path) -> Result<Inventory, InventoryError> {
    let dir = parent_dir(manifest);
    let root = if dir.join(LOCKFILE).is_file() {
        dir
    } else {
        // Ancestors of a relative path stop at the working directory: resolve it first.
        let absolute = dir.canonicalize().map_err(read_error(&dir))?;
        absolute
            .ancestors()
            .skip(1)
            .find(|ancestor| ancestor.join(LOCKFILE).is_file())
            .map(Path::to_owned)
            .ok_or_else(|| InventoryError::NoLockfileForManifest {
                manifest: manifest.to_owned(),
            })?
    };
    let lockfile = read_lockfile(&root.join(LOCKFILE), LOCKFILE)?;
    Ok(Inventory {
        root,
        lockfiles: vec![lockfile],
    })
}

/// The directory holding `path`; `.` for a bare file name.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn read_lockfile(path: &Path, relative: &str) -> Result<Lockfile, InventoryError> {
    let bytes = fs::read(path).map_err(read_error(path))?;
    parse_cargo_lock_bytes(bytes, relative).map_err(|error| InventoryError::Lockfile {
        file: path.to_owned(),
        error: Box::new(error),
    })
}

fn read_file(
    kind: DependencyFile,
    path: &Path,
    relative: &str,
) -> Result<Vec<Lockfile>, InventoryError> {
    kind.read(path, relative).map_err(|e| match e {
        ReadError::Io(source) => InventoryError::Read {
            path: path.to_owned(),
            source,
        },
        ReadError::Parse(error) => InventoryError::Lockfile {
            file: path.to_owned(),
            error: Box::new(error),
        },
    })
}

fn read_error(path: &Path) -> impl FnOnce(io::Error) -> InventoryError + '_ {
    move |source| InventoryError::Read {
        path: path.to_owned(),
        source,
    }
}
