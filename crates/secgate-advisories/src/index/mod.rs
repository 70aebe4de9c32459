//! Prebuilt advisory indexes: one file per source holding its records already parsed and
//! normalized ([`crate::source::SourceData`]), so that a warm audit reads one file per source
//! instead of thousands of records.
//!
//! An index lives at `<dir>/<key>.idx`. The key is a content hash of the source: for data
//! `db fetch` downloaded, the SHA-256 its manifest records for that source (given with
//! [`AdvisoryIndex::with_content_key`], so nothing is hashed on each run); for any other path,
//! a fingerprint of its record files' names, sizes and times (see `fingerprint` for what that
//! does not notice), with the full content hash computed when the index is built stored
//! inside. When the source changes its key changes, and the index is built again on first use.
//!
//! Reading is defensive: a missing, truncated, corrupt or foreign index file (another format
//! version or secgate version, another key) is rebuilt, never trusted and never a panic (see
//! `file`). When an index cannot be used at all (the directory is not writable, a name is not
//! UTF-8, a file cannot be listed), the records are parsed directly, as without an index; the
//! database is the same either way.

mod codec;
mod file;
mod fingerprint;

use crate::source::{self, Leaf, LeafKind, SourceData};
use crate::{DbError, layout};
use file::{Found, Pending};
use fingerprint::{Fingerprint, Listing};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The file name extension of index files.
const EXTENSION: &str = "idx";

/// Index files and leftovers of interrupted writes not modified for this long are removed when
/// another index is written: data replaced by a newer fetch or edit leaves its index behind.
const PRUNE_AFTER: Duration = Duration::from_secs(30 * 86_400);

/// How a source's records were read in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexUse {
    /// Parsed from the records: no index directory was given, or the source is the OSV API.
    Off,
    /// Read from the source's index.
    Read,
    /// Parsed in full, and the index written for the next run (it was missing, stale or
    /// invalid).
    Built,
    /// Parsed from the records: the index could not be used or written (see the module docs).
    Unavailable,
}

/// Why an index could not be built.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The source could not be loaded.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The record files of the source could not be listed.
    #[error("cannot list the records of `{}`", path.display())]
    List {
        /// The source.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The index file could not be written.
    #[error("cannot write the advisory index `{}`", path.display())]
    Write {
        /// The index file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The source changed while it was read; the next run indexes it again.
    #[error("`{}` changed while it was indexed", path.display())]
    Changed {
        /// The source.
        path: PathBuf,
    },
    /// The path holds several sources (an OSV tree of several ecosystems) or names that are
    /// not UTF-8; each source has its own index.
    #[error("`{}` cannot be indexed as one source", path.display())]
    NotIndexable {
        /// The path.
        path: PathBuf,
    },
}

/// The state of one source's index file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexStatus {
    /// Where the index of the source is (or would be).
    pub file: PathBuf,
    /// Whether it is there and valid.
    pub state: IndexState,
}

/// Whether an index file is there and usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexState {
    /// Valid for the source as it is now.
    Present {
        /// File size in bytes.
        bytes: u64,
        /// The content hash of the data it was built from.
        content_sha256: String,
    },
    /// Not built yet (or removed).
    Missing,
    /// There but not usable: it is rebuilt on next use.
    Invalid {
        /// File size in bytes.
        bytes: u64,
    },
}

/// Where prebuilt indexes are kept and how sources are keyed; see the module docs.
#[derive(Clone, Debug)]
pub struct AdvisoryIndex {
    dir: PathBuf,
    content_keys: Vec<(PathBuf, String)>,
    direct_rustsec: bool,
}

/// How a source is keyed.
enum Key {
    /// Known from the fetch manifest.
    Content(String),
    Fingerprint(Fingerprint),
}

impl Key {
    fn name(&self) -> &str {
        match self {
            Key::Content(sha) => sha,
            Key::Fingerprint(fp) => &fp.key,
        }
    }
}

/// What finding or building an index gave.
enum Opened {
    Read(SourceData),
    Built(SourceData),
    /// Parsed in full, but the index was not saved.
    NotSaved(SourceData, IndexError),
}

impl AdvisoryIndex {
    /// Indexes kept in `dir` (`<cache>/index`), created when first needed.
    pub fn new(dir: impl Into<PathBuf>) -> AdvisoryIndex {
        AdvisoryIndex {
            dir: dir.into(),
            content_keys: Vec::new(),
            direct_rustsec: false,
        }
    }

    /// For an audit of some packages, reads a RustSec tree that has no content key (a `--db`
    /// path) directly instead of through its index: its per-crate directories make that
    /// cheaper than fingerprinting every record file. Fetched trees keep using their index.
    #[must_use]
    pub fn with_direct_rustsec_trees(mut self) -> AdvisoryIndex {
        self.direct_rustsec = true;
        self
    }

