//! Renderers of a secgate [`Report`]: one model, four views.
//!
//! - [`Format::Human`]: codespan diagnostics pointing at the real line of the real file, with a
//!   snippet when the file's text is in [`Sources`], and a one-line verdict;
//! - [`Format::Json`]: the stable version 1 JSON report of DESIGN.md;
//! - [`Format::Sarif`]: SARIF 2.1.0 for GitHub code scanning;
//! - [`Format::Markdown`]: a job summary for `$GITHUB_STEP_SUMMARY`.
//!
//! Every view is a pure function of the report (and, for the human view, the sources and
//! options): the same findings give byte-identical output, with no timestamps. Nothing here
//! prints; [`render`] returns the text and the caller writes it where `--output` says.

mod human;
mod json;
mod markdown;
mod report;
mod sarif;
#[cfg(test)]
mod testdata;

pub use report::{Format, ParseFormatError, RenderOptions, Report, Sources, Summary};

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The JSON or SARIF document could not be serialized.
    #[error("cannot serialize the {format} report")]
    Serialize {
        /// The format being written.
        format: Format,
        /// The serializer's error.
        #[source]
        source: serde_json::Error,
    },
    /// A diagnostic of the human view could not be laid out against its source text.
    #[error("cannot render the diagnostic for `{path}`")]
    Diagnostic {
        /// The location path of the finding.
        path: String,
        /// codespan's error.
        #[source]
        source: codespan_reporting::files::Error,
    },
    /// Writing the human view into its buffer failed.
    #[error("cannot write the human report")]
    Write(#[source] std::io::Error),
}

/// Renders `report` in `format`. `sources` and `options` matter to the human and Markdown
/// views only; JSON and SARIF always carry every finding they define.
pub fn render(
    report: &Report,
    format: Format,
    sources: &Sources,
    options: &RenderOptions,
) -> Result<String, RenderError> {
    match format {
        Format::Human => human::render(report, sources, *options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, sources),
        Format::Markdown => Ok(markdown::render(report, *options)),
    }
}

/// Pretty JSON with a trailing newline, as the JSON and SARIF views write it.
fn to_pretty_json<T: serde::Serialize>(value: &T, format: Format) -> Result<String, RenderError> {
    let mut out = serde_json::to_string_pretty(value)
        .map_err(|source| RenderError::Serialize { format, source })?;
    out.push('\n');
    Ok(out)
}
