//! From an inventory to an [`Sbom`]: one component per locked package, the dependency graph
//! resolved from the lockfile's `dependencies` lists, hashes from the lockfile checksums.
//!
//! Components are keyed by `bom_ref` (the purl): a package locked in several lockfiles of one
//! inventory (a monorepo) is one component whose dependencies are the union of what each
//! lockfile says. A component whose `bom_ref` is the root's is the root itself: it is folded
//! into the root (its dependencies become the root's when the caller gave none) rather than
//! listed twice, which both formats forbid.

mod hashes;
mod npm;
mod purl;
mod python;
mod resolve;

pub(crate) use purl::git_repository;

use crate::{Component, Root, Sbom, Tool};
use npm::NpmIndex;
use python::PythonIndex;
use resolve::LockfileIndex;
use secgate_core::{Ecosystem, Package, PackageSource};
use secgate_inventory::{Inventory, Lockfile};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A lockfile whose dependency graph cannot be resolved.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct BuildError {
    /// The lockfile.
    pub path: String,
    /// 1-based line of the package entry.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl BuildError {
    fn at(package: &Package, message: &str) -> Self {
        Self {
            path: package.location.path.clone(),
            line: package.location.line,
            message: format!("{} {}: {message}", package.name, package.version),
        }
    }
}

/// A dependency edge of an npm or Python lockfile that names no single package of it, left
/// out of the SBOM (see [`build_with_dropped`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedEdge {
    /// The lockfile.
    pub path: String,
    /// 1-based line of the depending package's entry.
    pub line: u32,
    /// The depending package, `name version`.
    pub package: String,
    /// The `dependencies` entry as the inventory wrote it.
    pub dependency: String,
    /// Why it does not resolve.
    pub reason: String,
}

impl fmt::Display for DroppedEdge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} -> \"{}\": {}",
            self.path, self.line, self.package, self.dependency, self.reason
        )
    }
}

/// What [`build_with_dropped`] gives: the SBOM and the edges it had to leave out.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The bill of materials.
    pub sbom: Sbom,
    /// Unresolvable npm / Python dependency edges, in lockfile order.
    pub dropped: Vec<DroppedEdge>,
}

/// Builds the SBOM of `inventory`; [`build_with_dropped`] without the list of dropped edges.
pub fn build(
    inventory: &Inventory,
    root: Root,
    licenses: &BTreeMap<(String, String), String>,
    tool: Tool,
    timestamp: Option<i64>,
) -> Result<Sbom, BuildError> {
    build_with_dropped(inventory, root, licenses, tool, timestamp).map(|built| built.sbom)
}

