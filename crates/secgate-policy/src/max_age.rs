//! `[advisories] max-age`: how old a fetched advisory database may be before the gate refuses
//! it (`db-stale`). Written `<n><unit>` with a positive whole `n` and one of the units `w`, `d`,
//! `h`, `m` (minutes) or `s`: `"7d"`, `"36h"`, `"2w"`. There is no month or year unit, because
//! their length varies.

use crate::error::Problems;
use std::time::Duration;
use toml_span::Value;

/// Units, largest first: (suffix, seconds).
const UNITS: &[(&str, u64)] = &[
    ("w", 604_800),
    ("d", 86_400),
    ("h", 3_600),
    ("m", 60),
    ("s", 1),
];

/// Longer spellings people write, for a "did you mean" hint (compared case-insensitively).
const SPELLED: &[(&str, &[&str])] = &[
    ("w", &["wk", "wks", "week", "weeks"]),
    ("d", &["day", "days"]),
    ("h", &["hr", "hrs", "hour", "hours"]),
    ("m", &["min", "mins", "minute", "minutes"]),
    ("s", &["sec", "secs", "second", "seconds"]),
];

const UNITS_HINT: &str = "write a whole number and a unit: `w` (weeks), `d` (days), `h` (hours), `m` (minutes) or `s` (seconds), e.g. `max-age = \"7d\"`";

/// Parses the value of `max-age`, reporting what is wrong with it.
pub(crate) fn parse_max_age(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Duration> {
    let Some(text) = value.as_str() else {
        let found = value.as_ref().type_str();
        let hint = match value.as_integer() {
            Some(n) if n > 0 => {
                format!("write it as a string with a unit, e.g. `max-age = \"{n}d\"`")
            }
            _ => UNITS_HINT.to_owned(),
        };
        problems.push(
            value.span,
            format!("`max-age` must be a string, found {found}"),
            Some(hint),
        );
        return None;
    };
    match parse_duration(text) {
        Ok(duration) => Some(duration),
        Err((message, hint)) => {
            problems.push(value.span, message, Some(hint));
            None
        }
    }
}

/// Parses `<n><unit>`; on error, the message and a hint.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, (String, String)> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if text.is_empty() {
        return Err(("`max-age` is empty".to_owned(), UNITS_HINT.to_owned()));
    }
    if let Some(rest) = text.strip_prefix('-')
        && parse_duration(rest).is_ok()
    {
        return Err((
            format!("`max-age` must be positive, found `{text}`"),
            format!("write how old a database may be, e.g. `max-age = \"{rest}\"`"),
        ));
    }
    let shape = || {
        (
            format!("`max-age` must be a whole number followed by a unit, found `{text}`"),
            UNITS_HINT.to_owned(),
        )
    };
    if digits.is_empty() || !unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(shape());
    }
    if unit.is_empty() {
        return Err((
            format!("`max-age` `{text}` has no unit"),
            format!("add a unit, e.g. `\"{digits}d\"` for days or `\"{digits}h\"` for hours"),
        ));
    }
    let Some(&(_, seconds)) = UNITS.iter().find(|(suffix, _)| *suffix == unit) else {
        let lower = unit.to_ascii_lowercase();
        let hint = SPELLED
            .iter()
            // An uppercase `M` may mean months: only the other letters are matched by case.
            .find(|(suffix, spelled)| {
                (*suffix == lower && lower != "m") || spelled.contains(&lower.as_str())
            })
            .map_or_else(
                || UNITS_HINT.to_owned(),
                |(suffix, _)| format!("did you mean `\"{digits}{suffix}\"`?"),
            );
        return Err((format!("unknown unit `{unit}` in `max-age`"), hint));
    };
    let too_large = || {
        (
            format!("`max-age` `{text}` is too large"),
            "write a realistic duration, e.g. `max-age = \"7d\"`".to_owned(),
        )
    };
    let n: u64 = digits.parse().map_err(|_| too_large())?;
    if n == 0 {
        return Err((
            format!("`max-age` must be positive, found `{text}`"),
            "a zero `max-age` would refuse every database; write e.g. `max-age = \"7d\"`"
                .to_owned(),
        ));
    }
    n.checked_mul(seconds)
        .map(Duration::from_secs)
        .ok_or_else(too_large)
}

