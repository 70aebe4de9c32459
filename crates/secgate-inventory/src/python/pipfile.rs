//! `Pipfile.lock` (JSON): `default` and `develop` sections (the latter dev), keyed by package
//! name, each entry with `version: "==1.2.3"`, `hashes`, an `index` naming one of
//! `_meta.sources`, or `git`/`ref`, `path`, `file`, `editable` for packages not from an index.
//! Every package points at the line of its key.

use super::common::{Doc, git_source, index_source, normalize, package, sha256_prefixed};
use super::json::{self, Json, Member};
use crate::{Lockfile, LockfileError};
use secgate_core::{Package, PackageSource};

/// Parses a `Pipfile.lock`.
pub(crate) fn parse(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let root = json::parse(text)
        .map_err(|e| doc.error(e.at..e.at, format!("invalid JSON: {}", e.message)))?;
    if root.members().is_none() {
        return Err(doc.error(root.span.clone(), "Pipfile.lock must be a JSON object"));
    }
    let meta = root.get("_meta");
    let format_version = meta
        .and_then(|m| m.get("pipfile-spec"))
        .and_then(|v| doc.text.get(v.span.clone()))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let sources: Vec<(&str, &str)> = meta
        .and_then(|m| m.get("sources"))
        .and_then(Json::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Some((s.get("name")?.as_str()?, s.get("url")?.as_str()?)))
        .collect();
    let mut packages = Vec::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(value) = root.get(section) else {
            continue;
        };
        let members = value.members().ok_or_else(|| {
            doc.error(
                value.span.clone(),
                format!("`{section}` must be an object, found {}", value.type_name()),
            )
        })?;
        for member in members {
            let mut p = entry(&doc, member, &sources)?;
            p.dev = dev;
            packages.push(p);
        }
    }
    Ok(Lockfile {
        path: path.to_owned(),
        text: text.to_owned(),
        format_version,
        packages,
    })
}

fn entry(
    doc: &Doc<'_>,
    member: &Member,
    sources: &[(&str, &str)],
) -> Result<Package, LockfileError> {
    let value = &member.value;
    let at = member.key_span.clone();
    if value.members().is_none() {
        return Err(doc.error(
            value.span.clone(),
            format!(
                "`{}` must be an object, found {}",
                member.key,
                value.type_name()
            ),
        ));
    }
    let string = |key: &str| -> Result<Option<&str>, LockfileError> {
        match value.get(key) {
            None => Ok(None),
            Some(v) => v.as_str().map(Some).ok_or_else(|| {
                doc.error(
                    v.span.clone(),
                    format!("`{key}` must be a string, found {}", v.type_name()),
                )
            }),
        }
    };
    let source = if let Some(url) = string("git")? {
        git_source(url, string("ref")?)
    } else if value.get("path").is_some() || value.get("file").is_some() {
        PackageSource::Local
    } else {
        let url = match string("index")? {
            Some(index) => sources.iter().find(|(n, _)| *n == index).map(|(_, u)| *u),
            // Pipenv installs from the first source when an entry names none.
            None => sources.first().map(|(_, u)| *u),
        };
        url.map_or(PackageSource::DefaultRegistry, index_source)
    };
    let version = match string("version")? {
        Some(v) => v
            .strip_prefix("===")
            .or_else(|| v.strip_prefix("=="))
            .unwrap_or(v)
            .trim()
            .to_owned(),
        None if matches!(source, PackageSource::Local | PackageSource::Git { .. }) => String::new(),
        None => {
            return Err(doc.error(at, format!("`{}` has no `version`", member.key)));
        }
    };
    let mut p = package(
        normalize(&member.key),
        version,
        doc.location(at.start, at.start),
    );
    p.source = source;
    p.checksum = value
        .get("hashes")
        .and_then(Json::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Json::as_str)
        .find_map(sha256_prefixed);
    Ok(p)
}
