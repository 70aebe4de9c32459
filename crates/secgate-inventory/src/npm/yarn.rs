//! `yarn.lock`: classic v1 (its own indented format) and berry (YAML with `__metadata:`).
//!
//! One package per entry: the comma-joined descriptors of a key (`a@^1.0.0, a@^1.1.0:`) are
//! one locked package. Dependencies are resolved through those descriptors to `name@version`
//! when the file locks them. Yarn does not record what is direct or dev-only.

use super::yaml::Yaml;
use super::{Cx, Entry, source, split_descriptor};
use crate::LockfileError;
use secgate_core::{Package, PackageSource};
use std::collections::HashMap;
use std::ops::Range;

/// Dependency sections whose entries are installed.
const DEPENDENCY_KEYS: &[&str] = &["dependencies", "optionalDependencies"];

/// The format version (0 for classic, berry's `__metadata.version`) and packages.
pub(crate) fn parse(cx: &Cx<'_>) -> Result<(u32, Vec<Package>), LockfileError> {
    if cx.text().lines().any(|l| l.starts_with("__metadata:")) {
        berry(cx)
    } else {
        classic(cx)
    }
}

/// One entry while it is read.
struct Raw {
    key_span: Range<usize>,
    descriptors: Vec<String>,
    name: String,
    version: Option<String>,
    source: PackageSource,
    checksum: Option<String>,
    dependencies: Vec<(String, String)>,
}

impl Raw {
    fn new(key: &str, key_span: Range<usize>) -> Self {
        let descriptors = split_descriptors(key);
        let first = descriptors.first().map_or("", String::as_str);
        let (name, range) = split_descriptor(first).unwrap_or((first, ""));
        // An alias `alias@npm:real@^1` locks `real`.
        let name = range
            .strip_prefix("npm:")
            .map_or(name, |real| split_descriptor(real).map_or(real, |(n, _)| n));
        // Until `resolved` says otherwise: only protocol ranges (`file:`, `git+`) are elsewhere.
        let source = if range.contains(':') && !range.starts_with("npm:") {
            source::from_resolved(range, name)
        } else {
            PackageSource::DefaultRegistry
        };
        Raw {
            key_span,
            name: name.to_owned(),
            descriptors,
            version: None,
            source,
            checksum: None,
            dependencies: Vec::new(),
        }
    }
}

fn classic(cx: &Cx<'_>) -> Result<(u32, Vec<Package>), LockfileError> {
    let mut raws: Vec<Raw> = Vec::new();
    let mut in_dependencies = false;
    let mut offset = 0;
    for line in cx.text().split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        let span = start + indent..start + line.len();
        if indent == 0 {
            let Some(key) = body.strip_suffix(':') else {
                return Err(cx.error(span, "expected an entry header ending in `:`"));
            };
            raws.push(Raw::new(key, start..start + key.len()));
            in_dependencies = false;
            continue;
        }
        let Some(raw) = raws.last_mut() else {
            return Err(cx.error(span, "indented line before the first entry"));
        };
        if indent <= 2 {
            if let Some(section) = body.strip_suffix(':') {
                in_dependencies = DEPENDENCY_KEYS.contains(&section);
                continue;
            }
            in_dependencies = false;
            let (key, value) = key_value(body);
            match key.as_str() {
                "version" => raw.version = Some(value),
                "resolved" => raw.source = source::from_resolved(&value, &raw.name),
                "integrity" => raw.checksum = Some(value),
                _ => {}
            }
        } else if in_dependencies {
            raw.dependencies.push(key_value(body));
        }
    }
    finish(cx, &raws).map(|packages| (0, packages))
}

