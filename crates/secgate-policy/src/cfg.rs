//! Reading a policy text: TOML with spans (toml-span), then validation of every table and key
//! in one pass. Nothing stops at the first problem: every unknown key, bad value and conflict
//! is collected, so a user fixes the file in one round. Unknown keys are errors, never warnings,
//! because a typo must never silently weaken a policy.

use crate::db_urls::parse_db_urls;
use crate::error::{ConfigProblem, Problems};
use crate::ignore::parse_ignores;
use crate::licenses::{LicensesPolicy, parse_licenses};
use crate::max_age::parse_max_age;
use crate::paths::{PathsPolicy, parse_paths};
use crate::pins::{PinsPolicy, parse_pins};
use crate::policy::AdvisoriesPolicy;
use crate::secrets::{SecretsPolicy, parse_secrets};
use crate::signatures::{SignaturesPolicy, parse_signatures};
use crate::sources::parse_sources;
use crate::suggest;
use crate::threshold::parse_threshold;
use secgate_core::{Code, Gate, Level};
use std::collections::BTreeMap;
use toml_span::Value;
use toml_span::value::{Key, Table};

/// What a valid policy text says.
pub(crate) struct Parsed {
    pub(crate) advisories: AdvisoriesPolicy,
    pub(crate) levels: BTreeMap<Code, Level>,
    pub(crate) licenses: LicensesPolicy,
    pub(crate) pins: PinsPolicy,
    pub(crate) signatures: SignaturesPolicy,
    pub(crate) paths: PathsPolicy,
    pub(crate) secrets: SecretsPolicy,
}

const TOP_KEYS: &[&str] = &[
    "advisories",
    "levels",
    "licenses",
    "paths",
    "pins",
    "secrets",
    "signatures",
];
/// Sections and keys the design describes that this version does not implement yet: they are
/// errors like any unknown key, with a hint that says so instead of guessing a typo.
const NOT_YET: &[&str] = &["sbom"];
/// The `[advisories]` keys that are not level shortcuts.
const ADVISORY_KEYS: &[&str] = &[
    "ignore",
    "sources",
    "severity-threshold",
    "max-age",
    "db-urls",
    "include-dev",
];
const LEVELS: &[&str] = &["allow", "warn", "deny"];

/// Where a level was set: `[advisories]` shortcut or `[levels]`.
struct LevelSetting<'a> {
    code: Code,
    level: Option<Level>,
    key: &'a Key<'a>,
    section: &'static str,
}

/// Parses and validates `text`; `path` is the file as given, used in ignore locations.
pub(crate) fn parse(text: &str, path: &str) -> Result<Parsed, Vec<ConfigProblem>> {
    let mut problems = Problems::new(text);
    let root = match toml_span::parse(text) {
        Ok(root) => root,
        Err(err) => {
            problems.push_syntax(&err);
            return Err(problems.finish());
        }
    };
    let mut parsed = Parsed {
        advisories: AdvisoriesPolicy::default(),
        levels: BTreeMap::new(),
        licenses: LicensesPolicy::default(),
        pins: PinsPolicy::default(),
        signatures: SignaturesPolicy::default(),
        paths: PathsPolicy::default(),
        secrets: SecretsPolicy::default(),
    };
    let mut settings = Vec::new();
    if let Some(root) = root.as_table() {
        for (key, value) in root {
            match key.name.as_ref() {
                "advisories" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        advisories(table, path, &mut parsed, &mut settings, &mut problems);
                    }
                }
                "levels" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        levels(table, &mut settings, &mut problems);
                    }
                }
                "licenses" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        parsed.licenses = parse_licenses(table, value.span, path, &mut problems);
                    }
                }
                "pins" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        parsed.pins = parse_pins(table, value.span, path, &mut problems);
                    }
                }
                "signatures" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        parsed.signatures =
                            parse_signatures(table, value.span, path, &mut problems);
                    }
                }
                "paths" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        parsed.paths = parse_paths(table, &mut problems);
                    }
                }
                "secrets" => {
                    if let Some(table) = table(key, value, &mut problems) {
                        parsed.secrets = parse_secrets(table, path, &mut problems);
                    }
                }
                _ => unknown_key(key, None, TOP_KEYS, &mut problems),
            }
        }
    }
    parsed.levels = resolve_levels(settings, &mut problems);
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems.finish())
    }
}

