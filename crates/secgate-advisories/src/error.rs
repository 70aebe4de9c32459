//! Errors that stop a database from loading at all. A single bad record is not one of them.

use std::path::PathBuf;

/// Why an advisory database directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The directory does not exist.
    #[error("advisory database `{}` does not exist", path.display())]
    Missing {
        /// Directory as given.
        path: PathBuf,
    },
    /// The directory exists but is not a database secgate knows.
    #[error(
        "`{}` is not an advisory database: expected a RustSec advisory-db checkout with a `crates/` directory",
        path.display()
    )]
    UnknownLayout {
        /// Directory as given.
        path: PathBuf,
    },
    /// The directory holds no advisory at all, so checking against it would check nothing.
    #[error("advisory database `{}` contains no advisories", path.display())]
    Empty {
        /// Directory as given.
        path: PathBuf,
    },
    /// Listing or reading failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