fn berry(cx: &Cx<'_>) -> Result<(u32, Vec<Package>), LockfileError> {
    let yaml = Yaml::parse(cx.text())
        .map_err(|e| cx.error(e.offset..e.offset, format!("invalid YAML: {}", e.message)))?;
    let Some(root) = yaml.root.filter(|&r| yaml.is_mapping(r)) else {
        return Err(cx.error(0..0, "yarn.lock must be a YAML mapping"));
    };
    let format_version = yaml
        .get(root, "__metadata")
        .and_then(|m| yaml.get_str(m, "version"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut raws = Vec::new();
    for (key, key_id, value) in yaml.pairs(root).filter(|(k, _, _)| *k != "__metadata") {
        if !yaml.is_mapping(value) {
            return Err(cx.error(
                yaml.span(key_id),
                format!("entry `{key}` must be a mapping"),
            ));
        }
        let mut raw = Raw::new(key, yaml.span(key_id));
        raw.version = yaml.get_str(value, "version").map(str::to_owned);
        raw.checksum = yaml.get_str(value, "checksum").map(str::to_owned);
        if let Some(resolution) = yaml.get_str(value, "resolution")
            && let Some((name, reference)) = split_descriptor(resolution)
        {
            raw.source = berry_source(reference, name);
            name.clone_into(&mut raw.name);
        }
        if yaml.get_str(value, "linkType") == Some("soft") {
            raw.source = PackageSource::Local;
        }
        for section in DEPENDENCY_KEYS.iter().filter_map(|k| yaml.get(value, k)) {
            for (dep, _, range) in yaml.pairs(section) {
                let range = yaml.str(range).unwrap_or_default();
                raw.dependencies.push((dep.to_owned(), range.to_owned()));
            }
        }
        raws.push(raw);
    }
    finish(cx, &raws).map(|packages| (format_version, packages))
}

/// The source of a berry resolution reference (`npm:1.2.3`, `workspace:.`, a git URL, ...).
fn berry_source(reference: &str, name: &str) -> PackageSource {
    if reference.starts_with("npm:") {
        PackageSource::DefaultRegistry
    } else if let Some(patched) = reference.strip_prefix("patch:") {
        // A patched registry package still carries the registry package's advisories.
        if patched.contains("npm%3A") || patched.contains("npm:") {
            PackageSource::DefaultRegistry
        } else {
            PackageSource::Local
        }
    } else if reference.contains("#commit=") || source::has_git_suffix(reference) {
        source::git(reference)
    } else {
        source::from_resolved(reference, name)
    }
}

/// Checks every entry has a version and resolves dependencies through the descriptors.
fn finish(cx: &Cx<'_>, raws: &[Raw]) -> Result<Vec<Package>, LockfileError> {
    let mut locked: HashMap<&str, String> = HashMap::new();
    for raw in raws {
        let Some(version) = &raw.version else {
            return Err(cx.error(
                raw.key_span.clone(),
                format!("entry for `{}` has no `version`", raw.name),
            ));
        };
        for descriptor in &raw.descriptors {
            locked.insert(descriptor, format!("{}@{version}", raw.name));
        }
    }
    let resolve = |(name, range): &(String, String)| {
        locked
            .get(format!("{name}@{range}").as_str())
            .or_else(|| locked.get(format!("{name}@npm:{range}").as_str()))
            .cloned()
            .unwrap_or_else(|| name.clone())
    };
    let packages = raws
        .iter()
        .map(|raw| {
            cx.package(Entry {
                name: raw.name.clone(),
                version: raw.version.clone().unwrap_or_default(),
                source: raw.source.clone(),
                checksum: raw.checksum.clone(),
                dependencies: raw.dependencies.iter().map(resolve).collect(),
                direct: None,
                dev: false,
                key_span: raw.key_span.clone(),
            })
        })
        .collect();
    Ok(packages)
}

/// `key value` of a classic line; either may be double-quoted.
fn key_value(body: &str) -> (String, String) {
    let (key, rest) = if body.starts_with('"') {
        let end = closing_quote(body).unwrap_or(body.len());
        (
            body.get(..end).unwrap_or(body),
            body.get(end..).unwrap_or(""),
        )
    } else {
        body.split_once(' ').unwrap_or((body, ""))
    };
    (unquote(key), unquote(rest.trim()))
}

/// The byte after the closing quote of a string opening at byte 0.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

fn unquote(text: &str) -> String {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        None => text.to_owned(),
    }
}

/// The descriptors of an entry key: `"a@^1", a@^2` (classic) or `a@npm:^1, a@npm:^2` (berry).
fn split_descriptors(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = key.trim();
    while !rest.is_empty() {
        let end = if rest.starts_with('"') {
            closing_quote(rest).unwrap_or(rest.len())
        } else {
            rest.find(',').unwrap_or(rest.len())
        };
        out.push(unquote(rest.get(..end).unwrap_or(rest).trim()));
        rest = rest.get(end..).unwrap_or("").trim_start_matches([',', ' ']);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_and_values() {
        assert_eq!(
            split_descriptors(r#""@s/a@^1, x", b@2, c@npm:^3"#),
            ["@s/a@^1, x", "b@2", "c@npm:^3"]
        );
        assert_eq!(
            key_value(r#""@types/node" "*""#),
            ("@types/node".to_owned(), "*".to_owned())
        );
        assert_eq!(
            key_value("integrity sha1-x"),
            ("integrity".to_owned(), "sha1-x".to_owned())
        );
    }
}
