//! `[secrets] max-file-size`: files larger than this are not scanned. A whole number of bytes
//! (`1048576`), or a string `"<n>"`, `"<n>KiB"` or `"<n>MiB"` (1024-based). Decimal units
//! (`KB`, `MB`) are refused rather than guessed, because readers disagree on what they mean.

use crate::error::Problems;
use toml_span::Value;
use toml_span::value::ValueInner;

const UNITS: &[(&str, u64)] = &[("KiB", 1024), ("MiB", 1024 * 1024), ("", 1)];
const HINT: &str =
    "write a whole number of bytes, or one with `KiB` or `MiB`, e.g. `max-file-size = \"1MiB\"`";

/// Parses the value of `max-file-size`, reporting what is wrong with it.
pub(crate) fn parse_max_file_size(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<u64> {
    let parsed = match value.as_ref() {
        ValueInner::Integer(n) => u64::try_from(*n).ok().filter(|n| *n > 0).ok_or_else(|| {
            (
                format!("`max-file-size` must be positive, found `{n}`"),
                HINT.to_owned(),
            )
        }),
        ValueInner::String(text) => parse_size(text),
        ValueInner::Float(f) => Err((
            format!("`max-file-size` must be a whole number, found `{f}`"),
            HINT.to_owned(),
        )),
        other => Err((
            format!(
                "`max-file-size` must be a number or a string, found {}",
                other.type_str()
            ),
            HINT.to_owned(),
        )),
    };
    match parsed {
        Ok(size) => Some(size),
        Err((message, hint)) => {
            problems.push(value.span, message, Some(hint));
            None
        }
    }
}

/// Parses `<n>`, `<n>KiB` or `<n>MiB`; on error, the message and a hint.
fn parse_size(text: &str) -> Result<u64, (String, String)> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if digits.is_empty() || !unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err((
            format!("`max-file-size` must be a whole number and an optional unit, found `{text}`"),
            HINT.to_owned(),
        ));
    }
    let Some(&(_, factor)) = UNITS.iter().find(|(suffix, _)| *suffix == unit) else {
        return Err((
            format!("unknown unit `{unit}` in `max-file-size`"),
            unit_hint(digits, unit),
        ));
    };
    let too_large = || {
        (
            format!("`max-file-size` `{text}` is too large"),
            "write a realistic size, e.g. `max-file-size = \"1MiB\"`".to_owned(),
        )
    };
    let n: u64 = digits.parse().map_err(|_| too_large())?;
    if n == 0 {
        return Err((
            format!("`max-file-size` must be positive, found `{text}`"),
            "a zero size would skip every file; write e.g. `max-file-size = \"1MiB\"`".to_owned(),
        ));
    }
    n.checked_mul(factor).ok_or_else(too_large)
}

/// A "did you mean" for the common spellings of the two units, else the general hint.
fn unit_hint(digits: &str, unit: &str) -> String {
    let suffix = match unit.to_ascii_lowercase().as_str() {
        "k" | "kb" | "kib" => "KiB",
        "m" | "mb" | "mib" => "MiB",
        _ => return HINT.to_owned(),
    };
    format!("did you mean `\"{digits}{suffix}\"`? sizes are in bytes, `KiB` or `MiB` (1024-based)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, String) {
        parse_size(text).expect_err(text)
    }

    #[test]
    fn bytes_kib_and_mib_parse() {
        assert_eq!(parse_size("1MiB"), Ok(1_048_576));
        assert_eq!(parse_size("512KiB"), Ok(524_288));
        assert_eq!(parse_size("4096"), Ok(4096));
    }

    #[test]
    fn other_units_and_shapes_are_refused_with_a_hint() {
        assert_eq!(err("1MB").0, "unknown unit `MB` in `max-file-size`");
        assert!(err("1MB").1.starts_with("did you mean `\"1MiB\"`?"));
        assert!(err("2k").1.starts_with("did you mean `\"2KiB\"`?"));
        assert_eq!(err("1GiB").1, HINT);
        for text in ["", "MiB", "1.5MiB", "1 MiB", "-1", " 1"] {
            assert_eq!(
                err(text).0,
                format!(
                    "`max-file-size` must be a whole number and an optional unit, found `{text}`"
                )
            );
        }
        assert_eq!(
            err("0KiB").0,
            "`max-file-size` must be positive, found `0KiB`"
        );
        assert_eq!(
            err("99999999999999999MiB").0,
            "`max-file-size` `99999999999999999MiB` is too large"
        );
    }
}
