//! The rules with a recognizable format (cloud keys, service tokens) and the literal prefilter
//! that decides, in one pass over a file, which rules can match it at all.

use crate::checksum::crc_suffix_valid;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;
use secgate_core::Code;
use std::sync::LazyLock;

/// A family of rules sharing prefilter literals; a bit in [`Groups`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    PrivateKey,
    AwsKeyId,
    AwsSecret,
    Google,
    Azure,
    GitHub,
    Npm,
    GitLab,
    Slack,
    Stripe,
    PyPi,
    Jwt,
    Generic,
}

/// The groups whose literals occur in a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Groups(u32);

impl Groups {
    /// Whether `group`'s literals occur.
    pub(crate) fn has(self, group: Group) -> bool {
        self.0 & (1 << group as u32) != 0
    }

    /// Whether no literal occurs.
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Prefilter literals, matched ASCII-case-insensitively.
const LITERALS: &[(&str, Group)] = &[
    ("-----begin ", Group::PrivateKey),
    ("akia", Group::AwsKeyId),
    ("asia", Group::AwsKeyId),
    ("abia", Group::AwsKeyId),
    ("acca", Group::AwsKeyId),
    ("aws_secret_access_key", Group::AwsSecret),
    ("secretaccesskey", Group::AwsSecret),
    ("aiza", Group::Google),
    ("accountkey=", Group::Azure),
    ("ghp_", Group::GitHub),
    ("gho_", Group::GitHub),
    ("ghu_", Group::GitHub),
    ("ghs_", Group::GitHub),
    ("ghr_", Group::GitHub),
    ("github_pat_", Group::GitHub),
    ("npm_", Group::Npm),
    ("glpat-", Group::GitLab),
    ("xoxb-", Group::Slack),
    ("xoxa-", Group::Slack),
    ("xoxp-", Group::Slack),
    ("xoxr-", Group::Slack),
    ("xoxs-", Group::Slack),
    ("hooks.slack.com/services/", Group::Slack),
    ("sk_live_", Group::Stripe),
    ("rk_live_", Group::Stripe),
    ("pypi-ageichlwas5vcmc", Group::PyPi),
    ("eyj", Group::Jwt),
    ("pass", Group::Generic),
    ("pwd", Group::Generic),
    ("secret", Group::Generic),
    ("api_key", Group::Generic),
    ("api-key", Group::Generic),
    ("apikey", Group::Generic),
    ("token", Group::Generic),
];

static PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(LITERALS.iter().map(|(literal, _)| literal))
        .expect("the prefilter literals are valid")
});

/// The groups whose literals occur in `text`: one pass, however many rules there are.
pub(crate) fn prefilter(text: &str) -> Groups {
    let mut groups = Groups::default();
    for m in PREFILTER.find_overlapping_iter(text) {
        if let Some((_, group)) = LITERALS.get(m.pattern().as_usize()) {
            groups.0 |= 1 << *group as u32;
        }
    }
    groups
}

