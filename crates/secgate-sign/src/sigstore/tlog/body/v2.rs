//! Rekor v2 bodies: `hashedrekord` 0.0.2 (for DSSE too, over the PAE the signature covers) and
//! `dsse` 0.0.2, whose verifiers are raw DER certificates or keys and whose digests are base64.

use super::super::super::BundleError;
use super::super::super::bundle::{Content, decode_base64};
use super::super::super::dsse::pae;
use super::{Expected, Signer, sha256};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct HashedRekordV002Spec {
    hashed_rekord_v002: HashedRekordV002,
}
#[derive(Deserialize)]
struct HashedRekordV002 {
    data: V2Digest,
    signature: V2Signature,
}
#[derive(Deserialize)]
struct V2Digest {
    algorithm: String,
    digest: String,
}
#[derive(Deserialize)]
struct V2Signature {
    content: String,
    verifier: V2Verifier,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct V2Verifier {
    x509_certificate: Option<V2Raw>,
    public_key: Option<V2Raw>,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct V2Raw {
    raw_bytes: String,
}

impl V2Digest {
    fn is_sha256_of(&self, bytes: &[u8]) -> Result<bool, BundleError> {
        Ok(self.algorithm == "SHA2_256"
            && decode_base64(&self.digest, "tlog entry digest")? == sha256(bytes))
    }
}

impl V2Signature {
    fn matches(&self, signature: &[u8], signer: Signer<'_>) -> Result<bool, BundleError> {
        if decode_base64(&self.content, "tlog entry signature")? != signature {
            return Ok(false);
        }
        let verifier = match (signer, &self.verifier) {
            (
                Signer::Certificate(der),
                V2Verifier {
                    x509_certificate: Some(raw),
                    ..
                },
            )
            | (
                Signer::Key(der),
                V2Verifier {
                    public_key: Some(raw),
                    ..
                },
            ) => decode_base64(&raw.raw_bytes, "tlog entry verifier")? == der,
            _ => false,
        };
        Ok(verifier)
    }
}

pub(super) fn hashedrekord_v002(
    spec: &HashedRekordV002Spec,
    expected: &Expected<'_>,
    mismatch: impl Fn(&str) -> BundleError,
) -> Result<(), BundleError> {
    let spec = &spec.hashed_rekord_v002;
    // For DSSE, Rekor v2 logs a hashedrekord over the PAE the signature covers.
    let (signed, signature) = match expected.content {
        Content::Message { signature, .. } => (expected.artifact.to_vec(), signature),
        Content::Dsse(envelope) => (
            pae(&envelope.payload_type, &envelope.payload),
            &envelope.signature,
        ),
    };
    if !spec.data.is_sha256_of(&signed)? {
        return Err(mismatch("the signed digest differs"));
    }
    if !spec.signature.matches(signature, expected.signer)? {
        return Err(mismatch("the signature or its certificate or key differs"));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DsseV002Spec {
    dsse_v002: DsseV002,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DsseV002 {
    payload_hash: V2Digest,
    #[serde(default)]
    signatures: Vec<V2Signature>,
}

pub(super) fn dsse_v002(
    spec: &DsseV002Spec,
    expected: &Expected<'_>,
    mismatch: impl Fn(&str) -> BundleError,
) -> Result<(), BundleError> {
    let Content::Dsse(envelope) = expected.content else {
        return Err(mismatch("a dsse entry cannot record a message signature"));
    };
    let spec = &spec.dsse_v002;
    if !spec.payload_hash.is_sha256_of(&envelope.payload)? {
        return Err(mismatch("the DSSE payload digest differs"));
    }
    let [logged] = spec.signatures.as_slice() else {
        return Err(mismatch(
            "the entry does not record exactly the envelope's one signature",
        ));
    };
    if !logged.matches(&envelope.signature, expected.signer)? {
        return Err(mismatch("the signature or its certificate or key differs"));
    }
    Ok(())
}
