//! What an SBOM says, independent of its format.

use secgate_core::{Ecosystem, PackageSource, Severity};

/// A bill of materials, ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Sbom {
    /// The thing described: the workspace or project at the scanned root.
    pub root: Root,
    /// Every locked package, sorted by `bom_ref`, each once.
    pub components: Vec<Component>,
    /// The tool that wrote it.
    pub tool: Tool,
    /// Creation time, seconds since the epoch; `None` writes none where the format allows it
    /// (CycloneDX) and the Unix epoch where it requires one (SPDX `created`), so output stays
    /// reproducible. Callers pass `SOURCE_DATE_EPOCH` or the clock.
    pub timestamp: Option<i64>,
    /// Known vulnerabilities of the components (CycloneDX `vulnerabilities`), sorted by id.
    pub vulnerabilities: Vec<Vulnerability>,
}

/// The described project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// `bom-ref` / SPDX id seed of the root component.
    pub bom_ref: String,
    /// The root package's name, or the workspace directory's name for a virtual workspace.
    pub name: String,
    /// The root package's version, when it has one.
    pub version: Option<String>,
    /// Its purl, when it is a package.
    pub purl: Option<String>,
    /// `bom_ref`s of the components the root depends on directly (workspace members, or the
    /// root package's dependencies), sorted.
    pub depends_on: Vec<String>,
}

/// The tool in the metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tool {
    /// `secgate`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One locked package.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// Unique within the SBOM: the purl, with qualifiers for non-default sources.
    pub bom_ref: String,
    /// Package name.
    pub name: String,
    /// Locked version.
    pub version: String,
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Package URL (with `vcs_url` / `repository_url` qualifiers for git and other registries).
    pub purl: String,
    /// Where it comes from.
    pub source: PackageSource,
    /// SPDX licence expression (canonical form), when known.
    pub license: Option<String>,
    /// Digests of the distributed artifact (Cargo.lock `checksum` → SHA-256).
    pub hashes: Vec<Hash>,
    /// Supplier or author, when known.
    pub supplier: Option<String>,
    /// `bom_ref`s of its direct dependencies, sorted, each once.
    pub depends_on: Vec<String>,
}

/// A digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hash {
    /// Algorithm.
    pub algorithm: HashAlgorithm,
    /// Lower-case hex.
    pub hex: String,
}

/// Digest algorithms the lockfiles carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HashAlgorithm {
    /// SHA-1 (old npm `integrity`).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A vulnerability affecting components.
#[derive(Clone, Debug, PartialEq)]
pub struct Vulnerability {
    /// Advisory id (`RUSTSEC-2023-0071`, `GHSA-...`).
    pub id: String,
    /// Other ids (CVE, GHSA), sorted.
    pub aliases: Vec<String>,
    /// Source name (`RustSec`, `OSV`) and URL of the advisory.
    pub source: (String, Option<String>),
    /// One-line description.
    pub description: String,
    /// Severity rating, when known.
    pub rating: Option<Rating>,
    /// `bom_ref`s of the affected components, sorted.
    pub affects: Vec<String>,
    /// What to do (the patched versions), when known.
    pub recommendation: Option<String>,
    /// VEX analysis: set when the policy ignores this advisory.
    pub analysis: Option<Analysis>,
}

/// A severity rating.
#[derive(Clone, Debug, PartialEq)]
pub struct Rating {
    /// Severity.
    pub severity: Severity,
    /// CVSS base score, when known.
    pub score: Option<f64>,
    /// CVSS vector, when known.
    pub vector: Option<String>,
}

/// VEX analysis of an ignored advisory: state `not_affected`, with the ignore's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Analysis {
    /// The ignore's `reason` (CycloneDX `analysis.detail`).
    pub detail: String,
}
