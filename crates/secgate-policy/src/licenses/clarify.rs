//! `[licenses] clarify`: the licence a package really has when what it declares is wrong or
//! missing. The `expression` must be strict SPDX (a legacy form such as `MIT/Apache-2.0` is
//! refused with its canonical form as the hint: the policy says exactly what it means), and the
//! `reason` is required like an exception's, since a clarification changes what the gate judges.
//! `files` pins the licence files it was judged from (`path` relative to the package root,
//! `sha256` as 64 lowercase hex digits): when one changes, the clarification no longer applies.

use super::entry::{self, Kind, Seen};
use super::ids;
use crate::error::Problems;
use crate::suggest;
use secgate_licenses::evaluate::{Clarification, LicenseIdError, canonical_form, normalize_id};
use spdx::Expression;
use spdx::error::Reason;
use toml_span::value::Table;
use toml_span::{Span, Value};

const KIND: Kind = Kind {
    name: "clarification",
    list: "clarify",
    keys: &["package", "version", "expression", "files", "reason"],
    example: "{ package = \"ring\", expression = \"MIT AND ISC AND OpenSSL\", reason = \"read from its LICENSE\" }",
};

const FILE_KEYS: &[&str] = &["path", "sha256"];
const FILE_EXAMPLE: &str = "write `{ path = \"LICENSE\", sha256 = \"<64 hex digits>\" }`";

const REASON_HINT: &str =
    "say where the licence was read from, e.g. `reason = \"LICENSE lists MIT, ISC and OpenSSL\"`";

/// Parses the value of `clarify`; invalid entries are reported and left out.
pub(super) fn parse_clarify(
    value: &Value<'_>,
    path: &str,
    problems: &mut Problems<'_>,
) -> Vec<Clarification> {
    let mut seen = Seen::default();
    let mut clarify = Vec::new();
    for item in entry::entries(value, &KIND, problems) {
        let Some(table) = entry::table(item, &KIND, problems) else {
            continue;
        };
        let target = entry::target(table, item.span, &KIND, problems);
        if let Some((target, span)) = &target {
            seen.check(
                target,
                *span,
                &KIND,
                "keep one clarification per package and version",
                problems,
            );
        }
        let target = target.map(|(t, _)| t);
        let expression = expression(table, item.span, problems);
        let files = match table.get("files") {
            Some(value) => files(value, problems),
            None => Some(Vec::new()),
        };
        let reason = entry::reason(
            table,
            item.span,
            &KIND,
            target.as_ref(),
            REASON_HINT,
            problems,
        );
        let location = problems.location(path, item.span);
        if let (Some(target), Some(expression), Some(files), Some(reason)) =
            (target, expression, files, reason)
        {
            clarify.push(Clarification {
                package: target.package,
                version: target.version,
                expression,
                files,
                reason: Some(reason),
                location: Some(location),
            });
        }
    }
    clarify
}

/// The entry's `expression`, when present and strict SPDX (else reported).
fn expression(table: &Table<'_>, entry: Span, problems: &mut Problems<'_>) -> Option<String> {
    let hint = || "write an SPDX expression, e.g. `expression = \"MIT AND ISC\"`".to_owned();
    let Some((expr, span)) = entry::string(table, "expression", hint, problems) else {
        if !table.contains_key("expression") {
            problems.push(entry, "clarification has no `expression`", Some(hint()));
        }
        return None;
    };
    let Err(err) = Expression::parse(expr) else {
        return Some(expr.trim().to_owned());
    };
    let term = expr.get(err.span.clone()).unwrap_or_default();
    // An unknown or deprecated id: named with what to write instead, as in `allow`.
    if matches!(
        err.reason,
        Reason::UnknownTerm
            | Reason::UnknownLicense
            | Reason::UnknownException
            | Reason::DeprecatedLicenseId
    ) && let Err(id_err @ (LicenseIdError::Unknown { .. } | LicenseIdError::Deprecated { .. })) =
        normalize_id(term)
    {
        ids::report(&id_err, expr, span, problems);
        return None;
    }
    // A legacy form the evaluator would read laxly (`MIT/Apache-2.0`, `mit and isc`).
    if let Some(canonical) = canonical_form(expr).filter(|c| Expression::parse(c).is_ok()) {
        problems.push(
            span,
            format!("`{expr}` is not a strict SPDX expression"),
            Some(format!("write `{canonical}`")),
        );
        return None;
    }
    let at = if err.span.is_empty() {
        span
    } else {
        problems.part_of(span, expr, err.span.clone())
    };
    let message = if expr.trim().is_empty() {
        "`expression` is empty".to_owned()
    } else if term.trim().is_empty() {
        format!("invalid licence expression `{expr}`: {}", err.reason)
    } else {
        format!(
            "invalid licence expression `{expr}`: {} at `{term}`",
            err.reason
        )
    };
    problems.push(at, message, Some(hint()));
    None
}

