//! `[pins] ignore`: findings of the pinning gate accepted for matching files. Each entry needs a
//! `path` (a glob, see [`super::glob_match`]) and a non-empty `reason`; `code` (one code or a
//! list, pinning codes only) narrows it, `expires` (`YYYY-MM-DD`) ends it.

use super::glob::glob_match;
use crate::error::Problems;
use crate::ignore::parse_date;
use crate::suggest;
use jiff::civil::Date;
use secgate_core::{Code, Finding, Gate, Location};
use toml_span::Value;
use toml_span::value::ValueInner;

/// Pinning findings the policy accepts in some files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathIgnore {
    /// The glob the finding's file must match.
    pub path: String,
    /// The codes it covers; empty means every pinning code.
    pub codes: Vec<Code>,
    /// Why the findings are accepted.
    pub reason: String,
    /// Last day the ignore applies.
    pub expires: Option<Date>,
    /// The entry in the policy file.
    pub location: Location,
}

impl PathIgnore {
    /// Whether this entry covers `finding`: a pinning finding in a matching file, of one of the
    /// listed codes.
    pub fn covers(&self, finding: &Finding) -> bool {
        finding.code.gate() == Gate::Pins
            && (self.codes.is_empty() || self.codes.contains(&finding.code))
            && glob_match(&self.path, &finding.location.path)
    }

    /// How the entry is named in messages: its path, and its codes when it has some.
    pub fn label(&self) -> String {
        if self.codes.is_empty() {
            self.path.clone()
        } else {
            let codes: Vec<&str> = self.codes.iter().map(|c| c.as_str()).collect();
            format!("{} ({})", self.path, codes.join(", "))
        }
    }
}

const KEYS: &[&str] = &["path", "code", "reason", "expires"];
const EXAMPLE: &str = "write `{ path = \"docker/dev.Dockerfile\", code = \"image-unpinned\", reason = \"local development only\" }`";

/// Parses the value of `[pins] ignore`; invalid entries are reported and left out.
pub(crate) fn parse(value: &Value<'_>, path: &str, problems: &mut Problems<'_>) -> Vec<PathIgnore> {
    let Some(entries) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`ignore` must be an array of tables, found {found}"),
            Some(EXAMPLE.to_owned()),
        );
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| parse_entry(entry, path, problems))
        .collect()
}

fn parse_entry(entry: &Value<'_>, path: &str, problems: &mut Problems<'_>) -> Option<PathIgnore> {
    let Some(table) = entry.as_table() else {
        let found = entry.as_ref().type_str();
        problems.push(
            entry.span,
            format!("a `[pins]` ignore must be a table, found {found}"),
            Some(EXAMPLE.to_owned()),
        );
        return None;
    };
    for key in table.keys().filter(|k| !KEYS.contains(&k.name.as_ref())) {
        problems.push(
            key.span,
            format!("unknown key `{}` in `[pins]` ignore", key.name),
            Some(suggest::hint(&key.name, KEYS)),
        );
    }
    let glob = match table.get("path") {
        None => {
            problems.push(
                entry.span,
                "`[pins]` ignore has no `path`",
                Some(EXAMPLE.to_owned()),
            );
            None
        }
        Some(v) => match v.as_str() {
            Some(s) if !s.trim().is_empty() && !s.starts_with('/') && !s.contains('\\') => {
                Some(s.trim_start_matches("./").to_owned())
            }
            Some(s) => {
                problems.push(
                    v.span,
                    format!("`path` `{s}` is not a relative `/`-separated path or glob"),
                    Some(
                        "paths are relative to the repository root, e.g. `docker/*.Dockerfile`"
                            .to_owned(),
                    ),
                );
                None
            }
            None => {
                type_problem(v, "path", problems);
                None
            }
        },
    };
    let codes = table
        .get("code")
        .map_or(Some(Vec::new()), |v| codes(v, problems));
    let reason = match table.get("reason") {
        None => {
            problems.push(
                entry.span,
                "`[pins]` ignore has no `reason`",
                Some("say why the findings are acceptable, e.g. `reason = \"local development only\"`".to_owned()),
            );
            None
        }
        Some(v) => match v.as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.to_owned()),
            Some(_) => {
                problems.push(v.span, "`[pins]` ignore has an empty `reason`", None);
                None
            }
            None => {
                type_problem(v, "reason", problems);
                None
            }
        },
    };
    let expires = match table.get("expires") {
        None => Some(None),
        Some(v) => {
            if let ValueInner::String(s) = v.as_ref() {
                match parse_date(s) {
                    Ok(date) => Some(Some(date)),
                    Err(message) => {
                        problems.push(
                            v.span,
                            message,
                            Some("write the date as `YYYY-MM-DD`, e.g. `2027-01-31`".to_owned()),
                        );
                        None
                    }
                }
            } else {
                type_problem(v, "expires", problems);
                None
            }
        }
    };
    Some(PathIgnore {
        path: glob?,
        codes: codes?,
        reason: reason?,
        expires: expires?,
        location: problems.location(path, entry.span),
    })
}

/// `code`: one pinning code, or an array of them.
fn codes(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Vec<Code>> {
    let items: Vec<&Value<'_>> = match value.as_ref() {
        ValueInner::String(_) => vec![value],
        ValueInner::Array(items) => items.iter().collect(),
        _ => {
            type_problem(value, "code", problems);
            return None;
        }
    };
    let pin_codes: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| c.gate() == Gate::Pins)
        .map(|c| c.as_str())
        .collect();
    let mut codes = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(name) = item.as_str() else {
            type_problem(item, "code", problems);
            ok = false;
            continue;
        };
        if let Some(code) = Code::from_name(name).filter(|c| c.gate() == Gate::Pins) {
            codes.push(code);
        } else {
            problems.push(
                item.span,
                format!("`{name}` is not a code of the pinning gate"),
                Some(suggest::hint(name, &pin_codes)),
            );
            ok = false;
        }
    }
    ok.then_some(codes)
}

fn type_problem(value: &Value<'_>, key: &str, problems: &mut Problems<'_>) {
    let found = value.as_ref().type_str();
    problems.push(
        value.span,
        format!("`{key}` must be a string, found {found}"),
        Some(EXAMPLE.to_owned()),
    );
}
