//! Signed certificate timestamps embedded in the signing certificate (RFC 6962 precertificate
//! SCTs), verified against the trusted root's CT logs: at least one SCT must come from a known
//! log and verify over the precertificate `digitally-signed` structure.

use super::BundleError;
use super::certificate::SigningCertificate;
use super::keys::{HashAlgorithm, PublicKey};
use super::trust_root::LogKey;
use der::{Decode as _, Encode as _};
use sha2::Digest as _;
use x509_cert::ext::pkix::sct::{
    HashAlgorithm as SctHash, SignatureAlgorithm, SignedCertificateTimestamp,
    SignedCertificateTimestampList,
};

const SCT_LIST: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");

/// Verifies that the signing certificate carries an SCT that a CT log of the trusted root
/// signed.
pub(crate) fn verify_embedded_sct(
    certificate: &SigningCertificate,
    ctlogs: &[LogKey],
) -> Result<(), BundleError> {
    let tbs = &certificate.leaf.cert.tbs_certificate;
    let extensions = tbs.extensions.as_deref().unwrap_or_default();
    let extension = extensions
        .iter()
        .find(|e| e.extn_id == SCT_LIST)
        .ok_or_else(|| BundleError::new("signing certificate has no embedded SCT"))?;
    let scts = SignedCertificateTimestampList::from_der(extension.extn_value.as_bytes())
        .map_err(|e| BundleError::new(format!("embedded SCT list does not parse: {e}")))?
        .parse_timestamps()
        .map_err(|e| BundleError::new(format!("embedded SCT list does not parse: {e:?}")))?;

    // The log signed the precertificate: the TBS without the SCT list it did not yet contain.
    let mut precert = tbs.clone();
    if let Some(extensions) = precert.extensions.as_mut() {
        extensions.retain(|e| e.extn_id != SCT_LIST);
    }
    let precert = precert
        .to_der()
        .map_err(|e| BundleError::new(format!("precertificate does not encode: {e}")))?;
    let issuer_key_hash: [u8; 32] = sha2::Sha256::digest(certificate.issuer.spki_der()?).into();

    let mut reason = String::from("the certificate's SCT list is empty");
    for serialized in &scts {
        let sct = serialized
            .parse_timestamp()
            .map_err(|e| BundleError::new(format!("embedded SCT does not parse: {e:?}")))?;
        match verify_one(&sct, &precert, &issuer_key_hash, ctlogs) {
            Ok(()) => return Ok(()),
            Err(e) => reason = e.0,
        }
    }
    Err(BundleError::new(format!(
        "no valid SCT from a trusted CT log: {reason}"
    )))
}

fn verify_one(
    sct: &SignedCertificateTimestamp,
    precert: &[u8],
    issuer_key_hash: &[u8; 32],
    ctlogs: &[LogKey],
) -> Result<(), BundleError> {
    let log = ctlogs
        .iter()
        .find(|log| log.log_id == sct.log_id.key_id)
        .ok_or_else(|| BundleError::new("the SCT's log is not a CT log of the trusted root"))?;
    let seconds = i64::try_from(sct.timestamp / 1000).unwrap_or(i64::MAX);
    if log.start.is_some_and(|s| seconds < s) || log.end.is_some_and(|e| seconds > e) {
        return Err(BundleError::new(
            "the SCT is outside its CT log's validity in the trusted root",
        ));
    }
    let signed = signed_data(sct, precert, issuer_key_hash)?;
    let signature = sct.signature.signature.as_slice();
    let key = PublicKey::from_spki(&log.spki, Some(&log.key_details))?;
    let algorithm = &sct.signature.algorithm;
    let verified = match (&algorithm.signature, &algorithm.hash) {
        (SignatureAlgorithm::Ed25519, _) if key.is_ed25519() => key.verify(&signed, signature),
        (SignatureAlgorithm::Ecdsa | SignatureAlgorithm::Rsa, hash) => {
            let hash = match hash {
                SctHash::Sha256 => HashAlgorithm::Sha256,
                SctHash::Sha384 => HashAlgorithm::Sha384,
                SctHash::Sha512 => HashAlgorithm::Sha512,
                other => {
                    return Err(BundleError::new(format!(
                        "unsupported SCT hash algorithm {other:?}"
                    )));
                }
            };
            key.verify_digest(hash, &hash.digest(&signed), signature)
        }
        (other, _) => {
            return Err(BundleError::new(format!(
                "unsupported SCT signature algorithm {other:?}"
            )));
        }
    };
    verified.map_err(|e| BundleError::new(format!("SCT signature does not verify: {e}")))
}

/// RFC 6962 §3.2 `digitally-signed` input for a precertificate entry.
fn signed_data(
    sct: &SignedCertificateTimestamp,
    precert: &[u8],
    issuer_key_hash: &[u8; 32],
) -> Result<Vec<u8>, BundleError> {
    let tbs_len = u32::try_from(precert.len())
        .ok()
        .filter(|&n| n < 1 << 24)
        .ok_or_else(|| BundleError::new("precertificate is too large"))?;
    let extensions = sct.extensions.as_slice();
    let ext_len = u16::try_from(extensions.len())
        .map_err(|_| BundleError::new("SCT extensions are too large"))?;
    let mut out = Vec::with_capacity(precert.len() + extensions.len() + 50);
    out.push(0); // sct_version v1
    out.push(0); // signature_type certificate_timestamp
    out.extend_from_slice(&sct.timestamp.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes()); // entry_type precert_entry
    out.extend_from_slice(issuer_key_hash);
    out.extend_from_slice(&tbs_len.to_be_bytes()[1..]);
    out.extend_from_slice(precert);
    out.extend_from_slice(&ext_len.to_be_bytes());
    out.extend_from_slice(extensions);
    Ok(out)
}
