//! `db fetch`: download every source into a staging directory, verify it, then swap it in for
//! the installed `<cache>/db` in one step.
//!
//! Layout of the cache:
//!
//! ```text
//! <cache>/db/manifest.json           what is installed (Manifest)
//! <cache>/db/rustsec/crates/...      the RustSec advisory-db tree
//! <cache>/db/osv/<eco>/all.zip       the OSV archive of each ecosystem, kept as the zip
//! <cache>/db.staging-<pid>/          the next db while it is being fetched
//! <cache>/db.old-<pid>/              the previous db during the swap
//! ```
//!
//! Any failure deletes the staging directory and leaves `db/` as it was. Two fetches into the
//! same cache at the same time are not coordinated; the last to finish wins, and neither can
//! leave a half-written `db/` behind.

use std::fs;
use std::io;
use std::path::Path;

use crate::archive;
use crate::cache::{link_file, link_tree, remove_tree, unix_now};
use crate::http::{Client, Download, check_url};
use crate::manifest::{Manifest, SourceRecord, read_manifest, write_manifest};
use crate::options::join_url;
use crate::{FetchError, FetchOptions};

/// The installed database, inside the cache directory.
pub(crate) const DB_DIR: &str = "db";
const STAGING_PREFIX: &str = "db.staging-";
const OLD_PREFIX: &str = "db.old-";

/// A source to download.
#[derive(Debug)]
struct Source {
    name: String,
    url: String,
    /// Relative to `db/`.
    path: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A zip of an advisory-db tree under one top directory, extracted.
    RustSec,
    /// An OSV `all.zip`, verified and kept as is.
    OsvArchive,
}

/// Downloads the RustSec archive and the OSV archive of each ecosystem in `opts`, verifies
/// them, and installs them as `<cache>/db` together with a [`Manifest`]; see the module docs.
///
/// Sources whose recorded `ETag` the server confirms (`304 Not Modified`) are carried over from
/// the installed database without downloading them again.
pub fn fetch(cache: &Path, opts: &FetchOptions) -> Result<Manifest, FetchError> {
    let sources = plan(opts)?;
    for source in &sources {
        check_url(&source.url)?;
    }
    fs::create_dir_all(cache).map_err(|e| FetchError::io(cache, e))?;
    recover(cache)?;

    let db = cache.join(DB_DIR);
    // An unreadable manifest only costs the conditional requests: everything is downloaded.
    let previous = read_manifest(cache).ok().flatten();
    let staging = cache.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    remove_tree(&staging)?;
    fs::create_dir(&staging).map_err(|e| FetchError::io(&staging, e))?;

    let client = Client::new(opts);
    let staged = stage(&client, &sources, previous.as_ref(), &db, &staging, opts);
    match staged {
        Ok(manifest) => {
            install(cache, &staging)?;
            Ok(manifest)
        }
        Err(e) => {
            let _ = remove_tree(&staging);
            Err(e)
        }
    }
}

fn plan(opts: &FetchOptions) -> Result<Vec<Source>, FetchError> {
    let mut sources = vec![Source {
        name: "rustsec".to_owned(),
        url: opts.endpoints.rustsec_archive.clone(),
        path: "rustsec".to_owned(),
        kind: Kind::RustSec,
    }];
    for ecosystem in &opts.ecosystems {
        check_ecosystem(ecosystem)?;
        let name = format!("osv/{ecosystem}");
        if sources.iter().any(|s| s.name == name) {
            continue;
        }
        sources.push(Source {
            url: join_url(
                &opts.endpoints.osv_base,
                &format!("{}/all.zip", encode_segment(ecosystem)),
            ),
            path: format!("{name}/all.zip"),
            name,
            kind: Kind::OsvArchive,
        });
    }
    Ok(sources)
}

