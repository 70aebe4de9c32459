//! Licence discovery: what licence each locked Rust package has, read from its own `Cargo.toml`
//! in the sources Cargo already downloaded, without running `cargo metadata`.
//!
//! Where each package's source is:
//!
//! | source | where | how it is found |
//! |---|---|---|
//! | crates.io, other registries | `$CARGO_HOME/registry/src/<index-dir>/<name>-<version>/` | every index dir is listed once into a map (`cache.rs`) |
//! | git | `$CARGO_HOME/git/checkouts/<repo>-<hash>/<short-rev>/` | the checkout is walked for the manifest with that name and version (`tree.rs`) |
//! | workspace member, path dependency | the repository | the repository is walked once for manifests; `license.workspace = true` is read from the workspace root (`tree.rs`) |
//!
//! From the manifest come `license` (the declared expression, as written) and `license-file`
//! (`manifest.rs`). Every licence file of the package (`license-file`, `LICENSE*`, `LICENCE*`,
//! `COPYING*`) is hashed with sha256 (`files.rs`), so clarifications can be pinned to a text.
//! When the manifest declares no `license`, the licence is recognized from the text of the
//! `license-file`, or of every licence file when there is none (`detect.rs`); a match below
//! [`DiscoverOptions::threshold`] is not a detection.
//!
//! A package whose source is not on disk is not an error: it is listed in
//! [`Discovery::missing`] so the caller can name it and offer [`cargo_fetch`]. Manifests are
//! parsed in parallel, and licence texts are only matched for packages that need it.

mod cache;
mod detect;
mod error;
mod fetch;
mod files;
mod graph;
mod manifest;
mod parallel;
mod tree;

pub use error::DiscoverError;
pub use fetch::{cargo_fetch, cargo_fetch_into};
pub use graph::{GraphOptions, built_crates};

use cache::{GitCheckouts, RegistryCache};
use error::io_error;
use files::license_files;
use manifest::{Field, parse_package_table};
use secgate_core::{Package, PackageSource};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tree::{ManifestTree, TreePackage, inherit};

/// The default [`DiscoverOptions::threshold`]: the score a licence text must reach to count as
/// recognized (cargo-deny's default too).
pub const DEFAULT_THRESHOLD: f32 = 0.8;

/// What was found for one locked package.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovered {
    /// Package name.
    pub name: String,
    /// Locked version.
    pub version: String,
    /// `license` as written in the manifest (or in `[workspace.package]` when inherited);
    /// `None` when absent or blank.
    pub license: Option<String>,
    /// `license-file`, relative to the package root, `/`-separated.
    pub license_file: Option<String>,
    /// The licence recognized from the licence text, only when `license` is absent: from the
    /// `license-file`, or else from every licence file; when several files are recognized,
    /// their distinct ids joined with ` AND `, the lowest confidence, and the first file.
    pub detected: Option<Detected>,
    /// Each licence file recognized (at or above the threshold), by path; what `detected`
    /// combines.
    pub detections: Vec<Detected>,
    /// Every licence file found: (path relative to the package root, `/`-separated; lower-case
    /// sha256 hex of its bytes), sorted by path.
    pub files: Vec<(String, String)>,
    /// The manifest read; `None` when the package's source is missing.
    pub manifest: Option<PathBuf>,
}

/// A licence recognized from a licence file's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Detected {
    /// SPDX expression: one id per file (`MIT`), ids joined with ` AND ` when combined.
    pub expression: String,
    /// Match score, 0.0 to 1.0.
    pub confidence: f32,
    /// The file, relative to the package root.
    pub file: String,
}

/// Where to look, and how sure a text match must be.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscoverOptions {
    /// Cargo's home: `registry/src` and `git/checkouts` are read below it.
    pub cargo_home: PathBuf,
    /// The repository, walked for the manifests of workspace members and path dependencies.
    pub repo_root: PathBuf,
    /// Minimum score (0.0 to 1.0) of a licence text match; [`DEFAULT_THRESHOLD`] by default.
    pub threshold: f32,
    /// Where licence text detections are remembered by the text's sha256 (see
    /// `detect_cached`); `None` analyses every text each run.
    pub detection_cache: Option<PathBuf>,
}

impl DiscoverOptions {
    /// Options for `repo_root` with the given Cargo home and the default threshold.
    pub fn new(cargo_home: impl Into<PathBuf>, repo_root: impl Into<PathBuf>) -> Self {
        DiscoverOptions {
            cargo_home: cargo_home.into(),
            repo_root: repo_root.into(),
            threshold: DEFAULT_THRESHOLD,
            detection_cache: None,
        }
    }

