//! Verifying one OpenPGP signature over a payload against the trusted keys.

use super::Keyring;
use super::certificate::{TrustedKey, fingerprint_hex};
use super::judge::{CLOCK_SKEW, SigningKey, date};
use crate::{Rejection, Verified};
use pgp::composed::{Deserializable, DetachedSignature};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Signature, SignatureType};
use pgp::types::KeyDetails;

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
    let signatures = parse(armored)?;
    // gpg signs with several keys into one block when given several `-u`; one trusted,
    // valid signature is enough, as for git.
    let mut first_rejection = None;
    for signature in &signatures {
        match verify_one(signature, payload, now, keyring) {
            Ok(verified) => return Ok(verified),
            Err(rejection) => {
                first_rejection.get_or_insert(rejection);
            }
        }
    }
    Err(first_rejection.unwrap_or_else(|| Rejection::Invalid("no OpenPGP signature".to_owned())))
}

/// The armor line that starts a signature block, as git finds it in a tag or commit.
const SIGNATURE_BEGIN: &str = "-----BEGIN PGP SIGNATURE-----";

/// The signature packets of the armored block.
fn parse(armored: &str) -> Result<Vec<Signature>, Rejection> {
    let invalid = |e: pgp::errors::Error| {
        Rejection::Invalid(format!("the OpenPGP signature does not parse: {e}"))
    };
    if !armored.contains(SIGNATURE_BEGIN) {
        return Err(Rejection::Invalid(format!(
            "not an armored OpenPGP signature (no `{SIGNATURE_BEGIN}` line)"
        )));
    }
    let (signatures, _headers) =
        DetachedSignature::from_string_many(armored.trim_start()).map_err(invalid)?;
    let signatures = signatures
        .map(|s| s.map(|d| d.signature))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    if signatures.is_empty() {
        return Err(Rejection::Invalid(
            "the OpenPGP signature block holds no signature".to_owned(),
        ));
    }
    Ok(signatures)
}

/// Checks one signature packet: well-formed and current, made by a key of the keyring, valid
/// over the payload, and its key allowed to sign.
fn verify_one(
    signature: &Signature,
    payload: &[u8],
    now: i64,
    keyring: &Keyring,
) -> Result<Verified, Rejection> {
    let signed_at = check_form(signature, now)?;
    let issuers = keyring.issuers(signature);
    if issuers.is_empty() {
        return Err(Rejection::NotAllowed(format!(
            "key {} is not among the release keys ({})",
            issuer_name(signature),
            keyring.paths.join(", ")
        )));
    }
    // Several candidates happen when a key id is ambiguous or a key is in two files; the
    // first that verifies and may sign wins.
    let mut rejection = None;
    for (key, signer) in issuers {
        let outcome = check_with(key, signer, signature, payload, signed_at, now);
        match outcome {
            Ok(verified) => return Ok(verified),
            // A key that verifies the signature explains the rejection better than one that
            // does not.
            Err(r @ Rejection::NotAllowed(_)) => rejection = Some(r),
            Err(r) => {
                rejection.get_or_insert(r);
            }
        }
    }
    Err(rejection.unwrap_or_else(|| Rejection::Invalid("no key verifies the signature".to_owned())))
}

/// The signature's creation time, once its type, hash and dates are acceptable.
fn check_form(signature: &Signature, now: i64) -> Result<i64, Rejection> {
    match signature.typ() {
        Some(SignatureType::Binary | SignatureType::Text) => {}
        Some(other) => {
            return Err(Rejection::Invalid(format!(
                "the OpenPGP signature is a {other:?} signature, not a signature over data"
            )));
        }
        None => {
            return Err(Rejection::Invalid(format!(
                "the OpenPGP signature has an unsupported version ({:?})",
                signature.version()
            )));
        }
    }
    if let Some(hash @ (HashAlgorithm::Md5 | HashAlgorithm::Ripemd160)) = signature.hash_alg() {
        return Err(Rejection::Invalid(format!(
            "the OpenPGP signature uses the broken hash {hash}"
        )));
    }
    let Some(created_at) = signature.created() else {
        return Err(Rejection::Invalid(
            "the OpenPGP signature has no creation time".to_owned(),
        ));
    };
    let signed_at = i64::from(created_at.as_secs());
    if signed_at > now.saturating_add(CLOCK_SKEW) {
        return Err(Rejection::Invalid(format!(
            "the OpenPGP signature is dated {}, in the future",
            date(signed_at)
        )));
    }
    if let Some(validity) = signature.signature_expiration_time() {
        let expiry = signed_at + i64::from(validity.as_secs());
        if validity.as_secs() > 0 && expiry <= now {
            return Err(Rejection::Invalid(format!(
                "the OpenPGP signature expired on {}",
                date(expiry)
            )));
        }
    }
    Ok(signed_at)
}

/// Verifies `signature` over `payload` with the `signer` key of `key`, then judges the key.
fn check_with(
    key: &TrustedKey,
    signer: SigningKey<'_>,
    signature: &Signature,
    payload: &[u8],
    signed_at: i64,
    now: i64,
) -> Result<Verified, Rejection> {
    let (verifies, fingerprint, key_created) = match signer {
        SigningKey::Primary => {
            let primary = &key.key.primary_key;
            (
                signature.verify(primary, payload),
                fingerprint_hex(primary),
                primary.created_at(),
            )
        }
        SigningKey::Subkey(subkey) => (
            signature.verify(&subkey.key, payload),
            fingerprint_hex(&subkey.key),
            subkey.key.created_at(),
        ),
    };
    if verifies.is_err() {
        return Err(Rejection::Invalid(format!(
            "the OpenPGP signature by key {fingerprint} does not verify over the signed data"
        )));
    }
    if signed_at < i64::from(key_created.as_secs()) {
        return Err(Rejection::Invalid(format!(
            "the OpenPGP signature is dated {}, before its key {fingerprint} was created",
            date(signed_at)
        )));
    }
    if let Some(reason) = key.refusal(signer, signed_at, now) {
        return Err(Rejection::NotAllowed(reason));
    }
    Ok(Verified {
        signer: key
            .user_id()
            .map_or_else(|| key.fingerprint(), str::to_owned),
        key: fingerprint,
        format: "openpgp",
    })
}

/// How a message names the signature's issuer: its fingerprint, else its key id.
fn issuer_name(signature: &Signature) -> String {
    if let Some(fingerprint) = signature.issuer_fingerprint().first() {
        return format!("{fingerprint:X}");
    }
    signature.issuer_key_id().first().map_or_else(
        || "(unnamed)".to_owned(),
        |id| id.to_string().to_uppercase(),
    )
}