    /// Keys the source at `source` (a fetched RustSec tree or OSV archive) by `sha256`, the
    /// lowercase hex SHA-256 its fetch recorded, instead of by a fingerprint of its files. A
    /// value that is not 64 hex digits is ignored.
    #[must_use]
    pub fn with_content_key(mut self, source: &Path, sha256: &str) -> AdvisoryIndex {
        let sha = sha256.to_ascii_lowercase();
        if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            let path = std::path::absolute(source).unwrap_or_else(|_| source.to_path_buf());
            self.content_keys.push((path, sha));
        }
        self
    }

    /// The directory of the index files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The records of `leaf`, from its index when it can be used, else parsed (for `only`
    /// when given): the same data either way.
    pub(crate) fn load(
        &self,
        leaf: &Leaf,
        only: Option<&HashSet<&str>>,
    ) -> Result<(SourceData, IndexUse), DbError> {
        // A RustSec tree keeps each crate's advisories in its own directory: reading the locked
        // crates' directories costs less than the fingerprint of every record file a `--db`
        // tree's index needs. Fetched trees (content-keyed, nothing to stat) still use theirs.
        let content_keyed = self.content_keys.iter().any(|(p, _)| *p == leaf.path);
        if self.direct_rustsec && leaf.kind == LeafKind::Rustsec && only.is_some() && !content_keyed
        {
            return Ok((source::load(leaf, only)?, IndexUse::Off));
        }
        match self.open(leaf) {
            Ok(Opened::Read(data)) => Ok((data, IndexUse::Read)),
            Ok(Opened::Built(data)) => Ok((data, IndexUse::Built)),
            Ok(Opened::NotSaved(data, _)) => Ok((data, IndexUse::Unavailable)),
            // Parsing in full failed or the directory is not writable: the direct load reads
            // only what the audit needs, and its error, if any, is the real one.
            Err(_) => Ok((source::load(leaf, only)?, IndexUse::Unavailable)),
        }
    }

    /// Builds the index of the single source at `source` unless a valid one is there; for
    /// `db fetch`.
    pub fn build(&self, source: &Path) -> Result<IndexStatus, IndexError> {
        let leaf = single_leaf(source)?;
        match self.open(&leaf)? {
            Opened::Read(_) | Opened::Built(_) => self.status_of(&leaf),
            Opened::NotSaved(_, e) => Err(e),
        }
    }

    /// The state of the index of the single source at `source`; for `db status`.
    pub fn status(&self, source: &Path) -> Result<IndexStatus, IndexError> {
        self.status_of(&single_leaf(source)?)
    }

    /// Removes the index of data `db fetch` recorded with `sha256` (data it just replaced).
    pub fn discard(&self, sha256: &str) {
        if sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            let _ = std::fs::remove_file(self.file(&sha256.to_ascii_lowercase()));
        }
    }

    fn status_of(&self, leaf: &Leaf) -> Result<IndexStatus, IndexError> {
        let key = self.key(leaf)?;
        let file = self.file(key.name());
        let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
        let state = match file::read(&file, key.name(), leaf) {
            Ok(Found::Valid(c)) => IndexState::Present {
                bytes,
                content_sha256: c.content_sha256,
            },
            Ok(Found::Missing) => IndexState::Missing,
            Ok(Found::Invalid) | Err(_) => IndexState::Invalid { bytes },
        };
        Ok(IndexStatus { file, state })
    }

    fn file(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.{EXTENSION}"))
    }

    fn key(&self, leaf: &Leaf) -> Result<Key, IndexError> {
        if let Some((_, sha)) = self.content_keys.iter().find(|(p, _)| *p == leaf.path) {
            return Ok(Key::Content(sha.clone()));
        }
        fingerprint::fingerprint(leaf, Listing::Layout)
            .map(Key::Fingerprint)
            .map_err(|source| IndexError::List {
                path: leaf.path.clone(),
                source,
            })
    }

    fn open(&self, leaf: &Leaf) -> Result<Opened, IndexError> {
        let write = |path: &Path| {
            let path = path.to_path_buf();
            move |source| IndexError::Write { path, source }
        };
        // An index directory that cannot exist costs nothing more: no source is listed.
        std::fs::create_dir_all(&self.dir).map_err(write(&self.dir))?;
        let key = self.key(leaf)?;
        let path = self.file(key.name());
        if let Ok(Found::Valid(contents)) = file::read(&path, key.name(), leaf) {
            return Ok(Opened::Read(contents.data));
        }
        // Found out before parsing everything whether the index can be written at all.
        let pending = Pending::create(&path).map_err(write(&path))?;
        let data = source::load(leaf, None)?;
        let content_sha256 = match &key {
            Key::Content(sha) => sha.clone(),
            Key::Fingerprint(fp) => match fingerprint::content_hash(leaf, fp) {
                Ok(sha) => sha,
                Err(source) => {
                    let path = leaf.path.clone();
                    return Ok(Opened::NotSaved(data, IndexError::List { path, source }));
                }
            },
        };
        // A source that changed while it was read would be saved under its old key.
        if let Key::Fingerprint(before) = &key
            && fingerprint::fingerprint(leaf, Listing::Fresh)
                .ok()
                .is_none_or(|after| after.key != before.key)
        {
            let path = leaf.path.clone();
            return Ok(Opened::NotSaved(data, IndexError::Changed { path }));
        }
        let Some(bytes) = file::encode(key.name(), &content_sha256, leaf, &data) else {
            let path = leaf.path.clone();
            return Ok(Opened::NotSaved(data, IndexError::NotIndexable { path }));
        };
        if let Err(e) = pending.commit(&bytes) {
            return Ok(Opened::NotSaved(data, write(&path)(e)));
        }
        prune(&self.dir, &path);
        Ok(Opened::Built(data))
    }
}

/// The one source at `path`.
fn single_leaf(path: &Path) -> Result<Leaf, IndexError> {
    let abs = std::path::absolute(path).map_err(|source| IndexError::List {
        path: path.to_path_buf(),
        source,
    })?;
    let mut leaves = Leaf::all(abs.clone(), layout::detect(&abs, path)?);
    match (leaves.pop(), leaves.is_empty()) {
        (Some(leaf), true) => Ok(leaf),
        _ => Err(IndexError::NotIndexable {
            path: path.to_path_buf(),
        }),
    }
}

/// Removes old index files and temporary files of `dir`, but never `keep`; errors are ignored
/// (another process may be pruning too).
fn prune(dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.ends_with(&format!(".{EXTENSION}")) || name.contains(file::TMP_MARK);
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > PRUNE_AFTER));
        if ours && old && path != keep {
            let _ = std::fs::remove_file(path);
        }
    }
}
