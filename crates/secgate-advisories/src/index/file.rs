//! An index file: a fixed header, then the payload.
//!
//! ```text
//! offset  size  field
//!      0     8  magic "SGADVIDX"
//!      8     4  format version, u32 little-endian (FORMAT_VERSION)
//!     12     4  reserved, zero
//!     16     8  payload length, u64 little-endian
//!     24    32  SHA-256 of the payload
//!     56     …  payload: crate version, key, content hash, source kind, then SourceData
//! ```
//!
//! A file that is short, has another magic or version, a payload of another length or
//! checksum, another writer's crate version, another key or source kind, or bytes that do not
//! decode is not an index of this source: it is ignored and rebuilt, never trusted. Files are
//! written to a temporary name in the same directory and renamed, so a reader sees a whole
//! file or none.

use super::codec::{self, Reader, Writer};
use crate::source::{Leaf, LeafKind, SourceData};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const MAGIC: &[u8; 8] = b"SGADVIDX";
/// Bump when the payload layout or the normalization of records changes.
/// 2: OSV versions carry their ecosystem's line (semver or PEP 440); npm and PyPI are kept.
/// 3: an OSV record without CVSS takes GitHub's `database_specific.severity`.
pub(super) const FORMAT_VERSION: u32 = 3;
const HEADER: usize = 56;

/// What a valid index file holds besides the records.
#[derive(Debug)]
pub(super) struct Contents {
    pub content_sha256: String,
    pub data: SourceData,
}

/// What reading an index file found.
pub(super) enum Found {
    Missing,
    /// Present but not a valid index of this source.
    Invalid,
    Valid(Box<Contents>),
}

/// Reads the index of `leaf` stored under `key` at `path`.
pub(super) fn read(path: &Path, key: &str, leaf: &Leaf) -> io::Result<Found> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(e),
    };
    Ok(parse(&bytes, key, leaf).map_or(Found::Invalid, |c| Found::Valid(Box::new(c))))
}

fn parse(bytes: &[u8], key: &str, leaf: &Leaf) -> Option<Contents> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let length = u64::from_le_bytes(bytes[16..24].try_into().ok()?);
    let payload = &bytes[HEADER..];
    if version != FORMAT_VERSION
        || bytes[12..16] != [0; 4]
        || length != payload.len() as u64
        || Sha256::digest(payload).as_slice() != &bytes[24..HEADER]
    {
        return None;
    }
    parse_payload(payload, key, leaf)
}

/// The payload after its checksum matched; every check is still made, so that no bytes can
/// make decoding panic.
fn parse_payload(payload: &[u8], key: &str, leaf: &Leaf) -> Option<Contents> {
    let mut r = Reader::new(payload);
    if r.str().ok()? != env!("CARGO_PKG_VERSION") || r.str().ok()? != key {
        return None;
    }
    let content_sha256 = r.string().ok()?;
    if r.u8().ok()? != kind_tag(leaf.kind) {
        return None;
    }
    let data = codec::decode(&mut r, &leaf.path).ok()?;
    r.at_end().then_some(Contents {
        content_sha256,
        data,
    })
}

/// The bytes of an index file; `None` when the source cannot be indexed (see
/// [`codec::encode`]).
pub(super) fn encode(
    key: &str,
    content_sha256: &str,
    leaf: &Leaf,
    data: &SourceData,
) -> Option<Vec<u8>> {
    let mut w = Writer::default();
    w.str(env!("CARGO_PKG_VERSION"));
    w.str(key);
    w.str(content_sha256);
    w.u8(kind_tag(leaf.kind));
    codec::encode(&mut w, &leaf.path, data)?;
    let payload = w.bytes;
    let mut bytes = Vec::with_capacity(HEADER + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&[0; 4]);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&Sha256::digest(&payload));
    bytes.extend_from_slice(&payload);
    Some(bytes)
}

fn kind_tag(kind: LeafKind) -> u8 {
    match kind {
        LeafKind::Rustsec => 1,
        LeafKind::OsvTree => 2,
        LeafKind::OsvZip => 3,
    }
}

/// A temporary file next to `path`, created before the work whose result it will hold so that
/// an unwritable directory is found out first; [`Pending::commit`] renames it into place and
/// dropping it uncommitted removes it.
pub(super) struct Pending {
    tmp: PathBuf,
    file: Option<fs::File>,
    target: PathBuf,
    committed: bool,
}

/// Distinguishes the temporary files of threads of one process.
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

/// The suffix of temporary files (`<key>.idx.tmp-<pid>-<n>`).
pub(super) const TMP_MARK: &str = ".tmp-";

