//! Reading OSV records from a directory of `*.json` files or from an `all.zip` archive (one
//! record per entry), in parallel, record by record.
//!
//! A record that is not valid JSON, does not fit the schema, or has a range version its
//! ecosystem's scheme cannot order is a [`BadRecord`]; the others still load. An archive that
//! is not a readable zip (truncated, corrupt, an entry failing its checksum) is a [`DbError`]:
//! nothing in it can be trusted to be complete.

use crate::listing::{RecordFile, file_stamp};
use crate::osv::{EcosystemScheme, OsvRecord, RangeKind, unparsable_events};
use crate::parallel::map_chunks;
use crate::{BadRecord, DbError};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// Records larger than this are refused (real ones are a few kilobytes); it bounds what a
/// hostile archive can make secgate inflate.
const MAX_RECORD_BYTES: u64 = 16 << 20;

/// What one directory or archive held.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub records: Vec<OsvRecord>,
    pub bad: Vec<BadRecord>,
}

impl Loaded {
    fn extend(&mut self, other: Loaded) {
        self.records.extend(other.records);
        self.bad.extend(other.bad);
    }
}

/// The `*.json` files directly in `dir` (regular files or links to them), sorted by name.
pub(crate) fn json_files(dir: &Path) -> Result<Vec<RecordFile>, DbError> {
    let io = |source| DbError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json")
            && let Some(stamp) = file_stamp(&entry)
        {
            files.push(RecordFile { path, stamp });
        }
    }
    // One directory: the order of the names is the order of the paths, and cheaper to get.
    files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    Ok(files)
}

/// Parses every file in `files`.
pub(crate) fn load_files(files: &[RecordFile]) -> Result<Loaded, DbError> {
    let parts = map_chunks(files, |part| -> Result<Loaded, DbError> {
        let mut out = Loaded::default();
        for RecordFile { path, .. } in part {
            let bytes = std::fs::read(path).map_err(|source| DbError::Io {
                path: path.clone(),
                source,
            })?;
            match parse(&bytes) {
                Ok(record) => out.records.push(record),
                Err(e) => out.bad.push(BadRecord {
                    path: path.clone(),
                    entry: None,
                    line: e.line,
                    column: e.column,
                    message: e.message,
                }),
            }
        }
        Ok(out)
    });
    let mut out = Loaded::default();
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// Parses records that came as bytes (from the OSV API): `(origin, bytes)` pairs, where the
/// origin names the record in a `db-bad-record` finding.
pub(crate) fn load_bytes(records: &[(PathBuf, Vec<u8>)]) -> Loaded {
    let mut out = Loaded::default();
    for (origin, bytes) in records {
        match parse(bytes) {
            Ok(record) => out.records.push(record),
            Err(e) => out.bad.push(BadRecord {
                path: origin.clone(),
                entry: None,
                line: e.line,
                column: e.column,
                message: e.message,
            }),
        }
    }
    out
}

/// Parses every `*.json` entry of the zip archive at `path`; other entries are ignored.
pub(crate) fn load_archive(path: &Path) -> Result<Loaded, DbError> {
    let bytes = std::fs::read(path).map_err(|source| DbError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let archive_error = |source| DbError::Archive {
        path: path.to_path_buf(),
        source,
    };
    let archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(archive_error)?;
    let indices: Vec<usize> = (0..archive.len()).collect();
    let parts = map_chunks(&indices, |part| -> Result<Loaded, DbError> {
        let mut archive = archive.clone();
        let mut out = Loaded::default();
        for &i in part {
            let mut file = archive.by_index(i).map_err(archive_error)?;
            let name = file.name().map_err(archive_error)?.into_owned();
            let is_json = Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if !file.is_file() || !is_json {
                continue;
            }
            let bad = |line, column, message| BadRecord {
                path: path.to_path_buf(),
                entry: Some(name.clone()),
                line,
                column,
                message,
            };
            if file.size() > MAX_RECORD_BYTES {
                out.bad.push(bad(1, 1, too_large()));
                continue;
            }
            let mut data = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
            (&mut file)
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut data)
                .map_err(|source| DbError::ArchiveEntry {
                    path: path.to_path_buf(),
                    entry: name.clone(),
                    source,
                })?;
            if data.len() as u64 > MAX_RECORD_BYTES {
                out.bad.push(bad(1, 1, too_large()));
                continue;
            }
            match parse(&data) {
                Ok(record) => out.records.push(record),
                Err(e) => out.bad.push(bad(e.line, e.column, e.message)),
            }
        }
        Ok(out)
    });
    let mut out = Loaded::default();
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

fn too_large() -> String {
    format!("the record is larger than {} MiB", MAX_RECORD_BYTES >> 20)
}

struct ParseError {
    message: String,
    line: u32,
    column: u32,
}

/// One record from its JSON bytes, checked so that matching cannot meet a version it cannot
/// order.
fn parse(bytes: &[u8]) -> Result<OsvRecord, ParseError> {
    // A byte-order mark is not part of the record (JSON readers skip it; serde_json does not).
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let record: OsvRecord = serde_json::from_slice(bytes).map_err(|e| ParseError {
        message: e.to_string(),
        line: (e.line() as u32).max(1),
        column: (e.column() as u32).max(1),
    })?;
    validate(&record).map_err(|message| ParseError {
        message,
        line: 1,
        column: 1,
    })?;
    Ok(record)
}

/// Every `SEMVER` and `ECOSYSTEM` range of crates.io and npm must be orderable (semantic
/// versions for both). PyPI records are not checked: the real `PyPA` data has a few events that
/// are not PEP 440 versions (`2019-09-12`), and such a range is left out of matching instead
/// (see [`crate::osv::is_affected_in`]). Records of other ecosystems are not matched and not
/// checked.
fn validate(record: &OsvRecord) -> Result<(), String> {
    if record.id.trim().is_empty() {
        return Err("the record has an empty `id`".to_owned());
    }
    for (i, affected) in record.affected.iter().enumerate() {
        let Some((package, scheme)) = affected.package.as_ref().and_then(|p| {
            EcosystemScheme::of_osv(&p.ecosystem)
                .filter(|s| *s != EcosystemScheme::PyPI)
                .map(|s| (p, s))
        }) else {
            continue;
        };
        for (j, range) in affected.ranges.iter().enumerate() {
            if !matches!(range.kind, RangeKind::Semver | RangeKind::Ecosystem) {
                continue;
            }
            if let Some(v) = unparsable_events(&scheme, &range.events).first() {
                return Err(format!(
                    "`{}`: affected[{i}].ranges[{j}] (package `{}`): `{v}` is not a semantic version",
                    record.id, package.name
                ));
            }
        }
    }
    Ok(())
}
