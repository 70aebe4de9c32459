//! `fetch`: install, revalidation with `ETag`s, and every failure leaving the previous database.

use std::fs;
use std::path::Path;

use secgate_fetch::{FetchError, FetchOptions, Manifest, fetch, read_manifest};

use crate::data::{self, COMMIT, OSV_RECORDS};
use crate::options;
use crate::server::{Route, Server};

const RUSTSEC: &str = "/rustsec/main.zip";
const OSV: &str = "/osv/crates.io/all.zip";

/// A server with both archives, and a cache holding one successful fetch of them.
fn fetched() -> (Server, tempfile::TempDir, FetchOptions, Manifest) {
    let server = Server::start();
    server.route(RUSTSEC, Route::serve(&data::rustsec().zip, "r1"));
    server.route(OSV, Route::serve(data::osv(), "o1"));
    let cache = tempfile::tempdir().unwrap();
    let opts = options(&server);
    let manifest = fetch(cache.path(), &opts).unwrap();
    (server, cache, opts, manifest)
}

/// Runs a failing fetch and checks the previous database is byte for byte what it was, with
/// no staging directory left behind.
fn fails_keeping_db(cache: &Path, opts: &FetchOptions) -> FetchError {
    let db = cache.join("db");
    let before = data::snapshot(&db);
    let err = fetch(cache, opts).unwrap_err();
    assert_eq!(data::snapshot(&db), before, "previous db changed by: {err}");
    assert_eq!(data::leftovers(cache), Vec::<String>::new());
    err
}

#[test]
fn installs_verified_archives_and_manifest() {
    let (server, cache, _, manifest) = fetched();
    let db = cache.path().join("db");
    let archive = data::rustsec();

    let tree = db.join("rustsec");
    assert!(tree.join("crates").is_dir());
    assert_eq!(
        fs::read(tree.join(&archive.sample)).unwrap(),
        fs::read(data::shared().join("rustsec").join(&archive.sample)).unwrap()
    );
    assert!(tree.join("README.md").is_file());
    assert!(!db.join("rustsec.zip").exists());
    assert_eq!(
        fs::read(db.join("osv/crates.io/all.zip")).unwrap(),
        data::osv()
    );
    assert_eq!(data::leftovers(cache.path()), Vec::<String>::new());

    let rustsec = manifest.source("rustsec").unwrap();
    assert_eq!(rustsec.url, server.url(RUSTSEC));
    assert_eq!(rustsec.path, "rustsec");
    assert_eq!(rustsec.size, archive.zip.len() as u64);
    assert_eq!(rustsec.sha256, data::sha256(&archive.zip));
    assert_eq!(rustsec.etag.as_deref(), Some("\"r1\""));
    assert_eq!(rustsec.revision.as_deref(), Some(COMMIT));
    assert_eq!(rustsec.records, archive.advisories);
    assert!(rustsec.records >= data::RUSTSEC_CRATES as u64);

    let osv = manifest.source("osv/crates.io").unwrap();
    assert_eq!(osv.path, "osv/crates.io/all.zip");
    assert_eq!(osv.size, data::osv().len() as u64);
    assert_eq!(osv.sha256, data::sha256(data::osv()));
    assert_eq!(osv.etag.as_deref(), Some("\"o1\""));
    assert_eq!(osv.records, OSV_RECORDS as u64);
    assert_eq!(osv.revision, None);
    assert_eq!(manifest.sources.len(), 2);
    assert!(manifest.fetched_at > 0);

    assert_eq!(read_manifest(cache.path()).unwrap(), Some(manifest));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert!(
            request
                .header("user-agent")
                .unwrap()
                .starts_with("secgate/")
        );
        assert_eq!(request.header("if-none-match"), None);
    }
}

