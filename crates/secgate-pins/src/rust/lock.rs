//! The parts of a `Cargo.lock` the pinning gate reads: each `[[package]]` (and the v1
//! `[root]`) with its `name`, `version` and `source`, keeping the span of the source so a git
//! source without a commit can be pointed at, and which names the path packages (workspace
//! members) depend on. Formats 1 to 4 share these keys (a dependency is written `name`,
//! `name version` or `name version (source)`); entries missing `name` or `version` are skipped.

use super::spanned::{Spanned, parse, string, strings};
use crate::{PinsError, SourceFile};
use std::collections::{BTreeMap, BTreeSet};
use toml_span::Value;
use toml_span::value::Table;

/// One locked package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Locked {
    /// `name`.
    pub name: String,
    /// `version`.
    pub version: String,
    /// `source`: `registry+URL`, `sparse+URL`, `git+URL?ref#commit`; absent for path packages.
    pub source: Option<Spanned>,
}

impl Locked {
    /// Whether it comes from a registry.
    pub fn is_registry(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|s| s.value.starts_with("registry+") || s.value.starts_with("sparse+"))
    }

    /// The source of a git package.
    pub fn git_source(&self) -> Option<&str> {
        self.source.as_ref()?.value.strip_prefix("git+")
    }
}

/// One parsed `Cargo.lock`.
#[derive(Clone, Debug)]
pub(super) struct Lock<'f> {
    /// The file.
    pub file: &'f SourceFile,
    /// Its directory relative to the scanned root (`""` for the root).
    pub dir: String,
    /// Packages in file order.
    pub packages: Vec<Locked>,
    by_name: BTreeMap<String, Vec<usize>>,
    /// Names some path package depends on.
    member_deps: BTreeSet<String>,
}

impl<'f> Lock<'f> {
    /// Parses `file`.
    pub fn parse(file: &'f SourceFile) -> Result<Lock<'f>, PinsError> {
        let root = parse(file)?;
        let dir = file
            .path
            .rsplit_once('/')
            .map(|(dir, _)| dir.to_owned())
            .unwrap_or_default();
        let mut packages = Vec::new();
        let mut member_deps = BTreeSet::new();
        let mut read = |table: &Table<'_>| {
            let Some(package) = locked(table) else {
                return;
            };
            if package.source.is_none() {
                member_deps.extend(
                    strings(table, "dependencies")
                        .into_iter()
                        .filter_map(|dep| dep.split_whitespace().next().map(str::to_owned)),
                );
            }
            packages.push(package);
        };
        if let Some(top) = root.as_table() {
            let v1_root = top.get("root").and_then(Value::as_table);
            let entries = top.get("package").and_then(Value::as_array);
            let tables = entries.into_iter().flatten().filter_map(Value::as_table);
            for table in v1_root.into_iter().chain(tables) {
                read(table);
            }
        }
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, package) in packages.iter().enumerate() {
            by_name.entry(package.name.clone()).or_default().push(i);
        }
        Ok(Lock {
            file,
            dir,
            packages,
            by_name,
            member_deps,
        })
    }

    /// Whether some path package (a workspace member) depends on a package called `name`.
    pub fn member_depends_on(&self, name: &str) -> bool {
        self.member_deps.contains(name)
    }

    /// Every locked package called `name`.
    pub fn named<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s Locked> + 's {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.packages.get(i))
    }

    /// `name 1.0.0, 2.0.0 (git)` style summary of what is locked under `name`, for messages.
    pub fn describe(&self, name: &str) -> String {
        let all: Vec<String> = self
            .named(name)
            .map(|p| match &p.source {
                None => format!("{} (path)", p.version),
                Some(s) if s.value.starts_with("git+") => format!("{} ({})", p.version, s.value),
                Some(_) => p.version.clone(),
            })
            .collect();
        if all.is_empty() {
            format!("no `{name}`")
        } else {
            format!("`{name}` {}", all.join(", "))
        }
    }
}

fn locked(table: &Table<'_>) -> Option<Locked> {
    Some(Locked {
        name: string(table, "name")?.value,
        version: string(table, "version")?.value,
        source: string(table, "source"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FileKind;

    #[test]
    fn reads_packages_of_every_format() {
        let text = r#"[root]
name = "app"
version = "0.1.0"

[[package]]
name = "a"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "a"
version = "2.0.0"
source = "git+https://example.com/a?branch=main#0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "nameless"

[[package]]
name = "member"
version = "0.1.0"
dependencies = [
 "a 2.0.0 (git+https://example.com/a?branch=main)",
 "serde",
]
"#;
        let file = SourceFile::new("sub/Cargo.lock", FileKind::CargoLock, text);
        let lock = Lock::parse(&file).unwrap();
        assert_eq!(lock.dir, "sub");
        assert_eq!(lock.packages.len(), 4);
        assert!(lock.member_depends_on("a") && lock.member_depends_on("serde"));
        assert!(!lock.member_depends_on("member") && !lock.member_depends_on("app"));
        assert_eq!(lock.named("app").count(), 1);
        let a: Vec<_> = lock.named("a").collect();
        assert!(a[0].is_registry() && !a[1].is_registry());
        assert!(
            a[1].git_source()
                .unwrap()
                .starts_with("https://example.com/a?")
        );
        let source = a[1].source.as_ref().unwrap();
        assert_eq!(&text[source.span.clone()], source.value);
        assert_eq!(
            lock.describe("a"),
            "`a` 1.0.0, 2.0.0 (git+https://example.com/a?branch=main#0123456789abcdef0123456789abcdef01234567)"
        );
        assert_eq!(lock.describe("app"), "`app` 0.1.0 (path)");
        assert_eq!(lock.describe("zzz"), "no `zzz`");
    }

    #[test]
    fn invalid_lock_is_an_error_and_odd_shapes_are_empty() {
        let file = SourceFile::new("Cargo.lock", FileKind::CargoLock, "[[package]\n");
        assert!(matches!(Lock::parse(&file), Err(PinsError::Parse { .. })));
        let file = SourceFile::new("Cargo.lock", FileKind::CargoLock, "package = 3\n");
        assert!(Lock::parse(&file).unwrap().packages.is_empty());
    }
}