    /// Options for `repo_root` with Cargo's home as Cargo finds it: `$CARGO_HOME`, else
    /// `.cargo` in the home directory (`$HOME`, or `%USERPROFILE%` on Windows).
    pub fn from_env(repo_root: &Path) -> Self {
        let non_empty = |key: &str| std::env::var_os(key).filter(|v| !v.is_empty());
        let cargo_home = non_empty("CARGO_HOME").map_or_else(
            || {
                non_empty("HOME")
                    .or_else(|| non_empty("USERPROFILE"))
                    .map_or_else(
                        || PathBuf::from(".cargo"),
                        |h| PathBuf::from(h).join(".cargo"),
                    )
            },
            PathBuf::from,
        );
        DiscoverOptions::new(cargo_home, repo_root)
    }
}

/// The result of [`discover`].
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// One entry per input package, in input order (empty fields for a missing source).
    pub found: Vec<Discovered>,
    /// (name, version) of each package whose source is not on disk: a registry package not
    /// extracted in the cache, a git dependency not checked out, or a local package whose
    /// manifest is not under the repository root. Input order.
    pub missing: Vec<(String, String)>,
}

/// Finds the licence information of each package. See the module documentation.
pub fn discover(packages: &[&Package], opts: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    let sources = Sources::load(packages, opts)?;
    let results = parallel::map_items(packages, |package| match sources.locate(package)? {
        Some(located) => describe(package, located, opts).map(Some),
        None => Ok(None),
    });
    let mut discovery = Discovery {
        found: Vec::with_capacity(packages.len()),
        missing: Vec::new(),
    };
    for (package, result) in packages.iter().zip(results) {
        if let Some(found) = result? {
            discovery.found.push(found);
        } else {
            discovery
                .missing
                .push((package.name.clone(), package.version.clone()));
            discovery.found.push(Discovered {
                name: package.name.clone(),
                version: package.version.clone(),
                license: None,
                license_file: None,
                detected: None,
                detections: Vec::new(),
                files: Vec::new(),
                manifest: None,
            });
        }
    }
    Ok(discovery)
}

/// Everything listed or walked before the per-package work: only what the packages need.
struct Sources {
    registry: RegistryCache,
    repo: Option<ManifestTree>,
    /// Checkout trees by checkout directory.
    git_trees: HashMap<PathBuf, ManifestTree>,
    /// Candidate checkouts by (repository URL, locked commit).
    git_candidates: HashMap<(String, Option<String>), Vec<PathBuf>>,
}

fn is_registry(source: &PackageSource) -> bool {
    matches!(
        source,
        PackageSource::DefaultRegistry | PackageSource::Registry(_)
    )
}

impl Sources {
    fn load(packages: &[&Package], opts: &DiscoverOptions) -> Result<Sources, DiscoverError> {
        let any = |f: fn(&PackageSource) -> bool| packages.iter().any(|p| f(&p.source));
        let registry = if any(is_registry) {
            RegistryCache::load(&opts.cargo_home)?
        } else {
            RegistryCache::default()
        };
        let repo = if any(|s| matches!(s, PackageSource::Local)) {
            let root = opts
                .repo_root
                .canonicalize()
                .map_err(io_error(&opts.repo_root))?;
            Some(ManifestTree::load(&root)?)
        } else {
            None
        };
        let mut git_trees = HashMap::new();
        let mut git_candidates = HashMap::new();
        if any(|s| matches!(s, PackageSource::Git { .. })) {
            let checkouts = GitCheckouts::load(&opts.cargo_home)?;
            for package in packages {
                let PackageSource::Git { url, rev } = &package.source else {
                    continue;
                };
                let key = (url.clone(), rev.clone());
                if git_candidates.contains_key(&key) {
                    continue;
                }
                let candidates = checkouts.candidates(url, rev.as_deref())?;
                for dir in &candidates {
                    if !git_trees.contains_key(dir) {
                        git_trees.insert(dir.clone(), ManifestTree::load(dir)?);
                    }
                }
                git_candidates.insert(key, candidates);
            }
        }
        Ok(Sources {
            registry,
            repo,
            git_trees,
            git_candidates,
        })
    }

    /// The manifest of `package` and its licence keys; `None` when its source is missing.
    fn locate(&self, package: &Package) -> Result<Option<TreePackage>, DiscoverError> {
        match &package.source {
            PackageSource::DefaultRegistry | PackageSource::Registry(_) => {
                for dir in
                    self.registry
                        .candidates(&package.name, &package.version, &package.source)
                {
                    if let Some(found) = read_registry_manifest(dir, package)? {
                        return Ok(Some(found));
                    }
                }
                Ok(None)
            }
            PackageSource::Local => match &self.repo {
                Some(repo) => repo.find(&package.name, &package.version),
                None => Ok(None),
            },
            PackageSource::Git { url, rev } => {
                let key = (url.clone(), rev.clone());
                for dir in self.git_candidates.get(&key).into_iter().flatten() {
                    if let Some(found) =
                        self.git_trees[dir].find(&package.name, &package.version)?
                    {
                        return Ok(Some(found));
                    }
                }
                Ok(None)
            }
        }
    }
}

