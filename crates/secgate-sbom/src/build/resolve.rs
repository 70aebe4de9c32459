//! Resolving a Cargo.lock `dependencies` entry to the package it names.
//!
//! Cargo writes the shortest entry that is unambiguous within its lockfile: `"name"` when one
//! package has that name, `"name version"` when several do, `"name version (source)"` when even
//! the version repeats. The source in an entry is the package's source id without the locked
//! `#commit` of a git source. An entry that names no package, or several, means the lockfile is
//! corrupt or hand-edited: the caller turns that into an error rather than guess an edge.

use secgate_core::{Package, PackageSource};
use std::collections::HashMap;

/// crates.io's git index, as Cargo writes it.
const CRATES_IO_GIT: &str = "registry+https://github.com/rust-lang/crates.io-index";
/// crates.io's sparse index, as Cargo writes it.
const CRATES_IO_SPARSE: &str = "sparse+https://index.crates.io/";

/// The packages of one lockfile, by name.
pub(crate) struct LockfileIndex<'a> {
    by_name: HashMap<&'a str, Vec<usize>>,
    packages: &'a [Package],
}

impl<'a> LockfileIndex<'a> {
    /// Indexes `packages` (one lockfile's).
    pub(crate) fn new(packages: &'a [Package]) -> Self {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::with_capacity(packages.len());
        for (i, package) in packages.iter().enumerate() {
            by_name.entry(package.name.as_str()).or_default().push(i);
        }
        Self { by_name, packages }
    }

    /// The index (into the lockfile's packages) of the package `entry` names, or why there is
    /// not exactly one.
    pub(crate) fn resolve(&self, entry: &str) -> Result<usize, String> {
        let Some(wanted) = Entry::parse(entry) else {
            return Err(format!(
                "dependency \"{entry}\" is not `name`, `name version` or `name version (source)`"
            ));
        };
        let mut found = self
            .by_name
            .get(wanted.name)
            .into_iter()
            .flatten()
            .filter_map(|&i| Some((i, self.packages.get(i)?)))
            .filter(|(_, package)| wanted.matches(package));
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Ok(i),
            (None, _) => Err(format!(
                "dependency \"{entry}\" names no package of this lockfile"
            )),
            (Some((_, first)), Some((_, second))) => {
                let more = found.count();
                let others = if more == 0 {
                    String::new()
                } else {
                    format!(" and {more} more")
                };
                Err(format!(
                    "dependency \"{entry}\" is ambiguous: it matches {} (line {}), {} (line {}){others}",
                    describe(first),
                    first.location.line,
                    describe(second),
                    second.location.line,
                ))
            }
        }
    }
}

fn describe(package: &Package) -> String {
    format!("{} {}", package.name, package.version)
}

/// A parsed `dependencies` entry.
struct Entry<'e> {
    name: &'e str,
    version: Option<&'e str>,
    source: Option<&'e str>,
}

impl<'e> Entry<'e> {
    fn parse(entry: &'e str) -> Option<Self> {
        let (name, rest) = match entry.split_once(' ') {
            Some((name, rest)) => (name, Some(rest)),
            None => (entry, None),
        };
        if name.is_empty() {
            return None;
        }
        let Some(rest) = rest else {
            return Some(Self {
                name,
                version: None,
                source: None,
            });
        };
        let (version, source) = match rest.split_once(' ') {
            Some((version, source)) => {
                let source = source.strip_prefix('(')?.strip_suffix(')')?;
                (version, Some(source))
            }
            None => (rest, None),
        };
        if version.is_empty() || source.is_some_and(str::is_empty) {
            return None;
        }
        Some(Self {
            name,
            version: Some(version),
            source,
        })
    }

    fn matches(&self, package: &Package) -> bool {
        package.name == self.name
            && self.version.is_none_or(|v| package.version == v)
            && self
                .source
                .is_none_or(|s| source_matches(s, &package.source))
    }
}

/// Whether the source id `entry` (as a dependency entry writes it) is `source`.
fn source_matches(entry: &str, source: &PackageSource) -> bool {
    match source {
        PackageSource::DefaultRegistry => entry == CRATES_IO_GIT || entry == CRATES_IO_SPARSE,
        // The inventory keeps `registry+` indexes without the prefix and any other scheme whole.
        PackageSource::Registry(index) => {
            entry == index || entry.strip_prefix("registry+") == Some(index.as_str())
        }
        PackageSource::Git { url, .. } => {
            entry.strip_prefix("git+").map(|id| {
                id.split_once('#')
                    .map_or(id, |(without_commit, _)| without_commit)
            }) == Some(url.as_str())
        }
        // Path dependencies are written without a source.
        PackageSource::Local => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secgate_core::{Ecosystem, Location};

    fn package(name: &str, version: &str, source: PackageSource, line: u32) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            ecosystem: Ecosystem::CratesIo,
            source,
            checksum: None,
            dependencies: Vec::new(),
            direct: None,
            dev: false,
            location: Location::new("Cargo.lock", line, 1),
        }
    }

    fn lockfile() -> Vec<Package> {
        vec![
            package("a", "1.0.0", PackageSource::DefaultRegistry, 1),
            package("b", "1.0.0", PackageSource::DefaultRegistry, 5),
            package("b", "2.0.0", PackageSource::DefaultRegistry, 9),
            package(
                "b",
                "2.0.0",
                PackageSource::Git {
                    url: "https://example.com/b?branch=main".into(),
                    rev: Some("abc".into()),
                },
                13,
            ),
            package("c", "0.1.0", PackageSource::Local, 17),
        ]
    }

    #[test]
    fn entries_resolve_by_name_version_and_source() {
        let packages = lockfile();
        let index = LockfileIndex::new(&packages);
        let line = |entry: &str| index.resolve(entry).map(|i| packages[i].location.line);
        assert_eq!(line("a"), Ok(1));
        assert_eq!(line("c"), Ok(17));
        assert_eq!(line("b 1.0.0"), Ok(5));
        assert_eq!(
            line("b 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)"),
            Ok(9)
        );
        assert_eq!(line("b 2.0.0 (sparse+https://index.crates.io/)"), Ok(9));
        assert_eq!(
            line("b 2.0.0 (git+https://example.com/b?branch=main)"),
            Ok(13)
        );
    }

    #[test]
    fn ambiguous_unknown_and_malformed_entries_are_errors() {
        let packages = lockfile();
        let index = LockfileIndex::new(&packages);
        let error = index.resolve("b").map(|_| ()).unwrap_err();
        assert!(error.contains("ambiguous"), "{error}");
        assert!(
            error.contains("line 5") && error.contains("line 9"),
            "{error}"
        );
        assert!(error.contains("1 more"), "{error}");
        let error = index.resolve("b 2.0.0").map(|_| ()).unwrap_err();
        assert!(error.contains("ambiguous"), "{error}");
        let error = index.resolve("d").map(|_| ()).unwrap_err();
        assert!(error.contains("names no package"), "{error}");
        let error = index.resolve("a 1.0.1").map(|_| ()).unwrap_err();
        assert!(error.contains("names no package"), "{error}");
        for malformed in ["", " 1.0.0", "a 1.0.0 registry", "a 1.0.0 ()", "a  (x)"] {
            let error = index.resolve(malformed).map(|_| ()).unwrap_err();
            assert!(error.contains("is not `name`"), "{malformed:?}: {error}");
        }
    }
}
