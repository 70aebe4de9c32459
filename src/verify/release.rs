//! `secgate verify release`: the release pipeline check, in one report and one exit code.
//!
//! 1. The tag is signed by an allowed signer (`tag-unsigned`, `signature-invalid`,
//!    `signer-not-allowed`).
//! 2. The tag names the commit being released: `--commit`, else `$GITHUB_SHA`, else HEAD
//!    (`tag-commit-mismatch`).
//! 3. `secgate check` passes on the repository: advisories, licences, pins (a Cargo.lock that is
//!    present and in sync), and the commit signatures the policy requires.
//! 4. With `--artifacts DIR`: a checksum file is there (`checksums-missing`), every artifact is
//!    listed in it (`artifact-unlisted`) with its digest (`checksum-mismatch`), and every
//!    Sigstore bundle beside an artifact verifies (`bundle-invalid`).
//! 5. An SBOM is there (`sbom-missing`) and is CycloneDX or SPDX JSON that lists every locked
//!    package (`sbom-invalid`; see `release_sbom.rs`).

use super::release_sbom::sbom_findings;
use super::sigstore::{bundle_outcome, sigstore_options};
use crate::check::{self, Checked, Scope};
use crate::cli::{CheckArgs, GlobalArgs, VerifyReleaseArgs};
use crate::{output, signatures};
use anyhow::Context;
use secgate_core::{Code, Finding, Gate, Location};
use secgate_policy::{Policy, Requirement};
use secgate_report::Report;
use secgate_sign::git::Repo;
use std::path::{Path, PathBuf};

/// Checksum files a release directory may carry (compared case-insensitively).
const SUMS_NAMES: &[&str] = &[
    "sha256sums",
    "sha256sums.txt",
    "sha512sums",
    "sha512sums.txt",
    "checksums.txt",
];
/// Signature and bundle files: they vouch for artifacts and are not artifacts themselves.
const SIGNATURE_SUFFIXES: &[&str] = &[".sigstore.json", ".sigstore", ".bundle", ".sig", ".asc"];

pub(super) fn release(global: &GlobalArgs, args: &VerifyReleaseArgs) -> anyhow::Result<u8> {
    let check_args = CheckArgs {
        path: args.signers.repo.clone(),
        sources: args.sources.clone(),
        dev: args.dev.clone(),
    };
    let Scope {
        root,
        inventory,
        policy,
        policy_source,
    } = check::scope(global, &check_args)?;
    let repo = Repo::open(&root)?;
    let mut findings = Vec::new();
    let mut notes = Vec::new();

    findings.extend(tag_findings(args, &policy, &root, &repo, &mut notes)?);

    // 3. Every gate of `check`; the tag was verified above, so the check does not do it again.
    let mut check_policy = policy.clone();
    check_policy.signatures.tags = Requirement::Off;
    let (gathered, packages) =
        match check::gather(global, &check_args, &check_policy, &root, inventory)? {
            Checked::Ran(gathered) => {
                let packages = gathered
                    .inventory
                    .as_ref()
                    .map_or(0, secgate_inventory::Inventory::package_count);
                (gathered, packages)
            }
            Checked::Stale(finding, packages) => {
                return crate::databases::stale_exit(
                    global,
                    finding,
                    packages,
                    &secgate_report::Sources::default(),
                );
            }
        };
    findings.extend(gathered.findings);
    notes.extend(gathered.notes);
    let mut sources = gathered.sources;
    let mut gates = gathered.gates;
    gates.extend([Gate::Signatures, Gate::Release]);

    // 4. Artifacts, checksums, bundles.
    let mut sbom_candidates = Vec::new();
    if let Some(dir) = &args.artifacts {
        let artifacts = artifact_files(dir)?;
        sbom_candidates.extend(
            artifacts
                .iter()
                .filter(|a| is_sbom_name(a))
                .map(|a| dir.join(a)),
        );
        findings.extend(artifact_findings(
            args,
            dir,
            &artifacts,
            &mut notes,
            &mut sources,
        )?);
    }

    // 5. The SBOM.
    let sbom = args
        .sbom
        .clone()
        .or_else(|| sbom_candidates.into_iter().next());
    // Without an artifacts directory, a missing SBOM is the repository's (".") to fix.
    let missing_at = args
        .artifacts
        .as_ref()
        .map_or_else(|| ".".to_owned(), |d| d.display().to_string());
    findings.extend(sbom_findings(
        sbom.as_deref(),
        gathered.inventory.as_ref(),
        &missing_at,
        &mut notes,
    ));

    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    let applied = secgate_policy::apply(&policy, findings, &gates, crate::audit::today());
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        packages,
        applied.ignored,
    );
    report.notes = notes;
    report.summary.files = gathered.files;
    output::gate(global, &report, &sources)
}

