//! `secgate verify tag`: the tag is annotated, signed, the signature verifies over the exact tag
//! payload, and the signer is allowed.

use crate::git::verify::{self, Outcome};
use crate::git::{Repo, SignedObject, TagTarget};
use crate::{SignError, TrustContext, Verified};
use secgate_core::{Code, Finding};

/// The outcome of checking one tag.
#[derive(Clone, Debug, Default)]
pub struct TagReport {
    /// `tag-unsigned`, `signature-invalid` or `signer-not-allowed`; empty when the tag passed.
    pub findings: Vec<Finding>,
    /// Who signed it, when the signature verified and the signer is allowed.
    pub verified: Option<Verified>,
}

/// Checks the tag `name` of `repo`. A lightweight tag or an annotated tag without a signature is
/// `tag-unsigned`; a signature that does not verify is `signature-invalid`; a key that is not
/// trusted (or not at that time) is `signer-not-allowed`. Findings carry the tag name as `id`,
/// `ctx.location` as location, and name the tagger.
pub fn verify_tag(repo: &Repo, name: &str, ctx: &TrustContext<'_>) -> Result<TagReport, SignError> {
    if ctx.trust.is_empty() {
        return Err(SignError::NoTrust);
    }
    let tag = match repo.tag(name)? {
        TagTarget::Annotated(tag) => tag,
        TagTarget::Lightweight(_) => {
            let message = format!("`{name}` is a lightweight tag: there is no tag object to sign");
            return Ok(rejected(
                name,
                ctx,
                Code::TagUnsigned,
                message,
                Some(resign(name)),
            ));
        }
    };
    let report = match verify::check(&tag, ctx) {
        Outcome::Verified(verified) => TagReport {
            findings: Vec::new(),
            verified: Some(verified),
        },
        Outcome::Unsigned => {
            let message = format!("tag `{name}` ({}) carries no signature", tagger(&tag));
            rejected(name, ctx, Code::TagUnsigned, message, Some(resign(name)))
        }
        Outcome::Rejected { code, reason, fix } => {
            let what = if code == Code::SignatureInvalid {
                "has an invalid signature"
            } else {
                "is not signed by an allowed signer"
            };
            let message = format!("tag `{name}` ({}) {what}: {reason}", tagger(&tag));
            rejected(name, ctx, code, message, fix)
        }
    };
    Ok(report)
}

/// A report with the one finding that fails the tag.
fn rejected(
    name: &str,
    ctx: &TrustContext<'_>,
    code: Code,
    message: String,
    fix: Option<String>,
) -> TagReport {
    let mut finding = Finding::new(code, ctx.location.clone(), message);
    finding.id = Some(name.to_owned());
    finding.fix = fix;
    TagReport {
        findings: vec![finding],
        verified: None,
    }
}

/// Who made the tag, for messages.
fn tagger(tag: &SignedObject) -> String {
    if tag.who.is_empty() {
        "no tagger".to_owned()
    } else {
        format!("tagged by {}", tag.who)
    }
}

/// How to replace the tag by a signed one on the same commit.
fn resign(name: &str) -> String {
    format!(
        "recreate it signed on the same commit: `git tag -s -f -m {name} {name} {name}^{{}}`, then push it with `git push --force origin refs/tags/{name}`"
    )
}
