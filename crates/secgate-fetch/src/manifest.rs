//! `db/manifest.json`: what was fetched, from where, when, and how to check it again.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::FetchError;

/// Name of the manifest file inside `<cache>/db/`.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What the installed database holds; written as `<cache>/db/manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// One record per source, in fetch order (`rustsec`, then `osv/<ecosystem>`...).
    pub sources: Vec<SourceRecord>,
    /// When this database was installed (Unix seconds).
    pub fetched_at: u64,
}

/// One downloaded source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// `rustsec` or `osv/<ecosystem>`.
    pub name: String,
    /// The URL downloaded.
    pub url: String,
    /// The server's `ETag`, sent back as `If-None-Match` on the next fetch.
    pub etag: Option<String>,
    /// The server's `Last-Modified`.
    pub last_modified: Option<String>,
    /// Size in bytes of the downloaded body.
    pub size: u64,
    /// Lowercase hex SHA-256 of the downloaded body.
    pub sha256: String,
    /// When the server last confirmed this data current (Unix seconds): the download, or a
    /// `304 Not Modified` answer to a later fetch.
    pub fetched_at: u64,
    /// Where the data is, relative to `db/`: `rustsec` (an advisory-db tree) or
    /// `osv/<ecosystem>/all.zip`.
    pub path: String,
    /// Advisory records: `.md` files under `crates/` and `rust/` for RustSec, file entries of
    /// the archive for OSV.
    pub records: u64,
    /// Source revision when the source states one: the commit of the RustSec archive (from the
    /// zip comment, or a top directory named `advisory-db-<commit>`).
    pub revision: Option<String>,
}

impl Manifest {
    /// The record of source `name`, if fetched.
    pub fn source(&self, name: &str) -> Option<&SourceRecord> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// Path of the manifest inside the database directory `db`.
pub(crate) fn manifest_path(db: &Path) -> PathBuf {
    db.join(MANIFEST_FILE)
}

/// Reads `<cache>/db/manifest.json`; `None` when nothing has been fetched yet.
pub fn read_manifest(cache: &Path) -> Result<Option<Manifest>, FetchError> {
    let path = manifest_path(&cache.join(crate::fetch::DB_DIR));
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(FetchError::io(path, e)),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|source| FetchError::JsonFile { path, source })
}

/// Writes the manifest into the database directory `db`.
pub(crate) fn write_manifest(db: &Path, manifest: &Manifest) -> Result<(), FetchError> {
    let path = manifest_path(db);
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(|source| FetchError::JsonFile {
        path: path.clone(),
        source,
    })?;
    bytes.push(b'\n');
    crate::cache::write_atomic(&path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_absence() {
        let cache = tempfile::tempdir().unwrap();
        assert_eq!(read_manifest(cache.path()).unwrap(), None);
        let manifest = Manifest {
            sources: vec![SourceRecord {
                name: "rustsec".into(),
                url: "https://example.invalid/a.zip".into(),
                etag: Some("\"x\"".into()),
                last_modified: None,
                size: 3,
                sha256: "00".repeat(32),
                fetched_at: 7,
                path: "rustsec".into(),
                records: 1,
                revision: Some("a".repeat(40)),
            }],
            fetched_at: 7,
        };
        let db = cache.path().join("db");
        write_manifest(&db, &manifest).unwrap();
        assert_eq!(read_manifest(cache.path()).unwrap(), Some(manifest.clone()));
        assert_eq!(manifest.source("rustsec").unwrap().size, 3);

        fs::write(manifest_path(&db), "{").unwrap();
        assert!(matches!(
            read_manifest(cache.path()),
            Err(FetchError::JsonFile { .. })
        ));
    }
}