#[test]
fn second_fetch_revalidates_and_downloads_nothing_unchanged() {
    let (server, cache, opts, first) = fetched();
    let db = cache.path().join("db");
    let before = data::snapshot(&db);

    let second = fetch(cache.path(), &opts).unwrap();
    for path in [RUSTSEC, OSV] {
        let requests = server.requests_to(path);
        assert_eq!(requests.len(), 2, "{path}");
        assert_eq!(requests[1].status, 304, "{path}");
        assert!(requests[1].header("if-none-match").is_some());
    }
    for (old, new) in first.sources.iter().zip(&second.sources) {
        assert_eq!(
            (&old.sha256, old.size, &old.etag),
            (&new.sha256, new.size, &new.etag)
        );
        assert_eq!((old.records, &old.revision), (new.records, &new.revision));
        assert!(new.fetched_at >= old.fetched_at);
    }
    // Only the manifest's timestamps may differ.
    let without_manifest = |mut files: std::collections::BTreeMap<_, _>| {
        files.remove(Path::new("manifest.json"));
        files
    };
    assert_eq!(
        without_manifest(data::snapshot(&db)),
        without_manifest(before)
    );
    assert_eq!(data::leftovers(cache.path()), Vec::<String>::new());

    // A changed archive (new ETag) is downloaded again; the unchanged one is not.
    let smaller = data::zip_of(&[("RUSTSEC-0000-0000.json", b"{}")], None);
    server.route(OSV, Route::serve(&smaller, "o2"));
    let third = fetch(cache.path(), &opts).unwrap();
    assert_eq!(server.requests_to(RUSTSEC)[2].status, 304);
    assert_eq!(server.requests_to(OSV)[2].status, 200);
    let osv = third.source("osv/crates.io").unwrap();
    assert_eq!((osv.records, osv.etag.as_deref()), (1, Some("\"o2\"")));
    assert_eq!(fs::read(db.join("osv/crates.io/all.zip")).unwrap(), smaller);
    assert!(db.join("rustsec").join(&data::rustsec().sample).is_file());
}

#[test]
fn truncated_download_keeps_previous_db() {
    let (server, cache, opts, _) = fetched();
    // The RustSec archive changes (so staging holds a fresh extraction), then OSV is cut short.
    server.route(RUSTSEC, Route::serve(&data::rustsec().zip, "r2"));
    server.route(
        OSV,
        Route::Truncated {
            body: data::osv()[..1000].to_vec(),
            missing: 500,
        },
    );
    match fails_keeping_db(cache.path(), &opts) {
        FetchError::Truncated { url, expected, got } => {
            assert_eq!(url, server.url(OSV));
            assert_eq!((expected, got), (1500, 1000));
        }
        other => panic!("expected Truncated, got {other:?}"),
    }
}

#[test]
fn corrupted_or_cut_zip_is_a_bad_archive_and_never_installed() {
    let (server, cache, opts, _) = fetched();
    let mut corrupted = data::rustsec().zip.clone();
    let middle = corrupted.len() / 2;
    for byte in &mut corrupted[middle..middle + 64] {
        *byte ^= 0x5a;
    }
    server.route(RUSTSEC, Route::serve(&corrupted, "bad"));
    let err = fails_keeping_db(cache.path(), &opts);
    assert!(matches!(err, FetchError::BadArchive { .. }), "{err:?}");

    // Half an archive served with a matching Content-Length: only the zip check catches it.
    let half = &data::osv()[..data::osv().len() / 2];
    server.route(RUSTSEC, Route::serve(&data::rustsec().zip, "r1"));
    server.route(OSV, Route::serve(half, "half"));
    let err = fails_keeping_db(cache.path(), &opts);
    assert!(matches!(err, FetchError::BadArchive { .. }), "{err:?}");
}

#[test]
fn not_found_keeps_previous_db() {
    let (server, cache, opts, _) = fetched();
    server.route(OSV, Route::Status(404));
    match fails_keeping_db(cache.path(), &opts) {
        FetchError::Http { url, status } => assert_eq!((url, status), (server.url(OSV), 404)),
        other => panic!("expected Http, got {other:?}"),
    }
}

