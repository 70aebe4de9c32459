//! `secgate verify commits`: every commit of a range is signed by an allowed signer.

use crate::git::verify::{self, Outcome};
use crate::git::{Repo, SignedObject};
use crate::{SignError, TrustContext, Verified};
use secgate_core::{Code, Finding};

/// The outcome of checking a range of commits.
#[derive(Clone, Debug, Default)]
pub struct CommitsReport {
    /// `commit-unsigned`, `signature-invalid` or `signer-not-allowed`, one per failing commit,
    /// each with the commit id as `id` and naming the commit's author and subject.
    pub findings: Vec<Finding>,
    /// Every commit checked, with its signer when it verified, oldest first.
    pub commits: Vec<(String, Option<Verified>)>,
}

/// Checks every commit of `range` (merges included). An empty range is no error: the report
/// then holds no commits, and the caller decides what that means.
pub fn verify_commits(
    repo: &Repo,
    range: &str,
    ctx: &TrustContext<'_>,
) -> Result<CommitsReport, SignError> {
    if ctx.trust.is_empty() {
        return Err(SignError::NoTrust);
    }
    let mut report = CommitsReport::default();
    for commit in repo.commits(range)? {
        let verified = match verify::check(&commit, ctx) {
            Outcome::Verified(verified) => Some(verified),
            Outcome::Unsigned => {
                let message = format!("{} carries no signature", describe(&commit));
                let fix = "sign commits (`git config commit.gpgSign true`) and re-sign the range";
                report.findings.push(finding(
                    &commit,
                    ctx,
                    Code::CommitUnsigned,
                    message,
                    Some(fix.to_owned()),
                ));
                None
            }
            Outcome::Rejected { code, reason, fix } => {
                let what = if code == Code::SignatureInvalid {
                    "has an invalid signature"
                } else {
                    "is not signed by an allowed signer"
                };
                let message = format!("{} {what}: {reason}", describe(&commit));
                report
                    .findings
                    .push(finding(&commit, ctx, code, message, fix));
                None
            }
        };
        report.commits.push((commit.id, verified));
    }
    Ok(report)
}

/// A finding about `commit`.
fn finding(
    commit: &SignedObject,
    ctx: &TrustContext<'_>,
    code: Code,
    message: String,
    fix: Option<String>,
) -> Finding {
    let mut finding = Finding::new(code, ctx.location.clone(), message);
    finding.id = Some(commit.id.clone());
    finding.fix = fix;
    finding
}

/// `commit 1a2b3c4d5e6f by Name <email> ("subject")`.
fn describe(commit: &SignedObject) -> String {
    let author = if commit.who.is_empty() {
        "an unknown author"
    } else {
        &commit.who
    };
    format!(
        "commit {} by {author} (\"{}\")",
        commit.short_id(),
        commit.subject
    )
}
