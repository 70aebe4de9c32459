//! The signature gate: is what a release is built from signed by someone the project trusts?
//!
//! - [`tag`] and [`commits`]: signed git tags and commits ([`git`] reads the objects by running
//!   `git cat-file`), with SSH signatures ([`ssh`], git's `allowed_signers` format) and OpenPGP
//!   signatures ([`openpgp`], armored public keys);
//! - [`sigstore`]: Sigstore bundles (v0.1–v0.3) against a trusted root, with an identity and
//!   issuer policy or a public key;
//! - [`checksums`]: `SHA256SUMS`-style files against the files they list.
//!
//! Checkers return findings (`tag-unsigned`, `commit-unsigned`, `signature-invalid`,
//! `signer-not-allowed`, `bundle-invalid`, `checksum-mismatch`); an error means the gate could
//! not run (a repository, key file or sums file that cannot be read or parsed).

pub mod checksums;
pub mod commits;
mod error;
pub mod git;
pub mod openpgp;
pub mod sigstore;
pub mod ssh;
pub mod tag;
mod trust;

pub use error::SignError;
pub use trust::{Rejection, Trust, TrustContext, Verified};
