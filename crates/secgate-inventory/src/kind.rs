//! Which dependency files the inventory reads, by file name, and how each kind is read.

use crate::npm::{parse_package_lock, parse_pnpm_lock, parse_yarn_lock};
use crate::python::{
    parse_pipfile_lock, parse_poetry_lock, parse_pylock, parse_uv_lock, read_requirements,
};
use crate::{Lockfile, LockfileError, parse_cargo_lock_bytes};
use std::path::Path;

/// A kind of dependency file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DependencyFile {
    /// `Cargo.lock`.
    CargoLock,
    /// `package-lock.json` or `npm-shrinkwrap.json`.
    PackageLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `yarn.lock`.
    YarnLock,
    /// `requirements*.txt`, or any `.txt` in a `requirements/` directory.
    Requirements,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `pylock.toml` or `pylock.<name>.toml`.
    Pylock,
}

impl DependencyFile {
    /// The kind of the file at `relative` (a `/`-separated path), if the inventory reads it.
    pub fn of(relative: &str) -> Option<DependencyFile> {
        let (dir, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let parent = dir.rsplit('/').next().unwrap_or("");
        Some(match name {
            "Cargo.lock" => DependencyFile::CargoLock,
            "package-lock.json" | "npm-shrinkwrap.json" => DependencyFile::PackageLock,
            "pnpm-lock.yaml" => DependencyFile::PnpmLock,
            "yarn.lock" => DependencyFile::YarnLock,
            "poetry.lock" => DependencyFile::PoetryLock,
            "uv.lock" => DependencyFile::UvLock,
            "Pipfile.lock" => DependencyFile::PipfileLock,
            _ if name == "pylock.toml"
                || (name.starts_with("pylock.") && has_extension(name, "toml")) =>
            {
                DependencyFile::Pylock
            }
            _ if has_extension(name, "txt")
                && (name.starts_with("requirements") || parent == "requirements") =>
            {
                DependencyFile::Requirements
            }
            _ => return None,
        })
    }

    /// Reads the file at `file` (shown as `relative`): one lockfile, or for a requirements file
    /// that file and the ones it includes.
    pub(crate) fn read(self, file: &Path, relative: &str) -> Result<Vec<Lockfile>, ReadError> {
        if self == DependencyFile::Requirements {
            return Ok(read_requirements(file, relative)?);
        }
        let bytes = read_capped(file).map_err(ReadError::Io)?;
        if self == DependencyFile::CargoLock {
            return Ok(vec![parse_cargo_lock_bytes(bytes, relative)?]);
        }
        let text = String::from_utf8(bytes).map_err(|e| LockfileError::Parse {
            path: relative.to_owned(),
            line: 1,
            column: 1,
            span: 0..0,
            message: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        })?;
        // npm, yarn and pip all read a file that starts with a byte-order mark; so does
        // secgate. Editors do not count it as a column, so locations stay where users look.
        let text = strip_bom(text);
        let parse = match self {
            DependencyFile::PackageLock => parse_package_lock,
            DependencyFile::PnpmLock => parse_pnpm_lock,
            DependencyFile::YarnLock => parse_yarn_lock,
            DependencyFile::PoetryLock => parse_poetry_lock,
            DependencyFile::UvLock => parse_uv_lock,
            DependencyFile::PipfileLock => parse_pipfile_lock,
            DependencyFile::Pylock => parse_pylock,
            DependencyFile::CargoLock | DependencyFile::Requirements => unreachable!("read above"),
        };
        Ok(vec![parse(&text, relative)?])
    }
}

/// The largest dependency file read: real lockfiles are a few megabytes (omicron's Cargo.lock
/// is 422 KB, the largest package-lock of the corpus 1.1 MB); a bigger one is refused rather
/// than read whole into memory.
pub(crate) const MAX_DEPENDENCY_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// The bytes of `file`, refused when over [`MAX_DEPENDENCY_FILE_BYTES`].
pub(crate) fn read_capped(file: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(MAX_DEPENDENCY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DEPENDENCY_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, more than secgate reads from a dependency file",
            MAX_DEPENDENCY_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// The text without a leading UTF-8 byte-order mark.
pub(crate) fn strip_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

/// Whether `name` ends in `.<extension>`, in any case (`requirements.TXT` is one too).
fn has_extension(name: &str, extension: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// Why a dependency file could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// Its content is wrong.
    Parse(LockfileError),
}

impl From<LockfileError> for ReadError {
    fn from(e: LockfileError) -> Self {
        ReadError::Parse(e)
    }
}

#[cfg(test)]
mod tests {
    use super::DependencyFile::{self, *};

    #[test]
    fn files_are_recognized_by_name_and_place() {
        let of = DependencyFile::of;
        assert_eq!(of("Cargo.lock"), Some(CargoLock));
        assert_eq!(of("web/package-lock.json"), Some(PackageLock));
        assert_eq!(of("npm-shrinkwrap.json"), Some(PackageLock));
        assert_eq!(of("pnpm-lock.yaml"), Some(PnpmLock));
        assert_eq!(of("a/yarn.lock"), Some(YarnLock));
        assert_eq!(of("requirements.txt"), Some(Requirements));
        assert_eq!(of("requirements-dev.txt"), Some(Requirements));
        assert_eq!(of("requirements/main.txt"), Some(Requirements));
        assert_eq!(of("docs/notes.txt"), None);
        assert_eq!(of("requirements/main.in"), None);
        assert_eq!(of("pylock.toml"), Some(Pylock));
        assert_eq!(of("pylock.dev.toml"), Some(Pylock));
        assert_eq!(of("poetry.lock"), Some(PoetryLock));
        assert_eq!(of("uv.lock"), Some(UvLock));
        assert_eq!(of("Pipfile.lock"), Some(PipfileLock));
        assert_eq!(of("package.json"), None);
    }
}
