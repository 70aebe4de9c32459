//! Yanked versions: locked crates.io packages whose exact version the registry marks as yanked.
//! The registry data comes in as a map (fetched by the caller); this only decides.

use secgate_core::{Code, Finding, Package, PackageRef};
use std::collections::{BTreeMap, HashMap};

/// Versions of each crate and whether each is yanked, as the registry index says.
pub type YankedIndex = HashMap<String, BTreeMap<String, bool>>;

/// One `yanked` finding per crates.io package whose locked version `index` marks as yanked.
/// Packages the index does not list are not judged here (the caller notes them).
pub fn yanked<'a>(
    packages: impl IntoIterator<Item = &'a Package>,
    index: &YankedIndex,
) -> Vec<Finding> {
    packages
        .into_iter()
        .filter(|p| {
            p.ecosystem == secgate_core::Ecosystem::CratesIo && p.source.is_default_registry()
        })
        .filter(|p| {
            index
                .get(&p.name)
                .and_then(|versions| versions.get(&p.version))
                .copied()
                .unwrap_or(false)
        })
        .map(|p| {
            let mut f = Finding::new(
                Code::Yanked,
                p.location.clone(),
                format!("`{} {}` is yanked from crates.io", p.name, p.version),
            );
            f.fix = Some(format!(
                "`cargo update -p {}@{}` to a version that is not yanked",
                p.name, p.version
            ));
            f.package = Some(PackageRef::from(p));
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secgate_core::{Ecosystem, Location, PackageSource};

    fn pkg(name: &str, version: &str, source: PackageSource) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            ecosystem: Ecosystem::CratesIo,
            source,
            checksum: None,
            dependencies: vec![],
            direct: None,
            dev: false,
            location: Location::new("Cargo.lock", 7, 1),
        }
    }

    #[test]
    fn only_yanked_registry_versions_are_reported() {
        let mut index = YankedIndex::new();
        index.insert(
            "a".into(),
            BTreeMap::from([("1.0.0".into(), true), ("1.0.1".into(), false)]),
        );
        let packages = [
            pkg("a", "1.0.0", PackageSource::DefaultRegistry),
            pkg("a", "1.0.1", PackageSource::DefaultRegistry),
            pkg("a", "1.0.0", PackageSource::Local),
            pkg("b", "2.0.0", PackageSource::DefaultRegistry),
        ];
        let found = yanked(&packages, &index);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::Yanked);
        assert_eq!(found[0].package.as_ref().unwrap().version, "1.0.0");
        assert_eq!(found[0].location.line, 7);
    }
}
