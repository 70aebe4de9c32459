//! The HTTP client: `https` only (plain `http` only on loopback), timeouts, a size cap,
//! `Content-Length` checking, SHA-256 of every body, conditional `GET` with `If-None-Match`.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use sha2::{Digest, Sha256};
use ureq::Agent;
use ureq::http::{HeaderMap, Response, header};

use crate::FetchError;
use crate::options::{CONNECT_TIMEOUT, FetchOptions};

/// `User-Agent` sent with every request.
pub(crate) const USER_AGENT: &str = concat!("secgate/", env!("CARGO_PKG_VERSION"));

/// What was received for a `200` answer.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    /// Body size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256 of the body.
    pub sha256: String,
    /// `ETag` header, if any.
    pub etag: Option<String>,
    /// `Last-Modified` header, if any.
    pub last_modified: Option<String>,
}

/// Whether a URL may be requested, and through which agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// `https` anywhere: proxies from the environment, redirects followed (to `https` only).
    Remote,
    /// Plain `http` to `127.0.0.1`, `[::1]` or `localhost`: no proxy, no redirects.
    Loopback,
}

/// Accepts `https://` URLs, and `http://` URLs whose host is on the loopback interface.
pub(crate) fn check_url(url: &str) -> Result<Target, FetchError> {
    let insecure = || FetchError::InsecureUrl {
        url: url.to_owned(),
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(insecure)?;
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(Target::Remote);
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(insecure());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(insecure());
    }
    let host_len = if authority.starts_with('[') {
        authority.find(']').map_or(authority.len(), |end| end + 1)
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, port) = authority.split_at(host_len);
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()));
    if !port_ok {
        return Err(insecure());
    }
    let loopback = ["127.0.0.1", "[::1]", "localhost"];
    if loopback.iter().any(|name| host.eq_ignore_ascii_case(name)) {
        Ok(Target::Loopback)
    } else {
        Err(insecure())
    }
}

/// A configured client; reuses connections while it (or a clone) lives.
#[derive(Clone)]
pub(crate) struct Client {
    remote: Agent,
    loopback: Agent,
    max_bytes: u64,
}

impl Client {
    pub(crate) fn new(opts: &FetchOptions) -> Self {
        let agent = |target: Target| {
            let config = Agent::config_builder()
                .http_status_as_error(false)
                .user_agent(USER_AGENT)
                .timeout_global(Some(opts.timeout))
                .timeout_connect(Some(CONNECT_TIMEOUT.min(opts.timeout)));
            let config = match target {
                Target::Remote => config.https_only(true).max_redirects(10),
                Target::Loopback => config.proxy(None).max_redirects(0),
            };
            Agent::new_with_config(config.build())
        };
        Self {
            remote: agent(Target::Remote),
            loopback: agent(Target::Loopback),
            max_bytes: opts.max_bytes,
        }
    }

    /// A client for `opts` shared by calls with the same timeout and cap, so that many small
    /// requests (one per advisory id, one per crate) reuse connections.
    pub(crate) fn shared(opts: &FetchOptions) -> Self {
        static SHARED: Mutex<Option<(Duration, u64, Client)>> = Mutex::new(None);
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        match &*shared {
            Some((timeout, max_bytes, client))
                if *timeout == opts.timeout && *max_bytes == opts.max_bytes =>
            {
                client.clone()
            }
            _ => {
                let client = Self::new(opts);
                *shared = Some((opts.timeout, opts.max_bytes, client.clone()));
                client
            }
        }
    }

    fn agent(&self, url: &str) -> Result<&Agent, FetchError> {
        Ok(match check_url(url)? {
            Target::Remote => &self.remote,
            Target::Loopback => &self.loopback,
        })
    }

    /// `GET url` into a new file at `dest`. `None` when the server answered `304` to the
    /// `If-None-Match: etag` sent.
    pub(crate) fn get_to_file(
        &self,
        url: &str,
        etag: Option<&str>,
        dest: &Path,
    ) -> Result<Option<Download>, FetchError> {
        let Some(response) = self.get(url, etag)? else {
            return Ok(None);
        };
        let file = File::create(dest).map_err(|e| FetchError::io(dest, e))?;
        let mut out = BufWriter::new(file);
        let download = self.read_body(url, response, |chunk| {
            out.write_all(chunk).map_err(|e| FetchError::io(dest, e))
        })?;
        let file = out
            .into_inner()
            .map_err(|e| FetchError::io(dest, e.into_error()))?;
        file.sync_all().map_err(|e| FetchError::io(dest, e))?;
        Ok(Some(download))
    }

