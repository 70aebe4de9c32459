//! `package-lock.json` / `npm-shrinkwrap.json`.
//!
//! lockfileVersion 2 and 3 are read from `packages` (v2's legacy `dependencies` mirror the same
//! packages and are not read twice); version 1 from the nested `dependencies` tree, where an
//! entry's own `dependencies` are the packages nested under it.
//!
//! In `packages`, the key `""` is the project itself; `node_modules/a/node_modules/@s/b` locks
//! `@s/b` (or the entry's `name`, which npm writes for aliases); keys outside `node_modules` are
//! workspace folders and `link: true` entries point at them: both are local.

use super::{Cx, Entry, source};
use crate::LockfileError;
use crate::json::{self, Member, Node, Value};
use secgate_core::{Package, PackageSource};
use std::collections::HashSet;

/// Root keys whose names are the project's direct dependencies.
const DIRECT_KEYS: &[&str] = &[
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// The format version and packages of a package-lock.
pub(crate) fn parse(cx: &Cx<'_>) -> Result<(u32, Vec<Package>), LockfileError> {
    // Strict JSON: a raw control character in a string (a NUL in a `resolved` URL) is an
    // error, not part of a package's address.
    let options = json::Options {
        reject_control_characters: true,
        ..json::Options::default()
    };
    let root = json::parse_with(cx.text(), &options)
        .map_err(|e| cx.error(e.offset..e.offset, e.message()))?;
    if !matches!(root.value, Value::Object(_)) {
        return Err(cx.error(root.span, "package-lock must be a JSON object"));
    }
    let format_version = match root.get("lockfileVersion") {
        None => None,
        Some(node) => Some(match &node.value {
            Value::Number(n) => n
                .parse::<u32>()
                .ok()
                .filter(|v| (1..=3).contains(v))
                .ok_or_else(|| {
                    cx.error(node.span.clone(), "`lockfileVersion` must be 1, 2 or 3")
                })?,
            _ => return Err(cx.error(node.span.clone(), "`lockfileVersion` must be a number")),
        }),
    };
    let mut packages = Vec::new();
    let has_packages = root.get("packages").is_some();
    if let Some(entries) = root.get("packages") {
        from_packages(cx, entries, &mut packages)?;
    } else if let Some(dependencies) = root.get("dependencies") {
        tree(cx, dependencies, &mut packages)?;
    }
    let format_version = format_version.unwrap_or(if has_packages { 2 } else { 1 });
    Ok((format_version, packages))
}

/// v2/v3 `packages`.
fn from_packages(
    cx: &Cx<'_>,
    entries: &Node,
    packages: &mut Vec<Package>,
) -> Result<(), LockfileError> {
    if !matches!(entries.value, Value::Object(_)) {
        return Err(cx.error(entries.span.clone(), "`packages` must be an object"));
    }
    // The project and its workspace folders declare what is direct.
    let mut direct: HashSet<&str> = HashSet::new();
    for member in entries.members() {
        if !member.key.contains("node_modules/") {
            for key in DIRECT_KEYS {
                if let Some(deps) = member.value.get(key) {
                    direct.extend(deps.members().iter().map(|m| m.key.as_str()));
                }
            }
        }
    }
    for member in entries.members().iter().filter(|m| !m.key.is_empty()) {
        let entry = &member.value;
        if !matches!(entry.value, Value::Object(_)) {
            return Err(cx.error(member.key_span.clone(), "package entry must be an object"));
        }
        let installed_as = member
            .key
            .rsplit_once("node_modules/")
            .map(|(_, name)| name);
        let name = entry
            .str_of("name")
            .or(installed_as)
            .unwrap_or_else(|| member.key.rsplit('/').next().unwrap_or(&member.key));
        let is_link = entry.flag("link");
        let local = is_link || installed_as.is_none();
        let target = entry
            .str_of("resolved")
            .filter(|_| is_link)
            .and_then(|r| entries.get(r));
        let version = match entry
            .str_of("version")
            .or(target.and_then(|t| t.str_of("version")))
        {
            Some(v) => v,
            // A folder without a `version` in its package.json: npm records none.
            None if local => "",
            None => return Err(missing_version(cx, member, name)),
        };
        let source = if local {
            PackageSource::Local
        } else {
            entry
                .str_of("resolved")
                .map_or(PackageSource::DefaultRegistry, |r| {
                    source::from_resolved(r, name)
                })
        };
        // Only a top-level install is what the project's own `require` finds.
        let top_level = installed_as.is_some_and(|n| member.key == format!("node_modules/{n}"));
        packages.push(cx.package(Entry {
            name: name.to_owned(),
            version: version.to_owned(),
            source,
            checksum: entry.str_of("integrity").map(str::to_owned),
            dependencies: dependency_names(entry, &["dependencies", "optionalDependencies"]),
            direct: Some(top_level && installed_as.is_some_and(|n| direct.contains(n))),
            dev: entry.flag("dev"),
            key_span: member.key_span.clone(),
        }));
    }
    Ok(())
}

/// v1: a `dependencies` object and the ones nested in its entries.
fn tree(
    cx: &Cx<'_>,
    dependencies: &Node,
    packages: &mut Vec<Package>,
) -> Result<(), LockfileError> {
    if !matches!(dependencies.value, Value::Object(_)) {
        return Err(cx.error(
            dependencies.span.clone(),
            "`dependencies` must be an object",
        ));
    }
    for member in dependencies.members() {
        let entry = &member.value;
        if !matches!(entry.value, Value::Object(_)) {
            return Err(cx.error(member.key_span.clone(), "package entry must be an object"));
        }
        let Some(written) = entry.str_of("version") else {
            return Err(missing_version(cx, member, &member.key));
        };
        // An alias writes `"version": "npm:real-name@1.2.3"`.
        let (name, version) = written
            .strip_prefix("npm:")
            .and_then(super::split_descriptor)
            .unwrap_or((member.key.as_str(), written));
        let source = match entry.str_of("resolved") {
            Some(resolved) => source::from_resolved(resolved, name),
            // git and file dependencies have no `resolved`: their `version` says where.
            None => source::from_resolved(version, name),
        };
        let source = match source {
            PackageSource::Local if !version.contains(':') && !version.contains('/') => {
                PackageSource::DefaultRegistry
            }
            other => other,
        };
        packages.push(cx.package(Entry {
            name: name.to_owned(),
            version: version.to_owned(),
            source,
            checksum: entry.str_of("integrity").map(str::to_owned),
            dependencies: dependency_names(entry, &["requires"]),
            // v1 does not record the project's own dependencies.
            direct: None,
            dev: entry.flag("dev"),
            key_span: member.key_span.clone(),
        }));
        if let Some(nested) = entry.get("dependencies") {
            tree(cx, nested, packages)?;
        }
    }
    Ok(())
}

fn dependency_names(entry: &Node, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|key| entry.get(key))
        .flat_map(Node::members)
        .map(|m| m.key.clone())
        .collect()
}

fn missing_version(cx: &Cx<'_>, member: &Member, name: &str) -> LockfileError {
    cx.error(
        member.key_span.clone(),
        format!("entry `{}` for `{name}` has no `version`", member.key),
    )
}