/// Fills `staging` with every source and the manifest.
fn stage(
    client: &Client,
    sources: &[Source],
    previous: Option<&Manifest>,
    db: &Path,
    staging: &Path,
    opts: &FetchOptions,
) -> Result<Manifest, FetchError> {
    let now = unix_now();
    let mut done = Vec::with_capacity(sources.len());
    for source in sources {
        // Only a record for the same URL whose data is still installed can be revalidated.
        let reusable = previous
            .and_then(|m| m.source(&source.name))
            .filter(|r| r.url == source.url && r.path == source.path)
            .filter(|r| db.join(&r.path).exists());
        let etag = reusable.and_then(|r| r.etag.as_deref());
        let target = staging.join(&source.path);
        let fresh = match source.kind {
            Kind::RustSec => fetch_rustsec(client, source, etag, staging, &target, opts)?,
            Kind::OsvArchive => fetch_osv(client, source, etag, &target, opts)?,
        };
        let record = match (fresh, reusable) {
            (
                Some(Fresh {
                    download,
                    records,
                    revision,
                }),
                _,
            ) => SourceRecord {
                name: source.name.clone(),
                url: source.url.clone(),
                etag: download.etag,
                last_modified: download.last_modified,
                size: download.size,
                sha256: download.sha256,
                fetched_at: now,
                path: source.path.clone(),
                records,
                revision,
            },
            // 304: the installed copy is current; carry it over.
            (None, Some(previous)) => {
                let from = db.join(&previous.path);
                match source.kind {
                    Kind::RustSec => link_tree(&from, &target)?,
                    Kind::OsvArchive => link_file(&from, &target)?,
                }
                SourceRecord {
                    fetched_at: now,
                    ..previous.clone()
                }
            }
            (None, None) => unreachable!("a 304 is only accepted when an ETag was sent"),
        };
        done.push(record);
    }
    let manifest = Manifest {
        sources: done,
        fetched_at: now,
    };
    write_manifest(staging, &manifest)?;
    Ok(manifest)
}

/// A source downloaded and verified in this fetch.
struct Fresh {
    download: Download,
    records: u64,
    revision: Option<String>,
}

/// Downloads the RustSec archive next to staging and extracts it to `dest`; `None` on `304`.
fn fetch_rustsec(
    client: &Client,
    source: &Source,
    etag: Option<&str>,
    staging: &Path,
    dest: &Path,
    opts: &FetchOptions,
) -> Result<Option<Fresh>, FetchError> {
    let zip = staging.join("rustsec.zip");
    let Some(download) = client.get_to_file(&source.url, etag, &zip)? else {
        return Ok(None);
    };
    let summary = archive::extract_under_root(&source.url, &zip, dest, opts.max_bytes)?;
    fs::remove_file(&zip).map_err(|e| FetchError::io(&zip, e))?;
    if !dest.join("crates").is_dir() {
        return Err(FetchError::UnexpectedLayout {
            url: source.url.clone(),
            reason: "there is no `crates/` directory under the top directory",
        });
    }
    let mut records = 0;
    for dir in ["crates", "rust"] {
        records += count_markdown(&dest.join(dir))?;
    }
    Ok(Some(Fresh {
        download,
        records,
        revision: revision(&summary.comment, summary.top.as_deref()),
    }))
}

/// Downloads an OSV archive to `dest` and reads every entry; `None` on `304`.
fn fetch_osv(
    client: &Client,
    source: &Source,
    etag: Option<&str>,
    dest: &Path,
    opts: &FetchOptions,
) -> Result<Option<Fresh>, FetchError> {
    create_parent(dest)?;
    let Some(download) = client.get_to_file(&source.url, etag, dest)? else {
        return Ok(None);
    };
    let summary = archive::verify(&source.url, dest, opts.max_bytes)?;
    Ok(Some(Fresh {
        download,
        records: summary.files,
        revision: None,
    }))
}

/// The commit an archive was made from: a 40-hex zip comment (GitHub's branch archives), or
/// a top directory named `<repo>-<commit>` (GitHub's commit archives).
pub(crate) fn revision(comment: &str, top: Option<&str>) -> Option<String> {
    let is_commit = |s: &str| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let comment = comment.trim();
    if is_commit(comment) {
        return Some(comment.to_ascii_lowercase());
    }
    top.and_then(|top| top.rsplit_once('-'))
        .map(|(_, suffix)| suffix)
        .filter(|suffix| is_commit(suffix))
        .map(str::to_ascii_lowercase)
}

fn count_markdown(dir: &Path) -> Result<u64, FetchError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(FetchError::io(dir, e)),
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.map_err(|e| FetchError::io(dir, e))?.path();
        if path.is_dir() {
            count += count_markdown(&path)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            count += 1;
        }
    }
    Ok(count)
}

