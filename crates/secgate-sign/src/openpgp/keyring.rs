//! The trusted OpenPGP public keys: one or more armored (or binary) transferable public keys
//! per file, each with its subkeys, self-signatures, expiry and revocations.

use super::certificate::TrustedKey;
use super::judge::SigningKey;
use super::key_file::{KeyBlock, key_blocks, parse_error};
use crate::SignError;
use pgp::composed::{Deserializable, SignedPublicKey};
use pgp::packet::{Packet, PacketParser, PacketTrait, Signature, SignatureType};
use pgp::types::{KeyDetails, Tag};
use std::path::Path;

/// The trusted OpenPGP keys.
#[derive(Debug, Default)]
pub struct Keyring {
    /// The key files, as given (for messages).
    pub paths: Vec<String>,
    /// The keys whose self-signatures verified, each with the file it came from.
    pub keys: Vec<TrustedKey>,
}

impl Keyring {
    /// Reads every file of `paths`; each must hold at least one public key, and no secret key.
    pub fn load(paths: &[&Path]) -> Result<Self, SignError> {
        let mut keyring = Keyring::default();
        for path in paths {
            let data = std::fs::read(path).map_err(|source| SignError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            keyring.add(&path.display().to_string(), &data)?;
        }
        Ok(keyring)
    }

    /// Adds the keys of one key file, named `path` in messages, whose content is `data`.
    pub fn add(&mut self, path: &str, data: &[u8]) -> Result<(), SignError> {
        let mut keys = Vec::new();
        let mut revocations = Vec::new();
        for block in key_blocks(path, data)? {
            let (block_keys, block_revocations) = parse_block(path, &block)?;
            if block_keys.is_empty() && block_revocations.is_empty() {
                return Err(parse_error(path, block.line, "no public key in this block"));
            }
            for key in block_keys {
                let key = TrustedKey::new(key, path)
                    .map_err(|message| parse_error(path, block.line, message))?;
                keys.push(key);
            }
            revocations.extend(block_revocations.into_iter().map(|r| (block.line, r)));
        }
        if keys.is_empty() {
            return Err(parse_error(
                path,
                1,
                "no public key, only revocation certificates",
            ));
        }
        // A revocation certificate kept next to the key (gpg's `openpgp-revocs.d/*.rev`, its
        // leading colon removed) revokes the key it verifies with.
        for (line, revocation) in revocations {
            let revoked = keys
                .iter_mut()
                .find(|k| revocation.verify_key(&k.key.primary_key).is_ok());
            match revoked {
                Some(key) => key.revocations.push(revocation),
                None => {
                    return Err(parse_error(
                        path,
                        line,
                        "this revocation certificate does not verify with any key of the file",
                    ));
                }
            }
        }
        self.paths.push(path.to_owned());
        self.keys.extend(keys);
        Ok(())
    }

    /// The keys (primary or subkey) `signature` names as its issuer, by issuer fingerprint or
    /// key id; every key when it names none.
    pub(super) fn issuers<'a>(
        &'a self,
        signature: &Signature,
    ) -> Vec<(&'a TrustedKey, SigningKey<'a>)> {
        let fingerprints = signature.issuer_fingerprint();
        let key_ids = signature.issuer_key_id();
        let anonymous = fingerprints.is_empty() && key_ids.is_empty();
        let named = |key: &dyn KeyDetails| {
            anonymous
                || fingerprints.iter().any(|f| **f == key.fingerprint())
                || key_ids.iter().any(|id| **id == key.legacy_key_id())
        };
        let mut found = Vec::new();
        for trusted in &self.keys {
            if named(&trusted.key.primary_key) {
                found.push((trusted, SigningKey::Primary));
            }
            for subkey in &trusted.subkeys {
                if named(&subkey.key) {
                    found.push((trusted, SigningKey::Subkey(subkey)));
                }
            }
        }
        found
    }
}

/// The public keys of one block, and the standalone key revocation signatures (revocation
/// certificates) it holds.
fn parse_block(
    path: &str,
    block: &KeyBlock,
) -> Result<(Vec<SignedPublicKey>, Vec<Signature>), SignError> {
    let mut revocations = Vec::new();
    let mut before_first_key = true;
    // A first pass over the raw packets: secret material is refused outright (never parsed into
    // a key we keep), and signatures before any key are revocation certificates.
    for packet in PacketParser::new(&block.packets[..]).flatten() {
        match packet.tag() {
            Tag::SecretKey | Tag::SecretSubkey => {
                return Err(parse_error(
                    path,
                    block.line,
                    "this is a secret key; a public key is expected (export it with `gpg --armor --export KEY`)",
                ));
            }
            Tag::PublicKey => before_first_key = false,
            _ => {}
        }
        if let Packet::Signature(signature) = packet
            && before_first_key
            && signature.typ() == Some(SignatureType::KeyRevocation)
        {
            revocations.push(signature);
        }
    }
    let keys = SignedPublicKey::from_bytes_many(&block.packets[..])
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|e| parse_error(path, block.line, format!("not an OpenPGP public key: {e}")))?;
    Ok((keys, revocations))
}
