//! Public keys as Sigstore uses them (`SubjectPublicKeyInfo` DER): ECDSA P-256/P-384, Ed25519,
//! RSA PKCS#1 v1.5 and PSS, and signature verification with each.

mod hash;
mod parse;
#[cfg(test)]
mod tests;

pub use hash::HashAlgorithm;

use super::BundleError;
use const_oid::ObjectIdentifier;
use const_oid::db::{rfc5912, rfc8410};
use sha2::Digest as _;
use signature::hazmat::PrehashVerifier as _;

/// Parses an ECDSA signature: ASN.1 DER as every Sigstore format uses, or — as a fallback for
/// a signature of exactly the fixed size — IEEE P1363 `r || s` (JWS/COSE style).
macro_rules! ecdsa_signature {
    ($curve:ident, $signature:expr) => {
        $curve::ecdsa::Signature::from_der($signature)
            .or_else(|_| $curve::ecdsa::Signature::from_slice($signature))
            .map_err(|_| BundleError::new("malformed ECDSA signature"))
    };
}

/// A verifying key.
#[derive(Clone, Debug)]
pub struct PublicKey {
    spki: Vec<u8>,
    key: Key,
    scheme: Scheme,
}

#[derive(Clone, Debug)]
enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::RsaPublicKey),
}

/// How `verify` treats a message: the hash for ECDSA and RSA, the RSA padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Ecdsa(HashAlgorithm),
    Ed25519,
    RsaPkcs1v15(HashAlgorithm),
    RsaPss(HashAlgorithm),
}

impl PublicKey {
    /// Parses `SubjectPublicKeyInfo` DER; `key_details` (a trusted root's `keyDetails`, such as
    /// `PKIX_ECDSA_P256_SHA_256` or `PKIX_RSA_PSS_2048_SHA256`) picks the scheme where the key
    /// alone does not say; `None` (or an empty string) takes the key type's usual Sigstore
    /// scheme: ECDSA with the curve's hash, Ed25519, RSA PKCS#1 v1.5 with SHA-256. With
    /// `PKCS1_RSA_PKCS1V5` or `PKCS1_RSA_PSS` the bytes are a bare PKCS#1 `RSAPublicKey`, as
    /// trusted roots give those keys (`spki()` then returns them as given).
    pub fn from_spki(spki: &[u8], key_details: Option<&str>) -> Result<Self, BundleError> {
        let details = key_details.filter(|d| !d.is_empty());
        let key = if details.is_some_and(|d| d.starts_with("PKCS1_")) {
            parse::parse_pkcs1(spki)?
        } else {
            parse::parse_spki(spki)?
        };
        let scheme = match details {
            None => parse::default_scheme(&key),
            Some(details) => parse::scheme_for(&key, details)?,
        };
        Ok(PublicKey {
            spki: spki.to_vec(),
            key,
            scheme,
        })
    }

    /// Parses a PEM `PUBLIC KEY` block (text around the block is ignored).
    pub fn from_pem(pem: &str) -> Result<Self, BundleError> {
        Self::from_spki(&parse::pem_public_key(pem)?, None)
    }

