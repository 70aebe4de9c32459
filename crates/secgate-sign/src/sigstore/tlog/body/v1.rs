//! Rekor v1 bodies: `hashedrekord` 0.0.1, `dsse` 0.0.1 and `intoto` 0.0.2, whose verifiers are
//! base64 PEM certificates or keys and whose digests are lowercase hex.

use super::super::super::BundleError;
use super::super::super::bundle::{Content, decode_base64};
use super::super::super::dsse::hex;
use super::{Expected, pem_matches, sha256};
use serde::Deserialize;

#[derive(Deserialize)]
struct V1Hash {
    algorithm: String,
    value: String,
}

impl V1Hash {
    fn is_sha256_of(&self, bytes: &[u8]) -> bool {
        self.algorithm == "sha256" && self.value.eq_ignore_ascii_case(&hex(&sha256(bytes)))
    }
}

#[derive(Deserialize)]
pub(super) struct HashedRekordV001 {
    data: HashedRekordData,
    signature: HashedRekordSignature,
}
#[derive(Deserialize)]
struct HashedRekordData {
    hash: V1Hash,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HashedRekordSignature {
    content: String,
    public_key: HashedRekordKey,
}
#[derive(Deserialize)]
struct HashedRekordKey {
    content: String,
}

pub(super) fn hashedrekord_v001(
    spec: &HashedRekordV001,
    expected: &Expected<'_>,
    mismatch: impl Fn(&str) -> BundleError,
) -> Result<(), BundleError> {
    let Content::Message { signature, .. } = expected.content else {
        return Err(mismatch(
            "a hashedrekord entry cannot record a DSSE envelope",
        ));
    };
    if !spec.data.hash.is_sha256_of(expected.artifact) {
        return Err(mismatch("the artifact digest differs"));
    }
    if decode_base64(&spec.signature.content, "tlog entry signature")? != *signature {
        return Err(mismatch("the signature differs"));
    }
    if !pem_matches(&spec.signature.public_key.content, expected.signer) {
        return Err(mismatch("the certificate or public key differs"));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DsseV001 {
    payload_hash: V1Hash,
    #[serde(default)]
    signatures: Vec<DsseV001Signature>,
}
#[derive(Deserialize)]
struct DsseV001Signature {
    signature: String,
    verifier: String,
}

pub(super) fn dsse_v001(
    spec: &DsseV001,
    expected: &Expected<'_>,
    mismatch: impl Fn(&str) -> BundleError,
) -> Result<(), BundleError> {
    let Content::Dsse(envelope) = expected.content else {
        return Err(mismatch("a dsse entry cannot record a message signature"));
    };
    if !spec.payload_hash.is_sha256_of(&envelope.payload) {
        return Err(mismatch("the DSSE payload digest differs"));
    }
    let [logged] = spec.signatures.as_slice() else {
        return Err(mismatch(
            "the entry does not record exactly the envelope's one signature",
        ));
    };
    if decode_base64(&logged.signature, "tlog entry signature")? != envelope.signature {
        return Err(mismatch("the DSSE signature differs"));
    }
    if !pem_matches(&logged.verifier, expected.signer) {
        return Err(mismatch("the certificate or public key differs"));
    }
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct IntotoV002 {
    content: IntotoContent,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoContent {
    envelope: IntotoEnvelope,
    payload_hash: V1Hash,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoEnvelope {
    payload_type: String,
    #[serde(default)]
    signatures: Vec<IntotoSignature>,
}
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IntotoSignature {
    sig: String,
    public_key: String,
}

pub(super) fn intoto_v002(
    spec: &IntotoV002,
    expected: &Expected<'_>,
    mismatch: impl Fn(&str) -> BundleError,
) -> Result<(), BundleError> {
    let Content::Dsse(envelope) = expected.content else {
        return Err(mismatch(
            "an intoto entry cannot record a message signature",
        ));
    };
    let content = &spec.content;
    if !content.payload_hash.is_sha256_of(&envelope.payload) {
        return Err(mismatch("the DSSE payload digest differs"));
    }
    if content.envelope.payload_type != envelope.payload_type {
        return Err(mismatch("the DSSE payload type differs"));
    }
    let [logged] = content.envelope.signatures.as_slice() else {
        return Err(mismatch(
            "the entry does not record exactly the envelope's one signature",
        ));
    };
    // intoto 0.0.2 stores the envelope's base64 signature text base64-encoded once more.
    let text = decode_base64(&logged.sig, "tlog entry signature")?;
    let text = String::from_utf8(text).map_err(|_| mismatch("the logged signature is not text"))?;
    if decode_base64(&text, "tlog entry signature")? != envelope.signature {
        return Err(mismatch("the DSSE signature differs"));
    }
    if !pem_matches(&logged.public_key, expected.signer) {
        return Err(mismatch("the certificate or public key differs"));
    }
    Ok(())
}
