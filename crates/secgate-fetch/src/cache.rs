//! Where secgate keeps fetched data, and the small file helpers every writer into it shares.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::FetchError;

/// Where secgate keeps fetched data: `$SECGATE_CACHE`, else the platform cache directory
/// followed by `secgate`: `$XDG_CACHE_HOME` (when absolute), else `$HOME/.cache` on Linux and
/// other Unix systems; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows.
pub fn default_cache_dir() -> Result<PathBuf, FetchError> {
    cache_dir_from(|name| std::env::var_os(name)).ok_or(FetchError::NoCacheDir)
}

fn cache_dir_from(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let var = |name: &str| {
        var(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("SECGATE_CACHE") {
        return Some(dir);
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        var("HOME")?.join("Library/Caches")
    } else {
        match var("XDG_CACHE_HOME").filter(|dir| dir.is_absolute()) {
            Some(dir) => dir,
            None => var("HOME")?.join(".cache"),
        }
    };
    Some(base.join("secgate"))
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees half a file.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FetchError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| FetchError::io(dir, e))?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    fs::write(&tmp, bytes).map_err(|e| FetchError::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        FetchError::io(path, e)
    })
}

/// Removes a directory tree; a directory that is already gone is not an error.
pub(crate) fn remove_tree(path: &Path) -> Result<(), FetchError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(FetchError::io(path, e)),
        _ => Ok(()),
    }
}

/// Recreates the tree `from` at `to` with hard links (copies where linking fails, e.g. across
/// file systems). Used to carry unchanged data from the installed database into staging.
pub(crate) fn link_tree(from: &Path, to: &Path) -> Result<(), FetchError> {
    fs::create_dir_all(to).map_err(|e| FetchError::io(to, e))?;
    for entry in fs::read_dir(from).map_err(|e| FetchError::io(from, e))? {
        let entry = entry.map_err(|e| FetchError::io(from, e))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().map_err(|e| FetchError::io(&source, e))?;
        if kind.is_dir() {
            link_tree(&source, &target)?;
        } else if kind.is_file() {
            link_file(&source, &target)?;
        }
    }
    Ok(())
}

/// Hard-links `from` to `to`, copying when linking is not possible.
pub(crate) fn link_file(from: &Path, to: &Path) -> Result<(), FetchError> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir).map_err(|e| FetchError::io(dir, e))?;
    }
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to).map_err(|e| FetchError::io(to, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    #[test]
    fn secgate_cache_wins() {
        let vars = [("SECGATE_CACHE", "/tmp/sg"), ("HOME", "/home/u")];
        assert_eq!(cache_dir_from(env(&vars)), Some(PathBuf::from("/tmp/sg")));
    }

    #[test]
    fn empty_values_are_unset() {
        let vars = [("SECGATE_CACHE", ""), ("HOME", "")];
        assert_eq!(cache_dir_from(env(&vars)), None);
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn xdg_then_home_on_unix() {
        let vars = [("XDG_CACHE_HOME", "/x"), ("HOME", "/home/u")];
        assert_eq!(
            cache_dir_from(env(&vars)),
            Some(PathBuf::from("/x/secgate"))
        );
        let relative = [("XDG_CACHE_HOME", "rel"), ("HOME", "/home/u")];
        assert_eq!(
            cache_dir_from(env(&relative)),
            Some(PathBuf::from("/home/u/.cache/secgate"))
        );
        assert_eq!(cache_dir_from(env(&[])), None);
    }

    #[test]
    fn atomic_write_and_link_tree() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/c.json");
        write_atomic(&file, b"{}").unwrap();
        write_atomic(&file, b"[]").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"[]");
        assert_eq!(fs::read_dir(file.parent().unwrap()).unwrap().count(), 1);
        link_tree(&dir.path().join("a"), &dir.path().join("copy")).unwrap();
        assert_eq!(fs::read(dir.path().join("copy/b/c.json")).unwrap(), b"[]");
        remove_tree(&dir.path().join("copy")).unwrap();
        remove_tree(&dir.path().join("copy")).unwrap();
    }
}
