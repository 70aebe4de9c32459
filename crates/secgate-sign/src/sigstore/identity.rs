//! What the bundle must be signed by: a certificate identity (the SAN: URI or email) issued
//! through an OIDC issuer, or a known public key.

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
    /// A public key (PEM `PUBLIC KEY`, i.e. SubjectPublicKeyInfo); the bundle carries a key hint
    /// or nothing instead of a certificate.
    PublicKey(Vec<u8>),
}
