//! `secgate pins`: the pinning gate alone: scan → (online: action tags) → policy → report.

use crate::audit::{openable_policy_path, today};
use crate::cli::{GlobalArgs, PinsArgs};
use crate::endpoints::endpoints;
use crate::{action_tags, output};
use anyhow::bail;
use secgate_core::{Finding, Gate};
use secgate_pins::{FileKind, Scan};
use secgate_policy::Policy;
use secgate_report::{Report, Sources};
use std::path::{Path, PathBuf};

pub fn run(global: &GlobalArgs, args: &PinsArgs) -> anyhow::Result<u8> {
    let root = scan_root(&args.path);
    let (policy, policy_source) = secgate_policy::load(&root, global.config.as_deref())
        .map_err(|e| openable_policy_path(&root, e))?;
    let gate = pin_findings(global, &policy, &args.path)?;
    let applied = secgate_policy::apply(&policy, gate.findings, &[Gate::Pins], today());
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        0,
        applied.ignored,
    );
    report.notes = gate.notes;
    report.summary.files = gate.files;
    let mut sources = gate.sources;
    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    output::gate(global, &report, &sources)
}

/// What the pinning gate found, what it says about its run, and the files it quotes.
pub struct PinFindings {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub sources: Sources,
    /// How many files the gate read.
    pub files: usize,
}

/// Scans `path` under `policy`; online, also resolves the tags of SHA-pinned actions.
pub fn pin_findings(
    global: &GlobalArgs,
    policy: &Policy,
    path: &Path,
) -> anyhow::Result<PinFindings> {
    let scan = secgate_pins::scan_excluding(path, &policy.pins.options, &|rel| {
        policy.paths.excludes(rel)
    })?;
    if scan.files.is_empty() {
        bail!(
            "nothing to check for pins under `{}`: no Cargo manifest, workflow, action.yml, \
             Dockerfile, requirements file, package.json or shell script",
            path.display()
        );
    }
    let mut findings = scan.findings.clone();
    let mut notes = vec![checked_note(&scan)];
    notes.extend(scan.notes.iter().cloned());
    if !scan.action_refs.is_empty() {
        if global.offline {
            notes.push(format!(
                "action tags: {} version comment(s) not resolved to commits (--offline)",
                scan.action_refs.len()
            ));
        } else {
            let resolved = action_tags::resolve(endpoints(policy), &scan.action_refs)?;
            findings.extend(secgate_pins::tag_mismatches(&scan.action_refs, &resolved));
        }
    }
    let mut sources = Sources::default();
    let files = scan.files.len();
    for file in scan.files {
        sources.insert(file.path, file.text);
    }
    Ok(PinFindings {
        findings,
        notes,
        sources,
        files,
    })
}

/// The directory findings are relative to (and the policy is looked up in): PATH itself, or
/// the directory of a single file.
pub fn scan_root(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_owned();
    }
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// "pins: checked 2 Cargo manifests, 1 workflow, ..." — so a run that read nothing says so.
fn checked_note(scan: &Scan) -> String {
    let kinds = [
        (FileKind::CargoManifest, "Cargo manifest", "Cargo manifests"),
        (FileKind::CargoLock, "Cargo.lock", "Cargo.lock files"),
        (FileKind::Workflow, "workflow", "workflows"),
        (FileKind::Action, "action", "actions"),
        (FileKind::Dockerfile, "Dockerfile", "Dockerfiles"),
        (
            FileKind::Requirements,
            "requirements file",
            "requirements files",
        ),
        (FileKind::PackageJson, "package.json", "package.json files"),
        (FileKind::NpmLock, "package-lock", "package-locks"),
        (
            FileKind::OtherJsLock,
            "yarn/pnpm/bun lockfile",
            "yarn/pnpm/bun lockfiles",
        ),
        (FileKind::ShellScript, "shell script", "shell scripts"),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter_map(|(kind, one, many)| {
            let n = scan.count(*kind);
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        })
        .collect();
    format!("pins: checked {}", parts.join(", "))
}
