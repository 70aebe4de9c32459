//! Where data comes from and how it is fetched: base URLs, ecosystems, timeout and size cap.

use std::ffi::OsString;
use std::time::Duration;

/// Base URLs of the remote sources. Tests point these at a loopback server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The RustSec advisory-db archive (a zip with one top directory).
    pub rustsec_archive: String,
    /// The OSV bucket; per-ecosystem archives are at `{osv_base}/{ecosystem}/all.zip`.
    pub osv_base: String,
    /// The OSV API (`/v1/querybatch`, `/v1/vulns/{id}`).
    pub osv_api: String,
    /// The crates.io sparse index.
    pub crates_index: String,
    /// The GitHub REST API.
    pub github_api: String,
}

/// Variables that override [`Endpoints`] in [`Endpoints::from_env`], in field order.
pub const ENDPOINT_VARS: [&str; 5] = [
    "SECGATE_RUSTSEC_URL",
    "SECGATE_OSV_URL",
    "SECGATE_OSV_API_URL",
    "SECGATE_CRATES_INDEX_URL",
    "SECGATE_GITHUB_API_URL",
];

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            rustsec_archive: "https://github.com/rustsec/advisory-db/archive/refs/heads/main.zip"
                .to_owned(),
            osv_base: "https://osv-vulnerabilities.storage.googleapis.com".to_owned(),
            osv_api: "https://api.osv.dev".to_owned(),
            crates_index: "https://index.crates.io".to_owned(),
            github_api: "https://api.github.com".to_owned(),
        }
    }
}

impl Endpoints {
    /// Overrides each URL whose variable (see [`ENDPOINT_VARS`]) is set and not empty.
    #[must_use]
    pub fn from_env(self) -> Self {
        self.with_overrides(|name| std::env::var_os(name))
    }

    fn with_overrides(mut self, var: impl Fn(&str) -> Option<OsString>) -> Self {
        let fields = [
            &mut self.rustsec_archive,
            &mut self.osv_base,
            &mut self.osv_api,
            &mut self.crates_index,
            &mut self.github_api,
        ];
        for (field, name) in fields.into_iter().zip(ENDPOINT_VARS) {
            if let Some(value) = var(name).and_then(|v| v.into_string().ok())
                && !value.is_empty()
            {
                *field = value;
            }
        }
        self
    }
}

/// How [`fetch`](crate::fetch) and the query functions talk to the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// Base URLs.
    pub endpoints: Endpoints,
    /// OSV ecosystems whose `all.zip` archive [`fetch`](crate::fetch) downloads (`crates.io`,
    /// `PyPI`, `npm`, ...).
    pub ecosystems: Vec<String>,
    /// Limit for one whole request, connecting included (default 120 s). Connecting alone is
    /// limited to [`CONNECT_TIMEOUT`] or this, whichever is shorter.
    pub timeout: Duration,
    /// Largest accepted response body in bytes (default 512 MiB).
    pub max_bytes: u64,
}

/// Limit for establishing a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Default for [`FetchOptions::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Default for [`FetchOptions::max_bytes`]: 512 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

impl Default for FetchOptions {
    /// Default endpoints (not read from the environment), the `crates.io` ecosystem, 120 s,
    /// 512 MiB.
    fn default() -> Self {
        Self {
            endpoints: Endpoints::default(),
            ecosystems: vec!["crates.io".to_owned()],
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Joins a base URL and a path without doubling or dropping the `/`.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_only_set_and_non_empty_variables() {
        let endpoints = Endpoints::default().with_overrides(|name| match name {
            "SECGATE_OSV_URL" => Some("http://127.0.0.1:9/osv".into()),
            "SECGATE_CRATES_INDEX_URL" => Some(OsString::new()),
            _ => None,
        });
        assert_eq!(endpoints.osv_base, "http://127.0.0.1:9/osv");
        assert_eq!(endpoints.crates_index, Endpoints::default().crates_index);
        assert_eq!(endpoints.osv_api, "https://api.osv.dev");
    }

    #[test]
    fn joins_urls() {
        assert_eq!(join_url("https://a/b/", "/c"), "https://a/b/c");
        assert_eq!(join_url("https://a/b", "c/d"), "https://a/b/c/d");
    }
}
