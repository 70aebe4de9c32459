//! One source of records — a RustSec checkout, a directory of OSV records, an OSV archive —
//! loaded whole or for some packages into its normalized form, [`SourceData`]: what the direct
//! load produces and what an advisory index file stores.

use crate::entry::{OsvEntry, RustsecEntry};
use crate::layout::Layout;
use crate::listing::RecordFile;
use crate::{BadRecord, DbError, SourceKind, osv, rustsec_dir};
use std::collections::HashSet;
use std::path::PathBuf;

/// The kinds of [`Leaf`]: the [`SourceKind`]s that are paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafKind {
    Rustsec,
    OsvTree,
    OsvZip,
}

impl LeafKind {
    pub(crate) fn source_kind(self) -> SourceKind {
        match self {
            LeafKind::Rustsec => SourceKind::Rustsec,
            LeafKind::OsvTree => SourceKind::OsvTree,
            LeafKind::OsvZip => SourceKind::OsvZip,
        }
    }
}

/// A source found in the layout of a `--db` path.
#[derive(Clone, Debug)]
pub(crate) struct Leaf {
    /// Absolute: the checkout, the ecosystem directory, or the archive.
    pub path: PathBuf,
    pub kind: LeafKind,
    /// For an OSV directory, its `*.json` files, sorted, as listed when its layout was read.
    pub files: Vec<RecordFile>,
}

impl Leaf {
    /// The sources of a detected layout, in load order; `abs` is the path of a RustSec layout.
    pub(crate) fn all(abs: PathBuf, layout: Layout) -> Vec<Leaf> {
        match layout {
            Layout::Rustsec => vec![Leaf {
                path: abs,
                kind: LeafKind::Rustsec,
                files: Vec::new(),
            }],
            Layout::Osv { dirs, archives } => dirs
                .into_iter()
                .map(|(path, files)| Leaf {
                    path,
                    kind: LeafKind::OsvTree,
                    files,
                })
                .chain(archives.into_iter().map(|path| Leaf {
                    path,
                    kind: LeafKind::OsvZip,
                    files: Vec::new(),
                }))
                .collect(),
        }
    }
}

/// What one source holds, normalized.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SourceData {
    /// RustSec: crate directories under `crates/`, read or not.
    pub crates: usize,
    /// OSV: records that parsed, of every ecosystem.
    pub records: usize,
    /// OSV: of those, records about no matched ecosystem (counted, not kept).
    pub other_ecosystems: usize,
    /// RustSec advisories, each with the `crates/` directory it was read from.
    pub rustsec: Vec<(String, RustsecEntry)>,
    /// OSV records about a matched ecosystem.
    pub osv: Vec<OsvEntry>,
    /// Records that failed to parse.
    pub bad: Vec<BadRecord>,
}

/// Parses `leaf`; with `only`, a RustSec checkout is read just for those crates (OSV sources
/// are always read whole: their file names are ids, not packages).
pub(crate) fn load(leaf: &Leaf, only: Option<&HashSet<&str>>) -> Result<SourceData, DbError> {
    let loaded = match leaf.kind {
        LeafKind::Rustsec => {
            let loaded = rustsec_dir::load(&leaf.path, only)?;
            return Ok(SourceData {
                crates: loaded.crates,
                rustsec: loaded.advisories,
                bad: loaded.bad,
                ..SourceData::default()
            });
        }
        LeafKind::OsvTree => osv::load_files(&leaf.files)?,
        LeafKind::OsvZip => osv::load_archive(&leaf.path)?,
    };
    Ok(from_osv(loaded))
}

/// Normalizes records that came as bytes (from the OSV API).
pub(crate) fn from_osv(loaded: osv::Loaded) -> SourceData {
    let records = loaded.records.len();
    let osv: Vec<OsvEntry> = loaded.records.iter().filter_map(OsvEntry::new).collect();
    SourceData {
        records,
        other_ecosystems: records - osv.len(),
        osv,
        bad: loaded.bad,
        ..SourceData::default()
    }
}
