//! Resolving a Python lockfile's `dependencies` entries to the packages they name.
//!
//! poetry, uv, Pipfile and pylock entries name their dependencies by project name alone; the
//! inventory writes the PEP 503 normalized form (`typing-extensions`), as it writes package
//! names. Within one lockfile a name is usually locked once. When it is locked several times
//! (uv forks by marker, locking one version per Python range) the entry does not say which one
//! the edge means, and a guessed edge would be worse than none: the caller drops it.

use secgate_core::Package;
use std::collections::HashMap;

/// The packages of one Python lockfile, by normalized name.
pub(super) struct PythonIndex<'a> {
    by_name: HashMap<String, Vec<usize>>,
    bom_refs: &'a [String],
}

impl<'a> PythonIndex<'a> {
    /// Indexes `packages`; `bom_refs` are their `bom_ref`s, in the same order.
    pub(super) fn new(packages: &[Package], bom_refs: &'a [String]) -> Self {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, package) in packages.iter().enumerate() {
            by_name
                .entry(secgate_core::pep503_name(&package.name))
                .or_default()
                .push(i);
        }
        Self { by_name, bom_refs }
    }

    /// The package `entry` names, or why there is not exactly one.
    pub(super) fn resolve(&self, entry: &str) -> Result<usize, String> {
        // An extra (`name[extra]`) installs the same package.
        let name = entry.split_once('[').map_or(entry, |(name, _)| name);
        let mut candidates = self
            .by_name
            .get(&secgate_core::pep503_name(name))
            .into_iter()
            .flatten()
            .copied();
        let Some(first) = candidates.next() else {
            return Err("names no package of this lockfile".to_owned());
        };
        let first_ref = self.bom_refs.get(first);
        if candidates.any(|i| self.bom_refs.get(i) != first_ref) {
            return Err("is ambiguous: the lockfile locks it several times".to_owned());
        }
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secgate_core::{Ecosystem, Location, PackageSource};

    fn package(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            ecosystem: Ecosystem::PyPI,
            source: PackageSource::DefaultRegistry,
            checksum: None,
            dependencies: Vec::new(),
            direct: None,
            dev: false,
            location: Location::new("uv.lock", 1, 1),
        }
    }

    #[test]
    fn names_resolve_once_and_ambiguity_is_reported() {
        let packages = [
            package("typing-extensions", "4.0.0"),
            package("numpy", "1.0.0"),
            package("numpy", "2.0.0"),
        ];
        let refs: Vec<String> = ["t", "n1", "n2"].map(str::to_owned).to_vec();
        let index = PythonIndex::new(&packages, &refs);
        assert_eq!(index.resolve("typing-extensions"), Ok(0));
        assert_eq!(index.resolve("Typing_Extensions[x]"), Ok(0));
        assert!(index.resolve("numpy").unwrap_err().contains("ambiguous"));
        assert!(
            index
                .resolve("scipy")
                .unwrap_err()
                .contains("names no package")
        );
    }
}
