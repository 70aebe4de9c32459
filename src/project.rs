//! What a command runs on: the policy of the scanned root and the inventory under it, with the
//! policy's `[paths] exclude` applied to the walk.
//!
//! For a directory PATH the policy is read first (from PATH, or `--config`), so its excludes
//! keep the walk out of test inputs and vendored trees. For a single file the inventory comes
//! first, because a `Cargo.toml` may take its lockfile (and so its root and policy) from an
//! ancestor directory; one named file is never excluded.

use crate::audit::openable_policy_path;
use crate::cli::GlobalArgs;
use crate::pins::scan_root;
use secgate_inventory::{Inventory, InventoryError};
use secgate_policy::Policy;
use std::path::{Path, PathBuf};

/// The scanned root, its policy, and its inventory (or why there is none).
pub struct Project {
    pub root: PathBuf,
    pub policy: Policy,
    pub policy_source: Option<(String, String)>,
    pub inventory: Result<Inventory, InventoryError>,
}

/// Loads PATH's policy and inventory.
pub fn load(global: &GlobalArgs, path: &Path) -> anyhow::Result<Project> {
    if path.is_dir() {
        let root = path.to_owned();
        let (policy, policy_source) = load_policy(global, &root)?;
        let inventory =
            secgate_inventory::discover_excluding(path, &|rel| policy.paths.excludes(rel));
        return Ok(Project {
            root,
            policy,
            policy_source,
            inventory,
        });
    }
    let inventory = secgate_inventory::discover(path);
    let root = inventory
        .as_ref()
        .map_or_else(|_| scan_root(path), |i| i.root.clone());
    let (policy, policy_source) = load_policy(global, &root)?;
    Ok(Project {
        root,
        policy,
        policy_source,
        inventory,
    })
}

/// The policy of `root` (or `--config`), with a path the user can open in its errors.
pub fn load_policy(
    global: &GlobalArgs,
    root: &Path,
) -> anyhow::Result<(Policy, Option<(String, String)>)> {
    Ok(secgate_policy::load(root, global.config.as_deref())
        .map_err(|e| openable_policy_path(root, e))?)
}
