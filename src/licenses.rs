//! `secgate licenses`: inventory → licence discovery → evaluation → policy → report.

use crate::audit::{sources, today};
use crate::cli::{GlobalArgs, LicenseSourceArgs, LicensesArgs};
use crate::listing::first_of;
use crate::output;
use anyhow::{Context, bail};
use secgate_core::{Ecosystem, Finding, Gate, Location, Package, PackageSource};
use secgate_inventory::Inventory;
use secgate_licenses::discover::{DiscoverOptions, Discovery, cargo_fetch, discover};
use secgate_licenses::evaluate::{LicenseInput, LicenseSource};
use secgate_licenses::npm::{NpmLicense, NpmLockfile, discover_npm, npm_project};
use secgate_policy::Policy;
use secgate_report::Report;

pub fn run(global: &GlobalArgs, args: &LicensesArgs) -> anyhow::Result<u8> {
    let project = crate::project::load(global, &args.path)?;
    let (policy, policy_source) = (project.policy, project.policy_source);
    let inventory = project.inventory?;
    let (findings, notes) = license_findings(global, &policy, &inventory, &args.sources)?;
    let applied = secgate_policy::apply(&policy, findings, &[Gate::Licenses], today());
    let mut report = Report::new(
        env!("CARGO_PKG_VERSION"),
        applied.findings,
        inventory.package_count(),
        applied.ignored,
    );
    report.notes = notes;
    output::gate(global, &report, &sources(&inventory, policy_source))
}

/// Every licence finding for the inventory's packages: crates from their manifests in the
/// cargo cache, npm packages from their lockfile entries or installed `package.json`. Fails
/// (the gate did not run) when some package's licence cannot be read: a crate's sources are
/// not in the cargo cache (and `fetch` is off or fails), or an npm package is neither recorded
/// in its lockfile nor installed.
pub fn license_findings(
    global: &GlobalArgs,
    policy: &Policy,
    inventory: &Inventory,
    args: &LicenseSourceArgs,
) -> anyhow::Result<(Vec<Finding>, Vec<String>)> {
    let mut notes = Vec::new();
    let mut crates: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.ecosystem == Ecosystem::CratesIo)
        .collect();
    if args.graph || args.all_features || !args.target.is_empty() {
        let before = crates.len();
        crates = crate::license_graph::built(global, inventory, crates, args)?;
        notes.push(crate::license_graph::note(before, crates.len(), args));
    }
    let mut inputs = Vec::new();
    if !crates.is_empty() {
        let (discovery, opts) = discovery(
            global,
            inventory,
            &crates,
            policy.licenses.confidence_threshold,
            args.fetch,
        )?;
        if !discovery.missing.is_empty() {
            bail!("{}", missing_message(&discovery, &opts));
        }
        inputs = secgate_licenses::inputs(&crates, &discovery.found);
    }
    let projects = npm_projects(inventory);
    let npm = npm_inputs(inventory, &projects)?;
    inputs.extend(npm);
    let python = inventory
        .packages()
        .filter(|p| p.ecosystem == Ecosystem::PyPI)
        .count();
    if python > 0 {
        // Said, not hidden: these packages passed no licence check.
        notes.push(format!(
            "licenses: {python} PyPI package(s) not checked (secgate reads the licences of crates \
             and npm packages)"
        ));
    }
    let findings = secgate_licenses::evaluate::evaluate(&inputs, &policy.licenses.policy);
    Ok((findings, notes))
}

/// The npm projects beside the inventory's npm lockfiles, as packages the licence gate judges
/// (located at their `license` line).
fn npm_projects(inventory: &Inventory) -> Vec<(Package, LicenseSource)> {
    let mut seen = std::collections::BTreeSet::new();
    inventory
        .lockfiles
        .iter()
        .filter(|l| {
            l.packages
                .first()
                .is_some_and(|p| p.ecosystem == Ecosystem::Npm)
        })
        .filter_map(|l| npm_project(&inventory.root, &l.path))
        .filter(|p| seen.insert(p.path.clone()))
        .map(|p| {
            let package = Package {
                name: p.name,
                version: p.version,
                ecosystem: Ecosystem::Npm,
                source: PackageSource::Local,
                checksum: None,
                dependencies: Vec::new(),
                direct: None,
                dev: false,
                location: Location::new(p.path, p.line, 1),
            };
            let source = p.license.map_or(LicenseSource::Missing, |expression| {
                LicenseSource::Declared { expression }
            });
            (package, source)
        })
        .collect()
}

/// Evaluator inputs for every npm package and project; fails when some package's licence is
/// recorded nowhere.
fn npm_inputs<'a>(
    inventory: &'a Inventory,
    projects: &'a [(Package, LicenseSource)],
) -> anyhow::Result<Vec<LicenseInput<'a>>> {
    let packages: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.ecosystem == Ecosystem::Npm)
        .collect();
    let discovery = discover_npm(&inventory.root, &npm_lockfiles(inventory), &packages);
    let unrecorded: Vec<&Package> = discovery.unrecorded().map(|i| packages[i]).collect();
    if !unrecorded.is_empty() {
        bail!("{}", unrecorded_message(&unrecorded));
    }
    let mut inputs: Vec<LicenseInput<'a>> = packages
        .iter()
        .zip(discovery.found)
        .filter_map(|(package, found)| match found {
            NpmLicense::Known(source) => Some(LicenseInput {
                package,
                source,
                files: Vec::new(),
            }),
            NpmLicense::Own | NpmLicense::Unrecorded => None,
        })
        .collect();
    inputs.extend(projects.iter().map(|(package, source)| LicenseInput {
        package,
        source: source.clone(),
        files: Vec::new(),
    }));
    Ok(inputs)
}

/// The inventory's lockfiles as npm licence discovery reads them (it picks the npm ones).
pub fn npm_lockfiles(inventory: &Inventory) -> Vec<NpmLockfile<'_>> {
    inventory
        .lockfiles
        .iter()
        .map(|l| NpmLockfile {
            path: &l.path,
            text: &l.text,
        })
        .collect()
}

/// The gate cannot judge npm packages whose licence no local file records: say which, and how
/// to make it readable.
fn unrecorded_message(packages: &[&Package]) -> String {
    let lockfiles: std::collections::BTreeSet<&str> =
        packages.iter().map(|p| p.location.path.as_str()).collect();
    format!(
        "the licences of {} npm package(s) are not recorded in `{}` and the packages are not \
         installed: {}\n\
         hint: install them first (`npm ci`, `pnpm install --frozen-lockfile`, `yarn install \
         --frozen-lockfile`) so `node_modules` holds their package.json, or re-lock with a current \
         npm, whose package-lock.json records each package's licence",
        packages.len(),
        lockfiles.into_iter().collect::<Vec<_>>().join("`, `"),
        first_of(
            packages.iter().map(|p| format!("{}@{}", p.name, p.version)),
            SHOWN
        ),
    )
}

/// How many packages an error line names.
const SHOWN: usize = 10;

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
    format!(
        "the sources of {} locked crate(s) are not in the cargo cache `{}`: {}\n\
         hint: run `cargo fetch --locked`, or pass `--fetch` to let secgate run it",
        discovery.missing.len(),
        opts.cargo_home.display(),
        first_of(
            discovery.missing.iter().map(|(n, v)| format!("{n} {v}")),
            SHOWN
        ),
    )
}
