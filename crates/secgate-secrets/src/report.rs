//! Turning a hit into a finding: the location of the secret's first character, a message with
//! the masked value and the fingerprint, and what to do.

use crate::detect::Hit;
use secgate_core::{Code, Finding, LineIndex, Location};
use std::fmt::Write as _;

/// A finding with the fingerprint the allowlist matches on (the finding only shows it).
#[derive(Clone, Debug)]
pub(crate) struct Detected {
    pub finding: Finding,
    pub fingerprint: String,
}

/// Where a text came from, for messages.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'a> {
    /// A file of the tree.
    Tree,
    /// A blob a commit added or changed; the short commit id.
    Commit(&'a str),
}

fn fix(code: Code, fingerprint: &str) -> String {
    match code {
        Code::PrivateKey => "revoke or rotate the key first (deleting the file does not remove it \
            from history), then remove it; allowlist a throwaway test key by path"
            .to_owned(),
        Code::CloudCredential => "deactivate the key at the provider, issue a new one and load \
            it from the CI secret store or the environment"
            .to_owned(),
        Code::ApiToken => "revoke the token at the service and give CI a new one, with the least \
            scope needed, as a secret"
            .to_owned(),
        _ => format!(
            "move the value to the environment or a secret store; if it is not a secret, \
             allowlist `{fingerprint}` with a reason"
        ),
    }
}

/// The finding for `hit` in the text indexed by `index`, a file at `path`.
pub(crate) fn to_finding(
    hit: &Hit,
    path: &str,
    text: &str,
    index: &LineIndex,
    origin: Origin<'_>,
) -> Detected {
    let (line, column) = index.line_col(text, hit.offset);
    let fingerprint = crate::fingerprint(&hit.secret);
    let mut message = format!("{} `{}` ({fingerprint})", hit.what, hit.shown);
    if let Some(related) = hit.related {
        let (jwt_line, _) = index.line_col(text, related);
        let _ = write!(message, " verifies the HMAC of the JWT on line {jwt_line}");
    }
    match origin {
        Origin::Tree => message.push_str(" is committed"),
        Origin::Commit(commit) => {
            let _ = write!(message, " is added by commit {commit}");
        }
    }
    let mut finding = Finding::new(hit.code, Location::new(path, line, column), message);
    finding.id = Some(hit.rule.to_owned());
    finding.fix = Some(fix(hit.code, &fingerprint));
    Detected {
        finding,
        fingerprint,
    }
}
