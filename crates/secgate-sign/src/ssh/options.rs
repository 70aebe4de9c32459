//! The options field of an allowed-signers line, read the way OpenSSH's `sshsigopt_parse`
//! reads it: comma-separated, names case-insensitive, values in double quotes.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// The options of one allowed-signers line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SignerOptions {
    /// `cert-authority`.
    pub(crate) cert_authority: bool,
    /// `namespaces="..."`, split at commas (each entry is a pattern).
    pub(crate) namespaces: Option<Vec<String>>,
    /// `valid-after="..."`, seconds since the epoch.
    pub(crate) valid_after: Option<i64>,
    /// `valid-before="..."`, seconds since the epoch.
    pub(crate) valid_before: Option<i64>,
}

/// Parses the options field `text` (already cut at the first unquoted blank). The message of
/// an error names the offending option.
pub(crate) fn parse_options(text: &str) -> Result<SignerOptions, String> {
    let mut options = SignerOptions::default();
    let mut rest = text;
    loop {
        if let Some(after) = strip_prefix_ignore_case(rest, "cert-authority")
            .filter(|after| after.is_empty() || after.starts_with(','))
        {
            options.cert_authority = true;
            rest = after;
        } else if let Some(after) = strip_prefix_ignore_case(rest, "namespaces=") {
            let (value, after) = dequote("namespaces", after)?;
            if options.namespaces.is_some() {
                return Err("`namespaces` is given twice".to_owned());
            }
            options.namespaces = Some(value.split(',').map(str::to_owned).collect());
            rest = after;
        } else if let Some(after) = strip_prefix_ignore_case(rest, "valid-after=") {
            rest = set_time(&mut options.valid_after, "valid-after", after)?;
        } else if let Some(after) = strip_prefix_ignore_case(rest, "valid-before=") {
            rest = set_time(&mut options.valid_before, "valid-before", after)?;
        } else {
            let name = rest.split([',', '=']).next().unwrap_or(rest);
            return Err(format!(
                "unknown option `{name}` (allowed-signers options are cert-authority, namespaces, valid-after and valid-before)"
            ));
        }
        match rest.strip_prefix(',') {
            None if rest.is_empty() => break,
            None => return Err(format!("unexpected `{rest}` after an option value")),
            Some("") => return Err("options end with a comma".to_owned()),
            Some(after) => rest = after,
        }
    }
    if let (Some(after), Some(before)) = (options.valid_after, options.valid_before)
        && before <= after
    {
        return Err("`valid-before` is not later than `valid-after`".to_owned());
    }
    Ok(options)
}

/// Reads the quoted time of option `name` at the start of `text` into `slot`; returns the rest.
fn set_time<'a>(slot: &mut Option<i64>, name: &str, text: &'a str) -> Result<&'a str, String> {
    let (value, rest) = dequote(name, text)?;
    if slot.is_some() {
        return Err(format!("`{name}` is given twice"));
    }
    let seconds =
        parse_time(&value).map_err(|why| format!("bad `{name}` time \"{value}\": {why}"))?;
    *slot = Some(seconds);
    Ok(rest)
}

/// Parses an ssh-keygen absolute time: `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`,
/// optionally followed by `Z` or `UTC`.
///
/// The time is always taken as UTC, with or without the suffix. ssh-keygen reads a suffix-less
/// time in the local time zone, but CI machines run in UTC, and a verdict on a signature must
/// not change with the time zone of whichever machine computes it.
pub(crate) fn parse_time(value: &str) -> Result<i64, String> {
    let digits = strip_suffix_ignore_case(value, "z")
        .or_else(|| strip_suffix_ignore_case(value, "utc"))
        .unwrap_or(value);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected digits in the form YYYYMMDD[HHMM[SS]][Z]".to_owned());
    }
    let field = |range: std::ops::Range<usize>| -> Result<i16, String> {
        digits
            .get(range)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| "expected YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS".to_owned())
    };
    let (hour, minute, second) = match digits.len() {
        8 => (0, 0, 0),
        12 => (field(8..10)?, field(10..12)?, 0),
        14 => (field(8..10)?, field(10..12)?, field(12..14)?),
        _ => return Err("expected YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS".to_owned()),
    };
    let small = |n: i16| i8::try_from(n).map_err(|_| "a field is out of range".to_owned());
    let datetime = DateTime::new(
        field(0..4)?,
        small(field(4..6)?)?,
        small(field(6..8)?)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .map_err(|e| e.to_string())?;
    TimeZone::UTC
        .to_timestamp(datetime)
        .map(jiff::Timestamp::as_second)
        .map_err(|e| e.to_string())
}

/// Reads the double-quoted value at the start of `text` (`\"` stands for a quote, as in
/// OpenSSH's `opt_dequote`); returns the value and what follows the closing quote.
fn dequote<'a>(name: &str, text: &'a str) -> Result<(String, &'a str), String> {
    let Some(body) = text.strip_prefix('"') else {
        return Err(format!(
            "the value of `{name}` must be in double quotes, as ssh-keygen requires: {name}=\"...\""
        ));
    };
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, body.get(i + 1..).unwrap_or(""))),
            '\\' if body.get(i + 1..).is_some_and(|r| r.starts_with('"')) => {
                value.push('"');
                chars.next();
            }
            _ => value.push(c),
        }
    }
    Err(format!("the value of `{name}` has no closing quote"))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| text.get(..cut))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::{parse_options, parse_time};

    #[test]
    fn times_are_utc_with_or_without_suffix() {
        assert_eq!(parse_time("20240101"), Ok(1_704_067_200));
        assert_eq!(parse_time("20240101Z"), Ok(1_704_067_200));
        assert_eq!(parse_time("20240101utc"), Ok(1_704_067_200));
        assert_eq!(parse_time("202401010130"), Ok(1_704_072_600));
        assert_eq!(parse_time("20240101013005Z"), Ok(1_704_072_605));
        assert!(parse_time("2024010").is_err());
        assert!(parse_time("20241301").is_err());
        assert!(parse_time("2024-01-01").is_err());
        assert!(parse_time("20240101T0000").is_err());
        assert!(parse_time("").is_err());
    }

    #[test]
    fn options_are_case_insensitive_and_quoted() {
        let options =
            parse_options(r#"Cert-Authority,NAMESPACES="git,file",valid-after="20240101""#);
        let options = options.expect("valid options");
        assert!(options.cert_authority);
        assert_eq!(
            options.namespaces,
            Some(vec!["git".to_owned(), "file".to_owned()])
        );
        assert_eq!(options.valid_after, Some(1_704_067_200));
        assert_eq!(options.valid_before, None);
    }

    #[test]
    fn malformed_options_are_named() {
        let err = |text: &str| parse_options(text).expect_err(text);
        assert!(err("trusted").contains("unknown option `trusted`"));
        assert!(err("cert-authority,").contains("end with a comma"));
        assert!(err("valid-after=20240101").contains("double quotes"));
        assert!(err(r#"valid-after="2024""#).contains("bad `valid-after` time"));
        assert!(err(r#"namespaces="git"#).contains("no closing quote"));
        assert!(err(r#"namespaces="git",namespaces="file""#).contains("twice"));
        assert!(err(r#"valid-after="20250101",valid-before="20240101""#).contains("not later"));
        assert!(err("cert-authorityx").contains("unknown option `cert-authorityx`"));
        assert!(err(r#"namespaces="git"x"#).contains("unexpected `x`"));
    }
}
