//! Integration tests of secgate-fetch against a loopback HTTP server started by each test,
//! serving archives built from the real advisory data in `../shared/advisory-data`.

mod crates_index;
mod data;
mod fetch;
mod github;
mod osv_api;
mod server;

use std::time::Duration;

use secgate_fetch::{Endpoints, FetchOptions};

/// Options pointing every endpoint at `server`.
fn options(server: &server::Server) -> FetchOptions {
    FetchOptions {
        endpoints: Endpoints {
            rustsec_archive: server.url("/rustsec/main.zip"),
            osv_base: server.url("/osv"),
            osv_api: server.url("/api"),
            crates_index: server.url("/index"),
            github_api: server.url("/gh"),
        },
        ecosystems: vec!["crates.io".to_owned()],
        timeout: Duration::from_secs(30),
        ..FetchOptions::default()
    }
}
