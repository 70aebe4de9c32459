//! git's allowed-signers file (`gpg.ssh.allowedSignersFile`, the format of ssh-keygen(1)
//! ALLOWED SIGNERS): `principals [options] keytype base64-key [comment]` per line, with the
//! options `namespaces="..."`, `valid-after=`, `valid-before=` and `cert-authority`.
//!
//! Lines are read the way OpenSSH's `sshsig.c` reads them, so that a file means here what it
//! means to `git verify-tag`; the one deliberate difference is that times are always UTC (see
//! [`AllowedSigner::valid_after`]).

use super::options::{SignerOptions, parse_options};
use crate::SignError;
use ssh_key::{Algorithm, HashAlg, PublicKey};
use std::path::Path;

/// One line of an allowed-signers file.
#[derive(Clone, Debug)]
pub struct AllowedSigner {
    /// Principal patterns (comma-separated in the file; `*` and `?` wildcards, `!` negation).
    pub principals: Vec<String>,
    /// `cert-authority`: the key is a CA; signatures by certificates it issued are accepted.
    pub cert_authority: bool,
    /// `namespaces="git,file"`: the namespaces (patterns, like principals) the key may sign
    /// in; `None` means any.
    pub namespaces: Option<Vec<String>>,
    /// `valid-after`: seconds since the epoch.
    ///
    /// The file's `YYYYMMDD[HHMM[SS]]` times are read as UTC whether or not they end in `Z`
    /// (ssh-keygen would use the local time zone without it): CI machines run in UTC, and a
    /// verdict must not depend on the time zone of the machine that computes it.
    pub valid_after: Option<i64>,
    /// `valid-before`: seconds since the epoch (UTC, as for `valid_after`).
    pub valid_before: Option<i64>,
    /// The public key.
    pub key: SignerKey,
    /// 1-based line in the file.
    pub line: u32,
}

impl AllowedSigner {
    /// The principals as written in the file (without quotes): the comma-separated patterns.
    pub fn principal_list(&self) -> String {
        self.principals.join(",")
    }
}

/// An allowed signer's public key.
#[derive(Clone, Debug)]
pub struct SignerKey(pub ssh_key::PublicKey);

impl SignerKey {
    /// The key's fingerprint as ssh-keygen and git print it: `SHA256:` and unpadded base64.
    pub fn fingerprint(&self) -> String {
        self.0.fingerprint(HashAlg::Sha256).to_string()
    }
}

/// A parsed allowed-signers file.
#[derive(Clone, Debug)]
pub struct AllowedSigners {
    /// The file, as given (for messages).
    pub path: String,
    /// Every signer line, in file order.
    pub signers: Vec<AllowedSigner>,
}

impl AllowedSigners {
    /// Reads and parses `path`.
    pub fn load(path: &Path) -> Result<Self, SignError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses the text of an allowed-signers file; `path` names it in errors. Blank lines and
    /// `#` comments are skipped; any other line that does not parse is an error at its line.
    pub fn parse(text: &str, path: &str) -> Result<Self, SignError> {
        let mut signers = Vec::new();
        for (index, text) in text.lines().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            match parse_line(text, line) {
                Ok(Some(signer)) => signers.push(signer),
                Ok(None) => {}
                Err(message) => {
                    return Err(SignError::Parse {
                        path: path.to_owned(),
                        line,
                        message,
                    });
                }
            }
        }
        Ok(Self {
            path: path.to_owned(),
            signers,
        })
    }
}

