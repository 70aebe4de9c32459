//! `uv.lock` (`version = 1`): `[[package]]` entries with an inline `source` (`registry`, `git`,
//! `url`, `path`, or a workspace member / path dependency: `editable`, `virtual`, `directory`),
//! `sdist`/`wheels` hashes and `dependencies = [{ name, version?, extra? }]`.
//!
//! uv does not mark packages as dev. A package is dev when the workspace members (editable or
//! virtual sources, and `[manifest] members`) do not reach it through their `dependencies`
//! and the `optional-dependencies` extras their dependencies ask for; members' own
//! `dev-dependencies` groups and extras (`optional-dependencies`) are development-only here.
//! Packages named by a member in any group are direct.

use super::common::{Doc, git_source, index_source, normalize, package, sha256_prefixed};
use crate::{Lockfile, LockfileError};
use secgate_core::{Package, PackageSource};
use std::collections::{HashMap, HashSet};
use toml_span::Value;
use toml_span::value::Table;

/// One `{ name, version?, extra? }` edge.
struct Edge {
    name: String,
    version: Option<String>,
    extras: Vec<String>,
}

/// What dev/direct need to know about one entry.
struct Entry {
    member: bool,
    dependencies: Vec<Edge>,
    /// Extras of this package: name → edges.
    optional: HashMap<String, Vec<Edge>>,
    /// Members only: every edge of `dev-dependencies` and `optional-dependencies`.
    other_groups: Vec<Edge>,
}

/// Parses a `uv.lock`.
pub(crate) fn parse(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let root = doc.toml()?;
    let top = doc.as_table("(root)", &root)?;
    let format_version = match top.get("version") {
        Some(v) => match v.as_integer() {
            Some(1) => 1,
            Some(other) => {
                return Err(doc.error(
                    v.span.into(),
                    format!("unsupported uv.lock `version = {other}` (secgate reads version 1)"),
                ));
            }
            None => return Err(doc.wrong_type("version", "an integer", v)),
        },
        None => return Err(doc.error(0..0, "uv.lock has no top-level `version`")),
    };
    let mut members = HashSet::new();
    if let Some(manifest) = doc.table_of(top, "manifest")? {
        for member in doc.array_of(manifest, "members")? {
            if let Some(name) = member.as_str() {
                members.insert(normalize(name));
            }
        }
    }
    let mut packages = Vec::new();
    let mut entries = Vec::new();
    for value in doc.array_of(top, "package")? {
        let (p, e) = entry(&doc, value, &members)?;
        packages.push(p);
        entries.push(e);
    }
    mark_dev_and_direct(&mut packages, &entries);
    Ok(Lockfile {
        path: path.to_owned(),
        text: text.to_owned(),
        format_version,
        packages,
    })
}

fn entry(
    doc: &Doc<'_>,
    value: &Value<'_>,
    members: &HashSet<String>,
) -> Result<(Package, Entry), LockfileError> {
    let table = doc.as_table("package", value)?;
    let header = value.span.start;
    let (source, member_source) = match doc.table_of(table, "source")? {
        Some(source) => read_source(doc, source)?,
        None => (PackageSource::DefaultRegistry, false),
    };
    let local = matches!(source, PackageSource::Local);
    let (name, version) = doc.name_version(table, header, "[[package]]", local)?;
    let member = member_source || members.contains(&name);
    let mut p = package(name, version, doc.location(header, header));
    p.source = source;
    p.checksum = first_hash(doc, table)?;
    let dependencies = edges(doc, "dependencies", doc.array_of(table, "dependencies")?)?;
    p.dependencies = dependencies.iter().map(|e| e.name.clone()).collect();
    let optional = groups(doc, table, "optional-dependencies")?;
    let mut other_groups = Vec::new();
    if member {
        other_groups.extend(
            groups(doc, table, "dev-dependencies")?
                .into_values()
                .flatten(),
        );
    }
    let (optional, member_extras): (HashMap<_, _>, _) = if member {
        (HashMap::new(), optional.into_values().flatten().collect())
    } else {
        (optional, Vec::new())
    };
    other_groups.extend(member_extras);
    Ok((
        p,
        Entry {
            member,
            dependencies,
            optional,
            other_groups,
        },
    ))
}

