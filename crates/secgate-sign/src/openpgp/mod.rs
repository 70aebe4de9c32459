//! OpenPGP signatures as git makes them by default: an armored detached signature
//! (`-----BEGIN PGP SIGNATURE-----`) over the object payload, checked against armored public
//! keys the policy names.
//!
//! Keys are checked when loaded: only self-signatures that verify count, a key without one is
//! refused, and secret keys are refused outright. A signature is then accepted as gpg's
//! `GOODSIG` would be and git requires: it verifies, its issuer is a trusted primary key or
//! a bound signing subkey, and neither that key nor its primary key is revoked or expired.

mod certificate;
mod judge;
mod key_file;
mod keyring;
mod verify;

pub use certificate::TrustedKey;
pub use keyring::Keyring;
pub use verify::verify_openpgp;
