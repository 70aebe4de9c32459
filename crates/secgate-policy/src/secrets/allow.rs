//! `[secrets] allow`: secret findings the policy accepts. Each entry names at least one of
//! `path` (a repository-relative glob), `rule` (a secret code such as `private-key`, or a rule
//! id such as `github-token`) and `fingerprint` (`sha256:<64 hex>`, as the finding shows it),
//! and a non-blank `reason`; it keeps its location so an entry that matches nothing can be
//! reported as `ignore-unused` at its line.

use crate::error::Problems;
use crate::paths::relative_glob;
use crate::suggest;
use secgate_core::{Code, Gate, Location};
use toml_span::Value;
use toml_span::value::Table;

/// One accepted kind of secret finding; a finding is covered when every field set matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretAllow {
    /// Glob on the finding's `/`-separated path relative to the repository root.
    pub path: Option<String>,
    /// A secret code name (`private-key`) or a detection rule id (`github-token`).
    pub rule: Option<String>,
    /// `sha256:` and 64 lower-case hex digits: the finding's fingerprint.
    pub fingerprint: Option<String>,
    /// Why the findings are accepted.
    pub reason: String,
    /// The entry in the policy file (line and column of its `{`).
    pub location: Location,
}

const KEYS: &[&str] = &["path", "rule", "fingerprint", "reason"];
const EXAMPLE: &str =
    "write `{ path = \"tests/fixtures/keys/**\", reason = \"throwaway test keys\" }`";

/// The code names of the secret gate, in `Code::ALL` order.
fn secret_codes() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.gate() == Gate::Secrets)
        .map(|c| c.as_str())
        .collect()
}

/// Parses the value of `[secrets] allow`; invalid entries are reported and left out.
pub(crate) fn parse(
    value: &Value<'_>,
    path: &str,
    problems: &mut Problems<'_>,
) -> Vec<SecretAllow> {
    let Some(entries) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`allow` must be an array of tables, found {found}"),
            Some(format!("{EXAMPLE} inside `allow = [ ... ]`")),
        );
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| parse_entry(entry, path, problems))
        .collect()
}

fn parse_entry(entry: &Value<'_>, path: &str, problems: &mut Problems<'_>) -> Option<SecretAllow> {
    let Some(table) = entry.as_table() else {
        let found = entry.as_ref().type_str();
        problems.push(
            entry.span,
            format!("a `[secrets]` allow entry must be a table, found {found}"),
            Some(EXAMPLE.to_owned()),
        );
        return None;
    };
    for key in table.keys().filter(|k| !KEYS.contains(&k.name.as_ref())) {
        problems.push(
            key.span,
            format!("unknown key `{}` in a `[secrets]` allow entry", key.name),
            Some(suggest::hint(&key.name, KEYS)),
        );
    }
    let glob = optional(
        table,
        "path",
        |v, p| relative_glob(v, "`path`", EXAMPLE, p),
        problems,
    );
    let rule = optional(table, "rule", rule, problems);
    let fingerprint = optional(table, "fingerprint", fingerprint, problems);
    if !["path", "rule", "fingerprint"]
        .iter()
        .any(|k| table.contains_key(*k))
    {
        problems.push(
            entry.span,
            "a `[secrets]` allow entry names no `path`, `rule` or `fingerprint`",
            Some(
                "say which findings it accepts, e.g. `path = \"tests/fixtures/**\"`, \
                 `rule = \"private-key\"` or the `fingerprint = \"sha256:...\"` the finding shows"
                    .to_owned(),
            ),
        );
    }
    let reason = reason(entry, table, problems);
    Some(SecretAllow {
        path: glob.ok()?,
        rule: rule.ok()?,
        fingerprint: fingerprint.ok()?,
        reason: reason?,
        location: problems.location(path, entry.span),
    })
}

/// A key that may be left out: `Ok(None)` when it is, `Err(Invalid)` when its value was
/// reported, so the entry is dropped but the other keys are still checked.
fn optional<'p>(
    table: &Table<'_>,
    key: &str,
    parse: impl FnOnce(&Value<'_>, &mut Problems<'p>) -> Option<String>,
    problems: &mut Problems<'p>,
) -> Result<Option<String>, Invalid> {
    match table.get(key) {
        None => Ok(None),
        Some(value) => parse(value, problems).map(Some).ok_or(Invalid),
    }
}

