//! The loaded advisory database: every good record indexed by package, the records that failed
//! to parse, and what each source held.
//!
//! Sources are RustSec advisory-db checkouts and OSV trees, ecosystem directories and archives
//! (the kind of each path is detected from its layout), in any number and mix. The same
//! record given twice counts once: a RustSec id seen again in another checkout is skipped, and
//! of two OSV records with one id the later `modified` is kept. A RustSec record and its OSV
//! export are both kept; [`crate::check`] merges their findings.

use crate::entry::{OsvEntry, RustsecEntry};
use crate::index::{AdvisoryIndex, IndexUse};
use crate::source::{self, Leaf, LeafKind, SourceData};
use crate::{DbError, layout, osv, rustsec_dir};
use secgate_core::Ecosystem;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The kind of a database source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A RustSec advisory-db checkout (`crates/<name>/RUSTSEC-*.md`).
    Rustsec,
    /// A directory of OSV records, one `*.json` file each (`osv/crates.io/`).
    OsvTree,
    /// An OSV zip archive, one record per entry (`<Ecosystem>/all.zip`).
    OsvZip,
    /// Records fetched from the OSV API for this run's packages.
    OsvApi,
}

/// One directory or archive the database was loaded from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseSource {
    /// Absolute path: the checkout, the ecosystem directory, or the archive.
    pub path: PathBuf,
    /// Its layout.
    pub kind: SourceKind,
    /// Records read from it that parsed. A RustSec checkout opened for some packages reads
    /// only their directories; OSV sources are always read whole.
    pub records: usize,
    /// Of those, OSV records about no ecosystem secgate matches (neither crates.io, npm nor
    /// PyPI): counted, not kept.
    pub other_ecosystems: usize,
    /// Records that failed to parse (each is in [`Database::bad_records`]).
    pub bad_records: usize,
    /// Whether the records came from the source's prebuilt index.
    pub index: IndexUse,
    /// For OSV sources: the latest `modified` of the records secgate matches, whichever
    /// packages were asked for — how current the data is. `None` for RustSec checkouts (see
    /// [`crate::newest_rustsec_date`]) and for sources with no such record.
    pub newest: Option<jiff::Timestamp>,
}

/// A record that could not be parsed; the rest of the database is still used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    /// Absolute path of the record file, or of the archive holding it.
    pub path: PathBuf,
    /// The record's entry name when it is inside an archive.
    pub entry: Option<String>,
    /// 1-based line of the problem in the record when the parser locates it, else 1.
    pub line: u32,
    /// 1-based column, as `line`.
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

/// Advisories from every source, indexed by package.
#[derive(Debug, Default)]
pub struct Database {
    advisories: Vec<RustsecEntry>,
    by_package: HashMap<String, Vec<usize>>,
    osv: Vec<OsvEntry>,
    /// OSV ecosystem → package name → indices into `osv`.
    osv_by_package: HashMap<String, HashMap<String, Vec<usize>>>,
    /// Records that failed to parse.
    pub bad_records: Vec<BadRecord>,
    /// Where the records came from, in load order.
    pub sources: Vec<DatabaseSource>,
}

impl Database {
    /// Loads every record of every path in `dirs`; the kind of each is detected from its
    /// layout.
    pub fn open(dirs: &[PathBuf]) -> Result<Database, DbError> {
        Self::open_indexed(dirs, None, None)
    }

    /// Loads only the records about the packages named in `packages`. RustSec keeps each
    /// crate's advisories in `crates/<name>/`, so a lockfile's audit reads the few hundred
    /// records that can match instead of the whole database; a bad record about another crate
    /// cannot affect the result and is not reported. OSV records are all parsed (their file
    /// names are ids, not packages) and only those about these packages are kept.
    pub fn open_for_packages(
        dirs: &[PathBuf],
        packages: &HashSet<&str>,
    ) -> Result<Database, DbError> {
        Self::open_indexed(dirs, Some(packages), None)
    }

    /// Loads the records of `dirs` (about `packages` only, when given) through the prebuilt
    /// index of each source in `index` (see [`AdvisoryIndex`]): a valid index is read instead
    /// of the records, a missing or invalid one is built and saved. Without `index`, or when an
    /// index cannot be used, the records are parsed as [`Database::open_for_packages`] does;
    /// the database is the same either way.
    pub fn open_indexed(
        dirs: &[PathBuf],
        packages: Option<&HashSet<&str>>,
        index: Option<&AdvisoryIndex>,
    ) -> Result<Database, DbError> {
        let mut db = Database::default();
        let mut osv = Vec::new();
        for dir in dirs {
            db.add_path(dir, packages, index, &mut osv)?;
        }
        db.index_osv(osv);
        Ok(db)
    }

    fn add_path(
        &mut self,
        given: &Path,
        only: Option<&HashSet<&str>>,
        index: Option<&AdvisoryIndex>,
        osv: &mut Vec<OsvEntry>,
    ) -> Result<(), DbError> {
        let abs = std::path::absolute(given).map_err(|source| DbError::Io {
            path: given.to_path_buf(),
            source,
        })?;
        let layout = layout::detect(&abs, given)?;
        // RustSec: crate directories; OSV: records, good or bad, over every source of the path.
        let mut found = 0;
        for leaf in Leaf::all(abs, layout) {
            let (data, used) = match index {
                Some(index) => index.load(&leaf, only)?,
                None => (source::load(&leaf, only)?, IndexUse::Off),
            };
            found += self.add_source(leaf, data, used, only, osv);
        }
        if found == 0 {
            return Err(DbError::Empty {
                path: given.to_path_buf(),
            });
        }
        Ok(())
    }

