//! `secgate db fetch | status` and audits on the fetched cache, against a loopback HTTP server
//! serving real archives built from ../shared/advisory-data: success, truncated downloads,
//! 404, a stale cache, and `--offline` never opening a socket.

mod common;
#[path = "../crates/secgate-fetch/tests/it/server.rs"]
#[allow(dead_code)]
mod server;

use common::{fixture, rustsec_db, s, shared};
use serde_json::Value;
use server::{Route, Server};
use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;
use zip::write::SimpleFileOptions;

/// A GitHub-style archive of the RustSec tree: every file under `advisory-db-main/`, the commit
/// in the zip comment.
fn rustsec_zip() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let root = rustsec_db();
    let mut stack = vec![root.join("crates")];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for file in files {
        let rel = file.strip_prefix(&root).unwrap().to_str().unwrap();
        zip.start_file(
            format!("advisory-db-main/{rel}"),
            SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.set_comment("bf5c0d245a92671908518d7e765914d437954ed6")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

/// An OSV `all.zip` of the crates.io records.
fn osv_zip() -> Vec<u8> {
    zip_of(&shared().join("advisory-data/osv/crates.io"))
}

/// An `all.zip` of every file of `dir`.
fn zip_of(dir: &Path) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        zip.start_file(
            file.file_name().unwrap().to_str().unwrap(),
            SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn serving_databases() -> Server {
    let server = Server::start();
    server.route("/advisory-db.zip", Route::serve(&rustsec_zip(), "rs-1"));
    server.route("/osv/crates.io/all.zip", Route::serve(&osv_zip(), "osv-1"));
    server
}

/// `secgate` with the endpoints on `server`, the cache in `cache`, online unless `args` says
/// `--offline`.
fn secgate(server: &Server, cache: &Path, args: &[&str]) -> common::Run {
    common::run(
        Command::new(env!("CARGO_BIN_EXE_secgate"))
            .args(args)
            .env_remove("SECGATE_DB")
            .env_remove("SECGATE_OFFLINE")
            .env("NO_COLOR", "1")
            .env("SECGATE_CACHE", cache)
            .env("SECGATE_RUSTSEC_URL", server.url("/advisory-db.zip"))
            .env("SECGATE_OSV_URL", server.url("/osv"))
            .env("SECGATE_OSV_API_URL", server.url("/api"))
            .env("SECGATE_CRATES_INDEX_URL", server.url("/index")),
    )
}

fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap(),
                f["id"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn manifest(cache: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(cache.join("db/manifest.json")).unwrap()).unwrap()
}

#[test]
fn fetch_then_audit_offline_from_the_cache() {
    let server = serving_databases();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let run = secgate(&server, &cache, &["db", "fetch"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("rustsec"), "{}", run.stdout);
    assert!(run.stdout.contains("osv/crates.io"), "{}", run.stdout);
    let m = manifest(&cache);
    let names: Vec<&str> = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["rustsec", "osv/crates.io"]);
    assert_eq!(
        m["sources"][0]["revision"],
        "bf5c0d245a92671908518d7e765914d437954ed6"
    );
    assert_eq!(m["sources"][0]["sha256"].as_str().unwrap().len(), 64);

    let status = secgate(&server, &cache, &["db", "status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    // Just fetched: seconds ago (a loaded CI machine may take a few between the two runs).
    let seconds = status
        .stdout
        .split_once("(fetched ")
        .and_then(|(_, rest)| rest.split_once("s ago)"))
        .and_then(|(n, _)| n.parse::<u64>().ok());
    assert!(seconds.is_some_and(|s| s < 60), "{}", status.stdout);
    // `db fetch` built an index per source.
    assert_eq!(
        status.stdout.matches("index present").count(),
        2,
        "{}",
        status.stdout
    );

    let requests_before = server.requests().len();
    let run = secgate(
        &server,
        &cache,
        &[
            "audit",
            s(&fixture("vuln-old-time")),
            "--offline",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(findings(&report), ["vulnerability RUSTSEC-2020-0071"]);
    assert_eq!(
        server.requests().len(),
        requests_before,
        "--offline opened no connection"
    );
}

#[test]
fn a_failed_fetch_keeps_the_previous_cache_and_exits_2() {
    let server = serving_databases();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    assert_eq!(secgate(&server, &cache, &["db", "fetch"]).code, 0);
    let before = std::fs::read(cache.join("db/manifest.json")).unwrap();

    let full = osv_zip();
    server.route(
        "/osv/crates.io/all.zip",
        Route::Truncated {
            body: full[..full.len() / 2].to_vec(),
            missing: full.len() / 2,
        },
    );
    let run = secgate(&server, &cache, &["db", "fetch"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot fetch"), "{}", run.stderr);
    assert!(
        run.stderr.contains("/osv/crates.io/all.zip"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(cache.join("db/manifest.json")).unwrap(),
        before
    );

    server.route("/advisory-db.zip", Route::Status(404));
    let run = secgate(&server, &cache, &["db", "fetch"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(cache.join("db/manifest.json")).unwrap(),
        before
    );
    let mut leftovers: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        ["db", "index"],
        "no staging directory left behind"
    );

    // The kept copy still works.
    let run = secgate(
        &server,
        &cache,
        &["audit", s(&fixture("vuln-old-time")), "--offline"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn a_stale_cache_is_db_stale_and_exit_2() {
    let server = serving_databases();
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    assert_eq!(secgate(&server, &cache, &["db", "fetch"]).code, 0);
    // Pretend the fetch happened 8 days ago.
    let mut m = manifest(&cache);
    let eight_days_ago = m["fetched_at"].as_u64().unwrap() - 8 * 86_400;
    m["fetched_at"] = eight_days_ago.into();
    std::fs::write(cache.join("db/manifest.json"), m.to_string()).unwrap();

    let run = secgate(
        &server,
        &cache,
        &[
            "audit",
            s(&fixture("vuln-old-time")),
            "--offline",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(findings(&report), ["db-stale "]);
    assert_eq!(report["findings"][0]["level"], "deny");
    assert!(
        report["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("8d")
    );

    // A longer max-age in the policy accepts it, and the finding would point at that line.
    let project = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("vuln-old-time/Cargo.lock"),
        project.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(
        project.path().join("secgate.toml"),
        "[advisories]\nmax-age = \"30d\"\n",
    )
    .unwrap();
    let run = secgate(&server, &cache, &["audit", s(project.path()), "--offline"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    std::fs::write(
        project.path().join("secgate.toml"),
        "[advisories]\nmax-age = \"2d\"\n",
    )
    .unwrap();
    let run = secgate(
        &server,
        &cache,
        &["audit", s(project.path()), "--offline", "--format", "json"],
    );
    assert_eq!(run.code, 2);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["findings"][0]["location"]["path"], "secgate.toml");
    assert_eq!(report["findings"][0]["location"]["line"], 2);
}

#[test]
fn no_database_at_all_exits_2_with_a_hint() {
    let server = Server::start();
    let tmp = tempfile::tempdir().unwrap();
    let run = secgate(
        &server,
        tmp.path(),
        &["audit", s(&fixture("clean")), "--offline"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("secgate db fetch"), "{}", run.stderr);
    let status = secgate(&server, tmp.path(), &["db", "status"]);
    assert_eq!(status.code, 2);
    let fetch = secgate(&server, tmp.path(), &["db", "fetch", "--offline"]);
    assert_eq!(fetch.code, 2);
    assert!(fetch.stderr.contains("--offline"), "{}", fetch.stderr);
    assert!(server.requests().is_empty(), "nothing was requested");
}

/// Sparse-index lines for `name`: every version in `versions`, `yanked` where listed.
fn index_entry(name: &str, versions: &[(&str, bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (vers, yanked) in versions {
        let line = serde_json::json!({"name": name, "vers": vers, "deps": [], "cksum": "00", "features": {}, "yanked": yanked});
        out.extend_from_slice(line.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The index paths of the crates in `vuln-old-time`, with `time 0.1.43` yanked.
fn serve_index(server: &Server) {
    server.route(
        "/index/it/oa/itoa",
        Route::serve(&index_entry("itoa", &[("1.0.11", false)]), "i"),
    );
    server.route(
        "/index/li/bc/libc",
        Route::serve(&index_entry("libc", &[("0.2.155", false)]), "l"),
    );
    server.route(
        "/index/ti/me/time",
        Route::serve(
            &index_entry("time", &[("0.1.43", true), ("0.3.47", false)]),
            "t",
        ),
    );
    server.route(
        "/index/wi/na/winapi",
        Route::serve(&index_entry("winapi", &[("0.3.9", false)]), "w"),
    );
}

#[test]
fn online_audit_reports_yanked_versions_and_caches_the_index() {
    let server = Server::start();
    serve_index(&server);
    let tmp = tempfile::tempdir().unwrap();
    let (project, db) = (fixture("vuln-old-time"), rustsec_db());
    let args = ["audit", s(&project), "--db", s(&db), "--format", "json"];
    let run = secgate(&server, tmp.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let yanked: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "yanked")
        .collect();
    assert_eq!(yanked.len(), 1);
    assert_eq!(yanked[0]["package"]["version"], "0.1.43");
    assert_eq!(yanked[0]["level"], "warn");
    assert_eq!(yanked[0]["location"]["line"], 26);
    assert_eq!(server.requests_to("/index/ti/me/time").len(), 1);

    // Within the cache's lifetime the index is not asked again.
    let run = secgate(&server, tmp.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(server.requests_to("/index/ti/me/time").len(), 1);

    // Offline: no request, and the report says the check was skipped.
    let mut offline = args.to_vec();
    offline.push("--offline");
    let before = server.requests().len();
    let run = secgate(&server, tmp.path(), &offline);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "yanked")
    );
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("yanked versions: not checked")),
        "{notes:?}"
    );
    assert_eq!(server.requests().len(), before);
}

#[test]
fn an_unreachable_index_fails_closed() {
    let server = Server::start();
    // No index routes: every lookup is a 404 except `time`, which answers 500.
    server.route("/index/ti/me/time", Route::Status(500));
    let tmp = tempfile::tempdir().unwrap();
    let run = secgate(
        &server,
        tmp.path(),
        &[
            "audit",
            s(&fixture("vuln-old-time")),
            "--db",
            s(&rustsec_db()),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`time`"), "{}", run.stderr);
    assert!(run.stderr.contains("--offline"), "{}", run.stderr);
}

#[test]
fn osv_api_source_finds_records_no_archive_has() {
    let server = Server::start();
    serve_index(&server);
    server.route(
        "/api/v1/querybatch",
        Route::handler(|req| {
            let queries = req.json()["queries"].as_array().unwrap().clone();
            let results: Vec<Value> = queries
                .iter()
                .map(|q| {
                    if q["package"]["name"] == "libc" && q["version"] == "0.2.155" {
                        serde_json::json!({"vulns": [{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2026-01-01T00:00:00Z"}]})
                    } else {
                        serde_json::json!({})
                    }
                })
                .collect();
            (200, serde_json::json!({ "results": results }).to_string().into_bytes())
        }),
    );
    let record = serde_json::json!({
        "schema_version": "1.6.0",
        "id": "GHSA-aaaa-bbbb-cccc",
        "modified": "2026-01-01T00:00:00Z",
        "published": "2026-01-01T00:00:00Z",
        "aliases": ["CVE-2026-99999"],
        "summary": "libc test advisory only the API knows",
        "affected": [{
            "package": {"ecosystem": "crates.io", "name": "libc"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.2.156"}]}]
        }]
    });
    server.route(
        "/api/v1/vulns/GHSA-aaaa-bbbb-cccc",
        Route::serve(record.to_string().as_bytes(), "g"),
    );

    let project = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("vuln-old-time/Cargo.lock"),
        project.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(
        project.path().join("secgate.toml"),
        "[advisories]\nsources = [\"osv-api\"]\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run = secgate(
        &server,
        cache.path(),
        &["audit", s(project.path()), "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let vulns: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "vulnerability")
        .map(|f| {
            format!(
                "{} {}",
                f["id"].as_str().unwrap(),
                f["fix"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(vulns, ["GHSA-aaaa-bbbb-cccc upgrade to >=0.2.156"]);
    let batch = &server.requests_to("/api/v1/querybatch")[0];
    let names: Vec<String> = batch.json()["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            format!(
                "{}@{}",
                q["package"]["name"].as_str().unwrap(),
                q["version"].as_str().unwrap()
            )
        })
        .collect();
    // Only crates.io packages are asked about; the workspace member `app` is not.
    assert_eq!(
        names,
        [
            "itoa@1.0.11",
            "libc@0.2.155",
            "time@0.1.43",
            "time@0.3.47",
            "winapi@0.3.9"
        ]
    );

    // Offline with only the API as a source, the gate cannot run.
    let run = secgate(
        &server,
        cache.path(),
        &["audit", s(project.path()), "--offline"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("osv-api"), "{}", run.stderr);
}

#[test]
fn policy_db_urls_name_the_mirrors() {
    let server = serving_databases();
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("secgate.toml"),
        format!(
            "[advisories.db-urls]\nrustsec = \"{}\"\nosv = \"{}\"\n",
            server.url("/advisory-db.zip"),
            server.url("/osv")
        ),
    )
    .unwrap();
    let cache = project.path().join("cache");
    let out = Command::new(env!("CARGO_BIN_EXE_secgate"))
        .args(["db", "fetch", "--cache", s(&cache)])
        .current_dir(project.path())
        .env_remove("SECGATE_OFFLINE")
        .env_remove("SECGATE_RUSTSEC_URL")
        .env_remove("SECGATE_OSV_URL")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.requests_to("/advisory-db.zip").len(), 1);
    assert_eq!(
        manifest(&cache)["sources"][0]["url"],
        server.url("/advisory-db.zip")
    );

    // A plain-http mirror is refused by the policy itself, before any request.
    std::fs::write(
        project.path().join("secgate.toml"),
        "[advisories.db-urls]\nrustsec = \"http://mirror.example/advisory-db.zip\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_secgate"))
        .args(["db", "fetch", "--cache", s(&cache)])
        .current_dir(project.path())
        .env_remove("SECGATE_OFFLINE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("secgate.toml:2:"));
}

#[test]
fn npm_and_pypi_archives_are_fetched_and_audited_offline() {
    let server = serving_databases();
    // The real PyPI snapshot, and one npm record (the snapshot has none), as OSV archives.
    server.route(
        "/osv/PyPI/all.zip",
        Route::serve(&zip_of(&shared().join("advisory-data/osv/PyPI")), "pypi-1"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let npm = tmp.path().join("npm");
    std::fs::create_dir_all(&npm).unwrap();
    std::fs::write(
        npm.join("GHSA-test-left-pad.json"),
        r#"{"id": "GHSA-test-left-pad", "modified": "2026-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"}, "versions": ["1.3.0"]}]}"#,
    )
    .unwrap();
    server.route("/osv/npm/all.zip", Route::serve(&zip_of(&npm), "npm-1"));
    let cache = tmp.path().join("cache");
    let run = secgate(
        &server,
        &cache,
        &[
            "db",
            "fetch",
            "--ecosystem",
            "crates.io",
            "--ecosystem",
            "PyPI",
            "--ecosystem",
            "npm",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = manifest(&cache)["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["rustsec", "osv/crates.io", "osv/PyPI", "osv/npm"]);

    // The monorepo fixture (Cargo, npm, Python) against the fetched cache, offline.
    let fixture = common::fixture("monorepo");
    let run = secgate(
        &server,
        &cache,
        &[
            "audit",
            common::s(&fixture),
            "--offline",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut ids: Vec<String> = findings(&serde_json::from_str(&run.stdout).unwrap());
    ids.sort();
    assert_eq!(
        ids,
        [
            "vulnerability GHSA-test-left-pad",
            "vulnerability PYSEC-2021-66",
            "vulnerability RUSTSEC-2020-0071",
        ]
    );
}

#[test]
fn osv_api_is_asked_with_each_packages_ecosystem() {
    let server = Server::start();
    // Only what the API answers: jinja2 2.11.2 on PyPI is affected by the snapshot's
    // PYSEC-2021-66, served back from the real record.
    server.route(
        "/api/v1/querybatch",
        Route::handler(|req| {
            let queries = req.json()["queries"].as_array().unwrap().clone();
            let results: Vec<Value> = queries
                .iter()
                .map(|q| {
                    if q["package"]["ecosystem"] == "PyPI" && q["package"]["name"] == "jinja2" {
                        serde_json::json!({"vulns": [{"id": "PYSEC-2021-66"}]})
                    } else {
                        serde_json::json!({})
                    }
                })
                .collect();
            (
                200,
                serde_json::json!({ "results": results })
                    .to_string()
                    .into_bytes(),
            )
        }),
    );
    let record = std::fs::read(shared().join("advisory-data/osv/PyPI/PYSEC-2021-66.json")).unwrap();
    server.route("/api/v1/vulns/PYSEC-2021-66", Route::serve(&record, "p"));
    let project = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture("monorepo"), project.path());
    std::fs::write(
        project.path().join("secgate.toml"),
        "[advisories]\nsources = [\"osv-api\"]\n",
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let run = secgate(
        &server,
        cache.path(),
        &["audit", s(project.path()), "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(findings(&report), ["vulnerability PYSEC-2021-66"]);
    let batch = &server.requests_to("/api/v1/querybatch")[0];
    let mut asked: Vec<String> = batch.json()["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            format!(
                "{} {}@{}",
                q["package"]["ecosystem"].as_str().unwrap(),
                q["package"]["name"].as_str().unwrap(),
                q["version"].as_str().unwrap()
            )
        })
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            "PyPI jinja2@2.11.2",
            "PyPI markupsafe@2.0.1",
            "crates.io itoa@1.0.11",
            "crates.io libc@0.2.155",
            "crates.io time@0.1.43",
            "crates.io time@0.3.47",
            "crates.io winapi@0.3.9",
            "npm is-number@7.0.0",
            "npm left-pad@1.3.0",
        ]
    );
}
