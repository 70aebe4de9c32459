//! Why a signature check could not run. A bad or missing signature is a finding, never an
//! error; an error means the gate could not read what it must check, so the caller exits 2.

use std::path::PathBuf;

/// A check that could not run.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// A file could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A trust file (allowed signers, OpenPGP key, trusted root, sums file) does not parse.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file, as given.
        path: String,
        /// 1-based line (1 for whole-file problems).
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// `git` failed or is missing, or the named tag, commit or range does not exist.
    #[error("{0}")]
    Git(String),
    /// Nothing to verify against: no allowed signers and no OpenPGP keys.
    #[error(
        "no signers to verify against: set `allowed-signers` or `openpgp-keys` under [signatures] in secgate.toml, or pass --allowed-signers / --openpgp-key"
    )]
    NoTrust,
}
