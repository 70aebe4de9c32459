//! Packages built from a source tree rather than a registry archive: workspace members and path
//! dependencies (the repository), and git dependencies (a checkout under
//! `$CARGO_HOME/git/checkouts`).
//!
//! [`ManifestTree::load`] walks the tree once for every `Cargo.toml` (skipping `target`,
//! `node_modules` and hidden directories such as `.git`, never following symlinks) and parses
//! them in parallel. [`ManifestTree::find`] then picks the manifest whose `[package] name` and
//! version match a locked package and resolves what it inherits from its workspace root
//! (`license.workspace = true` reads `[workspace.package] license`): the root is the directory
//! `package.workspace` names, else the nearest ancestor manifest with a `[workspace]` table, as
//! Cargo finds it.
//!
//! A manifest that does not parse is not an error by itself (repositories keep broken
//! manifests as test fixtures); it becomes one when a locked package is not found and that
//! manifest mentions the package's name, since it is probably the package's own manifest.

use super::DiscoverError;
use super::error::io_error;
use super::files::{normalize, relative_to};
use super::manifest::{Field, Manifest, parse_manifest};
use super::parallel::map_items;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

const MANIFEST: &str = "Cargo.toml";
/// How many directory levels below the root the walk descends.
const MAX_DEPTH: usize = 32;
/// Directories never walked (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];
/// Version of a package whose manifest has none (Cargo's default since 1.75).
const DEFAULT_VERSION: &str = "0.0.0";

/// A package found in a tree, with its inherited keys resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct TreePackage {
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// `license`, from the manifest or its workspace root.
    pub license: Option<String>,
    /// `license-file` relative to the package root.
    pub license_file: Option<String>,
}

/// Every manifest of one tree.
#[derive(Debug)]
pub(super) struct ManifestTree {
    /// Parsed manifests.
    manifests: Vec<Manifest>,
    /// Index into `manifests` by package root directory.
    by_dir: HashMap<PathBuf, usize>,
    /// Manifests that did not parse, with their text (re-parsed to report the error).
    broken: Vec<(PathBuf, String)>,
}

