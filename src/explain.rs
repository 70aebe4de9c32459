//! `secgate explain CODE`: what a finding code means and how to fix or ignore it.

use crate::cli::{ExplainArgs, GlobalArgs};
use crate::exit;
use anyhow::bail;
use secgate_core::Code;
use std::fmt::Write as _;
use std::io::Write as _;

pub fn run(_global: &GlobalArgs, args: &ExplainArgs) -> anyhow::Result<u8> {
    let mut text = String::new();
    match args.code.as_deref() {
        None | Some("--list" | "list") => {
            for code in Code::ALL {
                let _ = writeln!(
                    text,
                    "{:<16} {:<5} {:<11} {}",
                    code.as_str(),
                    code.default_level().as_str(),
                    code.gate().as_str(),
                    code.summary()
                );
            }
        }
        Some(name) => {
            let Some(code) = Code::from_name(name) else {
                let known: Vec<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
                bail!(
                    "unknown finding code `{name}`\nhint: known codes: {}",
                    known.join(", ")
                );
            };
            let _ = writeln!(
                text,
                "{code}: {}\n\ngate: {}\ndefault level: {}\n\n{}",
                code.summary(),
                code.gate().as_str(),
                code.default_level(),
                code.explanation()
            );
        }
    }
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(exit::EXIT_OK)
}
