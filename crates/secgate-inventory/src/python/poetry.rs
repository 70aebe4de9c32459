//! `poetry.lock`: `[[package]]` entries with `name`, `version`, `files` hashes, an optional
//! `[package.source]` (`git`, `directory`, `file`, `url`, `legacy` index) and
//! `[package.dependencies]`. Development-only packages are marked by `category = "dev"` (lock
//! format 1.x) or by `groups` that do not include `main` (format 2.x).

use super::common::{Doc, git_source, index_source, package, sha256_prefixed};
use crate::{Lockfile, LockfileError};
use secgate_core::{Package, PackageSource};
use toml_span::Value;
use toml_span::value::Table;

/// Parses a `poetry.lock`.
pub(crate) fn parse(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let root = doc.toml()?;
    let top = doc.as_table("(root)", &root)?;
    let format_version = doc
        .table_of(top, "metadata")?
        .map(|m| doc.str_of(m, "lock-version"))
        .transpose()?
        .flatten()
        .and_then(|(v, _)| v.split('.').next()?.parse().ok())
        .unwrap_or(0);
    // Lock format 1.x keeps the hashes apart, in `[metadata.files]`, keyed by name.
    let legacy_files = match doc.table_of(top, "metadata")? {
        Some(metadata) => doc.table_of(metadata, "files")?,
        None => None,
    };
    let packages = doc
        .array_of(top, "package")?
        .iter()
        .map(|entry| entry_package(&doc, entry, legacy_files))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Lockfile {
        path: path.to_owned(),
        text: text.to_owned(),
        format_version,
        packages,
    })
}

fn entry_package(
    doc: &Doc<'_>,
    entry: &Value<'_>,
    legacy_files: Option<&Table<'_>>,
) -> Result<Package, LockfileError> {
    let table = doc.as_table("package", entry)?;
    let header = entry.span.start;
    let source_table = doc.table_of(table, "source")?;
    let source = match source_table {
        Some(t) => source(doc, t)?,
        None => PackageSource::DefaultRegistry,
    };
    let local = matches!(source, PackageSource::Local);
    let (name, version) = doc.name_version(table, header, "[[package]]", local)?;
    let mut p = package(name, version, doc.location(header, header));
    p.source = source;
    p.dev = is_dev(doc, table)?;
    p.checksum = first_hash(doc, doc.array_of(table, "files")?)?;
    if p.checksum.is_none()
        && let Some(files) = legacy_files
    {
        let raw_name = doc
            .str_of(table, "name")?
            .map(|(n, _)| n)
            .unwrap_or_default();
        p.checksum = first_hash(doc, doc.array_of(files, raw_name)?)?;
    }
    if let Some(deps) = doc.table_of(table, "dependencies")? {
        let mut names: Vec<(usize, String)> = deps
            .keys()
            .map(|k| (k.span.start, super::common::normalize(&k.name)))
            .collect();
        // The table is sorted by name; keep the file's order instead.
        names.sort_unstable();
        p.dependencies = names.into_iter().map(|(_, n)| n).collect();
    }
    Ok(p)
}

/// `category = "dev"` (format 1.x) or `groups` without `main` (format 2.x).
fn is_dev(doc: &Doc<'_>, table: &Table<'_>) -> Result<bool, LockfileError> {
    if let Some((category, _)) = doc.str_of(table, "category")? {
        return Ok(category == "dev");
    }
    let groups = doc.array_of(table, "groups")?;
    if groups.is_empty() {
        return Ok(false);
    }
    let mut main = false;
    for group in groups {
        let name = group
            .as_str()
            .ok_or_else(|| doc.wrong_type("groups", "an array of strings", group))?;
        main |= name == "main";
    }
    Ok(!main)
}

/// `[package.source]`: `type` and `url` (and `resolved_reference` for git).
fn source(doc: &Doc<'_>, table: &Table<'_>) -> Result<PackageSource, LockfileError> {
    let kind = doc
        .str_of(table, "type")?
        .map(|(k, _)| k)
        .unwrap_or_default();
    let url = doc
        .str_of(table, "url")?
        .map(|(u, _)| u)
        .unwrap_or_default();
    Ok(match kind {
        "git" => {
            let rev = match doc.str_of(table, "resolved_reference")? {
                Some((r, _)) => Some(r),
                None => doc.str_of(table, "reference")?.map(|(r, _)| r),
            };
            git_source(url, rev)
        }
        "directory" | "file" => PackageSource::Local,
        // `legacy` is a configured index; `url` a direct archive download. Neither is PyPI
        // unless the URL is.
        _ => index_source(url),
    })
}

/// The first sha256 of `files = [{file, hash}]`.
fn first_hash(doc: &Doc<'_>, files: &[Value<'_>]) -> Result<Option<String>, LockfileError> {
    for file in files {
        let file = doc.as_table("files", file)?;
        if let Some(sum) = doc
            .str_of(file, "hash")?
            .and_then(|(h, _)| sha256_prefixed(h))
        {
            return Ok(Some(sum));
        }
    }
    Ok(None)
}
