//! Whether one dependency is satisfied by a `Cargo.lock`, without running Cargo.
//!
//! - A registry dependency needs a locked package of its real name whose version matches the
//!   requirement (Cargo semantics through the `semver` crate: a bare `1.2` means `^1.2`, and a
//!   prerelease only matches a requirement naming the same prerelease base). An alternative
//!   `registry` is compared by name and version only.
//! - A path dependency needs a locked package of that name.
//! - A git dependency needs a locked package of that name from the same repository.
//! - A name replaced by `[patch.*]` or `[replace]` may be locked from anywhere: only its presence
//!   is checked, since the patch decides the source and version.
//!
//! A requirement that does not parse is not judged (Cargo reports it).

use super::dep::Dep;
use super::git::same_repo;
use super::lock::{Lock, Locked};
use semver::{Op, Version, VersionReq};
use std::collections::BTreeSet;

/// Why a dependency is not satisfied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    /// No locked package has the dependency's name.
    Absent,
    /// Packages of that name are locked, none in the required version range.
    Unsatisfied,
    /// Packages of that name are locked, none from the dependency's git repository.
    OtherSource,
}

/// Whether `lock` satisfies `dep` (already resolved if it was inherited from the workspace).
pub(super) fn evaluate(
    dep: &Dep,
    lock: &Lock<'_>,
    patched: &BTreeSet<String>,
) -> Result<(), Problem> {
    let mut locked = lock.named(&dep.name).peekable();
    if locked.peek().is_none() {
        return Err(Problem::Absent);
    }
    if patched.contains(&dep.name) {
        return Ok(());
    }
    if let Some(git) = &dep.git {
        return if locked
            .filter_map(Locked::git_source)
            .any(|source| same_repo(source, &git.url.value))
        {
            Ok(())
        } else {
            Err(Problem::OtherSource)
        };
    }
    if dep.path.is_some() {
        return Ok(());
    }
    match &dep.version {
        Some(version) if !satisfied(&version.value, locked) => Err(Problem::Unsatisfied),
        _ => Ok(()),
    }
}

/// Whether some of `locked` has a version matching `requirement`; `true` when the requirement
/// does not parse (not ours to judge).
pub(super) fn satisfied<'l>(
    requirement: &str,
    locked: impl IntoIterator<Item = &'l Locked>,
) -> bool {
    let Ok(req) = VersionReq::parse(requirement.trim()) else {
        return true;
    };
    locked
        .into_iter()
        .filter_map(|p| Version::parse(&p.version).ok())
        .any(|v| req.matches(&v))
}

/// Whether `requirement` accepts any version in some component: `*`, `1.*`, `1.2.x`.
pub(super) fn is_wildcard(requirement: &str) -> bool {
    VersionReq::parse(requirement.trim()).is_ok_and(|req| {
        req.comparators.is_empty() || req.comparators.iter().any(|c| c.op == Op::Wildcard)
    })
}

/// The highest of `locked`'s versions matching `requirement`, for a concrete fix.
pub(super) fn best_locked<'l>(
    requirement: &str,
    locked: impl IntoIterator<Item = &'l Locked>,
) -> Option<Version> {
    let req = VersionReq::parse(requirement.trim()).ok()?;
    locked
        .into_iter()
        .filter(|p| p.is_registry())
        .filter_map(|p| Version::parse(&p.version).ok())
        .filter(|v| req.matches(v))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileKind, SourceFile};

    const LOCK: &str = r#"
[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "pre"
version = "0.2.0-alpha.3"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "local"
version = "0.1.0"

[[package]]
name = "forked"
version = "2.0.0"
source = "git+https://github.com/me/forked?branch=dev#0123456789abcdef0123456789abcdef01234567"
"#;

    fn dep(line: &str) -> Dep {
        let root = toml_span::parse(line).unwrap();
        let (key, value) = root.as_table().unwrap().iter().next().unwrap();
        Dep::parse("dependencies", key, value).unwrap()
    }

    fn eval(line: &str, patched: &[&str]) -> Result<(), Problem> {
        let file = SourceFile::new("Cargo.lock", FileKind::CargoLock, LOCK);
        let lock = Lock::parse(&file).unwrap();
        let patched = patched.iter().map(|s| (*s).to_owned()).collect();
        evaluate(&dep(line), &lock, &patched)
    }

    #[test]
    fn registry_requirements_use_cargo_semantics() {
        assert_eq!(eval("serde = \"1.0\"", &[]), Ok(()));
        assert_eq!(eval("serde = \"1.0.200\"", &[]), Ok(()));
        assert_eq!(eval("serde = \">= 1, < 2\"", &[]), Ok(()));
        assert_eq!(eval("serde = \"1.0.201\"", &[]), Err(Problem::Unsatisfied));
        assert_eq!(eval("serde = \"=1.0.199\"", &[]), Err(Problem::Unsatisfied));
        assert_eq!(eval("serde = \"2\"", &[]), Err(Problem::Unsatisfied));
        assert_eq!(
            eval("s = { version = \"1\", package = \"serde\" }", &[]),
            Ok(())
        );
        assert_eq!(
            eval("s = { version = \"9\", package = \"serde\" }", &[]),
            Err(Problem::Unsatisfied)
        );
        assert_eq!(
            eval("serde = { version = \"1\", registry = \"corp\" }", &[]),
            Ok(())
        );
        assert_eq!(eval("pre = \"0.2.0-alpha.1\"", &[]), Ok(()));
        assert_eq!(eval("pre = \"0.2\"", &[]), Err(Problem::Unsatisfied));
        assert_eq!(eval("serde = \"not a version\"", &[]), Ok(()));
        assert_eq!(eval("serde = { features = [\"derive\"] }", &[]), Ok(()));
        assert_eq!(eval("toml = \"0.8\"", &[]), Err(Problem::Absent));
    }

    #[test]
    fn path_git_and_patched_dependencies() {
        assert_eq!(
            eval("local = { path = \"../local\", version = \"9\" }", &[]),
            Ok(())
        );
        assert_eq!(
            eval("gone = { path = \"../gone\" }", &[]),
            Err(Problem::Absent)
        );
        assert_eq!(
            eval(
                "forked = { git = \"https://github.com/me/forked.git\" }",
                &[]
            ),
            Ok(())
        );
        assert_eq!(
            eval(
                "forked = { git = \"https://github.com/other/forked\" }",
                &[]
            ),
            Err(Problem::OtherSource)
        );
        // Patched: a registry requirement is met by whatever the patch locked.
        assert_eq!(eval("forked = \"1\"", &[]), Err(Problem::Unsatisfied));
        assert_eq!(eval("forked = \"1\"", &["forked"]), Ok(()));
        assert_eq!(eval("gone = \"1\"", &["gone"]), Err(Problem::Absent));
    }

    #[test]
    fn wildcards_and_best_versions() {
        for req in ["*", "1.*", "1.2.*", " * ", "1.x"] {
            assert!(is_wildcard(req), "{req}");
        }
        for req in ["1", "^1.2", ">=1, <2", "~0.3", "=1.0.0", "nonsense"] {
            assert!(!is_wildcard(req), "{req}");
        }
        let file = SourceFile::new("Cargo.lock", FileKind::CargoLock, LOCK);
        let lock = Lock::parse(&file).unwrap();
        let best = best_locked("*", lock.named("serde"));
        assert_eq!(best.map(|v| v.to_string()).as_deref(), Some("1.0.200"));
        assert_eq!(best_locked("*", lock.named("local")), None);
    }
}
