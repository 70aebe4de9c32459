//! SARIF 2.1.0 for GitHub code scanning, built with `serde-sarif`.
//!
//! One run whose driver is `secgate`, with one rule per finding code that has a result (sorted
//! by code name) and one result per finding at level deny (`error`) or warn (`warning`).
//! Findings at level allow are left out: code scanning would show them as open alerts, and the
//! JSON report already lists them.
//!
//! Each result points at the real file and line: a path inside the scanned root becomes a
//! relative, percent-encoded URI; a file outside it (an advisory record in a database
//! directory) becomes a `file://` URI of its absolute path. `partialFingerprints` hash the code,
//! id, package URL and path but not the line, so an alert survives lines moving in a lockfile.
//! Nothing varies between runs: no timestamps, no machine paths besides outside-root files.
//!
//! A run never exceeds what GitHub code scanning accepts: see [`limits`] for how results past
//! the limit are left out, deny before warn, and how that is recorded in the run.

mod limits;

use crate::report::package_at;
use crate::{Format, RenderError, Report, Sources};
use secgate_core::{Code, Finding, Level, LineIndex, Location};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// The `$schema` of the document.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The driver's `informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/secgate/secgate";
/// The `partialFingerprints` key; its version changes if the hashed fields ever do.
pub const FINGERPRINT_KEY: &str = "secgate/v1";

/// Renders the SARIF log. `sources` lets a result with a span also carry its end line.
pub fn render(report: &Report, sources: &Sources) -> Result<String, RenderError> {
    render_with_limit(report, sources, limits::MAX_RESULTS_PER_RUN)
}

/// [`render`] with a chosen result limit, so tests can cross it without 25,000 findings.
fn render_with_limit(
    report: &Report,
    sources: &Sources,
    limit: usize,
) -> Result<String, RenderError> {
    let selection = limits::select(&report.findings, limit);
    let mut codes: Vec<Code> = selection.kept.iter().map(|f| f.code).collect();
    codes.sort_by_key(|c| c.as_str());
    codes.dedup();

    let mut indexes = HashMap::new();
    let results: Vec<SarifResult> = selection
        .kept
        .iter()
        .map(|f| {
            let rule_index = codes.iter().position(|c| *c == f.code).unwrap_or_default();
            result(f, rule_index, sources, &mut indexes)
        })
        .collect();

    let driver = ToolComponent::builder()
        .name("secgate")
        .version(report.tool_version.as_str())
        .semantic_version(report.tool_version.as_str())
        .information_uri(INFORMATION_URI)
        .rules(codes.iter().map(|c| rule(*c)).collect::<Vec<_>>())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    limits::record(&mut run, &selection);
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    crate::to_pretty_json(&log, Format::Sarif)
}

/// The SARIF level of a finding level.
fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "note",
    }
}

/// `db-bad-record` as `DbBadRecord`.
fn rule_name(code: Code) -> String {
    code.as_str()
        .split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The explanation as Markdown: policy snippets (paragraphs starting with a `[table]`) fenced.
fn help_markdown(code: Code) -> String {
    let mut out = String::new();
    for para in code.explanation().split("\n\n") {
        if para.starts_with('[') {
            let _ = write!(out, "```toml\n{para}\n```\n\n");
        } else {
            let _ = write!(out, "{para}\n\n");
        }
    }
    let _ = write!(
        out,
        "Run `secgate explain {code}` to read this in a terminal."
    );
    out
}

fn rule(code: Code) -> ReportingDescriptor {
    let explanation = code.explanation();
    let first_paragraph = explanation.split("\n\n").next().unwrap_or(explanation);
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(rule_name(code))
        .short_description(
            MultiformatMessageString::builder()
                .text(code.summary())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(first_paragraph)
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(explanation)
                .markdown(help_markdown(code))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(sarif_level(code.default_level())))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec!["security".to_owned(), code.gate().as_str().to_owned()])
                .build(),
        )
        .build()
}

fn result(
    f: &Finding,
    rule_index: usize,
    sources: &Sources,
    indexes: &mut HashMap<String, LineIndex>,
) -> SarifResult {
    let mut text = String::new();
    if let Some(id) = &f.id {
        let _ = write!(text, "{id}: ");
    }
    if let Some(p) = &f.package {
        let _ = write!(text, "{}: ", package_at(p));
    }
    text.push_str(&f.message);
    if let Some(fix) = &f.fix {
        let _ = write!(text, "\nfix: {fix}");
    }

    let mut properties = BTreeMap::new();
    if let Some(severity) = f.severity {
        properties.insert("severity".to_owned(), json!(severity.as_str()));
    }
    if !f.aliases.is_empty() {
        properties.insert("aliases".to_owned(), json!(f.aliases));
    }

    let location = SarifLocation::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(artifact_uri(&f.location))
                        .build(),
                )
                .region(region(&f.location, sources, indexes))
                .build(),
        )
        .build();
    let mut result = SarifResult::builder()
        .rule_id(f.code.as_str())
        .rule_index(i64::try_from(rule_index).expect("fewer rules than i64::MAX"))
        .level(if f.level == Level::Deny {
            ResultLevel::Error
        } else {
            ResultLevel::Warning
        })
        .message(Message::builder().text(text).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT_KEY.to_owned(),
            fingerprint(f),
        )]))
        .build();
    if !properties.is_empty() {
        result.properties = Some(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    }
    result
}

/// Start line and column (at least 1), and the end of the span when the source text is known.
fn region(loc: &Location, sources: &Sources, indexes: &mut HashMap<String, LineIndex>) -> Region {
    let start = (i64::from(loc.line.max(1)), i64::from(loc.column.max(1)));
    let mut region = Region::builder()
        .start_line(start.0)
        .start_column(start.1)
        .build();
    let (Some(span), Some(text)) = (&loc.span, sources.get(&loc.path)) else {
        return region;
    };
    if span.start >= span.end || span.end > text.len() || !text.is_char_boundary(span.end) {
        return region;
    }
    // A span that takes its line's newline ends on that line, not at column 1 of the next.
    let mut end = span.end;
    while end > span.start + 1 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    let index = indexes
        .entry(loc.path.clone())
        .or_insert_with(|| LineIndex::new(text));
    let (line, column) = index.line_col(text, end);
    let end = (i64::from(line), i64::from(column));
    if end > start {
        region.end_line = Some(end.0);
        region.end_column = Some(end.1);
    }
    region
}

/// The artifact URI of a location: relative inside the root, `file://` outside it.
///
/// A relative path that leaves the root (`../db/x.md`) cannot be made absolute without the
/// file system, so it stays a relative reference; the CLI gives outside-root files absolute.
fn artifact_uri(loc: &Location) -> String {
    let path = loc.path.replace('\\', "/");
    if loc.is_inside_root() {
        return encode_path(&path);
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        // `C:/db/x.md` → `file:///C:/db/x.md`; the drive's colon is a valid path character.
        format!("file:///{}:{}", &path[..1], encode_path(&path[2..]))
    } else if path.starts_with('/') {
        format!("file://{}", encode_path(&path))
    } else {
        encode_path(&path)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, sub-delimiters, `@` and `/`.
/// `:` is encoded so a relative path never reads as a scheme.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Hex SHA-256 of code, id, package URL and path: everything that names the finding, but not
/// the line or column, which move when unrelated lines change.
fn fingerprint(f: &Finding) -> String {
    let mut hasher = Sha256::new();
    for part in [
        f.code.as_str(),
        f.id.as_deref().unwrap_or(""),
        f.package.as_ref().map_or("", |p| p.purl.as_str()),
        f.location.path.as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

#[cfg(test)]
mod tests;
