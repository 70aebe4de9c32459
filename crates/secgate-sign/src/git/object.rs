//! Splitting a tag or commit object into signed payload and signature, and reading who made it,
//! when, and its subject.

use super::split::{self, SIGNATURE_STARTS};

/// The signature carried by a git object, by its armor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureBlock {
    /// `-----BEGIN SSH SIGNATURE-----`.
    Ssh(String),
    /// `-----BEGIN PGP SIGNATURE-----` (or `PGP MESSAGE`).
    OpenPgp(String),
    /// `-----BEGIN SIGNED MESSAGE-----` (gpgsm / x509), which secgate does not verify.
    X509(String),
    /// A `gpgsig` header whose text starts with no armor git knows; git calls it a bad
    /// signature.
    Unknown(String),
}

impl SignatureBlock {
    /// Classifies the signature text by its first line, as git's `get_format_by_sig` does.
    fn from_text(text: String) -> Self {
        let [pgp_signature, pgp_message, signed_message, ssh] = SIGNATURE_STARTS;
        if text.starts_with(ssh) {
            SignatureBlock::Ssh(text)
        } else if text.starts_with(pgp_signature) || text.starts_with(pgp_message) {
            SignatureBlock::OpenPgp(text)
        } else if text.starts_with(signed_message) {
            SignatureBlock::X509(text)
        } else {
            SignatureBlock::Unknown(text)
        }
    }

    /// The armored signature text.
    pub fn text(&self) -> &str {
        match self {
            SignatureBlock::Ssh(text)
            | SignatureBlock::OpenPgp(text)
            | SignatureBlock::X509(text)
            | SignatureBlock::Unknown(text) => text,
        }
    }

    /// `ssh`, `openpgp`, `x509` or `unknown`.
    pub fn format(&self) -> &'static str {
        match self {
            SignatureBlock::Ssh(_) => "ssh",
            SignatureBlock::OpenPgp(_) => "openpgp",
            SignatureBlock::X509(_) => "x509",
            SignatureBlock::Unknown(_) => "unknown",
        }
    }
}

/// A tag or commit object: its id, the bytes that were signed, and the signature if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedObject {
    /// The object id (hex).
    pub id: String,
    /// `tag` or `commit`.
    pub kind: &'static str,
    /// The payload git signs: the object without its signature.
    pub payload: Vec<u8>,
    /// The signature, when the object has one.
    pub signature: Option<SignatureBlock>,
    /// The tagger or author, `Name <email>`; empty when the object names none (very old tags).
    pub who: String,
    /// The tagger or committer time, seconds since the epoch; 0 when the object has none.
    pub time: i64,
    /// The first line of the message.
    pub subject: String,
}

impl SignedObject {
    /// Parses the raw object `data` (as `git cat-file <kind> <id>` prints it). A tag's signature
    /// is the armored block at the end of its message; a commit's is its `gpgsig` (or
    /// `gpgsig-sha256`) header with continuation lines.
    pub fn parse(id: &str, kind: &'static str, data: &[u8]) -> Result<Self, String> {
        let own_header = split::own_signature_header(id);
        let (payload, signature) = match kind {
            "tag" => split::split_tag(data, own_header),
            "commit" => split::split_commit(data, own_header),
            other => return Err(format!("`{id}` is a {other}, not a tag or a commit")),
        };
        let (who_header, time_header) = if kind == "tag" {
            ("tagger", "tagger")
        } else {
            ("author", "committer")
        };
        let who = header(&payload, who_header).map_or_else(String::new, |value| ident(value).0);
        let time = header(&payload, time_header).map_or(0, |value| ident(value).1);
        Ok(SignedObject {
            id: id.to_owned(),
            kind,
            subject: subject(&payload),
            who,
            time,
            signature: signature
                .map(|text| SignatureBlock::from_text(String::from_utf8_lossy(&text).into_owned())),
            payload,
        })
    }

    /// The id shortened for messages.
    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }
}

/// The value of the first header line `name` (continuation lines are never headers).
fn header<'a>(data: &'a [u8], name: &str) -> Option<&'a [u8]> {
    split::lines(data)
        .map(|(_, line)| line)
        .take_while(|line| *line != b"\n")
        .find_map(|line| {
            line.strip_prefix(name.as_bytes())?
                .strip_prefix(b" ")
                .map(|value| value.strip_suffix(b"\n").unwrap_or(value))
        })
}

/// Splits an ident `Name <email> 1700000000 +0000` into `Name <email>` and the timestamp, the
/// way git's `split_ident_line` does: the date follows the last `>`.
fn ident(value: &[u8]) -> (String, i64) {
    let text = String::from_utf8_lossy(value);
    let Some(close) = text.rfind('>') else {
        return (text.trim().to_owned(), 0);
    };
    let (who, date) = text.split_at(close + 1);
    let time = date
        .split_whitespace()
        .next()
        .and_then(|seconds| seconds.parse().ok())
        .unwrap_or(0);
    (who.trim().to_owned(), time)
}

/// The first non-blank line of the message, which starts after the first empty line.
fn subject(payload: &[u8]) -> String {
    let mut lines = split::lines(payload).map(|(_, line)| line);
    if !lines.by_ref().any(|line| line == b"\n") {
        return String::new();
    }
    lines
        .map(|line| String::from_utf8_lossy(line).trim().to_owned())
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
