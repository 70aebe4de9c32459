//! One pass of every rule over one text: the prefilter, then the rules it allows, then the
//! generic rule's leftovers that a specific rule already explains are dropped.

use crate::rules::{Group, TOKEN_RULES, prefilter};
use crate::{generic, jwt, private_key};
use secgate_core::Code;

/// One secret found in a text, before it becomes a finding.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hit {
    /// Stable rule id.
    pub rule: &'static str,
    /// What the rule detects, for the message.
    pub what: &'static str,
    pub code: Code,
    /// The secret's exact text (never shown).
    pub secret: String,
    /// What the message shows instead of the secret.
    pub shown: String,
    /// Byte offset of the secret's first character.
    pub offset: usize,
    /// Byte offset of a related token (the JWT a secret signs), for messages and for deciding
    /// whether a commit introduced the finding.
    pub related: Option<usize>,
}

impl Hit {
    /// A hit whose message shows the masked secret.
    pub(crate) fn masked(
        rule: &'static str,
        what: &'static str,
        code: Code,
        secret: &str,
        offset: usize,
    ) -> Hit {
        Hit {
            rule,
            what,
            code,
            secret: secret.to_owned(),
            shown: crate::mask(secret),
            offset,
            related: None,
        }
    }

    fn overlaps(&self, other: &Hit) -> bool {
        self.offset < other.offset + other.secret.len()
            && other.offset < self.offset + self.secret.len()
    }
}

/// Every secret in `text`, a file at `path` (relative, `/`-separated), in offset order.
pub(crate) fn detect(path: &str, text: &str, entropy_threshold: f64) -> Vec<Hit> {
    let groups = prefilter(text);
    if groups.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    // Spans of format matches whose validation failed (a bad checksum, an AWS example): the
    // generic rule must not report them either.
    let mut rejected: Vec<std::ops::Range<usize>> = Vec::new();
    if groups.has(Group::PrivateKey) {
        hits.extend(private_key::find(text));
    }
    for rule in TOKEN_RULES.iter().filter(|r| groups.has(r.group)) {
        for caps in rule.regex.captures_iter(text) {
            let Some(secret) = caps.get(1) else { continue };
            if (rule.valid)(secret.as_str()) {
                hits.push(Hit::masked(
                    rule.id,
                    rule.what,
                    rule.code,
                    secret.as_str(),
                    secret.start(),
                ));
            } else {
                rejected.push(secret.range());
            }
        }
    }
    if groups.has(Group::Jwt) {
        hits.extend(jwt::find(text));
    }
    if groups.has(Group::Generic) && !generic::is_test_fixture(path) {
        let generic = generic::find(text, entropy_threshold);
        let explained = |g: &Hit| {
            hits.iter().any(|h| h.overlaps(g))
                || rejected
                    .iter()
                    .any(|r| r.start < g.offset + g.secret.len() && g.offset < r.end)
        };
        let fresh: Vec<Hit> = generic.into_iter().filter(|g| !explained(g)).collect();
        hits.extend(fresh);
    }
    hits.sort_by(|a, b| (a.offset, a.rule).cmp(&(b.offset, b.rule)));
    hits.dedup_by(|a, b| a.offset == b.offset && a.rule == b.rule);
    hits
}