    /// Records one source and keeps what is about `only`: RustSec advisories are inserted, OSV
    /// records staged for [`Database::index_osv`]. Returns how much the source held (see
    /// `add_path`).
    fn add_source(
        &mut self,
        leaf: Leaf,
        data: SourceData,
        index: IndexUse,
        only: Option<&HashSet<&str>>,
        staged: &mut Vec<OsvEntry>,
    ) -> usize {
        let wanted = |name: &str| only.is_none_or(|only| only.contains(name));
        // PyPI names in records and lockfiles differ in case and separators.
        let pypi_only: Option<HashSet<String>> =
            only.map(|only| only.iter().map(|n| osv::pep503_name(n)).collect());
        let wanted_osv = |ecosystem: &str, name: &str| {
            wanted(name)
                || (ecosystem == "PyPI"
                    && pypi_only
                        .as_ref()
                        .is_some_and(|o| o.contains(&osv::pep503_name(name))))
        };
        if leaf.kind == LeafKind::Rustsec {
            let advisories: Vec<RustsecEntry> = data
                .rustsec
                .into_iter()
                .filter(|(dir, _)| wanted(dir))
                .map(|(_, advisory)| advisory)
                .collect();
            let bad: Vec<BadRecord> = data
                .bad
                .into_iter()
                .filter(|b| wanted(&rustsec_dir::directory(&b.path)))
                .collect();
            self.sources.push(DatabaseSource {
                path: leaf.path,
                kind: SourceKind::Rustsec,
                records: advisories.len(),
                other_ecosystems: 0,
                bad_records: bad.len(),
                index,
                newest: None,
            });
            for advisory in advisories {
                self.insert(advisory);
            }
            self.bad_records.extend(bad);
            return data.crates;
        }
        let newest = data.osv.iter().map(|r| r.modified).max();
        staged.extend(data.osv.into_iter().filter(|r| {
            only.is_none() || r.packages.iter().any(|p| wanted_osv(&p.ecosystem, &p.name))
        }));
        self.sources.push(DatabaseSource {
            path: leaf.path,
            kind: leaf.kind.source_kind(),
            records: data.records,
            other_ecosystems: data.other_ecosystems,
            bad_records: data.bad.len(),
            index,
            newest,
        });
        let found = data.records + data.bad.len();
        self.bad_records.extend(data.bad);
        found
    }

    fn insert(&mut self, advisory: RustsecEntry) {
        // The same record from two directories (two snapshots given with --db) counts once.
        if let Some(existing) = self.by_package.get(&advisory.package)
            && existing
                .iter()
                .any(|&i| self.advisories[i].id == advisory.id)
        {
            return;
        }
        let index = self.advisories.len();
        self.by_package
            .entry(advisory.package.clone())
            .or_default()
            .push(index);
        self.advisories.push(advisory);
    }

    /// Keeps one OSV record per id (the latest `modified`, the first on a tie) and indexes
    /// the kept ones by matched ecosystem and package name (PyPI names in PEP 503 form).
    fn index_osv(&mut self, staged: Vec<OsvEntry>) {
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut kept: Vec<Option<OsvEntry>> = Vec::with_capacity(staged.len());
        for record in staged {
            if let Some(&i) = by_id.get(&record.id) {
                if kept[i]
                    .as_ref()
                    .is_some_and(|k| record.modified > k.modified)
                {
                    kept[i] = Some(record);
                }
                continue;
            }
            by_id.insert(record.id.clone(), kept.len());
            kept.push(Some(record));
        }
        self.osv = kept.into_iter().flatten().collect();
        for (i, record) in self.osv.iter().enumerate() {
            for package in &record.packages {
                self.osv_by_package
                    .entry(package.ecosystem.clone())
                    .or_default()
                    .entry(osv::normalize_name(&package.ecosystem, &package.name).into_owned())
                    .or_default()
                    .push(i);
            }
        }
    }

    /// Adds OSV records that came as bytes (from the OSV API), `(origin, bytes)` each; `origin`
    /// is the source's name in reports (the API URL). They merge with every other source as
    /// if they had been in an archive.
    pub fn add_osv_records(&mut self, origin: PathBuf, records: &[(PathBuf, Vec<u8>)]) {
        let data = source::from_osv(osv::load_bytes(records));
        let mut staged = std::mem::take(&mut self.osv);
        self.osv_by_package.clear();
        self.sources.push(DatabaseSource {
            path: origin,
            kind: SourceKind::OsvApi,
            records: data.records,
            other_ecosystems: data.other_ecosystems,
            bad_records: data.bad.len(),
            index: IndexUse::Off,
            newest: data.osv.iter().map(|r| r.modified).max(),
        });
        staged.extend(data.osv);
        self.bad_records.extend(data.bad);
        self.index_osv(staged);
    }

    /// RustSec advisories about the crates.io package named `name`.
    pub fn for_package<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a RustsecEntry> + 'a {
        self.by_package
            .get(name)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.advisories[i])
    }

    /// OSV records about the package named `name` in `ecosystem`; a PyPI name matches in its
    /// PEP 503 form (`Jinja2` finds records about `jinja2`).
    pub fn osv_for_package<'a>(
        &'a self,
        ecosystem: Ecosystem,
        name: &str,
    ) -> impl Iterator<Item = &'a OsvEntry> + 'a {
        self.osv_by_package
            .get(ecosystem.as_str())
            .and_then(|names| names.get(&*osv::normalize_name(ecosystem.as_str(), name)))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.osv[i])
    }

    /// Number of records kept: RustSec advisories plus OSV records of matched ecosystems.
    pub fn len(&self) -> usize {
        self.advisories.len() + self.osv.len()
    }

    /// Whether no record was kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
