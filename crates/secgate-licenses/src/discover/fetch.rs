//! `cargo fetch --locked`: downloads and extracts every locked package into the registry cache
//! (and git checkouts), so discovery can read the packages it reported missing.
//!
//! The program is `$CARGO` when set (Cargo sets it for `cargo secgate` and for tests), else
//! `cargo` from `PATH`. Output is captured, never printed: on failure cargo's stderr is carried
//! by [`DiscoverError::CargoFetch`].

use super::DiscoverError;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `cargo fetch --locked --manifest-path <manifest_dir>/Cargo.toml` with the environment's
/// `CARGO_HOME`.
pub fn cargo_fetch(manifest_dir: &Path) -> Result<(), DiscoverError> {
    run(manifest_dir, None)
}

/// [`cargo_fetch`] into the given Cargo home (the child's `CARGO_HOME`), for example
/// [`super::DiscoverOptions::cargo_home`].
pub fn cargo_fetch_into(manifest_dir: &Path, cargo_home: &Path) -> Result<(), DiscoverError> {
    run(manifest_dir, Some(cargo_home))
}

fn run(manifest_dir: &Path, cargo_home: Option<&Path>) -> Result<(), DiscoverError> {
    let program =
        PathBuf::from(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    let mut command = Command::new(&program);
    command
        .arg("fetch")
        .arg("--locked")
        .arg("--manifest-path")
        .arg(manifest_dir.join("Cargo.toml"))
        // An empty pipe, closed at once by `output()`, rather than the null device: cargo hands
        // its stdin to `rustc -`, which must read end-of-file even where `/dev/null` is not a
        // real null device (some sandboxes make it an ordinary, shared file).
        .stdin(Stdio::piped());
    if let Some(home) = cargo_home {
        command.env("CARGO_HOME", home);
    }
    let output = command
        .output()
        .map_err(|source| DiscoverError::CargoSpawn { program, source })?;
    if output.status.success() {
        return Ok(());
    }
    Err(DiscoverError::CargoFetch {
        status: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    })
}
