//! Verifying one sshsig signature over a payload against the allowed signers.
//!
//! This follows what git does for `gpg.format = ssh`: `ssh-keygen -Y find-principals` then
//! `-Y verify`, with the object's time as `verify-time`. A plain key must be on a line without
//! `cert-authority`; a certificate must have been issued by the key of a `cert-authority` line.

use super::certificate::Certificate;
use super::envelope::{self, Envelope};
use super::pattern::matches_list;
use super::{AllowedSigner, AllowedSigners};
use crate::{Rejection, Verified};
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, HashAlg, PublicKey};

/// Verifies the armored SSH signature `armored` over `payload` in `namespace` (git uses `git`),
/// as made at `signed_at` (seconds since the epoch; git uses the tagger or committer time), by
/// a signer of `signers`. The signature must verify, and its key (or the CA of its certificate)
/// must be on a line whose namespaces include `namespace` and whose validity covers
/// `signed_at`.
///
/// The signer is the line's principals as written for a plain key; for a certificate it is
/// the certificate's principals that the line's patterns match, which is what git reports.
pub fn verify_ssh(
    armored: &str,
    payload: &[u8],
    namespace: &str,
    signed_at: i64,
    signers: &AllowedSigners,
) -> Result<Verified, Rejection> {
    let Envelope { sig, certificate } = envelope::decode(armored).map_err(Rejection::Invalid)?;
    if sig.namespace() != namespace {
        return Err(Rejection::Invalid(format!(
            "the SSH signature is for namespace `{}`, not `{namespace}`",
            sig.namespace()
        )));
    }
    if matches!(sig.algorithm(), Algorithm::Rsa { hash: None }) {
        // ssh-keygen refuses SHA-1 RSA sshsig signatures too.
        return Err(Rejection::Invalid(
            "the SSH signature uses RSA with SHA-1 (ssh-rsa), which is not accepted".to_owned(),
        ));
    }
    PublicKey::new(sig.public_key().clone(), "")
        .verify(namespace, payload, &sig)
        .map_err(|e| Rejection::Invalid(format!("the SSH signature does not verify: {e}")))?;

    let fingerprint = fingerprint(sig.public_key());
    let check = Check {
        signers,
        namespace,
        signed_at,
        fingerprint: &fingerprint,
    };
    match certificate {
        None => check.plain_key(sig.public_key()),
        Some(certificate) => check.certificate(&certificate),
    }
}

/// One verified signature being looked up in the allowed signers.
struct Check<'a> {
    signers: &'a AllowedSigners,
    namespace: &'a str,
    signed_at: i64,
    /// The fingerprint of the key that made the signature (a certificate's plain key).
    fingerprint: &'a str,
}

