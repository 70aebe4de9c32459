//! Public keys as Sigstore uses them (SubjectPublicKeyInfo DER): ECDSA P-256/P-384, Ed25519,
//! RSA PKCS#1 v1.5 and PSS, and signature verification with each.

use super::BundleError;

/// A verifying key.
#[derive(Clone, Debug)]
pub struct PublicKey {
    spki: Vec<u8>,
}

impl PublicKey {
    /// Parses SubjectPublicKeyInfo DER; `key_details` (a trusted root's `keyDetails`, such as
    /// `PKIX_ECDSA_P256_SHA_256` or `PKIX_RSA_PSS_2048_SHA256`) picks the scheme where the key
    /// alone does not say; `None` takes the key type's usual Sigstore scheme.
    pub fn from_spki(spki: &[u8], key_details: Option<&str>) -> Result<Self, BundleError> {
        let _ = key_details;
        Ok(PublicKey {
            spki: spki.to_vec(),
        })
    }

    /// Parses a PEM `PUBLIC KEY` block.
    pub fn from_pem(pem: &str) -> Result<Self, BundleError> {
        let _ = pem;
        Err(BundleError::new("public keys are not built yet"))
    }

    /// The SubjectPublicKeyInfo DER.
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// Verifies `signature` (DER for ECDSA, raw for Ed25519 and RSA) over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BundleError> {
        let _ = (message, signature);
        Err(BundleError::new("signature verification is not built yet"))
    }

    /// Verifies `signature` over a message known only by its SHA-256 `digest` (ECDSA and RSA;
    /// Ed25519 needs the message and fails here).
    pub fn verify_sha256_digest(
        &self,
        digest: &[u8; 32],
        signature: &[u8],
    ) -> Result<(), BundleError> {
        let _ = (digest, signature);
        Err(BundleError::new("signature verification is not built yet"))
    }
}
