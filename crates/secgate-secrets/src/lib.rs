//! The secret gate: credentials committed to a tree ([`scan_tree`]) or introduced by the
//! commits of a range ([`scan_commits`]).
//!
//! Every rule is high-signal: a literal prefilter (one Aho-Corasick pass per file) decides which
//! rules can match at all, then each rule's regex and its validation run (CRC32 of GitHub and
//! npm tokens, a base64 body for private keys, an HMAC that verifies for JWTs, entropy and
//! placeholder checks for generic assignments). No finding ever holds a secret in full: it
//! shows [`mask`]ed text and the [`fingerprint`] that an allowlist entry can name.

mod allow;
mod checksum;
mod commits;
mod detect;
mod error;
mod generic;
mod git;
mod jwt;
mod mask;
mod private_key;
mod report;
mod rules;
mod tree;

pub use allow::AllowEntry;
pub use commits::scan_commits;
pub use error::SecretsError;
pub use mask::{fingerprint, mask, shannon_entropy};
pub use tree::{scan_tree, scan_tree_excluding};

use secgate_core::Finding;

/// How a scan runs.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanOptions {
    /// Files (or blobs) larger than this many bytes are skipped and listed in [`Scan::skipped`].
    pub max_file_size: u64,
    /// Minimum Shannon entropy, in bits per character, of a `generic-secret` value.
    pub entropy_threshold: f64,
    /// Worker threads of the tree walk.
    pub threads: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 1024 * 1024,
            entropy_threshold: 3.5,
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        }
    }
}

/// Why a file was not scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// A NUL byte in its first 8 KiB.
    Binary,
    /// Larger than [`ScanOptions::max_file_size`].
    TooLarge,
    /// It could not be read.
    Unreadable,
}

impl SkipReason {
    /// Lower-case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too-large",
            SkipReason::Unreadable => "unreadable",
        }
    }
}

/// What a scan found.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// Findings after the allowlist, sorted; includes one `ignore-unused` finding per allow
    /// entry that matched nothing.
    pub findings: Vec<Finding>,
    /// Findings the allowlist removed.
    pub allowed: usize,
    /// Files scanned (tree) or blobs scanned (commits).
    pub files: usize,
    /// Files or blobs not scanned, by path, sorted.
    pub skipped: Vec<(String, SkipReason)>,
}

/// Whether `bytes` look binary: a NUL byte in the first 8 KiB, as git decides.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|b| *b == 0)
}
