//! The licence presets shipped in `policies/licenses/`: `default`, `strict` and `permissive`.
//!
//! Each file is data: a commented `allow = [...]` and an optional `deny = [...]` of single
//! licences, nothing else. They are embedded in the binary and read here; a test parses each.

use crate::evaluate::policy::{LicenseIdError, LicensePolicy};

/// Name and text of each preset, in the order [`LicensePolicy::preset_names`] lists them.
const PRESETS: &[(&str, &str)] = &[
    (
        "default",
        include_str!("../../../../policies/licenses/default.toml"),
    ),
    (
        "strict",
        include_str!("../../../../policies/licenses/strict.toml"),
    ),
    (
        "permissive",
        include_str!("../../../../policies/licenses/permissive.toml"),
    ),
];

const NAMES: &[&str] = &["default", "strict", "permissive"];

/// Why a preset file is not a valid preset.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PresetError {
    #[error("invalid TOML: {0}")]
    Syntax(#[from] toml_span::Error),
    #[error("unknown key `{key}`: a preset has only `allow` and `deny`")]
    UnknownKey { key: String },
    #[error("`{key}` must be an array of strings")]
    NotStrings { key: String },
    #[error("invalid licence entries: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Ids(Vec<LicenseIdError>),
}

impl LicensePolicy {
    /// The preset called `name` (`default`, `strict`, `permissive`), or `None` for another name.
    pub fn from_preset(name: &str) -> Option<LicensePolicy> {
        let (_, text) = PRESETS.iter().find(|(n, _)| *n == name)?;
        Some(parse(text).expect("embedded licence presets are valid (checked by a unit test)"))
    }

    /// The names [`LicensePolicy::from_preset`] knows.
    pub fn preset_names() -> &'static [&'static str] {
        NAMES
    }
}

/// Reads a preset file.
pub(crate) fn parse(text: &str) -> Result<LicensePolicy, PresetError> {
    let root = toml_span::parse(text)?;
    let mut policy = LicensePolicy::default();
    let mut errors = Vec::new();
    if let Some(table) = root.as_table() {
        for (key, value) in table {
            let name = key.name.as_ref();
            if name != "allow" && name != "deny" {
                return Err(PresetError::UnknownKey {
                    key: name.to_owned(),
                });
            }
            let ids = strings(value).ok_or_else(|| PresetError::NotStrings {
                key: name.to_owned(),
            })?;
            let added = if name == "allow" {
                policy.allow(ids)
            } else {
                policy.deny(ids)
            };
            errors.extend(added.err().unwrap_or_default());
        }
    }
    if errors.is_empty() {
        Ok(policy)
    } else {
        Err(PresetError::Ids(errors))
    }
}

fn strings<'a>(value: &'a toml_span::Value<'_>) -> Option<Vec<&'a str>> {
    value
        .as_array()?
        .iter()
        .map(toml_span::Value::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_is_listed() {
        assert_eq!(PRESETS.len(), NAMES.len());
        for ((name, text), listed) in PRESETS.iter().zip(NAMES) {
            assert_eq!(name, listed);
            let policy = parse(text).unwrap_or_else(|e| panic!("preset `{name}`: {e}"));
            assert!(!policy.allow.is_empty(), "preset `{name}` allows nothing");
        }
        assert!(LicensePolicy::from_preset("lenient").is_none());
    }

    #[test]
    fn malformed_presets_are_refused() {
        assert!(matches!(
            parse("allow = [\"MIT\"]\nalow = []\n"),
            Err(PresetError::UnknownKey { key }) if key == "alow"
        ));
        assert!(matches!(
            parse("allow = \"MIT\"\n"),
            Err(PresetError::NotStrings { .. })
        ));
        assert!(matches!(
            parse("allow = [\"MIT\", \"Nope-1\"]\n"),
            Err(PresetError::Ids(e)) if e.len() == 1
        ));
        assert!(matches!(parse("allow = ["), Err(PresetError::Syntax(_))));
    }
}
