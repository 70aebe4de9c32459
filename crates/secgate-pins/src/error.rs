//! Why a scan could not run. Rule violations are findings, never errors; an error means the gate
//! could not read or understand a file it must check, so the caller exits 2.

use std::path::PathBuf;

/// A scan that could not run.
#[derive(Debug, thiserror::Error)]
pub enum PinsError {
    /// PATH does not exist.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The PATH given.
        path: PathBuf,
    },
    /// A file or directory could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A single-file PATH is of no kind the pinning gate checks.
    #[error(
        "`{path}` is not a file the pinning gate checks (a Cargo.toml or Cargo.lock, a workflow or action.yml, a Dockerfile, a requirements file, a package.json or package-lock.json, or a shell script)"
    )]
    UnsupportedFile {
        /// The PATH given.
        path: PathBuf,
    },
    /// A file the gate must understand does not parse.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file, relative to the scanned root.
        path: String,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong.
        message: String,
    },
}
