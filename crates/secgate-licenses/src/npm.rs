//! npm licence discovery: what licence each locked npm package declares, without the network.
//!
//! | where | what it holds |
//! |---|---|
//! | `package-lock.json` v2/v3 `packages[key].license` | npm ≥ 7 copies each package's `license` into its entry |
//! | `<lockfile dir>/<key>/package.json` | the installed package (npm's key is its install path) |
//! | `node_modules/<name>/package.json`, pnpm's `node_modules/.pnpm/<name>@<version>/node_modules/<name>/` | installed packages for yarn, pnpm and lockfileVersion 1 |
//!
//! A package-lock that records a licence for any entry records them for all: an entry without
//! one is a package that declares none (`license-missing`), unless its installed `package.json`
//! says otherwise. A lockfile that records no licences at all (yarn, pnpm, lockfileVersion 1,
//! or an npm 6 upgrade) leaves a package *unrecorded* when it is not installed either: the
//! caller must not pass it (the gate did not check it).
//!
//! `license` is an SPDX expression; the legacy forms npm still accepts are read too: an object
//! `{ "type": "MIT" }`, and a `licenses` array of those, which means any of them (`OR`).

use crate::evaluate::LicenseSource;
use secgate_core::{Package, PackageSource};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What discovery found for one package.
#[derive(Clone, Debug, PartialEq)]
pub enum NpmLicense {
    /// The licence is known: declared, or known to be missing.
    Known(LicenseSource),
    /// Nothing local records it: the lockfile carries no licences and the package is not
    /// installed.
    Unrecorded,
    /// A workspace folder or `file:` package of the project itself that is private or whose
    /// `package.json` is not in the tree: the project's own code, not a dependency.
    Own,
}

/// What discovery found for each package, in the order of the packages given.
#[derive(Debug, Default)]
pub struct NpmDiscovery {
    /// One entry per package.
    pub found: Vec<NpmLicense>,
}

impl NpmDiscovery {
    /// The packages (by index) whose licence nothing local records.
    pub fn unrecorded(&self) -> impl Iterator<Item = usize> + '_ {
        self.found
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == NpmLicense::Unrecorded)
            .map(|(i, _)| i)
    }
}

/// One npm lockfile: its path relative to the root (as packages' locations name it) and text.
#[derive(Clone, Copy, Debug)]
pub struct NpmLockfile<'a> {
    /// `/`-separated path relative to `root`.
    pub path: &'a str,
    /// The lockfile's text.
    pub text: &'a str,
}

/// The licence of every package in `packages` (npm packages of the given lockfiles), from the
/// lockfiles and the installed `node_modules` below `root`.
pub fn discover_npm(
    root: &Path,
    lockfiles: &[NpmLockfile<'_>],
    packages: &[&Package],
) -> NpmDiscovery {
    let recorded: HashMap<&str, Recorded> = lockfiles
        .iter()
        .filter(|l| is_package_lock(l.path))
        .map(|l| (l.path, Recorded::read(l.text)))
        .collect();
    let found = packages
        .iter()
        .map(|package| {
            let path = package.location.path.as_str();
            let lock_dir = root.join(Path::new(path).parent().unwrap_or(Path::new("")));
            let key = lockfiles
                .iter()
                .find(|l| l.path == path && is_package_lock(l.path))
                .and_then(|l| entry_key(l.text, package));
            let recorded = recorded.get(path);
            if let (Some(recorded), Some(key)) = (recorded, key.as_deref())
                && let Some(Some(expression)) = recorded.licenses.get(key)
            {
                return NpmLicense::Known(LicenseSource::Declared {
                    expression: expression.clone(),
                });
            }
            if package.source == PackageSource::Local {
                return own(&lock_dir, key.as_deref(), package);
            }
            let installed = installed_manifests(&lock_dir, key.as_deref(), package)
                .into_iter()
                .find_map(|manifest| read_manifest(&manifest, Some(&package.version)));
            match installed {
                Some(manifest) => NpmLicense::Known(manifest.source()),
                None if recorded.is_some_and(|r| r.any) && key.is_some() => {
                    NpmLicense::Known(LicenseSource::Missing)
                }
                None => NpmLicense::Unrecorded,
            }
        })
        .collect();
    NpmDiscovery { found }
}

/// A package of the project itself: judged when its `package.json` is in the tree and it is
/// published (or declares a licence anyway).
fn own(lock_dir: &Path, key: Option<&str>, package: &Package) -> NpmLicense {
    let folder = key
        .or_else(|| package.version.strip_prefix("file:"))
        .or_else(|| package.version.strip_prefix("link:"))
        .filter(|f| safe_relative(f));
    let manifest = folder.and_then(|f| read_manifest(&lock_dir.join(f).join("package.json"), None));
    match manifest {
        Some(m) if m.license.is_some() || !m.private => NpmLicense::Known(m.source()),
        _ => NpmLicense::Own,
    }
}

/// The project an npm lockfile locks, as its `package.json` beside the lockfile declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct NpmProject {
    /// The `package.json`, relative to the root, `/`-separated.
    pub path: String,
    /// `name` (empty when absent).
    pub name: String,
    /// `version` (empty when absent).
    pub version: String,
    /// The declared licence.
    pub license: Option<String>,
    /// 1-based line of the `license` key, else 1.
    pub line: u32,
}

