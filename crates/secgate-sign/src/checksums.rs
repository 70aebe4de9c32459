//! `secgate verify checksums`: a `SHA256SUMS` / `SHA512SUMS` file (GNU coreutils format,
//! `<hex>  <file>` or `<hex> *<file>`, and the BSD tag format `SHA256 (file) = <hex>`) against
//! the files it lists.
//!
//! The whole sums file is parsed before any artifact is hashed, so a malformed line stops the
//! gate before it spends minutes hashing gigabytes. Only SHA-256, SHA-384 and SHA-512 are
//! accepted: an MD5 or SHA-1 match proves nothing against someone who can make collisions.

mod digest;
mod line;

use crate::SignError;
use digest::short_hex;
use line::{Entry, parse_line, shorten};
use secgate_core::{Code, Finding, Location};
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The largest sums file read: room for over 300,000 SHA-512 entries with long names.
const MAX_SUMS_BYTES: u64 = 64 * 1024 * 1024;

/// How many hex digits of a digest a mismatch message shows.
const SHOWN_DIGITS: usize = 16;

/// The outcome of checking a sums file.
#[derive(Clone, Debug, Default)]
pub struct ChecksumReport {
    /// `checksum-mismatch` for every file whose digest differs or that is missing, at the line
    /// of the sums file that lists it.
    pub findings: Vec<Finding>,
    /// How many files matched.
    pub matched: usize,
    /// How many lines were checked.
    pub listed: usize,
    /// The listed file names, as written (for a release check: which artifacts are covered).
    pub names: Vec<String>,
}

/// Checks the sums file `sums` (shown as `display` in locations); listed files are resolved
/// against `base` (by default the sums file's directory). A line that is not a checksum line is
/// an error at its line; a sums file with no entries is an error too (nothing was checked).
pub fn verify_checksums(
    sums: &Path,
    display: &str,
    base: &Path,
) -> Result<ChecksumReport, SignError> {
    let text = read_sums(sums, display)?;
    let listed = parse_sums(&text, display)?;
    if listed.is_empty() {
        return Err(parse_error(
            display,
            1,
            "lists no files: nothing was checked",
        ));
    }
    // Messages name the sums file as users know it (`SHA256SUMS`), not by its full path.
    let sums_name = display.rsplit(['/', '\\']).next().unwrap_or(display);
    let mut report = ChecksumReport {
        listed: listed.len(),
        names: listed.iter().map(|l| l.entry.name.clone()).collect(),
        ..ChecksumReport::default()
    };
    for listing in &listed {
        match check(listing, base, sums_name)? {
            None => report.matched += 1,
            Some(finding) => report.findings.push(finding),
        }
    }
    Ok(report)
}

/// Reads the sums file whole (it is small), refusing anything over [`MAX_SUMS_BYTES`]: passing
/// an artifact by mistake must not load gigabytes into memory.
fn read_sums(sums: &Path, display: &str) -> Result<Vec<u8>, SignError> {
    let read_error = |source| SignError::Read {
        path: sums.to_path_buf(),
        source,
    };
    let mut text = Vec::new();
    File::open(sums)
        .and_then(|file| file.take(MAX_SUMS_BYTES + 1).read_to_end(&mut text))
        .map_err(read_error)?;
    if text.len() as u64 > MAX_SUMS_BYTES {
        return Err(parse_error(
            display,
            1,
            "is over 64 MiB: too large for a checksum file (was an artifact passed instead?)",
        ));
    }
    Ok(text)
}

/// An entry and where its name is in the sums file.
struct Listing {
    entry: Entry,
    location: Location,
}

/// Every entry of the sums file, in order.
fn parse_sums(text: &[u8], display: &str) -> Result<Vec<Listing>, SignError> {
    let mut listed = Vec::new();
    let mut line_start = 0;
    for (index, raw) in text.split(|&byte| byte == b'\n').enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let start = line_start;
        line_start += raw.len() + 1;
        let Ok(mut line) = std::str::from_utf8(raw) else {
            return Err(parse_error(
                display,
                number,
                "the line is not UTF-8 text (secgate reads sums files as UTF-8)",
            ));
        };
        let mut start = start;
        // Windows tools write a byte-order mark; it is not part of the first digest.
        if index == 0
            && let Some(rest) = line.strip_prefix('\u{feff}')
        {
            start += line.len() - rest.len();
            line = rest;
        }
        let entry = match parse_line(line) {
            Ok(Some(entry)) => entry,
            Ok(None) => continue,
            Err(message) => return Err(parse_error(display, number, &message)),
        };
        let before_name = line.get(..entry.name_range.start).unwrap_or_default();
        let column = u32::try_from(before_name.chars().count() + 1).unwrap_or(u32::MAX);
        let mut location = Location::new(display, number, column);
        location.span = Some(start + entry.name_range.start..start + entry.name_range.end);
        listed.push(Listing { entry, location });
    }
    Ok(listed)
}

/// `None` if the listed file matches, else the finding.
fn check(listing: &Listing, base: &Path, sums_name: &str) -> Result<Option<Finding>, SignError> {
    let entry = &listing.entry;
    let name = shorten(&entry.name);
    let path = base.join(&entry.name);
    let finding = |message: String| {
        let mut finding = Finding::new(Code::ChecksumMismatch, listing.location.clone(), message);
        finding.id = Some(entry.name.clone());
        finding.fix = Some(format!(
            "rebuild or re-download `{name}`, or regenerate {sums_name}"
        ));
        finding
    };
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(error) if matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Ok(Some(finding(format!(
                "`{name}` is listed in {sums_name} but missing"
            ))));
        }
        Err(source) => return Err(SignError::Read { path, source }),
    };
    let read_error = |source| SignError::Read {
        path: path.clone(),
        source,
    };
    if !file.metadata().map_err(read_error)?.is_file() {
        return Ok(Some(finding(format!(
            "`{name}` is listed in {sums_name} but is not a regular file"
        ))));
    }
    let actual = entry.algorithm.hash(file).map_err(read_error)?;
    if actual == entry.digest {
        return Ok(None);
    }
    let algorithm = entry.algorithm.name();
    let actual = short_hex(&actual, SHOWN_DIGITS);
    let expected = short_hex(&entry.digest, SHOWN_DIGITS);
    Ok(Some(finding(format!(
        "`{name}` does not match {sums_name}: its {algorithm} is {actual}, not {expected}"
    ))))
}

fn parse_error(display: &str, line: u32, message: &str) -> SignError {
    SignError::Parse {
        path: display.to_owned(),
        line,
        message: message.to_owned(),
    }
}
