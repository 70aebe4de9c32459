//! The loaded advisory database: every good record indexed by package name, and the records
//! that failed to parse.

use crate::{DbError, rustsec_dir};
use rustsec::Advisory;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The kind of a database directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A RustSec advisory-db checkout (`crates/<name>/RUSTSEC-*.md`).
    Rustsec,
}

/// One directory the database was loaded from.
#[derive(Clone, Debug)]
pub struct DatabaseSource {
    /// Absolute directory.
    pub path: PathBuf,
    /// Its layout.
    pub kind: SourceKind,
    /// Records loaded from it.
    pub records: usize,
}

/// A record that could not be parsed; the rest of the database is still used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    /// Absolute path of the record file.
    pub path: PathBuf,
    /// The parser's message.
    pub message: String,
}

/// Advisories from every source, indexed by package name.
#[derive(Debug, Default)]
pub struct Database {
    advisories: Vec<Advisory>,
    by_package: HashMap<String, Vec<usize>>,
    /// Records that failed to parse.
    pub bad_records: Vec<BadRecord>,
    /// Where the records came from.
    pub sources: Vec<DatabaseSource>,
}

impl Database {
    /// Loads every record of every directory in `dirs`; the kind of each is detected from its
    /// layout.
    pub fn open(dirs: &[PathBuf]) -> Result<Database, DbError> {
        Self::open_filtered(dirs, None)
    }

    /// Loads only the records about the packages named in `packages`. RustSec keeps each
    /// crate's advisories in `crates/<name>/`, so a lockfile's audit reads the few hundred
    /// records that can match instead of the whole database; a bad record about another crate
    /// cannot affect the result and is not reported.
    pub fn open_for_packages(
        dirs: &[PathBuf],
        packages: &HashSet<&str>,
    ) -> Result<Database, DbError> {
        Self::open_filtered(dirs, Some(packages))
    }

    fn open_filtered(dirs: &[PathBuf], only: Option<&HashSet<&str>>) -> Result<Database, DbError> {
        let mut db = Database::default();
        for dir in dirs {
            db.add_dir(dir, only)?;
        }
        Ok(db)
    }

    fn add_dir(&mut self, dir: &Path, only: Option<&HashSet<&str>>) -> Result<(), DbError> {
        if !dir.is_dir() {
            return Err(DbError::Missing {
                path: dir.to_path_buf(),
            });
        }
        let abs = std::path::absolute(dir).map_err(|source| DbError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        if !abs.join("crates").is_dir() {
            return Err(DbError::UnknownLayout {
                path: dir.to_path_buf(),
            });
        }
        let loaded = rustsec_dir::load(&abs, only)?;
        if loaded.crates == 0 {
            return Err(DbError::Empty {
                path: dir.to_path_buf(),
            });
        }
        self.sources.push(DatabaseSource {
            path: abs,
            kind: SourceKind::Rustsec,
            records: loaded.advisories.len(),
        });
        for advisory in loaded.advisories {
            self.insert(advisory);
        }
        self.bad_records.extend(loaded.bad);
        Ok(())
    }

    fn insert(&mut self, advisory: Advisory) {
        // The same record from two directories (two snapshots given with --db) counts once.
        let name = advisory.metadata.package.as_str();
        if let Some(existing) = self.by_package.get(name)
            && existing
                .iter()
                .any(|&i| self.advisories[i].metadata.id == advisory.metadata.id)
        {
            return;
        }
        let index = self.advisories.len();
        self.by_package
            .entry(name.to_owned())
            .or_default()
            .push(index);
        self.advisories.push(advisory);
    }

    /// Advisories about the package named `name`.
    pub fn for_package<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Advisory> + 'a {
        self.by_package
            .get(name)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.advisories[i])
    }

    /// Number of records loaded.
    pub fn len(&self) -> usize {
        self.advisories.len()
    }

    /// Whether no record was loaded.
    pub fn is_empty(&self) -> bool {
        self.advisories.is_empty()
    }
}
