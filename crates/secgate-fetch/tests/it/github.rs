//! `tag_commit` against a loopback server that answers like the GitHub REST API.

use secgate_fetch::{FetchError, tag_commit};

use crate::options;
use crate::server::{Route, Server};

const SHA: &str = "de0fac2e4500dabe0009e67214ff5f5447ce83dd";

#[test]
fn resolves_tags_to_commits_and_tells_missing_from_failed() {
    let server = Server::start();
    server.route(
        "/gh/repos/actions/checkout/commits/v6.0.2",
        Route::handler(|request| {
            // The sha media type makes the API answer with the bare commit SHA.
            assert_eq!(request.header("accept"), Some("application/vnd.github.sha"));
            if request.header("authorization") == Some("Bearer t0k") {
                (200, format!("{}\n", SHA.to_uppercase()).into_bytes())
            } else {
                (401, Vec::new())
            }
        }),
    );
    server.route("/gh/repos/actions/checkout/commits/v99", Route::Status(422));
    server.route("/gh/repos/gone/repo/commits/v1", Route::Status(404));
    server.route("/gh/repos/rate/limited/commits/v1", Route::Status(403));
    server.route(
        "/gh/repos/html/answer/commits/v1",
        Route::serve(b"<html>", "x"),
    );
    let opts = options(&server);
    let api = &opts.endpoints.github_api;

    let got = tag_commit(api, "actions/checkout", "v6.0.2", Some("t0k"), &opts).unwrap();
    assert_eq!(got.as_deref(), Some(SHA));
    assert_eq!(
        tag_commit(api, "actions/checkout", "v99", None, &opts).unwrap(),
        None
    );
    assert_eq!(
        tag_commit(api, "gone/repo", "v1", None, &opts).unwrap(),
        None
    );
    assert!(matches!(
        tag_commit(api, "rate/limited", "v1", None, &opts),
        Err(FetchError::Http { status: 403, .. })
    ));
    assert!(matches!(
        tag_commit(api, "html/answer", "v1", None, &opts),
        Err(FetchError::UnexpectedResponse { .. })
    ));
    for (repo, tag) in [
        ("a", "v1"),
        ("a/b/c", "v1"),
        ("../x", "v1"),
        ("a/b", "v1?x=1"),
        ("a/b", ""),
    ] {
        assert!(matches!(
            tag_commit(api, repo, tag, None, &opts),
            Err(FetchError::InvalidName { .. })
        ));
    }
    assert_eq!(server.requests().len(), 5);
}
