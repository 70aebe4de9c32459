//! Transparency-log entries as the bundle carries them: indices, log id, body, and the
//! inclusion promise and proof each bundle version requires.

use super::raw::{Int, RawEntry, RawProof};
use super::{BundleError, Version, decode_base64};

/// One transparency-log entry.
#[derive(Debug)]
pub(crate) struct LogEntry {
    pub log_index: i64,
    pub log_id: Vec<u8>,
    pub kind: String,
    pub version: String,
    /// Absent (or zero) for Rekor v2 entries.
    pub integrated_time: Option<i64>,
    /// The signed entry timestamp.
    pub promise: Option<Vec<u8>>,
    pub proof: Option<InclusionProof>,
    /// `canonicalizedBody` as written in the bundle (the SET signs this text).
    pub body_base64: String,
    pub body: Vec<u8>,
}

/// An inclusion proof with the checkpoint it claims to lead to.
#[derive(Debug)]
pub(crate) struct InclusionProof {
    pub log_index: u64,
    pub root_hash: [u8; 32],
    pub tree_size: u64,
    pub hashes: Vec<[u8; 32]>,
    pub checkpoint: String,
}

fn non_negative(value: Option<&Int>, what: &str) -> Result<i64, BundleError> {
    let value = value
        .ok_or_else(|| BundleError::new(format!("{what} is missing")))?
        .value()
        .ok_or_else(|| BundleError::new(format!("{what} is not an integer")))?;
    if value < 0 {
        return Err(BundleError::new(format!("{what} is negative ({value})")));
    }
    Ok(value)
}

pub(super) fn log_entry(raw: RawEntry, version: Version) -> Result<LogEntry, BundleError> {
    let log_index = non_negative(raw.log_index.as_ref(), "tlog entry logIndex")?;
    let log_id = raw
        .log_id
        .ok_or_else(|| BundleError::new("tlog entry has no logId"))?;
    let kind_version = raw
        .kind_version
        .ok_or_else(|| BundleError::new("tlog entry has no kindVersion"))?;
    let body_base64 = raw
        .canonicalized_body
        .ok_or_else(|| BundleError::new("tlog entry has no canonicalizedBody"))?;
    // Rekor v2 entries have no integrated time; protobuf JSON may write that as 0.
    let integrated_time = raw
        .integrated_time
        .as_ref()
        .map(|t| non_negative(Some(t), "tlog entry integratedTime"))
        .transpose()?
        .filter(|&t| t != 0);
    let promise = raw
        .inclusion_promise
        .map(|p| decode_base64(&p.signed_entry_timestamp, "signedEntryTimestamp"))
        .transpose()?;
    let proof = match raw.inclusion_proof {
        // A v0.1 bundle is proven by its promise; a proof there may predate checkpoints, and
        // without one it proves nothing, so it is ignored (as sigstore-python does).
        Some(proof) if version == Version::V0_1 && !has_checkpoint(&proof) => None,
        Some(proof) => Some(inclusion_proof(proof)?),
        None => None,
    };
    if version == Version::V0_1 && promise.is_none() {
        return Err(BundleError::new(
            "v0.1 bundle's tlog entry has no inclusion promise",
        ));
    }
    if version >= Version::V0_2 && proof.is_none() {
        return Err(BundleError::new(
            "tlog entry has no inclusion proof (required from bundle v0.2)",
        ));
    }
    Ok(LogEntry {
        log_index,
        log_id: decode_base64(&log_id.key_id, "tlog entry logId")?,
        kind: kind_version.kind,
        version: kind_version.version,
        integrated_time,
        promise,
        proof,
        body: decode_base64(&body_base64, "canonicalizedBody")?,
        body_base64,
    })
}

fn hash32(text: &str, what: &str) -> Result<[u8; 32], BundleError> {
    let bytes = decode_base64(text, what)?;
    <[u8; 32]>::try_from(bytes.as_slice())
        .map_err(|_| BundleError::new(format!("{what} is {} bytes, not 32", bytes.len())))
}

fn has_checkpoint(raw: &RawProof) -> bool {
    raw.checkpoint
        .as_ref()
        .is_some_and(|c| !c.envelope.is_empty())
}

fn inclusion_proof(raw: RawProof) -> Result<InclusionProof, BundleError> {
    let log_index = non_negative(raw.log_index.as_ref(), "inclusion proof logIndex")?;
    let tree_size = non_negative(raw.tree_size.as_ref(), "inclusion proof treeSize")?;
    let root_hash = hash32(
        raw.root_hash.as_deref().unwrap_or_default(),
        "inclusion proof rootHash",
    )?;
    let hashes = raw
        .hashes
        .iter()
        .map(|h| hash32(h, "inclusion proof hash"))
        .collect::<Result<_, _>>()?;
    let checkpoint = raw
        .checkpoint
        .map(|c| c.envelope)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| BundleError::new("inclusion proof has no checkpoint"))?;
    Ok(InclusionProof {
        log_index: log_index.unsigned_abs(),
        root_hash,
        tree_size: tree_size.unsigned_abs(),
        hashes,
        checkpoint,
    })
}
