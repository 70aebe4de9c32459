//! Finding the policy file: `--config` first (it must exist), then `secgate.toml`, then
//! `.secgate.toml`, else the embedded default; `load` reads and parses what it finds.

use secgate_core::{Code, Level};
use secgate_policy::{PolicyError, load, locate};
use std::fs;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

#[test]
fn no_file_means_the_embedded_default() {
    let dir = tempdir();
    assert_eq!(locate(dir.path(), None).ok(), Some(None));
    let (policy, source) = load(dir.path(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.path, None);
    assert!(source.is_none());
    assert_eq!(policy.level(Code::Vulnerability), Level::Deny);
}

#[test]
fn secgate_toml_wins_over_the_dotfile() {
    let dir = tempdir();
    write(
        dir.path(),
        ".secgate.toml",
        "[levels]\nnotice = \"allow\"\n",
    );
    assert_eq!(
        locate(dir.path(), None).ok(),
        Some(Some(dir.path().join(".secgate.toml")))
    );
    write(dir.path(), "secgate.toml", "[levels]\nnotice = \"deny\"\n");
    assert_eq!(
        locate(dir.path(), None).ok(),
        Some(Some(dir.path().join("secgate.toml")))
    );
    let (policy, source) = load(dir.path(), None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.level(Code::Notice), Level::Deny);
    assert_eq!(policy.path.as_deref(), Some("secgate.toml"));
    let (display, text) = source.unwrap_or_default();
    assert_eq!(display, "secgate.toml");
    assert_eq!(text, "[levels]\nnotice = \"deny\"\n");
}

#[test]
fn explicit_config_wins_and_must_exist() {
    let dir = tempdir();
    write(dir.path(), "secgate.toml", "");
    write(dir.path(), "ci.toml", "[levels]\nunsound = \"deny\"\n");
    let explicit = dir.path().join("ci.toml");
    assert_eq!(
        locate(dir.path(), Some(&explicit)).ok(),
        Some(Some(explicit.clone()))
    );
    let (policy, _) = load(dir.path(), Some(&explicit)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.level(Code::Unsound), Level::Deny);
    assert_eq!(policy.path.as_deref(), Some("ci.toml"));

    let missing = dir.path().join("missing.toml");
    match locate(dir.path(), Some(&missing)) {
        Err(PolicyError::Read { path, io }) => {
            assert_eq!(path, missing);
            assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected a read error, got {other:?}"),
    }
    assert!(matches!(
        load(dir.path(), Some(&missing)),
        Err(PolicyError::Read { .. })
    ));
    assert!(matches!(
        locate(dir.path(), Some(dir.path())),
        Err(PolicyError::Read { .. })
    ));
}

#[test]
fn invalid_file_is_an_invalid_error_with_its_display_path() {
    let dir = tempdir();
    write(dir.path(), ".secgate.toml", "[advisories]\nignroe = []\n");
    match load(dir.path(), None) {
        Err(PolicyError::Invalid { path, problems, .. }) => {
            assert_eq!(path, ".secgate.toml");
            assert_eq!(problems.len(), 1);
            assert_eq!((problems[0].line, problems[0].column), (2, 1));
        }
        other => panic!("expected an invalid policy, got {other:?}"),
    }
}
