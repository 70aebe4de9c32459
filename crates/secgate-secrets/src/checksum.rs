//! The CRC32 suffix of GitHub (`ghp_`, `gho_`, ...) and npm (`npm_`) tokens.
//!
//! Such a token is a 4-character prefix, 30 random base62 characters and 6 characters that
//! encode, in base62 (`0-9A-Za-z`) and zero-padded, the CRC32 of the 30 random characters (the
//! prefix is not part of the checksum). A random string of the right shape passes with
//! probability 2^-32, so a failing checksum means "not a token".

/// The base62 alphabet GitHub and npm tokens use, in value order.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of the checksum suffix.
const SUFFIX: usize = 6;

/// Whether a 40-character `xxx_` token carries a valid CRC32 suffix.
pub(crate) fn crc_suffix_valid(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() != 40 || bytes.get(3) != Some(&b'_') {
        return false;
    }
    let (Some(random), Some(suffix)) = (bytes.get(4..40 - SUFFIX), bytes.get(40 - SUFFIX..)) else {
        return false;
    };
    let mut value: u64 = 0;
    for b in suffix {
        let Some(digit) = BASE62.iter().position(|c| c == b) else {
            return false;
        };
        value = value * 62 + digit as u64;
    }
    value == u64::from(crc32fast::hash(random))
}

/// The base62 suffix for `random`: how a token with a valid checksum ends.
#[cfg(test)]
pub(crate) fn crc_suffix(random: &str) -> String {
    let mut value = crc32fast::hash(random.as_bytes());
    let mut out = [b'0'; SUFFIX];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_built_with_its_suffix_validates_and_a_changed_one_does_not() {
        let random = "zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ";
        let token = format!("ghp_{random}{}", crc_suffix(random));
        assert!(crc_suffix_valid(&token), "{token}");
        let npm = format!("npm_{random}{}", crc_suffix(random));
        assert!(crc_suffix_valid(&npm));
        let altered = format!("ghp_{}{}", random.replace('z', "y"), crc_suffix(random));
        assert!(!crc_suffix_valid(&altered));
        assert!(!crc_suffix_valid("ghp_short"));
        assert!(!crc_suffix_valid(
            "ghp_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ-+!!!!"
        ));
    }

    #[test]
    fn suffix_is_zero_padded_base62_of_the_crc() {
        // CRC32("") is 0: six zero digits.
        assert_eq!(crc_suffix(""), "000000");
        // CRC32("a") = 0xe8b7be43 = 3904355907, which is "4GEHKN" in base62 (Python's
        // zlib.crc32 and a base62 loop agree).
        assert_eq!(crc_suffix("a"), "4GEHKN");
    }
}
