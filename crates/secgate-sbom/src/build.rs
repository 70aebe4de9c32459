//! From an inventory to an [`Sbom`]: one component per locked package, the dependency graph
//! resolved from the lockfile's `dependencies` lists, hashes from the lockfile checksums.
//!
//! Components are keyed by `bom_ref` (the purl): a package locked in several lockfiles of one
//! inventory (a monorepo) is one component whose dependencies are the union of what each
//! lockfile says. A component whose `bom_ref` is the root's is the root itself: it is folded
//! into the root (its dependencies become the root's when the caller gave none) rather than
//! listed twice, which both formats forbid.

mod purl;
mod resolve;

pub(crate) use purl::git_repository;

use crate::{Component, Hash, HashAlgorithm, Root, Sbom, Tool};
use resolve::LockfileIndex;
use secgate_core::{Package, PackageSource};
use secgate_inventory::Inventory;
use std::collections::{BTreeMap, BTreeSet};

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

/// Builds the SBOM of `inventory`. `root` is the described project (its `depends_on` is filled
/// here when empty: every workspace member, i.e. every local package that no other local
/// package depends on), `licenses` maps (name, version) to a canonical SPDX expression.
///
/// A component with the root's `bom_ref` is the root package itself: it is not listed among
/// the components, and when `root.depends_on` is empty its dependencies become the root's.
pub fn build(
    inventory: &Inventory,
    mut root: Root,
    licenses: &BTreeMap<(String, String), String>,
    tool: Tool,
    timestamp: Option<i64>,
) -> Result<Sbom, BuildError> {
    let mut components: BTreeMap<String, Component> = BTreeMap::new();
    for lockfile in &inventory.lockfiles {
        let index = LockfileIndex::new(&lockfile.packages);
        let bom_refs: Vec<String> = lockfile.packages.iter().map(bom_ref).collect();
        for (package, bom_ref) in lockfile.packages.iter().zip(&bom_refs) {
            let depends_on = package
                .dependencies
                .iter()
                .map(|entry| {
                    let i = index
                        .resolve(entry)
                        .map_err(|message| BuildError::at(package, &message))?;
                    bom_refs.get(i).cloned().ok_or_else(|| {
                        BuildError::at(package, &format!("dependency \"{entry}\" is lost"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let component = component(package, bom_ref.clone(), licenses, depends_on)?;
            match components.get_mut(bom_ref) {
                Some(existing) => merge(existing, component),
                None => {
                    components.insert(bom_ref.clone(), component);
                }
            }
        }
    }
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

    if let Some(root_package) = components.remove(&root.bom_ref)
        && root.depends_on.is_empty()
    {
        root.depends_on = root_package.depends_on;
    }
    if root.depends_on.is_empty() {
        root.depends_on = top_level(&components);
    }
    root.depends_on.sort_unstable();
    root.depends_on.dedup();

    Ok(Sbom {
        root,
        components: components.into_values().collect(),
        tool,
        timestamp,
        vulnerabilities: Vec::new(),
    })
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
            vec![sha256(package, checksum)?]
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

/// A Cargo.lock `checksum`: the SHA-256 of the `.crate` archive, 64 hex digits.
fn sha256(package: &Package, checksum: &str) -> Result<Hash, BuildError> {
    if checksum.len() == 64 && checksum.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Hash {
            algorithm: HashAlgorithm::Sha256,
            hex: checksum.to_ascii_lowercase(),
        })
    } else {
        Err(BuildError::at(
            package,
            &format!("checksum \"{checksum}\" is not a SHA-256 digest (64 hex digits)"),
        ))
    }
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
fn top_level(components: &BTreeMap<String, Component>) -> Vec<String> {
    let is_local = |c: &&Component| c.source == PackageSource::Local;
    let depended_on_by_local: BTreeSet<&str> = components
        .values()
        .filter(is_local)
        .flat_map(|c| c.depends_on.iter().map(String::as_str))
        .collect();
    let members: Vec<String> = components
        .values()
        .filter(is_local)
        .filter(|c| !depended_on_by_local.contains(c.bom_ref.as_str()))
        .map(|c| c.bom_ref.clone())
        .collect();
    if !members.is_empty() {
        return members;
    }
    let depended_on: BTreeSet<&str> = components
        .values()
        .flat_map(|c| c.depends_on.iter().map(String::as_str))
        .collect();
    components
        .keys()
        .filter(|bom_ref| !depended_on.contains(bom_ref.as_str()))
        .cloned()
        .collect()
}
