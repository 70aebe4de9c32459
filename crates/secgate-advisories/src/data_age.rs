//! How current a RustSec checkout given with `--db` is: the date of its newest advisory.
//!
//! A `--db` tree is used as it is, with no fetch record to tell its age, and audits read only
//! the directories of the locked crates. The newest `date = "YYYY-MM-DD"` among all advisories
//! says how old the data is. Only the first kilobyte of each record is read (the front matter
//! puts `date` in the first lines), and [`newest_rustsec_date_cached`] remembers the answer
//! for a fingerprint of the `crates/` directories (their number and newest modification time:
//! adding or replacing an advisory changes its directory's), so a warm audit only lists one
//! directory.

use jiff::civil::Date;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// [`newest_rustsec_date`], remembered in `cache` (when given) for the checkout's fingerprint.
/// The cache only saves time: a missing or stale entry means a full scan, a failed write is
/// not an error.
pub fn newest_rustsec_date_cached(root: &Path, cache: Option<&Path>) -> Option<Date> {
    let Some(cache) = cache else {
        return newest_rustsec_date(root);
    };
    let fingerprint = fingerprint(root)?;
    let key = Sha256::digest(root.to_string_lossy().as_bytes());
    let entry = cache.join(format!("{key:x}"));
    if let Some(date) = fs::read_to_string(&entry).ok().and_then(|text| {
        let (print, date) = text.trim().rsplit_once(' ')?;
        (print == fingerprint).then(|| date.parse().ok())?
    }) {
        return Some(date);
    }
    let date = newest_rustsec_date(root)?;
    let _ = fs::create_dir_all(cache).and_then(|()| {
        let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
        fs::write(&tmp, format!("{fingerprint} {date}\n"))?;
        fs::rename(&tmp, &entry)
    });
    Some(date)
}

/// `<crate directories> <newest directory mtime in ns>` of `root/crates`.
fn fingerprint(root: &Path) -> Option<String> {
    let mut count = 0usize;
    let mut newest = 0u128;
    for dir in fs::read_dir(root.join("crates")).ok()?.flatten() {
        count += 1;
        let modified = dir
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        newest = newest.max(modified);
    }
    Some(format!("{count}:{newest}"))
}

/// Bytes read from the start of each advisory.
const HEAD: usize = 1024;

/// The newest advisory date under `root/crates/*/*.md`, or `None` when there is none to read.
pub fn newest_rustsec_date(root: &Path) -> Option<Date> {
    let mut newest: Option<Date> = None;
    let mut head = Vec::with_capacity(HEAD);
    for dir in fs::read_dir(root.join("crates")).ok()?.flatten() {
        let Ok(files) = fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            head.clear();
            let read =
                fs::File::open(&path).and_then(|f| f.take(HEAD as u64).read_to_end(&mut head));
            if read.is_err() {
                continue;
            }
            if let Some(date) = advisory_date(&head) {
                newest = newest.max(Some(date));
            }
        }
    }
    newest
}

/// The `date = "YYYY-MM-DD"` line of an advisory's front matter.
fn advisory_date(head: &[u8]) -> Option<Date> {
    let text = String::from_utf8_lossy(head);
    text.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("date")?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim().strip_prefix('"')?.get(..10)?;
        value.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_dates_follow_the_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache");
        let db = dir.path().join("db");
        let krate = db.join("crates/a");
        fs::create_dir_all(&krate).unwrap();
        fs::write(krate.join("R-1.md"), "date = \"2020-01-02\"\n").unwrap();
        let first = newest_rustsec_date_cached(&db, Some(&cache));
        assert_eq!(first, Some(Date::constant(2020, 1, 2)));
        // A remembered answer for an unchanged checkout is used as it is.
        let entry = fs::read_dir(&cache)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let text = fs::read_to_string(&entry).unwrap();
        let print = text.trim().rsplit_once(' ').unwrap().0.to_owned();
        fs::write(&entry, format!("{print} 2001-02-03\n")).unwrap();
        assert_eq!(
            newest_rustsec_date_cached(&db, Some(&cache)),
            Some(Date::constant(2001, 2, 3))
        );
        // A new crate directory changes the fingerprint: scanned again.
        let other = db.join("crates/b");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("R-2.md"), "date = \"2022-05-06\"\n").unwrap();
        assert_eq!(
            newest_rustsec_date_cached(&db, Some(&cache)),
            Some(Date::constant(2022, 5, 6))
        );
    }

    #[test]
    fn newest_date_of_all_advisories_and_none_without_any() {
        let dir = tempfile::tempdir().unwrap();
        let write = |krate: &str, id: &str, body: &str| {
            let d = dir.path().join("crates").join(krate);
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join(format!("{id}.md")), body).unwrap();
        };
        assert_eq!(newest_rustsec_date(dir.path()), None);
        write(
            "a",
            "RUSTSEC-2020-0001",
            "```toml\n[advisory]\nid = \"x\"\ndate = \"2020-01-02\"\n",
        );
        write(
            "b",
            "RUSTSEC-2024-0002",
            "```toml\n[advisory]\ndate = \"2024-03-04\"\n",
        );
        write(
            "b",
            "RUSTSEC-2021-0003",
            "```toml\n[advisory]\ndate = \"garbage\"\n",
        );
        // Only `.md` records count.
        let other = dir.path().join("crates/c");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("notes.txt"), "date = \"2099-01-01\"\n").unwrap();
        assert_eq!(
            newest_rustsec_date(dir.path()),
            Some(Date::constant(2024, 3, 4))
        );
    }
}
