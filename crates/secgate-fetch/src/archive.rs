//! Zip archives: integrity check of every entry, and extraction that refuses to write outside
//! the target directory.
//!
//! The zip reader checks each entry's CRC-32 when the entry has been read to its end, so reading
//! every entry is what proves an archive intact; a truncated or corrupted download fails here
//! and is never installed.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use zip::ZipArchive;
use zip::result::ZipError;

use crate::FetchError;

/// Extracted data may be at most this many times the download cap (guards against zip bombs).
const EXPANSION_FACTOR: u64 = 16;

/// What an archive holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ZipSummary {
    /// Regular file entries.
    pub files: u64,
    /// The archive comment (GitHub puts the commit SHA of a branch archive there).
    pub comment: String,
    /// The single top directory, for [`extract_under_root`].
    pub top: Option<String>,
}

/// Opens the zip at `path` and reads every entry to its end, checking CRCs.
pub(crate) fn verify(url: &str, path: &Path, max_bytes: u64) -> Result<ZipSummary, FetchError> {
    let mut archive = open(url, path)?;
    let mut summary = ZipSummary {
        comment: String::from_utf8_lossy(archive.comment()).into_owned(),
        ..ZipSummary::default()
    };
    let mut budget = Budget::new(url, max_bytes);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| bad(url, e))?;
        if entry.is_file() {
            summary.files += 1;
        }
        copy_entry(url, &mut entry, &mut io::sink(), &mut budget, path)?;
    }
    Ok(summary)
}

/// Extracts a zip whose entries all sit under one top directory (`advisory-db-main/...`) into
/// `dest`, dropping that directory. Entries with absolute paths, `..` components, backslashes,
/// drive prefixes, or that are symlinks are refused; every entry is read to its end, so the CRC
/// of each is checked.
pub(crate) fn extract_under_root(
    url: &str,
    path: &Path,
    dest: &Path,
    max_bytes: u64,
) -> Result<ZipSummary, FetchError> {
    let mut archive = open(url, path)?;
    let mut summary = ZipSummary {
        comment: String::from_utf8_lossy(archive.comment()).into_owned(),
        ..ZipSummary::default()
    };
    let mut budget = Budget::new(url, max_bytes);
    fs::create_dir_all(dest).map_err(|e| FetchError::io(dest, e))?;
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| bad(url, e))?;
        let name = entry.name().map_err(|e| bad(url, e))?.into_owned();
        let unsafe_entry = |reason| FetchError::UnsafeEntry {
            url: url.to_owned(),
            entry: name.clone(),
            reason,
        };
        if entry.is_symlink() {
            return Err(unsafe_entry("symbolic links are not extracted"));
        }
        let components = safe_components(&name).map_err(unsafe_entry)?;
        let Some((top, rest)) = components.split_first() else {
            continue;
        };
        match &summary.top {
            Some(seen) if seen != top => return Err(not_one_root(url)),
            Some(_) => {}
            None => summary.top = Some((*top).to_owned()),
        }
        if rest.is_empty() {
            if entry.is_dir() {
                continue;
            }
            return Err(not_one_root(url));
        }
        let target = rest.iter().fold(dest.to_path_buf(), |p, c| p.join(c));
        if entry.is_dir() {
            fs::create_dir_all(&target).map_err(|e| FetchError::io(&target, e))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| FetchError::io(parent, e))?;
        }
        let file = match File::create_new(&target) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(unsafe_entry("the path appears twice in the archive"));
            }
            other => other.map_err(|e| FetchError::io(&target, e))?,
        };
        let mut out = BufWriter::new(file);
        copy_entry(url, &mut entry, &mut out, &mut budget, &target)?;
        out.flush().map_err(|e| FetchError::io(&target, e))?;
        summary.files += 1;
    }
    if summary.top.is_none() {
        return Err(FetchError::UnexpectedLayout {
            url: url.to_owned(),
            reason: "the archive is empty",
        });
    }
    Ok(summary)
}

