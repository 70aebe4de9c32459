//! Bundle verification, step by step, as the Sigstore client specification orders it:
//! establish the verified signing times (RFC 3161 timestamps, SET-backed integrated times),
//! prove the log entries and check that they describe this bundle, verify the certificate path
//! and SCT at those times, apply the identity policy, and verify the signature over the
//! artifact.

use super::bundle::{Bundle, Content, Material};
use super::certificate::{self, Cert};
use super::identity::check_certificate_identity;
use super::keys::PublicKey;
use super::tlog::{self, Expected, Signer};
use super::{BundleError, Identity, TrustedRoot, dsse, sct, timestamp};
use sha2::Digest as _;

/// What to verify a bundle against.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The trusted root.
    pub trusted_root: TrustedRoot,
    /// Who must have signed.
    pub identity: Identity,
    /// Now (seconds since the epoch): entries integrated in the future are rejected.
    pub now: i64,
}

/// A bundle that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleVerified {
    /// The signer: the certificate SAN, or `public key SHA256:<hex>`.
    pub signer: String,
    /// The verified signing time (seconds since the epoch), when a timestamp source gave one.
    pub signed_at: Option<i64>,
    /// The transparency-log index, when there is a log entry.
    pub log_index: Option<i64>,
}

/// Verifies the bundle JSON `bundle` for the artifact `artifact` (its bytes).
pub fn verify_bundle(
    bundle: &[u8],
    artifact: &[u8],
    options: &VerifyOptions,
) -> Result<BundleVerified, BundleError> {
    let bundle = Bundle::parse(bundle)?;
    let root = &options.trusted_root;
    let signer = SignerMaterial::new(&bundle.material, &options.identity)?;
    check_message_digest(&bundle.content, artifact)?;

    let tsa_times = verify_timestamps(&bundle, root)?;
    let expected = Expected {
        content: &bundle.content,
        artifact,
        signer: signer.as_tlog_signer(),
    };
    let mut times = tsa_times.clone();
    for entry in &bundle.entries {
        tlog::check_body(entry, &expected)?;
        if let Some(time) = tlog::verify_entry(entry, root, &tsa_times, options.now)? {
            times.push(time);
        }
    }
    if times.is_empty() {
        return Err(BundleError::new(
            "no verified signing time: the bundle has neither an RFC 3161 timestamp nor a \
             signed entry timestamp",
        ));
    }

    let (key, signer_name) = match &signer {
        SignerMaterial::Certificate {
            leaf,
            rest,
            identity,
            issuer,
        } => {
            let verified = certificate::verify_signing_certificate(
                leaf,
                rest,
                &root.certificate_authorities,
                &times,
            )?;
            sct::verify_embedded_sct(&verified, &root.ctlogs)?;
            let name = check_certificate_identity(&verified.leaf, identity, issuer)?;
            (
                PublicKey::from_spki(&verified.leaf.spki_der()?, None)?,
                name,
            )
        }
        SignerMaterial::Key(key) => {
            let fingerprint = dsse::hex(&key.key_id());
            (key.clone(), format!("public key SHA256:{fingerprint}"))
        }
    };
    verify_signature(&bundle.content, artifact, &key)?;

    Ok(BundleVerified {
        signer: signer_name,
        signed_at: times.iter().copied().min(),
        log_index: bundle.entries.first().map(|e| e.log_index),
    })
}

/// The bundle's verification material, matched with the policy.
enum SignerMaterial<'a> {
    Certificate {
        leaf: Box<Cert>,
        rest: &'a [Vec<u8>],
        identity: &'a str,
        issuer: &'a str,
    },
    Key(PublicKey),
}

impl<'a> SignerMaterial<'a> {
    fn new(material: &'a Material, policy: &'a Identity) -> Result<Self, BundleError> {
        match (material, policy) {
            (Material::Certificate { leaf, rest }, Identity::Certificate { identity, issuer }) => {
                Ok(SignerMaterial::Certificate {
                    leaf: Box::new(Cert::parse(leaf, "signing certificate")?),
                    rest,
                    identity,
                    issuer,
                })
            }
            (Material::PublicKey, Identity::PublicKey(pem)) => {
                let pem = std::str::from_utf8(pem)
                    .map_err(|_| BundleError::new("the expected public key is not PEM text"))?;
                let key = PublicKey::from_pem(pem).map_err(|e| {
                    BundleError::new(format!("the expected public key does not parse: {e}"))
                })?;
                Ok(SignerMaterial::Key(key))
            }
            (Material::PublicKey, Identity::Certificate { .. }) => Err(BundleError::new(
                "bundle is signed with a public key, but a certificate identity is expected \
                 (verify with the key instead)",
            )),
            (Material::Certificate { .. }, Identity::PublicKey(_)) => Err(BundleError::new(
                "bundle is signed with a certificate, but a public key is expected",
            )),
        }
    }

    fn as_tlog_signer(&self) -> Signer<'_> {
        match self {
            SignerMaterial::Certificate { leaf, .. } => Signer::Certificate(&leaf.der),
            SignerMaterial::Key(key) => Signer::Key(key.spki()),
        }
    }
}

/// The `messageDigest` is only a hint, but a hint that contradicts the artifact is an error.
fn check_message_digest(content: &Content, artifact: &[u8]) -> Result<(), BundleError> {
    let Content::Message {
        digest: Some(digest),
        ..
    } = content
    else {
        return Ok(());
    };
    let actual = match digest.algorithm.as_str() {
        "SHA2_256" => sha2::Sha256::digest(artifact).to_vec(),
        "SHA2_384" => sha2::Sha384::digest(artifact).to_vec(),
        "SHA2_512" => sha2::Sha512::digest(artifact).to_vec(),
        other => {
            return Err(BundleError::new(format!(
                "unsupported messageDigest algorithm `{other}`"
            )));
        }
    };
    if actual != digest.digest {
        return Err(BundleError::new(
            "the bundle's messageDigest does not match the artifact",
        ));
    }
    Ok(())
}

/// Every RFC 3161 timestamp must verify; returns their times.
fn verify_timestamps(bundle: &Bundle, root: &TrustedRoot) -> Result<Vec<i64>, BundleError> {
    if !bundle.timestamps.is_empty() && root.timestamp_authorities.is_empty() {
        return Err(BundleError::new(
            "bundle has RFC 3161 timestamps but the trusted root has no timestamp authority",
        ));
    }
    bundle
        .timestamps
        .iter()
        .map(|token| {
            timestamp::verify_timestamp(
                token,
                bundle.content.signature(),
                &root.timestamp_authorities,
            )
            .map_err(|e| BundleError::new(format!("RFC 3161 timestamp does not verify: {e}")))
        })
        .collect()
}

/// The signature over the artifact (message signature) or over the PAE (DSSE), and for DSSE
/// that the statement names the artifact.
fn verify_signature(
    content: &Content,
    artifact: &[u8],
    key: &PublicKey,
) -> Result<(), BundleError> {
    match content {
        Content::Message { signature, .. } => key.verify(artifact, signature).map_err(|e| {
            BundleError::new(format!("signature over the artifact does not verify: {e}"))
        }),
        Content::Dsse(envelope) => {
            key.verify(
                &dsse::pae(&envelope.payload_type, &envelope.payload),
                &envelope.signature,
            )
            .map_err(|e| BundleError::new(format!("DSSE signature does not verify: {e}")))?;
            dsse::check_subject(envelope, artifact)
        }
    }
}

#[cfg(test)]
mod tests;