/// The source and whether it makes the package a workspace member.
fn read_source(doc: &Doc<'_>, source: &Table<'_>) -> Result<(PackageSource, bool), LockfileError> {
    for key in ["editable", "virtual"] {
        if source.contains_key(key) {
            return Ok((PackageSource::Local, true));
        }
    }
    if source.contains_key("directory") || source.contains_key("path") {
        return Ok((PackageSource::Local, false));
    }
    if let Some((url, _)) = doc.str_of(source, "git")? {
        return Ok((git_source(url, None), false));
    }
    for key in ["registry", "url"] {
        if let Some((url, _)) = doc.str_of(source, key)? {
            return Ok((index_source(url), false));
        }
    }
    Ok((PackageSource::DefaultRegistry, false))
}

/// The first sha256 of `sdist`, then of `wheels`, as they come in the file.
fn first_hash(doc: &Doc<'_>, table: &Table<'_>) -> Result<Option<String>, LockfileError> {
    let sdist = doc.table_of(table, "sdist")?.into_iter();
    let wheels = doc
        .array_of(table, "wheels")?
        .iter()
        .map(|w| doc.as_table("wheels", w))
        .collect::<Result<Vec<_>, _>>()?;
    for file in sdist.chain(wheels) {
        if let Some(sum) = doc
            .str_of(file, "hash")?
            .and_then(|(h, _)| sha256_prefixed(h))
        {
            return Ok(Some(sum));
        }
    }
    Ok(None)
}

fn groups(
    doc: &Doc<'_>,
    table: &Table<'_>,
    key: &str,
) -> Result<HashMap<String, Vec<Edge>>, LockfileError> {
    let mut out = HashMap::new();
    if let Some(groups) = doc.table_of(table, key)? {
        for (group, value) in groups {
            let items = value
                .as_array()
                .ok_or_else(|| doc.wrong_type(&group.name, "an array", value))?;
            out.insert(normalize(&group.name), edges(doc, &group.name, items)?);
        }
    }
    Ok(out)
}

fn edges(doc: &Doc<'_>, key: &str, items: &[Value<'_>]) -> Result<Vec<Edge>, LockfileError> {
    items
        .iter()
        .map(|item| {
            let t = doc.as_table(key, item)?;
            let (name, _) = doc.str_of(t, "name")?.ok_or_else(|| {
                doc.error(item.span.into(), format!("`{key}` entry has no `name`"))
            })?;
            let version = doc.str_of(t, "version")?.map(|(v, _)| v.to_owned());
            let extras = doc
                .array_of(t, "extra")?
                .iter()
                .filter_map(|x| x.as_str().map(normalize))
                .collect();
            Ok(Edge {
                name: normalize(name),
                version,
                extras,
            })
        })
        .collect()
}

/// Walks from the members through `dependencies` (and the extras edges ask for); what is not
/// reached is dev. Without members nothing can be told: all stay `dev: false`, direct unknown.
fn mark_dev_and_direct(packages: &mut [Package], entries: &[Entry]) {
    if !entries.iter().any(|e| e.member) {
        return;
    }
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let targets = |edge: &Edge| -> Vec<usize> {
        by_name
            .get(edge.name.as_str())
            .map(|ids| {
                ids.iter()
                    .copied()
                    .filter(|&i| {
                        edge.version
                            .as_ref()
                            .is_none_or(|v| packages.get(i).is_some_and(|p| &p.version == v))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };

    let mut reached = vec![false; packages.len()];
    let mut direct = vec![false; packages.len()];
    let mut stack: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.member {
            stack.push((i, Vec::new()));
            for edge in e.dependencies.iter().chain(&e.other_groups) {
                for t in targets(edge) {
                    direct[t] = true;
                }
            }
        }
    }
    let mut expanded: HashSet<(usize, String)> = HashSet::new();
    while let Some((i, extras)) = stack.pop() {
        let Some(entry) = entries.get(i) else {
            continue;
        };
        let first_visit = !reached.get(i).copied().unwrap_or(true);
        if let Some(r) = reached.get_mut(i) {
            *r = true;
        }
        let mut edges: Vec<&Edge> = Vec::new();
        if first_visit {
            edges.extend(&entry.dependencies);
        }
        for extra in extras {
            if expanded.insert((i, extra.clone())) {
                edges.extend(entry.optional.get(&extra).into_iter().flatten());
            }
        }
        for edge in edges {
            for t in targets(edge) {
                stack.push((t, edge.extras.clone()));
            }
        }
    }
    for (i, p) in packages.iter_mut().enumerate() {
        let member = entries.get(i).is_some_and(|e| e.member);
        p.dev = !member && !reached.get(i).copied().unwrap_or(false);
        p.direct = (!member).then(|| direct.get(i).copied().unwrap_or(false));
    }
}