/// The levels the settings give, reporting a code set in both `[advisories]` and `[levels]` at
/// the later of the two.
fn resolve_levels(
    mut settings: Vec<LevelSetting<'_>>,
    problems: &mut Problems<'_>,
) -> BTreeMap<Code, Level> {
    let mut levels = BTreeMap::new();
    settings.sort_by_key(|s| s.key.span.start);
    let mut first: BTreeMap<Code, &LevelSetting<'_>> = BTreeMap::new();
    for setting in &settings {
        if let Some(earlier) = first.get(&setting.code) {
            problems.push(
                setting.key.span,
                format!(
                    "level of `{}` is already set in `[{}]` at line {}",
                    setting.code,
                    earlier.section,
                    problems.line_of(earlier.key.span.start)
                ),
                Some(format!(
                    "set it in `[{}]` or in `[{}]`, not both",
                    earlier.section, setting.section
                )),
            );
            continue;
        }
        first.insert(setting.code, setting);
        if let Some(level) = setting.level {
            levels.insert(setting.code, level);
        }
    }
    levels
}

fn table<'v, 'de>(
    key: &Key<'_>,
    value: &'v Value<'de>,
    problems: &mut Problems<'_>,
) -> Option<&'v Table<'de>> {
    let table = value.as_table();
    if table.is_none() {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("`{}` must be a table, found {found}", key.name),
            Some(format!("write it as a section: `[{}]`", key.name)),
        );
    }
    table
}

pub(crate) fn unknown_key(
    key: &Key<'_>,
    section: Option<&str>,
    allowed: &[&str],
    problems: &mut Problems<'_>,
) {
    let name = key.name.as_ref();
    let place = section.map_or_else(String::new, |s| format!(" in `[{s}]`"));
    let hint = if NOT_YET.contains(&name) {
        format!("`{name}` is not supported by this version of secgate; remove it")
    } else {
        suggest::hint(name, allowed)
    };
    problems.push(key.span, format!("unknown key `{name}`{place}"), Some(hint));
}

fn advisory_codes() -> impl Iterator<Item = Code> {
    Code::ALL
        .iter()
        .copied()
        .filter(|c| c.gate() == Gate::Advisories)
}

fn advisories<'a>(
    table: &'a Table<'a>,
    path: &str,
    parsed: &mut Parsed,
    settings: &mut Vec<LevelSetting<'a>>,
    problems: &mut Problems<'_>,
) {
    let advisories = &mut parsed.advisories;
    for (key, value) in table {
        let name = key.name.as_ref();
        match name {
            "ignore" => advisories.ignore = parse_ignores(value, path, problems),
            "sources" => {
                if let Some(sources) = parse_sources(value, problems) {
                    advisories.sources = sources;
                    advisories.sources_location = Some(problems.location(path, value.span));
                }
            }
            "severity-threshold" => {
                if let Some(threshold) = parse_threshold(value, problems) {
                    advisories.severity_threshold = Some(threshold);
                    advisories.severity_threshold_location =
                        Some(problems.location(path, value.span));
                }
            }
            "db-urls" => advisories.db_urls = parse_db_urls(value, problems),
            "include-dev" => match value.as_bool() {
                Some(include) => advisories.include_dev = include,
                None => problems.push(
                    value.span,
                    format!(
                        "`include-dev` must be true or false, found {}",
                        value.as_ref().type_str()
                    ),
                    None,
                ),
            },
            "max-age" => {
                if let Some(max_age) = parse_max_age(value, problems) {
                    advisories.max_age = max_age;
                    advisories.max_age_location = Some(problems.location(path, value.span));
                }
            }
            _ => {
                if let Some(code) = advisory_codes().find(|c| c.as_str() == name) {
                    settings.push(LevelSetting {
                        code,
                        level: level(key, value, problems),
                        key,
                        section: "advisories",
                    });
                } else {
                    let mut allowed = ADVISORY_KEYS.to_vec();
                    allowed.extend(advisory_codes().map(Code::as_str));
                    unknown_key(key, Some("advisories"), &allowed, problems);
                }
            }
        }
    }
}

fn levels<'a>(
    table: &'a Table<'a>,
    settings: &mut Vec<LevelSetting<'a>>,
    problems: &mut Problems<'_>,
) {
    for (key, value) in table {
        let Some(code) = Code::from_name(&key.name) else {
            let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            problems.push(
                key.span,
                format!("unknown code `{}` in `[levels]`", key.name),
                Some(suggest::hint(&key.name, &codes)),
            );
            // Still check the value, so a bad level next to a bad code is reported too.
            level(key, value, problems);
            continue;
        };
        settings.push(LevelSetting {
            code,
            level: level(key, value, problems),
            key,
            section: "levels",
        });
    }
}

