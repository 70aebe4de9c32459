//! The signing certificate: the path from the leaf to a Fulcio CA of the trusted root, the
//! validity of every certificate on it at each verified signing time, and the Sigstore leaf
//! profile (key usage `digitalSignature`, extended key usage `codeSigning`).
//!
//! Only the leaf is taken from the bundle: the path is built from the trusted root's CA chains,
//! so intermediates a bundle carries are ignored, and a bundle that ships a root certificate is
//! rejected (a verifier must never be tempted to trust it).

use super::BundleError;
use super::keys::PublicKey;
use super::trust_root::Authority;
use const_oid::ObjectIdentifier;
use der::{Decode as _, Encode as _, Reader as _};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage};

const CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// A parsed certificate with the DER it came from.
#[derive(Clone, Debug)]
pub(crate) struct Cert {
    pub der: Vec<u8>,
    pub cert: Certificate,
}

impl Cert {
    /// Parses DER; `what` names the certificate in errors.
    pub fn parse(der: &[u8], what: &str) -> Result<Self, BundleError> {
        let cert = Certificate::from_der(der)
            .map_err(|e| BundleError::new(format!("{what} does not parse: {e}")))?;
        Ok(Cert {
            der: der.to_vec(),
            cert,
        })
    }

    /// The `TBSCertificate` exactly as encoded (what the issuer signed).
    pub fn tbs_der(&self) -> Result<&[u8], BundleError> {
        let fail = |e: der::Error| BundleError::new(format!("certificate does not parse: {e}"));
        let mut outer = der::SliceReader::new(&self.der).map_err(fail)?;
        let header = der::Header::decode(&mut outer).map_err(fail)?;
        let body = outer.read_slice(header.length).map_err(fail)?;
        der::SliceReader::new(body)
            .map_err(fail)?
            .tlv_bytes()
            .map_err(fail)
    }

    /// The `SubjectPublicKeyInfo` DER.
    pub fn spki_der(&self) -> Result<Vec<u8>, BundleError> {
        self.cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| BundleError::new(format!("certificate key does not encode: {e}")))
    }

    /// notBefore and notAfter, in seconds since the epoch (both inclusive).
    pub fn validity(&self) -> (i64, i64) {
        let validity = &self.cert.tbs_certificate.validity;
        let secs = |d: std::time::Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        (
            secs(validity.not_before.to_unix_duration()),
            secs(validity.not_after.to_unix_duration()),
        )
    }

    /// Whether `time` lies inside the validity.
    pub fn valid_at(&self, time: i64) -> bool {
        let (start, end) = self.validity();
        start <= time && time <= end
    }

    fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    fn is_self_issued(&self) -> bool {
        self.cert.tbs_certificate.subject == self.cert.tbs_certificate.issuer
    }

    /// Verifies that `issuer` signed this certificate.
    fn verify_issued_by(&self, issuer: &Cert) -> Result<(), BundleError> {
        if self.cert.tbs_certificate.issuer != issuer.cert.tbs_certificate.subject {
            return Err(BundleError::new(format!(
                "`{}` is not issued by `{}`",
                self.subject(),
                issuer.subject()
            )));
        }
        let signature = self.cert.signature.as_bytes().ok_or_else(|| {
            BundleError::new("certificate signature is not a whole number of bytes")
        })?;
        // The certificate names its own signature algorithm (a P-256 CA may sign with SHA-384).
        PublicKey::from_spki(&issuer.spki_der()?, None)
            .and_then(|key| {
                key.verify_with_algorithm(
                    self.tbs_der()?,
                    signature,
                    &self.cert.signature_algorithm.oid,
                )
            })
            .map_err(|e| {
                BundleError::new(format!(
                    "signature on `{}` by `{}` does not verify: {e}",
                    self.subject(),
                    issuer.subject()
                ))
            })
    }
}

/// A signing certificate whose path to a trusted CA verified.
#[derive(Debug)]
pub(crate) struct SigningCertificate {
    pub leaf: Cert,
    /// The CA certificate that issued the leaf (its key is the SCT issuer key).
    pub issuer: Cert,
}

