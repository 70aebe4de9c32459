//! Which timestamp authority signed: the TSA certificate (embedded in the token, or the first of
//! an authority's chain) must chain to an authority of the trusted root, sign the token, be a
//! timestamping certificate, and every certificate on the path — like the authority itself —
//! must be valid at the generation time (not now: an expired TSA chain still vouches for the
//! times it stamped while valid).

use super::raw;
use crate::sigstore::BundleError;
use crate::sigstore::keys::{HashAlgorithm, PublicKey};
use crate::sigstore::trust_root::Authority;
use cms::signed_data::SignerIdentifier;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280;
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, RSA_ENCRYPTION};
use der::{Decode as _, Encode as _};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, SubjectKeyIdentifier};

/// The CMS signer's signature, to be checked with the TSA certificate's key.
pub(super) struct SignerSignature<'a> {
    /// Who the signer says it is.
    pub sid: &'a SignerIdentifier,
    /// The signed attributes as signed (`SET OF` tag).
    pub signed_attrs: &'a [u8],
    /// `digestAlgorithm`.
    pub digest: HashAlgorithm,
    /// `signatureAlgorithm`.
    pub algorithm: ObjectIdentifier,
    /// The signature value.
    pub signature: &'a [u8],
}

/// A certificate with the DER it was parsed from.
struct Cert<'a> {
    der: &'a [u8],
    parsed: Certificate,
}

impl<'a> Cert<'a> {
    fn parse(der: &'a [u8]) -> Result<Self, BundleError> {
        let parsed = Certificate::from_der(der)
            .map_err(|e| BundleError::new(format!("timestamp: malformed certificate: {e}")))?;
        Ok(Cert { der, parsed })
    }

    fn key(&self) -> Result<PublicKey, BundleError> {
        let spki = self
            .parsed
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| BundleError::new(format!("timestamp: certificate key: {e}")))?;
        PublicKey::from_spki(&spki, None)
    }

    fn extension(&self, oid: ObjectIdentifier) -> Option<&x509_cert::ext::Extension> {
        let extensions = self.parsed.tbs_certificate.extensions.as_deref()?;
        extensions.iter().find(|e| e.extn_id == oid)
    }

    fn subject(&self) -> String {
        self.parsed.tbs_certificate.subject.to_string()
    }
}

/// Verifies the signer against `authorities`; the error explains the closest miss.
pub(super) fn verify_signer(
    signer: &SignerSignature<'_>,
    embedded: &[&[u8]],
    gen_time: i64,
    authorities: &[Authority],
) -> Result<(), BundleError> {
    let embedded: Vec<Cert<'_>> = embedded
        .iter()
        .filter_map(|der| Cert::parse(der).ok())
        .collect();
    let embedded_leaf = embedded.iter().find(|c| is_signer(c, signer.sid));
    let mut closest: Option<(u8, BundleError)> = None;
    for authority in authorities {
        match verify_with(signer, embedded_leaf, gen_time, authority) {
            Ok(()) => return Ok(()),
            Err((stage, err)) => {
                if closest.as_ref().is_none_or(|(best, _)| stage > *best) {
                    closest = Some((stage, err));
                }
            }
        }
    }
    Err(closest.map_or_else(
        || BundleError::new("timestamp: the trusted root has no timestamp authorities"),
        |(_, err)| err,
    ))
}

/// Checks one authority; on failure, how far the checks got (higher is closer).
fn verify_with(
    signer: &SignerSignature<'_>,
    embedded_leaf: Option<&Cert<'_>>,
    gen_time: i64,
    authority: &Authority,
) -> Result<(), (u8, BundleError)> {
    let chain: Vec<Cert<'_>> = authority
        .chain
        .iter()
        .map(|der| Cert::parse(der))
        .collect::<Result<_, _>>()
        .map_err(|e| (0, e))?;
    let leaf_der = match embedded_leaf {
        Some(leaf) => leaf.der,
        None => authority.chain.first().ok_or_else(|| {
            (
                0,
                BundleError::new("timestamp: an authority without certificates"),
            )
        })?,
    };
    let leaf = Cert::parse(leaf_der).map_err(|e| (0, e))?;
    let path = chain_path(&leaf, &chain).map_err(|e| (0, e))?;

    let key = leaf.key().map_err(|e| (1, e))?;
    let sig = verify_signature(&key, signer).and_then(|()| {
        if is_signer(&leaf, signer.sid) {
            Ok(())
        } else {
            Err(BundleError::new("the signer is not the TSA certificate"))
        }
    });
    sig.map_err(|e| {
        let who = leaf.subject();
        (
            1,
            BundleError::new(format!("timestamp: signature by `{who}`: {e}")),
        )
    })?;

    check_timestamping_eku(&leaf).map_err(|e| (2, e))?;
    for cert in path.iter().copied().chain([&leaf]) {
        check_valid_at(cert, gen_time).map_err(|e| (3, e))?;
    }
    let after_start = authority.start.is_none_or(|start| start <= gen_time);
    let before_end = authority.end.is_none_or(|end| gen_time <= end);
    if after_start && before_end {
        Ok(())
    } else {
        Err((
            4,
            BundleError::new(format!(
                "timestamp: generated at {gen_time}, outside the validity of the timestamp authority `{}` in the trusted root",
                authority.uri
            )),
        ))
    }
}

