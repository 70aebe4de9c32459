//! Downloads advisory data into secgate's cache, atomically and verified, and queries the
//! remote sources secgate reads live.
//!
//! - [`fetch`] downloads the RustSec advisory-db archive and the OSV `all.zip` of each
//!   ecosystem into a staging directory, verifies every byte (size, SHA-256, `Content-Length`,
//!   the CRC of every zip entry), and only then swaps it in for `<cache>/db`; a [`Manifest`]
//!   records what came from where, when, and at which revision. A failure leaves the previous
//!   database untouched.
//! - [`osv_query`] and [`osv_vuln`] ask the OSV API; [`yanked_versions`] reads the crates.io
//!   sparse index, cached per crate; [`tag_commit`] asks the GitHub API which commit an action's
//!   tag points at.
//!
//! Every URL must be `https`, except plain `http` to `127.0.0.1`, `[::1]` or `localhost`, so
//! that tests can serve data from a loopback server. Base URLs come from [`Endpoints`]
//! (overridable through `SECGATE_*_URL`). The library never prints.
//!
//! # HTTP client
//!
//! `ureq` 3 with its `rustls` feature (rustls on the `ring` provider, Mozilla roots from
//! `webpki-roots`), chosen over `reqwest` (blocking + rustls): secgate makes a handful of
//! sequential requests, so an async runtime (tokio, hyper, tower) would only add build time and
//! dependencies. `ring` needs a C compiler but no cmake, NASM or system OpenSSL. Measured on the
//! 2-core development machine: `cargo tree -p secgate-fetch` prints 103 lines (59 crates
//! compiled, zip included), and a clean `cargo build -p secgate-fetch --release` of all of them
//! takes 21 s. `gzip` is left off: the archives are already compressed, and a transparently
//! decoded body could no longer be checked against `Content-Length`.

mod archive;
mod cache;
mod crates_index;
mod error;
mod fetch;
mod github;
mod http;
mod manifest;
mod options;
mod osv_api;

pub use cache::default_cache_dir;
pub use crates_index::{CRATES_INDEX_DIR, yanked_versions};
pub use error::FetchError;
pub use fetch::fetch;
pub use github::tag_commit;
pub use manifest::{MANIFEST_FILE, Manifest, SourceRecord, read_manifest};
pub use options::{
    CONNECT_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, ENDPOINT_VARS, Endpoints, FetchOptions,
};
pub use osv_api::{OSV_BATCH_SIZE, PackageQuery, osv_query, osv_vuln};
