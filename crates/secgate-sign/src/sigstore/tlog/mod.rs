//! Transparency-log entries: the entry body (Rekor v1 `hashedrekord`, `dsse`, `intoto`; Rekor v2
//! `hashedrekord` 0.0.2 and `dsse` 0.0.2) must describe this bundle's signature, key and
//! artifact; the entry must be proven in the log.
//!
//! Proof is an inclusion proof up to a checkpoint the log signed, and/or (Rekor v1) a signed
//! entry timestamp. Only a SET-backed integrated time is a verified time: a bare integrated
//! time next to an inclusion proof is not signed by anyone.

mod body;

pub(crate) use body::{Expected, Signer, check_body};

use super::BundleError;
use super::bundle::LogEntry;
use super::certificate::show_time;
use super::trust_root::{LogKey, TrustedRoot};
use super::{checkpoint, merkle, set};

/// How far in the future of the verifier's clock an integrated time may lie (clock skew).
const MAX_CLOCK_SKEW: i64 = 5 * 60;

/// Verifies that `entry` is in a transparency log of `root`. `tsa_times` are the verified RFC
/// 3161 times (an entry without integrated time must fall inside its log key's validity by
/// them); `now` bounds integrated times. Returns the integrated time when a SET backs it.
pub(crate) fn verify_entry(
    entry: &LogEntry,
    root: &TrustedRoot,
    tsa_times: &[i64],
    now: i64,
) -> Result<Option<i64>, BundleError> {
    let log = root
        .tlogs
        .iter()
        .find(|log| log.log_id == entry.log_id)
        .ok_or_else(|| {
            BundleError::new("tlog entry comes from a log that is not in the trusted root")
        })?;
    let start = log.start.ok_or_else(|| {
        BundleError::new(format!(
            "trusted root: transparency log `{}` has no validFor.start",
            log.base_url
        ))
    })?;
    let in_validity = |t: i64| start <= t && log.end.is_none_or(|end| t <= end);
    match entry.integrated_time {
        Some(time) => {
            if time > now.saturating_add(MAX_CLOCK_SKEW) {
                return Err(BundleError::new(format!(
                    "tlog entry integrated time {} is in the future",
                    show_time(time)
                )));
            }
            if !in_validity(time) {
                return Err(BundleError::new(format!(
                    "tlog entry integrated time {} is outside the log key's validity",
                    show_time(time)
                )));
            }
        }
        None => {
            if let Some(time) = tsa_times.iter().find(|&&t| !in_validity(t)) {
                return Err(BundleError::new(format!(
                    "timestamp {} is outside the validity of the log key of the tlog entry",
                    show_time(*time)
                )));
            }
        }
    }
    if entry.proof.is_none() && entry.promise.is_none() {
        return Err(BundleError::new(
            "tlog entry has neither an inclusion proof nor an inclusion promise",
        ));
    }
    verify_inclusion_proof(entry, log)?;
    verify_promise(entry, log)
}

fn verify_inclusion_proof(entry: &LogEntry, log: &LogKey) -> Result<(), BundleError> {
    let Some(proof) = &entry.proof else {
        return Ok(());
    };
    let leaf = merkle::leaf_hash(&entry.body);
    merkle::verify_inclusion(
        &leaf,
        proof.log_index,
        proof.tree_size,
        &proof.hashes,
        &proof.root_hash,
    )
    .map_err(|e| BundleError::new(format!("tlog inclusion proof does not verify: {e}")))?;
    let checkpoint = checkpoint::verify_checkpoint(&proof.checkpoint, log)
        .map_err(|e| BundleError::new(format!("tlog checkpoint does not verify: {e}")))?;
    if checkpoint.size != proof.tree_size || checkpoint.root_hash != proof.root_hash {
        return Err(BundleError::new(
            "tlog checkpoint is for another tree than the inclusion proof",
        ));
    }
    Ok(())
}

fn verify_promise(entry: &LogEntry, log: &LogKey) -> Result<Option<i64>, BundleError> {
    let Some(promise) = &entry.promise else {
        return Ok(None);
    };
    let time = entry
        .integrated_time
        .ok_or_else(|| BundleError::new("tlog inclusion promise without an integrated time"))?;
    set::verify_set(
        promise,
        &entry.body_base64,
        time,
        entry.log_index,
        &entry.log_id,
        log,
    )
    .map_err(|e| BundleError::new(format!("tlog signed entry timestamp does not verify: {e}")))?;
    Ok(Some(time))
}