fn level(key: &Key<'_>, value: &Value<'_>, problems: &mut Problems<'_>) -> Option<Level> {
    let hint = || Some(format!("a level is one of {}", suggest::list(LEVELS)));
    let Some(name) = value.as_str() else {
        let found = value.as_ref().type_str();
        problems.push(
            value.span,
            format!("level of `{}` must be a string, found {found}", key.name),
            hint(),
        );
        return None;
    };
    let level = Level::from_name(name);
    if level.is_none() {
        problems.push(
            value.span,
            format!("unknown level `{name}` for `{}`", key.name),
            hint(),
        );
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match parse(text, "secgate.toml") {
            Ok(_) => Vec::new(),
            Err(list) => list
                .iter()
                .map(|p| format!("{}:{} {}", p.line, p.column, p.message))
                .collect(),
        }
    }

    #[test]
    fn empty_text_is_a_valid_policy_with_no_overrides() {
        let parsed = parse("", "secgate.toml").unwrap_or_else(|_| panic!("empty policy"));
        assert_eq!(parsed.advisories, AdvisoriesPolicy::default());
        assert!(parsed.levels.is_empty());
    }

    #[test]
    fn advisory_shortcuts_and_levels_set_levels() {
        let text = "[advisories]\nunmaintained = \"deny\"\n[levels]\ndb-bad-record = \"allow\"\n";
        let parsed = parse(text, "p").unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(parsed.levels.get(&Code::Unmaintained), Some(&Level::Deny));
        assert_eq!(parsed.levels.get(&Code::DbBadRecord), Some(&Level::Allow));
        assert_eq!(parsed.levels.len(), 2);
    }

    #[test]
    fn only_advisory_codes_are_shortcuts() {
        assert_eq!(
            problems("[advisories]\ndb-bad-record = \"deny\"\n"),
            ["2:1 unknown key `db-bad-record` in `[advisories]`"]
        );
    }

    #[test]
    fn same_code_in_both_places_points_at_the_later_one() {
        let text = "[levels]\nnotice = \"deny\"\n\n[advisories]\nnotice = \"allow\"\n";
        assert_eq!(
            problems(text),
            ["5:1 level of `notice` is already set in `[levels]` at line 2"]
        );
    }

    #[test]
    fn sections_must_be_tables_and_future_sections_say_so() {
        assert_eq!(
            problems("advisories = 1\n"),
            ["1:14 `advisories` must be a table, found integer"]
        );
        assert_eq!(
            problems("licenses = [\"MIT\"]\n"),
            ["1:12 `licenses` must be a table, found array"]
        );
        let err = parse("[sbom]\nformat = \"spdx\"\n", "p")
            .err()
            .unwrap_or_default();
        assert_eq!(err[0].message, "unknown key `sbom`");
        assert_eq!(
            err[0].hint.as_deref(),
            Some("`sbom` is not supported by this version of secgate; remove it")
        );
        assert_eq!(err[0].span, 1..5);
    }

    #[test]
    fn licenses_section_is_parsed_and_located() {
        let text = "[levels]\nnotice = \"warn\"\n\n[licenses]\nallow = [\"MPL-2.0\"]\n";
        let parsed = parse(text, "p.toml").unwrap_or_else(|p| panic!("{p:?}"));
        assert!(parsed.licenses.policy.allow.contains("MPL-2.0"));
        let location = parsed.licenses.location.expect("located");
        assert_eq!(
            (location.path.as_str(), location.line, location.column),
            ("p.toml", 4, 1)
        );
        assert_eq!(
            problems("[licenses]\nalow = []\n"),
            ["2:1 unknown key `alow` in `[licenses]`"]
        );
    }

    #[test]
    fn level_values_are_checked_even_under_unknown_codes() {
        assert_eq!(
            problems("[levels]\nvulnerabilty = \"never\"\nnotice = 3\n"),
            [
                "2:1 unknown code `vulnerabilty` in `[levels]`",
                "2:17 unknown level `never` for `vulnerabilty`",
                "3:10 level of `notice` must be a string, found integer",
            ]
        );
    }
}