/// The project beside `lockfile` (a root-relative path), when its `package.json` is readable
/// and the project is published or declares a licence: a private project without a licence
/// is not distributed, so there is nothing to judge.
pub fn npm_project(root: &Path, lockfile: &str) -> Option<NpmProject> {
    let dir = Path::new(lockfile).parent().unwrap_or(Path::new(""));
    let rel = dir.join("package.json");
    let text = std::fs::read_to_string(root.join(&rel)).ok()?;
    let manifest: Value = serde_json::from_str(&text).ok()?;
    let license = declared(&manifest);
    let private = manifest.get("private").and_then(Value::as_bool) == Some(true);
    if license.is_none() && private {
        return None;
    }
    let field = |k: &str| {
        manifest
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let key = if manifest.get("license").is_some() {
        "\"license\""
    } else {
        "\"licenses\""
    };
    let line = text
        .find(key)
        .map_or(1, |offset| 1 + text[..offset].matches('\n').count() as u32);
    Some(NpmProject {
        path: rel.to_string_lossy().replace('\\', "/"),
        name: field("name"),
        version: field("version"),
        license,
        line,
    })
}

fn is_package_lock(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "package-lock.json" || name == "npm-shrinkwrap.json"
}

/// What a package-lock records: the licence of each `packages` key (`None`: the entry has
/// none), and whether any entry records one.
#[derive(Default)]
struct Recorded {
    licenses: HashMap<String, Option<String>>,
    any: bool,
}

impl Recorded {
    fn read(text: &str) -> Recorded {
        // The inventory already parsed (and reported errors in) this file; a text that does not
        // parse here simply records nothing.
        let Ok(Value::Object(root)) = serde_json::from_str::<Value>(text) else {
            return Recorded::default();
        };
        let Some(Value::Object(entries)) = root.get("packages") else {
            return Recorded::default();
        };
        let mut recorded = Recorded::default();
        for (key, entry) in entries {
            if entry.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let license = declared(entry);
            // The project (`""`) and its workspace folders are copied from the tree's own
            // package.json files by every npm version; only dependencies tell whether this
            // npm recorded licences.
            recorded.any |= license.is_some() && key.contains("node_modules/");
            recorded.licenses.insert(key.clone(), license);
        }
        recorded
    }
}

/// The `packages` key of a package-lock entry: the inventory locates each package at its key.
fn entry_key(text: &str, package: &Package) -> Option<String> {
    let span = package.location.span.clone()?;
    let raw = text.get(span)?;
    let quoted = raw.trim();
    let unquoted = quoted.strip_prefix('"')?.strip_suffix('"')?;
    // Keys are paths; an escaped key is decoded by the JSON parser itself.
    if unquoted.contains('\\') {
        serde_json::from_str(quoted).ok()
    } else {
        Some(unquoted.to_owned())
    }
}

/// Where the package may be installed, most specific first.
fn installed_manifests(lock_dir: &Path, key: Option<&str>, package: &Package) -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(key) = key.filter(|k| !k.is_empty() && safe_relative(k)) {
        candidates.push(lock_dir.join(key).join("package.json"));
    }
    if !safe_relative(&package.name) {
        return candidates;
    }
    let modules = lock_dir.join("node_modules");
    candidates.push(modules.join(&package.name).join("package.json"));
    let pnpm_dir = format!("{}@{}", package.name.replace('/', "+"), package.version);
    if safe_relative(&pnpm_dir) {
        candidates.push(
            modules
                .join(".pnpm")
                .join(pnpm_dir)
                .join("node_modules")
                .join(&package.name)
                .join("package.json"),
        );
    }
    candidates
}

/// A lockfile-derived path that stays below the directory it is joined to.
fn safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|c| !c.is_empty() && c != "..")
}

/// What a `package.json` says about licensing.
struct Manifest {
    license: Option<String>,
    private: bool,
}

impl Manifest {
    fn source(self) -> LicenseSource {
        match self.license {
            Some(expression) => LicenseSource::Declared { expression },
            None => LicenseSource::Missing,
        }
    }
}

/// An installed or workspace `package.json`: `None` when the file is absent, unreadable, or
/// (given `version`) of another version.
fn read_manifest(path: &Path, version: Option<&str>) -> Option<Manifest> {
    let text = std::fs::read_to_string(path).ok()?;
    let manifest: Value = serde_json::from_str(&text).ok()?;
    if version.is_some() && manifest.get("version").and_then(Value::as_str) != version {
        return None;
    }
    Some(Manifest {
        license: declared(&manifest),
        private: manifest.get("private").and_then(Value::as_bool) == Some(true),
    })
}

/// The licence a package.json or package-lock entry declares, as an expression.
pub(crate) fn declared(entry: &Value) -> Option<String> {
    let type_of = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Object(o) => o.get("type").and_then(Value::as_str).map(str::to_owned),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    };
    if let Some(license) = entry.get("license").and_then(type_of) {
        return Some(license);
    }
    let list: Vec<String> = entry
        .get("licenses")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(type_of)
        .collect();
    match list.len() {
        0 => None,
        1 => list.into_iter().next(),
        _ => Some(
            list.iter()
                .map(|l| format!("({l})"))
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn legacy_declarations_are_read() {
        assert_eq!(declared(&json!({"license": "MIT"})).as_deref(), Some("MIT"));
        assert_eq!(
            declared(&json!({"license": {"type": "ISC", "url": "x"}})).as_deref(),
            Some("ISC")
        );
        assert_eq!(
            declared(&json!({"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]})).as_deref(),
            Some("(MIT) OR (Apache-2.0)")
        );
        assert_eq!(declared(&json!({"license": ""})), None);
        assert_eq!(declared(&json!({"license": 7})), None);
        assert_eq!(declared(&json!({})), None);
    }

    #[test]
    fn paths_from_the_lockfile_stay_below_the_project() {
        assert!(safe_relative("node_modules/@s/b"));
        for bad in ["/etc", "../x", "a/../../b", "a//b", "a\\b", ""] {
            assert!(!safe_relative(bad), "{bad}");
        }
    }
}
