//! `[pins]`: the pinning gate's policy. `actions = "sha"` wants every `uses:` pinned to a commit
//! (owners listed in `allow-tags` may use tags), `images = "digest"` every `FROM` pinned by
//! digest, `python = "exact"` (or `"exact-with-hashes"`) every requirement pinned with `==`
//! (and hashed); `"off"` turns a rule off. `ignore` accepts findings per file, with a reason.

mod glob;
mod ignore;

pub use glob::glob_match;
pub use ignore::PathIgnore;

use crate::cfg::unknown_key;
use crate::error::Problems;
use crate::suggest;
use secgate_core::Location;
use secgate_pins::{ActionsRule, ImagesRule, PinsOptions, PythonRule};
use toml_span::value::Table;
use toml_span::{Span, Value};

/// The `[pins]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinsPolicy {
    /// What the pinning gate checks.
    pub options: PinsOptions,
    /// Findings accepted per file, in file order.
    pub ignore: Vec<PathIgnore>,
    /// Where the `[pins]` table is, when the policy has one.
    pub location: Option<Location>,
}

const KEYS: &[&str] = &["actions", "allow-tags", "images", "python", "ignore"];

/// Parses the `[pins]` table at `span`; `path` is the policy file, for locations.
pub(crate) fn parse_pins(
    table: &Table<'_>,
    span: Span,
    path: &str,
    problems: &mut Problems<'_>,
) -> PinsPolicy {
    let mut pins = PinsPolicy {
        location: Some(problems.location(path, span)),
        ..PinsPolicy::default()
    };
    for (key, value) in table {
        match key.name.as_ref() {
            "actions" => {
                if let Some(rule) = choice(value, "actions", &["sha", "off"], problems) {
                    pins.options.actions = match rule {
                        "off" => ActionsRule::Off,
                        _ => ActionsRule::Sha,
                    };
                }
            }
            "images" => {
                if let Some(rule) = choice(value, "images", &["digest", "off"], problems) {
                    pins.options.images = match rule {
                        "off" => ImagesRule::Off,
                        _ => ImagesRule::Digest,
                    };
                }
            }
            "python" => {
                let names = ["exact", "exact-with-hashes", "off"];
                if let Some(rule) = choice(value, "python", &names, problems) {
                    pins.options.python = match rule {
                        "off" => PythonRule::Off,
                        "exact-with-hashes" => PythonRule::ExactWithHashes,
                        _ => PythonRule::Exact,
                    };
                }
            }
            "allow-tags" => pins.options.allow_tags = allow_tags(value, problems),
            "ignore" => pins.ignore = ignore::parse(value, path, problems),
            _ => unknown_key(key, Some("pins"), KEYS, problems),
        }
    }
    pins
}

/// A string value that must be one of `names`.
pub(crate) fn choice(
    value: &Value<'_>,
    key: &str,
    names: &[&'static str],
    problems: &mut Problems<'_>,
) -> Option<&'static str> {
    let hint = Some(format!("`{key}` is one of {}", suggest::list(names)));
    let Some(s) = value.as_str() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`{key}` must be a string, found {found}"),
            hint,
        );
        return None;
    };
    let found = names.iter().copied().find(|n| *n == s);
    if found.is_none() {
        problems.push(value.span, format!("unknown `{key}` rule `{s}`"), hint);
    }
    found
}

/// `allow-tags`: `owner/*` or `owner/repo` patterns.
fn allow_tags(value: &Value<'_>, problems: &mut Problems<'_>) -> Vec<String> {
    const HINT: &str = "write `allow-tags = [\"actions/*\", \"owner/repo\"]`";
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`allow-tags` must be an array of strings, found {found}"),
            Some(HINT.to_owned()),
        );
        return Vec::new();
    };
    let mut patterns = Vec::new();
    for item in items {
        let Some(s) = item.as_str() else {
            let found = item.as_ref().type_str();
            problems.push(
                item.span,
                format!("`allow-tags` entries must be strings, found {found}"),
                Some(HINT.to_owned()),
            );
            continue;
        };
        if is_repo_pattern(s) {
            patterns.push(s.to_owned());
        } else {
            problems.push(
                item.span,
                format!("`{s}` is not `owner/*` or `owner/repo`"),
                Some(HINT.to_owned()),
            );
        }
    }
    patterns
}

fn is_repo_pattern(s: &str) -> bool {
    let name = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    match s.split_once('/') {
        Some((owner, repo)) => name(owner) && (repo == "*" || name(repo)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_repo_pattern;

    #[test]
    fn repo_patterns_are_owner_star_or_owner_repo() {
        assert!(is_repo_pattern("actions/*"));
        assert!(is_repo_pattern("Swatinem/rust-cache"));
        assert!(!is_repo_pattern("actions"));
        assert!(!is_repo_pattern("*/checkout"));
        assert!(!is_repo_pattern("a/b/c"));
        assert!(!is_repo_pattern("a/"));
    }
}