/// `duration` in the `max-age` syntax with the largest unit up to days that divides it (`"7d"`,
/// `"14d"`, `"36h"`); weeks are not used because days read more plainly. Sub-second parts are
/// dropped.
pub(crate) fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (suffix, seconds) = UNITS
        .iter()
        .copied()
        .filter(|(suffix, _)| *suffix != "w")
        .find(|(_, seconds)| secs > 0 && secs.is_multiple_of(*seconds))
        .unwrap_or(("s", 1));
    format!("{}{suffix}", secs / seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        parse_duration(text)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
            .as_secs()
    }

    fn err(text: &str) -> (String, String) {
        parse_duration(text).expect_err(text)
    }

    #[test]
    fn every_unit_parses() {
        assert_eq!(secs("7d"), 7 * 86_400);
        assert_eq!(secs("2w"), 14 * 86_400);
        assert_eq!(secs("36h"), 36 * 3_600);
        assert_eq!(secs("90m"), 90 * 60);
        assert_eq!(secs("45s"), 45);
        assert_eq!(secs("007d"), 7 * 86_400);
    }

    #[test]
    fn malformed_durations_say_what_is_wrong() {
        assert_eq!(err("").0, "`max-age` is empty");
        assert_eq!(err("7").0, "`max-age` `7` has no unit");
        assert_eq!(
            err("7").1,
            "add a unit, e.g. `\"7d\"` for days or `\"7h\"` for hours"
        );
        assert_eq!(err("7x").0, "unknown unit `x` in `max-age`");
        assert_eq!(err("7x").1, UNITS_HINT);
        assert_eq!(err("7days").1, "did you mean `\"7d\"`?");
        assert_eq!(err("7D").1, "did you mean `\"7d\"`?");
        assert_eq!(err("3Minutes").1, "did you mean `\"3m\"`?");
        // `M` could mean months: no guess.
        assert_eq!(err("1M").1, UNITS_HINT);
        assert_eq!(err("1y").0, "unknown unit `y` in `max-age`");
        for text in ["d", "7 d", "1.5d", "+7d", " 7d", "7d "] {
            assert_eq!(
                err(text).0,
                format!("`max-age` must be a whole number followed by a unit, found `{text}`")
            );
        }
        assert_eq!(err("0d").0, "`max-age` must be positive, found `0d`");
        assert_eq!(err("-7d").0, "`max-age` must be positive, found `-7d`");
        assert_eq!(
            err("-7d").1,
            "write how old a database may be, e.g. `max-age = \"7d\"`"
        );
        assert_eq!(
            err("-x").0,
            "`max-age` must be a whole number followed by a unit, found `-x`"
        );
        assert_eq!(
            err("99999999999999999999d").0,
            "`max-age` `99999999999999999999d` is too large"
        );
        assert_eq!(
            err("18446744073709551615w").0,
            "`max-age` `18446744073709551615w` is too large"
        );
    }

    #[test]
    fn durations_format_with_the_largest_whole_unit() {
        assert_eq!(format_duration(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(format_duration(Duration::from_secs(14 * 86_400)), "14d");
        assert_eq!(format_duration(Duration::from_secs(3 * 86_400)), "3d");
        assert_eq!(format_duration(Duration::from_secs(36 * 3_600)), "36h");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::from_secs(120)), "2m");
        assert_eq!(format_duration(Duration::ZERO), "0s");
        for text in ["7d", "2w", "36h", "90m", "45s"] {
            let d = parse_duration(text).unwrap_or_default();
            assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }
    }
}