impl Pending {
    pub fn create(target: &Path) -> io::Result<Pending> {
        let dir = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
        let mut name = target.file_name().unwrap_or_default().to_owned();
        name.push(format!(
            "{TMP_MARK}{}-{}",
            std::process::id(),
            NEXT_TMP.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = dir.join(name);
        let file = fs::File::create_new(&tmp)?;
        Ok(Pending {
            tmp,
            file: Some(file),
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub fn commit(mut self, bytes: &[u8]) -> io::Result<()> {
        let mut file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("written twice"))?;
        file.write_all(bytes)?;
        drop(file);
        fs::rename(&self.tmp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{self, LeafKind};

    /// A RustSec tree and an OSV directory with every kind of value the payload holds.
    fn sample(root: &Path) -> Vec<(Leaf, SourceData)> {
        let krate = root.join("rustsec/crates/a");
        fs::create_dir_all(&krate).unwrap();
        fs::write(
            krate.join("RUSTSEC-2099-0002.md"),
            "```toml\n[advisory]\nid = \"RUSTSEC-2099-0002\"\npackage = \"a\"\n\
             date = \"2024-01-01\"\naliases = [\"CVE-2099-0002\"]\ninformational = \"unsound\"\n\
             cvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N\"\n\
             url = \"https://example.invalid/a\"\n\n[versions]\n\
             patched = [\">= 1.2.3-rc.1, < 2.0.0\", \">= 2.1.0\"]\nunaffected = [\"< 0.5.0\"]\n\
             ```\n\n# A title\n",
        )
        .unwrap();
        fs::write(krate.join("RUSTSEC-2099-0001.md"), "not a record").unwrap();
        let osv = root.join("osv");
        fs::create_dir_all(&osv).unwrap();
        fs::write(
            osv.join("GHSA-1.json"),
            r#"{"id": "GHSA-1", "modified": "2024-05-01T10:00:00.5Z", "aliases": ["CVE-1"],
                "withdrawn": "2024-06-01T00:00:00Z", "severity": [{"type": "CVSS_V3",
                "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
                "affected": [{"package": {"ecosystem": "crates.io", "name": "a"},
                "versions": ["1.0.0", "not-semver"], "database_specific": {"informational": "unsound"},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0-rc.1+b"},
                {"last_affected": "0.5.0"}, {"limit": "*"}]}]}]}"#,
        )
        .unwrap();
        fs::write(osv.join("GHSA-2.json"), "{").unwrap();
        let leaves = [
            (root.join("rustsec"), LeafKind::Rustsec, Vec::new()),
            (
                osv.clone(),
                LeafKind::OsvTree,
                crate::osv::json_files(&osv).unwrap(),
            ),
        ];
        leaves
            .into_iter()
            .map(|(path, kind, files)| {
                let leaf = Leaf { path, kind, files };
                let data = source::load(&leaf, None).unwrap();
                (leaf, data)
            })
            .collect()
    }

    #[test]
    fn a_file_round_trips() {
        let tmp = tempfile::tempdir().unwrap();
        for (leaf, data) in sample(tmp.path()) {
            assert_eq!(data.bad.len(), 1);
            assert_eq!(data.rustsec.len() + data.osv.len(), 1);
            let bytes = encode("k", "c", &leaf, &data).unwrap();
            let back = parse(&bytes, "k", &leaf).unwrap();
            assert_eq!(back.data, data);
            assert_eq!(back.content_sha256, "c");
            assert!(parse(&bytes, "other key", &leaf).is_none());
        }
    }

    #[test]
    fn every_truncation_and_byte_change_is_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        for (leaf, data) in sample(tmp.path()) {
            let bytes = encode("k", "c", &leaf, &data).unwrap();
            for len in 0..bytes.len() {
                assert!(parse(&bytes[..len], "k", &leaf).is_none(), "{len}");
            }
            for i in 0..bytes.len() {
                let mut changed = bytes.clone();
                changed[i] ^= 0x40;
                assert!(parse(&changed, "k", &leaf).is_none(), "{i}");
            }
        }
    }

    #[test]
    fn no_payload_makes_decoding_panic() {
        // The checksum stops damage first; behind it, the decoder must still hold on its own.
        let tmp = tempfile::tempdir().unwrap();
        for (leaf, data) in sample(tmp.path()) {
            let bytes = encode("k", "c", &leaf, &data).unwrap();
            let payload = &bytes[HEADER..];
            for len in 0..payload.len() {
                assert!(parse_payload(&payload[..len], "k", &leaf).is_none());
            }
            for i in 0..payload.len() {
                for x in [0x01, 0x7f, 0x80, 0xff] {
                    let mut changed = payload.to_vec();
                    changed[i] ^= x;
                    let _ = parse_payload(&changed, "k", &leaf);
                }
            }
        }
    }
}
