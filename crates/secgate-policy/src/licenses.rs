//! `[licenses]`: the licence gate's policy. A `preset` (`default`, `strict` or `permissive`,
//! the files in `policies/licenses/`) gives the base allow and deny lists; `allow` adds licences
//! to it and `deny` refuses licences even when the preset allows them. `exceptions` allow
//! licences for one package, `clarify` corrects a package's licence, and `confidence-threshold`
//! says how sure licence text detection must be.
//!
//! A licence both allowed and denied by the file is an error (the deny would silently win), and
//! so is allowing a licence the preset denies: an exception is the way to allow it for the
//! packages that need it.

mod clarify;
mod entry;
mod exceptions;
mod ids;

use crate::cfg::unknown_key;
use crate::error::Problems;
use crate::suggest;
use ids::{Id, parse_ids};
use secgate_core::Location;
use secgate_licenses::evaluate::LicensePolicy;
use toml_span::value::Table;
use toml_span::{Span, Value};

/// The `[licenses]` section.
#[derive(Clone, Debug, PartialEq)]
pub struct LicensesPolicy {
    /// What the licence evaluator uses: the preset's lists plus the file's `allow` and `deny`
    /// (normalized), and its `exceptions` and `clarify` entries with their locations in the
    /// policy file.
    pub policy: LicensePolicy,
    /// The preset the lists start from. Default [`LicensesPolicy::DEFAULT_PRESET`].
    pub preset: String,
    /// How sure licence text detection must be for a detected licence to count, in `(0, 1]`.
    /// Default [`LicensesPolicy::DEFAULT_CONFIDENCE_THRESHOLD`].
    pub confidence_threshold: f32,
    /// Where the `[licenses]` table is, when the policy has one.
    pub location: Option<Location>,
}

impl LicensesPolicy {
    /// The preset used when the policy does not name one.
    pub const DEFAULT_PRESET: &'static str = "default";
    /// `confidence-threshold` when the policy does not set it.
    pub const DEFAULT_CONFIDENCE_THRESHOLD: f32 = 0.8;
}

impl Default for LicensesPolicy {
    /// The `default` preset alone, a confidence threshold of 0.8.
    fn default() -> Self {
        LicensesPolicy {
            policy: preset(Self::DEFAULT_PRESET),
            preset: Self::DEFAULT_PRESET.to_owned(),
            confidence_threshold: Self::DEFAULT_CONFIDENCE_THRESHOLD,
            location: None,
        }
    }
}

fn preset(name: &str) -> LicensePolicy {
    LicensePolicy::from_preset(name).unwrap_or_default()
}

const KEYS: &[&str] = &[
    "preset",
    "allow",
    "deny",
    "confidence-threshold",
    "exceptions",
    "clarify",
];

/// Parses the `[licenses]` table at `span`; `path` is the policy file, for locations.
pub(crate) fn parse_licenses(
    table: &Table<'_>,
    span: Span,
    path: &str,
    problems: &mut Problems<'_>,
) -> LicensesPolicy {
    let mut licenses = LicensesPolicy {
        location: Some(problems.location(path, span)),
        ..LicensesPolicy::default()
    };
    let mut allow = Vec::new();
    let mut deny = Vec::new();
    for (key, value) in table {
        match key.name.as_ref() {
            "preset" => {
                if let Some(name) = parse_preset(value, problems) {
                    licenses.preset = name;
                }
            }
            "allow" => allow = parse_ids(value, "allow", problems).unwrap_or_default(),
            "deny" => deny = parse_ids(value, "deny", problems).unwrap_or_default(),
            "confidence-threshold" => {
                if let Some(threshold) = parse_confidence(value, problems) {
                    licenses.confidence_threshold = threshold;
                }
            }
            "exceptions" => {
                licenses.policy.exceptions = exceptions::parse_exceptions(value, path, problems);
            }
            "clarify" => licenses.policy.clarify = clarify::parse_clarify(value, path, problems),
            _ => unknown_key(key, Some("licenses"), KEYS, problems),
        }
    }
    let base = preset(&licenses.preset);
    conflicts(&allow, &deny, &base, &licenses.preset, problems);
    licenses.policy.allow = base.allow;
    licenses.policy.deny = base.deny;
    licenses
        .policy
        .allow
        .extend(allow.into_iter().map(|i| i.id));
    licenses.policy.deny.extend(deny.into_iter().map(|i| i.id));
    licenses
}

