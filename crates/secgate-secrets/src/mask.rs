//! What reports show instead of a secret: a masked form and a fingerprint, plus the entropy
//! measure the generic rule uses.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Most stars a masked value shows, so the mask does not reveal the secret's length.
const MAX_STARS: usize = 8;

/// The secret as every output shows it: the first 4 characters and the last 2 when the secret
/// has at least 16 characters, else only the first 2; the rest becomes at most 8 `*`.
///
/// ```
/// assert_eq!(secgate_secrets::mask("correct-horse-battery-staple"), "corr********le");
/// assert_eq!(secgate_secrets::mask("hunter2hunter"), "hu********");
/// ```
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let (head, tail) = if chars.len() >= 16 { (4, 2) } else { (2, 0) };
    let head = head.min(chars.len());
    let tail = tail.min(chars.len() - head);
    let hidden = chars.len() - head - tail;
    let mut out: String = chars.iter().take(head).collect();
    out.extend(std::iter::repeat_n('*', hidden.clamp(1, MAX_STARS)));
    out.extend(chars.iter().skip(chars.len() - tail));
    out
}

/// `sha256:<64 lower-case hex>` over the secret's exact bytes: what an allow entry names.
pub fn fingerprint(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Shannon entropy of `value`'s characters, in bits per character.
pub fn shannon_entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::<char, u32>::new();
    let mut total = 0u32;
    for c in value.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .values()
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secrets_keep_four_and_two_short_ones_two() {
        assert_eq!(mask("live_0123456789abcdefghijklmn"), "live********mn");
        assert_eq!(mask("0123456789abcdef"), "0123********ef");
        assert_eq!(mask("0123456789abcde"), "01********");
        assert_eq!(mask("abcdef"), "ab****");
        assert_eq!(mask("ab"), "ab*");
        assert_eq!(mask(""), "*");
    }

    #[test]
    fn fingerprint_is_sha256_hex_of_the_bytes() {
        assert_eq!(
            fingerprint("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn entropy_of_repeated_and_distinct_characters() {
        assert!(shannon_entropy("aaaaaaaa").abs() < f64::EPSILON);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy("") < f64::EPSILON);
    }
}
