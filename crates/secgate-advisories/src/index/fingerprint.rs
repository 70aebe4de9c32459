//! Keys of sources that `db fetch` did not record (`--db` paths): a cheap fingerprint of the
//! record files to find the index, and the full content hash stored in it when it is built.
//!
//! The fingerprint is a SHA-256 over the sorted paths of the source's record files relative to
//! it (RustSec: `crates/*/*.md`, plus the number of crate directories; an OSV directory: its
//! `*.json` files; an archive: the file itself), each with its size, modification time in
//! nanoseconds and, on Unix, inode change time. It costs one `stat` per file and no read, so it
//! is computed on every run; hashing every byte on every run would cost as much as the parse
//! the index saves.
//!
//! The trade-off: a record file rewritten with the same size and the same timestamps is not
//! noticed, and the old index is used until something else in the source changes. Setting
//! the modification time back (`touch -d`, `cp -p`, `rsync -t`) is not enough on Unix, where
//! the change time cannot be set back; it takes a rewrite of the same size within the file
//! system's timestamp granularity of the previous one. The fetched databases are keyed by the
//! SHA-256 of their download instead, and have no such gap.
//!
//! The content hash, computed once when the index is built and stored in it, is a SHA-256 over
//! the same list (path, size, modification time) and every file's bytes.

use crate::listing::{RecordFile, Stamp};
use crate::source::{Leaf, LeafKind};
use crate::{osv, rustsec_dir};
use sha2::{Digest, Sha256};
use std::fs;
use std::io;

/// The files of a source as they were listed, and the key they hash to.
#[derive(Debug)]
pub(super) struct Fingerprint {
    pub key: String,
    files: Vec<RecordFile>,
}

/// When to list the files of an OSV directory.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    /// Use the listing the layout was detected from, moments ago.
    Layout,
    /// List again (to see whether the source changed while it was read).
    Fresh,
}

/// Lists the record files of `leaf` with their stamps and hashes them.
pub(super) fn fingerprint(leaf: &Leaf, listing: Listing) -> io::Result<Fingerprint> {
    let other = |e: crate::DbError| io::Error::other(e.to_string());
    let mut hasher = Sha256::new();
    hasher.update(b"secgate-advisory-index\0fingerprint\0");
    let files = match leaf.kind {
        LeafKind::Rustsec => {
            let (files, crates) =
                rustsec_dir::list_records(&leaf.path.join("crates"), None).map_err(other)?;
            hasher.update(b"rustsec\0");
            hasher.update((crates as u64).to_le_bytes());
            files
        }
        LeafKind::OsvTree => {
            hasher.update(b"osv-tree\0");
            match listing {
                Listing::Layout => leaf.files.clone(),
                Listing::Fresh => osv::json_files(&leaf.path).map_err(other)?,
            }
        }
        LeafKind::OsvZip => {
            hasher.update(b"osv-zip\0");
            vec![RecordFile {
                path: leaf.path.clone(),
                stamp: Stamp::of(&fs::metadata(&leaf.path)?),
            }]
        }
    };
    let root = leaf.path.as_os_str().len();
    for file in &files {
        // The path below the source, as the platform encodes it: hashed, never decoded.
        let rel = file.path.as_os_str().as_encoded_bytes();
        hasher.update(rel.get(root..).unwrap_or(rel));
        hasher.update([0]);
        hasher.update(file.stamp.size.to_le_bytes());
        hasher.update(file.stamp.modified.to_le_bytes());
        hasher.update(file.stamp.changed.to_le_bytes());
    }
    Ok(Fingerprint {
        key: hex(&hasher.finalize()),
        files,
    })
}

/// SHA-256 over the fingerprint's list (relative path, size, modification time) and the bytes
/// of every file.
pub(super) fn content_hash(leaf: &Leaf, fp: &Fingerprint) -> io::Result<String> {
    let mut hasher = Sha256::new();
    hasher.update(b"secgate-advisory-index\0content\0");
    for file in &fp.files {
        let rel = super::codec::relative(&leaf.path, &file.path).unwrap_or_default();
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(file.stamp.size.to_le_bytes());
        hasher.update(file.stamp.modified.to_le_bytes());
        hasher.update(fs::read(&file.path)?);
    }
    Ok(hex(&hasher.finalize()))
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
