//! Finding and loading the policy file of a repository: `--config FILE` when given (it must
//! exist), else `secgate.toml`, then `.secgate.toml` at the root, else the embedded default.

use crate::{Policy, PolicyError};
use std::path::{Path, PathBuf};

/// The file names looked for at the repository root, in order.
pub const FILE_NAMES: &[&str] = &["secgate.toml", ".secgate.toml"];

/// Which policy file to use: `explicit` (from `--config`; must exist, else
/// [`PolicyError::Read`]), else `<root>/secgate.toml`, then `<root>/.secgate.toml`, else `None`
/// (use [`Policy::embedded_default`]).
pub fn locate(root: &Path, explicit: Option<&Path>) -> Result<Option<PathBuf>, PolicyError> {
    if let Some(path) = explicit {
        return match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Ok(Some(path.to_path_buf())),
            Ok(_) => Err(PolicyError::Read {
                path: path.to_path_buf(),
                io: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"),
            }),
            Err(io) => Err(PolicyError::Read {
                path: path.to_path_buf(),
                io,
            }),
        };
    }
    Ok(FILE_NAMES
        .iter()
        .map(|name| root.join(name))
        .find(|candidate| candidate.is_file()))
}

/// Locates, reads and parses the policy. Returns the policy and, when it came from a file, the
/// file's display path (relative to `root` when inside it, `/`-separated) and text, for
/// rendering snippets; `None` means the embedded default.
pub fn load(
    root: &Path,
    explicit: Option<&Path>,
) -> Result<(Policy, Option<(String, String)>), PolicyError> {
    let Some(path) = locate(root, explicit)? else {
        return Ok((Policy::embedded_default(), None));
    };
    let text = std::fs::read_to_string(&path).map_err(|io| PolicyError::Read {
        path: path.clone(),
        io,
    })?;
    let display = display_path(root, &path);
    let policy = Policy::parse(&text, &display)?;
    Ok((policy, Some((display, text))))
}

/// `path` relative to `root` and `/`-separated when inside it, else as given.
fn display_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_root_relative_when_inside() {
        let root = Path::new("/repo");
        assert_eq!(
            display_path(root, Path::new("/repo/secgate.toml")),
            "secgate.toml"
        );
        assert_eq!(
            display_path(root, Path::new("/repo/ci/policy.toml")),
            "ci/policy.toml"
        );
        assert_eq!(display_path(root, Path::new("/etc/p.toml")), "/etc/p.toml");
        assert_eq!(display_path(Path::new("."), Path::new("p.toml")), "p.toml");
    }
}
