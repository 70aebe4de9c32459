//! One trusted OpenPGP key with only the self-signatures that verify: a binding that does not
//! verify is dropped when the key is loaded, so it can never lend validity (a user id, a longer
//! expiry, a signing subkey) to the key.

use pgp::composed::SignedPublicKey;
use pgp::packet::{PublicSubkey, Signature, SignatureType};
use pgp::types::{KeyDetails, SignedUser, Tag};

/// A public key of the keyring, its self-signatures checked.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    pub(super) key: SignedPublicKey,
    pub(super) source: String,
    pub(super) user_id: Option<String>,
    /// Verified direct-key signatures and certifications of the user ids still valid; they
    /// carry the primary key's expiry and key flags.
    pub(super) self_signatures: Vec<Signature>,
    /// Verified key revocation signatures.
    pub(super) revocations: Vec<Signature>,
    pub(super) subkeys: Vec<TrustedSubkey>,
}

/// A subkey with the binding and revocation signatures of its primary key that verify.
#[derive(Clone, Debug)]
pub(super) struct TrustedSubkey {
    pub key: PublicSubkey,
    pub bindings: Vec<Binding>,
    pub revocations: Vec<Signature>,
}

/// A verified subkey binding signature.
#[derive(Clone, Debug)]
pub(super) struct Binding {
    pub signature: Signature,
    /// Whether the subkey cross-certified the primary key (the embedded "back" signature a
    /// signing subkey must carry, so nobody can claim another person's signing key).
    pub back_signed: bool,
}

impl TrustedKey {
    /// Checks the self-signatures of `key`, read from `source`. A key none of whose user id or
    /// direct-key self-signatures verify is refused: nothing about it is vouched for.
    pub(super) fn new(key: SignedPublicKey, source: &str) -> Result<Self, String> {
        let primary = &key.primary_key;
        let revocations = key
            .details
            .revocation_signatures
            .iter()
            .filter(|s| {
                s.typ() == Some(SignatureType::KeyRevocation) && s.verify_key(primary).is_ok()
            })
            .cloned()
            .collect();
        let mut self_signatures: Vec<Signature> = key
            .details
            .direct_signatures
            .iter()
            .filter(|s| s.typ() == Some(SignatureType::Key) && s.verify_key(primary).is_ok())
            .cloned()
            .collect();
        let mut user_ids = Vec::new();
        for user in &key.details.users {
            if let Some(valid) = ValidUserId::check(user, primary) {
                self_signatures.extend(valid.certifications.iter().cloned());
                user_ids.push(valid);
            }
        }
        if self_signatures.is_empty() {
            return Err(format!(
                "key {} has no valid self-signature (no user id or direct-key signature verifies), so it cannot be trusted",
                fingerprint_hex(&key.primary_key)
            ));
        }
        // gpg's choice: the user id whose newest self-signature says "primary", the newest such
        // one if several do; otherwise the first.
        let user_id = user_ids
            .iter()
            .filter(|u| u.primary)
            .max_by_key(|u| u.newest)
            .or_else(|| user_ids.first())
            .map(|u| u.name.clone());
        let subkeys = key
            .public_subkeys
            .iter()
            .map(|sub| TrustedSubkey::check(&sub.key, &sub.signatures, primary))
            .collect();
        Ok(TrustedKey {
            source: source.to_owned(),
            user_id,
            self_signatures,
            revocations,
            subkeys,
            key,
        })
    }

    /// The uppercase hex fingerprint of the primary key.
    pub fn fingerprint(&self) -> String {
        fingerprint_hex(&self.key.primary_key)
    }

    /// The primary user id (`Alice <alice@example.com>`), when the key has a valid one.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// The key file it was read from, as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The key as parsed, with every signature it carries (including those that did not
    /// verify).
    pub fn public_key(&self) -> &SignedPublicKey {
        &self.key
    }

    /// The uppercase hex fingerprints of its subkeys that have a valid binding signature.
    pub fn subkey_fingerprints(&self) -> Vec<String> {
        self.subkeys
            .iter()
            .filter(|s| !s.bindings.is_empty())
            .map(|s| fingerprint_hex(&s.key))
            .collect()
    }

    /// How messages name the key: the fingerprint and, when there is one, the user id.
    pub(super) fn describe(&self) -> String {
        match &self.user_id {
            Some(uid) => format!("{} ({uid})", self.fingerprint()),
            None => self.fingerprint(),
        }
    }
}

impl TrustedSubkey {
    fn check(key: &PublicSubkey, signatures: &[Signature], primary: &impl KeyAndSerialize) -> Self {
        let verifies = |s: &&Signature| s.verify_subkey_binding(primary, key).is_ok();
        let bindings = signatures
            .iter()
            .filter(|s| s.typ() == Some(SignatureType::SubkeyBinding))
            .filter(verifies)
            .map(|s| Binding {
                back_signed: s.embedded_signature().is_some_and(|back| {
                    back.typ() == Some(SignatureType::KeyBinding)
                        && back.verify_primary_key_binding(key, primary).is_ok()
                }),
                signature: s.clone(),
            })
            .collect();
        let revocations = signatures
            .iter()
            .filter(|s| s.typ() == Some(SignatureType::SubkeyRevocation))
            .filter(verifies)
            .cloned()
            .collect();
        TrustedSubkey {
            key: key.clone(),
            bindings,
            revocations,
        }
    }
}

/// The public key operations the self-signature checks need, for the primary key packet.
pub(super) trait KeyAndSerialize:
    pgp::types::VerifyingKey + pgp::ser::Serialize + KeyDetails
{
}

impl<T: pgp::types::VerifyingKey + pgp::ser::Serialize + KeyDetails> KeyAndSerialize for T {}

/// A user id whose self-certification verifies and that is not revoked.
struct ValidUserId {
    name: String,
    certifications: Vec<Signature>,
    /// The newest certification says this is the primary user id.
    primary: bool,
    /// Creation time of the newest certification.
    newest: u32,
}

impl ValidUserId {
    fn check(user: &SignedUser, primary_key: &impl KeyAndSerialize) -> Option<Self> {
        let verifies = |s: &&Signature| {
            s.verify_certification(primary_key, Tag::UserId, &user.id)
                .is_ok()
        };
        let certifications: Vec<Signature> = user
            .signatures
            .iter()
            .filter(|s| s.is_certification() && s.typ() != Some(SignatureType::CertRevocation))
            .filter(verifies)
            .cloned()
            .collect();
        let newest_cert = certifications.iter().max_by_key(|s| created(s))?;
        let newest = created(newest_cert);
        let revoked = user
            .signatures
            .iter()
            .filter(|s| s.typ() == Some(SignatureType::CertRevocation))
            .filter(verifies)
            .any(|s| created(s) >= newest);
        if revoked {
            return None;
        }
        Some(ValidUserId {
            name: String::from_utf8_lossy(user.id.id()).into_owned(),
            primary: newest_cert.is_primary(),
            certifications,
            newest,
        })
    }
}

/// The creation time of `signature`, 0 when it has none.
pub(super) fn created(signature: &Signature) -> u32 {
    signature
        .created()
        .map_or(0, pgp::types::Timestamp::as_secs)
}

/// The uppercase hex fingerprint of a primary key or subkey.
pub(super) fn fingerprint_hex(key: &impl KeyDetails) -> String {
    format!("{:X}", key.fingerprint())
}
