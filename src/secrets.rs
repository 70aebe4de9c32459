//! `secgate secrets`: committed credentials in the working tree, or added by the commits of a
//! range; and the secret gate of `secgate check` when `[secrets] enabled = true`.
//!
//! Findings show masked values only, and the human report never quotes a secret's line.

use crate::cli::{GlobalArgs, SecretsArgs};
use crate::{audit::today, output};
use anyhow::{Context, bail};
use secgate_core::{Finding, Gate};
use secgate_policy::Policy;
use secgate_report::{Report, Sources};
use secgate_secrets::{AllowEntry, Scan, ScanOptions, SkipReason};
use std::path::Path;

pub fn run(global: &GlobalArgs, args: &SecretsArgs) -> anyhow::Result<u8> {
    let project = crate::project::load(global, &args.path)?;
    let policy = project.policy;
    let (findings, notes, files) = secret_findings(&policy, &args.path, args.commits.as_deref())?;
    let applied = secgate_policy::apply(&policy, findings, &[Gate::Secrets], today());
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        0,
        applied.ignored,
    );
    report.notes = notes;
    report.summary.files = files;
    let mut sources = Sources::default();
    if let Some((path, text)) = project.policy_source {
        sources.insert(path, text);
    }
    output::gate(global, &report, &sources)
}

/// Scans `path` (or, with `commits`, the lines the range adds) under the policy's `[secrets]`:
/// the findings, the notes, and how many files or blobs were read. Fails (the gate did not run)
/// when a file could not be read or nothing was scanned.
pub fn secret_findings(
    policy: &Policy,
    path: &Path,
    commits: Option<&str>,
) -> anyhow::Result<(Vec<Finding>, Vec<String>, usize)> {
    let s = &policy.secrets;
    let opts = ScanOptions {
        max_file_size: s.max_file_size,
        entropy_threshold: s.entropy_threshold,
        ..ScanOptions::default()
    };
    let allow: Vec<AllowEntry> = s
        .allow
        .iter()
        .map(|a| AllowEntry {
            path: a.path.clone(),
            rule: a.rule.clone(),
            fingerprint: a.fingerprint.clone(),
            reason: a.reason.clone(),
            location: a.location.clone(),
        })
        .collect();
    let (scan, what) = match commits {
        Some(range) => (
            secgate_secrets::scan_commits(path, range, &opts, &allow)
                .with_context(|| format!("cannot scan the commits `{range}`"))?,
            format!("the lines added by `{range}`"),
        ),
        None => (
            // `[paths] exclude` keeps test inputs out of every gate's walk, this one too.
            secgate_secrets::scan_tree_excluding(path, &opts, &allow, &policy.paths.exclude)
                .with_context(|| format!("cannot scan `{}`", path.display()))?,
            format!("`{}`", path.display()),
        ),
    };
    let Scan {
        mut findings,
        allowed,
        files,
        skipped,
    } = scan;
    let unreadable: Vec<&str> = skipped
        .iter()
        .filter(|(_, why)| *why == SkipReason::Unreadable)
        .map(|(p, _)| p.as_str())
        .collect();
    if !unreadable.is_empty() {
        // A file the gate could not read may hold exactly what it looks for.
        bail!(
            "cannot read {} file(s) under {what}: {}",
            unreadable.len(),
            unreadable.join(", ")
        );
    }
    if files == 0 && commits.is_none() {
        bail!("nothing to scan for secrets under {what}");
    }
    // What a commit range adds in an excluded path is left out too.
    findings.retain(|f| !policy.paths.excludes(&f.location.path));
    let mut notes = vec![format!(
        "secrets: scanned {files} file(s) of {what}{}",
        if allowed > 0 {
            format!("; {allowed} finding(s) allowed by `[secrets] allow`")
        } else {
            String::new()
        }
    )];
    let binary = skipped
        .iter()
        .filter(|(_, why)| *why == SkipReason::Binary)
        .count();
    let large: Vec<&str> = skipped
        .iter()
        .filter(|(_, why)| *why == SkipReason::TooLarge)
        .map(|(p, _)| p.as_str())
        .collect();
    if binary > 0 {
        notes.push(format!("secrets: {binary} binary file(s) not scanned"));
    }
    if !large.is_empty() {
        notes.push(format!(
            "secrets: {} file(s) over `max-file-size` not scanned: {}",
            large.len(),
            large.join(", ")
        ));
    }
    Ok((findings, notes, files))
}
