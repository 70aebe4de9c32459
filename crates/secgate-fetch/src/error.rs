//! Why a download, a query or an install into the cache failed.
//!
//! Every variant names the URL or the path it is about; a failed [`fetch`](crate::fetch) never
//! touches the previously installed database, so each of these leaves the cache as it was.

use std::path::PathBuf;

/// Why fetching advisory data or querying a remote source failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with a status other than success (or `304` to a conditional request).
    #[error("`{url}` answered HTTP {status}")]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The request could not be made or the response could not be read (DNS, connect, TLS,
    /// timeout, reset).
    #[error(
        "cannot download `{url}`\nhint: check the network, or point the URL elsewhere with the `SECGATE_*_URL` variables"
    )]
    Network {
        /// The URL requested.
        url: String,
        /// What the HTTP client reported.
        #[source]
        source: Box<ureq::Error>,
    },
    /// The response is larger than the configured cap.
    #[error("`{url}` is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// The body ended before the length the server announced in `Content-Length`.
    #[error("`{url}` was cut short: expected {expected} bytes, got {got}")]
    Truncated {
        /// The URL requested.
        url: String,
        /// Bytes announced by `Content-Length`.
        expected: u64,
        /// Bytes received.
        got: u64,
    },
    /// The download is not an intact zip archive (bad structure, checksum or compressed data).
    #[error("`{url}` is not an intact zip archive")]
    BadArchive {
        /// The URL the archive came from.
        url: String,
        /// What the zip reader reported.
        #[source]
        source: zip::result::ZipError,
    },
    /// An archive entry would be written outside the target directory, or is a symlink.
    #[error("`{url}` contains an unsafe entry `{entry}`: {reason}")]
    UnsafeEntry {
        /// The URL the archive came from.
        url: String,
        /// The entry name as stored in the archive.
        entry: String,
        /// Why the entry is refused.
        reason: &'static str,
    },
    /// The archive is intact but does not have the expected layout.
    #[error("`{url}` does not look like an advisory database: {reason}")]
    UnexpectedLayout {
        /// The URL the archive came from.
        url: String,
        /// What is missing or unexpected.
        reason: &'static str,
    },
    /// A plain `http` (or other non-`https`) URL that is not on the loopback interface.
    #[error(
        "refusing insecure URL `{url}`: only `https` is allowed (plain `http` only for `127.0.0.1`, `[::1]` and `localhost`)"
    )]
    InsecureUrl {
        /// The URL as configured.
        url: String,
    },
    /// A crate name, ecosystem or advisory id that cannot be put into a URL or a file name.
    #[error("invalid {kind} `{name}`")]
    InvalidName {
        /// What the name is: `crate name`, `ecosystem`, `advisory id`.
        kind: &'static str,
        /// The name as given.
        name: String,
    },
    /// The server's answer has the wrong shape (e.g. fewer results than queries).
    #[error("unexpected response from `{url}`: {reason}")]
    UnexpectedResponse {
        /// The URL requested.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Reading or writing the cache failed.
    #[error("cannot access `{}`", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A response body is not the JSON expected.
    #[error("`{url}` did not answer valid JSON")]
    Json {
        /// The URL requested.
        url: String,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// A cache file (manifest, index entry) is not the JSON expected.
    #[error("cannot parse `{}`\nhint: delete it, the next fetch writes it again", path.display())]
    JsonFile {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// No cache directory could be determined from the environment.
    #[error(
        "cannot determine a cache directory\nhint: set `SECGATE_CACHE` to a writable directory"
    )]
    NoCacheDir,
}

impl FetchError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
