//! `secgate licenses`: inventory → licence discovery → evaluation → policy → report.

use crate::audit::{openable_policy_path, sources, today};
use crate::cli::{GlobalArgs, LicensesArgs};
use crate::output;
use anyhow::{Context, bail};
use secgate_core::{Finding, Gate, Package};
use secgate_inventory::Inventory;
use secgate_licenses::discover::{DiscoverOptions, Discovery, cargo_fetch, discover};
use secgate_policy::Policy;
use secgate_report::Report;

pub fn run(global: &GlobalArgs, args: &LicensesArgs) -> anyhow::Result<u8> {
    let inventory = secgate_inventory::discover(&args.path)?;
    let (policy, policy_source) = secgate_policy::load(&inventory.root, global.config.as_deref())
        .map_err(|e| openable_policy_path(&inventory.root, e))?;
    let findings = license_findings(global, &policy, &inventory, args.fetch)?;
    let applied = secgate_policy::apply(&policy, findings, &[Gate::Licenses], today());
    let report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        inventory.package_count(),
        applied.ignored,
    );
    output::gate(global, &report, &sources(&inventory, policy_source))
}

/// Every licence finding for the inventory's packages. Fails (the gate did not run) when the
/// sources of some crate are not in the cargo cache and `fetch` is off or fails.
pub fn license_findings(
    global: &GlobalArgs,
    policy: &Policy,
    inventory: &Inventory,
    fetch: bool,
) -> anyhow::Result<Vec<Finding>> {
    // Licences are read from crate manifests; npm and PyPI packages are not covered yet.
    let packages: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.ecosystem == secgate_core::Ecosystem::CratesIo)
        .collect();
    let (discovery, opts) = discovery(
        global,
        inventory,
        &packages,
        policy.licenses.confidence_threshold,
        fetch,
    )?;
    if !discovery.missing.is_empty() {
        bail!("{}", missing_message(&discovery, &opts));
    }
    let inputs = secgate_licenses::inputs(&packages, &discovery.found);
    Ok(secgate_licenses::evaluate::evaluate(
        &inputs,
        &policy.licenses.policy,
    ))
}

/// What the crates' manifests and licence files say, from the cargo cache; with `fetch`,
/// `cargo fetch --locked` fills the cache first when crates are missing from it.
pub fn discovery(
    global: &GlobalArgs,
    inventory: &Inventory,
    packages: &[&Package],
    threshold: f32,
    fetch: bool,
) -> anyhow::Result<(Discovery, DiscoverOptions)> {
    let mut opts = DiscoverOptions::from_env(&inventory.root);
    opts.threshold = threshold;
    // Licence texts recognized once are remembered, so a warm run skips the detection engine.
    opts.detection_cache = crate::db::cache_dir(global)
        .ok()
        .map(|cache| cache.join("license-detection"));

    let mut discovery = discover(packages, &opts).context("cannot read the crates' manifests")?;
    if !discovery.missing.is_empty() && fetch {
        if global.offline {
            bail!("`--fetch` runs `cargo fetch`, and `--offline` forbids the network");
        }
        cargo_fetch(&inventory.root).context("`cargo fetch --locked` failed")?;
        discovery = discover(packages, &opts).context("cannot read the crates' manifests")?;
    }
    Ok((discovery, opts))
}

/// The gate cannot judge a crate whose sources it cannot read: say which, and how to get them.
fn missing_message(discovery: &Discovery, opts: &DiscoverOptions) -> String {
    const SHOWN: usize = 10;
    let names: Vec<String> = discovery
        .missing
        .iter()
        .take(SHOWN)
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    let more = discovery.missing.len().saturating_sub(SHOWN);
    format!(
        "the sources of {} locked crate(s) are not in the cargo cache `{}`: {}{}\n\
         hint: run `cargo fetch --locked`, or pass `--fetch` to let secgate run it",
        discovery.missing.len(),
        opts.cargo_home.display(),
        names.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}