impl Check<'_> {
    /// A signature by a plain key: a line without `cert-authority` must list that key.
    fn plain_key(&self, key: &KeyData) -> Result<Verified, Rejection> {
        let path = &self.signers.path;
        let lines = self.lines_with(key, false);
        if lines.is_empty() {
            if let Some(ca) = self.lines_with(key, true).first() {
                return Err(Rejection::NotAllowed(format!(
                    "key {} is in {path}:{} only as a cert-authority, which accepts the certificates it issues, not its own signatures",
                    self.fingerprint, ca.line
                )));
            }
            return Err(Rejection::NotAllowed(format!(
                "key {} is not in {path}",
                self.fingerprint
            )));
        }
        let mut reasons = Vec::new();
        for signer in lines {
            match self.line_allows(signer) {
                Ok(()) => return Ok(self.verified(signer.principal_list())),
                Err(reason) => reasons.push(reason),
            }
        }
        Err(Self::not_allowed(
            &format!("key {}", self.fingerprint),
            &reasons,
        ))
    }

    /// A signature by a certificate: a `cert-authority` line must list the CA that issued it,
    /// and one of the certificate's principals must match that line's principals.
    fn certificate(&self, certificate: &Certificate) -> Result<Verified, Rejection> {
        let path = &self.signers.path;
        let ca = &certificate.ca;
        let ca_fingerprint = fingerprint(ca);
        let lines = self.lines_with(ca, true);
        if lines.is_empty() {
            return Err(Rejection::NotAllowed(format!(
                "the certificate of key {} was issued by CA {ca_fingerprint}, which is not a cert-authority in {path}",
                self.fingerprint
            )));
        }
        if !certificate.ca_signature_verifies() {
            return Err(Rejection::Invalid(format!(
                "the certificate of key {} does not carry a valid signature by CA {ca_fingerprint}",
                self.fingerprint
            )));
        }
        if !certificate.is_user() {
            return Err(Rejection::NotAllowed(format!(
                "the certificate of key {} is a host certificate; only user certificates may sign",
                self.fingerprint
            )));
        }
        let valid = u64::try_from(self.signed_at).is_ok_and(|at| certificate.valid_at(at));
        if !valid {
            return Err(Rejection::NotAllowed(format!(
                "the certificate of key {} is valid from {} until {}, but the signature was made at {}",
                self.fingerprint,
                show_unsigned_time(certificate.valid_after),
                show_unsigned_time(certificate.valid_before),
                show_time(self.signed_at)
            )));
        }
        if certificate.principals.is_empty() {
            return Err(Rejection::NotAllowed(format!(
                "the certificate of key {} names no principals",
                self.fingerprint
            )));
        }

        let mut reasons = Vec::new();
        for signer in lines {
            let patterns = signer.principal_list();
            let matching: Vec<&str> = certificate
                .principals
                .iter()
                .map(String::as_str)
                .filter(|principal| matches_list(principal, &patterns))
                .collect();
            if matching.is_empty() {
                reasons.push(format!(
                    "none of the certificate's principals ({}) matches `{patterns}` on {path}:{}",
                    certificate.principals.join(", "),
                    signer.line
                ));
                continue;
            }
            match self.line_allows(signer) {
                Ok(()) => return Ok(self.verified(matching.join(","))),
                Err(reason) => reasons.push(reason),
            }
        }
        let subject = format!(
            "CA {ca_fingerprint} of the certificate of key {}",
            self.fingerprint
        );
        Err(Self::not_allowed(&subject, &reasons))
    }

    /// The lines whose key is `key`, among the `cert-authority` lines or among the others.
    fn lines_with(&self, key: &KeyData, cert_authority: bool) -> Vec<&AllowedSigner> {
        self.signers
            .signers
            .iter()
            .filter(|s| s.cert_authority == cert_authority && s.key.0.key_data() == key)
            .collect()
    }

    /// Whether `signer`'s namespaces and validity admit this signature; the error says why not.
    fn line_allows(&self, signer: &AllowedSigner) -> Result<(), String> {
        let at = format!("{}:{}", self.signers.path, signer.line);
        if let Some(namespaces) = &signer.namespaces {
            let namespaces = namespaces.join(",");
            if !matches_list(self.namespace, &namespaces) {
                return Err(format!(
                    "{at} allows namespaces \"{namespaces}\", not `{}`",
                    self.namespace
                ));
            }
        }
        if let Some(after) = signer.valid_after.filter(|&after| self.signed_at < after) {
            return Err(format!(
                "{at} is valid only from {} (valid-after), but the signature was made at {}",
                show_time(after),
                show_time(self.signed_at)
            ));
        }
        if let Some(before) = signer
            .valid_before
            .filter(|&before| self.signed_at > before)
        {
            return Err(format!(
                "{at} is valid only until {} (valid-before), but the signature was made at {}",
                show_time(before),
                show_time(self.signed_at)
            ));
        }
        Ok(())
    }

    fn verified(&self, signer: String) -> Verified {
        Verified {
            signer,
            key: self.fingerprint.to_owned(),
            format: "ssh",
        }
    }

    /// Every listed line refused the signature; `subject` is what was listed.
    fn not_allowed(subject: &str, reasons: &[String]) -> Rejection {
        Rejection::NotAllowed(format!(
            "{subject} is listed but not allowed for this signature: {}",
            reasons.join("; ")
        ))
    }
}

/// `SHA256:` and unpadded base64, as ssh-keygen and git print fingerprints.
fn fingerprint(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// An RFC 3339 UTC time, or the raw seconds if out of range.
fn show_time(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds).map_or_else(|_| seconds.to_string(), |t| t.to_string())
}

/// A certificate time; OpenSSH uses the largest value for "forever".
fn show_unsigned_time(seconds: u64) -> String {
    match i64::try_from(seconds) {
        Ok(seconds) if jiff::Timestamp::from_second(seconds).is_ok() => show_time(seconds),
        _ => "forever".to_owned(),
    }
}