/// Splits an entry name into path components, refusing anything that could leave the target
/// directory. `.` and empty components (trailing `/` of directories) are dropped.
pub(crate) fn safe_components(name: &str) -> Result<Vec<&str>, &'static str> {
    if name.contains('\0') {
        return Err("the name contains a NUL byte");
    }
    if name.contains('\\') {
        return Err("the name contains a backslash");
    }
    if name.starts_with('/') {
        return Err("the path is absolute");
    }
    let mut components = Vec::new();
    for component in name.split('/') {
        match component {
            "" | "." => {}
            ".." => return Err("the path has a `..` component"),
            c if c.contains(':') => return Err("the path has a drive or stream prefix"),
            c => components.push(c),
        }
    }
    Ok(components)
}

fn open(url: &str, path: &Path) -> Result<ZipArchive<io::BufReader<File>>, FetchError> {
    let file = File::open(path).map_err(|e| FetchError::io(path, e))?;
    ZipArchive::new(io::BufReader::new(file)).map_err(|e| bad(url, e))
}

/// Counts extracted bytes against `max_bytes * EXPANSION_FACTOR`.
struct Budget<'a> {
    url: &'a str,
    limit: u64,
    used: u64,
}

impl<'a> Budget<'a> {
    fn new(url: &'a str, max_bytes: u64) -> Self {
        Self {
            url,
            limit: max_bytes.saturating_mul(EXPANSION_FACTOR),
            used: 0,
        }
    }

    fn take(&mut self, n: usize) -> Result<(), FetchError> {
        self.used += n as u64;
        if self.used > self.limit {
            return Err(FetchError::TooLarge {
                url: self.url.to_owned(),
                limit: self.limit,
            });
        }
        Ok(())
    }
}

/// Reads one entry to its end (which makes the zip reader check its CRC) into `out`.
fn copy_entry(
    url: &str,
    entry: &mut impl Read,
    out: &mut impl Write,
    budget: &mut Budget<'_>,
    out_path: &Path,
) -> Result<(), FetchError> {
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(bad(url, ZipError::Io(e))),
        };
        budget.take(n)?;
        out.write_all(&buf[..n])
            .map_err(|e| FetchError::io(out_path, e))?;
    }
}

fn bad(url: &str, source: ZipError) -> FetchError {
    FetchError::BadArchive {
        url: url.to_owned(),
        source,
    }
}

fn not_one_root(url: &str) -> FetchError {
    FetchError::UnexpectedLayout {
        url: url.to_owned(),
        reason: "the entries are not all under one top directory",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use zip::write::SimpleFileOptions;

    fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_flipped_byte_in_stored_data_fails_the_crc_check() {
        let content = b"RUSTSEC-2016-0001 advisory body";
        let mut bytes = stored_zip(&[("a.json", content)]);
        let at = bytes
            .windows(content.len())
            .position(|w| w == content)
            .unwrap();
        bytes[at + 3] ^= 1;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.zip");
        fs::write(&path, &bytes).unwrap();
        let err = verify("u", &path, 1 << 20).unwrap_err();
        assert!(matches!(err, FetchError::BadArchive { .. }), "{err:?}");
    }

    #[test]
    fn extracts_under_the_top_directory() {
        let bytes = stored_zip(&[
            ("top/crates/a/R-1.md", b"one"),
            ("top/./README.md", b"readme"),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        fs::write(&path, &bytes).unwrap();
        let dest = dir.path().join("out");
        let summary = extract_under_root("u", &path, &dest, 1 << 20).unwrap();
        assert_eq!(summary.top.as_deref(), Some("top"));
        assert_eq!(summary.files, 2);
        assert_eq!(fs::read(dest.join("crates/a/R-1.md")).unwrap(), b"one");
        assert_eq!(fs::read(dest.join("README.md")).unwrap(), b"readme");

        // The expansion budget is a multiple of the download cap.
        let err = extract_under_root("u", &path, &dir.path().join("small"), 0).unwrap_err();
        assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
    }

    #[test]
    fn safe_names_split() {
        assert_eq!(
            safe_components("advisory-db-main/crates/a/RUSTSEC-1.md"),
            Ok(vec!["advisory-db-main", "crates", "a", "RUSTSEC-1.md"])
        );
        assert_eq!(safe_components("top/./dir/"), Ok(vec!["top", "dir"]));
    }

    #[test]
    fn escaping_names_are_refused() {
        for name in [
            "top/../../etc/passwd",
            "../x",
            "/etc/passwd",
            "top\\..\\x",
            "C:/windows/x",
            "top/a:stream",
            "top/\0",
        ] {
            assert!(safe_components(name).is_err(), "{name}");
        }
    }
}
