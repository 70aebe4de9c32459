//! The prebuilt advisory index: the same database as the direct load on every corpus lockfile
//! (the RustSec tree, the OSV tree, both), bad records kept, corrupt and foreign index files
//! rebuilt, a changed source indexed again, a relocated copy of fetched data reusing its index,
//! and an index directory that cannot be written.

mod common;

use common::{LOCKFILES, crate_at, osv_dir, packages, rustsec_dir};
use secgate_advisories::{
    AdvisoryIndex, Database, DatabaseSource, IndexError, IndexState, IndexUse, check,
};
use secgate_core::{Code, Package};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn names(packages: &[Package]) -> HashSet<&str> {
    packages.iter().map(|p| p.name.as_str()).collect()
}

fn without_index(sources: &[DatabaseSource]) -> Vec<DatabaseSource> {
    sources
        .iter()
        .map(|s| DatabaseSource {
            index: IndexUse::Off,
            ..s.clone()
        })
        .collect()
}

/// Opens `dirs` for `packages` directly and through `index`, asserts that both give the same
/// database and findings, and returns how each source was read through the index.
fn same_as_direct(dirs: &[PathBuf], packages: &[Package], index: &AdvisoryIndex) -> Vec<IndexUse> {
    let names = names(packages);
    let direct = Database::open_for_packages(dirs, &names).unwrap();
    let indexed = Database::open_indexed(dirs, Some(&names), Some(index)).unwrap();
    assert_eq!(check(packages, &indexed), check(packages, &direct));
    assert_eq!(indexed.bad_records, direct.bad_records);
    assert_eq!(
        without_index(&indexed.sources),
        without_index(&direct.sources)
    );
    assert_eq!(indexed.len(), direct.len());
    indexed.sources.iter().map(|s| s.index).collect()
}

fn index_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_index_gives_the_findings_of_the_direct_load_on_every_corpus_lockfile() {
    let tmp = tempfile::tempdir().unwrap();
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let configs = [
        vec![rustsec_dir()],
        vec![osv_dir()],
        vec![rustsec_dir(), osv_dir()],
    ];
    for (c, dirs) in configs.iter().enumerate() {
        for (l, lockfile) in LOCKFILES.iter().enumerate() {
            let uses = same_as_direct(dirs, &packages(lockfile), &index);
            // The RustSec index is built by the first configuration, the OSV ones (PyPI and
            // crates.io) by the second; everything else reads them.
            let expected = match (c, l) {
                (0 | 1, 0) => IndexUse::Built,
                _ => IndexUse::Read,
            };
            assert!(
                uses.iter().all(|u| *u == expected),
                "{dirs:?} {lockfile}: {uses:?}"
            );
        }
    }
    assert_eq!(index_files(index.dir()).len(), 3, "one index per source");
    // Opened for every package, and for a package no corpus lockfile has.
    let all = configs.last().unwrap();
    let direct = Database::open(all).unwrap();
    let indexed = Database::open_indexed(all, None, Some(&index)).unwrap();
    assert_eq!(indexed.len(), direct.len());
    let lock = [crate_at("matrix-sdk-base", "0.14.0", 5)];
    assert_eq!(check(&lock, &indexed), check(&lock, &direct));
    assert_eq!(check(&lock, &indexed).len(), 3);
}

/// A RustSec record (`patched` as given) in `db`.
fn write_rustsec(db: &Path, package: &str, id: &str, title: &str, patched: &str) {
    let dir = db.join("crates").join(package);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{id}.md")),
        format!(
            "```toml\n[advisory]\nid = \"{id}\"\npackage = \"{package}\"\ndate = \"2024-01-01\"\n\
             aliases = [\"CVE-2099-0001\"]\n\n[versions]\npatched = [{patched}]\n```\n\n# {title}\n\nText.\n"
        ),
    )
    .unwrap();
}

/// An OSV record about crates.io's `package`, all versions affected.
fn osv_record(id: &str, package: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "2024-05-01T10:00:00Z", "summary": "summary of {id}",
            "affected": [{{"package": {{"ecosystem": "crates.io", "name": "{package}"}},
            "ranges": [{{"type": "SEMVER", "events": [{{"introduced": "0"}}]}}]}}]}}"#
    )
}

