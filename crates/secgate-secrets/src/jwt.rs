//! JWTs signed with HMAC whose key is committed beside them.
//!
//! A JWT alone is usually a harmless example or an expired session. But an `HS256`/`HS384`/
//! `HS512` token whose signature verifies with a string from the same file proves that string
//! is the signing key: whoever reads it can mint tokens. The finding sits at the key.

use crate::detect::Hit;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use regex::Regex;
use secgate_core::Code;
use sha2::{Sha256, Sha384, Sha512};
use std::sync::LazyLock;

/// Candidate keys tried per file, so a huge generated file cannot make the scan quadratic.
const MAX_CANDIDATES: usize = 4096;

static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(eyJ[A-Za-z0-9_-]{4,})\.(eyJ[A-Za-z0-9_-]{4,})\.([A-Za-z0-9_-]{20,})")
        .expect("valid JWT pattern")
});

/// Quoted strings and assignment values of 6..=256 characters: the keys a JWT is tried with.
static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""([^"\\\n]{6,256})"|'([^'\\\n]{6,256})'|[=:][ \t]*([^\s"'`,;]{6,256})"#)
        .expect("valid candidate pattern")
});

/// The HMAC algorithms a JWT header can name.
#[derive(Clone, Copy)]
enum Alg {
    Hs256,
    Hs384,
    Hs512,
}

/// A JWT of the text signed with HMAC.
struct SignedJwt<'t> {
    offset: usize,
    signing_input: &'t str,
    signature: Vec<u8>,
    alg: Alg,
}

fn alg_of(header_b64: &str) -> Option<Alg> {
    let header = URL_SAFE_NO_PAD.decode(header_b64).ok()?;
    let header: serde_json::Value = serde_json::from_slice(&header).ok()?;
    match header.get("alg")?.as_str()? {
        "HS256" => Some(Alg::Hs256),
        "HS384" => Some(Alg::Hs384),
        "HS512" => Some(Alg::Hs512),
        _ => None,
    }
}

fn verifies(jwt: &SignedJwt<'_>, key: &[u8]) -> bool {
    fn check<M: Mac + hmac::digest::KeyInit>(key: &[u8], input: &[u8], sig: &[u8]) -> bool {
        let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key) else {
            return false;
        };
        mac.update(input);
        mac.verify_slice(sig).is_ok()
    }
    let input = jwt.signing_input.as_bytes();
    match jwt.alg {
        Alg::Hs256 => check::<Hmac<Sha256>>(key, input, &jwt.signature),
        Alg::Hs384 => check::<Hmac<Sha384>>(key, input, &jwt.signature),
        Alg::Hs512 => check::<Hmac<Sha512>>(key, input, &jwt.signature),
    }
}

/// Every HMAC key in `text` that verifies a JWT of `text`.
pub(crate) fn find(text: &str) -> Vec<Hit> {
    let jwts: Vec<SignedJwt<'_>> = JWT
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let alg = alg_of(caps.get(1)?.as_str())?;
            let signature = URL_SAFE_NO_PAD.decode(caps.get(3)?.as_str()).ok()?;
            let input_end = caps.get(2)?.end();
            Some(SignedJwt {
                offset: whole.start(),
                signing_input: text.get(whole.start()..input_end)?,
                signature,
                alg,
            })
        })
        .collect();
    if jwts.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for caps in CANDIDATE.captures_iter(text).take(MAX_CANDIDATES) {
        let Some(key) = caps.get(1).or_else(|| caps.get(2)).or_else(|| caps.get(3)) else {
            continue;
        };
        if key.as_str().starts_with("eyJ") {
            continue;
        }
        if let Some(jwt) = jwts.iter().find(|j| verifies(j, key.as_str().as_bytes())) {
            let mut hit = Hit::masked(
                "jwt-with-secret",
                "JWT signing key",
                Code::ApiToken,
                key.as_str(),
                key.start(),
            );
            hit.related = Some(jwt.offset);
            hits.push(hit);
        }
    }
    hits
}
