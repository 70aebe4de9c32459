//! What a repository depends on: one [`Package`] per locked entry, with the place it is
//! declared so every finding about it can point there.

use crate::Location;
use serde::Serialize;
use std::fmt::{self, Write as _};

/// The package ecosystem a package comes from; named as OSV names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Ecosystem {
    /// Rust crates.
    #[serde(rename = "crates.io")]
    CratesIo,
    /// npm packages (package-lock, pnpm, yarn).
    #[serde(rename = "npm")]
    Npm,
    /// Python packages from PyPI (requirements, poetry, uv, Pipfile, pylock).
    #[serde(rename = "PyPI")]
    PyPI,
}

impl Ecosystem {
    /// The OSV ecosystem name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
        }
    }

    /// The package-url type.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a locked package comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PackageSource {
    /// The ecosystem's default public registry (crates.io for Rust).
    DefaultRegistry,
    /// Another registry, by index URL.
    Registry(String),
    /// A git repository, with the locked commit when the lockfile records one.
    Git {
        /// Repository URL without the fragment.
        url: String,
        /// Locked commit.
        rev: Option<String>,
    },
    /// A workspace member or path dependency: built from the repository itself.
    Local,
}

impl PackageSource {
    /// Whether advisories for the ecosystem's public registry apply to this package.
    pub fn is_default_registry(&self) -> bool {
        matches!(self, PackageSource::DefaultRegistry)
    }
}

/// One locked package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Registry name.
    pub name: String,
    /// Exact locked version, as written in the lockfile.
    pub version: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Where it comes from.
    pub source: PackageSource,
    /// Registry checksum (sha256 hex for Cargo) when the lockfile records one.
    pub checksum: Option<String>,
    /// Dependencies as the lockfile lists them (name, optionally version and source).
    pub dependencies: Vec<String>,
    /// Whether the project depends on it directly, where the lockfile says (`None`: unknown).
    pub direct: Option<bool>,
    /// Only needed for development (npm `dev`, poetry's `dev` group, Pipfile `develop`).
    pub dev: bool,
    /// Where the lockfile declares it.
    pub location: Location,
}

impl Package {
    /// The package URL (`pkg:cargo/name@version`).
    pub fn purl(&self) -> String {
        purl(self.ecosystem, &self.name, &self.version)
    }
}

/// The package URL of a package; names are percent-encoded where the purl spec requires it. An
/// npm scope is the purl namespace (`@babel/core` → `pkg:npm/%40babel/core@7.0.0`).
pub fn purl(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let name = match (ecosystem, name.split_once('/')) {
        (Ecosystem::Npm, Some((scope, rest))) if scope.starts_with('@') => format!(
            "{}/{}",
            percent_encode(scope, b""),
            percent_encode(rest, b"")
        ),
        _ => percent_encode(name, b""),
    };
    format!(
        "pkg:{}/{name}@{}",
        ecosystem.purl_type(),
        percent_encode(version, b"")
    )
}

/// The PEP 503 normalized form of a Python project name: lower case, each run of `-`, `_` and
/// `.` one `-` (`Jinja2` and `jinja2`, `typing_extensions` and `typing-extensions` are one
/// project). Lockfiles, OSV records and purls are compared in this form.
pub fn pep503_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// `text` percent-encoded (upper-case hex) except RFC 3986 unreserved characters and the bytes
/// of `also`: for purl components, URI path segments and namespaces.
pub fn percent_encode(text: &str, also: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || also.contains(&b)
        {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_encodes_reserved_characters() {
        assert_eq!(
            purl(Ecosystem::CratesIo, "rsa", "0.9.6"),
            "pkg:cargo/rsa@0.9.6"
        );
        assert_eq!(
            purl(Ecosystem::CratesIo, "a", "1.0.0+build.1"),
            "pkg:cargo/a@1.0.0%2Bbuild.1"
        );
        assert_eq!(
            purl(Ecosystem::Npm, "@babel/core", "7.24.0"),
            "pkg:npm/%40babel/core@7.24.0"
        );
        assert_eq!(
            purl(Ecosystem::Npm, "lodash", "4.17.21"),
            "pkg:npm/lodash@4.17.21"
        );
        assert_eq!(
            purl(Ecosystem::PyPI, "jinja2", "2.11.3"),
            "pkg:pypi/jinja2@2.11.3"
        );
    }
}