/// The ytop lockfile's pins, a few real RustSec records about them, one broken record about
/// `time`, and an OSV directory with a good and a broken record.
fn small_sources(root: &Path) -> (PathBuf, PathBuf) {
    let rustsec = root.join("rustsec");
    let real = rustsec_dir().join("crates");
    for krate in ["time", "rsa", "tokio", "smallvec"] {
        for entry in std::fs::read_dir(real.join(krate)).unwrap() {
            let path = entry.unwrap().path();
            let dir = rustsec.join("crates").join(krate);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    let broken = rustsec.join("crates/time/RUSTSEC-2099-0009.md");
    std::fs::write(broken, "```toml\n[advisory]\nid = \n```\n# x\n").unwrap();
    let osv = root.join("osv/crates.io");
    std::fs::create_dir_all(&osv).unwrap();
    std::fs::write(
        osv.join("GHSA-test-0001.json"),
        osv_record("GHSA-test-0001", "libc"),
    )
    .unwrap();
    std::fs::write(osv.join("GHSA-test-0002.json"), "{\"id\": ").unwrap();
    (rustsec, osv)
}

fn ytop() -> Vec<Package> {
    packages("cargo-old-ytop/Cargo.lock")
}

fn bad_records(packages: &[Package], db: &Database) -> Vec<String> {
    check(packages, db)
        .into_iter()
        .filter(|f| f.code == Code::DbBadRecord)
        .map(|f| f.location.path)
        .collect()
}

#[test]
fn bad_records_are_kept_in_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let (rustsec, osv) = small_sources(tmp.path());
    let dirs = [rustsec.clone(), osv.clone()];
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let packages = ytop();
    assert_eq!(
        same_as_direct(&dirs, &packages, &index),
        [IndexUse::Built, IndexUse::Built]
    );
    assert_eq!(
        same_as_direct(&dirs, &packages, &index),
        [IndexUse::Read, IndexUse::Read]
    );
    let db = Database::open_indexed(&dirs, Some(&names(&packages)), Some(&index)).unwrap();
    let bad = bad_records(&packages, &db);
    assert_eq!(bad.len(), 2, "{bad:?}");
    assert!(bad[0].ends_with("rustsec/crates/time/RUSTSEC-2099-0009.md"));
    assert!(bad[1].ends_with("osv/crates.io/GHSA-test-0002.json"));
    assert!(Path::new(&bad[0]).is_file() && Path::new(&bad[1]).is_file());
    // A lockfile without `time` does not see the RustSec one, as with the direct load.
    let lock = [crate_at("rsa", "0.9.6", 3)];
    assert_eq!(bad_records(&lock, &db).len(), 2, "opened for ytop");
    let db = Database::open_indexed(&dirs, Some(&names(&lock)), Some(&index)).unwrap();
    assert_eq!(bad_records(&lock, &db).len(), 1);
    same_as_direct(&dirs, &lock, &index);
}

/// A named change to the bytes of a valid index file.
type Damage = (&'static str, Box<dyn Fn(&mut Vec<u8>)>);

/// Ways an index file can be damaged or foreign.
fn damages(foreign: &[u8]) -> Vec<Damage> {
    let foreign = foreign.to_vec();
    vec![
        ("empty", Box::new(Vec::clear)),
        ("ten bytes", Box::new(|b: &mut Vec<u8>| b.truncate(10))),
        ("half", Box::new(|b: &mut Vec<u8>| b.truncate(b.len() / 2))),
        (
            "one byte short",
            Box::new(|b: &mut Vec<u8>| {
                b.pop();
            }),
        ),
        ("one byte more", Box::new(|b: &mut Vec<u8>| b.push(0))),
        (
            "last byte flipped",
            Box::new(|b: &mut Vec<u8>| {
                *b.last_mut().unwrap() ^= 1;
            }),
        ),
        (
            "checksum flipped",
            Box::new(|b: &mut Vec<u8>| b[30] ^= 0x80),
        ),
        ("magic", Box::new(|b: &mut Vec<u8>| b[0] = b'X')),
        ("format version", Box::new(|b: &mut Vec<u8>| b[8] = 99)),
        (
            "garbage",
            Box::new(|b: &mut Vec<u8>| {
                for (i, x) in b.iter_mut().enumerate() {
                    *x = (i * 31 % 251) as u8;
                }
            }),
        ),
        (
            "another source's index",
            Box::new(move |b: &mut Vec<u8>| {
                b.clone_from(&foreign);
            }),
        ),
    ]
}

#[test]
fn a_damaged_or_foreign_index_is_rebuilt_and_gives_the_same_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let (rustsec, osv) = small_sources(tmp.path());
    let packages = ytop();
    // A valid index of another source, to be found under this source's key.
    let other = AdvisoryIndex::new(tmp.path().join("other"));
    same_as_direct(std::slice::from_ref(&osv), &packages, &other);
    let foreign = std::fs::read(&index_files(other.dir())[0]).unwrap();

    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let dirs = [rustsec];
    assert_eq!(same_as_direct(&dirs, &packages, &index), [IndexUse::Built]);
    let file = index_files(index.dir()).pop().unwrap();
    let good = std::fs::read(&file).unwrap();
    for (name, damage) in damages(&foreign) {
        let mut bytes = good.clone();
        damage(&mut bytes);
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(
            same_as_direct(&dirs, &packages, &index),
            [IndexUse::Built],
            "{name}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            good,
            "{name}: rebuilt as it was"
        );
        assert_eq!(
            same_as_direct(&dirs, &packages, &index),
            [IndexUse::Read],
            "{name}"
        );
    }
    assert_eq!(index_files(index.dir()), [file], "no temporary file left");
}

#[test]
fn a_changed_source_is_indexed_again_and_its_new_records_found() {
    let tmp = tempfile::tempdir().unwrap();
    let (rustsec, osv) = small_sources(tmp.path());
    let dirs = [rustsec.clone(), osv.clone()];
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let packages = ytop();
    let ids = |db: &Database| -> Vec<String> {
        let mut ids: Vec<String> = check(&packages, db)
            .into_iter()
            .filter_map(|f| f.id)
            .collect();
        ids.sort();
        ids
    };
    let open = || Database::open_indexed(&dirs, Some(&names(&packages)), Some(&index)).unwrap();
    same_as_direct(&dirs, &packages, &index);
    assert!(!ids(&open()).contains(&"RUSTSEC-2099-0001".to_owned()));

    // A new record in each source.
    write_rustsec(&rustsec, "libc", "RUSTSEC-2099-0001", "New issue", "");
    std::fs::write(
        osv.join("GHSA-test-0003.json"),
        osv_record("GHSA-test-0003", "log"),
    )
    .unwrap();
    assert_eq!(
        same_as_direct(&dirs, &packages, &index),
        [IndexUse::Built, IndexUse::Built]
    );
    let found = ids(&open());
    assert!(found.contains(&"RUSTSEC-2099-0001".to_owned()), "{found:?}");
    assert!(found.contains(&"GHSA-test-0003".to_owned()), "{found:?}");

    // A record rewritten in place.
    write_rustsec(&rustsec, "libc", "RUSTSEC-2099-0001", "Renamed issue", "");
    assert_eq!(
        same_as_direct(&dirs, &packages, &index),
        [IndexUse::Built, IndexUse::Read]
    );
    let db = open();
    let renamed = check(&packages, &db)
        .into_iter()
        .find(|f| f.id.as_deref() == Some("RUSTSEC-2099-0001"))
        .unwrap();
    assert_eq!(renamed.message, "Renamed issue");

    // A record removed.
    std::fs::remove_file(osv.join("GHSA-test-0003.json")).unwrap();
    same_as_direct(&dirs, &packages, &index);
    assert!(!ids(&open()).contains(&"GHSA-test-0003".to_owned()));
}

#[test]
fn a_changed_archive_is_indexed_again() {
    use std::io::Write as _;
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("all.zip");
    let write_zip = |ids: &[&str]| {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
        for id in ids {
            zip.start_file(
                format!("{id}.json"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            zip.write_all(osv_record(id, "libc").as_bytes()).unwrap();
        }
        zip.start_file("bad.json", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"[").unwrap();
        zip.finish().unwrap();
    };
    write_zip(&["GHSA-zip-0001"]);
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let dirs = [archive.clone()];
    let packages = ytop();
    assert_eq!(same_as_direct(&dirs, &packages, &index), [IndexUse::Built]);
    assert_eq!(same_as_direct(&dirs, &packages, &index), [IndexUse::Read]);
    write_zip(&["GHSA-zip-0001", "GHSA-zip-0002"]);
    assert_eq!(same_as_direct(&dirs, &packages, &index), [IndexUse::Built]);
    let db = Database::open_indexed(&dirs, Some(&names(&packages)), Some(&index)).unwrap();
    let findings = check(&packages, &db);
    assert!(
        findings
            .iter()
            .any(|f| f.id.as_deref() == Some("GHSA-zip-0002"))
    );
    let bad = findings
        .iter()
        .find(|f| f.code == Code::DbBadRecord)
        .unwrap();
    assert_eq!(bad.location.path, archive.to_string_lossy());
    assert!(
        bad.message.contains("archive entry `bad.json`"),
        "{}",
        bad.message
    );
}

#[test]
fn an_index_directory_that_cannot_be_written_still_gives_correct_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let (rustsec, osv) = small_sources(tmp.path());
    let dirs = [rustsec.clone(), osv];
    let packages = ytop();
    // Below a regular file: not even root can create it.
    std::fs::write(tmp.path().join("file"), "").unwrap();
    let index = AdvisoryIndex::new(tmp.path().join("file/index"));
    assert_eq!(
        same_as_direct(&dirs, &packages, &index),
        [IndexUse::Unavailable, IndexUse::Unavailable]
    );
    assert!(matches!(
        index.build(&rustsec),
        Err(IndexError::Write { .. })
    ));
    // The index file's name taken by a directory: parsed, used, but not saved.
    let index = AdvisoryIndex::new(tmp.path().join("index"));
    let blocked = index.status(&rustsec).unwrap().file;
    std::fs::create_dir_all(blocked.join("x")).unwrap();
    assert_eq!(
        same_as_direct(&dirs, &packages, &index)[0],
        IndexUse::Unavailable
    );
    assert_eq!(
        index_files(index.dir()).len(),
        2,
        "only the OSV index and the directory"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn fetched_data_is_keyed_by_its_checksum_wherever_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let (rustsec, _) = small_sources(tmp.path());
    let sha = "ab".repeat(32);
    let index_dir = tmp.path().join("index");
    let index = AdvisoryIndex::new(&index_dir).with_content_key(&rustsec, &sha);
    let status = index.status(&rustsec).unwrap();
    assert_eq!(status.file, index_dir.join(format!("{sha}.idx")));
    assert_eq!(status.state, IndexState::Missing);
    let built = index.build(&rustsec).unwrap();
    let IndexState::Present {
        bytes,
        content_sha256,
    } = built.state.clone()
    else {
        panic!("{built:?}")
    };
    assert_eq!(content_sha256, sha);
    assert_eq!(bytes, std::fs::metadata(&status.file).unwrap().len());
    assert_eq!(index.build(&rustsec).unwrap(), built, "built once");

    // The same data elsewhere, with the same checksum: the index is read, and the bad record
    // points into the copy.
    let copy = tmp.path().join("copy");
    copy_tree(&rustsec, &copy);
    let index = AdvisoryIndex::new(&index_dir).with_content_key(&copy, &sha.to_uppercase());
    let packages = ytop();
    assert_eq!(
        same_as_direct(std::slice::from_ref(&copy), &packages, &index),
        [IndexUse::Read]
    );
    let db = Database::open_indexed(
        std::slice::from_ref(&copy),
        Some(&names(&packages)),
        Some(&index),
    )
    .unwrap();
    assert!(db.bad_records[0].path.starts_with(&copy));

    std::fs::write(&status.file, b"SGADVIDX").unwrap();
    assert_eq!(
        index.status(&copy).unwrap().state,
        IndexState::Invalid { bytes: 8 }
    );
    index.discard(&sha);
    assert_eq!(index.status(&copy).unwrap().state, IndexState::Missing);
    // A checksum that is no SHA-256 is not a file name: the source is keyed by its files.
    let index = AdvisoryIndex::new(&index_dir).with_content_key(&copy, "../../etc/passwd");
    let status = index.build(&copy).unwrap();
    assert!(status.file.starts_with(&index_dir));
    let IndexState::Present { content_sha256, .. } = status.state else {
        panic!("{status:?}")
    };
    assert_eq!(content_sha256.len(), 64);
    assert_ne!(
        status.file.file_stem().unwrap().to_str().unwrap(),
        content_sha256,
        "found by fingerprint, stores the content hash"
    );
}

#[test]
fn a_path_of_several_sources_has_no_single_index() {
    let tmp = tempfile::tempdir().unwrap();
    let index = AdvisoryIndex::new(tmp.path());
    assert!(matches!(
        index.build(&osv_dir()),
        Err(IndexError::NotIndexable { .. })
    ));
    assert!(index.build(&osv_dir().join("PyPI")).is_ok());
}

#[test]
fn direct_rustsec_trees_skip_the_fingerprint_and_find_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let index = AdvisoryIndex::new(tmp.path().join("index")).with_direct_rustsec_trees();
    let dirs = [rustsec_dir(), osv_dir()];
    for lockfile in LOCKFILES {
        let packages = packages(lockfile);
        // The RustSec tree is read directly; the OSV tree still goes through its index.
        let used = same_as_direct(&dirs, &packages, &index);
        assert_eq!(used[0], IndexUse::Off, "{lockfile}");
        assert_ne!(used[1], IndexUse::Off, "{lockfile}");
    }
}
