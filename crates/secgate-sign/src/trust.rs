//! Who may sign: the allowed SSH signers and the OpenPGP keys, and the outcome of checking one
//! signature against them.

use crate::openpgp::Keyring;
use crate::ssh::AllowedSigners;
use secgate_core::Location;

/// The signers a project trusts.
#[derive(Debug, Default)]
pub struct Trust {
    /// git's `allowed_signers` file, for SSH signatures.
    pub allowed_signers: Option<AllowedSigners>,
    /// Armored OpenPGP public keys, for OpenPGP signatures.
    pub openpgp: Option<Keyring>,
}

impl Trust {
    /// Whether there is anyone to verify against.
    pub fn is_empty(&self) -> bool {
        self.allowed_signers.is_none() && self.openpgp.is_none()
    }
}

/// What a tag or commit check needs besides the repository.
#[derive(Debug)]
pub struct TrustContext<'a> {
    /// The signers.
    pub trust: &'a Trust,
    /// Where findings point: the policy key that requires signatures, or the trust file.
    pub location: Location,
    /// Now, in seconds since the Unix epoch (OpenPGP key expiry and revocation are judged now).
    pub now: i64,
}

/// A signature that verified, and who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The signer: the SSH principal, or the OpenPGP primary user id.
    pub signer: String,
    /// The key: `SHA256:...` for SSH, the uppercase hex fingerprint of the signing (sub)key for
    /// OpenPGP.
    pub key: String,
    /// `ssh` or `openpgp`.
    pub format: &'static str,
}

/// Why a signature was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The signature does not verify over the payload, is malformed, or is in a format secgate
    /// does not verify (x509/gpgsm).
    Invalid(String),
    /// The signature verifies but its key is not an allowed signer: unknown key, wrong
    /// namespace, outside `valid-after`/`valid-before`, expired or revoked.
    NotAllowed(String),
}

impl Rejection {
    /// The reason, one clause.
    pub fn reason(&self) -> &str {
        match self {
            Rejection::Invalid(r) | Rejection::NotAllowed(r) => r,
        }
    }
}
