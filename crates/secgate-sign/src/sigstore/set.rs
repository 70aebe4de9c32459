//! The signed entry timestamp (Rekor v1 inclusion promise): the log's signature over the
//! canonical JSON of `{body, integratedTime, logID, logIndex}`.

use super::BundleError;
use super::trust_root::LogKey;

/// Verifies the SET `signature` for the entry with base64 `body` (canonicalized body as in the
/// bundle), `integrated_time`, `log_index` and `log_id` (raw bytes; hex in the signed JSON)
/// with `log`'s key.
pub fn verify_set(
    signature: &[u8],
    body_b64: &str,
    integrated_time: i64,
    log_index: i64,
    log_id: &[u8],
    log: &LogKey,
) -> Result<(), BundleError> {
    let _ = (signature, body_b64, integrated_time, log_index, log_id, log);
    Err(BundleError::new(
        "signed entry timestamps are not built yet",
    ))
}
