//! Yanked versions from the crates.io sparse index, cached per crate with its `ETag`.
//!
//! `<cache>/crates-index/<name>.json` holds the parsed answer, the URL, the `ETag` and when the
//! index last confirmed it. An entry younger than `max_age` is used without a request; an older
//! one is revalidated with `If-None-Match`, and a `304` just renews it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cache::{unix_now, write_atomic};
use crate::http::{Client, check_url};
use crate::options::join_url;
use crate::{FetchError, FetchOptions};

/// Directory of cached index entries inside the cache directory.
pub const CRATES_INDEX_DIR: &str = "crates-index";

#[derive(Debug, Serialize, Deserialize)]
struct CachedEntry {
    url: String,
    etag: Option<String>,
    fetched_at: u64,
    versions: BTreeMap<String, bool>,
}

#[derive(Deserialize)]
struct IndexLine {
    vers: String,
    #[serde(default)]
    yanked: bool,
}

/// Every published version of crate `name` and whether it is yanked, from
/// `{crates_index}/{prefix}/{name}` (cached; see the module docs). A crate the index does not
/// know is [`FetchError::Http`] with status 404.
pub fn yanked_versions(
    cache: &Path,
    name: &str,
    opts: &FetchOptions,
    max_age: Duration,
) -> Result<BTreeMap<String, bool>, FetchError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(FetchError::InvalidName {
            kind: "crate name",
            name: name.to_owned(),
        });
    }
    let lower = name.to_ascii_lowercase();
    let url = join_url(
        &opts.endpoints.crates_index,
        &format!("{}/{lower}", index_prefix(&lower)),
    );
    check_url(&url)?;
    let path = cache.join(CRATES_INDEX_DIR).join(format!("{lower}.json"));
    let cached = read_cached(&path)?.filter(|entry| entry.url == url);
    let now = unix_now();
    if let Some(entry) = &cached
        && Duration::from_secs(now.saturating_sub(entry.fetched_at)) < max_age
    {
        return Ok(entry.versions.clone());
    }

    let etag = cached.as_ref().and_then(|entry| entry.etag.as_deref());
    let entry = match Client::shared(opts).get_bytes(&url, etag)? {
        Some((bytes, download)) => CachedEntry {
            versions: parse_index(&url, &bytes)?,
            url,
            etag: download.etag,
            fetched_at: now,
        },
        None => CachedEntry {
            fetched_at: now,
            ..cached.expect("a 304 only answers a request that sent the cached ETag")
        },
    };
    let json = serde_json::to_vec(&entry).map_err(|source| FetchError::JsonFile {
        path: path.clone(),
        source,
    })?;
    write_atomic(&path, &json)?;
    Ok(entry.versions)
}

/// The sparse index directory of a (lowercase) crate name.
pub(crate) fn index_prefix(name: &str) -> String {
    match name.len() {
        1 => "1".to_owned(),
        2 => "2".to_owned(),
        3 => format!("3/{}", &name[..1]),
        _ => format!("{}/{}", &name[..2], &name[2..4]),
    }
}

/// One JSON object per line; blank lines are skipped.
fn parse_index(url: &str, bytes: &[u8]) -> Result<BTreeMap<String, bool>, FetchError> {
    let mut versions = BTreeMap::new();
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line: IndexLine = serde_json::from_slice(line).map_err(|source| FetchError::Json {
            url: url.to_owned(),
            source,
        })?;
        versions.insert(line.vers, line.yanked);
    }
    Ok(versions)
}

/// A cache entry that cannot be parsed is treated as absent: the next answer replaces it.
fn read_cached(path: &Path) -> Result<Option<CachedEntry>, FetchError> {
    match fs::read(path) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FetchError::io(path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_the_sparse_index_rules() {
        assert_eq!(index_prefix("a"), "1");
        assert_eq!(index_prefix("ab"), "2");
        assert_eq!(index_prefix("abc"), "3/a");
        assert_eq!(index_prefix("serde"), "se/rd");
        assert_eq!(index_prefix("time"), "ti/me");
    }

    #[test]
    fn parses_lines_and_rejects_garbage() {
        let body =
            br#"{"name":"x","vers":"0.1.0","deps":[],"cksum":"00","features":{},"yanked":false}

{"name":"x","vers":"0.2.0","deps":[],"cksum":"00","features":{},"yanked":true}
"#;
        let versions = parse_index("u", body).unwrap();
        assert_eq!(versions.get("0.1.0"), Some(&false));
        assert_eq!(versions.get("0.2.0"), Some(&true));
        assert!(matches!(
            parse_index("u", b"<html>"),
            Err(FetchError::Json { .. })
        ));
    }

    #[test]
    fn names_that_are_not_crate_names_are_refused() {
        let cache = tempfile::tempdir().unwrap();
        for name in ["", "../x", "a/b", "a.b", &"x".repeat(65)] {
            assert!(matches!(
                yanked_versions(cache.path(), name, &FetchOptions::default(), Duration::ZERO),
                Err(FetchError::InvalidName { .. })
            ));
        }
    }
}
