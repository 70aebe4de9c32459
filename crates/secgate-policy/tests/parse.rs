//! Policy files from `tests/fixtures/`, one case per file: what parses, and for what does not,
//! every problem with its exact line, column, span and message.

use jiff::civil::Date;
use secgate_core::{Code, Level};
use secgate_policy::{ConfigProblem, Policy, PolicyError};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str) -> Policy {
    Policy::parse(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn problems(name: &str) -> Vec<ConfigProblem> {
    let text = fixture(name);
    match Policy::parse(&text, name) {
        Ok(_) => panic!("{name} parsed but should not"),
        Err(PolicyError::Invalid {
            path,
            text: kept,
            problems,
        }) => {
            assert_eq!(path, name);
            assert_eq!(kept, text);
            for p in &problems {
                assert_eq!(
                    p.message,
                    p.message.trim_end_matches('.'),
                    "trailing period"
                );
                assert!(p.span.end <= text.len() && p.span.start <= p.span.end);
            }
            problems
        }
        Err(e) => panic!("{name}: unexpected {e}"),
    }
}

/// `line:column message` of each problem.
fn lines(problems: &[ConfigProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}:{} {}", p.line, p.column, p.message))
        .collect()
}

/// The text a problem's span covers.
fn covered(name: &str, p: &ConfigProblem) -> String {
    fixture(name)[p.span.clone()].to_owned()
}

#[test]
fn valid_full_policy_parses_every_key() {
    let policy = parse("valid-full.toml");
    assert_eq!(policy.path.as_deref(), Some("valid-full.toml"));
    let ids: Vec<_> = policy
        .advisories
        .ignore
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["RUSTSEC-2023-0071", "GHSA-c38w-74pg-36hr", "CVE-2022-24713"]
    );
    let first = &policy.advisories.ignore[0];
    assert_eq!(first.reason, "rsa only verifies; no key material");
    assert_eq!(first.expires, Some(Date::constant(2027, 1, 31)));
    assert_eq!(first.location.path, "valid-full.toml");
    assert_eq!((first.location.line, first.location.column), (4, 3));
    let span = first.location.span.clone().expect("entry span");
    assert!(fixture("valid-full.toml")[span].starts_with("{ id = \"RUSTSEC-2023-0071\""));
    assert_eq!(policy.advisories.ignore[1].expires, None);
    assert_eq!(policy.advisories.ignore[2].location.line, 6);

    assert_eq!(policy.level(Code::Vulnerability), Level::Deny);
    assert_eq!(policy.level(Code::Unmaintained), Level::Deny);
    assert_eq!(policy.level(Code::Unsound), Level::Warn);
    assert_eq!(policy.level(Code::Notice), Level::Allow);
    assert_eq!(policy.level(Code::DbBadRecord), Level::Deny);
    assert_eq!(policy.level(Code::IgnoreExpired), Level::Warn);
    assert_eq!(policy.level(Code::IgnoreUnused), Level::Allow);
}

#[test]
fn ignores_may_be_written_as_an_array_of_tables() {
    let policy = parse("table-ignores.toml");
    let ignores = &policy.advisories.ignore;
    assert_eq!(ignores.len(), 2);
    assert_eq!(ignores[0].id, "RUSTSEC-2020-0071");
    assert_eq!(ignores[0].location.line, 2);
    assert_eq!(ignores[1].id, "PYSEC-2021-19");
    assert_eq!(ignores[1].expires, Some(Date::constant(2026, 12, 31)));
    assert_eq!(
        (ignores[1].location.line, ignores[1].location.column),
        (6, 1)
    );
}

#[test]
fn typo_in_a_key_is_an_error_with_a_suggestion() {
    let p = problems("unknown-key.toml");
    assert_eq!(lines(&p), ["2:1 unknown key `ignroe` in `[advisories]`"]);
    assert_eq!(p[0].span, 13..19);
    assert_eq!(covered("unknown-key.toml", &p[0]), "ignroe");
    assert_eq!(p[0].hint.as_deref(), Some("did you mean `ignore`?"));
}

#[test]
fn missing_or_empty_reason_points_at_the_entry() {
    let p = problems("missing-reason.toml");
    assert_eq!(
        lines(&p),
        [
            "4:3 ignore for `RUSTSEC-2020-0071` has no `reason`",
            "5:41 ignore for `RUSTSEC-2021-0139` has an empty `reason`",
        ]
    );
    assert_eq!(
        covered("missing-reason.toml", &p[0]),
        "{ id = \"RUSTSEC-2020-0071\", expires = \"2027-01-31\" }"
    );
    assert!(p[0].hint.as_deref().unwrap_or("").contains("reason = "));
}

#[test]
fn expiry_dates_must_be_real_iso_dates() {
    let p = problems("bad-date.toml");
    assert_eq!(
        lines(&p),
        [
            "3:56 `expires` date `2027-02-30` does not exist",
            "4:56 `expires` must be a date written `YYYY-MM-DD`, found `31/01/2027`",
            "5:55 `expires` must be a string, found integer",
        ]
    );
    assert_eq!(covered("bad-date.toml", &p[0]), "2027-02-30");
}

#[test]
fn unknown_level_names_and_codes_list_what_is_allowed() {
    let p = problems("bad-level.toml");
    assert_eq!(
        lines(&p),
        [
            "2:17 unknown level `error` for `unmaintained`",
            "5:1 unknown code `db-bad-recrod` in `[levels]`",
        ]
    );
    assert_eq!(
        p[0].hint.as_deref(),
        Some("a level is one of `allow`, `warn` or `deny`")
    );
    assert_eq!(p[1].hint.as_deref(), Some("did you mean `db-bad-record`?"));
}

#[test]
fn duplicate_ignore_points_at_the_second_and_names_the_first_line() {
    let p = problems("dup-ignore.toml");
    assert_eq!(
        lines(&p),
        ["6:11 duplicate ignore for `RUSTSEC-2023-0071` (first at line 3)"]
    );
    assert_eq!(covered("dup-ignore.toml", &p[0]), "RUSTSEC-2023-0071");
}

#[test]
fn same_code_in_shortcut_and_levels_is_an_error() {
    let p = problems("level-conflict.toml");
    assert_eq!(
        lines(&p),
        ["5:1 level of `unmaintained` is already set in `[advisories]` at line 2"]
    );
}

#[test]
fn syntax_error_is_one_problem_at_its_position() {
    let p = problems("syntax-error.toml");
    assert_eq!(lines(&p), ["3:56 invalid toml: unterminated string"]);
    assert!(p[0].hint.is_some());
}

#[test]
fn every_problem_of_a_file_is_reported_in_file_order() {
    let p = problems("many-errors.toml");
    assert_eq!(
        lines(&p),
        [
            "4:11 `rsa` does not look like an advisory id",
            "5:3 ignore for `RUSTSEC-2023-0071` has no `reason`",
            "6:56 `expires` date `2027-13-01` does not exist",
            "6:69 unknown key `owner` in ignore",
            "8:1 unknown key `unmaintaned` in `[advisories]`",
            "9:18 unknown level `never` for `vulnerability`",
            "12:17 level of `ignore-unused` must be a string, found integer",
            "13:1 unknown code `no-such-code` in `[levels]`",
            "15:2 unknown key `licenses`",
        ]
    );
    assert_eq!(p[4].hint.as_deref(), Some("did you mean `unmaintained`?"));
    assert!(
        p[7].hint
            .as_deref()
            .is_some_and(|h| h.contains("`db-bad-record`") && h.contains("`ignore-unused`"))
    );
    assert_eq!(
        p[8].hint.as_deref(),
        Some("`licenses` is not supported by this version of secgate; remove it")
    );
}

#[test]
fn unquoted_dates_are_a_syntax_error_with_a_quoting_hint() {
    let text = "[advisories]\nignore = [{ id = \"RUSTSEC-2023-0071\", reason = \"r\", expires = 2027-01-31 }]\n";
    let Err(PolicyError::Invalid { problems, .. }) = Policy::parse(text, "secgate.toml") else {
        panic!("unquoted date accepted");
    };
    assert_eq!(lines(&problems), ["2:63 invalid toml: invalid number"]);
    assert_eq!(
        problems[0].hint.as_deref(),
        Some("write dates as strings: `\"2027-01-31\"`")
    );
}

#[test]
fn ignore_entries_must_be_tables_with_an_id() {
    let text = "[advisories]\nignore = [\"RUSTSEC-2023-0071\", { reason = \"no id\" }]\n";
    let Err(PolicyError::Invalid { problems, .. }) = Policy::parse(text, "secgate.toml") else {
        panic!("string ignore accepted");
    };
    assert_eq!(
        lines(&problems),
        [
            "2:12 an ignore must be a table, found string",
            "2:32 ignore has no `id`",
        ]
    );
    assert!(
        problems[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.starts_with("every ignore needs a reason"))
    );
}