/// Builds the SBOM of `inventory`. `root` is the described project (its `depends_on` is filled
/// here when empty: every Cargo workspace member, i.e. every local crate that no other local
/// crate depends on, and the top of each npm and Python lockfile, see below), `licenses` maps
/// (name, version) to a canonical SPDX expression.
///
/// A component with the root's `bom_ref` is the root package itself: it is not listed among
/// the components, and when `root.depends_on` is empty its dependencies become the root's.
///
/// Unresolvable dependencies: a Cargo.lock entry that names no package, or several, is an
/// error (Cargo writes every entry unambiguously, so the lockfile is corrupt). npm and Python
/// lockfiles are resolved as each format means (Node's `node_modules` lookup for
/// package-lock, `name@version` for pnpm and yarn, PEP 503 names for Python); an entry that
/// still names no single package (pnpm peer-suffixed or aliased entries the parser leaves
/// unresolved, a name a uv lockfile locks in several versions) is left out and returned in
/// [`Built::dropped`]: one missing edge is a smaller loss than no SBOM, and a guessed one
/// would be wrong.
///
/// The top of an npm or Python lockfile is what it marks as direct, plus its local packages
/// (workspace members) that no other local package depends on; when it marks neither, every
/// package of it that nothing in it depends on.
pub fn build_with_dropped(
    inventory: &Inventory,
    mut root: Root,
    licenses: &BTreeMap<(String, String), String>,
    tool: Tool,
    timestamp: Option<i64>,
) -> Result<Built, BuildError> {
    let mut components: BTreeMap<String, Component> = BTreeMap::new();
    let mut dropped = Vec::new();
    let mut lockfile_tops: BTreeSet<String> = BTreeSet::new();
    for lockfile in &inventory.lockfiles {
        let bom_refs: Vec<String> = lockfile.packages.iter().map(bom_ref).collect();
        let resolver = Resolver::new(lockfile, &bom_refs);
        let mut edges: Vec<Vec<String>> = Vec::with_capacity(bom_refs.len());
        for (i, package) in lockfile.packages.iter().enumerate() {
            let mut depends_on = Vec::with_capacity(package.dependencies.len());
            for entry in &package.dependencies {
                match resolver.resolve(i, entry) {
                    Ok(j) => depends_on.push(bom_refs.get(j).cloned().ok_or_else(|| {
                        BuildError::at(package, &format!("dependency \"{entry}\" is lost"))
                    })?),
                    Err(message) if resolver.is_strict() => {
                        return Err(BuildError::at(package, &message));
                    }
                    Err(reason) => dropped.push(DroppedEdge {
                        path: package.location.path.clone(),
                        line: package.location.line,
                        package: format!("{} {}", package.name, package.version),
                        dependency: entry.clone(),
                        reason,
                    }),
                }
            }
            edges.push(depends_on);
        }
        if !resolver.is_strict() {
            lockfile_tops.extend(top_of_lockfile(&lockfile.packages, &bom_refs, &edges));
        }
        for ((package, bom_ref), depends_on) in lockfile.packages.iter().zip(&bom_refs).zip(edges) {
            let component = component(package, bom_ref.clone(), licenses, depends_on)?;
            match components.get_mut(bom_ref) {
                Some(existing) => merge(existing, component),
                None => {
                    components.insert(bom_ref.clone(), component);
                }
            }
        }
    }
    // uv repeats an entry once per marker; one record per edge is enough.
    let mut seen = BTreeSet::new();
    dropped.retain(|d| seen.insert((d.path.clone(), d.line, d.dependency.clone())));
    for component in components.values_mut() {
        // A package cannot depend on itself in a valid lockfile; should a corrupt one say so,
        // the loop would only confuse graph readers.
        let own = component.bom_ref.clone();
        component.depends_on.retain(|d| *d != own);
        component.depends_on.sort_unstable();
        component.depends_on.dedup();
        component.hashes.sort_unstable_by(|a, b| {
            (a.algorithm, a.hex.as_str()).cmp(&(b.algorithm, b.hex.as_str()))
        });
        component.hashes.dedup();
    }

    let caller_gave_tops = !root.depends_on.is_empty();
    if let Some(root_package) = components.remove(&root.bom_ref)
        && !caller_gave_tops
    {
        root.depends_on = root_package.depends_on;
    }
    if !caller_gave_tops {
        if root.depends_on.is_empty() {
            let crates: Vec<&Component> = components
                .values()
                .filter(|c| c.ecosystem == Ecosystem::CratesIo)
                .collect();
            root.depends_on = top_level(&crates);
        }
        root.depends_on.extend(
            lockfile_tops
                .into_iter()
                .filter(|top| components.contains_key(top)),
        );
    }
    root.depends_on.sort_unstable();
    root.depends_on.dedup();

    Ok(Built {
        sbom: Sbom {
            root,
            components: components.into_values().collect(),
            tool,
            timestamp,
            vulnerabilities: Vec::new(),
        },
        dropped,
    })
}

