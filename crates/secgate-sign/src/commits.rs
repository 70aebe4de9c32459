//! `secgate verify commits`: every commit of a range is signed by an allowed signer.

use crate::git::Repo;
use crate::{SignError, TrustContext, Verified};
use secgate_core::Finding;

/// The outcome of checking a range of commits.
#[derive(Clone, Debug, Default)]
pub struct CommitsReport {
    /// `commit-unsigned`, `signature-invalid` or `signer-not-allowed`, one per failing commit,
    /// each with the commit id as `id` and naming the commit's author and subject.
    pub findings: Vec<Finding>,
    /// Every commit checked, with its signer when it verified, oldest first.
    pub commits: Vec<(String, Option<Verified>)>,
}

/// Checks every commit of `range` (merges included).
pub fn verify_commits(
    repo: &Repo,
    range: &str,
    ctx: &TrustContext<'_>,
) -> Result<CommitsReport, SignError> {
    let _ = (repo, range, ctx);
    Err(SignError::Git(
        "commit verification is not built yet".to_owned(),
    ))
}
