//! Where Cargo keeps downloaded sources under `$CARGO_HOME`:
//!
//! - registry packages: `registry/src/<index-dir>/<name>-<version>/`, where `<index-dir>` is
//!   `<host>-<hash>`: `index.crates.io-1949cf8c6b5b557f` for crates.io's sparse index,
//!   `github.com-1ecc6299db9ec823` for its git index, another host for another registry or a
//!   mirror that replaces crates.io. [`RegistryCache::load`] lists every index dir once (one
//!   `read_dir` each) into a map from `<name>-<version>` to the directories that hold it;
//! - git dependencies: `git/checkouts/<repo>-<hash>/<short-rev>/`, `<repo>` being the last
//!   segment of the URL and `<short-rev>` the locked commit abbreviated (7 hex digits unless
//!   that is ambiguous in the repository).
//!   [`GitCheckouts::candidates`] lists the checkouts that may hold a package.

use super::DiscoverError;
use super::error::io_error;
use secgate_core::PackageSource;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Index dirs of crates.io: the sparse index, and the git index.
fn is_crates_io_dir(name: &str) -> bool {
    name.starts_with("index.crates.io-") || name == "github.com-1ecc6299db9ec823"
}

/// The extracted registry sources.
#[derive(Debug, Default)]
pub(super) struct RegistryCache {
    /// Index dir names, sorted.
    index_dirs: Vec<String>,
    /// `<name>-<version>` → (position in `index_dirs`, package directory).
    packages: HashMap<String, Vec<(usize, PathBuf)>>,
}

impl RegistryCache {
    /// Lists `<cargo_home>/registry/src`; an absent directory is an empty cache.
    pub fn load(cargo_home: &Path) -> Result<RegistryCache, DiscoverError> {
        let src = cargo_home.join("registry").join("src");
        let mut cache = RegistryCache::default();
        let Some(entries) = read_dir_if_exists(&src)? else {
            return Ok(cache);
        };
        let mut index_dirs: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error(&src))?;
            if entry.path().is_dir() {
                index_dirs.push((
                    entry.file_name().to_string_lossy().into_owned(),
                    entry.path(),
                ));
            }
        }
        index_dirs.sort_unstable();
        for (i, (_, dir)) in index_dirs.iter().enumerate() {
            for entry in fs::read_dir(dir).map_err(io_error(dir))? {
                let entry = entry.map_err(io_error(dir))?;
                if let Ok(name) = entry.file_name().into_string() {
                    cache
                        .packages
                        .entry(name)
                        .or_default()
                        .push((i, entry.path()));
                }
            }
        }
        cache.index_dirs = index_dirs.into_iter().map(|(name, _)| name).collect();
        Ok(cache)
    }

    /// How many package directories the cache holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.packages.values().map(Vec::len).sum()
    }

    /// Directories that may hold `name`@`version` from `source`, best first: for crates.io its
    /// own index dirs, then any other (a mirror replacing crates.io); for another registry the
    /// dirs of its host, then any that is not crates.io's.
    pub fn candidates(&self, name: &str, version: &str, source: &PackageSource) -> Vec<&Path> {
        let Some(found) = self.packages.get(&format!("{name}-{version}")) else {
            return Vec::new();
        };
        let mut ranked: Vec<(u8, &Path)> = found
            .iter()
            .filter_map(|(i, path)| {
                let dir = self.index_dirs[*i].as_str();
                let rank = match source {
                    PackageSource::Registry(url) => {
                        let host = registry_host(url);
                        if dir.rsplit_once('-').is_some_and(|(h, _)| h == host) {
                            0
                        } else if is_crates_io_dir(dir) {
                            return None;
                        } else {
                            1
                        }
                    }
                    _ => u8::from(!is_crates_io_dir(dir)),
                };
                Some((rank, path.as_path()))
            })
            .collect();
        ranked.sort_by_key(|(rank, _)| *rank);
        ranked.into_iter().map(|(_, path)| path).collect()
    }
}

/// The host of a registry index URL (`sparse+https://host/...`, `https://host:port/...`).
fn registry_host(url: &str) -> &str {
    let url = url.strip_prefix("sparse+").unwrap_or(url);
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or(host)
}

/// The git checkouts.
#[derive(Debug, Default)]
pub(super) struct GitCheckouts {
    /// (checkout dir name, path), sorted.
    dirs: Vec<(String, PathBuf)>,
}

