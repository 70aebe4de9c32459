//! The signers a run trusts, from `--allowed-signers` / `--openpgp-key` or the policy's
//! `[signatures]`, and the signature gate as `secgate check` runs it (the tag at `HEAD`, the
//! commits of `commit-range`).

use anyhow::Context;
use secgate_core::{Finding, Location};
use secgate_policy::{Policy, Requirement};
use secgate_sign::git::Repo;
use secgate_sign::openpgp::Keyring;
use secgate_sign::ssh::AllowedSigners;
use secgate_sign::{SignError, Trust, TrustContext};
use std::path::{Path, PathBuf};

/// The trust files and where findings about them point.
pub struct Signers {
    pub trust: Trust,
    /// The first trust file, as the report shows it (fallback location of findings).
    pub shown: String,
}

/// Loads the signers: the flags when any is given (paths as given), else the policy's
/// (relative to the policy file's directory).
pub fn load(
    policy: &Policy,
    root: &Path,
    allowed_signers: Option<&Path>,
    openpgp_keys: &[PathBuf],
) -> anyhow::Result<Signers> {
    let (ssh, pgp): (Option<PathBuf>, Vec<PathBuf>) =
        if allowed_signers.is_some() || !openpgp_keys.is_empty() {
            (allowed_signers.map(Path::to_owned), openpgp_keys.to_vec())
        } else {
            let dir = policy_dir(policy, root);
            let s = &policy.signatures;
            (
                s.allowed_signers.as_ref().map(|p| dir.join(p)),
                s.openpgp_keys.iter().map(|p| dir.join(p)).collect(),
            )
        };
    let mut trust = Trust::default();
    if let Some(path) = &ssh {
        trust.allowed_signers = Some(AllowedSigners::load(path)?);
    }
    if !pgp.is_empty() {
        let paths: Vec<&Path> = pgp.iter().map(PathBuf::as_path).collect();
        trust.openpgp = Some(Keyring::load(&paths)?);
    }
    if trust.is_empty() {
        return Err(SignError::NoTrust.into());
    }
    let first = ssh.as_ref().or(pgp.first()).map(|p| shown(root, p));
    Ok(Signers {
        trust,
        shown: first.unwrap_or_default(),
    })
}

/// The directory relative paths of the policy are resolved in.
fn policy_dir(policy: &Policy, root: &Path) -> PathBuf {
    let Some(path) = policy.path.as_deref() else {
        return root.to_owned();
    };
    let path = Path::new(path);
    let file = if path.is_absolute() {
        path.to_owned()
    } else {
        root.join(path)
    };
    file.parent()
        .map_or_else(|| root.to_owned(), Path::to_owned)
}

/// `path` relative to `root` when inside it (`/`-separated), else as given.
pub fn shown(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Seconds since the epoch, from the clock: key expiry is judged at the real time, never at
/// `SOURCE_DATE_EPOCH` (which only makes reports reproducible).
pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Where a finding of a check points: the policy line that requires it (`tags = "required"`)
/// when a policy file does, else (`None`) the trust file.
pub fn requiring<'a>(
    policy: &Policy,
    requirement: Requirement,
    location: Option<&'a Location>,
) -> Option<&'a Location> {
    (policy.path.is_some() && requirement == Requirement::Required)
        .then_some(location)
        .flatten()
}

/// The context findings get: at `policy_location` when the policy demanded the check, else at
/// the trust file.
pub fn context<'a>(signers: &'a Signers, policy_location: Option<&Location>) -> TrustContext<'a> {
    TrustContext {
        trust: &signers.trust,
        location: policy_location
            .cloned()
            .unwrap_or_else(|| Location::new(signers.shown.clone(), 1, 1)),
        now: now(),
    }
}

/// The commits `--since-tag` (and `check` without `commit-range`) means: since the latest tag
/// reachable from HEAD, or all of history when there is none.
pub fn since_tag_range(repo: &Repo) -> anyhow::Result<String> {
    Ok(match repo.latest_tag()? {
        Some(tag) => format!("refs/tags/{tag}..HEAD"),
        None => "HEAD".to_owned(),
    })
}

/// The signature gate of `secgate check`: what the policy requires, in the repository at
/// `root`. Returns findings and notes.
pub fn check_findings(policy: &Policy, root: &Path) -> anyhow::Result<(Vec<Finding>, Vec<String>)> {
    let s = &policy.signatures;
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    if !s.enabled() {
        return Ok((findings, notes));
    }
    let repo = Repo::open(root).context("the signature gate needs the git repository")?;
    let signers = load(policy, root, None, &[])?;
    if s.tags == Requirement::Required {
        let ctx = context(
            &signers,
            requiring(policy, s.tags, s.tags_location.as_ref()),
        );
        let tags = release_tags(&repo)?;
        if tags.is_empty() {
            notes.push("signatures: no tag at HEAD, so no tag to verify".to_owned());
        }
        for tag in tags {
            let report = secgate_sign::tag::verify_tag(&repo, &tag, &ctx)?;
            if let Some(v) = &report.verified {
                notes.push(format!(
                    "signatures: tag `{tag}` signed by {} ({} {})",
                    v.signer, v.format, v.key
                ));
            }
            findings.extend(report.findings);
        }
    }
    if s.commits == Requirement::Required {
        let ctx = context(
            &signers,
            requiring(policy, s.commits, s.commits_location.as_ref()),
        );
        let range = match &s.commit_range {
            Some(range) => range.clone(),
            None => since_tag_range(&repo)?,
        };
        let report = secgate_sign::commits::verify_commits(&repo, &range, &ctx)?;
        notes.push(format!(
            "signatures: checked {} commit(s) of `{range}`",
            report.commits.len()
        ));
        findings.extend(report.findings);
    }
    Ok((findings, notes))
}

/// The tags a release build is for: `$GITHUB_REF`'s tag on a tag push, else the tags at HEAD.
fn release_tags(repo: &Repo) -> anyhow::Result<Vec<String>> {
    if let Some(tag) = std::env::var("GITHUB_REF")
        .ok()
        .and_then(|r| r.strip_prefix("refs/tags/").map(str::to_owned))
    {
        return Ok(vec![tag]);
    }
    let mut tags = repo.tags_at_head()?;
    tags.sort();
    Ok(tags)
}
