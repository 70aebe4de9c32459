//! `--graph` / `--target`: the licence gate judges only the crates `cargo metadata` resolves
//! for each Cargo workspace of the inventory (for the given targets), not every crate its
//! Cargo.lock locks.

use crate::cli::{GlobalArgs, LicenseSourceArgs};
use anyhow::Context;
use secgate_core::Package;
use secgate_inventory::Inventory;
use secgate_licenses::discover::{GraphOptions, built_crates};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The crates of `crates` that the resolve graph of their workspace contains.
pub fn built<'a>(
    global: &GlobalArgs,
    inventory: &Inventory,
    crates: Vec<&'a Package>,
    args: &LicenseSourceArgs,
) -> anyhow::Result<Vec<&'a Package>> {
    let opts = GraphOptions {
        targets: args.target.clone(),
        all_features: args.all_features,
        offline: global.offline,
    };
    // One `cargo metadata` per Cargo.lock: its directory is the workspace root.
    let mut graphs: HashMap<&str, BTreeSet<(String, String)>> = HashMap::new();
    for lockfile in &inventory.lockfiles {
        let is_cargo = Path::new(&lockfile.path)
            .file_name()
            .is_some_and(|n| n == "Cargo.lock");
        if !is_cargo {
            continue;
        }
        let dir = inventory
            .root
            .join(Path::new(&lockfile.path).parent().unwrap_or(Path::new("")));
        let built = built_crates(&dir, &opts).with_context(|| {
            format!(
                "`--graph` needs the workspace of `{}` (its Cargo.toml and members) to resolve",
                lockfile.path
            )
        })?;
        graphs.insert(lockfile.path.as_str(), built);
    }
    Ok(crates
        .into_iter()
        .filter(|p| {
            graphs
                .get(p.location.path.as_str())
                .is_none_or(|g| g.contains(&(p.name.clone(), p.version.clone())))
        })
        .collect())
}

/// What the note says about the narrowed set.
pub fn note(locked: usize, built: usize, args: &LicenseSourceArgs) -> String {
    let features = if args.all_features {
        "all features"
    } else {
        "the default features"
    };
    let platforms = if args.target.is_empty() {
        "any platform".to_owned()
    } else {
        args.target.join(", ")
    };
    let scope = format!("built with {features} for {platforms}");
    format!(
        "licenses: {built} of {locked} locked crate(s) are {scope} (`--graph`); the other {} \
         were not judged",
        locked - built
    )
}
