//! `secgate init`: writes a commented `secgate.toml` — the embedded default policy, with the
//! checks matched to what the repository has (see `init/detect.rs`) — and, with `--baseline`,
//! today's findings accepted with a reason and an expiry date (see `init/baseline.rs`).
//!
//! The text is parsed with secgate's own policy parser before it is written, and written
//! atomically; an existing policy file is never replaced without `--force`.

mod baseline;
mod detect;

use crate::cli::{GlobalArgs, InitArgs};
use anyhow::{Context, bail};
use detect::Detected;
use secgate_policy::DEFAULT_POLICY;
use std::fmt::Write as _;
use std::io::Write as _;

pub fn run(global: &GlobalArgs, args: &InitArgs) -> anyhow::Result<u8> {
    let root = &args.path;
    if !root.is_dir() {
        bail!("`{}` is not a directory", root.display());
    }
    let target = root.join("secgate.toml");
    if !args.force {
        for name in ["secgate.toml", ".secgate.toml"] {
            let existing = root.join(name);
            if existing.exists() {
                bail!(
                    "`{}` already exists; pass `--force` to replace it",
                    existing.display()
                );
            }
        }
    }
    let detected = detect::detect(root);
    let mut text = policy_text(&detected);
    let mut accepted = 0;
    if args.baseline {
        let (entries, count) = baseline::entries(global, root, &text)?;
        text = baseline::apply(&text, &entries);
        accepted = count;
    }
    // What is written must be a policy secgate reads as it is.
    secgate_policy::Policy::parse(&text, "secgate.toml")
        .context("the policy `secgate init` generated does not parse")?;
    write_new(&target, &text)?;

    let mut out = std::io::stderr().lock();
    let _ = writeln!(out, "wrote {} for {}", target.display(), detected.summary());
    if args.baseline {
        let _ = writeln!(
            out,
            "accepted {accepted} current finding(s) until {}: review each before then",
            baseline::expiry()
        );
    }
    Ok(crate::exit::EXIT_OK)
}

/// The default policy with its checks matched to the repository.
fn policy_text(d: &Detected) -> String {
    let mut header = String::from(
        "# secgate policy, written by `secgate init`. `secgate explain CODE` describes every\n\
         # finding code; the settings below are the defaults unless a comment says otherwise.\n",
    );
    let _ = writeln!(header, "#\n# Found in this repository: {}.", d.summary());
    let mut text = DEFAULT_POLICY.to_owned();
    // The first comment block of the default file describes the file itself; ours replaces it.
    if let Some(start) = text.find("\n[advisories]") {
        text = format!("{header}{}", &text[start..]);
    }
    if !d.cargo {
        text = text.replacen(
            "sources = [\"rustsec\", \"osv\"]",
            "# No Cargo.lock here: RustSec (Rust only) is not needed.\nsources = [\"osv\"]",
            1,
        );
    }
    if !d.workflows {
        text = text.replacen(
            "actions = \"sha\"",
            "actions = \"off\"   # no workflows found; \"sha\" once there are",
            1,
        );
    }
    if !d.dockerfiles {
        text = text.replacen(
            "images = \"digest\"",
            "images = \"off\"   # no Dockerfile found; \"digest\" once there is",
            1,
        );
    }
    if d.hashed_requirements {
        text = text.replacen(
            "python = \"exact\"",
            "python = \"exact-with-hashes\"   # the requirements files already carry hashes",
            1,
        );
    }
    if let Some(signers) = &d.allowed_signers {
        text = text.replacen(
            "tags = \"off\"",
            "tags = \"required\"   # an allowed-signers file was found",
            1,
        );
        text = text.replacen(
            "# allowed-signers = \".github/allowed_signers\"",
            &format!("allowed-signers = \"{signers}\""),
            1,
        );
    }
    if d.git {
        text = text.replacen(
            "enabled = false",
            "enabled = true   # turned on by `secgate init`: committed credentials fail the gate",
            1,
        );
    }
    if !d.excluded.is_empty() {
        let list: Vec<String> = d.excluded.iter().map(|p| format!("\"{p}/**\"")).collect();
        text = text.replacen(
            "exclude = []",
            &format!(
                "# Folders of test inputs found here; remove any that should be checked.\n\
                 exclude = [{}]",
                list.join(", ")
            ),
            1,
        );
    }
    text
}

/// Writes `text` to `target` through a temporary file in the same directory, so a failure
/// never leaves half a policy behind.
fn write_new(target: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let dir = target.parent().unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!(".secgate.toml.init-{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write `{}`", target.display()))
}
