//! Errors that stop a database from loading at all. A single bad record is not one of them.

use std::path::PathBuf;

/// Why an advisory database directory or archive could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The path does not exist.
    #[error("advisory database `{}` does not exist", path.display())]
    Missing {
        /// Path as given.
        path: PathBuf,
    },
    /// The path exists but is not a database secgate knows.
    #[error(
        "`{}` is not an advisory database: expected a RustSec advisory-db checkout with a `crates/` directory, an OSV tree of `<Ecosystem>/*.json` or `<Ecosystem>/all.zip`, one OSV ecosystem directory, or an OSV `.zip` archive",
        path.display()
    )]
    UnknownLayout {
        /// Path as given.
        path: PathBuf,
    },
    /// The database holds no advisory at all, so checking against it would check nothing.
    #[error("advisory database `{}` contains no advisories", path.display())]
    Empty {
        /// Path as given.
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
    /// An OSV archive is not a readable zip file (truncated, corrupt, or not a zip at all).
    #[error("advisory archive `{}` is not a readable zip archive\nhint: download it again", path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What the zip reader found.
        #[source]
        source: zip::result::ZipError,
    },
    /// An entry of an OSV archive does not decompress or fails its checksum.
    #[error("advisory archive `{}` is corrupt: entry `{entry}` cannot be read\nhint: download it again", path.display())]
    ArchiveEntry {
        /// The archive.
        path: PathBuf,
        /// The entry's name in the archive.
        entry: String,
        /// The read error.
        #[source]
        source: std::io::Error,
    },
}
