//! How current a RustSec checkout given with `--db` is: the date of its newest advisory.
//!
//! A `--db` tree is used as it is, with no fetch record to tell its age, and audits read only
//! the directories of the locked crates. The newest `date = "YYYY-MM-DD"` among all advisories
//! says how old the data is. Only the first kilobyte of each record is read (the front matter
//! puts `date` in the first lines), so the scan stays a few milliseconds for the whole
//! database and can run beside the audit.

use jiff::civil::Date;
use std::fs;
use std::io::Read;
use std::path::Path;

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
