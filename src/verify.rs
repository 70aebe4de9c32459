//! `secgate verify`: signed tags, signed commits, Sigstore bundles and checksum files. Each
//! subcommand reports like the other gates (findings, notes, the chosen format) and exits 1
//! when a signature check failed, 2 when it could not check.

use crate::audit::openable_policy_path;
use crate::cli::{
    GlobalArgs, SigstoreArgs, VerifyArgs, VerifyArtifactArgs, VerifyChecksumsArgs, VerifyCommand,
    VerifyCommitsArgs, VerifyTagArgs,
};
use crate::signatures;
use crate::{exit, output};
use anyhow::{Context, bail};
use secgate_core::{Code, Finding, Gate, Location};
use secgate_policy::Policy;
use secgate_report::{Report, Sources};
use secgate_sign::git::Repo;
use secgate_sign::sigstore::{self, Identity, TrustedRoot, VerifyOptions};
use std::path::Path;

pub fn run(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<u8> {
    match &args.command {
        VerifyCommand::Tag(args) => tag(global, args),
        VerifyCommand::Commits(args) => commits(global, args),
        VerifyCommand::Artifact(args) => artifact(global, args),
        VerifyCommand::Checksums(args) => checksums(global, args),
    }
}

/// What a verify subcommand found, before the policy's levels are applied.
struct Outcome {
    findings: Vec<Finding>,
    notes: Vec<String>,
    sources: Sources,
}

fn tag(global: &GlobalArgs, args: &VerifyTagArgs) -> anyhow::Result<u8> {
    let root = &args.signers.repo;
    let (policy, policy_source) = load_policy(global, root)?;
    let repo = Repo::open(root)?;
    let signers = signatures::load(
        &policy,
        root,
        args.signers.allowed_signers.as_deref(),
        &args.signers.openpgp_keys,
    )?;
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

fn commits(global: &GlobalArgs, args: &VerifyCommitsArgs) -> anyhow::Result<u8> {
    let root = &args.signers.repo;
    let (policy, policy_source) = load_policy(global, root)?;
    let repo = Repo::open(root)?;
    let signers = signatures::load(
        &policy,
        root,
        args.signers.allowed_signers.as_deref(),
        &args.signers.openpgp_keys,
    )?;
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

fn artifact(global: &GlobalArgs, args: &VerifyArtifactArgs) -> anyhow::Result<u8> {
    let (policy, policy_source) = load_policy(global, Path::new("."))?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read `{}`", args.file.display()))?;
    let options = sigstore_options(&args.sigstore)?;
    let outcome = bundle_outcome(&args.file, &bytes, &args.bundle, &options)?;
    finish(global, &policy, policy_source, outcome)
}

fn checksums(global: &GlobalArgs, args: &VerifyChecksumsArgs) -> anyhow::Result<u8> {
    let (policy, policy_source) = load_policy(global, Path::new("."))?;
    let base = match &args.base {
        Some(base) => base.clone(),
        None => crate::pins::scan_root(&args.sums),
    };
    let display = args.sums.display().to_string();
    let mut outcome = Outcome {
        findings: Vec::new(),
        notes: Vec::new(),
        sources: Sources::default(),
    };
    if let Some(bundle) = &args.bundle {
        let bytes =
            std::fs::read(&args.sums).with_context(|| format!("cannot read `{display}`"))?;
        let options = sigstore_options(&args.sigstore)?;
        let signed = bundle_outcome(&args.sums, &bytes, bundle, &options)?;
        outcome.findings.extend(signed.findings);
        outcome.notes.extend(signed.notes);
    }
    let report = secgate_sign::checksums::verify_checksums(&args.sums, &display, &base)?;
    outcome.notes.push(format!(
        "checksums `{display}`: {} of {} listed file(s) match",
        report.matched, report.listed
    ));
    outcome.findings.extend(report.findings);
    if let Ok(text) = std::fs::read_to_string(&args.sums) {
        outcome.sources.insert(display, text);
    }
    finish(global, &policy, policy_source, outcome)
}

/// Verifies `bundle` for the artifact `file` (already read into `bytes`): a note when it
/// verified, a `bundle-invalid` finding at the bundle file when it did not.
fn bundle_outcome(
    file: &Path,
    bytes: &[u8],
    bundle: &Path,
    options: &VerifyOptions,
) -> anyhow::Result<Outcome> {
    let json = std::fs::read(bundle)
        .with_context(|| format!("cannot read the bundle `{}`", bundle.display()))?;
    let mut outcome = Outcome {
        findings: Vec::new(),
        notes: Vec::new(),
        sources: Sources::default(),
    };
    let bundle_shown = bundle.display().to_string();
    match sigstore::verify_bundle(&json, bytes, options) {
        Ok(v) => {
            let when = v.signed_at.map_or_else(String::new, |t| {
                jiff::Timestamp::from_second(t)
                    .map(|t| format!(" at {t}"))
                    .unwrap_or_default()
            });
            let index = v
                .log_index
                .map_or_else(String::new, |i| format!(", log index {i}"));
            outcome.notes.push(format!(
                "artifact `{}`: bundle verified, signed by {}{when}{index}",
                file.display(),
                v.signer
            ));
        }
        Err(reason) => {
            let mut f = Finding::new(
                Code::BundleInvalid,
                Location::new(bundle_shown.clone(), 1, 1),
                format!(
                    "the bundle `{bundle_shown}` does not verify for `{}`: {reason}",
                    file.display()
                ),
            );
            f.id = Some(file.display().to_string());
            outcome.findings.push(f);
        }
    }
    Ok(outcome)
}

fn sigstore_options(args: &SigstoreArgs) -> anyhow::Result<VerifyOptions> {
    let trusted_root = match &args.trusted_root {
        Some(path) => {
            let json = std::fs::read(path)
                .with_context(|| format!("cannot read the trusted root `{}`", path.display()))?;
            TrustedRoot::from_json(&json)
                .with_context(|| format!("`{}` is not a trusted root", path.display()))?
        }
        None => TrustedRoot::public_good(),
    };
    let identity = match (
        &args.key,
        &args.certificate_identity,
        &args.certificate_oidc_issuer,
    ) {
        (Some(key), _, _) => Identity::PublicKey(
            std::fs::read(key)
                .with_context(|| format!("cannot read the key `{}`", key.display()))?,
        ),
        (None, Some(identity), Some(issuer)) => Identity::Certificate {
            identity: identity.clone(),
            issuer: issuer.clone(),
        },
        _ => bail!(
            "a bundle is verified against an expected signer: pass --certificate-identity and \
             --certificate-oidc-issuer, or --key"
        ),
    };
    Ok(VerifyOptions {
        trusted_root,
        identity,
        now: signatures::now(),
    })
}

fn load_policy(
    global: &GlobalArgs,
    root: &Path,
) -> anyhow::Result<(Policy, Option<(String, String)>)> {
    Ok(secgate_policy::load(root, global.config.as_deref())
        .map_err(|e| openable_policy_path(root, e))?)
}

/// Applies the policy's levels, renders, and picks the exit code.
fn finish(
    global: &GlobalArgs,
    policy: &Policy,
    policy_source: Option<(String, String)>,
    outcome: Outcome,
) -> anyhow::Result<u8> {
    let applied = secgate_policy::apply(
        policy,
        outcome.findings,
        &[Gate::Signatures],
        crate::audit::today(),
    );
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        0,
        applied.ignored,
    );
    report.notes = outcome.notes;
    let mut sources = outcome.sources;
    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    output::emit(global, &report, &sources)?;
    Ok(if report.has_denials() {
        exit::EXIT_DENIED
    } else {
        exit::EXIT_OK
    })
}
