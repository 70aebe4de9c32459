//! `[advisories.db-urls]`: where `secgate db fetch` and the online checks get their data, for
//! mirrors and for tests. Environment variables (`SECGATE_RUSTSEC_URL`, ...) override these.
//! Only `https://` URLs are accepted, and plain `http://` for loopback hosts.

use crate::error::Problems;
use crate::suggest;
use toml_span::Value;

/// Base URLs set by the policy; `None` keeps the built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbUrls {
    /// The RustSec advisory-db archive (a zip).
    pub rustsec: Option<String>,
    /// The OSV bucket (`{osv}/{ecosystem}/all.zip`).
    pub osv: Option<String>,
    /// The OSV API.
    pub osv_api: Option<String>,
    /// The crates.io sparse index.
    pub crates_index: Option<String>,
    /// The GitHub REST API, for the online `action-tag-mismatch` check.
    pub github_api: Option<String>,
}

const KEYS: &[&str] = &["rustsec", "osv", "osv-api", "crates-index", "github-api"];

/// Parses the `db-urls` table, reporting every problem.
pub(crate) fn parse_db_urls(value: &Value<'_>, problems: &mut Problems<'_>) -> DbUrls {
    let mut urls = DbUrls::default();
    let Some(table) = value.as_table() else {
        problems.push(
            value.span,
            format!(
                "`db-urls` must be a table, found {}",
                value.as_ref().type_str()
            ),
            Some("write it as `[advisories.db-urls]` with `rustsec = \"https://...\"`".to_owned()),
        );
        return urls;
    };
    for (key, value) in table {
        let slot = match key.name.as_ref() {
            "rustsec" => &mut urls.rustsec,
            "osv" => &mut urls.osv,
            "osv-api" => &mut urls.osv_api,
            "crates-index" => &mut urls.crates_index,
            "github-api" => &mut urls.github_api,
            other => {
                problems.push(
                    key.span,
                    format!("unknown key `{other}` in `[advisories.db-urls]`"),
                    Some(suggest::hint(other, KEYS)),
                );
                continue;
            }
        };
        let Some(url) = value.as_str() else {
            problems.push(
                value.span,
                format!(
                    "`{}` must be a URL string, found {}",
                    key.name,
                    value.as_ref().type_str()
                ),
                None,
            );
            continue;
        };
        if is_allowed(url) {
            *slot = Some(url.trim_end_matches('/').to_owned());
        } else {
            problems.push(
                value.span,
                format!("`{url}` is not an `https://` URL"),
                Some("advisory data is fetched over HTTPS only (plain `http://` only for 127.0.0.1, [::1] or localhost)".to_owned()),
            );
        }
    }
    urls
}

fn is_allowed(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .filter(|(h, port)| !h.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::is_allowed;

    #[test]
    fn https_and_loopback_http_only() {
        assert!(is_allowed("https://mirror.example/advisory-db.zip"));
        assert!(is_allowed("http://127.0.0.1:8080/x"));
        assert!(is_allowed("http://localhost/x"));
        assert!(is_allowed("http://[::1]:9/x"));
        assert!(!is_allowed("http://mirror.example/x"));
        assert!(!is_allowed("http://127.0.0.1.evil.example/x"));
        assert!(!is_allowed("ftp://x"));
        assert!(!is_allowed("https://"));
    }
}
