//! Reading public keys: `SubjectPublicKeyInfo` DER (and PKCS#1 where a trusted root says so),
//! PEM, and the scheme a Sigstore `keyDetails` name stands for.

use super::{HashAlgorithm, Key, Scheme};
use crate::sigstore::BundleError;
use base64::Engine as _;
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use der::Decode as _;
use rsa::pkcs1::DecodeRsaPublicKey as _;

/// `id-ecPublicKey` named curves.
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// The DER inside the first PEM `PUBLIC KEY` block of `pem` (text around it is ignored).
pub(super) fn pem_public_key(pem: &str) -> Result<Vec<u8>, BundleError> {
    const BEGIN: &str = "-----BEGIN PUBLIC KEY-----";
    const END: &str = "-----END PUBLIC KEY-----";
    let (_, body) = pem
        .split_once(BEGIN)
        .ok_or_else(|| BundleError::new("no `BEGIN PUBLIC KEY` block in the PEM key"))?;
    let (b64, _) = body
        .split_once(END)
        .ok_or_else(|| BundleError::new("the PEM public key has no END line"))?;
    let b64: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| BundleError::new(format!("the PEM public key is not base64: {e}")))
}

/// Parses a bare PKCS#1 `RSAPublicKey`, which trusted roots carry for `PKCS1_RSA_*` keys.
pub(super) fn parse_pkcs1(der: &[u8]) -> Result<Key, BundleError> {
    rsa_key(der)
}

/// A PKCS#1 RSA key of at least 2048 bits (Sigstore's floor; the `rsa` crate caps at 4096).
fn rsa_key(der: &[u8]) -> Result<Key, BundleError> {
    use rsa::traits::PublicKeyParts as _;
    let key = rsa::RsaPublicKey::from_pkcs1_der(der)
        .map_err(|_| BundleError::new("malformed RSA public key"))?;
    let bits = key.n().bits();
    if bits < 2048 {
        return Err(BundleError::new(format!(
            "a {bits}-bit RSA key is too weak (at least 2048 bits)"
        )));
    }
    Ok(Key::Rsa(key))
}

/// Parses `SubjectPublicKeyInfo` DER.
pub(super) fn parse_spki(spki: &[u8]) -> Result<Key, BundleError> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(spki)
        .map_err(|e| BundleError::new(format!("malformed public key: {e}")))?;
    let bits = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| BundleError::new("malformed public key: unaligned bit string"))?;
    let malformed = |what: &str| BundleError::new(format!("malformed {what} public key"));
    match info.algorithm.oid {
        rfc5912::ID_EC_PUBLIC_KEY => {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|_| BundleError::new("an EC public key without a named curve"))?;
            match curve {
                SECP256R1 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(Key::P256)
                    .map_err(|_| malformed("P-256")),
                SECP384R1 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                    .map(Key::P384)
                    .map_err(|_| malformed("P-384")),
                other => Err(BundleError::new(format!("unsupported EC curve {other}"))),
            }
        }
        rfc8410::ID_ED_25519 => {
            let raw: &[u8; 32] = bits.try_into().map_err(|_| malformed("Ed25519"))?;
            ed25519_dalek::VerifyingKey::from_bytes(raw)
                .map(Key::Ed25519)
                .map_err(|_| malformed("Ed25519"))
        }
        rfc5912::RSA_ENCRYPTION => rsa_key(bits),
        other => Err(BundleError::new(format!(
            "unsupported public key algorithm {other}"
        ))),
    }
}

pub(super) fn default_scheme(key: &Key) -> Scheme {
    match key {
        Key::P256(_) => Scheme::Ecdsa(HashAlgorithm::Sha256),
        Key::P384(_) => Scheme::Ecdsa(HashAlgorithm::Sha384),
        Key::Ed25519(_) => Scheme::Ed25519,
        Key::Rsa(_) => Scheme::RsaPkcs1v15(HashAlgorithm::Sha256),
    }
}

/// The scheme a Sigstore `PublicKeyDetails` name stands for; it must fit the key.
pub(super) fn scheme_for(key: &Key, details: &str) -> Result<Scheme, BundleError> {
    use HashAlgorithm::{Sha256, Sha384, Sha512};
    let scheme = match details {
        // The deprecated HMAC variant is plain ECDSA P-256 with SHA-256 in every client.
        "PKIX_ECDSA_P256_SHA_256" | "PKIX_ECDSA_P256_HMAC_SHA_256" | "PKIX_ECDSA_P384_SHA_256" => {
            Scheme::Ecdsa(Sha256)
        }
        "PKIX_ECDSA_P384_SHA_384" => Scheme::Ecdsa(Sha384),
        "PKIX_ECDSA_P521_SHA_512" | "PKIX_ECDSA_P521_SHA_256" => {
            return Err(BundleError::new("ECDSA P-521 keys are not supported"));
        }
        "PKIX_ED25519" => Scheme::Ed25519,
        "PKIX_RSA_PKCS1V5"
        | "PKCS1_RSA_PKCS1V5"
        | "PKIX_RSA_PKCS1V15_2048_SHA256"
        | "PKIX_RSA_PKCS1V15_3072_SHA256"
        | "PKIX_RSA_PKCS1V15_4096_SHA256" => Scheme::RsaPkcs1v15(Sha256),
        "PKIX_RSA_PSS"
        | "PKCS1_RSA_PSS"
        | "PKIX_RSA_PSS_2048_SHA256"
        | "PKIX_RSA_PSS_3072_SHA256"
        | "PKIX_RSA_PSS_4096_SHA256" => Scheme::RsaPss(Sha256),
        "PKIX_RSA_PKCS1V15_SHA384" => Scheme::RsaPkcs1v15(Sha384),
        "PKIX_RSA_PKCS1V15_SHA512" => Scheme::RsaPkcs1v15(Sha512),
        other => {
            return Err(BundleError::new(format!(
                "unsupported key details `{other}`"
            )));
        }
    };
    let fits = match (key, scheme) {
        (Key::P256(_), Scheme::Ecdsa(_)) => details.contains("P256"),
        (Key::P384(_), Scheme::Ecdsa(_)) => details.contains("P384"),
        (Key::Ed25519(_), Scheme::Ed25519)
        | (Key::Rsa(_), Scheme::RsaPkcs1v15(_) | Scheme::RsaPss(_)) => true,
        _ => false,
    };
    if fits {
        Ok(scheme)
    } else {
        Err(BundleError::new(format!(
            "key details `{details}` do not fit a {} key",
            key.name()
        )))
    }
}
