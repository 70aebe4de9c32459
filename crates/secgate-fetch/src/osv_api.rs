//! The OSV API: which advisories affect a package version (`POST /v1/querybatch`, paginated),
//! and the full record of one advisory (`GET /v1/vulns/{id}`).

use serde::{Deserialize, Serialize};

use crate::http::{Client, check_url};
use crate::options::join_url;
use crate::{FetchError, FetchOptions};

/// Most queries the OSV API accepts in one batch.
pub const OSV_BATCH_SIZE: usize = 1000;

/// Rounds of `next_page_token` followed before giving up on a server that never stops.
const MAX_PAGE_ROUNDS: usize = 1000;

/// One package version to look up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageQuery {
    /// OSV ecosystem (`crates.io`, `PyPI`, `npm`, ...).
    pub ecosystem: String,
    /// Package name as the ecosystem spells it.
    pub name: String,
    /// Exact version.
    pub version: String,
}

#[derive(Serialize)]
struct QueryBatch<'a> {
    queries: Vec<Query<'a>>,
}

#[derive(Serialize)]
struct Query<'a> {
    package: Package<'a>,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_token: Option<&'a str>,
}

#[derive(Serialize)]
struct Package<'a> {
    name: &'a str,
    ecosystem: &'a str,
}

#[derive(Deserialize)]
struct BatchResponse {
    #[serde(default)]
    results: Vec<BatchResult>,
}

#[derive(Deserialize)]
struct BatchResult {
    #[serde(default)]
    vulns: Vec<VulnRef>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct VulnRef {
    id: String,
}

/// Asks `{api}/v1/querybatch` which advisories affect each query, in batches of at most
/// [`OSV_BATCH_SIZE`], following `next_page_token` until every query is complete. Returns, per
/// query and in the same order, the advisory ids (each once, in the order the server gave).
pub fn osv_query(
    api: &str,
    queries: &[PackageQuery],
    opts: &FetchOptions,
) -> Result<Vec<Vec<String>>, FetchError> {
    let url = join_url(api, "v1/querybatch");
    check_url(&url)?;
    let mut ids = vec![Vec::<String>::new(); queries.len()];
    if queries.is_empty() {
        return Ok(ids);
    }
    let client = Client::shared(opts);
    // (query index, page token) still to ask for.
    let mut pending: Vec<(usize, Option<String>)> = (0..queries.len()).map(|i| (i, None)).collect();
    for _ in 0..MAX_PAGE_ROUNDS {
        let mut next = Vec::new();
        for chunk in pending.chunks(OSV_BATCH_SIZE) {
            let batch = QueryBatch {
                queries: chunk
                    .iter()
                    .map(|(index, token)| {
                        let query = &queries[*index];
                        Query {
                            package: Package {
                                name: &query.name,
                                ecosystem: &query.ecosystem,
                            },
                            version: &query.version,
                            page_token: token.as_deref(),
                        }
                    })
                    .collect(),
            };
            let body = serde_json::to_vec(&batch).map_err(|source| FetchError::Json {
                url: url.clone(),
                source,
            })?;
            let response = client.post_json(&url, &body)?;
            let response: BatchResponse =
                serde_json::from_slice(&response).map_err(|source| FetchError::Json {
                    url: url.clone(),
                    source,
                })?;
            if response.results.len() != chunk.len() {
                return Err(FetchError::UnexpectedResponse {
                    url,
                    reason: "the number of results differs from the number of queries",
                });
            }
            for ((index, _), result) in chunk.iter().zip(response.results) {
                let found = &mut ids[*index];
                for vuln in result.vulns {
                    if !found.contains(&vuln.id) {
                        found.push(vuln.id);
                    }
                }
                if let Some(token) = result.next_page_token.filter(|t| !t.is_empty()) {
                    next.push((*index, Some(token)));
                }
            }
        }
        if next.is_empty() {
            return Ok(ids);
        }
        pending = next;
    }
    Err(FetchError::UnexpectedResponse {
        url,
        reason: "`next_page_token` pagination did not end",
    })
}

/// Downloads the OSV record `{api}/v1/vulns/{id}`; returns its JSON bytes as served (checked to
/// be JSON).
pub fn osv_vuln(api: &str, id: &str, opts: &FetchOptions) -> Result<Vec<u8>, FetchError> {
    let valid = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if !valid || id.starts_with('.') {
        return Err(FetchError::InvalidName {
            kind: "advisory id",
            name: id.to_owned(),
        });
    }
    let url = join_url(api, &format!("v1/vulns/{id}"));
    check_url(&url)?;
    let Some((bytes, _)) = Client::shared(opts).get_bytes(&url, None)? else {
        unreachable!("no `If-None-Match` sent, so a 304 is an HTTP error");
    };
    serde_json::from_slice::<serde::de::IgnoredAny>(&bytes)
        .map_err(|source| FetchError::Json { url, source })?;
    Ok(bytes)
}
