//! `yanked_versions`: sparse index paths, parsing, and the per-crate cache.

use std::collections::BTreeMap;
use std::time::Duration;

use secgate_fetch::{FetchError, yanked_versions};

use crate::options;
use crate::server::{Route, Server};

const HOUR: Duration = Duration::from_secs(3600);

fn index_file(versions: &[(&str, bool)]) -> Vec<u8> {
    let cksum = "0".repeat(64);
    let lines: Vec<String> = versions
        .iter()
        .map(|(vers, yanked)| {
            format!(
                r#"{{"name":"smallvec","vers":"{vers}","deps":[],"cksum":"{cksum}","features":{{}},"yanked":{yanked},"v":2}}"#
            )
        })
        .collect();
    format!("{}\n", lines.join("\n")).into_bytes()
}

fn map(versions: &[(&str, bool)]) -> BTreeMap<String, bool> {
    versions
        .iter()
        .map(|(v, y)| ((*v).to_owned(), *y))
        .collect()
}

#[test]
fn parses_caches_and_revalidates() {
    let server = Server::start();
    let path = "/index/sm/al/smallvec";
    let v1 = [("0.6.9", true), ("0.6.10", false), ("1.13.2", false)];
    server.route(path, Route::serve(&index_file(&v1), "i1"));
    let cache = tempfile::tempdir().unwrap();
    let opts = options(&server);

    // Mixed case is looked up and cached under the lowercase name.
    assert_eq!(
        yanked_versions(cache.path(), "SmallVec", &opts, HOUR).unwrap(),
        map(&v1)
    );
    assert!(cache.path().join("crates-index/smallvec.json").is_file());
    assert_eq!(server.requests_to(path).len(), 1);

    // Younger than max_age: no request.
    assert_eq!(
        yanked_versions(cache.path(), "smallvec", &opts, HOUR).unwrap(),
        map(&v1)
    );
    assert_eq!(server.requests_to(path).len(), 1);

    // Older: a conditional request, answered 304.
    assert_eq!(
        yanked_versions(cache.path(), "smallvec", &opts, Duration::ZERO).unwrap(),
        map(&v1)
    );
    let requests = server.requests_to(path);
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].header("if-none-match"), Some("\"i1\""));
    assert_eq!(requests[1].status, 304);

    // The index changed: the new answer replaces the cached one.
    let v2 = [("0.6.9", true), ("0.6.10", true), ("1.13.2", false)];
    server.route(path, Route::serve(&index_file(&v2), "i2"));
    assert_eq!(
        yanked_versions(cache.path(), "smallvec", &opts, Duration::ZERO).unwrap(),
        map(&v2)
    );
    assert_eq!(server.requests_to(path)[2].status, 200);
    assert_eq!(
        yanked_versions(cache.path(), "smallvec", &opts, HOUR).unwrap(),
        map(&v2)
    );
    assert_eq!(server.requests_to(path).len(), 3);
}

#[test]
fn short_names_unknown_crates_and_bad_urls() {
    let server = Server::start();
    server.route(
        "/index/3/a/abc",
        Route::serve(&index_file(&[("1.0.0", false)]), "a"),
    );
    server.route(
        "/index/1/x",
        Route::serve(&index_file(&[("0.1.0", true)]), "x"),
    );
    let cache = tempfile::tempdir().unwrap();
    let mut opts = options(&server);

    assert_eq!(
        yanked_versions(cache.path(), "abc", &opts, HOUR).unwrap(),
        map(&[("1.0.0", false)])
    );
    assert_eq!(
        yanked_versions(cache.path(), "x", &opts, HOUR).unwrap(),
        map(&[("0.1.0", true)])
    );
    assert!(matches!(
        yanked_versions(cache.path(), "no-such-crate", &opts, HOUR),
        Err(FetchError::Http { status: 404, .. })
    ));
    let requests = server.requests().len();

    opts.endpoints.crates_index = "http://example.com".to_owned();
    assert!(matches!(
        yanked_versions(cache.path(), "other", &opts, HOUR),
        Err(FetchError::InsecureUrl { .. })
    ));
    assert_eq!(server.requests().len(), requests);
}
