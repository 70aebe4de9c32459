//! `Pipfile.lock` (JSON): `default` and `develop` sections (the latter dev), keyed by package
//! name, each entry with `version: "==1.2.3"`, `hashes`, an `index` naming one of
//! `_meta.sources`, or `git`/`ref`, `path`, `file`, `editable` for packages not from an index.
//! Every package points at the line of its key.

use super::common::{Doc, git_source, index_source, normalize, package, sha256_prefixed};
use crate::json::{self, ErrorKind, Member, Node, Options, Words};
use crate::{Lockfile, LockfileError};
use secgate_core::{Package, PackageSource};

/// How a `Pipfile.lock` is read: control characters in strings refused, words scanned by
/// prefix, nesting limited to 128 levels, as this reader always did.
const OPTIONS: Options = Options {
    base: 0,
    max_depth: 128,
    reject_control_characters: true,
    words: Words::Prefix,
};

/// Parses a `Pipfile.lock`.
pub(crate) fn parse(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let doc = Doc::new(text, path);
    let root = json::parse_with(text, &OPTIONS).map_err(|e| {
        doc.error(
            e.offset..e.offset,
            format!("invalid JSON: {}", message(e.kind)),
        )
    })?;
    if root.as_object().is_none() {
        return Err(doc.error(root.span.clone(), "Pipfile.lock must be a JSON object"));
    }
    let meta = root.get_first("_meta");
    let format_version = meta
        .and_then(|m| m.get_first("pipfile-spec"))
        .and_then(|v| doc.text.get(v.span.clone()))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let sources: Vec<(&str, &str)> = meta
        .and_then(|m| m.get_first("sources"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| {
            Some((
                s.get_first("name")?.as_str()?,
                s.get_first("url")?.as_str()?,
            ))
        })
        .collect();
    let mut packages = Vec::new();
    for (section, dev) in [("default", false), ("develop", true)] {
        let Some(value) = root.get_first(section) else {
            continue;
        };
        let members = value.as_object().ok_or_else(|| {
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
    if value.as_object().is_none() {
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
        match value.get_first(key) {
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
    } else if value.get_first("path").is_some() || value.get_first("file").is_some() {
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
        .get_first("hashes")
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .find_map(sha256_prefixed);
    Ok(p)
}

/// The description of a syntax error, as `Pipfile.lock` errors have always worded it.
fn message(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::TrailingText => "unexpected text after the JSON value",
        ErrorKind::TooDeep => "JSON nested too deeply",
        ErrorKind::UnexpectedEnd => "unexpected end of JSON",
        ErrorKind::ExpectedValue => "expected a JSON value",
        ErrorKind::ExpectedKey => "expected a string key",
        ErrorKind::ExpectedColon => "expected `:` after the key",
        ErrorKind::ExpectedCommaOrBrace => "expected `,` or `}`",
        ErrorKind::ExpectedCommaOrBracket => "expected `,` or `]`",
        ErrorKind::UnterminatedString => "unterminated string",
        ErrorKind::ControlCharacter => "control character in a string",
        ErrorKind::InvalidEscape => "invalid escape in a string",
        ErrorKind::InvalidUnicodeEscape => "invalid `\\u` escape",
    }
}
