//! `secgate verify artifact` and `secgate verify checksums`: Sigstore bundles and checksum
//! files.

use super::{Outcome, finish};
use crate::cli::{GlobalArgs, SigstoreArgs, VerifyArtifactArgs, VerifyChecksumsArgs};
use crate::project::load_policy;
use crate::signatures;
use anyhow::{Context, bail};
use secgate_core::{Code, Finding, Location};
use secgate_report::Sources;
use secgate_sign::sigstore::{self, Identity, TrustedRoot, VerifyOptions};
use std::path::Path;

pub(super) fn artifact(global: &GlobalArgs, args: &VerifyArtifactArgs) -> anyhow::Result<u8> {
    let (policy, policy_source) = load_policy(global, Path::new("."))?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read `{}`", args.file.display()))?;
    let options = sigstore_options(&args.sigstore)?;
    let outcome = bundle_outcome(&args.file, &bytes, &args.bundle, &options)?;
    finish(global, &policy, policy_source, outcome)
}

pub(super) fn checksums(global: &GlobalArgs, args: &VerifyChecksumsArgs) -> anyhow::Result<u8> {
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
pub(super) fn bundle_outcome(
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

pub(super) fn sigstore_options(args: &SigstoreArgs) -> anyhow::Result<VerifyOptions> {
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