/// Reads the manifest of an extracted registry package and checks that it is the package's.
fn read_registry_manifest(
    dir: &Path,
    package: &Package,
) -> Result<Option<TreePackage>, DiscoverError> {
    let path = dir.join("Cargo.toml");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        // An interrupted extraction, or a stray entry: not this package's source.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(io_error(&path)(e)),
    };
    let manifest = parse_package_table(&text, &path)?;
    let Some(keys) = &manifest.package else {
        return Err(DiscoverError::Manifest {
            path,
            line: 1,
            column: 1,
            span: 0..0,
            message: "a registry package's manifest has no `[package]` table".to_owned(),
        });
    };
    // Published manifests are normalized: nothing is inherited, so no workspace root is needed.
    let version = inherit(&manifest, &keys.version, None, "version")?.unwrap_or_default();
    if keys.name != package.name || version != package.version {
        return Err(DiscoverError::ManifestMismatch {
            path,
            expected_name: package.name.clone(),
            expected_version: package.version.clone(),
            found_name: keys.name.clone(),
            found_version: version,
        });
    }
    let license = inherit(&manifest, &keys.license, None, "license")?;
    let license_file = match &keys.license_file {
        Field::Absent => None,
        field => inherit(&manifest, field, None, "license-file")?,
    };
    Ok(Some(TreePackage {
        manifest: path,
        license,
        license_file,
    }))
}

/// Hashes the licence files of a located package, and recognizes its licence when it declares
/// none.
fn describe(
    package: &Package,
    located: TreePackage,
    opts: &DiscoverOptions,
) -> Result<Discovered, DiscoverError> {
    let dir = located.manifest.parent().unwrap_or(Path::new("."));
    let files = license_files(dir, located.license_file.as_deref())?;
    // `license = ""` declares nothing (cargo-deny reads it so too).
    let license = located.license.filter(|l| !l.trim().is_empty());
    let mut detections = Vec::new();
    if license.is_none() {
        let declared = located.license_file.is_some();
        for file in files.iter().filter(|f| f.declared || !declared) {
            let text = String::from_utf8_lossy(&file.bytes);
            let cache = opts.detection_cache.as_deref();
            if let Some(found) = detect::detect_cached(&text, &file.sha256, opts.threshold, cache) {
                detections.push(Detected {
                    expression: found.id.to_owned(),
                    confidence: found.score,
                    file: file.relative.clone(),
                });
            }
        }
    }
    Ok(Discovered {
        name: package.name.clone(),
        version: package.version.clone(),
        license,
        license_file: located.license_file,
        detected: combine(&detections),
        detections,
        files: files.into_iter().map(|f| (f.relative, f.sha256)).collect(),
        manifest: Some(located.manifest),
    })
}

/// One [`Detected`] for all files: distinct ids with ` AND `, the lowest confidence, the first
/// file.
fn combine(detections: &[Detected]) -> Option<Detected> {
    let first = detections.first()?;
    let mut ids: Vec<&str> = Vec::new();
    for d in detections {
        if !ids.contains(&d.expression.as_str()) {
            ids.push(&d.expression);
        }
    }
    Some(Detected {
        expression: ids.join(" AND "),
        confidence: detections
            .iter()
            .map(|d| d.confidence)
            .fold(f32::INFINITY, f32::min),
        file: first.file.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(expression: &str, confidence: f32, file: &str) -> Detected {
        Detected {
            expression: expression.into(),
            confidence,
            file: file.into(),
        }
    }

    #[test]
    fn combined_detection_ands_distinct_ids() {
        assert_eq!(combine(&[]), None);
        let all = [
            detected("Apache-2.0", 0.97, "LICENSE-APACHE"),
            detected("MIT", 0.99, "LICENSE-MIT"),
            detected("MIT", 0.91, "LICENSE-MIT.txt"),
        ];
        assert_eq!(
            combine(&all),
            Some(detected("Apache-2.0 AND MIT", 0.91, "LICENSE-APACHE"))
        );
    }

    #[test]
    fn options_default_threshold() {
        let opts = DiscoverOptions::new("/h/.cargo", "/r");
        assert!((opts.threshold - 0.8).abs() < f32::EPSILON);
        assert_eq!(opts.cargo_home, Path::new("/h/.cargo"));
        // The environment decides the home; the repository root is kept as given.
        assert_eq!(
            DiscoverOptions::from_env(Path::new("/r")).repo_root,
            Path::new("/r")
        );
    }
}
