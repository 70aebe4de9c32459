//! Writing the report: to standard output, or to `--output FILE` atomically (a temporary file
//! in the same directory, renamed over the target), so a failed run never leaves a half report.

use crate::audit::{render_options, report_format};
use crate::cli::{FormatArg, GlobalArgs};
use anyhow::Context;
use secgate_core::Level;
use secgate_report::{RenderOptions, Report, Sources};
use std::io::Write;
use std::path::Path;

/// Renders `report` in the chosen format and writes it where the flags say.
pub fn emit(global: &GlobalArgs, report: &Report, sources: &Sources) -> anyhow::Result<()> {
    let quiet_view;
    let shown = if global.quiet && global.format == FormatArg::Human {
        // `-q` narrows the human view to denials; the summary still counts everything.
        quiet_view = Report {
            findings: report
                .findings
                .iter()
                .filter(|f| f.level == Level::Deny)
                .cloned()
                .collect(),
            ..report.clone()
        };
        &quiet_view
    } else {
        report
    };
    let text = secgate_report::render(
        shown,
        report_format(global.format)?,
        sources,
        &render_options(global),
    )
    .context("cannot render the report")?;
    // The extra renderings first: when one cannot be written the run fails (exit 2) before the
    // main report claims a result.
    for extra in &global.reports {
        let options = RenderOptions {
            color: false,
            verbose: global.verbose,
        };
        let text = secgate_report::render(report, report_format(extra.format)?, sources, &options)
            .context("cannot render the report")?;
        write_atomically(&extra.path, text.as_bytes())?;
    }
    if let Some(path) = &global.output {
        return write_atomically(path, text.as_bytes());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write the report to standard output")
}

/// Writes the report as [`emit`] does and returns the gate's exit code: 1 when any finding is
/// denied, else 0.
pub fn gate(global: &GlobalArgs, report: &Report, sources: &Sources) -> anyhow::Result<u8> {
    emit(global, report, sources)?;
    Ok(if report.has_denials() {
        crate::exit::EXIT_DENIED
    } else {
        crate::exit::EXIT_OK
    })
}

/// Writes `text` (an SBOM) to `--output` atomically, or to standard output.
pub fn write_document(global: &GlobalArgs, text: &str) -> anyhow::Result<()> {
    if let Some(path) = &global.output {
        return write_atomically(path, text.as_bytes());
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.secgate-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write the report to `{}`", path.display()))
}
