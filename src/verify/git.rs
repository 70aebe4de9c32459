//! `secgate verify tag` and `secgate verify commits`.

use super::{Outcome, finish};
use crate::cli::{GlobalArgs, SignersArgs, VerifyCommitsArgs, VerifyTagArgs};
use crate::project::load_policy;
use crate::signatures::{self, Signers};
use anyhow::bail;
use secgate_policy::Policy;
use secgate_report::Sources;
use secgate_sign::git::Repo;

/// The policy, repository and signers a tag or commit check runs with.
struct Setup {
    policy: Policy,
    policy_source: Option<(String, String)>,
    repo: Repo,
    signers: Signers,
}

fn setup(global: &GlobalArgs, args: &SignersArgs) -> anyhow::Result<Setup> {
    let root = &args.repo;
    let (policy, policy_source) = load_policy(global, root)?;
    let repo = Repo::open(root)?;
    let signers = signatures::load(
        &policy,
        root,
        args.allowed_signers.as_deref(),
        &args.openpgp_keys,
    )?;
    Ok(Setup {
        policy,
        policy_source,
        repo,
        signers,
    })
}

pub(super) fn tag(global: &GlobalArgs, args: &VerifyTagArgs) -> anyhow::Result<u8> {
    let Setup {
        policy,
        policy_source,
        repo,
        signers,
    } = setup(global, &args.signers)?;
    let s = &policy.signatures;
    let ctx = signatures::context(
        &signers,
        signatures::requiring(&policy, s.tags, s.tags_location.as_ref()),
    );
    let name = args.tag.strip_prefix("refs/tags/").unwrap_or(&args.tag);
    let report = secgate_sign::tag::verify_tag(&repo, name, &ctx)?;
    let mut notes = Vec::new();
    if let Some(v) = &report.verified {
        notes.push(format!(
            "tag `{name}`: signed by {} ({} key {})",
            v.signer, v.format, v.key
        ));
    }
    finish(
        global,
        &policy,
        policy_source,
        Outcome {
            findings: report.findings,
            notes,
            sources: Sources::default(),
        },
    )
}

pub(super) fn commits(global: &GlobalArgs, args: &VerifyCommitsArgs) -> anyhow::Result<u8> {
    let Setup {
        policy,
        policy_source,
        repo,
        signers,
    } = setup(global, &args.signers)?;
    let range = match &args.range {
        Some(range) => range.clone(),
        None => signatures::since_tag_range(&repo)?,
    };
    let s = &policy.signatures;
    let ctx = signatures::context(
        &signers,
        signatures::requiring(&policy, s.commits, s.commits_location.as_ref()),
    );
    let report = secgate_sign::commits::verify_commits(&repo, &range, &ctx)?;
    if report.commits.is_empty() && args.range.is_some() {
        // An explicit range that selects nothing verified nothing: never a pass.
        bail!("the range `{range}` has no commits: nothing was verified");
    }
    let signed = report.commits.iter().filter(|(_, v)| v.is_some()).count();
    let notes = vec![format!(
        "commits `{range}`: {} checked, {signed} signed by an allowed signer",
        report.commits.len()
    )];
    finish(
        global,
        &policy,
        policy_source,
        Outcome {
            findings: report.findings,
            notes,
            sources: Sources::default(),
        },
    )
}
