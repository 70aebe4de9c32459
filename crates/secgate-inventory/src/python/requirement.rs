//! One logical line of a requirements file, classified: an option pip reads (`-r`, `-c`, `-i`,
//! ...) or a requirement, which is pinned (`name==version` / `name===version`) or not auditable
//! (a range, a bare name, a URL, a VCS link, a local path, an editable).

use super::lines::LogicalLine;

/// What a logical line means for the inventory.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// `-r FILE` (`constraint: false`) or `-c FILE`; `at` is the file offset of the option.
    Include {
        target: String,
        constraint: bool,
        at: usize,
    },
    /// `-i URL` / `--index-url URL`.
    IndexUrl(String),
    /// An exact pin.
    Pin(Pin),
    /// Something pip installs that has no exact version here, or an option that does not
    /// matter to the inventory.
    Skip,
}

/// `name==version` with its per-requirement options.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Pin {
    /// The name as written.
    pub name: String,
    pub version: String,
    /// File offset of the name.
    pub at: usize,
    /// The first `--hash=sha256:...`, as `sha256:<hex>`.
    pub checksum: Option<String>,
}

/// A malformed line: what is wrong and the file offset it is about.
pub(crate) struct LineError {
    pub at: usize,
    pub message: String,
}

/// Options that take a value, with their short forms.
const REQUIREMENT: [&str; 2] = ["-r", "--requirement"];
const CONSTRAINT: [&str; 2] = ["-c", "--constraint"];
const INDEX_URL: [&str; 2] = ["-i", "--index-url"];

/// Classifies one logical line.
pub(crate) fn classify(line: &LogicalLine) -> Result<Line, LineError> {
    let lead = line.text.len() - line.text.trim_start().len();
    let body = line.text.get(lead..).unwrap_or_default();
    let at = line.file_offset(lead);
    if body.starts_with('-') {
        return option_line(body, at);
    }
    // pip splits the requirement from its options at the first ` -` token.
    let requirement_end = body.find(" -").unwrap_or(body.len());
    let requirement = body.get(..requirement_end).unwrap_or(body).trim_end();
    let options = body.get(requirement_end..).unwrap_or_default();
    let Some((name, version)) = requirement_pin(requirement, at)? else {
        return Ok(Line::Skip);
    };
    Ok(Line::Pin(Pin {
        name,
        version,
        at,
        checksum: first_sha256(options),
    }))
}

/// An option line: only includes and the index URL matter.
fn option_line(body: &str, at: usize) -> Result<Line, LineError> {
    let mut tokens = body.split_whitespace();
    let first = tokens.next().unwrap_or_default();
    let (flag, attached) = match first.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
        _ => match first.get(..2) {
            Some(short) if !first.starts_with("--") && first.len() > 2 => (short, first.get(2..)),
            _ => (first, None),
        },
    };
    let is = |names: [&str; 2]| names.contains(&flag);
    if !(is(REQUIREMENT) || is(CONSTRAINT) || is(INDEX_URL)) {
        // -e/--editable, --extra-index-url, --find-links, --require-hashes, ...: nothing pinned.
        return Ok(Line::Skip);
    }
    let value = attached
        .filter(|v| !v.is_empty())
        .or_else(|| tokens.next())
        .ok_or_else(|| LineError {
            at,
            message: format!("`{flag}` needs a value"),
        })?;
    Ok(if is(INDEX_URL) {
        Line::IndexUrl(value.to_owned())
    } else {
        Line::Include {
            target: value.to_owned(),
            constraint: is(CONSTRAINT),
            at,
        }
    })
}

/// The name and exact version of a PEP 508 requirement, or `None` when it pins no exact
/// version from an index. Markers after `;` are not evaluated: the pin is kept.
fn requirement_pin(text: &str, at: usize) -> Result<Option<(String, String)>, LineError> {
    let spec = text.split(';').next().unwrap_or_default().trim();
    if looks_like_url_or_path(spec) {
        return Ok(None);
    }
    let name_len = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = spec.get(..name_len).unwrap_or_default();
    let bad = |message: String| LineError { at, message };
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(bad(format!("`{text}` is not a valid requirement")));
    }
    let mut rest = spec.get(name_len..).unwrap_or_default().trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let close = extras
            .find(']')
            .ok_or_else(|| bad(format!("unclosed `[` in requirement `{text}`")))?;
        rest = extras.get(close + 1..).unwrap_or_default().trim_start();
    }
    if rest.starts_with('@') {
        // `name @ url`: a direct reference, not a registry version.
        return Ok(None);
    }
    let rest = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest);
    for clause in rest.split(',') {
        let clause = clause.trim();
        let version = clause
            .strip_prefix("===")
            .or_else(|| clause.strip_prefix("=="))
            .map(str::trim);
        let Some(version) = version else { continue };
        if version.is_empty() || version.contains(char::is_whitespace) {
            return Err(bad(format!("`{clause}` is not a valid version pin")));
        }
        if !version.contains('*') {
            return Ok(Some((name.to_owned(), version.to_owned())));
        }
    }
    let valid = rest.is_empty()
        || rest.split(',').all(|clause| {
            let clause = clause.trim_start();
            ["~=", "==", "!=", "<=", ">=", "<", ">"]
                .iter()
                .any(|op| clause.starts_with(op))
        });
    if !valid {
        return Err(bad(format!("`{text}` is not a valid requirement")));
    }
    Ok(None)
}

/// URLs, VCS links, archives and local paths: pip installs them without a registry version.
fn looks_like_url_or_path(spec: &str) -> bool {
    spec.contains("://")
        || spec.starts_with(['.', '/', '~', '\\'])
        || spec.starts_with("file:")
        || spec.contains('/')
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2"]
            .iter()
            .any(|ext| spec.ends_with(ext))
}

/// The first `--hash=sha256:<hex>` (or `--hash sha256:<hex>`) among a requirement's options.
fn first_sha256(options: &str) -> Option<String> {
    let mut tokens = options.split_whitespace();
    while let Some(token) = tokens.next() {
        let value = match token.strip_prefix("--hash") {
            Some("") => tokens.next(),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(sum) = value.and_then(super::common::sha256_prefixed) {
            return Some(sum);
        }
    }
    None
}
