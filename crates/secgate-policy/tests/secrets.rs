//! `[paths]` and `[secrets]` from `tests/fixtures/{paths,secrets}-*.toml` and inline texts: the
//! defaults when the sections are absent, every key of a valid file, and for invalid ones
//! every problem with its exact line, column, span and hint.

use secgate_policy::{
    ConfigProblem, DEFAULT_POLICY, PathsPolicy, Policy, PolicyError, SecretsPolicy,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse_text(text: &str) -> Policy {
    Policy::parse(text, "secgate.toml").unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn problems_of(text: &str, name: &str) -> Vec<ConfigProblem> {
    match Policy::parse(text, name) {
        Ok(_) => panic!("{name} parsed but should not"),
        Err(PolicyError::Invalid { problems, .. }) => {
            for p in &problems {
                assert!(!p.message.ends_with('.'), "trailing period: {}", p.message);
                assert!(p.span.start <= p.span.end && p.span.end <= text.len());
                assert!(p.hint.is_some(), "every problem here has a hint: {p}");
            }
            problems
        }
        Err(e) => panic!("{name}: unexpected {e}"),
    }
}

/// `line:column message`, the text the span covers, and the hint of each problem.
fn report(text: &str, name: &str) -> Vec<(String, String, String)> {
    problems_of(text, name)
        .into_iter()
        .map(|p| {
            (
                format!("{}:{} {}", p.line, p.column, p.message),
                text[p.span.clone()].to_owned(),
                p.hint.unwrap_or_default(),
            )
        })
        .collect()
}

/// The `line:column message` of each problem of an inline text.
fn lines(text: &str) -> Vec<String> {
    report(text, "secgate.toml")
        .into_iter()
        .map(|(line, _, _)| line)
        .collect()
}

fn row(line: &str, covered: &str, hint: &str) -> (String, String, String) {
    (line.to_owned(), covered.to_owned(), hint.to_owned())
}

const RELATIVE: &str = "globs are relative to the repository root, e.g. `tests/fixtures/**`";

#[test]
fn both_sections_have_defaults_when_absent() {
    let policy = parse_text("[advisories]\nignore = []\n");
    assert_eq!(policy.paths, PathsPolicy::default());
    assert!(policy.paths.exclude.is_empty());
    assert!(!policy.paths.excludes("tests/fixtures/a/Cargo.lock"));
    let secrets = &policy.secrets;
    assert_eq!(secrets, &SecretsPolicy::default());
    assert!(!secrets.enabled);
    assert_eq!(secrets.max_file_size, 1_048_576);
    assert!((secrets.entropy_threshold - 3.5).abs() < f64::EPSILON);
    assert!(secrets.allow.is_empty());
    // Empty sections are the defaults too.
    let empty = parse_text("[paths]\n[secrets]\n");
    assert_eq!(empty.paths, PathsPolicy::default());
    assert_eq!(empty.secrets, SecretsPolicy::default());
}

#[test]
fn the_default_policy_writes_out_both_sections_at_their_defaults() {
    let policy =
        Policy::parse(DEFAULT_POLICY, "policies/default.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.paths, PathsPolicy::default());
    assert_eq!(policy.secrets, SecretsPolicy::default());
    assert!(DEFAULT_POLICY.contains("\n[paths]\n"));
    assert!(DEFAULT_POLICY.contains("\n[secrets]\n"));
    assert!(DEFAULT_POLICY.contains("\nmax-file-size = \"1MiB\"\n"));
}

#[test]
fn a_full_valid_file_sets_every_key_and_locates_each_allow_entry() {
    let name = "secrets-valid.toml";
    let text = fixture(name);
    let policy = Policy::parse(&text, name).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        policy.paths.exclude,
        ["tests/fixtures/**", "examples", "vendor"]
    );
    let secrets = &policy.secrets;
    assert!(secrets.enabled);
    assert_eq!(secrets.max_file_size, 256 * 1024);
    assert!((secrets.entropy_threshold - 4.0).abs() < f64::EPSILON);
    let allow = &secrets.allow;
    assert_eq!(allow.len(), 4);
    assert_eq!(allow[0].path.as_deref(), Some("tests/fixtures/keys/**"));
    assert_eq!(
        (allow[0].rule.as_deref(), allow[0].fingerprint.as_deref()),
        (None, None)
    );
    assert_eq!(
        allow[0].reason,
        "throwaway keys generated for the signature tests"
    );
    assert_eq!(
        (allow[1].rule.as_deref(), allow[1].path.as_deref()),
        (Some("private-key"), Some("docs/*.md"))
    );
    assert_eq!(allow[2].rule.as_deref(), Some("github-token"));
    assert_eq!(allow[2].path, None);
    assert_eq!(
        allow[3].fingerprint.as_deref(),
        Some("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    for (entry, line) in allow.iter().zip(10..) {
        let location = &entry.location;
        assert_eq!(location.path, name);
        assert_eq!((location.line, location.column), (line, 3));
        let span = location.span.clone().expect("entry span");
        assert!(text[span.clone()].starts_with('{') && text[span].ends_with('}'));
    }
}

#[test]
fn allow_entries_may_be_written_as_an_array_of_tables() {
    let text = "[[secrets.allow]]\nrule = \"api-token\"\nreason = \"sample\"\n";
    let policy = parse_text(text);
    let entry = &policy.secrets.allow[0];
    assert_eq!(entry.rule.as_deref(), Some("api-token"));
    // The entry is located at its `[[secrets.allow]]` header.
    assert_eq!((entry.location.line, entry.location.column), (1, 1));
}

#[test]
fn excludes_matches_files_directories_and_their_contents() {
    let policy = parse_text(
        "[paths]\nexclude = [\"tests/fixtures/**\", \"tests/fixtures\", \"examples\", \"**/*.pem\"]\n",
    );
    let paths = &policy.paths;
    assert!(paths.excludes("tests/fixtures/a/Cargo.lock"));
    assert!(paths.excludes("tests/fixtures"));
    assert!(paths.excludes("examples/x/y"));
    assert!(paths.excludes("examples"));
    assert!(paths.excludes("certs/dev/server.pem"));
    assert!(paths.excludes("server.pem"));
    assert!(!paths.excludes("tests/fixture.rs"));
    assert!(!paths.excludes("tests/fixtures-old/Cargo.lock"));
    assert!(!paths.excludes("src/examples/main.rs"));
    assert!(!paths.excludes("Cargo.lock"));
    let only_dir = parse_text("[paths]\nexclude = [\"tests/fixtures\"]\n");
    assert!(only_dir.paths.excludes("tests/fixtures/a/Cargo.lock"));
    assert!(!only_dir.paths.excludes("tests/other/Cargo.lock"));
}

#[test]
fn every_exclude_problem_is_reported_at_its_value() {
    let name = "paths-errors.toml";
    assert_eq!(
        report(&fixture(name), name),
        [
            row(
                "3:13 `exclude` entry `/etc/**` is an absolute path",
                "/etc/**",
                RELATIVE
            ),
            row(
                "3:24 `exclude` entry `../outside` leaves the repository with `..`",
                "../outside",
                RELATIVE
            ),
            row(
                "3:38 `exclude` entry `vendor\\lib` uses `\\`",
                "vendor\\\\lib",
                "separate directories with `/`: `vendor/lib`"
            ),
            row("3:52 `exclude` entry `` is empty", "\"", RELATIVE),
            row(
                "3:56 `exclude` entry must be a string, found integer",
                "3",
                "write `exclude = [\"tests/fixtures/**\", \"examples/**\"]`"
            ),
            row(
                "4:1 unknown key `exlude` in `[paths]`",
                "exlude",
                "did you mean `exclude`?"
            ),
        ]
    );
}

#[test]
fn exclude_must_be_a_list() {
    let name = "paths-not-array.toml";
    assert_eq!(
        report(&fixture(name), name),
        [row(
            "2:12 `exclude` must be an array of globs, found string",
            "examples/**",
            "write it as a list: `exclude = [\"examples/**\"]`"
        )]
    );
    assert_eq!(
        lines("[paths]\nexclude = { dir = \"x\" }\n"),
        ["2:11 `exclude` must be an array of globs, found table"]
    );
    assert_eq!(
        lines("paths = [\"x\"]\n"),
        ["1:9 `paths` must be a table, found array"]
    );
}

#[test]
fn every_secrets_problem_is_reported_at_once_in_file_order() {
    let name = "secrets-errors.toml";
    let got = report(&fixture(name), name);
    let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    let upper = hex.to_ascii_uppercase();
    let fingerprint_message = |line: &str, value: &str| {
        format!("{line} `fingerprint` `{value}` is not `sha256:` and 64 lower-case hex digits")
    };
    let no_reason =
        "say why the secret is acceptable, e.g. `reason = \"throwaway key for the tests\"`";
    let expected = [
        row(
            "3:12 `enabled` must be true or false, found string",
            "yes",
            "write `enabled = true` or `enabled = false`",
        ),
        row(
            "4:18 unknown unit `MB` in `max-file-size`",
            "1MB",
            "did you mean `\"1MiB\"`? sizes are in bytes, `KiB` or `MiB` (1024-based)",
        ),
        row(
            "5:21 `entropy-threshold` must be from 1 to 8, found `9.5`",
            "9.5",
            "write a number of bits per character from 1 to 8, e.g. `entropy-threshold = 3.5`",
        ),
        row(
            "6:1 unknown key `scan-history` in `[secrets]`",
            "scan-history",
            "expected one of `enabled`, `max-file-size`, `entropy-threshold` or `allow`",
        ),
        row(
            "8:3 a `[secrets]` allow entry names no `path`, `rule` or `fingerprint`",
            "{ reason = \"nothing says what is allowed\" }",
            "say which findings it accepts, e.g. `path = \"tests/fixtures/**\"`, \
             `rule = \"private-key\"` or the `fingerprint = \"sha256:...\"` the finding shows",
        ),
        row(
            "9:3 a `[secrets]` allow entry has no `reason`",
            "{ path = \"tests/**\" }",
            no_reason,
        ),
        row(
            "10:34 a `[secrets]` allow entry has an empty `reason`",
            "  ",
            "say why the secret is acceptable",
        ),
        row(
            "11:13 `rule` `GitHub_Token` is not a secret code or rule id",
            "GitHub_Token",
            "rule ids are lower-case kebab-case: `github-token`",
        ),
        row(
            "12:13 `rule` `a token` is not a secret code or rule id",
            "a token",
            "rule ids are lower-case kebab-case: `a-token`",
        ),
        row(
            &fingerprint_message("13:20", &format!("sha256:{upper}")),
            &format!("sha256:{upper}"),
            &format!("write the hex digits in lower case: `sha256:{hex}`"),
        ),
        row(
            &fingerprint_message("14:20", hex),
            hex,
            &format!("add the algorithm: `sha256:{hex}`"),
        ),
        row(
            &fingerprint_message("15:20", "sha256:abc"),
            "sha256:abc",
            "copy the fingerprint the finding shows: `sha256:` and 64 hex digits",
        ),
        row(
            "16:13 `path` `/abs/**` is an absolute path",
            "/abs/**",
            RELATIVE,
        ),
        row(
            "17:3 a `[secrets]` allow entry has no `reason`",
            "{ path = \"keys/**\", reson = \"typo\" }",
            no_reason,
        ),
        row(
            "17:23 unknown key `reson` in a `[secrets]` allow entry",
            "reson",
            "did you mean `reason`?",
        ),
        row(
            "18:4 a `[secrets]` allow entry must be a table, found string",
            "tests/**",
            "write `{ path = \"tests/fixtures/keys/**\", reason = \"throwaway test keys\" }`",
        ),
        row(
            "19:12 `path` must be a string, found integer",
            "3",
            "write `{ path = \"tests/fixtures/keys/**\", reason = \"throwaway test keys\" }`",
        ),
        row(
            "19:22 `rule` must be a string, found array",
            "[\"private-key\"]",
            "write one code or rule id, e.g. `rule = \"private-key\"`",
        ),
        row(
            "19:48 `reason` must be a string, found integer",
            "1",
            "write why the finding is accepted, e.g. `reason = \"throwaway key for the tests\"`",
        ),
    ];
    for (got, want) in got.iter().zip(&expected) {
        assert_eq!(got, want);
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

#[test]
fn secret_code_names_and_rule_ids_are_rules() {
    let text = "[secrets]\nallow = [\n\
        { rule = \"private-key\", reason = \"r\" },\n\
        { rule = \"cloud-credential\", reason = \"r\" },\n\
        { rule = \"api-token\", reason = \"r\" },\n\
        { rule = \"generic-secret\", reason = \"r\" },\n\
        { rule = \"aws-access-key-id\", reason = \"r\" },\n]\n";
    let rules: Vec<_> = parse_text(text)
        .secrets
        .allow
        .into_iter()
        .filter_map(|a| a.rule)
        .collect();
    assert_eq!(
        rules,
        [
            "private-key",
            "cloud-credential",
            "api-token",
            "generic-secret",
            "aws-access-key-id"
        ]
    );
    let (_, _, hint) = report(
        "[secrets]\nallow = [{ rule = \"-\", reason = \"r\" }]\n",
        "p",
    )
    .remove(0);
    assert_eq!(
        hint,
        "name a secret code (`private-key`, `cloud-credential`, `api-token` or \
         `generic-secret`) or a rule id such as `github-token`"
    );
}

#[test]
fn max_file_size_takes_bytes_kib_or_mib() {
    let size = |value: &str| {
        parse_text(&format!("[secrets]\nmax-file-size = {value}\n"))
            .secrets
            .max_file_size
    };
    assert_eq!(size("4096"), 4096);
    assert_eq!(size("\"4096\""), 4096);
    assert_eq!(size("\"64KiB\""), 65_536);
    assert_eq!(size("\"2MiB\""), 2_097_152);
    let bad = |value: &str| lines(&format!("[secrets]\nmax-file-size = {value}\n"));
    assert_eq!(
        bad("0"),
        ["2:17 `max-file-size` must be positive, found `0`"]
    );
    assert_eq!(
        bad("-5"),
        ["2:17 `max-file-size` must be positive, found `-5`"]
    );
    assert_eq!(
        bad("1.5"),
        ["2:17 `max-file-size` must be a whole number, found `1.5`"]
    );
    assert_eq!(
        bad("true"),
        ["2:17 `max-file-size` must be a number or a string, found boolean"]
    );
    assert_eq!(
        bad("\"1KB\""),
        ["2:18 unknown unit `KB` in `max-file-size`"]
    );
    assert_eq!(
        bad("\"1GiB\""),
        ["2:18 unknown unit `GiB` in `max-file-size`"]
    );
    assert_eq!(
        bad("\"1.5MiB\""),
        ["2:18 `max-file-size` must be a whole number and an optional unit, found `1.5MiB`"]
    );
}

#[test]
fn entropy_threshold_is_a_number_from_one_to_eight() {
    let threshold = |value: &str| {
        parse_text(&format!("[secrets]\nentropy-threshold = {value}\n"))
            .secrets
            .entropy_threshold
    };
    assert!((threshold("1") - 1.0).abs() < f64::EPSILON);
    assert!((threshold("8.0") - 8.0).abs() < f64::EPSILON);
    assert!((threshold("4.25") - 4.25).abs() < f64::EPSILON);
    let bad = |value: &str| report(&format!("[secrets]\nentropy-threshold = {value}\n"), "p");
    assert_eq!(
        bad("0.5")[0].0,
        "2:21 `entropy-threshold` must be from 1 to 8, found `0.5`"
    );
    assert_eq!(
        bad("9")[0].0,
        "2:21 `entropy-threshold` must be from 1 to 8, found `9`"
    );
    assert_eq!(
        bad("nan")[0].0,
        "2:21 `entropy-threshold` must be from 1 to 8, found `NaN`"
    );
    let quoted = bad("\"3.5\"");
    assert_eq!(
        quoted[0].0,
        "2:22 `entropy-threshold` must be a number, found string"
    );
    assert_eq!(
        quoted[0].2,
        "write it without quotes: `entropy-threshold = 3.5`"
    );
}

#[test]
fn enabled_is_a_boolean_and_allow_an_array() {
    assert!(parse_text("[secrets]\nenabled = true\n").secrets.enabled);
    assert_eq!(
        lines("[secrets]\nenabled = 1\nallow = { path = \"x\" }\n"),
        [
            "2:11 `enabled` must be true or false, found integer",
            "3:9 `allow` must be an array of tables, found table",
        ]
    );
}

#[test]
fn sbom_is_still_a_section_this_version_does_not_support() {
    let p = problems_of("[sbom]\n", "p");
    assert_eq!(p[0].message, "unknown key `sbom`");
    assert_eq!(
        p[0].hint.as_deref(),
        Some("`sbom` is not supported by this version of secgate; remove it")
    );
}
