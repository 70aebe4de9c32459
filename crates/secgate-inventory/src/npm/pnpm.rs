//! `pnpm-lock.yaml`, lockfileVersion 5.x, 6.0 and 9.0.
//!
//! One package per `packages:` key: `/name@version(peers)` (v6), `name@version` (v9) or
//! `/name/version_peers` (v5); peer suffixes are not part of the identity. v9 moved the
//! dependency graph to `snapshots:` (one per peer variant; their dependencies are merged).
//!
//! `importers:` (or the top level of a single-project v5 lockfile) say what is direct. v6 marks
//! `dev: true`; v9 does not, so a package is dev when only the importers' `devDependencies`
//! reach it through the graph.

use super::yaml::{NodeId, Yaml};
use super::{Cx, Entry, source, split_descriptor};
use crate::LockfileError;
use secgate_core::{Package, PackageSource};
use std::collections::{HashMap, HashSet};

/// Importer keys that list production dependencies, then development ones.
const PROD_KEYS: &[&str] = &["dependencies", "optionalDependencies"];
const DEV_KEYS: &[&str] = &["devDependencies"];

/// The format version (major) and packages of a pnpm lockfile.
pub(crate) fn parse(cx: &Cx<'_>) -> Result<(u32, Vec<Package>), LockfileError> {
    let yaml = Yaml::parse(cx.text())
        .map_err(|e| cx.error(e.offset..e.offset, format!("invalid YAML: {}", e.message)))?;
    let Some(root) = yaml.root.filter(|&r| yaml.is_mapping(r)) else {
        return Err(cx.error(0..0, "pnpm-lock.yaml must be a YAML mapping"));
    };
    let major = yaml
        .get_str(root, "lockfileVersion")
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse::<u32>().ok())
        .ok_or_else(|| cx.error(0..0, "pnpm-lock.yaml has no numeric `lockfileVersion`"))?;

    let importers: Vec<NodeId> = match yaml.get(root, "importers") {
        Some(importers) => yaml.pairs(importers).map(|(_, _, v)| v).collect(),
        None => vec![root],
    };
    let yaml = &yaml;
    let roots = |keys: &[&str]| -> Vec<String> {
        importers
            .iter()
            .flat_map(|&imp| keys.iter().filter_map(move |k| yaml.get(imp, k)))
            .flat_map(|deps| yaml.pairs(deps))
            .filter_map(|(name, _, value)| {
                let reference = yaml.get_str(value, "version").or(yaml.str(value))?;
                resolve(name, reference, major)
            })
            .collect()
    };
    let (prod_roots, dev_roots) = (roots(PROD_KEYS), roots(DEV_KEYS));

    let graph = graph(yaml, root, major);
    let prod = reachable(&graph, &prod_roots);
    let dev = reachable(&graph, &dev_roots);
    let direct: HashSet<&String> = prod_roots.iter().chain(&dev_roots).collect();

    let mut packages = Vec::new();
    let Some(entries) = yaml.get(root, "packages") else {
        return Ok((major, packages));
    };
    for (key, key_id, value) in yaml.pairs(entries) {
        let (key_name, key_version) = split_key(key, major).unwrap_or((key, ""));
        let name = yaml.get_str(value, "name").unwrap_or(key_name);
        let version = yaml.get_str(value, "version").unwrap_or(key_version);
        if name.is_empty() || version.is_empty() {
            return Err(cx.error(yaml.span(key_id), format!("package `{key}` has no version")));
        }
        let id = format!("{key_name}@{key_version}");
        let resolution = yaml.get(value, "resolution");
        let field = |k: &str| resolution.and_then(|r| yaml.get_str(r, k));
        let source = if field("directory").is_some() || field("type") == Some("directory") {
            PackageSource::Local
        } else if let Some(repo) = field("repo") {
            PackageSource::Git {
                url: repo.to_owned(),
                rev: field("commit").map(str::to_owned),
            }
        } else if let Some(tarball) = field("tarball") {
            source::from_resolved(tarball, name)
        } else if key_version.contains(':') {
            source::from_resolved(key_version, name)
        } else {
            PackageSource::DefaultRegistry
        };
        let is_dev = match yaml.get_str(value, "dev") {
            Some(flag) => flag == "true",
            None => !prod.contains(id.as_str()) && dev.contains(id.as_str()),
        };
        packages.push(cx.package(Entry {
            name: name.to_owned(),
            version: version.to_owned(),
            source,
            checksum: field("integrity").map(str::to_owned),
            dependencies: graph.get(&id).cloned().unwrap_or_default(),
            direct: Some(direct.contains(&id)),
            dev: is_dev,
            key_span: yaml.span(key_id),
        }));
    }
    Ok((major, packages))
}

