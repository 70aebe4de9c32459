//! `secgate check`: every gate in one run — advisories, licences, pins, secrets when the policy
//! enables them, and signatures when it requires them — one report, one exit code. A gate without input (advisories and
//! licences need a lockfile) says so in the notes; a gate that cannot run on its input fails
//! the run (exit 2), as it would alone. `secgate verify release` runs the same gates through
//! [`gather`].

use crate::audit::{advisory_findings, sources, today};
use crate::cli::{CheckArgs, GlobalArgs};
use crate::licenses::license_findings;
use crate::pins::pin_findings;
use crate::{databases, output, signatures};
use secgate_core::{Finding, Gate};
use secgate_inventory::{Inventory, InventoryError};
use secgate_policy::Policy;
use secgate_report::{Report, Sources};
use std::path::PathBuf;

/// What every gate of a check found, before the policy is applied.
pub struct Gathered {
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
    pub gates: Vec<Gate>,
    pub sources: Sources,
    pub inventory: Option<Inventory>,
    /// Files the pinning gate read.
    pub files: usize,
}

/// The outcome of [`gather`]: the gates ran, or the advisory data is too old to run on.
pub enum Checked {
    Ran(Gathered),
    Stale(Finding, usize),
}

/// The scanned root, and the policy that governs it.
pub struct Scope {
    pub root: PathBuf,
    pub inventory: Option<Inventory>,
    pub policy: Policy,
    pub policy_source: Option<(String, String)>,
}

/// Finds the inventory (none when nothing is locked) and loads the policy of its root.
pub fn scope(global: &GlobalArgs, args: &CheckArgs) -> anyhow::Result<Scope> {
    let project = crate::project::load(global, &args.path)?;
    // Without any lockfile pinning exact versions, only the pinning gate has something to read
    // (and reports a workspace without a lockfile as `lockfile-missing`, ranges as unpinned).
    let inventory = match project.inventory {
        Ok(inventory) => Some(inventory),
        Err(InventoryError::NoLockfile { .. } | InventoryError::NothingLocked { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let (root, policy, policy_source) = (project.root, project.policy, project.policy_source);
    Ok(Scope {
        root,
        inventory,
        policy,
        policy_source,
    })
}

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> anyhow::Result<u8> {
    let Scope {
        root,
        inventory,
        policy,
        policy_source,
    } = scope(global, args)?;
    let gathered = match gather(global, args, &policy, &root, inventory)? {
        Checked::Ran(gathered) => gathered,
        Checked::Stale(finding, packages) => {
            // As in `audit`: the advisories gate cannot run on stale data, so neither can check.
            let mut sources = Sources::default();
            if let Some((path, text)) = policy_source {
                sources.insert(path, text);
            }
            return databases::stale_exit(global, finding, packages, &sources);
        }
    };
    let Gathered {
        findings,
        notes,
        gates,
        mut sources,
        inventory,
        files,
    } = gathered;
    if let Some((path, text)) = policy_source {
        sources.insert(path, text);
    }
    let applied = secgate_policy::apply(&policy, findings, &gates, today());
    let packages = inventory.as_ref().map_or(0, Inventory::package_count);
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        packages,
        applied.ignored,
    );
    report.notes = notes;
    report.summary.files = files;
    output::gate(global, &report, &sources)
}

/// Runs every gate the policy enables on `root` (and its `inventory`).
pub fn gather(
    global: &GlobalArgs,
    args: &CheckArgs,
    policy: &Policy,
    root: &std::path::Path,
    inventory: Option<Inventory>,
) -> anyhow::Result<Checked> {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let mut gates = Vec::new();
    let mut report_sources = Sources::default();
    if let Some(inventory) = &inventory {
        let selected = databases::select(global, policy)?;
        if let Some(freshness) = selected.freshness.as_ref().filter(|f| f.stale) {
            return Ok(Checked::Stale(
                databases::stale_finding(freshness, policy),
                inventory.package_count(),
            ));
        }
        let include_dev = args.dev.include().unwrap_or(policy.advisories.include_dev);
        let (audited, dev_note) = crate::audit::without_dev(inventory, include_dev);
        let (advisories, advisory_notes) = advisory_findings(global, policy, &audited, &selected)?;
        notes.extend(dev_note);
        findings.extend(advisories);
        notes.extend(advisory_notes);
        let (licensed, license_notes) = license_findings(global, policy, inventory, &args.sources)?;
        findings.extend(licensed);
        notes.extend(license_notes);
        gates.extend([Gate::Advisories, Gate::Licenses]);
        report_sources = sources(inventory, None);
    } else {
        notes.push(format!(
            "advisories and licenses: not run (no lockfile with exact versions under `{}`)",
            args.path.display()
        ));
    }
    let pins = pin_findings(global, policy, &args.path)?;
    findings.extend(pins.findings);
    notes.extend(pins.notes);
    gates.push(Gate::Pins);
    report_sources.extend(pins.sources);
    if policy.secrets.enabled {
        let (secrets, secret_notes, _) = crate::secrets::secret_findings(policy, &args.path, None)?;
        findings.extend(secrets);
        notes.extend(secret_notes);
        gates.push(Gate::Secrets);
    }
    if policy.signatures.enabled() {
        let (signed, signature_notes) = signatures::check_findings(policy, root)?;
        findings.extend(signed);
        notes.extend(signature_notes);
        gates.push(Gate::Signatures);
    }
    Ok(Checked::Ran(Gathered {
        findings,
        notes,
        gates,
        sources: report_sources,
        inventory,
        files: pins.files,
    }))
}
