//! [`DiscoverError`]: why licence discovery could not run to the end. A package whose source is
//! simply absent is not an error (it is listed in [`crate::discover::Discovery::missing`]); a
//! manifest that is there but cannot be read is, and says where as path, line and column.

use std::ops::Range;
use std::path::PathBuf;
use thiserror::Error;

/// Licence discovery failed.
#[derive(Debug, Error)]
pub enum DiscoverError {
    /// A file or directory could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `Cargo.toml` is not valid TOML, or a key read here has the wrong type.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// 1-based line of the problem.
        line: u32,
        /// 1-based column of the problem, in characters.
        column: u32,
        /// Byte range of the problem, for snippets.
        span: Range<usize>,
        /// What is wrong.
        message: String,
    },
    /// A manifest inherits a key (`license.workspace = true`) that no workspace root provides.
    #[error(
        "{}:{line}:{column}: `{key}.workspace = true`, but no workspace root manifest has \
         `[workspace.package] {key}`\n\
         hint: add `{key}` to `[workspace.package]` of the workspace root `Cargo.toml`",
        path.display()
    )]
    Inheritance {
        /// The member manifest.
        path: PathBuf,
        /// 1-based line of the inheriting key.
        line: u32,
        /// 1-based column of the inheriting key.
        column: u32,
        /// Byte range of the inheriting key and its value.
        span: Range<usize>,
        /// `license`, `license-file` or `version`.
        key: &'static str,
    },
    /// The registry cache holds a directory for a package whose manifest names another package.
    #[error(
        "`{}` is in the cache directory of `{expected_name}@{expected_version}` but describes \
         `{found_name}@{found_version}`\n\
         hint: the Cargo registry cache is damaged; delete that directory and run `cargo fetch`",
        path.display()
    )]
    ManifestMismatch {
        /// The manifest read.
        path: PathBuf,
        /// The locked package name.
        expected_name: String,
        /// The locked version.
        expected_version: String,
        /// `[package] name` in the manifest.
        found_name: String,
        /// `[package] version` in the manifest.
        found_version: String,
    },
    /// `cargo` could not be started.
    #[error("cannot run `{}`", program.display())]
    CargoSpawn {
        /// The program that was started (`$CARGO`, or `cargo` from `PATH`).
        program: PathBuf,
        /// Why it could not start.
        #[source]
        source: std::io::Error,
    },
    /// `cargo fetch --locked` ran and failed.
    #[error(
        "`cargo fetch --locked` failed ({})\n{stderr}\n\
         hint: `--locked` needs a Cargo.lock that is up to date, and the registry must be \
         reachable",
        status.map_or_else(|| "killed by a signal".to_owned(), |code| format!("exit status {code}"))
    )]
    CargoFetch {
        /// Exit code; `None` when the process was killed by a signal.
        status: Option<i32>,
        /// What cargo wrote to stderr, trimmed.
        stderr: String,
    },
    /// `cargo metadata` failed or answered something unexpected.
    #[error(
        "`cargo metadata` failed ({}): {stderr}",
        status.map_or_else(|| "killed by a signal".to_owned(), |code| format!("exit status {code}"))
    )]
    CargoMetadata {
        /// Exit code; `None` when the process was killed by a signal.
        status: Option<i32>,
        /// What cargo wrote to stderr, trimmed (or what was wrong with its output).
        stderr: String,
    },
}

impl DiscoverError {
    /// The 1-based line and column inside a manifest, for errors that point into one.
    pub fn line_column(&self) -> Option<(u32, u32)> {
        match self {
            DiscoverError::Manifest { line, column, .. }
            | DiscoverError::Inheritance { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// Maps an I/O error on `path` to [`DiscoverError::Io`].
pub(super) fn io_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DiscoverError {
    let path = path.to_owned();
    move |source| DiscoverError::Io { path, source }
}
