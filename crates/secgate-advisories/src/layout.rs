//! What kind of advisory database a `--db` path is, from its layout alone.
//!
//! | layout | kind |
//! |---|---|
//! | a directory with `crates/` | RustSec advisory-db checkout |
//! | a directory with `*.json` files and/or `all.zip` | one OSV ecosystem (`osv/crates.io`) |
//! | a directory whose subdirectories are OSV ecosystems | an OSV tree (`osv/`) |
//! | a `*.zip` file | one OSV archive (`crates.io/all.zip`) |

use crate::DbError;
use crate::listing::RecordFile;
use crate::osv::json_files;
use std::path::{Path, PathBuf};

/// The name of the per-ecosystem OSV archive.
const ARCHIVE: &str = "all.zip";

pub(crate) enum Layout {
    Rustsec,
    Osv {
        /// Directories of loose records, each with its sorted `*.json` files.
        dirs: Vec<(PathBuf, Vec<RecordFile>)>,
        /// Archives, one record per entry.
        archives: Vec<PathBuf>,
    },
}

/// Detects the layout of `path` (absolute); `given` is the path as the user wrote it, for
/// errors.
pub(crate) fn detect(path: &Path, given: &Path) -> Result<Layout, DbError> {
    if path.is_file() {
        return if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            Ok(Layout::Osv {
                dirs: Vec::new(),
                archives: vec![path.to_path_buf()],
            })
        } else {
            Err(DbError::UnknownLayout {
                path: given.to_path_buf(),
            })
        };
    }
    if !path.is_dir() {
        return Err(DbError::Missing {
            path: given.to_path_buf(),
        });
    }
    if path.join("crates").is_dir() {
        return Ok(Layout::Rustsec);
    }
    let mut dirs = Vec::new();
    let mut archives = Vec::new();
    if !add_ecosystem(path, &mut dirs, &mut archives)? {
        for sub in subdirectories(path)? {
            add_ecosystem(&sub, &mut dirs, &mut archives)?;
        }
    }
    if dirs.is_empty() && archives.is_empty() {
        return Err(DbError::UnknownLayout {
            path: given.to_path_buf(),
        });
    }
    Ok(Layout::Osv { dirs, archives })
}

/// Adds `dir` as an OSV ecosystem directory if it holds records; whether it did.
fn add_ecosystem(
    dir: &Path,
    dirs: &mut Vec<(PathBuf, Vec<RecordFile>)>,
    archives: &mut Vec<PathBuf>,
) -> Result<bool, DbError> {
    let files = json_files(dir)?;
    let archive = dir.join(ARCHIVE);
    let has_archive = archive.is_file();
    let found = !files.is_empty() || has_archive;
    if !files.is_empty() {
        dirs.push((dir.to_path_buf(), files));
    }
    if has_archive {
        archives.push(archive);
    }
    Ok(found)
}

fn subdirectories(dir: &Path) -> Result<Vec<PathBuf>, DbError> {
    let io = |source| DbError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut subs = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        // Follows symbolic links: a cache may link an ecosystem directory in.
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            subs.push(path);
        }
    }
    subs.sort();
    Ok(subs)
}