/// The authority certificates `leaf` chains through: from the one that equals or issued `leaf`
/// to the end of the chain, each signed by the next. The chain's last certificate is the trust
/// anchor.
fn chain_path<'c, 'a>(
    leaf: &Cert<'_>,
    chain: &'c [Cert<'a>],
) -> Result<Vec<&'c Cert<'a>>, BundleError> {
    let untrusted = || {
        BundleError::new(format!(
            "timestamp: the TSA certificate `{}` does not chain to this timestamp authority",
            leaf.subject()
        ))
    };
    let start = if let Some(index) = chain.iter().position(|c| c.der == leaf.der) {
        index
    } else {
        let issuer = chain.first().ok_or_else(untrusted)?;
        if !is_ca(issuer) || signed_by(leaf, issuer).is_err() {
            return Err(untrusted());
        }
        0
    };
    let path: Vec<&Cert<'a>> = chain.get(start..).unwrap_or_default().iter().collect();
    for pair in path.windows(2) {
        if let [child, parent] = pair {
            signed_by(child, parent).map_err(|e| {
                BundleError::new(format!(
                    "timestamp: the trusted root's TSA chain is broken at `{}`: {e}",
                    child.subject()
                ))
            })?;
        }
    }
    Ok(path)
}

fn signed_by(child: &Cert<'_>, issuer: &Cert<'_>) -> Result<(), BundleError> {
    let tbs = raw::tbs_certificate(child.der)?;
    let signature = child
        .parsed
        .signature
        .as_bytes()
        .ok_or_else(|| BundleError::new("a certificate signature with unused bits"))?;
    issuer
        .key()?
        .verify_with_algorithm(tbs, signature, &child.parsed.signature_algorithm.oid)
}

fn is_ca(cert: &Cert<'_>) -> bool {
    cert.extension(rfc5280::ID_CE_BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca)
}

fn is_signer(cert: &Cert<'_>, sid: &SignerIdentifier) -> bool {
    let tbs = &cert.parsed.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            tbs.issuer == id.issuer && tbs.serial_number == id.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(id) => cert
            .extension(rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            .and_then(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
            .is_some_and(|ski| ski == *id),
    }
}

/// The CMS signature over the signed attributes, with the signer's algorithms.
fn verify_signature(key: &PublicKey, signer: &SignerSignature<'_>) -> Result<(), BundleError> {
    match signer.algorithm {
        // A bare key algorithm: the digest algorithm names the hash.
        ID_EC_PUBLIC_KEY | RSA_ENCRYPTION => {
            let digest = signer.digest.digest(signer.signed_attrs);
            key.verify_digest(signer.digest, &digest, signer.signature)
        }
        algorithm => key.verify_with_algorithm(signer.signed_attrs, signer.signature, &algorithm),
    }
}

/// RFC 3161 §2.3: the TSA certificate carries the critical extended key usage timeStamping.
fn check_timestamping_eku(leaf: &Cert<'_>) -> Result<(), BundleError> {
    let eku = leaf
        .extension(rfc5280::ID_CE_EXT_KEY_USAGE)
        .filter(|e| e.critical)
        .and_then(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok());
    match eku {
        Some(eku) if eku.0.contains(&rfc5280::ID_KP_TIME_STAMPING) => Ok(()),
        _ => Err(BundleError::new(format!(
            "timestamp: `{}` is not a timestamping certificate (critical extended key usage timeStamping)",
            leaf.subject()
        ))),
    }
}

fn check_valid_at(cert: &Cert<'_>, time: i64) -> Result<(), BundleError> {
    let validity = &cert.parsed.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| i64::try_from(t.to_unix_duration().as_secs()).ok();
    let not_before = secs(validity.not_before);
    let not_after = secs(validity.not_after);
    if not_before.is_some_and(|nb| nb <= time) && not_after.is_some_and(|na| time <= na) {
        Ok(())
    } else {
        Err(BundleError::new(format!(
            "timestamp: generated at {time}, outside the validity of the TSA certificate `{}`",
            cert.subject()
        )))
    }
}