/// The tag is signed by an allowed signer (the policy's, or the ones given) and names the
/// released commit.
fn tag_findings(
    args: &VerifyReleaseArgs,
    policy: &Policy,
    root: &Path,
    repo: &Repo,
    notes: &mut Vec<String>,
) -> anyhow::Result<Vec<Finding>> {
    let signers = signatures::load(
        policy,
        root,
        args.signers.allowed_signers.as_deref(),
        &args.signers.openpgp_keys,
    )?;
    let s = &policy.signatures;
    let ctx = signatures::context(
        &signers,
        signatures::requiring(policy, Requirement::Required, s.tags_location.as_ref()),
    );
    let tag = args.tag.strip_prefix("refs/tags/").unwrap_or(&args.tag);
    let signed = secgate_sign::tag::verify_tag(repo, tag, &ctx)?;
    if let Some(v) = &signed.verified {
        notes.push(format!(
            "release: tag `{tag}` signed by {} ({} key {})",
            v.signer, v.format, v.key
        ));
    }
    let mut findings = signed.findings;

    let released = match (&args.commit, std::env::var("GITHUB_SHA")) {
        (Some(commit), _) => commit.clone(),
        (None, Ok(sha)) if !sha.is_empty() => sha,
        _ => "HEAD".to_owned(),
    };
    let tagged = repo.commit_id(&format!("refs/tags/{tag}"))?;
    let released_id = repo.commit_id(&released)?;
    if tagged == released_id {
        notes.push(format!(
            "release: tag `{tag}` is on the released commit {}",
            short(&tagged)
        ));
    } else {
        let mut f = Finding::new(
            Code::TagCommitMismatch,
            ctx.location.clone(),
            format!(
                "tag `{tag}` is on commit {} but the release is built from `{released}` ({})",
                short(&tagged),
                short(&released_id)
            ),
        );
        f.id = Some(tag.to_owned());
        f.fix = Some(format!(
            "build the release from `{tag}`, or tag the released commit"
        ));
        findings.push(f);
    }
    Ok(findings)
}

/// The regular, visible files of the artifacts directory, by name, sorted.
fn artifact_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the artifacts directory `{}`", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        let is_file = entry
            .file_type()
            .with_context(|| format!("cannot read `{}`", entry.path().display()))?
            .is_file();
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_file && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn is_sums_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SUMS_NAMES.contains(&lower.as_str()) || lower.ends_with(".sha256") || lower.ends_with(".sha512")
}

fn is_signature_name(name: &str) -> bool {
    SIGNATURE_SUFFIXES.iter().any(|s| name.ends_with(s))
}

fn is_sbom_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let json = Path::new(&lower)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    json && (lower.ends_with(".cdx.json") || lower.ends_with(".spdx.json") || lower.contains("bom"))
}

/// Checksum files, unlisted artifacts, and the Sigstore bundles beside artifacts.
fn artifact_findings(
    args: &VerifyReleaseArgs,
    dir: &Path,
    artifacts: &[String],
    notes: &mut Vec<String>,
    sources: &mut secgate_report::Sources,
) -> anyhow::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let shown = dir.display().to_string();
    let sums: Vec<&String> = artifacts.iter().filter(|a| is_sums_name(a)).collect();
    if sums.is_empty() {
        let mut f = Finding::new(
            Code::ChecksumsMissing,
            Location::new(shown.clone(), 1, 1),
            format!("`{shown}` has no checksum file (SHA256SUMS, SHA512SUMS, checksums.txt)"),
        );
        f.fix = Some("write one: `sha256sum * > SHA256SUMS`".to_owned());
        findings.push(f);
    }
    let mut listed = std::collections::BTreeSet::new();
    for name in &sums {
        let path = dir.join(name);
        let display = format!("{shown}/{name}");
        let report = secgate_sign::checksums::verify_checksums(&path, &display, dir)?;
        notes.push(format!(
            "release: `{display}`: {} of {} listed file(s) match",
            report.matched, report.listed
        ));
        listed.extend(
            report
                .names
                .iter()
                .map(|n| n.trim_start_matches("./").to_owned()),
        );
        findings.extend(report.findings);
        if let Ok(text) = std::fs::read_to_string(&path) {
            sources.insert(display, text);
        }
    }
    if !sums.is_empty() {
        for artifact in artifacts {
            if is_sums_name(artifact) || is_signature_name(artifact) || listed.contains(artifact) {
                continue;
            }
            let mut f = Finding::new(
                Code::ArtifactUnlisted,
                Location::new(format!("{shown}/{artifact}"), 1, 1),
                format!(
                    "`{artifact}` is not listed in {}",
                    sums.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            f.id = Some(artifact.clone());
            f.fix =
                Some("regenerate the checksum file after the last artifact is built".to_owned());
            findings.push(f);
        }
    }
    // Bundles: `<artifact>.sigstore.json` (or `.sigstore`, `.bundle`) beside the artifact.
    let bundles: Vec<(PathBuf, PathBuf)> = artifacts
        .iter()
        .filter(|a| !is_signature_name(a))
        .filter_map(|a| {
            [".sigstore.json", ".sigstore", ".bundle"]
                .iter()
                .map(|suffix| dir.join(format!("{a}{suffix}")))
                .find(|b| b.is_file())
                .map(|b| (dir.join(a), b))
        })
        .collect();
    if !bundles.is_empty() {
        let options =
            sigstore_options(&args.sigstore).context("the artifacts carry Sigstore bundles")?;
        for (artifact, bundle) in bundles {
            let bytes = std::fs::read(&artifact)
                .with_context(|| format!("cannot read `{}`", artifact.display()))?;
            let outcome = bundle_outcome(&artifact, &bytes, &bundle, &options)?;
            findings.extend(outcome.findings);
            notes.extend(outcome.notes);
        }
    }
    Ok(findings)
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}
