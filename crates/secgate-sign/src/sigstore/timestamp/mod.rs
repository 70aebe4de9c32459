//! RFC 3161 timestamps: a CMS `SignedData` timestamp token over the bundle's signature, signed by a
//! timestamp authority of the trusted root.

mod raw;
#[cfg(test)]
mod tests;
mod tsa;

use super::BundleError;
use super::keys::HashAlgorithm;
use super::trust_root::Authority;
use cms::signed_data::{SignedData, SignerInfo};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use der::Decode as _;
use der::asn1::OctetString;

/// `id-ct-TSTInfo` (RFC 3161): the content type of a timestamp token's payload.
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

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
    let content_info = raw::time_stamp_token(token)?;
    let info = cms::content_info::ContentInfo::from_der(content_info)
        .map_err(|e| BundleError::new(format!("timestamp: malformed token: {e}")))?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(BundleError::new(
            "timestamp: the token is not CMS SignedData",
        ));
    }
    let signed_data_der = der::Encode::to_der(&info.content)
        .map_err(|e| BundleError::new(format!("timestamp: malformed token: {e}")))?;
    let signed_data = SignedData::from_der(&signed_data_der)
        .map_err(|e| BundleError::new(format!("timestamp: malformed SignedData: {e}")))?;
    let raw = raw::signed_data(&signed_data_der)?;

    let tst_der = tst_info_der(&signed_data)?;
    let tst = raw::tst_info(tst_der)?;
    check_imprint(tst.message_imprint, signature)?;

    let [signer] = signed_data.signer_infos.0.as_slice() else {
        return Err(BundleError::new(
            "timestamp: the token must have exactly one signer (the TSA)",
        ));
    };
    let digest = HashAlgorithm::from_oid(&signer.digest_alg.oid).ok_or_else(|| {
        BundleError::new(format!(
            "timestamp: unsupported digest algorithm {}",
            signer.digest_alg.oid
        ))
    })?;
    check_signed_attributes(signer, digest, tst_der)?;
    let signed_attrs = raw
        .signed_attrs
        .as_deref()
        .ok_or_else(|| BundleError::new("timestamp: the signer has no signed attributes"))?;
    let signature = tsa::SignerSignature {
        sid: &signer.sid,
        signed_attrs,
        digest,
        algorithm: signer.signature_algorithm.oid,
        signature: signer.signature.as_bytes(),
    };
    tsa::verify_signer(&signature, &raw.certificates, tst.gen_time, authorities)?;
    Ok(tst.gen_time)
}

/// The DER `TSTInfo` the token encapsulates.
fn tst_info_der(signed_data: &SignedData) -> Result<&[u8], BundleError> {
    let encap = &signed_data.encap_content_info;
    if encap.econtent_type != ID_CT_TST_INFO {
        return Err(BundleError::new(format!(
            "timestamp: the token encapsulates {}, not TSTInfo",
            encap.econtent_type
        )));
    }
    let content = encap
        .econtent
        .as_ref()
        .filter(|c| der::Tagged::tag(*c) == der::Tag::OctetString)
        .ok_or_else(|| BundleError::new("timestamp: the token has no TSTInfo"))?;
    Ok(content.value())
}

/// The message imprint must be the hash of the bundle's signature, with the imprint's hash.
fn check_imprint(imprint_der: &[u8], signature: &[u8]) -> Result<(), BundleError> {
    let imprint = x509_tsp::MessageImprint::from_der(imprint_der)
        .map_err(|e| BundleError::new(format!("timestamp: malformed message imprint: {e}")))?;
    let hash = HashAlgorithm::from_oid(&imprint.hash_algorithm.oid).ok_or_else(|| {
        BundleError::new(format!(
            "timestamp: unsupported message imprint algorithm {}",
            imprint.hash_algorithm.oid
        ))
    })?;
    if hash.digest(signature) == imprint.hashed_message.as_bytes() {
        Ok(())
    } else {
        Err(BundleError::new(
            "timestamp: the message imprint is not the hash of the bundle's signature",
        ))
    }
}

/// RFC 5652 §5.3: signed attributes name the content type and carry the content's digest.
fn check_signed_attributes(
    signer: &SignerInfo,
    digest: HashAlgorithm,
    tst_der: &[u8],
) -> Result<(), BundleError> {
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| BundleError::new("timestamp: the signer has no signed attributes"))?;
    let single = |oid: ObjectIdentifier, name: &str| {
        let mut matching = attrs.iter().filter(|a| a.oid == oid);
        match (matching.next(), matching.next()) {
            (Some(attr), None) if attr.values.len() == 1 => Ok(attr.values.iter().next()),
            _ => Err(BundleError::new(format!(
                "timestamp: the signed attributes need exactly one {name}"
            ))),
        }
    };
    let content_type = single(ID_CONTENT_TYPE, "content type")?
        .and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
    if content_type != Some(ID_CT_TST_INFO) {
        return Err(BundleError::new(
            "timestamp: the signed content type is not TSTInfo",
        ));
    }
    let message_digest = single(ID_MESSAGE_DIGEST, "message digest")?
        .and_then(|v| v.decode_as::<OctetString>().ok());
    if message_digest.as_ref().map(OctetString::as_bytes) == Some(digest.digest(tst_der).as_slice())
    {
        Ok(())
    } else {
        Err(BundleError::new(
            "timestamp: the signed message digest is not the digest of the TSTInfo",
        ))
    }
}