impl GitCheckouts {
    /// Lists `<cargo_home>/git/checkouts`; an absent directory has no checkouts.
    pub fn load(cargo_home: &Path) -> Result<GitCheckouts, DiscoverError> {
        let root = cargo_home.join("git").join("checkouts");
        let mut dirs = Vec::new();
        if let Some(entries) = read_dir_if_exists(&root)? {
            for entry in entries {
                let entry = entry.map_err(io_error(&root))?;
                dirs.push((
                    entry.file_name().to_string_lossy().into_owned(),
                    entry.path(),
                ));
            }
        }
        dirs.sort_unstable();
        Ok(GitCheckouts { dirs })
    }

    /// Checked-out revisions that may hold a package of the repository at `url`: the directory
    /// named by the locked commit's abbreviation, or every revision when the lockfile has no
    /// commit.
    pub fn candidates(&self, url: &str, rev: Option<&str>) -> Result<Vec<PathBuf>, DiscoverError> {
        let repo = repo_name(url);
        let mut found = Vec::new();
        for (name, path) in &self.dirs {
            if name.rsplit_once('-').is_none_or(|(r, _)| r != repo) {
                continue;
            }
            for entry in fs::read_dir(path).map_err(io_error(path))? {
                let entry = entry.map_err(io_error(path))?;
                let name = entry.file_name();
                let name = name.to_string_lossy();
                // Git abbreviates to at least 7 digits, more when 7 are ambiguous.
                let wanted = rev.is_none_or(|rev| name.len() >= 7 && rev.starts_with(&*name));
                if wanted && entry.path().is_dir() {
                    found.push(entry.path());
                }
            }
        }
        found.sort_unstable();
        Ok(found)
    }
}

/// The name Cargo gives a repository's checkout directory: the URL's last path segment without
/// `.git` (`_empty` when there is none).
fn repo_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let name = last.strip_suffix(".git").unwrap_or(last);
    if name.is_empty() { "_empty" } else { name }
}

fn read_dir_if_exists(dir: &Path) -> Result<Option<fs::ReadDir>, DiscoverError> {
    match fs::read_dir(dir) {
        Ok(entries) => Ok(Some(entries)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(dir)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_hosts_and_repo_names() {
        assert_eq!(
            registry_host("sparse+https://cargo.example.com/api/v1/crates/"),
            "cargo.example.com"
        );
        assert_eq!(
            registry_host("https://git.example.com:8443/index"),
            "git.example.com"
        );
        assert_eq!(repo_name("https://github.com/illumos/smf-rs"), "smf-rs");
        assert_eq!(repo_name("https://github.com/a/b.git?branch=main"), "b");
        assert_eq!(repo_name("https://github.com/a/b/"), "b");
    }

    #[test]
    fn crates_io_dirs_rank_first_and_other_registries_never_use_them() {
        let home = tempfile::tempdir().unwrap();
        let src = home.path().join("registry/src");
        for index in [
            "index.crates.io-1949cf8c6b5b557f",
            "mirror.example.com-0123456789abcdef",
            "cargo.example.com-fedcba9876543210",
        ] {
            fs::create_dir_all(src.join(index).join("a-1.0.0")).unwrap();
        }
        let cache = RegistryCache::load(home.path()).unwrap();
        assert_eq!(cache.len(), 3);
        let dirs = |source: &PackageSource| -> Vec<String> {
            cache
                .candidates("a", "1.0.0", source)
                .iter()
                .map(|p| {
                    p.parent()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(
            dirs(&PackageSource::DefaultRegistry)[0],
            "index.crates.io-1949cf8c6b5b557f"
        );
        assert_eq!(dirs(&PackageSource::DefaultRegistry).len(), 3);
        assert_eq!(
            dirs(&PackageSource::Registry(
                "sparse+https://cargo.example.com/index/".into()
            )),
            [
                "cargo.example.com-fedcba9876543210",
                "mirror.example.com-0123456789abcdef"
            ]
        );
        assert!(
            cache
                .candidates("a", "2.0.0", &PackageSource::DefaultRegistry)
                .is_empty()
        );
        // No cache at all is an empty cache.
        assert_eq!(
            RegistryCache::load(&home.path().join("none"))
                .unwrap()
                .len(),
            0
        );
    }
}
