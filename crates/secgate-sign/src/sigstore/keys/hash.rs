//! The hash functions signature schemes are built on, and how RSA pads with each.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use sha2::Digest as _;

/// A hash function a signature scheme is built on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlgorithm {
    /// The hash named by a digest-algorithm OID (`id-sha256`, ...), as in CMS and RFC 3161.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            rfc5912::ID_SHA_256 => Some(Self::Sha256),
            rfc5912::ID_SHA_384 => Some(Self::Sha384),
            rfc5912::ID_SHA_512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub(super) fn pkcs1v15(self) -> rsa::Pkcs1v15Sign {
        match self {
            Self::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            Self::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            Self::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        }
    }

    pub(super) fn pss(self, salt_len: usize) -> rsa::Pss {
        match self {
            Self::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt_len),
            Self::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt_len),
            Self::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt_len),
        }
    }

    /// The digest length in bytes.
    pub fn len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}
