//! Loading a RustSec advisory-db directory record by record, in parallel.
//!
//! Only `crates/` is read: the `rust/` collection describes the toolchain, not locked crates.
//! Each file is parsed on its own with the `rustsec` crate, so one malformed record becomes a
//! [`BadRecord`] instead of aborting the load as `rustsec::Database::open` would, and
//! normalized for matching ([`RustsecEntry`]) on the same thread.

use crate::entry::RustsecEntry;
use crate::listing::{RecordFile, Stamp};
use crate::parallel::map_chunks;
use crate::{BadRecord, DbError};
use rustsec::Advisory;
use std::collections::HashSet;
use std::ffi::OsString;
use std::path::Path;

/// Advisories larger than this are bad records (real ones are a few kilobytes), as in OSV.
const MAX_ADVISORY_BYTES: u64 = 16 << 20;

pub(crate) struct Loaded {
    /// Each advisory with the name of the `crates/` directory it was read from.
    pub advisories: Vec<(String, RustsecEntry)>,
    pub bad: Vec<BadRecord>,
    /// Crate directories in the database, whether read or not.
    pub crates: usize,
}

/// Loads `crates/*/*.md` below `root`; with `only`, just the directories of those crates.
pub(crate) fn load(root: &Path, only: Option<&HashSet<&str>>) -> Result<Loaded, DbError> {
    let (files, crates) = list_records(&root.join("crates"), only)?;
    let mut out = Loaded {
        advisories: Vec::with_capacity(files.len()),
        bad: Vec::new(),
        crates,
    };
    for part in map_chunks(&files, parse_all) {
        let part = part?;
        out.advisories.extend(part.advisories);
        out.bad.extend(part.bad);
    }
    Ok(out)
}

fn parse_all(files: &[RecordFile]) -> Result<Loaded, DbError> {
    let mut out = Loaded {
        advisories: Vec::with_capacity(files.len()),
        bad: Vec::new(),
        crates: 0,
    };
    for RecordFile { path, .. } in files {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size > MAX_ADVISORY_BYTES {
            // Real advisories are a few kilobytes: a huge file is a bad record, not a load.
            out.bad.push(BadRecord {
                path: path.clone(),
                entry: None,
                line: 1,
                column: 1,
                message: format!("larger than {} MiB", MAX_ADVISORY_BYTES >> 20),
            });
            continue;
        }
        let text = std::fs::read(path).map_err(|source| DbError::Io {
            path: path.clone(),
            source,
        })?;
        let parsed = String::from_utf8(text)
            .map_err(|_| "the file is not UTF-8".to_owned())
            .and_then(|text| {
                // A byte-order mark is not part of the record (editors on Windows add one).
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                text.parse::<Advisory>().map_err(|e| error_chain(&e))
            });
        match parsed {
            Ok(advisory) => out
                .advisories
                .push((directory(path), RustsecEntry::new(&advisory))),
            Err(message) => out.bad.push(BadRecord {
                path: path.clone(),
                entry: None,
                line: 1,
                column: 1,
                message,
            }),
        }
    }
    Ok(out)
}

/// The name of the directory holding `path`: the crate directory of a record.
pub(crate) fn directory(path: &Path) -> String {
    path.parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The error and its causes on one line: the `rustsec` error alone only says "parse error".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let s_text = s.to_string();
        if !msg.contains(&s_text) {
            msg.push_str(": ");
            msg.push_str(&s_text);
        }
        cur = s.source();
    }
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `crates/<name>/RUSTSEC-*.md`, sorted, without the draft template `RUSTSEC-0000-0000`, and
/// the number of crate directories.
pub(crate) fn list_records(
    crates: &Path,
    only: Option<&HashSet<&str>>,
) -> Result<(Vec<RecordFile>, usize), DbError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DbError::Io { path, source }
    };
    // (crate directory, file name): the order of the paths, compared more cheaply.
    let mut files: Vec<(OsString, OsString, RecordFile)> = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(crates).map_err(io(crates))? {
        let entry = entry.map_err(io(crates))?;
        if !entry.file_type().map_err(io(&entry.path()))?.is_dir() {
            continue;
        }
        count += 1;
        let name = entry.file_name();
        if only.is_some_and(|only| !name.to_str().is_some_and(|n| only.contains(n))) {
            continue;
        }
        let dir = entry.path();
        for record in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let record = record.map_err(io(&dir))?;
            let path = record.path();
            let is_md = path.extension().is_some_and(|e| e == "md");
            if is_md
                && record.file_type().map_err(io(&path))?.is_file()
                && !Advisory::is_draft(&path)
            {
                let stamp = Stamp::of(&record.metadata().map_err(io(&path))?);
                files.push((name.clone(), record.file_name(), RecordFile { path, stamp }));
            }
        }
    }
    files.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok((files.into_iter().map(|(_, _, f)| f).collect(), count))
}
