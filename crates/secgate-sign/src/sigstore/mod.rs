//! Sigstore bundle verification (bundle media types v0.1, v0.2, v0.3): the signing certificate
//! chains to a Fulcio CA of the trusted root and carries a valid SCT; the signature (a message
//! signature or a DSSE envelope) verifies over the artifact; the transparency-log entry matches
//! the bundle and is proven in the log (inclusion proof against a signed checkpoint, and/or a
//! signed entry timestamp); the signing time comes from a verified source (SET integrated time
//! or an RFC 3161 timestamp) and lies inside the certificate's validity; the certificate's
//! identity and issuer match the policy. With a public key instead of a certificate, the
//! signature is checked with that key.
//!
//! Built on `RustCrypto` primitives rather than the `sigstore` crate, which verifies neither Rekor
//! v2 entries, checkpoints, inclusion proofs nor RFC 3161 timestamps.

mod bundle;
mod certificate;
mod checkpoint;
mod dsse;
mod error;
mod identity;
mod keys;
mod merkle;
mod sct;
mod set;
#[cfg(test)]
mod test_data;
mod timestamp;
mod tlog;
mod trust_root;
mod verify;

pub use error::BundleError;
pub use identity::Identity;
pub use trust_root::TrustedRoot;
pub use verify::{BundleVerified, VerifyOptions, verify_bundle};

/// The trusted root of the Sigstore public-good instance, embedded so `secgate verify artifact`
/// works offline; `--trusted-root` replaces it.
pub const PUBLIC_GOOD_TRUSTED_ROOT: &str = include_str!("public_good_trusted_root.json");