/// How one lockfile's `dependencies` entries name packages.
enum Resolver<'a> {
    Cargo(LockfileIndex<'a>),
    Npm(NpmIndex<'a>),
    Python(PythonIndex<'a>),
}

impl<'a> Resolver<'a> {
    fn new(lockfile: &'a Lockfile, bom_refs: &'a [String]) -> Self {
        let packages = lockfile.packages.as_slice();
        // A lockfile holds one ecosystem; an empty one resolves nothing either way.
        match packages
            .first()
            .map_or(Ecosystem::CratesIo, |p| p.ecosystem)
        {
            Ecosystem::CratesIo => Resolver::Cargo(LockfileIndex::new(packages)),
            Ecosystem::Npm => Resolver::Npm(NpmIndex::new(
                &lockfile.path,
                &lockfile.text,
                lockfile.format_version,
                packages,
                bom_refs,
            )),
            Ecosystem::PyPI => Resolver::Python(PythonIndex::new(packages, bom_refs)),
        }
    }

    /// Whether an unresolvable entry fails the build (Cargo) rather than drops the edge.
    fn is_strict(&self) -> bool {
        matches!(self, Resolver::Cargo(_))
    }

    /// The index of the package `entry`, a dependency of package `from`, names.
    fn resolve(&self, from: usize, entry: &str) -> Result<usize, String> {
        match self {
            Resolver::Cargo(index) => index.resolve(entry),
            Resolver::Npm(index) => index.resolve(from, entry),
            Resolver::Python(index) => index.resolve(entry),
        }
    }
}

/// The `bom_ref`s at the top of an npm or Python lockfile (see [`build_with_dropped`]).
fn top_of_lockfile(
    packages: &[Package],
    bom_refs: &[String],
    resolved: &[Vec<String>],
) -> BTreeSet<String> {
    let rows = || packages.iter().zip(bom_refs).zip(resolved);
    let depended_on_by_local: BTreeSet<&String> = rows()
        .filter(|((p, _), _)| p.source == PackageSource::Local)
        .flat_map(|(_, deps)| deps)
        .collect();
    let tops: BTreeSet<String> = rows()
        .filter(|((p, bom_ref), _)| {
            p.direct == Some(true)
                || (p.source == PackageSource::Local && !depended_on_by_local.contains(bom_ref))
        })
        .map(|((_, bom_ref), _)| bom_ref.clone())
        .collect();
    if !tops.is_empty() {
        return tops;
    }
    let depended_on: BTreeSet<&String> = resolved.iter().flatten().collect();
    bom_refs
        .iter()
        .filter(|bom_ref| !depended_on.contains(bom_ref))
        .cloned()
        .collect()
}

/// The `bom_ref` (and purl) of a package.
fn bom_ref(package: &Package) -> String {
    purl::package_purl(
        package.ecosystem,
        &package.name,
        &package.version,
        &package.source,
    )
}

fn component(
    package: &Package,
    bom_ref: String,
    licenses: &BTreeMap<(String, String), String>,
    depends_on: Vec<String>,
) -> Result<Component, BuildError> {
    // Only registries distribute an archive the checksum is about; Cargo records none for git
    // and path packages, and one there would describe nothing that was built.
    let hashes = match (&package.source, &package.checksum) {
        (PackageSource::DefaultRegistry | PackageSource::Registry(_), Some(checksum)) => {
            hashes::decode(package.ecosystem, checksum)
                .map_err(|message| BuildError::at(package, &message))?
        }
        _ => Vec::new(),
    };
    Ok(Component {
        purl: bom_ref.clone(),
        bom_ref,
        name: package.name.clone(),
        version: package.version.clone(),
        ecosystem: package.ecosystem,
        source: package.source.clone(),
        license: licenses
            .get(&(package.name.clone(), package.version.clone()))
            .cloned(),
        hashes,
        supplier: None,
        depends_on,
    })
}

/// Adds what another lockfile says about the same component.
fn merge(existing: &mut Component, other: Component) {
    existing.depends_on.extend(other.depends_on);
    existing.hashes.extend(other.hashes);
    if existing.license.is_none() {
        existing.license = other.license;
    }
    if existing.supplier.is_none() {
        existing.supplier = other.supplier;
    }
}

/// What the root depends on when the caller does not say: the local packages no other local
/// package depends on (the workspace members at the top), else every package nothing depends
/// on.
fn top_level(components: &[&Component]) -> Vec<String> {
    let locals = || {
        components
            .iter()
            .filter(|c| c.source == PackageSource::Local)
    };
    let depended_on_by_local: BTreeSet<&str> = locals()
        .flat_map(|c| c.depends_on.iter().map(String::as_str))
        .collect();
    let members: Vec<String> = locals()
        .filter(|c| !depended_on_by_local.contains(c.bom_ref.as_str()))
        .map(|c| c.bom_ref.clone())
        .collect();
    if !members.is_empty() {
        return members;
    }
    let depended_on: BTreeSet<&str> = components
        .iter()
        .flat_map(|c| c.depends_on.iter().map(String::as_str))
        .collect();
    components
        .iter()
        .map(|c| &c.bom_ref)
        .filter(|bom_ref| !depended_on.contains(bom_ref.as_str()))
        .cloned()
        .collect()
}