/// `name@version` of each package to the `name@version` of its dependencies: from `snapshots:`
/// (v9) or the `packages:` entries (older).
fn graph(yaml: &Yaml, root: NodeId, major: u32) -> HashMap<String, Vec<String>> {
    let mut graph: HashMap<String, Vec<String>> = HashMap::new();
    let section = yaml
        .get(root, "snapshots")
        .or_else(|| yaml.get(root, "packages"));
    let Some(section) = section else {
        return graph;
    };
    for (key, _, value) in yaml.pairs(section) {
        let Some((name, version)) = split_key(key, major) else {
            continue;
        };
        let deps = graph.entry(format!("{name}@{version}")).or_default();
        for dep_key in PROD_KEYS {
            let Some(map) = yaml.get(value, dep_key) else {
                continue;
            };
            for (dep, _, reference) in yaml.pairs(map) {
                if let Some(id) = yaml.str(reference).and_then(|r| resolve(dep, r, major))
                    && !deps.contains(&id)
                {
                    deps.push(id);
                }
            }
        }
    }
    graph
}

/// Every package reachable from `roots` (roots included).
fn reachable<'a>(graph: &'a HashMap<String, Vec<String>>, roots: &'a [String]) -> HashSet<&'a str> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: Vec<&str> = roots.iter().map(String::as_str).collect();
    while let Some(id) = queue.pop() {
        if seen.insert(id)
            && let Some(deps) = graph.get(id)
        {
            queue.extend(deps.iter().map(String::as_str));
        }
    }
    seen
}

/// The `name@version` a dependency reference points at: `1.2.3(peer@1)`, an alias
/// `real@1.2.3`, a v6 path `/real@1.2.3`, `file:dir`; `None` for `link:` (a workspace folder).
fn resolve(name: &str, reference: &str, major: u32) -> Option<String> {
    if reference.starts_with("link:") {
        return None;
    }
    let reference = reference.strip_prefix('/').unwrap_or(reference);
    let reference = strip_peers(reference, major);
    if reference.contains(':') {
        return Some(format!("{name}@{reference}"));
    }
    Some(match split_key(reference, major) {
        Some((real, version)) => format!("{real}@{version}"),
        None => format!("{name}@{reference}"),
    })
}

/// `(name, version)` of a `packages:` or `snapshots:` key, peer suffix removed.
fn split_key(key: &str, major: u32) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    if major < 6 {
        // v5: `name/version_peer@1` or `@scope/name/version`.
        let key = strip_peers(key, major);
        let (name, version) = key.rsplit_once('/')?;
        return (!name.is_empty() && !version.is_empty()).then_some((name, version));
    }
    let (name, version) = split_descriptor(key)?;
    let version = strip_peers(version, major);
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// A version without its peer suffix: `(a@1)(b@2)` since v6, `_a@1` before.
fn strip_peers(version: &str, major: u32) -> &str {
    let end = if major < 6 {
        version.find(['(', '_'])
    } else {
        version.find('(')
    };
    end.and_then(|i| version.get(..i)).unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_references() {
        assert_eq!(split_key("/@s/a@1.0.0(b@2)", 6), Some(("@s/a", "1.0.0")));
        assert_eq!(split_key("a@1.0.0(b@2)(c@3)", 9), Some(("a", "1.0.0")));
        assert_eq!(split_key("/@s/a/1.0.0_b@2", 5), Some(("@s/a", "1.0.0")));
        assert_eq!(split_key("a", 9), None);
        assert_eq!(
            resolve("debug", "obug@1.0.2(ms@2.1.3)", 9).as_deref(),
            Some("obug@1.0.2")
        );
        assert_eq!(resolve("a", "1.0.0(b@2)", 9).as_deref(), Some("a@1.0.0"));
        assert_eq!(
            resolve("a", "/@s/b@1.0.0", 6).as_deref(),
            Some("@s/b@1.0.0")
        );
        assert_eq!(resolve("a", "link:../a", 9), None);
    }
}
