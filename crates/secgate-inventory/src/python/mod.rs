//! Python dependency files: pip requirements files (`==` pins are the auditable versions; `-r`
//! includes followed, `-c` constraints, markers kept, extras ignored), `poetry.lock`, `uv.lock`,
//! `Pipfile.lock` and `pylock.toml`. Names are normalised per PEP 503.
//!
//! Every package is [`secgate_core::Ecosystem::PyPI`]; its location is the requirement line,
//! the `[[package]]` / `[[packages]]` header, or the name key in `Pipfile.lock`. Packages from
//! an index other than PyPI are `Registry(url)`, VCS packages `Git`, and path, editable and
//! workspace-member packages `Local`; workspace members and VCS/path packages may have an empty
//! version when the file records none (their version is dynamic).

mod common;
mod lines;
mod pipfile;
mod poetry;
mod pylock;
mod requirement;
mod requirements;
mod uv;

use crate::{Lockfile, LockfileError};
use std::path::Path;

/// PEP 503 normalisation: lower-case, runs of `-`, `_` and `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    common::normalize(name)
}

/// Reads the requirements file `file` (shown as `path`) and every file it includes with `-r` /
/// `-c` (relative to the including file), each as its own [`Lockfile`] in include order, each
/// once. Only `name==version` pins become packages.
///
/// Requirements files mark their pins `direct: Some(true)`; pins in `-c` constraint files are
/// `direct: Some(false)` (a constraint installs nothing by itself). VCS links, URLs, paths,
/// editables, ranges and bare names are skipped: they have no version to audit.
pub fn read_requirements(file: &Path, path: &str) -> Result<Vec<Lockfile>, LockfileError> {
    requirements::read(file, path)
}

/// Parses requirements text already in memory, without following its `-r` / `-c` includes.
pub fn parse_requirements(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    requirements::parse_text(text, path)
}

/// Parses a `poetry.lock`.
pub fn parse_poetry_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    poetry::parse(text, path)
}

/// Parses a `uv.lock`.
pub fn parse_uv_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    uv::parse(text, path)
}

/// Parses a `Pipfile.lock`.
pub fn parse_pipfile_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    pipfile::parse(text, path)
}

/// Parses a `pylock.toml` (PEP 751).
pub fn parse_pylock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    pylock::parse(text, path)
}
