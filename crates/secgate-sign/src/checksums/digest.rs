//! The digests a sums file may list, and hashing a listed file as a stream: release artifacts
//! can be gigabytes, so a file is never read whole.

use sha2::{Digest, Sha256, Sha384, Sha512};
use std::fmt::Write as _;
use std::io::{self, Read};

/// A digest algorithm strong enough to gate a release on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Algorithm {
    Sha256,
    Sha384,
    Sha512,
}

/// What a BSD tag names.
pub(super) enum Tag {
    /// A digest secgate verifies.
    Strong(Algorithm),
    /// MD5 or SHA-1: collisions can be made, so a match proves nothing.
    Weak,
    /// Anything else (`SHA224`, `BLAKE2b`, `CRC`, ...).
    Unsupported,
}

impl Algorithm {
    /// The algorithm a GNU line's digest length implies: coreutils writes no algorithm name, so
    /// the length is all there is to go on.
    pub(super) fn from_hex_len(len: usize) -> Option<Self> {
        match len {
            64 => Some(Self::Sha256),
            96 => Some(Self::Sha384),
            128 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The algorithm of a BSD tag line (`SHA256 (file) = ...`). Case is ignored: a lowercase
    /// tag is still unambiguous.
    pub(super) fn from_tag(tag: &str) -> Tag {
        match tag.to_ascii_uppercase().as_str() {
            "SHA256" | "SHA2-256" => Tag::Strong(Self::Sha256),
            "SHA384" | "SHA2-384" => Tag::Strong(Self::Sha384),
            "SHA512" | "SHA2-512" => Tag::Strong(Self::Sha512),
            "MD5" | "SHA1" | "SHA-1" => Tag::Weak,
            _ => Tag::Unsupported,
        }
    }

    /// The lowercase name used in messages (`sha256`), as the coreutils tools are named.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The digest length in hex digits.
    pub(super) fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
        }
    }

    /// The digest of everything `reader` yields.
    pub(super) fn hash(self, reader: impl Read) -> io::Result<Vec<u8>> {
        match self {
            Self::Sha256 => stream::<Sha256>(reader),
            Self::Sha384 => stream::<Sha384>(reader),
            Self::Sha512 => stream::<Sha512>(reader),
        }
    }
}

/// Feeds `reader` through `D` in fixed-size chunks.
fn stream<D: Digest + io::Write>(mut reader: impl Read) -> io::Result<Vec<u8>> {
    let mut hasher = D::new();
    io::copy(&mut reader, &mut hasher)?;
    Ok(hasher.finalize().to_vec())
}

/// Decodes hex digits (either case); `None` if any character is not one.
pub(super) fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.as_bytes()
        .chunks_exact(2)
        .map(|pair| match pair {
            [high, low] => Some(nibble(*high)? << 4 | nibble(*low)?),
            _ => None,
        })
        .collect()
}

fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The first `digits` hex digits of `digest`, lowercase, with `…` when shortened: enough to
/// tell two digests apart in a message without a 128-character line.
pub(super) fn short_hex(digest: &[u8], digits: usize) -> String {
    let mut out = String::with_capacity(digest.len() * 2 + 3);
    for byte in digest {
        let _ = write!(out, "{byte:02x}"); // writing to a String cannot fail
    }
    if out.len() > digits {
        out.truncate(digits);
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_in_either_case() {
        assert_eq!(decode_hex("00fFa9"), Some(vec![0x00, 0xff, 0xa9]));
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(short_hex(&[0xab, 0xcd, 0xef], 4), "abcd…");
        assert_eq!(short_hex(&[0xab], 4), "ab");
    }

    #[test]
    fn streams_the_known_sha256_of_abc() -> io::Result<()> {
        let digest = Algorithm::Sha256.hash(&b"abc"[..])?;
        assert_eq!(
            short_hex(&digest, 64),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        Ok(())
    }
}
