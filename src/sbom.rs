//! `secgate sbom`: inventory (+ licences, + advisories on request) → CycloneDX or SPDX JSON.

use crate::audit::{advisory_findings, today};
use crate::cli::{CdxVersionArg, FormatArg, GlobalArgs, SbomArgs};
use crate::licenses::{discovery, npm_lockfiles};
use crate::{databases, exit, output};
use anyhow::bail;
use secgate_core::{Code, Ecosystem, Finding, Package, PackageSource};
use secgate_inventory::Inventory;
use secgate_licenses::evaluate::LicenseSource;
use secgate_licenses::npm::{NpmLicense, discover_npm};
use secgate_policy::Policy;
use secgate_sbom::cyclonedx::SpecVersion;
use secgate_sbom::{Analysis, DroppedEdge, Rating, Root, Sbom, Tool, Vulnerability};
use std::collections::BTreeMap;
use std::io::Write as _;

pub fn run(global: &GlobalArgs, args: &SbomArgs) -> anyhow::Result<u8> {
    let spdx = match global.format {
        FormatArg::Human | FormatArg::Cyclonedx => false,
        FormatArg::Spdx => true,
        FormatArg::Json | FormatArg::Sarif | FormatArg::Markdown => {
            bail!("`secgate sbom` writes `--format cyclonedx` (the default) or `--format spdx`")
        }
    };
    let project = crate::project::load(global, &args.path)?;
    let policy = project.policy;
    let inventory = project.inventory?;
    let licenses = licenses(global, &policy, &inventory, args.fetch)?;
    let tool = Tool {
        name: "secgate".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let built = secgate_sbom::build_with_dropped(
        &inventory,
        root(&inventory),
        &licenses,
        tool,
        timestamp(args),
    )?;
    note_dropped(&built.dropped);
    let mut sbom = built.sbom;
    if args.with_vulnerabilities {
        let selected = databases::select(global, &policy)?;
        if let Some(freshness) = selected.freshness.as_ref().filter(|f| f.stale) {
            bail!("{}", databases::stale_finding(freshness, &policy).message);
        }
        let (findings, _) = advisory_findings(global, &policy, &inventory, &selected)?;
        sbom.vulnerabilities = vulnerabilities(&sbom, &policy, &findings);
    }
    let text = if spdx {
        secgate_sbom::spdx::write(&sbom)
    } else {
        let spec = match args.spec_version {
            CdxVersionArg::V1_5 => SpecVersion::V1_5,
            CdxVersionArg::V1_6 => SpecVersion::V1_6,
        };
        secgate_sbom::cyclonedx::write(&sbom, spec)
    };
    output::write_document(global, &text)?;
    Ok(exit::EXIT_OK)
}

/// How many dropped edges the note names.
const DROPPED_SHOWN: usize = 3;

/// One `secgate: note:` line on stderr for npm / Python dependency edges the SBOM leaves out
/// (the SBOM is still written: see `secgate_sbom::build_with_dropped`).
fn note_dropped(dropped: &[DroppedEdge]) {
    if dropped.is_empty() {
        return;
    }
    let shown: Vec<String> = dropped
        .iter()
        .take(DROPPED_SHOWN)
        .map(ToString::to_string)
        .collect();
    let more = dropped.len().saturating_sub(DROPPED_SHOWN);
    let more = if more == 0 {
        String::new()
    } else {
        format!("; and {more} more")
    };
    let edges = if dropped.len() == 1 { "edge" } else { "edges" };
    let mut stderr = std::io::stderr().lock();
    // A note that cannot be written must not fail the SBOM that can.
    let _ = writeln!(
        stderr,
        "secgate: note: {} dependency {edges} left out of the SBOM (no single package matches): {}{more}",
        dropped.len(),
        shown.join("; ")
    );
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), the clock with `--timestamp`, else none.
fn timestamp(args: &SbomArgs) -> Option<i64> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    epoch.or_else(|| args.timestamp.then(|| jiff::Timestamp::now().as_second()))
}

/// The described project: the one top-level local crate when there is one (its name and
/// version, as the root `Cargo.toml` declares them), else the name and version the root's
/// `package.json` or `pyproject.toml` declares, else the directory.
fn root(inventory: &Inventory) -> Root {
    let crates: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.source == PackageSource::Local && p.ecosystem == Ecosystem::CratesIo)
        .collect();
    let depended: std::collections::HashSet<&str> = crates
        .iter()
        .flat_map(|p| p.dependencies.iter())
        .map(|d| d.split(' ').next().unwrap_or(d))
        .collect();
    let tops: Vec<&&Package> = crates
        .iter()
        .filter(|p| !depended.contains(p.name.as_str()))
        .collect();
    let (name, version) = if let [one] = tops.as_slice() {
        (one.name.clone(), Some(one.version.clone()))
    } else if let Some(declared) = declared_project(&inventory.root) {
        declared
    } else {
        let dir = std::fs::canonicalize(&inventory.root).unwrap_or(inventory.root.clone());
        let name = dir.file_name().map_or_else(
            || "project".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        (name, None)
    };
    Root {
        bom_ref: "root".to_owned(),
        name,
        version,
        purl: None,
        depends_on: Vec::new(),
    }
}

