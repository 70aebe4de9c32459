//! Private key blocks: PEM (`RSA`, `EC`, `DSA`, PKCS#8, encrypted), OpenSSH and OpenPGP armor.
//!
//! A header alone is documentation; a key is a header followed by a base64 body of at least
//! [`MIN_BODY`] characters. Bodies on real lines and bodies inside one string with literal `\n`
//! escapes (JSON, `.env`) both count.

use crate::detect::Hit;
use regex::Regex;
use secgate_core::Code;
use std::sync::LazyLock;

/// Base64 characters a body needs: far below any real key, far above a doc example's `...`.
const MIN_BODY: usize = 40;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY|PGP PRIVATE KEY BLOCK)-----",
    )
    .expect("valid header pattern")
});

/// Every private key block in `text`.
pub(crate) fn find(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for header in HEADER.find_iter(text) {
        let rest = text.get(header.end()..).unwrap_or_default();
        let Some(body_len) = body_extent(rest) else {
            continue;
        };
        let block = text
            .get(header.start()..header.end() + body_len)
            .unwrap_or_default();
        let rule = if header.as_str().contains("PGP") {
            "pgp-private-key"
        } else if header.as_str().contains("OPENSSH") {
            "openssh-private-key"
        } else {
            "pem-private-key"
        };
        hits.push(Hit {
            rule,
            what: "private key",
            code: Code::PrivateKey,
            secret: block.to_owned(),
            shown: header.as_str().to_owned(),
            offset: header.start(),
            related: None,
        });
    }
    hits
}

/// The byte length of the body after a header (through its END line when there is one), or
/// `None` when there is no base64 body of at least [`MIN_BODY`] characters.
fn body_extent(rest: &str) -> Option<usize> {
    let escaped = rest.starts_with("\\n") || rest.starts_with("\\r\\n");
    let (region, separator) = if escaped {
        let line_end = rest.find(['\n', '"', '\'']).unwrap_or(rest.len());
        (rest.get(..line_end)?, "\\n")
    } else {
        (rest, "\n")
    };
    let mut base64 = 0usize;
    let mut consumed = 0usize;
    let mut in_body = false;
    for (index, raw) in region.split(separator).enumerate() {
        let line = raw.trim_end_matches("\\r").trim();
        let start = consumed;
        consumed += raw.len() + separator.len();
        if index == 0 {
            // What follows the header on its own line: must be nothing.
            if !line.is_empty() {
                return None;
            }
            continue;
        }
        if line.starts_with("-----END ") {
            return (base64 >= MIN_BODY).then_some(start + raw.len());
        }
        let is_armor_header = !in_body
            && line
                .split_once(": ")
                .is_some_and(|(k, _)| k.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'));
        if line.is_empty() || is_armor_header {
            if in_body && line.is_empty() {
                break;
            }
            continue;
        }
        if line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            in_body = true;
            base64 += line.len();
        } else {
            break;
        }
        if base64 >= MIN_BODY && consumed >= region.len() {
            break;
        }
    }
    (base64 >= MIN_BODY).then_some(consumed.min(region.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_in_prose_is_not_a_key() {
        let doc = "Paste the `-----BEGIN OPENSSH PRIVATE KEY-----` block into the secret.\n\
                   Then save the settings of the repository and run the workflow again.\n";
        assert!(find(doc).is_empty());
        let header_then_prose = "-----BEGIN RSA PRIVATE KEY-----\nthe key goes here\n";
        assert!(find(header_then_prose).is_empty());
    }

    #[test]
    fn escaped_newlines_inside_a_string_count_as_lines() {
        let body = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w";
        let json = format!(
            "{{\"key\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n\"}}"
        );
        let hits = find(&json);
        assert_eq!(hits.len(), 1);
        assert!(hits[0].secret.contains(body));
        assert!(hits[0].secret.ends_with("-----END PRIVATE KEY-----"));
    }
}
