//! Whether a trusted key may vouch for a signature: not revoked, not expired (now, nor when the
//! signature was made), and capable of signing. This is what gpg reports as `REVKEYSIG` or
//! `EXPKEYSIG` and git refuses.

use super::certificate::{Binding, TrustedKey, TrustedSubkey, created, fingerprint_hex};
use pgp::packet::{Signature, SubpacketData};
use pgp::types::KeyDetails;

/// How far in the future a signature (or self-signature) may be dated before it is refused:
/// the signer's and the verifier's clocks differ a little.
pub(super) const CLOCK_SKEW: i64 = 5 * 60;

/// Which key of a trusted key made a signature.
#[derive(Clone, Copy, Debug)]
pub(super) enum SigningKey<'a> {
    /// The primary key.
    Primary,
    /// One of its subkeys.
    Subkey(&'a TrustedSubkey),
}

impl TrustedKey {
    /// Why the key `signer` of `self` may not vouch for a signature made at `signed_at`, judged
    /// at `now` (seconds since the epoch); `None` when it may.
    pub(super) fn refusal(
        &self,
        signer: SigningKey<'_>,
        signed_at: i64,
        now: i64,
    ) -> Option<String> {
        let who = self.describe();
        if let Some(revocation) = self.revocations.first() {
            return Some(format!("key {who} is revoked{}", reason(revocation)));
        }
        let current = current(&self.self_signatures, now);
        let created_at = i64::from(self.key.primary_key.created_at().as_secs());
        if let Some(expiry) = current.and_then(|s| expiry(created_at, s))
            && (expiry <= now || expiry <= signed_at)
        {
            return Some(format!("key {who} expired on {}", date(expiry)));
        }
        match signer {
            SigningKey::Primary => {
                if current.is_some_and(|s| !may_sign(s)) {
                    return Some(format!(
                        "key {who} is not a signing key (its key flags do not allow signing)"
                    ));
                }
                None
            }
            SigningKey::Subkey(subkey) => subkey_refusal(subkey, &who, signed_at, now),
        }
    }
}

/// Why the subkey may not sign, its primary key being fine.
fn subkey_refusal(subkey: &TrustedSubkey, who: &str, signed_at: i64, now: i64) -> Option<String> {
    let fpr = fingerprint_hex(&subkey.key);
    let Some(binding) = current_binding(&subkey.bindings, now) else {
        return Some(format!(
            "subkey {fpr} is not bound to key {who} by a valid binding signature"
        ));
    };
    if let Some(revocation) = subkey.revocations.first() {
        return Some(format!(
            "subkey {fpr} of key {who} is revoked{}",
            reason(revocation)
        ));
    }
    let created_at = i64::from(subkey.key.created_at().as_secs());
    if let Some(expiry) = expiry(created_at, &binding.signature)
        && (expiry <= now || expiry <= signed_at)
    {
        return Some(format!(
            "subkey {fpr} of key {who} expired on {}",
            date(expiry)
        ));
    }
    if !may_sign(&binding.signature) {
        return Some(format!(
            "subkey {fpr} of key {who} is not a signing subkey (its key flags do not allow signing)"
        ));
    }
    if !binding.back_signed {
        return Some(format!(
            "subkey {fpr} of key {who} has no valid primary key binding signature, which a signing subkey must carry"
        ));
    }
    None
}

/// The self-signature in force at `now`: the newest one not dated after it (beyond the clock
/// skew), or the oldest if all are.
fn current(signatures: &[Signature], now: i64) -> Option<&Signature> {
    let in_force = signatures
        .iter()
        .filter(|s| i64::from(created(s)) <= now.saturating_add(CLOCK_SKEW))
        .max_by_key(|s| created(s));
    in_force.or_else(|| signatures.iter().min_by_key(|s| created(s)))
}

/// The binding signature in force at `now`, chosen like [`current`].
fn current_binding(bindings: &[Binding], now: i64) -> Option<&Binding> {
    let in_force = bindings
        .iter()
        .filter(|b| i64::from(created(&b.signature)) <= now.saturating_add(CLOCK_SKEW))
        .max_by_key(|b| created(&b.signature));
    in_force.or_else(|| bindings.iter().min_by_key(|b| created(&b.signature)))
}

/// When a key created at `created_at` expires according to `signature`; `None` for never (no
/// key expiration time subpacket, or zero).
fn expiry(created_at: i64, signature: &Signature) -> Option<i64> {
    let validity = signature.key_expiration_time()?.as_secs();
    (validity > 0).then(|| created_at + i64::from(validity))
}

/// Whether the key flags of `signature` allow signing; a signature without key flags does not
/// restrict the key.
fn may_sign(signature: &Signature) -> bool {
    let has_flags = signature.config().is_some_and(|c| {
        c.hashed_subpackets()
            .any(|p| matches!(p.data, SubpacketData::KeyFlags(_)))
    });
    !has_flags || signature.key_flags().sign()
}

/// `: <reason>` from a revocation's reason subpacket, when it gives one.
fn reason(revocation: &Signature) -> String {
    revocation
        .revocation_reason_string()
        .map(|r| String::from_utf8_lossy(r).trim().to_owned())
        .filter(|r| !r.is_empty())
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}

/// `secs` since the epoch as an RFC 3339 UTC date and time.
pub(super) fn date(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}