    /// The `SubjectPublicKeyInfo` DER.
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// SHA-256 of the `SubjectPublicKeyInfo` DER: a Rekor v1 log id, a CT log id, a key's
    /// fingerprint.
    pub fn key_id(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.spki).into()
    }

    /// Whether this is an Ed25519 key (signed notes use a different key hint for those).
    pub fn is_ed25519(&self) -> bool {
        matches!(self.key, Key::Ed25519(_))
    }

    /// The raw 32-byte Ed25519 public key, for an Ed25519 key.
    pub fn ed25519_bytes(&self) -> Option<&[u8; 32]> {
        match &self.key {
            Key::Ed25519(key) => Some(key.as_bytes()),
            _ => None,
        }
    }

    /// Verifies `signature` (DER for ECDSA, raw for Ed25519 and RSA) over `message`, with the
    /// key's scheme.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BundleError> {
        match (&self.key, self.scheme) {
            (Key::Ed25519(key), _) => verify_ed25519(key, message, signature),
            (_, Scheme::Ecdsa(hash) | Scheme::RsaPkcs1v15(hash) | Scheme::RsaPss(hash)) => {
                self.verify_digest(hash, &hash.digest(message), signature)
            }
            (_, Scheme::Ed25519) => Err(BundleError::new("an Ed25519 scheme on a non-Ed25519 key")),
        }
    }

    /// Verifies `signature` over a message known only by its SHA-256 `digest` (ECDSA and RSA;
    /// Ed25519 needs the message and fails here).
    // Part of the module's contract for callers that hold only a hashedrekord digest; the bundle
    // verification has the artifact and does not call it, so it is unused outside tests.
    #[allow(dead_code)]
    pub fn verify_sha256_digest(
        &self,
        digest: &[u8; 32],
        signature: &[u8],
    ) -> Result<(), BundleError> {
        self.verify_digest(HashAlgorithm::Sha256, digest, signature)
    }

    /// Verifies `signature` over a message known by its `digest` under `hash`. ECDSA takes any
    /// digest; RSA uses the key's padding with `hash`; Ed25519 fails (it signs messages).
    pub fn verify_digest(
        &self,
        hash: HashAlgorithm,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<(), BundleError> {
        if digest.len() != hash.len() {
            return Err(BundleError::new(format!(
                "a {hash:?} digest of {} bytes",
                digest.len()
            )));
        }
        match &self.key {
            Key::P256(key) => {
                let sig = ecdsa_signature!(p256, signature)?;
                key.verify_prehash(digest, &sig)
                    .map_err(|_| bad_signature())
            }
            Key::P384(key) => {
                let sig = ecdsa_signature!(p384, signature)?;
                key.verify_prehash(digest, &sig)
                    .map_err(|_| bad_signature())
            }
            Key::Ed25519(_) => Err(BundleError::new(
                "an Ed25519 key cannot verify a signature over a digest",
            )),
            Key::Rsa(key) => {
                if matches!(self.scheme, Scheme::RsaPss(_)) {
                    verify_rsa_pss(key, hash, digest, signature)
                } else {
                    key.verify(hash.pkcs1v15(), digest, signature)
                        .map_err(|_| bad_signature())
                }
            }
        }
    }

    /// Verifies `signature` over `message` with the X.509 `signatureAlgorithm` `algorithm`
    /// (`ecdsa-with-SHA256/384/512`, `sha256/384/512WithRSAEncryption`, `Ed25519`), as for a
    /// certificate, CRL or CMS signature. The algorithm must fit the key type.
    pub fn verify_with_algorithm(
        &self,
        message: &[u8],
        signature: &[u8],
        algorithm: &ObjectIdentifier,
    ) -> Result<(), BundleError> {
        let (family, hash) = match *algorithm {
            rfc5912::ECDSA_WITH_SHA_256 => (Family::Ecdsa, HashAlgorithm::Sha256),
            rfc5912::ECDSA_WITH_SHA_384 => (Family::Ecdsa, HashAlgorithm::Sha384),
            rfc5912::ECDSA_WITH_SHA_512 => (Family::Ecdsa, HashAlgorithm::Sha512),
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => (Family::Rsa, HashAlgorithm::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => (Family::Rsa, HashAlgorithm::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => (Family::Rsa, HashAlgorithm::Sha512),
            rfc8410::ID_ED_25519 => (Family::Ed25519, HashAlgorithm::Sha512),
            other => {
                return Err(BundleError::new(format!(
                    "unsupported signature algorithm {other}"
                )));
            }
        };
        match (&self.key, family) {
            (Key::Ed25519(key), Family::Ed25519) => verify_ed25519(key, message, signature),
            (Key::P256(_) | Key::P384(_), Family::Ecdsa) => {
                self.verify_digest(hash, &hash.digest(message), signature)
            }
            (Key::Rsa(key), Family::Rsa) => key
                .verify(hash.pkcs1v15(), &hash.digest(message), signature)
                .map_err(|_| bad_signature()),
            _ => Err(BundleError::new(format!(
                "signature algorithm {algorithm} does not fit a {} key",
                self.key.name()
            ))),
        }
    }
}

#[derive(Clone, Copy)]
enum Family {
    Ecdsa,
    Ed25519,
    Rsa,
}

impl Key {
    fn name(&self) -> &'static str {
        match self {
            Key::P256(_) => "ECDSA P-256",
            Key::P384(_) => "ECDSA P-384",
            Key::Ed25519(_) => "Ed25519",
            Key::Rsa(_) => "RSA",
        }
    }
}

fn verify_ed25519(
    key: &ed25519_dalek::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), BundleError> {
    let sig = ed25519_dalek::Signature::from_slice(signature)
        .map_err(|_| BundleError::new("malformed Ed25519 signature (not 64 bytes)"))?;
    key.verify_strict(message, &sig)
        .map_err(|_| bad_signature())
}

/// RSA-PSS with the salt as long as the hash (the usual choice) or as long as the key allows
/// (Go's default when signing), since verifiers in Sigstore's clients accept either.
fn verify_rsa_pss(
    key: &rsa::RsaPublicKey,
    hash: HashAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> Result<(), BundleError> {
    use rsa::traits::PublicKeyParts as _;
    let em_len = (key.n().bits() + 6) / 8;
    let max_salt = em_len.saturating_sub(hash.len() + 2);
    [hash.len(), max_salt]
        .into_iter()
        .find(|&salt| key.verify(hash.pss(salt), digest, signature).is_ok())
        .map(|_| ())
        .ok_or_else(bad_signature)
}

fn bad_signature() -> BundleError {
    BundleError::new("signature does not verify")
}