impl ManifestTree {
    /// Walks `root` and parses every manifest in it.
    pub fn load(root: &Path) -> Result<ManifestTree, DiscoverError> {
        let mut paths = Vec::new();
        let mut stack = vec![(root.to_owned(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            for entry in fs::read_dir(&dir).map_err(io_error(&dir))? {
                let entry = entry.map_err(io_error(&dir))?;
                let file_type = entry.file_type().map_err(io_error(&entry.path()))?;
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if file_type.is_dir() {
                    let skipped = name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref());
                    if depth < MAX_DEPTH && !skipped {
                        stack.push((entry.path(), depth + 1));
                    }
                } else if file_type.is_file() && name == MANIFEST {
                    paths.push(entry.path());
                }
            }
        }
        paths.sort_unstable();
        let parsed = map_items(&paths, |path| {
            let text = fs::read_to_string(path).map_err(io_error(path))?;
            Ok::<_, DiscoverError>(match parse_manifest(&text, path) {
                Ok(manifest) => Ok(manifest),
                Err(_) => Err((path.clone(), text)),
            })
        });
        let mut tree = ManifestTree {
            manifests: Vec::with_capacity(paths.len()),
            by_dir: HashMap::with_capacity(paths.len()),
            broken: Vec::new(),
        };
        for result in parsed {
            match result? {
                Ok(manifest) => {
                    tree.by_dir
                        .insert(manifest.dir().to_owned(), tree.manifests.len());
                    tree.manifests.push(manifest);
                }
                Err(broken) => tree.broken.push(broken),
            }
        }
        Ok(tree)
    }

    /// The package `name`@`version` of this tree; `Ok(None)` when no manifest matches.
    pub fn find(&self, name: &str, version: &str) -> Result<Option<TreePackage>, DiscoverError> {
        let mut found: Option<(&Manifest, Option<Cow<'_, Manifest>>)> = None;
        // A copy whose version cannot be resolved is an error only if no other copy matches.
        let mut unresolved = None;
        for manifest in &self.manifests {
            let Some(package) = manifest.package.as_ref().filter(|p| p.name == name) else {
                continue;
            };
            let resolved = self.workspace_root(manifest).and_then(|root| {
                let own = inherit(manifest, &package.version, root.as_deref(), "version")?;
                Ok((root, own))
            });
            let (root, own_version) = match resolved {
                Ok(resolved) => resolved,
                Err(e) => {
                    unresolved.get_or_insert(e);
                    continue;
                }
            };
            if own_version.as_deref().unwrap_or(DEFAULT_VERSION) != version {
                continue;
            }
            // Several copies (vendored, fixtures): the shallowest path wins, then the first.
            let better = found.as_ref().is_none_or(|(best, _)| {
                manifest.path.components().count() < best.path.components().count()
            });
            if better {
                found = Some((manifest, root));
            }
        }
        let Some((manifest, root)) = found else {
            return match unresolved {
                Some(e) => Err(e),
                None => self.broken_mentioning(name),
            };
        };
        let package = manifest.package.as_ref().expect("matched on the package");
        let license = inherit(manifest, &package.license, root.as_deref(), "license")?;
        let license_file = match &package.license_file {
            Field::Inherited { .. } => {
                let file = inherit(
                    manifest,
                    &package.license_file,
                    root.as_deref(),
                    "license-file",
                )?
                .expect("inherit returns a value or an error");
                let root_dir = root.as_deref().map_or(Path::new("."), Manifest::dir);
                Some(relative_to(
                    &normalize(&root_dir.join(file)),
                    &normalize(manifest.dir()),
                ))
            }
            Field::Value(file) => Some(file.clone()),
            Field::Absent => None,
        };
        Ok(Some(TreePackage {
            manifest: manifest.path.clone(),
            license,
            license_file,
        }))
    }

    /// The error of a broken manifest that mentions `"name"`, if there is one.
    fn broken_mentioning(&self, name: &str) -> Result<Option<TreePackage>, DiscoverError> {
        let quoted = format!("\"{name}\"");
        match self.broken.iter().find(|(_, text)| text.contains(&quoted)) {
            Some((path, text)) => Err(parse_manifest(text, path)
                .expect_err("the manifest failed to parse when the tree was loaded")),
            None => Ok(None),
        }
    }

    /// The workspace root manifest of `member`: the directory `package.workspace` names, else
    /// the nearest ancestor (or the member itself) with a `[workspace]` table. Manifests outside
    /// the tree are read from disk.
    fn workspace_root(
        &self,
        member: &Manifest,
    ) -> Result<Option<Cow<'_, Manifest>>, DiscoverError> {
        let explicit = member.package.as_ref().and_then(|p| p.workspace.as_deref());
        if let Some(dir) = explicit {
            let dir = normalize(&member.dir().join(dir));
            return self.manifest_in(&dir);
        }
        for dir in member.dir().ancestors() {
            if let Some(manifest) = self.manifest_in(dir)?
                && manifest.workspace.is_some()
            {
                return Ok(Some(manifest));
            }
        }
        Ok(None)
    }

    fn manifest_in(&self, dir: &Path) -> Result<Option<Cow<'_, Manifest>>, DiscoverError> {
        if let Some(&i) = self.by_dir.get(dir) {
            return Ok(Some(Cow::Borrowed(&self.manifests[i])));
        }
        let path = dir.join(MANIFEST);
        if self.broken.iter().any(|(p, _)| *p == path) || !path.is_file() {
            return Ok(None);
        }
        let text = fs::read_to_string(&path).map_err(io_error(&path))?;
        parse_manifest(&text, &path).map(|m| Some(Cow::Owned(m)))
    }
}

/// The value of `field` of `member`, reading `[workspace.package] key` of `root` when inherited.
pub(super) fn inherit(
    member: &Manifest,
    field: &Field,
    root: Option<&Manifest>,
    key: &'static str,
) -> Result<Option<String>, DiscoverError> {
    match field {
        Field::Absent => Ok(None),
        Field::Value(value) => Ok(Some(value.clone())),
        Field::Inherited { line, column, span } => {
            let keys = root.and_then(|r| r.workspace.as_ref());
            let value = keys.and_then(|k| match key {
                "version" => k.version.clone(),
                "license" => k.license.clone(),
                _ => k.license_file.clone(),
            });
            value.map(Some).ok_or_else(|| DiscoverError::Inheritance {
                path: member.path.clone(),
                line: *line,
                column: *column,
                span: span.clone(),
                key,
            })
        }
    }
}