/// The `files` list: `None` when anything in it is wrong (all reported).
fn files(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Vec<(String, String)>> {
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`files` must be an array of tables, found {found}"),
            Some(FILE_EXAMPLE.to_owned()),
        );
        return None;
    };
    let mut files: Vec<(String, String)> = Vec::with_capacity(items.len());
    let mut first: Vec<(String, usize)> = Vec::new();
    let mut valid = true;
    for item in items {
        let Some(file) = file(item, problems) else {
            valid = false;
            continue;
        };
        if let Some((_, earlier)) = first.iter().find(|(p, _)| *p == file.0) {
            let at = problems.first_at(*earlier, item.span.start);
            problems.push(
                item.span,
                format!("duplicate file `{}` (first at {at})", file.0),
                Some("list each licence file once".to_owned()),
            );
            valid = false;
            continue;
        }
        first.push((file.0.clone(), item.span.start));
        files.push(file);
    }
    valid.then_some(files)
}

/// One `{ path, sha256 }` entry of `files`.
fn file(item: &Value<'_>, problems: &mut Problems<'_>) -> Option<(String, String)> {
    let Some(table) = item.as_table() else {
        let found = item.as_ref().type_str();
        problems.push(
            item.span,
            format!("a licence file must be a table, found {found}"),
            Some(FILE_EXAMPLE.to_owned()),
        );
        return None;
    };
    for key in table
        .keys()
        .filter(|k| !FILE_KEYS.contains(&k.name.as_ref()))
    {
        problems.push(
            key.span,
            format!("unknown key `{}` in licence file", key.name),
            Some(suggest::hint(&key.name, FILE_KEYS)),
        );
    }
    let mut required = |key: &str| {
        let found = entry::string(table, key, || FILE_EXAMPLE.to_owned(), problems);
        if found.is_none() && !table.contains_key(key) {
            problems.push(
                item.span,
                format!("licence file has no `{key}`"),
                Some(FILE_EXAMPLE.to_owned()),
            );
        }
        found
    };
    let path = required("path");
    let sha256 = required("sha256");
    let path = path.and_then(|(p, span)| check_path(p, span, problems));
    let sha256 = sha256.and_then(|(h, span)| check_sha256(h, span, problems));
    Some((path?, sha256?))
}

fn check_path(path: &str, span: Span, problems: &mut Problems<'_>) -> Option<String> {
    let problem = if path.trim().is_empty() {
        Some("licence file `path` is empty".to_owned())
    } else if path.starts_with(['/', '\\']) || path.get(1..2) == Some(":") {
        Some(format!("licence file `{path}` is an absolute path"))
    } else if path.split(['/', '\\']).any(|part| part == "..") {
        Some(format!("licence file `{path}` is outside the package"))
    } else {
        None
    };
    let Some(message) = problem else {
        return Some(path.to_owned());
    };
    problems.push(
        span,
        message,
        Some("give the path relative to the package root, e.g. `path = \"LICENSE\"`".to_owned()),
    );
    None
}

fn check_sha256(hash: &str, span: Span, problems: &mut Problems<'_>) -> Option<String> {
    let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if hex && !hash.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some(hash.to_owned());
    }
    let (message, hint) = if hex {
        (
            "`sha256` must be written in lowercase".to_owned(),
            format!("write `{}`", hash.to_ascii_lowercase()),
        )
    } else {
        let what = if hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            format!("{} hex digits", hash.len())
        } else {
            format!("`{hash}`")
        };
        (
            format!("`sha256` must be 64 hex digits, found {what}"),
            "write the file's sha256 as `sha256sum LICENSE` prints it".to_owned(),
        )
    };
    problems.push(span, message, Some(hint));
    None
}
