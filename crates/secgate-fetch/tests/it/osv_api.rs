//! The OSV API client: request shape, batching, pagination, single records.

use std::fs;

use serde_json::{Value, json};

use secgate_fetch::{FetchError, PackageQuery, osv_query, osv_vuln};

use crate::data;
use crate::options;
use crate::server::{Request, Route, Server};

const BATCH: &str = "/api/v1/querybatch";

fn query(name: &str, version: &str) -> PackageQuery {
    PackageQuery {
        ecosystem: "crates.io".to_owned(),
        name: name.to_owned(),
        version: version.to_owned(),
    }
}

fn vulns(ids: &[&str]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| json!({"id": id, "modified": "2026-08-21T00:00:00Z"}))
            .collect(),
    )
}

/// `paged` has two pages (the second repeats an id), `hit` one advisory, others none.
fn answer(request: &Request) -> (u16, Vec<u8>) {
    let results: Vec<Value> = request.json()["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            match (
                q["package"]["name"].as_str().unwrap(),
                q["page_token"].as_str(),
            ) {
                ("paged", None) => json!({
                    "vulns": vulns(&["RUSTSEC-2016-0001"]),
                    "next_page_token": "page-2"
                }),
                ("paged", Some("page-2")) => {
                    json!({"vulns": vulns(&["RUSTSEC-2017-0001", "RUSTSEC-2016-0001"])})
                }
                ("hit", None) => json!({"vulns": vulns(&["RUSTSEC-2018-0001"])}),
                _ => json!({}),
            }
        })
        .collect();
    (
        200,
        serde_json::to_vec(&json!({ "results": results })).unwrap(),
    )
}

#[test]
fn query_sends_batches_and_follows_page_tokens() {
    let server = Server::start();
    server.route(BATCH, Route::handler(answer));
    let opts = options(&server);
    let queries = [
        query("paged", "0.1.0"),
        query("hit", "1.2.3"),
        query("clean", "2.0.0"),
    ];

    let ids = osv_query(&opts.endpoints.osv_api, &queries, &opts).unwrap();
    assert_eq!(
        ids,
        [
            vec!["RUSTSEC-2016-0001", "RUSTSEC-2017-0001"],
            vec!["RUSTSEC-2018-0001"],
            vec![],
        ]
    );

    let requests = server.requests_to(BATCH);
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "POST"));
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(
        requests[0].json(),
        json!({"queries": [
            {"package": {"name": "paged", "ecosystem": "crates.io"}, "version": "0.1.0"},
            {"package": {"name": "hit", "ecosystem": "crates.io"}, "version": "1.2.3"},
            {"package": {"name": "clean", "ecosystem": "crates.io"}, "version": "2.0.0"},
        ]})
    );
    assert_eq!(
        requests[1].json(),
        json!({"queries": [
            {"package": {"name": "paged", "ecosystem": "crates.io"}, "version": "0.1.0",
             "page_token": "page-2"},
        ]})
    );
}

#[test]
fn query_splits_into_batches_of_1000() {
    let server = Server::start();
    server.route(BATCH, Route::handler(answer));
    let opts = options(&server);
    let queries: Vec<_> = (0..1001)
        .map(|i| query(&format!("c{i}"), "1.0.0"))
        .collect();
    let ids = osv_query(&opts.endpoints.osv_api, &queries, &opts).unwrap();
    assert_eq!(ids.len(), 1001);
    assert!(ids.iter().all(Vec::is_empty));
    let sizes: Vec<_> = server
        .requests_to(BATCH)
        .iter()
        .map(|r| r.json()["queries"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [1000, 1]);
    assert!(
        osv_query(&opts.endpoints.osv_api, &[], &opts)
            .unwrap()
            .is_empty()
    );
    assert_eq!(server.requests_to(BATCH).len(), 2);
}

#[test]
fn query_rejects_a_wrong_number_of_results() {
    let server = Server::start();
    server.route(
        BATCH,
        Route::handler(|_| (200, br#"{"results":[]}"#.to_vec())),
    );
    let opts = options(&server);
    let err = osv_query(&opts.endpoints.osv_api, &[query("x", "1")], &opts).unwrap_err();
    assert!(
        matches!(err, FetchError::UnexpectedResponse { .. }),
        "{err:?}"
    );
}

#[test]
fn vuln_returns_the_record_as_served() {
    let server = Server::start();
    let record = fs::read(data::shared().join("osv/crates.io/RUSTSEC-2016-0001.json")).unwrap();
    server.route(
        "/api/v1/vulns/RUSTSEC-2016-0001",
        Route::serve(&record, "v1"),
    );
    server.route("/api/v1/vulns/NOT-JSON-1", Route::serve(b"<html>", "x"));
    let opts = options(&server);
    let api = &opts.endpoints.osv_api;

    assert_eq!(osv_vuln(api, "RUSTSEC-2016-0001", &opts).unwrap(), record);
    assert!(matches!(
        osv_vuln(api, "RUSTSEC-2099-0001", &opts),
        Err(FetchError::Http { status: 404, .. })
    ));
    assert!(matches!(
        osv_vuln(api, "NOT-JSON-1", &opts),
        Err(FetchError::Json { .. })
    ));
    for bad in ["../x", "a/b", "", "a?b"] {
        assert!(matches!(
            osv_vuln(api, bad, &opts),
            Err(FetchError::InvalidName { .. })
        ));
    }
    assert!(matches!(
        osv_vuln("http://example.com", "RUSTSEC-2016-0001", &opts),
        Err(FetchError::InsecureUrl { .. })
    ));
    assert_eq!(server.requests().len(), 3);
}