/// Parses one line: `None` for a blank or comment line, an error message naming the problem
/// for a malformed one.
fn parse_line(text: &str, line: u32) -> Result<Option<AllowedSigner>, String> {
    let text = text.trim_matches([' ', '\t', '\r']);
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let (principals, rest) = principals_field(text)?;
    if principals.is_empty() {
        return Err("the principals are empty".to_owned());
    }
    if rest.is_empty() {
        return Err("a key must follow the principals".to_owned());
    }
    // Like OpenSSH: the field after the principals is the key if it names a key type, and the
    // options otherwise.
    let (first, after_first) = split_unquoted_blank(rest);
    let (options, key_text) = if is_key_type(first) {
        (SignerOptions::default(), rest)
    } else {
        let options = parse_options(first).map_err(|why| {
            if is_key_type(principals) {
                format!(
                    "the line starts with the key type `{principals}`: the principals are missing"
                )
            } else {
                why
            }
        })?;
        (options, after_first)
    };
    let key = parse_key(key_text)?;
    Ok(Some(AllowedSigner {
        principals: principals.split(',').map(str::to_owned).collect(),
        cert_authority: options.cert_authority,
        namespaces: options.namespaces,
        valid_after: options.valid_after,
        valid_before: options.valid_before,
        key: SignerKey(key),
        line,
    }))
}

/// Splits off the principals: a blank-delimited word, or a double-quoted string (which may hold
/// blanks; the quotes are not part of the principals). Returns them and the rest, trimmed.
fn principals_field(text: &str) -> Result<(&str, &str), String> {
    if let Some(quoted) = text.strip_prefix('"') {
        let Some((principals, rest)) = quoted.split_once('"') else {
            return Err("the quoted principals have no closing quote".to_owned());
        };
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return Err("a blank must follow the quoted principals".to_owned());
        }
        return Ok((principals, rest.trim_start_matches([' ', '\t'])));
    }
    Ok(split_unquoted_blank(text))
}

/// Splits `text` at its first blank outside double quotes (`\"` does not end a quote), as
/// OpenSSH skips past an options field. Returns the field and the rest, trimmed.
fn split_unquoted_blank(text: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quoted = !quoted,
            ' ' | '\t' if !quoted => {
                let rest = text.get(i..).unwrap_or("");
                return (
                    text.get(..i).unwrap_or(text),
                    rest.trim_start_matches([' ', '\t']),
                );
            }
            _ => {}
        }
        escaped = false;
    }
    (text, "")
}

/// Whether `word` names an SSH public key type (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...).
fn is_key_type(word: &str) -> bool {
    matches!(Algorithm::new(word), Ok(algorithm) if !matches!(algorithm, Algorithm::Other(_)))
}

/// Parses `keytype base64 [comment]`.
fn parse_key(text: &str) -> Result<PublicKey, String> {
    let mut words = text.split_whitespace();
    let Some(kind) = words.next() else {
        return Err("a key must follow the options".to_owned());
    };
    if kind.ends_with("-cert-v01@openssh.com") {
        return Err(format!(
            "`{kind}` is a certificate; list the CA's public key with the `cert-authority` option instead"
        ));
    }
    if !is_key_type(kind) {
        return Err(format!("`{kind}` is not an SSH public key type"));
    }
    let Some(data) = words.next() else {
        return Err(format!("the base64 key data must follow `{kind}`"));
    };
    PublicKey::from_openssh(&format!("{kind} {data}"))
        .map_err(|e| format!("the `{kind}` key does not parse: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{parse_line, split_unquoted_blank};

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti";

    #[test]
    fn options_field_ends_at_an_unquoted_blank() {
        assert_eq!(
            split_unquoted_blank(r#"namespaces="a b",cert-authority  ssh-ed25519 AAAA"#),
            (r#"namespaces="a b",cert-authority"#, "ssh-ed25519 AAAA")
        );
        assert_eq!(split_unquoted_blank("word"), ("word", ""));
    }

    #[test]
    fn quoted_principals_may_hold_blanks() {
        let signer = parse_line(&format!("\"alice smith,bob\" {KEY} c"), 4)
            .expect("parses")
            .expect("a signer");
        assert_eq!(signer.principals, ["alice smith", "bob"]);
        assert_eq!(signer.line, 4);
        assert!(!signer.cert_authority);
    }

    #[test]
    fn a_line_without_principals_says_so() {
        let err = parse_line(&format!("{KEY} comment"), 1).expect_err("no principals");
        assert!(err.contains("principals are missing"), "{err}");
    }
}
