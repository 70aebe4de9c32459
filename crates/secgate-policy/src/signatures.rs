//! `[signatures]`: the signature gate's policy. `tags = "required"` makes `secgate check` verify
//! the release tag at `HEAD`, `commits = "required"` every commit of `commit-range` (default:
//! since the latest tag); signers come from git's `allowed-signers` file (SSH) and armored
//! `openpgp-keys`, paths relative to the policy file.

use crate::cfg::unknown_key;
use crate::error::Problems;
use crate::pins::choice;
use secgate_core::Location;
use toml_span::Span;
use toml_span::Value;
use toml_span::value::Table;

/// Whether a kind of object must be signed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Requirement {
    /// Not checked by `secgate check` (`secgate verify` still checks on request).
    #[default]
    Off,
    /// Must be signed by an allowed signer.
    Required,
}

/// The `[signatures]` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignaturesPolicy {
    /// Release tags at `HEAD`.
    pub tags: Requirement,
    /// Where `tags` was set.
    pub tags_location: Option<Location>,
    /// Commits of `commit_range`.
    pub commits: Requirement,
    /// Where `commits` was set.
    pub commits_location: Option<Location>,
    /// The range `commits = "required"` checks (`git rev-list` syntax); `None`: since the latest
    /// tag reachable from `HEAD`, or the whole history when there is none.
    pub commit_range: Option<String>,
    /// git's allowed-signers file, as written (relative to the policy file's directory).
    pub allowed_signers: Option<String>,
    /// Armored OpenPGP public key files, as written.
    pub openpgp_keys: Vec<String>,
    /// Where the `[signatures]` table is.
    pub location: Option<Location>,
}

impl SignaturesPolicy {
    /// Whether `secgate check` runs the signature gate.
    pub fn enabled(&self) -> bool {
        self.tags == Requirement::Required || self.commits == Requirement::Required
    }
}

const KEYS: &[&str] = &[
    "tags",
    "commits",
    "commit-range",
    "allowed-signers",
    "openpgp-keys",
];

/// Parses the `[signatures]` table at `span`.
pub(crate) fn parse_signatures(
    table: &Table<'_>,
    span: Span,
    path: &str,
    problems: &mut Problems<'_>,
) -> SignaturesPolicy {
    let mut policy = SignaturesPolicy {
        location: Some(problems.location(path, span)),
        ..SignaturesPolicy::default()
    };
    for (key, value) in table {
        match key.name.as_ref() {
            "tags" => {
                policy.tags = requirement(value, "tags", problems);
                policy.tags_location = Some(problems.location(path, value.span));
            }
            "commits" => {
                policy.commits = requirement(value, "commits", problems);
                policy.commits_location = Some(problems.location(path, value.span));
            }
            "commit-range" => policy.commit_range = text(value, "commit-range", problems),
            "allowed-signers" => {
                policy.allowed_signers = text(value, "allowed-signers", problems);
            }
            "openpgp-keys" => policy.openpgp_keys = key_files(value, problems),
            _ => unknown_key(key, Some("signatures"), KEYS, problems),
        }
    }
    if policy.enabled() && policy.allowed_signers.is_none() && policy.openpgp_keys.is_empty() {
        problems.push(
            span,
            "`[signatures]` requires signatures but names no signer",
            Some(
                "add `allowed-signers = \".github/allowed_signers\"` (SSH) or \
                 `openpgp-keys = [\".github/release-keys.asc\"]`"
                    .to_owned(),
            ),
        );
    }
    policy
}

fn requirement(value: &Value<'_>, key: &str, problems: &mut Problems<'_>) -> Requirement {
    match choice(value, key, &["required", "off"], problems) {
        Some("required") => Requirement::Required,
        _ => Requirement::Off,
    }
}

/// A non-empty string.
fn text(value: &Value<'_>, key: &str, problems: &mut Problems<'_>) -> Option<String> {
    match value.as_str() {
        Some(s) if !s.trim().is_empty() => Some(s.to_owned()),
        Some(_) => {
            problems.push(value.span, format!("`{key}` must not be empty"), None);
            None
        }
        None => {
            let found = value.as_ref().type_str();
            problems.push(
                value.span,
                format!("`{key}` must be a string, found {found}"),
                None,
            );
            None
        }
    }
}

fn key_files(value: &Value<'_>, problems: &mut Problems<'_>) -> Vec<String> {
    let Some(items) = value.as_array() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`openpgp-keys` must be an array of file paths, found {found}"),
            Some("write `openpgp-keys = [\".github/release-keys.asc\"]`".to_owned()),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| text(item, "openpgp-keys", problems))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Policy, PolicyError, Requirement};

    fn problems(text: &str) -> Vec<String> {
        match Policy::parse(text, "secgate.toml") {
            Err(PolicyError::Invalid { problems, .. }) => {
                problems.into_iter().map(|p| p.message).collect()
            }
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn parses_every_key() {
        let policy = Policy::parse(
            "[signatures]\ntags = \"required\"\ncommits = \"required\"\n\
             commit-range = \"origin/main..HEAD\"\nallowed-signers = \".github/allowed_signers\"\n\
             openpgp-keys = [\"keys/a.asc\", \"keys/b.asc\"]\n",
            "secgate.toml",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = &policy.signatures;
        assert_eq!(s.tags, Requirement::Required);
        assert_eq!(s.commits, Requirement::Required);
        assert_eq!(s.tags_location.as_ref().map(|l| l.line), Some(2));
        assert_eq!(s.commit_range.as_deref(), Some("origin/main..HEAD"));
        assert_eq!(
            s.allowed_signers.as_deref(),
            Some(".github/allowed_signers")
        );
        assert_eq!(s.openpgp_keys, ["keys/a.asc", "keys/b.asc"]);
        assert!(s.enabled());
    }

    #[test]
    fn off_by_default() {
        let policy = Policy::parse("", "secgate.toml").unwrap_or_else(|e| panic!("{e}"));
        assert!(!policy.signatures.enabled());
    }

    #[test]
    fn required_without_signers_is_an_error() {
        let found = problems("[signatures]\ntags = \"required\"\n");
        assert_eq!(
            found,
            ["`[signatures]` requires signatures but names no signer"]
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let found = problems(
            "[signatures]\ntags = \"yes\"\nopenpgp-keys = \"a.asc\"\nallowed-signers = \"\"\nkeys = 1\n",
        );
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("unknown `tags` rule `yes`"), "{found:?}");
    }
}
