//! OpenSSH certificates (PROTOCOL.certkeys), as `ssh-keygen -Y sign` embeds them in an sshsig.
//!
//! Read here rather than with `ssh_key::Certificate`: ssh-key 0.6 refuses a `valid_before`
//! above `i64::MAX`, and `0xFFFF_FFFF_FFFF_FFFF` ("forever") is what `ssh-keygen -s` writes
//! unless given `-V`, so it cannot read most certificates.

use super::wire::{Wire, put_string};
use signature::Verifier;
use ssh_key::public::KeyData;
use ssh_key::{PublicKey, Signature};

/// How OpenSSH names certificate key types: `<plain type>-cert-v01@openssh.com`.
pub(crate) const CERT_SUFFIX: &str = "-cert-v01@openssh.com";

/// The certificate type of user certificates (host certificates are 2).
const USER_CERT: u32 = 1;

/// A parsed certificate. Its CA signature is not checked by parsing; see
/// [`Certificate::ca_signature_verifies`].
#[derive(Debug)]
pub(crate) struct Certificate {
    /// The certified key in wire form (`string type` then its fields), as in a plain sshsig.
    pub(crate) key_blob: Vec<u8>,
    /// 1 for a user certificate, 2 for a host certificate.
    pub(crate) cert_type: u32,
    /// The principals the certificate is valid for.
    pub(crate) principals: Vec<String>,
    /// Valid from this second since the epoch.
    pub(crate) valid_after: u64,
    /// Valid before this second since the epoch (`u64::MAX`: forever).
    pub(crate) valid_before: u64,
    /// The CA's key.
    pub(crate) ca: KeyData,
    /// The CA's signature over `signed`.
    signature: Signature,
    /// Every byte of the certificate up to and including the CA key: what the CA signed.
    signed: Vec<u8>,
}

impl Certificate {
    /// Parses a certificate blob; the error says what is wrong with it.
    pub(crate) fn parse(blob: &[u8]) -> Result<Self, String> {
        let truncated = || "the certificate is truncated".to_owned();
        let mut wire = Wire::new(blob);
        let cert_type_name = wire.text().ok_or_else(truncated)?;
        let plain_type = plain_type(cert_type_name)
            .ok_or_else(|| format!("`{cert_type_name}` is not an OpenSSH certificate type"))?;
        wire.string().ok_or_else(truncated)?; // nonce

        let fields = key_field_count(&plain_type)
            .ok_or_else(|| format!("certificates of `{plain_type}` keys are not supported"))?;
        let start = wire.position();
        for _ in 0..fields {
            wire.string().ok_or_else(truncated)?;
        }
        let mut key_blob = Vec::new();
        put_string(&mut key_blob, plain_type.as_bytes()).ok_or_else(truncated)?;
        key_blob.extend_from_slice(blob.get(start..wire.position()).unwrap_or_default());

        wire.u64().ok_or_else(truncated)?; // serial
        let cert_type = wire.u32().ok_or_else(truncated)?;
        wire.string().ok_or_else(truncated)?; // key id
        let mut principal_list = Wire::new(wire.string().ok_or_else(truncated)?);
        let mut principals = Vec::new();
        while !principal_list.rest().is_empty() {
            let principal = principal_list
                .text()
                .ok_or("the certificate's principals are malformed")?;
            principals.push(principal.to_owned());
        }
        let valid_after = wire.u64().ok_or_else(truncated)?;
        let valid_before = wire.u64().ok_or_else(truncated)?;
        for _ in ["critical options", "extensions", "reserved"] {
            wire.string().ok_or_else(truncated)?;
        }
        let ca = PublicKey::from_bytes(wire.string().ok_or_else(truncated)?)
            .map_err(|e| format!("the certificate's CA key does not parse: {e}"))?
            .key_data()
            .clone();
        let signed = blob.get(..wire.position()).unwrap_or_default().to_vec();
        let signature = Signature::try_from(wire.string().ok_or_else(truncated)?)
            .map_err(|e| format!("the certificate's CA signature does not parse: {e}"))?;
        if !wire.rest().is_empty() {
            return Err("the certificate has trailing bytes".to_owned());
        }
        Ok(Self {
            key_blob,
            cert_type,
            principals,
            valid_after,
            valid_before,
            ca,
            signature,
            signed,
        })
    }

    /// Whether the CA key in the certificate signed it. Says nothing about whether that CA is
    /// trusted.
    pub(crate) fn ca_signature_verifies(&self) -> bool {
        self.ca.verify(&self.signed, &self.signature).is_ok()
    }

    /// Whether this is a user certificate (only those may make sshsig signatures).
    pub(crate) fn is_user(&self) -> bool {
        self.cert_type == USER_CERT
    }

    /// Whether the certificate is valid at `at`: `valid_after <= at < valid_before`, as
    /// PROTOCOL.certkeys defines it.
    pub(crate) fn valid_at(&self, at: u64) -> bool {
        self.valid_after <= at && at < self.valid_before
    }
}

/// The plain key type of a certificate type: `ssh-ed25519-cert-v01@openssh.com` is
/// `ssh-ed25519`, `sk-ssh-ed25519-cert-v01@openssh.com` is `sk-ssh-ed25519@openssh.com`.
fn plain_type(cert_type: &str) -> Option<String> {
    let base = cert_type.strip_suffix(CERT_SUFFIX)?;
    Some(if base.starts_with("sk-") {
        format!("{base}@openssh.com")
    } else {
        base.to_owned()
    })
}

/// How many wire strings (or mpints, encoded the same) a key of `plain_type` has.
fn key_field_count(plain_type: &str) -> Option<usize> {
    match plain_type {
        "ssh-ed25519" => Some(1),
        "ssh-rsa" | "sk-ssh-ed25519@openssh.com" => Some(2),
        "sk-ecdsa-sha2-nistp256@openssh.com" => Some(3),
        "ssh-dss" => Some(4),
        t if t.starts_with("ecdsa-sha2-") => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Certificate, plain_type};

    #[test]
    fn certificate_types_map_to_plain_types() {
        assert_eq!(
            plain_type("ssh-ed25519-cert-v01@openssh.com").as_deref(),
            Some("ssh-ed25519")
        );
        assert_eq!(
            plain_type("sk-ecdsa-sha2-nistp256-cert-v01@openssh.com").as_deref(),
            Some("sk-ecdsa-sha2-nistp256@openssh.com")
        );
        assert_eq!(plain_type("ssh-ed25519"), None);
    }

    #[test]
    fn truncated_certificates_are_errors() {
        let mut blob = Vec::new();
        super::put_string(&mut blob, b"ssh-ed25519-cert-v01@openssh.com").expect("short");
        super::put_string(&mut blob, b"nonce").expect("short");
        let err = Certificate::parse(&blob).expect_err("truncated");
        assert!(err.contains("truncated"), "{err}");
        assert!(Certificate::parse(b"").is_err());
    }
}
