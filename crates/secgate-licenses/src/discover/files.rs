//! Licence files of one package: the file `license-file` names plus every `LICENSE*`,
//! `LICENCE*` and `COPYING*` (any case) in the package root, each with the sha256 of its bytes,
//! so a clarification can be pinned to the exact text it was written for.

use super::DiscoverError;
use super::error::io_error;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Name prefixes of licence files, lower case.
const PREFIXES: &[&str] = &["license", "licence", "copying"];

/// One licence file that was read.
#[derive(Clone, Debug)]
pub(super) struct LicenseFile {
    /// Path relative to the package root, `/`-separated (`../` when outside it).
    pub relative: String,
    /// Lower-case sha256 hex of the bytes.
    pub sha256: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Whether it is the file `license-file` names.
    pub declared: bool,
}

/// Reads the licence files of the package in `dir`. `license_file` is the manifest's
/// `license-file`, relative to `dir`; it is read first and is not an error when absent (the
/// result then simply lacks it). Sorted by relative path, each file once.
pub(super) fn license_files(
    dir: &Path,
    license_file: Option<&str>,
) -> Result<Vec<LicenseFile>, DiscoverError> {
    let mut files = Vec::new();
    let declared = license_file.map(normalize_relative);
    if let Some(relative) = &declared
        && let Some(mut file) = read_if_file(&dir.join(relative), relative)?
    {
        file.declared = true;
        files.push(file);
    }
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_license_name(name) || declared.as_deref() == Some(name) {
            continue;
        }
        // Follows symlinks: a member's `LICENSE` is often a link to the workspace's.
        if let Some(file) = read_if_file(&entry.path(), name)? {
            files.push(file);
        }
    }
    files.sort_unstable_by(|a, b| a.relative.cmp(&b.relative));
    Ok(files)
}

/// Whether `name` starts with a licence file prefix, in any case.
pub(super) fn is_license_name(name: &str) -> bool {
    PREFIXES.iter().any(|prefix| {
        name.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    })
}

fn read_if_file(path: &Path, relative: &str) -> Result<Option<LicenseFile>, DiscoverError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => return Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    }
    let bytes = fs::read(path).map_err(io_error(path))?;
    Ok(Some(LicenseFile {
        relative: relative.to_owned(),
        sha256: sha256_hex(&bytes),
        bytes,
        declared: false,
    }))
}

/// Lower-case hex sha256.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// A manifest-relative path with `\` turned into `/` and `./` dropped.
fn normalize_relative(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        if !(part.is_empty() || part == ".") {
            out.push(part);
        }
    }
    out.join("/")
}

/// Resolves `.` and `..` in `path` without touching the file system.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `target` relative to `base` (both normalized, both absolute or both relative to the same
/// directory), `/`-separated, with `..` where `target` lies outside `base`.
pub(super) fn relative_to(target: &Path, base: &Path) -> String {
    let target: Vec<_> = target.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_names_match_in_any_case() {
        for name in [
            "LICENSE",
            "LICENSE-MIT",
            "license-apache-2.0",
            "Licence.txt",
            "COPYING",
            "copying.lesser",
        ] {
            assert!(is_license_name(name), "{name}");
        }
        for name in ["README.md", "LICENS", "my-LICENSE", "Cargo.toml", "lic"] {
            assert!(!is_license_name(name), "{name}");
        }
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn paths_relative_to_a_package() {
        assert_eq!(normalize_relative("./docs\\LICENSE"), "docs/LICENSE");
        assert_eq!(
            normalize(Path::new("/r/crates/a/../../LICENSE")),
            Path::new("/r/LICENSE")
        );
        assert_eq!(
            relative_to(Path::new("/r/LICENSE"), Path::new("/r/crates/a")),
            "../../LICENSE"
        );
        assert_eq!(
            relative_to(Path::new("/r/crates/a/L"), Path::new("/r/crates/a")),
            "L"
        );
    }

    #[test]
    fn reads_declared_and_conventional_files_once() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("docs")).unwrap();
        fs::write(dir.path().join("docs/TERMS"), "terms").unwrap();
        fs::write(dir.path().join("LICENSE-MIT"), "mit").unwrap();
        fs::write(dir.path().join("copying"), "gpl").unwrap();
        fs::write(dir.path().join("README"), "no").unwrap();
        fs::create_dir(dir.path().join("LICENSES")).unwrap();

        let files = license_files(dir.path(), Some("./docs/TERMS")).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(names, ["LICENSE-MIT", "copying", "docs/TERMS"]);
        assert_eq!(files[0].sha256, sha256_hex(b"mit"));
        assert_eq!(files[2].bytes, b"terms");
        assert!(files[2].declared && !files[0].declared);

        // A declared file in the root is listed once; a missing one is not an error.
        let files = license_files(dir.path(), Some("LICENSE-MIT")).unwrap();
        assert_eq!(files.len(), 2);
        let files = license_files(dir.path(), Some("NOPE")).unwrap();
        assert_eq!(files.len(), 2);
    }
}