/// Replaces `<cache>/db` by `staging`: the old one is renamed aside, staging renamed in, the
/// old one deleted. If the second rename fails the old one is put back.
fn install(cache: &Path, staging: &Path) -> Result<(), FetchError> {
    let db = cache.join(DB_DIR);
    let old = cache.join(format!("{OLD_PREFIX}{}", std::process::id()));
    let fail = |e: FetchError| {
        let _ = remove_tree(staging);
        e
    };
    remove_tree(&old).map_err(fail)?;
    let had_old = match fs::rename(&db, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(fail(FetchError::io(&db, e))),
    };
    if let Err(e) = fs::rename(staging, &db) {
        if had_old {
            let _ = fs::rename(&old, &db);
        }
        return Err(fail(FetchError::io(&db, e)));
    }
    if had_old {
        // A leftover is harmless: the next fetch removes it.
        let _ = remove_tree(&old);
    }
    Ok(())
}

/// Undoes an interrupted swap: if `db/` is missing but a `db.old-*` exists, that one is the
/// last good database and is put back. Once `db/` exists, leftover `db.old-*` are removed.
fn recover(cache: &Path) -> Result<(), FetchError> {
    let entries = fs::read_dir(cache).map_err(|e| FetchError::io(cache, e))?;
    let mut olds: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(OLD_PREFIX))
        })
        .collect();
    olds.sort();
    let db = cache.join(DB_DIR);
    if !db.exists()
        && let Some(last_good) = olds.pop()
    {
        fs::rename(&last_good, &db).map_err(|e| FetchError::io(&db, e))?;
    }
    for old in olds {
        let _ = remove_tree(&old);
    }
    Ok(())
}

fn create_parent(path: &Path) -> Result<(), FetchError> {
    match path.parent() {
        Some(dir) => fs::create_dir_all(dir).map_err(|e| FetchError::io(dir, e)),
        None => Ok(()),
    }
}

/// OSV ecosystem names become a directory name and a URL path segment.
fn check_ecosystem(name: &str) -> Result<(), FetchError> {
    let bad = name.is_empty()
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| c.is_control() || matches!(c, '/' | '\\'));
    if bad {
        return Err(FetchError::InvalidName {
            kind: "ecosystem",
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// Percent-encodes everything but unreserved characters and `:` (ecosystems such as
/// `Debian:12` or `GitHub Actions`).
fn encode_segment(segment: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn revision_from_comment_or_top_directory() {
        assert_eq!(revision(SHA, Some("advisory-db-main")), Some(SHA.into()));
        assert_eq!(revision(&format!(" {SHA}\n"), None), Some(SHA.into()));
        let top = format!("advisory-db-{SHA}");
        assert_eq!(revision("", Some(&top)), Some(SHA.into()));
        assert_eq!(revision("", Some("advisory-db-main")), None);
        assert_eq!(revision("not a sha", None), None);
    }

    #[test]
    fn ecosystems_become_safe_urls() {
        let opts = FetchOptions {
            ecosystems: vec![
                "crates.io".into(),
                "GitHub Actions".into(),
                "crates.io".into(),
            ],
            ..FetchOptions::default()
        };
        let sources = plan(&opts).unwrap();
        let urls: Vec<_> = sources.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(
            urls[1..],
            [
                "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip",
                "https://osv-vulnerabilities.storage.googleapis.com/GitHub%20Actions/all.zip",
            ]
        );
        assert_eq!(sources[2].path, "osv/GitHub Actions/all.zip");
        for bad in ["", "..", "a/b", "a\\b", ".hidden"] {
            let opts = FetchOptions {
                ecosystems: vec![bad.into()],
                ..FetchOptions::default()
            };
            assert!(matches!(plan(&opts), Err(FetchError::InvalidName { .. })));
        }
    }

    #[test]
    fn recover_puts_back_the_last_good_db() {
        let cache = tempfile::tempdir().unwrap();
        fs::create_dir(cache.path().join("db.old-12")).unwrap();
        fs::write(cache.path().join("db.old-12/manifest.json"), "{}").unwrap();
        recover(cache.path()).unwrap();
        assert!(cache.path().join("db/manifest.json").is_file());
        fs::create_dir(cache.path().join("db.old-13")).unwrap();
        recover(cache.path()).unwrap();
        assert!(!cache.path().join("db.old-13").exists());
    }
}
