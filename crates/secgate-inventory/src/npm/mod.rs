//! npm lockfiles: `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3),
//! `pnpm-lock.yaml` (v6 and v9) and `yarn.lock` (classic v1 and berry). Every package keeps the
//! line of its entry; links and workspace packages are [`secgate_core::PackageSource::Local`]
//! (not audited against the registry).
//!
//! Every entry the file locks is one package, also when the same name and version is locked
//! twice (nested `node_modules`, pnpm peer variants are one entry since pnpm keys them once in
//! `packages:`). A package's location is its entry's key: line, column and the key's bytes.

mod package_lock;
mod pnpm;
mod source;
mod yaml;
mod yarn;

pub use source::is_git_specifier;

use crate::{Lockfile, LockfileError};
use secgate_core::{Ecosystem, LineIndex, Location, Package, PackageSource};
use std::ops::Range;

/// Parses a `package-lock.json` or `npm-shrinkwrap.json`; `path` names it in locations.
pub fn parse_package_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let cx = Cx::new(text, path);
    let (format_version, packages) = package_lock::parse(&cx)?;
    Ok(cx.lockfile(format_version, packages))
}

/// Parses a `pnpm-lock.yaml`.
pub fn parse_pnpm_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let cx = Cx::new(text, path);
    let (format_version, packages) = pnpm::parse(&cx)?;
    Ok(cx.lockfile(format_version, packages))
}

/// Parses a `yarn.lock` (classic v1 or berry).
pub fn parse_yarn_lock(text: &str, path: &str) -> Result<Lockfile, LockfileError> {
    let cx = Cx::new(text, path);
    let (format_version, packages) = yarn::parse(&cx)?;
    Ok(cx.lockfile(format_version, packages))
}

/// What every error and location needs: the text, its path and its line index.
pub(crate) struct Cx<'a> {
    text: &'a str,
    path: &'a str,
    lines: LineIndex,
}

/// The facts of one entry, before it becomes a [`Package`].
pub(crate) struct Entry {
    /// Registry name (the real package for aliases).
    pub name: String,
    /// Locked version as written.
    pub version: String,
    /// Where it comes from.
    pub source: PackageSource,
    /// `integrity` / `checksum` as written.
    pub checksum: Option<String>,
    /// Dependency names, or `name@version` where the file resolves them.
    pub dependencies: Vec<String>,
    /// Whether the project depends on it directly, where the file says.
    pub direct: Option<bool>,
    /// Only needed for development.
    pub dev: bool,
    /// The entry's key.
    pub key_span: Range<usize>,
}

impl<'a> Cx<'a> {
    fn new(text: &'a str, path: &'a str) -> Self {
        Cx {
            text,
            path,
            lines: LineIndex::new(text),
        }
    }

    fn lockfile(&self, format_version: u32, packages: Vec<Package>) -> Lockfile {
        Lockfile {
            path: self.path.to_owned(),
            text: self.text.to_owned(),
            format_version,
            packages,
        }
    }

    /// The whole text.
    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    /// A parse error about the bytes `span`.
    pub(crate) fn error(&self, span: Range<usize>, message: impl Into<String>) -> LockfileError {
        let (line, column) = self.lines.line_col(self.text, span.start);
        LockfileError::Parse {
            path: self.path.to_owned(),
            line,
            column,
            span,
            message: message.into(),
        }
    }

    /// The package of `entry`, located at its key.
    pub(crate) fn package(&self, entry: Entry) -> Package {
        let (line, column) = self.lines.line_col(self.text, entry.key_span.start);
        Package {
            name: entry.name,
            version: entry.version,
            ecosystem: Ecosystem::Npm,
            source: entry.source,
            checksum: entry.checksum,
            dependencies: entry.dependencies,
            direct: entry.direct,
            dev: entry.dev,
            location: Location {
                path: self.path.to_owned(),
                line,
                column,
                span: Some(entry.key_span),
            },
        }
    }
}

/// Splits `name@range` (the name may be scoped: `@s/n@1`) at the `@` after the name.
pub(crate) fn split_descriptor(descriptor: &str) -> Option<(&str, &str)> {
    let at = descriptor.get(1..)?.find('@')? + 1;
    Some((descriptor.get(..at)?, descriptor.get(at + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::split_descriptor;

    #[test]
    fn descriptors_split_after_the_scope() {
        assert_eq!(split_descriptor("@s/n@^1.0"), Some(("@s/n", "^1.0")));
        assert_eq!(split_descriptor("a@npm:b@1"), Some(("a", "npm:b@1")));
        assert_eq!(split_descriptor("a"), None);
        assert_eq!(split_descriptor(""), None);
    }
}
