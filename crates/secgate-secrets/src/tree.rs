//! Scanning a directory tree: the files git would track (`.gitignore` and `.ignore` respected,
//! inside a git repository or not), hidden files included, symlinks never followed.

use crate::allow::Allowlist;
use crate::detect::detect;
use crate::report::{Detected, Origin, to_finding};
use crate::{AllowEntry, Scan, ScanOptions, SecretsError, SkipReason, is_binary};
use globset::{GlobBuilder, GlobSetBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use secgate_core::{LineIndex, sort_findings};
use std::path::Path;
use std::sync::mpsc;

/// What scanning one file gave.
enum Outcome {
    Scanned(Vec<Detected>),
    Skipped(String, SkipReason),
}

/// Scans every file under `root` (or `root` itself when it is a file).
pub fn scan_tree(
    root: &Path,
    opts: &ScanOptions,
    allow: &[AllowEntry],
) -> Result<Scan, SecretsError> {
    scan_tree_excluding(root, opts, allow, &[])
}

/// [`scan_tree`], never entering the files and directories whose `/`-separated path relative
/// to `root` matches one of `exclude` (globs: `*` within a name, `**` any depth), as the
/// policy's `[paths] exclude` asks of every gate.
pub fn scan_tree_excluding(
    root: &Path,
    opts: &ScanOptions,
    allow: &[AllowEntry],
    exclude: &[String],
) -> Result<Scan, SecretsError> {
    let allowlist = Allowlist::new(allow)?;
    let mut excluded = GlobSetBuilder::new();
    for glob in exclude {
        excluded.add(
            GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .map_err(|source| SecretsError::BadGlob {
                    glob: glob.clone(),
                    source,
                })?,
        );
    }
    let excluded = excluded.build().map_err(|source| SecretsError::BadGlob {
        glob: exclude.join(", "),
        source,
    })?;
    let walk_root = root.to_owned();
    std::fs::metadata(root).map_err(|source| SecretsError::Root {
        path: root.to_owned(),
        source,
    })?;
    let (tx, rx) = mpsc::channel();
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        // A user's global excludes must not hide a committed file from the gate.
        .git_global(false)
        .threads(opts.threads.max(1))
        .filter_entry(move |entry| {
            entry.file_name() != ".git"
                && (excluded.is_empty() || !excluded.is_match(relative(&walk_root, entry.path())))
        })
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            Box::new(move |entry| {
                // The receiver lives until the walk ends; a failed send cannot happen.
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        let _ = tx.send(scan_entry(root, &entry, opts));
                    }
                    Ok(_) => {}
                    // A directory the walk could not read may hold exactly what the gate
                    // looks for: never skipped in silence.
                    Err(err) => {
                        let _ = tx.send(Outcome::Skipped(err.to_string(), SkipReason::Unreadable));
                    }
                }
                WalkState::Continue
            })
        });
    drop(tx);
    let mut detected = Vec::new();
    let mut scan = Scan::default();
    for outcome in rx {
        match outcome {
            Outcome::Scanned(found) => {
                scan.files += 1;
                detected.extend(found);
            }
            Outcome::Skipped(path, reason) => scan.skipped.push((path, reason)),
        }
    }
    let (mut findings, allowed) = allowlist.apply(detected);
    sort_findings(&mut findings);
    scan.findings = findings;
    scan.allowed = allowed;
    scan.skipped.sort();
    Ok(scan)
}

/// The `/`-separated path of `path` relative to `root` (the file name when `root` is the file).
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = if rel.as_os_str().is_empty() {
        path.file_name().map_or(rel, Path::new)
    } else {
        rel
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn scan_entry(root: &Path, entry: &DirEntry, opts: &ScanOptions) -> Outcome {
    let path = relative(root, entry.path());
    let too_large = entry.metadata().is_ok_and(|m| m.len() > opts.max_file_size);
    if too_large {
        return Outcome::Skipped(path, SkipReason::TooLarge);
    }
    let Ok(bytes) = std::fs::read(entry.path()) else {
        return Outcome::Skipped(path, SkipReason::Unreadable);
    };
    if is_binary(&bytes) {
        return Outcome::Skipped(path, SkipReason::Binary);
    }
    let text = String::from_utf8_lossy(&bytes);
    let hits = detect(&path, &text, opts.entropy_threshold);
    if hits.is_empty() {
        return Outcome::Scanned(Vec::new());
    }
    let index = LineIndex::new(&text);
    let found = hits
        .iter()
        .map(|hit| to_finding(hit, &path, &text, &index, Origin::Tree))
        .collect();
    Outcome::Scanned(found)
}
