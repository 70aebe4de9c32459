//! git's allowed-signers file (`gpg.ssh.allowedSignersFile`, the format of ssh-keygen(1)
//! ALLOWED SIGNERS): `principals [options] keytype base64-key [comment]` per line, with the
//! options `namespaces="..."`, `valid-after=`, `valid-before=` and `cert-authority`.

use crate::SignError;
use std::path::Path;

/// One line of an allowed-signers file.
#[derive(Clone, Debug)]
pub struct AllowedSigner {
    /// Principal patterns (comma-separated in the file; `*` and `?` wildcards, `!` negation).
    pub principals: Vec<String>,
    /// `cert-authority`: the key is a CA; signatures by certificates it issued are accepted.
    pub cert_authority: bool,
    /// `namespaces="git,file"`: the namespaces the key may sign in; `None` means any.
    pub namespaces: Option<Vec<String>>,
    /// `valid-after`: seconds since the epoch (UTC unless the file says `Z`-less local time).
    pub valid_after: Option<i64>,
    /// `valid-before`: seconds since the epoch.
    pub valid_before: Option<i64>,
    /// The public key.
    pub key: SignerKey,
    /// 1-based line in the file.
    pub line: u32,
}

/// An allowed signer's public key.
#[derive(Clone, Debug)]
pub struct SignerKey(pub ssh_key::PublicKey);

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
        let _ = text;
        Err(SignError::Parse {
            path: path.to_owned(),
            line: 1,
            message: "allowed-signers parsing is not built yet".to_owned(),
        })
    }
}
