//! Scanning what the commits of a range introduce: for each commit, the blobs it adds or
//! modifies against its first parent, and in them only the added lines. A secret added by one
//! commit and removed by a later one is still reported: it is in the history.

use crate::allow::Allowlist;
use crate::detect::{Hit, detect};
use crate::git::{Blob, CatFile, run, run_ok};
use crate::report::{Origin, to_finding};
use crate::{AllowEntry, Scan, ScanOptions, SecretsError, SkipReason, is_binary};
use secgate_core::{LineIndex, sort_findings};
use similar::{DiffTag, TextDiff};
use std::path::Path;
use std::time::Duration;

/// Characters of a commit id the messages show.
const SHORT_ID: usize = 12;

/// One blob a commit added or modified.
struct Change {
    old: Option<String>,
    new: String,
    path: String,
}

/// Scans the blobs the commits of `range` (as `git rev-list` takes it) add or modify.
pub fn scan_commits(
    repo: &Path,
    range: &str,
    opts: &ScanOptions,
    allow: &[AllowEntry],
) -> Result<Scan, SecretsError> {
    let allowlist = Allowlist::new(allow)?;
    if let Err(stderr) = run(repo, &["rev-parse", "--git-dir"])? {
        return Err(SecretsError::NotARepository {
            path: repo.to_owned(),
            stderr,
        });
    }
    let bad_range = |stderr: String| SecretsError::BadRange {
        range: range.to_owned(),
        stderr,
    };
    if range.trim().is_empty() || range.starts_with('-') {
        return Err(bad_range("not a revision range".to_owned()));
    }
    let list =
        run(repo, &["rev-list", "--parents", "--end-of-options", range])?.map_err(bad_range)?;
    let list = String::from_utf8_lossy(&list);
    let mut cat = CatFile::start(repo)?;
    let mut scan = Scan::default();
    let mut detected = Vec::new();
    for line in list.lines() {
        let mut ids = line.split_whitespace();
        let Some(commit) = ids.next() else { continue };
        let changes = changes(repo, commit, ids.next())?;
        let short = commit.get(..SHORT_ID).unwrap_or(commit);
        for change in changes {
            let new = match cat.blob(&change.new, opts.max_file_size)? {
                Blob::Content(bytes) if is_binary(&bytes) => {
                    scan.skipped.push((change.path, SkipReason::Binary));
                    continue;
                }
                Blob::Content(bytes) => bytes,
                Blob::TooLarge => {
                    scan.skipped.push((change.path, SkipReason::TooLarge));
                    continue;
                }
                Blob::Missing => {
                    scan.skipped.push((change.path, SkipReason::Unreadable));
                    continue;
                }
            };
            scan.files += 1;
            let new = String::from_utf8_lossy(&new);
            let hits = detect(&change.path, &new, opts.entropy_threshold);
            if hits.is_empty() {
                continue;
            }
            let old = match &change.old {
                Some(oid) => match cat.blob(oid, opts.max_file_size)? {
                    Blob::Content(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                    // An unreadable old side: every line counts as added, never fewer.
                    Blob::TooLarge | Blob::Missing => None,
                },
                None => None,
            };
            let added = added_lines(old.as_deref().unwrap_or(""), &new);
            let index = LineIndex::new(&new);
            detected.extend(
                hits.iter()
                    .filter(|hit| introduced(hit, &new, &index, &added))
                    .map(|hit| to_finding(hit, &change.path, &new, &index, Origin::Commit(short))),
            );
        }
    }
    let (mut findings, allowed) = allowlist.apply(detected);
    sort_findings(&mut findings);
    scan.findings = findings;
    scan.allowed = allowed;
    scan.skipped.sort();
    scan.skipped.dedup();
    Ok(scan)
}

/// The regular-file blobs `commit` adds or modifies against `parent` (all of them for a root
/// commit).
fn changes(repo: &Path, commit: &str, parent: Option<&str>) -> Result<Vec<Change>, SecretsError> {
    let mut args = vec![
        "diff-tree",
        "-r",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-commit-id",
    ];
    match parent {
        Some(parent) => args.extend([parent, commit]),
        None => args.extend(["--root", commit]),
    }
    let out = run_ok(repo, &args)?;
    let out = String::from_utf8_lossy(&out);
    let mut fields = out.split('\0');
    let mut changes = Vec::new();
    while let Some(meta) = fields.next() {
        let Some(meta) = meta.strip_prefix(':') else {
            continue;
        };
        let Some(path) = fields.next() else { break };
        // `:old_mode new_mode old_oid new_oid status`
        let parts: Vec<&str> = meta.split(' ').collect();
        let [old_mode, new_mode, old_oid, new_oid, status] = parts.as_slice() else {
            continue;
        };
        if status.starts_with(['R', 'C']) {
            // Renames and copies carry a second path; only when rename detection is on.
            fields.next();
        }
        let is_file = |mode: &str| mode.starts_with("100");
        if !is_file(new_mode) || !status.starts_with(['A', 'M', 'T']) {
            continue;
        }
        changes.push(Change {
            old: is_file(old_mode).then(|| (*old_oid).to_owned()),
            new: (*new_oid).to_owned(),
            path: path.to_owned(),
        });
    }
    Ok(changes)
}

/// `added[i]` says whether 0-based line `i` of `new` is not in `old`.
fn added_lines(old: &str, new: &str) -> Vec<bool> {
    let mut added = vec![false; new.lines().count() + 1];
    let diff = TextDiff::configure()
        // A pathological diff falls back to a coarser one: more lines count as added, not fewer.
        .timeout(Duration::from_secs(2))
        .diff_lines(old, new);
    for op in diff.ops() {
        let (tag, _, new_range) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Insert | DiffTag::Replace) {
            for line in new_range {
                if let Some(slot) = added.get_mut(line) {
                    *slot = true;
                }
            }
        }
    }
    added
}

/// Whether any line of the hit (or of the JWT it signs) is an added line.
fn introduced(hit: &Hit, text: &str, index: &LineIndex, added: &[bool]) -> bool {
    let line_of = |offset: usize| index.line_col(text, offset).0 as usize - 1;
    let first = line_of(hit.offset);
    let last = line_of(hit.offset + hit.secret.len().saturating_sub(1));
    let in_secret = (first..=last).any(|l| added.get(l).copied().unwrap_or(false));
    let in_related = hit
        .related
        .is_some_and(|r| added.get(line_of(r)).copied().unwrap_or(false));
    in_secret || in_related
}
