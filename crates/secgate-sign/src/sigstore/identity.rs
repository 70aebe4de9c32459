//! What the bundle must be signed by: a certificate identity (the SAN: URI or email) issued
//! through an OIDC issuer, or a known public key.

use super::BundleError;
use super::certificate::Cert;
use const_oid::ObjectIdentifier;
use der::Decode as _;
use der::asn1::Utf8StringRef;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

/// The signer a bundle must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    /// A Fulcio certificate whose SAN equals `identity` and whose OIDC issuer extension
    /// (1.3.6.1.4.1.57264.1.8, or the legacy 1.3.6.1.4.1.57264.1.1) equals `issuer`.
    Certificate {
        /// The exact SAN (URI or email).
        identity: String,
        /// The exact OIDC issuer URL.
        issuer: String,
    },
    /// A public key (PEM `PUBLIC KEY`, i.e. `SubjectPublicKeyInfo`); the bundle carries a key hint
    /// or nothing instead of a certificate.
    PublicKey(Vec<u8>),
}

/// Fulcio's OIDC issuer extension (DER `UTF8String`).
const ISSUER_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.8");
/// The legacy issuer extension (the raw string as the extension value).
const ISSUER_V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.1");
/// Fulcio's username SAN (an otherName holding a `UTF8String`).
const USERNAME_SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.57264.1.7");

/// Checks that the signing certificate names `identity` in its SAN and `issuer` as its OIDC
/// issuer; returns the SAN.
pub(crate) fn check_certificate_identity(
    leaf: &Cert,
    identity: &str,
    issuer: &str,
) -> Result<String, BundleError> {
    let names = subject_alternative_names(leaf)?;
    if !names.iter().any(|name| name == identity) {
        return Err(BundleError::new(format!(
            "certificate identity {} does not match the expected `{identity}`",
            quote_list(&names)
        )));
    }
    let actual = oidc_issuer(leaf)?;
    if actual != issuer {
        return Err(BundleError::new(format!(
            "certificate OIDC issuer `{actual}` does not match the expected `{issuer}`"
        )));
    }
    Ok(identity.to_owned())
}

/// The URI, email and Fulcio username SANs.
fn subject_alternative_names(leaf: &Cert) -> Result<Vec<String>, BundleError> {
    let san = leaf
        .cert
        .tbs_certificate
        .get::<SubjectAltName>()
        .map_err(|e| BundleError::new(format!("certificate SAN does not parse: {e}")))?
        .ok_or_else(|| BundleError::new("signing certificate has no SAN"))?
        .1;
    Ok(san
        .0
        .iter()
        .filter_map(|name| match name {
            GeneralName::UniformResourceIdentifier(s) | GeneralName::Rfc822Name(s) => {
                Some(s.to_string())
            }
            GeneralName::OtherName(other) if other.type_id == USERNAME_SAN => {
                Utf8StringRef::try_from(&other.value)
                    .ok()
                    .map(|s| s.to_string())
            }
            _ => None,
        })
        .collect())
}

/// The OIDC issuer extension.
fn oidc_issuer(leaf: &Cert) -> Result<String, BundleError> {
    let extensions = leaf
        .cert
        .tbs_certificate
        .extensions
        .as_deref()
        .unwrap_or_default();
    if let Some(ext) = extensions.iter().find(|e| e.extn_id == ISSUER_V2) {
        return Utf8StringRef::from_der(ext.extn_value.as_bytes())
            .map(|s| s.to_string())
            .map_err(|e| BundleError::new(format!("certificate OIDC issuer does not parse: {e}")));
    }
    if let Some(ext) = extensions.iter().find(|e| e.extn_id == ISSUER_V1) {
        return String::from_utf8(ext.extn_value.as_bytes().to_vec())
            .map_err(|_| BundleError::new("certificate OIDC issuer is not UTF-8"));
    }
    Err(BundleError::new(
        "signing certificate has no OIDC issuer extension",
    ))
}

fn quote_list(names: &[String]) -> String {
    if names.is_empty() {
        return "(none)".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