/// A rule with a recognizable format: its regex's group 1 is the secret.
pub(crate) struct TokenRule {
    /// Stable rule id, the finding's `id`.
    pub id: &'static str,
    /// What the rule detects, for messages.
    pub what: &'static str,
    pub code: Code,
    pub group: Group,
    pub regex: Regex,
    /// Extra validation of the secret; `false` drops the match.
    pub valid: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

/// AWS documents `...EXAMPLE` ids and keys; they are placeholders.
fn not_aws_example(secret: &str) -> bool {
    !secret.contains("EXAMPLE")
}

/// A 40-character AWS secret mixes upper case, lower case and digits; a hex digest does not.
fn aws_secret_shape(secret: &str) -> bool {
    not_aws_example(secret)
        && secret.bytes().any(|b| b.is_ascii_uppercase())
        && secret.bytes().any(|b| b.is_ascii_lowercase())
        && secret.bytes().any(|b| b.is_ascii_digit())
}

/// The Azure storage emulator's key is published in Microsoft's documentation.
fn not_azurite(secret: &str) -> bool {
    !secret.starts_with("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq")
}

/// Slack tokens carry numeric workspace and user ids; `xoxb-your-token-here` does not.
fn slack_shape(secret: &str) -> bool {
    secret.bytes().any(|b| b.is_ascii_digit())
}

fn rule(
    id: &'static str,
    what: &'static str,
    code: Code,
    group: Group,
    pattern: &str,
    valid: fn(&str) -> bool,
) -> TokenRule {
    TokenRule {
        id,
        what,
        code,
        group,
        regex: Regex::new(pattern).expect("rule patterns are valid"),
        valid,
    }
}

/// Every rule with a recognizable format.
pub(crate) static TOKEN_RULES: LazyLock<Vec<TokenRule>> = LazyLock::new(|| {
    use Code::{ApiToken, CloudCredential};
    vec![
        rule(
            "aws-access-key-id",
            "AWS access key id",
            CloudCredential,
            Group::AwsKeyId,
            r"\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
            not_aws_example,
        ),
        rule(
            "aws-secret-access-key",
            "AWS secret access key",
            CloudCredential,
            Group::AwsSecret,
            r"(?mi:aws_secret_access_key|secretaccesskey)(?:[^\nA-Za-z0-9+/]|[^\n]{0,24}?[^\nA-Za-z0-9+/])([A-Za-z0-9+/]{40})(?:[^A-Za-z0-9+/=]|$)",
            aws_secret_shape,
        ),
        rule(
            "google-api-key",
            "Google API key",
            CloudCredential,
            Group::Google,
            r"(?m)\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
            always,
        ),
        rule(
            "azure-storage-key",
            "Azure storage account key",
            CloudCredential,
            Group::Azure,
            r"AccountKey=([A-Za-z0-9+/]{86}==)",
            not_azurite,
        ),
        rule(
            "github-token",
            "GitHub token",
            ApiToken,
            Group::GitHub,
            r"\b(gh[pousr]_[A-Za-z0-9]{36})\b",
            crc_suffix_valid,
        ),
        rule(
            "github-token",
            "GitHub fine-grained token",
            ApiToken,
            Group::GitHub,
            r"\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b",
            always,
        ),
        rule(
            "npm-token",
            "npm access token",
            ApiToken,
            Group::Npm,
            r"\b(npm_[A-Za-z0-9]{36})\b",
            crc_suffix_valid,
        ),
        rule(
            "gitlab-token",
            "GitLab personal access token",
            ApiToken,
            Group::GitLab,
            r"(?m)\b(glpat-[0-9A-Za-z_-]{20,64})(?:[^0-9A-Za-z_-]|$)",
            always,
        ),
        rule(
            "slack-token",
            "Slack token",
            ApiToken,
            Group::Slack,
            r"\b(xox[baprs]-[0-9A-Za-z-]{10,})",
            slack_shape,
        ),
        rule(
            "slack-webhook",
            "Slack incoming webhook",
            ApiToken,
            Group::Slack,
            r"(https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{24})\b",
            always,
        ),
        rule(
            "stripe-secret-key",
            "Stripe live secret key",
            ApiToken,
            Group::Stripe,
            r"\b((?:sk|rk)_live_[0-9A-Za-z]{24,})",
            always,
        ),
        rule(
            "pypi-token",
            "PyPI upload token",
            ApiToken,
            Group::PyPi,
            r"(pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,})",
            always,
        ),
    ]
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_names_the_groups_present() {
        let groups = prefilter("x = 'GHP_'\n-----BEGIN X");
        assert!(groups.has(Group::GitHub));
        assert!(groups.has(Group::PrivateKey));
        assert!(!groups.has(Group::Stripe));
        assert!(prefilter("nothing here").is_empty());
    }

    #[test]
    fn every_rule_compiles_and_captures_a_group() {
        for rule in TOKEN_RULES.iter() {
            assert_eq!(rule.regex.captures_len(), 2, "{}", rule.id);
        }
    }
}
