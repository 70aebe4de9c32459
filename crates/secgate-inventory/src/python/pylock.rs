//! `pylock.toml` (PEP 751): `lock-version`, `[[packages]]` with `name`, `version`, `index`,
//! one of `vcs` / `directory` / `archive` for packages not from an index, and `hashes`
//! tables on `archive`, `sdist` and `wheels`. Dependency groups are markers here; they are not
//! evaluated, so no package is marked dev.

use super::common::{Doc, git_source, index_source, package, sha256};
use crate::{Lockfile, LockfileError};
use secgate_core::{Package, PackageSource};
use toml_span::Value;
use toml_span::value::Table;

/// Parses a `pylock.toml`.
pub(crate) fn parse(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let root = doc.toml()?;
    let top = doc.as_table("(root)", &root)?;
    let (lock_version, span) = doc
        .str_of(top, "lock-version")?
        .ok_or_else(|| doc.error(0..0, "pylock.toml has no `lock-version`"))?;
    let format_version: u32 = match lock_version.split('.').next().map(str::parse) {
        Some(Ok(1)) => 1,
        _ => {
            return Err(doc.error(
                span,
                format!("unsupported `lock-version = \"{lock_version}\"` (secgate reads 1.x)"),
            ));
        }
    };
    let packages = doc
        .array_of(top, "packages")?
        .iter()
        .map(|entry| entry_package(&doc, entry))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Lockfile {
        path: path.to_owned(),
        text: text.to_owned(),
        format_version,
        packages,
    })
}

fn entry_package(doc: &Doc<'_>, entry: &Value<'_>) -> Result<Package, LockfileError> {
    let table = doc.as_table("packages", entry)?;
    let header = entry.span.start;
    let source = if let Some(vcs) = doc.table_of(table, "vcs")? {
        let url = match doc.str_of(vcs, "url")? {
            Some((u, _)) => u,
            None => doc.str_of(vcs, "path")?.map(|(p, _)| p).unwrap_or_default(),
        };
        let rev = doc.str_of(vcs, "commit-id")?.map(|(c, _)| c);
        git_source(url, rev)
    } else if table.contains_key("directory") {
        PackageSource::Local
    } else if let Some(archive) = doc.table_of(table, "archive")? {
        match doc.str_of(archive, "url")? {
            Some((url, _)) => index_source(url),
            None => PackageSource::Local,
        }
    } else {
        match doc.str_of(table, "index")? {
            Some((url, _)) => index_source(url),
            None => PackageSource::DefaultRegistry,
        }
    };
    let unversioned_ok = matches!(source, PackageSource::Local | PackageSource::Git { .. });
    let (name, version) = doc.name_version(table, header, "[[packages]]", unversioned_ok)?;
    let mut p = package(name, version, doc.location(header, header));
    p.source = source;
    p.checksum = first_hash(doc, table)?;
    for dependency in doc.array_of(table, "dependencies")? {
        let dependency = doc.as_table("dependencies", dependency)?;
        if let Some((name, _)) = doc.str_of(dependency, "name")? {
            p.dependencies.push(super::common::normalize(name));
        }
    }
    Ok(p)
}

/// The first sha256 among `archive`, `sdist`, then `wheels`.
fn first_hash(doc: &Doc<'_>, table: &Table<'_>) -> Result<Option<String>, LockfileError> {
    let mut files: Vec<&Table<'_>> = Vec::new();
    for key in ["archive", "sdist"] {
        files.extend(doc.table_of(table, key)?);
    }
    for wheel in doc.array_of(table, "wheels")? {
        files.push(doc.as_table("wheels", wheel)?);
    }
    for file in files {
        if let Some(hashes) = doc.table_of(file, "hashes")?
            && let Some((hex, _)) = doc.str_of(hashes, "sha256")?
        {
            return Ok(sha256("sha256", hex));
        }
    }
    Ok(None)
}
