//! SSH signatures as git makes them (`gpg.format = ssh`): an armored sshsig
//! (`-----BEGIN SSH SIGNATURE-----`) over the object payload in namespace `git`, checked against
//! git's `allowed_signers` file.

mod allowed_signers;
mod certificate;
mod envelope;
mod options;
mod pattern;
mod verify;
mod wire;

pub use allowed_signers::{AllowedSigner, AllowedSigners, SignerKey};
pub use verify::verify_ssh;
