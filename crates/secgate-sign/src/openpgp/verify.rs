//! Verifying one OpenPGP signature over a payload against the trusted keys.

use super::Keyring;
use crate::{Rejection, Verified};

/// Verifies the armored detached OpenPGP signature `armored` over `payload` against `keyring`.
/// The signature must verify with a primary key or a signing-capable subkey of a trusted key;
/// a key (or subkey) that is revoked, or expired at `now` or at the signature's creation time,
/// is `NotAllowed`.
pub fn verify_openpgp(
    armored: &str,
    payload: &[u8],
    now: i64,
    keyring: &Keyring,
) -> Result<Verified, Rejection> {
    let _ = (armored, payload, now, keyring);
    Err(Rejection::Invalid(
        "OpenPGP verification is not built yet".to_owned(),
    ))
}