/// A value that was invalid and has been reported.
struct Invalid;

fn reason(entry: &Value<'_>, table: &Table<'_>, problems: &mut Problems<'_>) -> Option<String> {
    let Some(value) = table.get("reason") else {
        problems.push(
            entry.span,
            "a `[secrets]` allow entry has no `reason`",
            Some(
                "say why the secret is acceptable, e.g. `reason = \"throwaway key for the tests\"`"
                    .to_owned(),
            ),
        );
        return None;
    };
    match value.as_str() {
        Some(s) if !s.trim().is_empty() => Some(s.to_owned()),
        Some(_) => {
            problems.push(
                value.span,
                "a `[secrets]` allow entry has an empty `reason`",
                Some("say why the secret is acceptable".to_owned()),
            );
            None
        }
        None => {
            string_expected(value, "reason", problems);
            None
        }
    }
}

/// `rule`: a secret code name, or a rule id `[a-z0-9][a-z0-9-]*`.
fn rule(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<String> {
    let Some(rule) = value.as_str() else {
        string_expected(value, "rule", problems);
        return None;
    };
    if is_rule_id(rule) {
        return Some(rule.to_owned());
    }
    let codes = secret_codes();
    let lower = rule.to_ascii_lowercase().replace(['_', ' '], "-");
    let hint = if is_rule_id(&lower) {
        format!("rule ids are lower-case kebab-case: `{lower}`")
    } else {
        format!(
            "name a secret code ({}) or a rule id such as `github-token`",
            suggest::list(&codes)
        )
    };
    problems.push(
        value.span,
        format!("`rule` `{rule}` is not a secret code or rule id"),
        Some(hint),
    );
    None
}

fn is_rule_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `fingerprint`: `sha256:` and 64 lower-case hex digits.
fn fingerprint(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<String> {
    let Some(text) = value.as_str() else {
        string_expected(value, "fingerprint", problems);
        return None;
    };
    let hex = text.strip_prefix("sha256:");
    let is_hex = |h: &str| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(hex) = hex
        && is_hex(hex)
        && !hex.bytes().any(|b| b.is_ascii_uppercase())
    {
        return Some(text.to_owned());
    }
    let hint = match hex {
        Some(hex) if is_hex(hex) => format!(
            "write the hex digits in lower case: `sha256:{}`",
            hex.to_ascii_lowercase()
        ),
        None if is_hex(text) => {
            format!("add the algorithm: `sha256:{}`", text.to_ascii_lowercase())
        }
        _ => "copy the fingerprint the finding shows: `sha256:` and 64 hex digits".to_owned(),
    };
    problems.push(
        value.span,
        format!("`fingerprint` `{text}` is not `sha256:` and 64 lower-case hex digits"),
        Some(hint),
    );
    None
}

fn string_expected(value: &Value<'_>, key: &str, problems: &mut Problems<'_>) {
    let found = value.as_ref().type_str();
    let example = match key {
        "rule" => "write one code or rule id, e.g. `rule = \"private-key\"`",
        "fingerprint" => {
            "write the fingerprint the finding shows, e.g. `fingerprint = \"sha256:...\"`"
        }
        _ => "write why the finding is accepted, e.g. `reason = \"throwaway key for the tests\"`",
    };
    problems.push(
        value.span,
        format!("`{key}` must be a string, found {found}"),
        Some(example.to_owned()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_lower_case_kebab_case_and_codes_are_rule_ids() {
        for id in ["github-token", "aws-access-key-id", "0x-key", "a"] {
            assert!(is_rule_id(id), "{id}");
        }
        for id in ["", "-token", "GitHub-Token", "github_token", "a b"] {
            assert!(!is_rule_id(id), "{id}");
        }
        let codes = secret_codes();
        assert_eq!(
            codes,
            [
                "private-key",
                "cloud-credential",
                "api-token",
                "generic-secret"
            ]
        );
        assert!(codes.iter().all(|c| is_rule_id(c)));
    }
}
