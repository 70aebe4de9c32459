//! Python dependency files: pip requirements files (`==` pins are the auditable versions; `-r`
//! includes followed, `-c` constraints, markers kept, extras ignored), `poetry.lock`, `uv.lock`,
//! `Pipfile.lock` and `pylock.toml`. Names are normalised per PEP 503.

use crate::{Lockfile, LockfileError};
use std::path::Path;

/// PEP 503 normalisation: lower-case, runs of `-`, `_` and `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    name.to_owned()
}

/// Reads the requirements file `file` (shown as `path`) and every file it includes with `-r` /
/// `-c` (relative to the including file), each as its own [`Lockfile`] in include order, each
/// once. Only `name==version` pins become packages.
pub fn read_requirements(file: &Path, path: &str) -> Result<Vec<Lockfile>, LockfileError> {
    let _ = file;
    Err(not_yet(path))
}

/// Parses a `poetry.lock`.
pub fn parse_poetry_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let _ = text;
    Err(not_yet(path))
}

/// Parses a `uv.lock`.
pub fn parse_uv_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let _ = text;
    Err(not_yet(path))
}

/// Parses a `Pipfile.lock`.
pub fn parse_pipfile_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let _ = text;
    Err(not_yet(path))
}

/// Parses a `pylock.toml` (PEP 751).
pub fn parse_pylock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let _ = text;
    Err(not_yet(path))
}

fn not_yet(path: &str) -> LockfileError {
    LockfileError::Parse {
        path: path.to_owned(),
        line: 1,
        column: 1,
        span: 0..0,
        message: "Python dependency files are not read yet".to_owned(),
    }
}