#[test]
fn first_fetch_failing_installs_nothing() {
    let server = Server::start();
    server.route(RUSTSEC, Route::serve(&data::rustsec().zip, "r1"));
    server.route(OSV, Route::Status(500));
    let cache = tempfile::tempdir().unwrap();
    let err = fetch(cache.path(), &options(&server)).unwrap_err();
    assert!(matches!(err, FetchError::Http { status: 500, .. }));
    assert_eq!(fs::read_dir(cache.path()).unwrap().count(), 0);
    assert_eq!(read_manifest(cache.path()).unwrap(), None);
}

#[test]
fn plain_http_to_another_host_is_refused_before_connecting() {
    let server = Server::start();
    let parent = tempfile::tempdir().unwrap();
    let cache = parent.path().join("cache");
    let mut opts = options(&server);
    opts.endpoints.osv_base = "http://example.com/osv".to_owned();
    match fetch(&cache, &opts).unwrap_err() {
        FetchError::InsecureUrl { url } => {
            assert_eq!(url, "http://example.com/osv/crates.io/all.zip");
        }
        other => panic!("expected InsecureUrl, got {other:?}"),
    }
    assert!(!cache.exists());
    assert!(server.requests().is_empty());
}

#[test]
fn too_large_download_is_refused() {
    let (server, cache, mut opts, _) = fetched();
    server.route(RUSTSEC, Route::serve(&data::rustsec().zip, "r2"));
    opts.max_bytes = 10_000;
    let err = fails_keeping_db(cache.path(), &opts);
    assert!(
        matches!(err, FetchError::TooLarge { limit: 10_000, .. }),
        "{err:?}"
    );
}

#[test]
fn unsafe_entries_are_refused_and_nothing_escapes() {
    let (server, cache, opts, _) = fetched();
    let advisory: &[u8] = b"```toml\n[advisory]\n```\n";
    let cases = [
        (
            data::zip_of(
                &[
                    ("advisory-db-main/crates/a/RUSTSEC-0000-0001.md", advisory),
                    ("advisory-db-main/crates/../../../escaped.txt", b"x"),
                ],
                None,
            ),
            "advisory-db-main/crates/../../../escaped.txt",
        ),
        (
            data::zip_of(&[("/tmp/escaped-absolute.txt", b"x")], None),
            "/tmp/escaped-absolute.txt",
        ),
        (
            data::zip_of(
                &[("advisory-db-main/crates/a/RUSTSEC-0000-0001.md", advisory)],
                Some(("advisory-db-main/crates/link", "/etc")),
            ),
            "advisory-db-main/crates/link",
        ),
    ];
    for (zip, bad_entry) in cases {
        server.route(RUSTSEC, Route::serve(&zip, "slip"));
        match fails_keeping_db(cache.path(), &opts) {
            FetchError::UnsafeEntry { entry, .. } => assert_eq!(entry, bad_entry),
            other => panic!("expected UnsafeEntry for {bad_entry}, got {other:?}"),
        }
    }
    let parent = cache.path().parent().unwrap();
    assert!(!parent.join("escaped.txt").exists());
    assert!(!cache.path().join("escaped.txt").exists());
}

#[test]
fn archives_without_an_advisory_db_layout_are_refused() {
    let (server, cache, opts, _) = fetched();
    let advisory: &[u8] = b"x";
    for zip in [
        data::zip_of(&[("RUSTSEC-0000-0001.md", advisory)], None),
        data::zip_of(&[("top/docs/README.md", advisory)], None),
        data::zip_of(
            &[("a/crates/x/R.md", advisory), ("b/crates/y/R.md", advisory)],
            None,
        ),
    ] {
        server.route(RUSTSEC, Route::serve(&zip, "layout"));
        let err = fails_keeping_db(cache.path(), &opts);
        assert!(
            matches!(err, FetchError::UnexpectedLayout { .. }),
            "{err:?}"
        );
    }
}
