//! Test access to the Sigstore conformance cases and trusted roots under `/work/shared/sigstore`
//! (read at test time, never copied into the repository).

use super::TrustedRoot;
use base64::Engine as _;
use serde_json::Value;
use std::path::PathBuf;

/// The shared Sigstore test material (`/work/shared/sigstore`).
pub(crate) fn shared() -> PathBuf {
    // `../shared` beside the repository, or `$SECGATE_SHARED` (as the workspace's other tests).
    std::env::var_os("SECGATE_SHARED")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
            PathBuf::from,
        )
        .join("sigstore")
}

/// A conformance case folder.
pub(crate) fn case_dir(case: &str) -> PathBuf {
    shared().join("conformance/bundle-verify").join(case)
}

/// A case's bundle JSON.
pub(crate) fn bundle(case: &str) -> Value {
    let path = case_dir(case).join("bundle.sigstore.json");
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A case's trusted root: its own `trusted_root.json`, else the public-good root.
pub(crate) fn trusted_root(case: &str) -> TrustedRoot {
    let own = case_dir(case).join("trusted_root.json");
    let path = if own.exists() {
        own
    } else {
        shared().join("trust/public-good-trusted_root.json")
    };
    root_file(&path)
}

/// The staging instance's trusted root.
pub(crate) fn staging_root() -> TrustedRoot {
    root_file(&shared().join("trust/staging-trusted_root.json"))
}

/// The public-good instance's trusted root.
pub(crate) fn public_good_root() -> TrustedRoot {
    root_file(&shared().join("trust/public-good-trusted_root.json"))
}

fn root_file(path: &std::path::Path) -> TrustedRoot {
    let json = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    TrustedRoot::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A case's artifact: its own `artifact`, else the suite's default `a.txt`.
pub(crate) fn artifact(case: &str) -> Vec<u8> {
    let own = case_dir(case).join("artifact");
    let path = if own.exists() {
        own
    } else {
        shared().join("conformance/a.txt")
    };
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The base64 string at `pointer` (a JSON pointer) in `value`, decoded.
pub(crate) fn b64_at(value: &Value, pointer: &str) -> Vec<u8> {
    // Some cases wrap their base64 in lines, which Go's decoder (and so Sigstore) ignores.
    let text: String = str_at(value, pointer)
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

/// The string at `pointer` in `value`.
pub(crate) fn str_at<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer}"))
}