/// Verifies the signing certificate `leaf` against the trusted root's Fulcio `authorities` at
/// every one of the verified signing `times`; `rest` is whatever else the bundle's chain lists.
pub(crate) fn verify_signing_certificate(
    leaf: &Cert,
    rest: &[Vec<u8>],
    authorities: &[Authority],
    times: &[i64],
) -> Result<SigningCertificate, BundleError> {
    for der in rest {
        if Cert::parse(der, "bundle chain certificate")?.is_self_issued() {
            return Err(BundleError::new(
                "bundle certificate chain includes a root certificate",
            ));
        }
    }
    check_profile(leaf)?;
    if times.is_empty() {
        return Err(BundleError::new("no verified signing time"));
    }
    let (not_before, not_after) = leaf.validity();
    if let Some(time) = times.iter().find(|&&t| !leaf.valid_at(t)) {
        return Err(BundleError::new(format!(
            "signing time {} is outside the signing certificate's validity ({} to {})",
            show_time(*time),
            show_time(not_before),
            show_time(not_after)
        )));
    }
    let mut reason = String::from("the trusted root has no certificate authority");
    for authority in authorities {
        match issuer_via(leaf, authority, times) {
            Ok(issuer) => {
                return Ok(SigningCertificate {
                    leaf: leaf.clone(),
                    issuer,
                });
            }
            Err(e) => reason = e.0,
        }
    }
    Err(BundleError::new(format!(
        "signing certificate does not chain to a trusted Fulcio CA: {reason}"
    )))
}

/// The path leaf → `authority`'s chain, every certificate valid at every time; returns the
/// issuing CA certificate.
fn issuer_via(leaf: &Cert, authority: &Authority, times: &[i64]) -> Result<Cert, BundleError> {
    let chain = authority
        .chain
        .iter()
        .map(|der| Cert::parse(der, "trusted root CA certificate"))
        .collect::<Result<Vec<_>, _>>()?;
    let issuer = chain
        .first()
        .ok_or_else(|| BundleError::new("a certificate authority has an empty chain"))?;
    leaf.verify_issued_by(issuer)?;
    for time in times {
        if authority.start.is_some_and(|s| *time < s) || authority.end.is_some_and(|e| *time > e) {
            return Err(BundleError::new(format!(
                "signing time {} is outside the validity of certificate authority `{}`",
                show_time(*time),
                authority.uri
            )));
        }
    }
    for (index, cert) in chain.iter().enumerate() {
        if let Some(time) = times.iter().find(|&&t| !cert.valid_at(t)) {
            return Err(BundleError::new(format!(
                "CA certificate `{}` is not valid at signing time {}",
                cert.subject(),
                show_time(*time)
            )));
        }
        match chain.get(index + 1) {
            Some(parent) => cert.verify_issued_by(parent)?,
            None if cert.is_self_issued() => cert.verify_issued_by(cert)?,
            None => {}
        }
    }
    Ok(issuer.clone())
}

/// The Sigstore leaf profile.
fn check_profile(leaf: &Cert) -> Result<(), BundleError> {
    let tbs = &leaf.cert.tbs_certificate;
    let key_usage = tbs
        .get::<KeyUsage>()
        .map_err(|e| BundleError::new(format!("signing certificate key usage: {e}")))?;
    if !key_usage.is_some_and(|(_, usage)| usage.digital_signature()) {
        return Err(BundleError::new(
            "signing certificate key usage lacks digitalSignature",
        ));
    }
    let extended = tbs
        .get::<ExtendedKeyUsage>()
        .map_err(|e| BundleError::new(format!("signing certificate extended key usage: {e}")))?;
    if !extended.is_some_and(|(_, usage)| usage.0.contains(&CODE_SIGNING)) {
        return Err(BundleError::new(
            "signing certificate extended key usage lacks codeSigning",
        ));
    }
    Ok(())
}

/// An epoch time as RFC 3339 for messages.
pub(crate) fn show_time(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}
