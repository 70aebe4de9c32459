//! Lockfile checksums as SBOM digests, by ecosystem.
//!
//! - Cargo.lock `checksum`: the SHA-256 of the `.crate`, 64 hex digits.
//! - npm `integrity` (package-lock, pnpm, yarn classic): Subresource Integrity, one or more
//!   space-separated `<alg>-<base64>[?<options>]` tokens (`sha512-…`, old `sha1-…`); each
//!   becomes the digest's lower-case hex. Yarn berry's `checksum` (`10c0/<hex>`) is the digest
//!   of yarn's own cache archive, not of the registry tarball, so it describes nothing an SBOM
//!   reader can check and is left out.
//! - Python (`poetry.lock`, `uv.lock`, `Pipfile.lock`, `pylock.toml`, hashed requirements):
//!   `sha256:<hex>` as the inventory writes it.
//!
//! A checksum that does not decode is an error: a lockfile that says something about an
//! artifact that cannot be a digest is corrupt, and silently dropping it would hide that.

use crate::{Hash, HashAlgorithm};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use secgate_core::Ecosystem;
use std::fmt::Write as _;

/// Standard base64 with or without `=` padding: SRI producers differ on padding.
const SRI_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The digests `checksum` states for a package of `ecosystem`, or why it is not one.
pub(super) fn decode(ecosystem: Ecosystem, checksum: &str) -> Result<Vec<Hash>, String> {
    match ecosystem {
        Ecosystem::CratesIo => sha256_hex(checksum).map(|hash| vec![hash]).ok_or_else(|| {
            format!("checksum \"{checksum}\" is not a SHA-256 digest (64 hex digits)")
        }),
        Ecosystem::Npm => npm(checksum),
        Ecosystem::PyPI => checksum
            .strip_prefix("sha256:")
            .and_then(sha256_hex)
            .map(|hash| vec![hash])
            .ok_or_else(|| {
                format!(
                    "checksum \"{checksum}\" is not `sha256:` and a SHA-256 digest (64 hex digits)"
                )
            }),
    }
}

/// 64 hex digits as a SHA-256 digest.
fn sha256_hex(hex: &str) -> Option<Hash> {
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Hash {
        algorithm: HashAlgorithm::Sha256,
        hex: hex.to_ascii_lowercase(),
    })
}

/// An npm `integrity` (SRI) or yarn berry `checksum`.
fn npm(checksum: &str) -> Result<Vec<Hash>, String> {
    if is_berry_checksum(checksum) {
        return Ok(Vec::new());
    }
    let hashes = checksum
        .split_ascii_whitespace()
        .map(|token| sri_token(token).map_err(|why| format!("integrity \"{checksum}\": {why}")))
        .collect::<Result<Vec<_>, _>>()?;
    if hashes.is_empty() {
        return Err(format!("integrity \"{checksum}\" is empty"));
    }
    Ok(hashes)
}

/// `<cache key>/<hex>` (berry 2+) or bare hex of a SHA-512 (berry's first format).
fn is_berry_checksum(checksum: &str) -> bool {
    let hex = match checksum.split_once('/') {
        Some((key, hex)) if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            hex
        }
        Some(_) => return false,
        None => checksum,
    };
    hex.len() == 128 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One SRI token: `sha512-<base64>`, options after `?` ignored (SRI reserves them).
fn sri_token(token: &str) -> Result<Hash, String> {
    let token = token.split_once('?').map_or(token, |(digest, _)| digest);
    let Some((name, encoded)) = token.split_once('-') else {
        return Err(format!("\"{token}\" is not `<algorithm>-<base64>`"));
    };
    let (algorithm, length) = match name.to_ascii_lowercase().as_str() {
        "sha1" => (HashAlgorithm::Sha1, 20),
        "sha256" => (HashAlgorithm::Sha256, 32),
        "sha384" => (HashAlgorithm::Sha384, 48),
        "sha512" => (HashAlgorithm::Sha512, 64),
        _ => return Err(format!("unknown digest algorithm \"{name}\"")),
    };
    let bytes = SRI_BASE64
        .decode(encoded)
        .map_err(|e| format!("\"{token}\" is not base64 ({e})"))?;
    if bytes.len() != length {
        return Err(format!(
            "\"{token}\" holds {} bytes, a {name} digest has {length}",
            bytes.len()
        ));
    }
    Ok(Hash {
        algorithm,
        hex: hex(&bytes),
    })
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(ecosystem: Ecosystem, checksum: &str) -> (HashAlgorithm, String) {
        let hashes = decode(ecosystem, checksum).unwrap();
        assert_eq!(hashes.len(), 1, "{hashes:?}");
        (hashes[0].algorithm, hashes[0].hex.clone())
    }

    #[test]
    fn sri_tokens_decode_to_hex_of_their_algorithm() {
        // SHA-1("") and SHA-256("") in base64 and hex.
        assert_eq!(
            one(Ecosystem::Npm, "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
            (
                HashAlgorithm::Sha1,
                "da39a3ee5e6b4b0d3255bfef95601890afd80709".into()
            )
        );
        assert_eq!(
            one(
                Ecosystem::Npm,
                "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU?x=1"
            ),
            (
                HashAlgorithm::Sha256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into()
            )
        );
        let several = decode(
            Ecosystem::Npm,
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg== sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk",
        )
        .unwrap();
        assert_eq!(several.len(), 2);
        assert_eq!(several[0].algorithm, HashAlgorithm::Sha512);
        assert!(several[0].hex.starts_with("cf83e1357eefb8bd"));
        assert_eq!(several[0].hex.len(), 128);
    }

    #[test]
    fn malformed_integrity_is_an_error() {
        for bad in [
            "",
            "sha512",
            "md5-1B2M2Y8AsgTpgAmY7PhCfg==",
            "sha512-!!!",
            "sha256-2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
        ] {
            assert!(decode(Ecosystem::Npm, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn berry_checksums_are_not_tarball_digests() {
        assert_eq!(
            decode(Ecosystem::Npm, &format!("10c0/{}", "ab".repeat(64))),
            Ok(Vec::new())
        );
        assert_eq!(decode(Ecosystem::Npm, &"ab".repeat(64)), Ok(Vec::new()));
    }

    #[test]
    fn python_and_cargo_digests() {
        let hex = "AB".repeat(32);
        assert_eq!(
            one(Ecosystem::PyPI, &format!("sha256:{hex}")),
            (HashAlgorithm::Sha256, "ab".repeat(32))
        );
        assert!(decode(Ecosystem::PyPI, &hex).is_err());
        assert!(decode(Ecosystem::PyPI, "sha256:abc").is_err());
        assert_eq!(
            one(Ecosystem::CratesIo, &hex),
            (HashAlgorithm::Sha256, "ab".repeat(32))
        );
        let error = decode(Ecosystem::CratesIo, &format!("sha256:{hex}")).unwrap_err();
        assert!(error.contains("is not a SHA-256 digest"), "{error}");
    }
}
