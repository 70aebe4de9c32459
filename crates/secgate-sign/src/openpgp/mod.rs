//! OpenPGP signatures as git makes them by default: an armored detached signature
//! (`-----BEGIN PGP SIGNATURE-----`) over the object payload, checked against armored public
//! keys the policy names.

mod keyring;
mod verify;

pub use keyring::Keyring;
pub use verify::verify_openpgp;
