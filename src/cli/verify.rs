//! `secgate verify` arguments: tags, commits, Sigstore bundles, checksum files and the release
//! check.

use super::{DevArgs, LicenseSourceArgs};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `secgate verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(subcommand)]
    pub command: VerifyCommand,
}

/// `secgate verify` subcommands.
#[derive(Debug, Subcommand)]
pub enum VerifyCommand {
    /// The tag is annotated, signed, the signature verifies over the tag, the signer is allowed.
    Tag(VerifyTagArgs),
    /// Every commit of a range (merges included) is signed by an allowed signer.
    Commits(VerifyCommitsArgs),
    /// A Sigstore bundle verifies for FILE against the trusted root and the expected signer.
    Artifact(VerifyArtifactArgs),
    /// Every file listed in a SHA256SUMS / SHA512SUMS file is present with the listed digest.
    Checksums(VerifyChecksumsArgs),
    /// The release pipeline check: the tag is signed by an allowed signer and names the
    /// released commit, `check` passes, the artifacts match their checksum file and Sigstore
    /// bundles, and the SBOM lists every locked package. One report, one exit code.
    Release(Box<VerifyReleaseArgs>),
}

/// Who may sign tags and commits; default: `[signatures]` of the policy.
#[derive(Debug, Args)]
pub struct SignersArgs {
    /// The repository (any directory inside its work tree).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// git's allowed-signers file for SSH signatures (instead of the policy's).
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// Armored OpenPGP public key file (instead of the policy's); may be given more than once.
    #[arg(long = "openpgp-key", value_name = "FILE")]
    pub openpgp_keys: Vec<PathBuf>,
}

/// `secgate verify tag`.
#[derive(Debug, Args)]
pub struct VerifyTagArgs {
    /// The tag name (`v1.2.3`, or `refs/tags/v1.2.3`).
    pub tag: String,
    #[command(flatten)]
    pub signers: SignersArgs,
}

/// `secgate verify commits`.
#[derive(Debug, Args)]
pub struct VerifyCommitsArgs {
    /// The commits to check, as `git rev-list` takes them (`origin/main..HEAD`).
    #[arg(required_unless_present = "since_tag")]
    pub range: Option<String>,
    /// Check every commit since the latest tag reachable from HEAD (all of history if none).
    #[arg(long, conflicts_with = "range")]
    pub since_tag: bool,
    #[command(flatten)]
    pub signers: SignersArgs,
}

/// What a Sigstore bundle must be verified against.
#[derive(Debug, Args)]
pub struct SigstoreArgs {
    /// Trusted root JSON (default: the Sigstore public-good root built into secgate).
    #[arg(long, value_name = "FILE")]
    pub trusted_root: Option<PathBuf>,
    /// The signing certificate's identity (its SAN: a workflow URI or an email), exactly.
    #[arg(long, value_name = "IDENTITY", requires = "certificate_oidc_issuer")]
    pub certificate_identity: Option<String>,
    /// The OIDC issuer that vouched for the identity, exactly.
    #[arg(long, value_name = "URL", requires = "certificate_identity")]
    pub certificate_oidc_issuer: Option<String>,
    /// Verify with this PEM public key instead of a certificate identity.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["certificate_identity", "certificate_oidc_issuer"])]
    pub key: Option<PathBuf>,
}

/// `secgate verify artifact`.
#[derive(Debug, Args)]
pub struct VerifyArtifactArgs {
    /// The artifact.
    pub file: PathBuf,
    /// Its Sigstore bundle (`.sigstore.json`).
    #[arg(long, value_name = "FILE")]
    pub bundle: PathBuf,
    #[command(flatten)]
    pub sigstore: SigstoreArgs,
}

/// `secgate verify release`.
#[derive(Debug, Args)]
pub struct VerifyReleaseArgs {
    /// The release tag (`v1.2.3`, or `refs/tags/v1.2.3`).
    #[arg(long)]
    pub tag: String,
    /// The commit being released (default: `$GITHUB_SHA` when set, else HEAD).
    #[arg(long, value_name = "REV")]
    pub commit: Option<String>,
    /// The release artifacts, with their checksum file (and Sigstore bundles, if any).
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,
    /// The release SBOM (default: a `*.cdx.json`, `*.spdx.json` or `*bom*.json` among the
    /// artifacts).
    #[arg(long, value_name = "FILE")]
    pub sbom: Option<PathBuf>,
    #[command(flatten)]
    pub signers: SignersArgs,
    #[command(flatten)]
    pub sigstore: SigstoreArgs,
    #[command(flatten)]
    pub sources: LicenseSourceArgs,
    #[command(flatten)]
    pub dev: DevArgs,
}

/// `secgate verify checksums`.
#[derive(Debug, Args)]
pub struct VerifyChecksumsArgs {
    /// The checksum file (GNU `sha256sum` or BSD `SHA256 (file) = ...` lines).
    pub sums: PathBuf,
    /// Directory the listed files are in (default: the checksum file's directory).
    #[arg(long, value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// Also verify the checksum file itself with this Sigstore bundle.
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<PathBuf>,
    #[command(flatten)]
    pub sigstore: SigstoreArgs,
}
