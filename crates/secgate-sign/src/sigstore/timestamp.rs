//! RFC 3161 timestamps: a CMS SignedData timestamp token over the bundle's signature, signed by a
//! timestamp authority of the trusted root.

use super::BundleError;
use super::trust_root::Authority;

/// Verifies the DER timestamp response or token `token`: its message imprint is the hash of
/// `signature` (the bytes of the bundle's message signature or DSSE signature), its CMS
/// signature verifies with a TSA certificate that chains to one of `authorities`, the generation
/// time lies inside that certificate's and authority's validity. Returns the generation time
/// (seconds since the epoch).
pub fn verify_timestamp(
    token: &[u8],
    signature: &[u8],
    authorities: &[Authority],
) -> Result<i64, BundleError> {
    let _ = (token, signature, authorities);
    Err(BundleError::new("RFC 3161 timestamps are not built yet"))
}
