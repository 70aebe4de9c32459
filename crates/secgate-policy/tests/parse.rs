//! Policy files from `tests/fixtures/`, one case per file: what parses, and for what does not,
//! every problem with its exact line, column, span and message.

use jiff::civil::Date;
use secgate_core::{Code, Level, Severity};
use secgate_policy::{AdvisoriesPolicy, ConfigProblem, Policy, PolicyError, Source};
use std::time::Duration;

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

    let advisories = &policy.advisories;
    assert_eq!(
        advisories.sources,
        [Source::Rustsec, Source::Osv, Source::OsvApi]
    );
    assert_eq!(advisories.severity_threshold, Some(Severity::Medium));
    assert_eq!(advisories.max_age, Duration::from_secs(36 * 3600));
    assert_eq!(advisories.max_age_text(), "36h");
    let at = |location: &Option<secgate_core::Location>| {
        let l = location.as_ref().expect("set, so located");
        assert_eq!(l.path, "valid-full.toml");
        let covered = fixture("valid-full.toml")[l.span.clone().expect("span")].to_owned();
        (l.line, l.column, covered)
    };
    assert_eq!(
        at(&advisories.sources_location),
        (8, 11, "[\"rustsec\", \"osv\", \"osv-api\"]".to_owned())
    );
    assert_eq!(
        at(&advisories.severity_threshold_location),
        (9, 23, "moderate".to_owned())
    );
    assert_eq!(at(&advisories.max_age_location), (10, 12, "36h".to_owned()));

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
            "16:12 unknown `actions` rule `pinned`",
            "17:16 `actions` is not `owner/*` or `owner/repo`",
            "18:11 `[pins]` ignore has no `reason`",
            "18:42 `image-unpined` is not a code of the pinning gate",
            "20:1 `[signatures]` requires signatures but names no signer",
        ]
    );
    assert_eq!(p[4].hint.as_deref(), Some("did you mean `unmaintained`?"));
    assert!(
        p[7].hint
            .as_deref()
            .is_some_and(|h| h.contains("`db-bad-record`") && h.contains("`ignore-unused`"))
    );
    assert_eq!(
        p[11].hint.as_deref(),
        Some("did you mean `image-unpinned`?")
    );
    assert_eq!(
        p[12].hint.as_deref(),
        Some(
            "add `allowed-signers = \".github/allowed_signers\"` (SSH) or `openpgp-keys = [\".github/release-keys.asc\"]`"
        )
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

/// The problems of a policy text given inline, as `line:column message`, and their hints.
fn inline(text: &str) -> (Vec<String>, Vec<Option<String>>) {
    let Err(PolicyError::Invalid { problems, .. }) = Policy::parse(text, "secgate.toml") else {
        panic!("accepted: {text}");
    };
    (
        lines(&problems),
        problems.into_iter().map(|p| p.hint).collect(),
    )
}

#[test]
fn advisory_settings_have_defaults_and_no_location_when_not_set() {
    let policy = Policy::parse("[advisories]\nignore = []\n", "secgate.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.advisories, AdvisoriesPolicy::default());
    assert_eq!(policy.advisories.sources, [Source::Rustsec, Source::Osv]);
    assert_eq!(policy.advisories.severity_threshold, None);
    assert_eq!(
        policy.advisories.max_age,
        Duration::from_secs(7 * 24 * 60 * 60)
    );
    assert_eq!(
        AdvisoriesPolicy::DEFAULT_MAX_AGE,
        Duration::from_secs(604_800)
    );
    assert_eq!(policy.advisories.sources_location, None);
    assert_eq!(policy.advisories.severity_threshold_location, None);
    assert_eq!(policy.advisories.max_age_location, None);
}

#[test]
fn sources_may_span_lines_and_name_one_source() {
    let policy = parse("sources-one.toml");
    assert_eq!(policy.advisories.sources, [Source::OsvApi]);
    let location = policy.advisories.sources_location.expect("located");
    assert_eq!((location.line, location.column), (3, 11));
    assert_eq!(Source::OsvApi.as_str(), "osv-api");
    assert_eq!(Source::from_name("rustsec"), Some(Source::Rustsec));
}

#[test]
fn unknown_source_suggests_the_close_one() {
    let p = problems("sources-unknown.toml");
    assert_eq!(lines(&p), ["2:24 unknown advisory source `osvv`"]);
    assert_eq!(covered("sources-unknown.toml", &p[0]), "osvv");
    assert_eq!(p[0].hint.as_deref(), Some("did you mean `osv`?"));
}

#[test]
fn empty_sources_is_an_error_because_nothing_would_be_checked() {
    let p = problems("sources-empty.toml");
    assert_eq!(
        lines(&p),
        ["2:11 `sources` is empty, so the gate would check nothing"]
    );
    assert_eq!(covered("sources-empty.toml", &p[0]), "[]");
    assert_eq!(
        p[0].hint.as_deref(),
        Some(
            "name at least one of `rustsec`, `osv` or `osv-api`, or remove the key to use the default `[\"rustsec\", \"osv\"]`"
        )
    );
}

#[test]
fn duplicate_source_points_at_the_second_and_names_the_first() {
    let p = problems("sources-duplicate.toml");
    assert_eq!(
        lines(&p),
        ["2:31 duplicate source `rustsec` (first at column 13)"]
    );
    assert_eq!(covered("sources-duplicate.toml", &p[0]), "rustsec");
    assert_eq!(p[0].hint.as_deref(), Some("list each source once"));

    let p = problems("sources-duplicate-lines.toml");
    assert_eq!(lines(&p), ["5:4 duplicate source `osv` (first at line 3)"]);
}

#[test]
fn sources_must_be_an_array_of_strings() {
    let p = problems("sources-not-array.toml");
    assert_eq!(
        lines(&p),
        ["2:12 `sources` must be an array of strings, found string"]
    );
    assert_eq!(
        p[0].hint.as_deref(),
        Some("write a list: `sources = [\"osv\"]`")
    );

    let p = problems("sources-not-string.toml");
    assert_eq!(lines(&p), ["2:23 a source must be a string, found integer"]);
    assert_eq!(covered("sources-not-string.toml", &p[0]), "2");
    assert_eq!(
        p[0].hint.as_deref(),
        Some("sources are `rustsec`, `osv` or `osv-api`")
    );
}

#[test]
fn every_severity_name_is_a_threshold() {
    for (name, severity) in [
        ("none", Severity::None),
        ("low", Severity::Low),
        ("moderate", Severity::Medium),
        ("medium", Severity::Medium),
        ("high", Severity::High),
        ("critical", Severity::Critical),
    ] {
        let text = format!("[advisories]\nseverity-threshold = \"{name}\"\n");
        let policy = Policy::parse(&text, "secgate.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            policy.advisories.severity_threshold,
            Some(severity),
            "{name}"
        );
        let location = policy
            .advisories
            .severity_threshold_location
            .expect("located");
        assert_eq!((location.line, location.column), (2, 23));
    }
}

#[test]
fn unknown_severity_suggests_the_close_one() {
    let p = problems("severity-unknown.toml");
    assert_eq!(
        lines(&p),
        ["2:23 unknown severity `hihg` for `severity-threshold`"]
    );
    assert_eq!(covered("severity-unknown.toml", &p[0]), "hihg");
    assert_eq!(p[0].hint.as_deref(), Some("did you mean `high`?"));

    let (_, hints) = inline("[advisories]\nseverity-threshold = \"severe\"\n");
    assert_eq!(
        hints,
        [Some(
            "a severity is one of `none`, `low`, `moderate`, `medium`, `high` or `critical`"
                .to_owned()
        )]
    );
}

#[test]
fn severity_threshold_must_be_a_name_not_a_score() {
    let p = problems("severity-not-string.toml");
    assert_eq!(
        lines(&p),
        ["2:22 `severity-threshold` must be a string, found float"]
    );
    assert_eq!(covered("severity-not-string.toml", &p[0]), "7.5");
    assert_eq!(
        p[0].hint.as_deref(),
        Some(
            "write the severity name, e.g. `severity-threshold = \"high\"` for a CVSS score of 7.5"
        )
    );

    let (lines, hints) = inline("[advisories]\nseverity-threshold = true\n");
    assert_eq!(
        lines,
        ["2:22 `severity-threshold` must be a string, found boolean"]
    );
    assert!(
        hints[0]
            .as_deref()
            .is_some_and(|h| h.starts_with("a severity is one of"))
    );
}

#[test]
fn max_age_accepts_every_unit() {
    for (text, secs) in [
        ("7d", 7 * 86_400),
        ("2w", 14 * 86_400),
        ("36h", 36 * 3_600),
        ("90m", 90 * 60),
        ("45s", 45),
    ] {
        let policy = Policy::parse(&format!("[advisories]\nmax-age = \"{text}\"\n"), "p.toml")
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            policy.advisories.max_age,
            Duration::from_secs(secs),
            "{text}"
        );
        let location = policy.advisories.max_age_location.expect("located");
        assert_eq!(
            (location.path.as_str(), location.line, location.column),
            ("p.toml", 2, 12)
        );
    }
}

#[test]
fn max_age_with_an_unknown_unit_suggests_the_short_one() {
    let p = problems("max-age-bad-unit.toml");
    assert_eq!(lines(&p), ["2:12 unknown unit `days` in `max-age`"]);
    assert_eq!(covered("max-age-bad-unit.toml", &p[0]), "7days");
    assert_eq!(p[0].hint.as_deref(), Some("did you mean `\"7d\"`?"));

    let (lines, hints) = inline("[advisories]\nmax-age = \"7\"\n");
    assert_eq!(lines, ["2:12 `max-age` `7` has no unit"]);
    assert_eq!(
        hints,
        [Some(
            "add a unit, e.g. `\"7d\"` for days or `\"7h\"` for hours".to_owned()
        )]
    );
}

#[test]
fn max_age_must_be_positive() {
    let p = problems("max-age-zero.toml");
    assert_eq!(lines(&p), ["2:12 `max-age` must be positive, found `0d`"]);
    assert!(
        p[0].hint
            .as_deref()
            .is_some_and(|h| h.contains("refuse every database"))
    );

    let p = problems("max-age-negative.toml");
    assert_eq!(lines(&p), ["2:12 `max-age` must be positive, found `-7d`"]);
    assert_eq!(covered("max-age-negative.toml", &p[0]), "-7d");
}

#[test]
fn max_age_must_be_a_string_with_a_unit() {
    let p = problems("max-age-not-string.toml");
    assert_eq!(
        lines(&p),
        ["2:11 `max-age` must be a string, found integer"]
    );
    assert_eq!(covered("max-age-not-string.toml", &p[0]), "7");
    assert_eq!(
        p[0].hint.as_deref(),
        Some("write it as a string with a unit, e.g. `max-age = \"7d\"`")
    );

    let (lines, hints) = inline("[advisories]\nmax-age = -7\n");
    assert_eq!(lines, ["2:11 `max-age` must be a string, found integer"]);
    assert!(
        hints[0]
            .as_deref()
            .is_some_and(|h| h.starts_with("write a whole number and a unit"))
    );
}

#[test]
fn every_problem_of_the_advisory_keys_is_reported_at_once() {
    let p = problems("advisory-keys-errors.toml");
    assert_eq!(
        lines(&p),
        [
            "3:12 unknown unit `y` in `max-age`",
            "4:13 unknown advisory source `RustSec`",
            "4:31 duplicate source `osv` (first at column 24)",
            "4:38 unknown advisory source `ghsa`",
            "5:23 unknown severity `High` for `severity-threshold`",
            "6:1 unknown key `maxage` in `[advisories]`",
        ]
    );
    let hints: Vec<_> = p.iter().map(|p| p.hint.as_deref().unwrap_or("")).collect();
    assert!(hints[0].starts_with("write a whole number and a unit"));
    assert_eq!(hints[1], "source names are lowercase: `rustsec`");
    assert_eq!(hints[3], "GitHub advisories (GHSA) are read through `osv`");
    assert_eq!(hints[4], "severity names are lowercase: `high`");
    assert_eq!(hints[5], "did you mean `max-age`?");
}

#[test]
fn db_urls_accept_https_and_loopback_and_report_the_rest() {
    let policy = secgate_policy::Policy::parse(
        "[advisories.db-urls]\nrustsec = \"https://mirror.example/advisory-db.zip\"\nosv-api = \"http://127.0.0.1:8080/\"\n",
        "secgate.toml",
    )
    .unwrap();
    let urls = &policy.advisories.db_urls;
    assert_eq!(
        urls.rustsec.as_deref(),
        Some("https://mirror.example/advisory-db.zip")
    );
    assert_eq!(urls.osv_api.as_deref(), Some("http://127.0.0.1:8080"));
    assert_eq!(urls.osv, None);

    let Err(secgate_policy::PolicyError::Invalid { problems, .. }) = secgate_policy::Policy::parse(
        "[advisories.db-urls]\nrustsec = \"http://mirror.example/x.zip\"\nosvapi = \"https://x\"\ncrates-index = 3\n",
        "secgate.toml",
    ) else {
        panic!("invalid db-urls accepted");
    };
    let got: Vec<(u32, u32, &str)> = problems
        .iter()
        .map(|p| (p.line, p.column, p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                12,
                "`http://mirror.example/x.zip` is not an `https://` URL"
            ),
            (3, 1, "unknown key `osvapi` in `[advisories.db-urls]`"),
            (4, 16, "`crates-index` must be a URL string, found integer"),
        ]
    );
    assert!(problems[1].hint.as_deref().unwrap().contains("osv-api"));
}