    /// `GET url` into memory; `None` on `304` as for [`Client::get_to_file`].
    pub(crate) fn get_bytes(
        &self,
        url: &str,
        etag: Option<&str>,
    ) -> Result<Option<(Vec<u8>, Download)>, FetchError> {
        let Some(response) = self.get(url, etag)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        let download = self.read_body(url, response, |chunk| {
            bytes.extend_from_slice(chunk);
            Ok(())
        })?;
        Ok(Some((bytes, download)))
    }

    /// `POST url` with a JSON body; returns the `200` body.
    pub(crate) fn post_json(&self, url: &str, json: &[u8]) -> Result<Vec<u8>, FetchError> {
        let response = self
            .agent(url)?
            .post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .send(json)
            .map_err(|e| network(url, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(FetchError::Http {
                url: url.to_owned(),
                status,
            });
        }
        let mut bytes = Vec::new();
        self.read_body(url, response, |chunk| {
            bytes.extend_from_slice(chunk);
            Ok(())
        })?;
        Ok(bytes)
    }

    /// `GET url` with extra request headers; returns the status and, for `200`, the body. Other
    /// statuses are returned, not errors, so callers can tell "not found" from a failure.
    pub(crate) fn get_status(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), FetchError> {
        let mut request = self.agent(url)?.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.call().map_err(|e| network(url, e))?;
        let status = response.status().as_u16();
        let mut bytes = Vec::new();
        if status == 200 {
            self.read_body(url, response, |chunk| {
                bytes.extend_from_slice(chunk);
                Ok(())
            })?;
        }
        Ok((status, bytes))
    }

    fn get(
        &self,
        url: &str,
        etag: Option<&str>,
    ) -> Result<Option<Response<ureq::Body>>, FetchError> {
        let mut request = self.agent(url)?.get(url);
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        let response = request.call().map_err(|e| network(url, e))?;
        match response.status().as_u16() {
            200 => Ok(Some(response)),
            304 if etag.is_some() => Ok(None),
            status => Err(FetchError::Http {
                url: url.to_owned(),
                status,
            }),
        }
    }

    /// Streams the body to `sink`, enforcing the size cap and `Content-Length`, hashing as it
    /// goes.
    fn read_body(
        &self,
        url: &str,
        response: Response<ureq::Body>,
        mut sink: impl FnMut(&[u8]) -> Result<(), FetchError>,
    ) -> Result<Download, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: url.to_owned(),
            limit: self.max_bytes,
        };
        let headers = response.headers();
        let expected = header_str(headers, &header::CONTENT_LENGTH).and_then(|v| v.parse().ok());
        if expected.is_some_and(|len: u64| len > self.max_bytes) {
            return Err(too_large());
        }
        let etag = header_str(headers, &header::ETAG).map(str::to_owned);
        let last_modified = header_str(headers, &header::LAST_MODIFIED).map(str::to_owned);

        let mut reader = response.into_body().into_reader();
        let mut hasher = Sha256::new();
        let mut buf = vec![0; 64 * 1024];
        let mut got: u64 = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(match expected {
                        Some(expected) if got < expected => FetchError::Truncated {
                            url: url.to_owned(),
                            expected,
                            got,
                        },
                        _ => network(url, ureq::Error::Io(e)),
                    });
                }
            };
            got += n as u64;
            if got > self.max_bytes {
                return Err(too_large());
            }
            hasher.update(&buf[..n]);
            sink(&buf[..n])?;
        }
        if let Some(expected) = expected
            && got != expected
        {
            return Err(FetchError::Truncated {
                url: url.to_owned(),
                expected,
                got,
            });
        }
        Ok(Download {
            size: got,
            sha256: hex(&hasher.finalize()),
            etag,
            last_modified,
        })
    }
}

fn network(url: &str, source: ureq::Error) -> FetchError {
    FetchError::Network {
        url: url.to_owned(),
        source: Box::new(source),
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &header::HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(matches!(
            check_url("https://example.com/x"),
            Ok(Target::Remote)
        ));
        assert!(matches!(
            check_url("HTTPS://example.com"),
            Ok(Target::Remote)
        ));
        for ok in [
            "http://127.0.0.1:8080/a",
            "http://localhost/a",
            "http://LOCALHOST:1",
            "http://[::1]:80/x",
            "http://127.0.0.1",
        ] {
            assert!(matches!(check_url(ok), Ok(Target::Loopback)), "{ok}");
        }
        for bad in [
            "http://example.com/a",
            "http://127.0.0.1.example.com/",
            "http://127.0.0.1@example.com/",
            "http://localhost.example.com",
            "http://[::1].evil/",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
            "127.0.0.1:80",
        ] {
            assert!(
                matches!(check_url(bad), Err(FetchError::InsecureUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }

    #[test]
    fn user_agent_names_the_version() {
        assert!(USER_AGENT.starts_with("secgate/0."));
    }
}
