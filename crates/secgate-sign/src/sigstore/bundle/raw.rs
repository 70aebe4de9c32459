//! The bundle JSON as serialized (protobuf JSON mapping: 64-bit integers as strings, bytes as
//! base64). Nothing here is checked beyond its shape; `super` turns it into the checked model.

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawBundle {
    pub media_type: Option<String>,
    pub verification_material: Option<RawMaterial>,
    pub message_signature: Option<RawMessageSignature>,
    pub dsse_envelope: Option<RawEnvelope>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawMaterial {
    pub x509_certificate_chain: Option<RawChain>,
    pub certificate: Option<RawCertificate>,
    pub public_key: Option<RawKeyHint>,
    #[serde(default)]
    pub tlog_entries: Vec<RawEntry>,
    pub timestamp_verification_data: Option<RawTimestampData>,
}

#[derive(Deserialize)]
pub(super) struct RawChain {
    #[serde(default)]
    pub certificates: Vec<RawCertificate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawCertificate {
    pub raw_bytes: String,
}

/// `publicKey {hint}`: the hint only names a key the verifier must bring, so it is not kept.
#[derive(Deserialize)]
pub(super) struct RawKeyHint {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawTimestampData {
    #[serde(default)]
    pub rfc3161_timestamps: Vec<RawTimestamp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawTimestamp {
    pub signed_timestamp: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawEntry {
    pub log_index: Option<Int>,
    pub log_id: Option<RawLogId>,
    pub kind_version: Option<RawKindVersion>,
    pub integrated_time: Option<Int>,
    pub inclusion_promise: Option<RawPromise>,
    pub inclusion_proof: Option<RawProof>,
    pub canonicalized_body: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawLogId {
    pub key_id: String,
}

#[derive(Deserialize)]
pub(super) struct RawKindVersion {
    pub kind: String,
    pub version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawPromise {
    pub signed_entry_timestamp: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawProof {
    pub log_index: Option<Int>,
    pub root_hash: Option<String>,
    pub tree_size: Option<Int>,
    #[serde(default)]
    pub hashes: Vec<String>,
    pub checkpoint: Option<RawCheckpoint>,
}

#[derive(Deserialize)]
pub(super) struct RawCheckpoint {
    pub envelope: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawMessageSignature {
    pub message_digest: Option<RawDigest>,
    pub signature: String,
}

#[derive(Deserialize)]
pub(super) struct RawDigest {
    pub algorithm: String,
    pub digest: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawEnvelope {
    pub payload: String,
    pub payload_type: String,
    #[serde(default)]
    pub signatures: Vec<RawEnvelopeSignature>,
}

#[derive(Deserialize)]
pub(super) struct RawEnvelopeSignature {
    pub sig: String,
}

/// A protobuf JSON 64-bit integer: a decimal string, or a plain number.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum Int {
    Text(String),
    Number(i64),
}

impl Int {
    pub fn value(&self) -> Option<i64> {
        match self {
            Int::Text(s) => s.parse().ok(),
            Int::Number(n) => Some(*n),
        }
    }
}
