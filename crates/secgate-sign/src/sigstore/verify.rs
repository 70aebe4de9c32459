//! Bundle verification, step by step.

use super::{BundleError, Identity, TrustedRoot};

/// What to verify a bundle against.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The trusted root.
    pub trusted_root: TrustedRoot,
    /// Who must have signed.
    pub identity: Identity,
    /// Now (seconds since the epoch): entries integrated in the future are rejected.
    pub now: i64,
}

/// A bundle that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleVerified {
    /// The signer: the certificate SAN, or `public key SHA256:<hex>`.
    pub signer: String,
    /// The verified signing time (seconds since the epoch), when a timestamp source gave one.
    pub signed_at: Option<i64>,
    /// The transparency-log index, when there is a log entry.
    pub log_index: Option<i64>,
}

/// Verifies the bundle JSON `bundle` for the artifact `artifact` (its bytes).
pub fn verify_bundle(
    bundle: &[u8],
    artifact: &[u8],
    options: &VerifyOptions,
) -> Result<BundleVerified, BundleError> {
    let _ = (bundle, artifact, options);
    Err(BundleError::new("bundle verification is not built yet"))
}
