//! Record files as a directory listing gives them: the path and a [`Stamp`] of size and times,
//! read through the directory handle (no second walk of the path), which the index keys
//! sources by.

use std::fs;
use std::io;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// A record file found in a listing.
#[derive(Clone, Debug)]
pub(crate) struct RecordFile {
    pub path: PathBuf,
    pub stamp: Stamp,
}

/// What a `stat` says about a file that changes when it is rewritten: its size, its
/// modification time and, on Unix, its inode change time, in nanoseconds since the epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub size: u64,
    pub modified: i128,
    pub changed: i128,
}

impl Stamp {
    pub(crate) fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            modified: nanos(meta.modified()),
            changed: changed(meta),
        }
    }
}

/// The stamp of a directory entry when it is a regular file or a link to one (links are
/// followed, as [`std::path::Path::is_file`] does); `None` for anything else, or when it
/// cannot be read.
pub(crate) fn file_stamp(entry: &fs::DirEntry) -> Option<Stamp> {
    let kind = entry.file_type().ok()?;
    let meta = if kind.is_file() {
        entry.metadata().ok()?
    } else if kind.is_symlink() {
        fs::metadata(entry.path())
            .ok()
            .filter(fs::Metadata::is_file)?
    } else {
        return None;
    };
    Some(Stamp::of(&meta))
}

fn nanos(time: io::Result<SystemTime>) -> i128 {
    match time.map(|t| t.duration_since(UNIX_EPOCH)) {
        Ok(Ok(after)) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Ok(Err(before)) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
        Err(_) => 0,
    }
}

#[cfg(unix)]
fn changed(meta: &fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt as _;
    i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
}

#[cfg(not(unix))]
fn changed(_: &fs::Metadata) -> i128 {
    0
}