/// Reports licences both allowed and denied by the file (at the later entry), and licences
/// the file allows but the preset denies.
fn conflicts(
    allow: &[Id],
    deny: &[Id],
    base: &LicensePolicy,
    preset: &str,
    problems: &mut Problems<'_>,
) {
    for a in allow {
        if let Some(d) = deny.iter().find(|d| d.id == a.id) {
            let (first, second) = if a.span.start < d.span.start {
                (a, d)
            } else {
                (d, a)
            };
            problems.push(
                second.span,
                format!(
                    "licence `{}` is both allowed and denied (first at {})",
                    a.id,
                    problems.first_at(first.span.start, second.span.start)
                ),
                Some("remove it from `allow` or from `deny`: a deny wins over an allow".to_owned()),
            );
        } else if base.deny.contains(&a.id) {
            problems.push(
                a.span,
                format!("licence `{}` is denied by the `{preset}` preset", a.id),
                Some(
                    "allow it for the packages that need it with `exceptions`, or choose another \
                     `preset`"
                        .to_owned(),
                ),
            );
        }
    }
}

fn parse_preset(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<String> {
    let names = LicensePolicy::preset_names();
    let Some(name) = value.as_str() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`preset` must be a string, found {found}"),
            Some(format!("a preset is one of {}", suggest::list(names))),
        );
        return None;
    };
    if names.contains(&name) {
        return Some(name.to_owned());
    }
    let close = suggest::close(name, names);
    let hint = if close.is_empty() {
        format!("a preset is one of {}", suggest::list(names))
    } else {
        format!("did you mean {}?", suggest::list(&close))
    };
    problems.push(
        value.span,
        format!("unknown licence preset `{name}`"),
        Some(hint),
    );
    None
}

/// `confidence-threshold`: a number above 0 and at most 1 (`1` may be written as an integer).
fn parse_confidence(value: &Value<'_>, problems: &mut Problems<'_>) -> Option<f32> {
    let example = "write a fraction above 0 and at most 1, e.g. `confidence-threshold = 0.8`";
    let number = value.as_float().or_else(|| match value.as_integer() {
        Some(1) => Some(1.0),
        Some(0) => Some(0.0),
        _ => None,
    });
    let Some(number) = number else {
        let found = value.as_ref().type_str();
        let (message, hint) = match (value.as_integer(), value.as_str()) {
            (Some(n), _) => (
                format!("`confidence-threshold` must be above 0 and at most 1, found `{n}`"),
                // `80` probably means 80 %.
                u8::try_from(n)
                    .ok()
                    .filter(|p| (2..=100).contains(p))
                    .map_or_else(
                        || example.to_owned(),
                        |p| {
                            let fraction = f64::from(p) / 100.0;
                            format!(
                                "write a fraction: `confidence-threshold = {fraction}` for {p} %"
                            )
                        },
                    ),
            ),
            (None, Some(s)) if s.trim().parse::<f64>().is_ok() => (
                format!("`confidence-threshold` must be a number, found {found}"),
                format!(
                    "write it without quotes: `confidence-threshold = {}`",
                    s.trim()
                ),
            ),
            _ => (
                format!("`confidence-threshold` must be a number, found {found}"),
                example.to_owned(),
            ),
        };
        problems.push(value.span, message, Some(hint));
        return None;
    };
    if number > 0.0 && number <= 1.0 {
        return Some(number as f32);
    }
    problems.push(
        value.span,
        format!("`confidence-threshold` must be above 0 and at most 1, found `{number}`"),
        Some(example.to_owned()),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_default_preset() {
        let d = LicensesPolicy::default();
        assert_eq!(d.preset, "default");
        assert_eq!(d.policy, preset("default"));
        assert!(d.policy.allow.contains("MIT"));
        assert!((d.confidence_threshold - 0.8).abs() < f32::EPSILON);
        assert_eq!(d.location, None);
        assert!(
            LicensePolicy::preset_names().contains(&LicensesPolicy::DEFAULT_PRESET),
            "the default preset exists"
        );
    }

    #[test]
    fn allowing_what_the_preset_denies_is_an_error() {
        // No shipped preset denies anything yet, so the base is built here.
        let text = "allow = [\"MIT\", \"WTFPL\"]";
        let root = toml_span::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let mut problems = Problems::new(text);
        let value = root.as_table().and_then(|t| t.get("allow")).expect("allow");
        let allow = parse_ids(value, "allow", &mut problems).unwrap_or_default();
        let mut base = LicensePolicy::default();
        base.deny(["WTFPL"]).unwrap_or_else(|e| panic!("{e:?}"));
        conflicts(&allow, &[], &base, "strict", &mut problems);
        let list = problems.finish();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].column, list[0].message.as_str()),
            (18, "licence `WTFPL` is denied by the `strict` preset")
        );
        assert!(
            list[0]
                .hint
                .as_deref()
                .is_some_and(|h| h.contains("`exceptions`"))
        );
    }
}
