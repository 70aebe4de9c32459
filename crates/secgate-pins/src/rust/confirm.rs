//! Confirming `lockfile-stale` with Cargo itself: `cargo metadata --locked --offline` fails
//! exactly when the lockfile would have to change. The static check ([`super::check`]) is fast
//! and needs no toolchain; this second opinion drops its findings when Cargo accepts the lock,
//! and says so in a note, so a false positive never fails a build that Cargo would let through.
//!
//! Cargo runs from the system temporary directory, not from the scanned repository, so the
//! repository's `.cargo/config.toml` (which can name the `rustc` Cargo runs) and its
//! `rust-toolchain.toml` (which makes rustup install toolchains) take no effect. Offline with a
//! registry cache that lacks the project's packages, Cargo cannot resolve at all: the verdict is
//! then [`CargoVerdict::Unknown`] and the findings stay.

use secgate_core::{Code, Finding};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// What `cargo metadata --locked --offline` says about a manifest's lockfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CargoVerdict {
    /// Cargo would have to update the lockfile; Cargo's message line.
    Stale(String),
    /// Cargo accepts the lockfile as it is.
    Fresh,
    /// Cargo could not tell (not installed, offline without the packages, a broken manifest):
    /// why.
    Unknown(String),
}

/// Asks Cargo whether the lockfile of `root/manifest` (a `/`-separated path relative to `root`)
/// is up to date.
pub fn confirm_with_cargo(root: &Path, manifest: &str) -> CargoVerdict {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // Absolute, since Cargo runs from another directory.
    let manifest_path = match std::path::absolute(root.join(manifest)) {
        Ok(path) => path,
        Err(e) => return CargoVerdict::Unknown(format!("cannot resolve `{manifest}`: {e}")),
    };
    let child = Command::new(&cargo)
        .args([
            "metadata",
            "--locked",
            "--offline",
            "--quiet",
            "--format-version",
            "1",
        ])
        .arg("--manifest-path")
        .arg(&manifest_path)
        .current_dir(std::env::temp_dir())
        .env("CARGO_TERM_COLOR", "never")
        // Pipes rather than `Stdio::null()`: Cargo hands its stdin to the `rustc` it queries,
        // and an empty pipe is empty even where `/dev/null` is not a device (some sandboxes).
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let output = child.and_then(|mut child| {
        // Closing stdin at once gives EOF; stdout (megabytes of JSON) is drained and dropped.
        drop(child.stdin.take());
        let drain = child.stdout.take().map(|mut out| {
            std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()))
        });
        let output = child.wait_with_output();
        if let Some(drain) = drain {
            let _ = drain.join();
        }
        output
    });
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return CargoVerdict::Unknown(format!(
                "cannot run `{}`: {e}",
                Path::new(&cargo).display()
            ));
        }
    };
    if output.status.success() {
        return CargoVerdict::Fresh;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Cargo 1.80+: "cannot update the lock file ... because --locked was passed"; older:
    // "the lock file ... needs to be updated but --locked was passed to prevent this".
    if let Some(line) = stderr.lines().find(|l| l.contains("--locked was passed")) {
        return CargoVerdict::Stale(line.trim().to_owned());
    }
    CargoVerdict::Unknown(
        reason(&stderr).unwrap_or_else(|| format!("cargo exited with {}", output.status)),
    )
}

/// Cargo's `error:` line, with the first line of its innermost `Caused by:` block when there is
/// one (`failed to parse manifest` says little; `no targets specified` says why).
fn reason(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let error = lines
        .iter()
        .find(|l| l.starts_with("error"))
        .or_else(|| lines.first())?;
    let cause = lines
        .iter()
        .rposition(|l| *l == "Caused by:")
        .and_then(|i| lines.get(i + 1));
    Some(match cause {
        Some(cause) => format!("{error}: {cause}"),
        None => (*error).to_owned(),
    })
}

/// Runs [`confirm_with_cargo`] for every manifest with `lockfile-stale` findings: when Cargo
/// accepts the lockfile they are dropped; otherwise they stay. Returns the findings and one
/// note per manifest asked, saying what Cargo answered.
pub fn confirm(root: &Path, findings: Vec<Finding>) -> (Vec<Finding>, Vec<String>) {
    confirm_by(findings, |manifest| confirm_with_cargo(root, manifest))
}

/// [`confirm`] with the verdict supplied by `ask` (tests use a fake Cargo).
fn confirm_by(
    findings: Vec<Finding>,
    mut ask: impl FnMut(&str) -> CargoVerdict,
) -> (Vec<Finding>, Vec<String>) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for finding in &findings {
        if is_manifest_stale(finding) {
            *counts.entry(finding.location.path.clone()).or_default() += 1;
        }
    }
    let mut notes = Vec::new();
    let mut fresh = Vec::new();
    for (manifest, count) in counts {
        let findings_word = if count == 1 { "finding" } else { "findings" };
        match ask(&manifest) {
            CargoVerdict::Fresh => {
                notes.push(format!(
                    "cargo metadata --locked accepts `{manifest}`; {count} lockfile-stale {findings_word} dropped"
                ));
                fresh.push(manifest);
            }
            CargoVerdict::Stale(line) => notes.push(format!(
                "cargo metadata --locked confirms the lockfile of `{manifest}` is stale ({count} lockfile-stale {findings_word}): {line}"
            )),
            CargoVerdict::Unknown(why) => notes.push(format!(
                "cargo could not confirm the {count} lockfile-stale {findings_word} of `{manifest}`; kept: {why}"
            )),
        }
    }
    let kept = findings
        .into_iter()
        .filter(|f| !(is_manifest_stale(f) && fresh.contains(&f.location.path)))
        .collect();
    (kept, notes)
}

/// A `lockfile-stale` finding located in a `Cargo.toml` (the only kind this module judges).
fn is_manifest_stale(finding: &Finding) -> bool {
    finding.code == Code::LockfileStale
        && (finding.location.path == "Cargo.toml" || finding.location.path.ends_with("/Cargo.toml"))
}

#[cfg(test)]
mod tests;
