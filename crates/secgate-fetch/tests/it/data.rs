//! Archives built from the real advisory data in `../shared/advisory-data`, and helpers to look
//! at a cache directory.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The fake commit GitHub would put in the archive comment.
pub const COMMIT: &str = "4f2c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2";
/// RustSec crates put in the test archive.
pub const RUSTSEC_CRATES: usize = 50;
/// OSV records put in the test `all.zip`.
pub const OSV_RECORDS: usize = 200;

pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("advisory-data/rustsec/crates").is_dir(),
        "../shared/advisory-data is required for these tests (set SECGATE_SHARED)"
    );
    dir.join("advisory-data")
}

fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// A RustSec archive as GitHub serves it: everything under `advisory-db-main/`, directory
/// entries included, the commit in the comment.
pub struct RustSecArchive {
    pub zip: Vec<u8>,
    /// `.md` advisories it holds.
    pub advisories: u64,
    /// One advisory, relative to the tree root, to compare after extraction.
    pub sample: PathBuf,
}

pub fn rustsec() -> &'static RustSecArchive {
    static ARCHIVE: OnceLock<RustSecArchive> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let root = shared().join("rustsec");
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.set_comment(COMMIT).unwrap();
        zip.add_directory("advisory-db-main/", deflated()).unwrap();
        for file in ["README.md", "LICENSE.txt"] {
            zip.start_file(format!("advisory-db-main/{file}"), deflated())
                .unwrap();
            zip.write_all(&fs::read(root.join(file)).unwrap()).unwrap();
        }
        zip.add_directory("advisory-db-main/crates/", deflated())
            .unwrap();
        let mut advisories = 0;
        let mut sample = None;
        for krate in sorted_dir(&root.join("crates"))
            .into_iter()
            .take(RUSTSEC_CRATES)
        {
            let name = krate.file_name().unwrap().to_str().unwrap().to_owned();
            zip.add_directory(format!("advisory-db-main/crates/{name}/"), deflated())
                .unwrap();
            for file in sorted_dir(&krate) {
                let file_name = file.file_name().unwrap().to_str().unwrap();
                zip.start_file(
                    format!("advisory-db-main/crates/{name}/{file_name}"),
                    deflated(),
                )
                .unwrap();
                zip.write_all(&fs::read(&file).unwrap()).unwrap();
                if Path::new(file_name).extension().is_some_and(|e| e == "md") {
                    advisories += 1;
                    sample.get_or_insert_with(|| Path::new("crates").join(&name).join(file_name));
                }
            }
        }
        RustSecArchive {
            zip: zip.finish().unwrap().into_inner(),
            advisories,
            sample: sample.unwrap(),
        }
    })
}

/// An OSV `all.zip`: one `RUSTSEC-*.json` per entry at the root.
pub fn osv() -> &'static [u8] {
    static ARCHIVE: OnceLock<Vec<u8>> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let dir = shared().join("osv/crates.io");
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for file in sorted_dir(&dir).into_iter().take(OSV_RECORDS) {
            zip.start_file(file.file_name().unwrap().to_str().unwrap(), deflated())
                .unwrap();
            zip.write_all(&fs::read(&file).unwrap()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    })
}

/// A zip of the given `(name, content)` file entries, plus optional symlink `(name, target)`.
pub fn zip_of(files: &[(&str, &[u8])], symlink: Option<(&str, &str)>) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        zip.start_file(*name, deflated()).unwrap();
        zip.write_all(content).unwrap();
    }
    if let Some((name, target)) = symlink {
        zip.add_symlink(name, target, SimpleFileOptions::default())
            .unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for path in sorted_dir(dir) {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names in the cache directory other than `db` (staging or old directories left behind).
pub fn leftovers(cache: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name != "db")
        .collect();
    names.sort();
    names
}

/// Lowercase hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}
