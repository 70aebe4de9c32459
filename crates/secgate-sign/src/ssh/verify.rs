//! Verifying one sshsig signature over a payload against the allowed signers.

use super::AllowedSigners;
use crate::{Rejection, Verified};

/// Verifies the armored SSH signature `armored` over `payload` in `namespace` (git uses `git`),
/// as made at `signed_at` (seconds since the epoch; git uses the tagger or committer time), by
/// a signer of `signers`. The signature must verify, and its key (or the CA of its certificate)
/// must be on a line whose namespaces include `namespace` and whose validity covers
/// `signed_at`.
pub fn verify_ssh(
    armored: &str,
    payload: &[u8],
    namespace: &str,
    signed_at: i64,
    signers: &AllowedSigners,
) -> Result<Verified, Rejection> {
    let _ = (armored, payload, namespace, signed_at, signers);
    Err(Rejection::Invalid(
        "SSH verification is not built yet".to_owned(),
    ))
}