/// `name` and `version` of the project manifest at `dir`: `package.json`, or `pyproject.toml`'s
/// `[project]` (or poetry's `[tool.poetry]`). A manifest that does not parse names nothing:
/// the SBOM then names the directory, and the inventory has already read the lockfiles.
fn declared_project(dir: &std::path::Path) -> Option<(String, Option<String>)> {
    if let Ok(text) = std::fs::read_to_string(dir.join("package.json")) {
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        let name = json["name"].as_str()?.to_owned();
        return Some((name, json["version"].as_str().map(str::to_owned)));
    }
    let text = std::fs::read_to_string(dir.join("pyproject.toml")).ok()?;
    let doc = toml_span::parse(&text).ok()?;
    let table = doc.as_table()?;
    let project = table.get("project").or_else(|| {
        table
            .get("tool")
            .and_then(|t| t.as_table())
            .and_then(|t| t.get("poetry"))
    })?;
    let project = project.as_table()?;
    let name = project.get("name")?.as_str()?.to_owned();
    let version = project
        .get("version")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    Some((name, version))
}

/// Canonical SPDX expressions by (name, version), from the crates' manifests (or licence texts)
/// in the cargo cache; packages whose sources are missing have no licence in the SBOM.
fn licenses(
    global: &GlobalArgs,
    policy: &Policy,
    inventory: &Inventory,
    fetch: bool,
) -> anyhow::Result<BTreeMap<(String, String), String>> {
    // Licences of crates from their manifests in the cargo cache; PyPI packages have none yet.
    let packages: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.ecosystem == secgate_core::Ecosystem::CratesIo)
        .collect();
    let threshold = policy.licenses.confidence_threshold;
    let mut found: BTreeMap<(String, String), String> = BTreeMap::new();
    if !packages.is_empty() {
        let (discovery, _) = discovery(global, inventory, &packages, threshold, fetch)?;
        found.extend(discovery.found.iter().filter_map(|d| {
            let raw = d
                .license
                .clone()
                .or_else(|| d.detected.as_ref().map(|det| det.expression.clone()))?;
            let expression = secgate_licenses::evaluate::sbom_expression(&raw)?;
            Some(((d.name.clone(), d.version.clone()), expression))
        }));
    }
    // npm: what the lockfile entries or installed manifests declare; a package whose licence
    // nothing records is in the SBOM without one (NOASSERTION), as for a crate without one.
    let npm: Vec<&Package> = inventory
        .packages()
        .filter(|p| p.ecosystem == secgate_core::Ecosystem::Npm)
        .collect();
    let npm_found = discover_npm(&inventory.root, &npm_lockfiles(inventory), &npm).found;
    for (package, license) in npm.iter().zip(npm_found) {
        if let NpmLicense::Known(LicenseSource::Declared { expression }) = license
            && let Some(expression) = secgate_licenses::evaluate::sbom_expression(&expression)
        {
            found
                .entry((package.name.clone(), package.version.clone()))
                .or_insert(expression);
        }
    }
    Ok(found)
}

/// One vulnerability per advisory id, affecting every component it was found in; an advisory
/// the policy ignores carries a VEX `not_affected` analysis with the ignore's reason.
fn vulnerabilities(sbom: &Sbom, policy: &Policy, findings: &[Finding]) -> Vec<Vulnerability> {
    let refs: BTreeMap<(&str, &str), &str> = sbom
        .components
        .iter()
        .filter(|c| c.source == PackageSource::DefaultRegistry)
        .map(|c| ((c.name.as_str(), c.version.as_str()), c.bom_ref.as_str()))
        .collect();
    let today = today();
    let mut by_id: BTreeMap<String, Vulnerability> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.code == Code::Vulnerability) {
        let (Some(id), Some(package)) = (&f.id, &f.package) else {
            continue;
        };
        let Some(bom_ref) = refs.get(&(package.name.as_str(), package.version.as_str())) else {
            continue;
        };
        let v = by_id.entry(id.clone()).or_insert_with(|| Vulnerability {
            id: id.clone(),
            aliases: f.aliases.clone(),
            source: source_of(id, f.url.clone()),
            description: f.message.clone(),
            rating: f.severity.map(|severity| Rating {
                severity,
                score: None,
                vector: None,
            }),
            affects: Vec::new(),
            recommendation: f.fix.clone(),
            analysis: secgate_policy::advisory_ignore_for(policy, f, today).map(|i| Analysis {
                detail: i.reason.clone(),
            }),
        });
        v.affects.push((*bom_ref).to_owned());
    }
    by_id
        .into_values()
        .map(|mut v| {
            v.affects.sort();
            v.affects.dedup();
            v
        })
        .collect()
}

fn source_of(id: &str, url: Option<String>) -> (String, Option<String>) {
    let name = if id.starts_with("RUSTSEC-") {
        "RustSec"
    } else if id.starts_with("GHSA-") {
        "GitHub"
    } else {
        "OSV"
    };
    (name.to_owned(), url)
}
