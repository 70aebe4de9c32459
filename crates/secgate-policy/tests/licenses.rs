//! `[licenses]` from `tests/fixtures/licenses-*.toml`, one case per file: the licence policy a
//! valid section yields (the preset's lists plus the file's entries, every entry located), and
//! for invalid ones every problem with its exact line, column, span and hint.

use secgate_licenses::evaluate::LicensePolicy;
use secgate_policy::{ConfigProblem, DEFAULT_POLICY, LicensesPolicy, Policy, PolicyError};
use std::collections::BTreeSet;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parse(name: &str) -> Policy {
    Policy::parse(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn problems_of(text: &str, name: &str) -> Vec<ConfigProblem> {
    match Policy::parse(text, name) {
        Ok(_) => panic!("{name} parsed but should not"),
        Err(PolicyError::Invalid { problems, .. }) => {
            for p in &problems {
                assert!(!p.message.ends_with('.'), "trailing period: {}", p.message);
                assert!(p.span.start <= p.span.end && p.span.end <= text.len());
                assert!(p.hint.is_some(), "every licence problem has a hint: {p}");
            }
            problems
        }
        Err(e) => panic!("{name}: unexpected {e}"),
    }
}

fn problems(name: &str) -> Vec<ConfigProblem> {
    problems_of(&fixture(name), name)
}

/// `line:column message` of each problem.
fn lines(problems: &[ConfigProblem]) -> Vec<String> {
    problems
        .iter()
        .map(|p| format!("{}:{} {}", p.line, p.column, p.message))
        .collect()
}

fn hints(problems: &[ConfigProblem]) -> Vec<&str> {
    problems
        .iter()
        .map(|p| p.hint.as_deref().unwrap_or(""))
        .collect()
}

/// The text a problem's span covers.
fn covered(name: &str, p: &ConfigProblem) -> String {
    fixture(name)[p.span.clone()].to_owned()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

fn preset(name: &str) -> LicensePolicy {
    LicensePolicy::from_preset(name).unwrap_or_else(|| panic!("preset `{name}`"))
}

#[test]
fn valid_section_extends_the_preset_and_locates_every_entry() {
    let name = "valid-licenses.toml";
    let licenses = parse(name).licenses;
    assert_eq!(licenses.preset, "strict");
    assert!((licenses.confidence_threshold - 0.9).abs() < f32::EPSILON);
    let location = licenses.location.as_ref().expect("[licenses] located");
    assert_eq!(
        (location.path.as_str(), location.line, location.column),
        (name, 2, 1)
    );

    let strict = preset("strict");
    let policy = &licenses.policy;
    let mut allow = strict.allow.clone();
    // Normalized: `with` is written `WITH`.
    allow.extend(set(&[
        "ISC",
        "Unicode-3.0",
        "Apache-2.0 WITH LLVM-exception",
    ]));
    assert_eq!(policy.allow, allow);
    assert!(policy.allow.is_superset(&strict.allow));
    assert!(
        !policy.allow.contains("Zlib"),
        "only the strict preset's ids"
    );
    let mut deny = strict.deny.clone();
    deny.extend(set(&["GPL-3.0-only", "BSD-2-Clause"]));
    assert_eq!(policy.deny, deny);

    let [ring, webpki] = policy.exceptions.as_slice() else {
        panic!("two exceptions: {:?}", policy.exceptions);
    };
    assert_eq!(ring.package, "ring");
    assert_eq!(ring.version.as_deref(), Some("0.17.8"));
    assert_eq!(ring.allow, ["OpenSSL"]);
    assert_eq!(ring.reason, "BoringSSL-derived code");
    assert_eq!(webpki.version, None);
    assert_eq!(webpki.allow, ["CDLA-Permissive-2.0", "MPL-2.0"]);
    for (exception, line) in [(ring, 8), (webpki, 9)] {
        let l = exception.location.as_ref().expect("exception located");
        assert_eq!((l.path.as_str(), l.line, l.column), (name, line, 3));
        let text = &fixture(name)[l.span.clone().expect("span")];
        assert!(
            text.starts_with(&format!("{{ package = \"{}\"", exception.package)),
            "{text}"
        );
    }

    let [pinned, unpinned] = policy.clarify.as_slice() else {
        panic!("two clarifications: {:?}", policy.clarify);
    };
    assert_eq!(pinned.package, "ring");
    assert_eq!(pinned.version.as_deref(), Some("0.17.8"));
    assert_eq!(pinned.expression, "MIT AND ISC AND OpenSSL");
    assert_eq!(
        pinned.files,
        [(
            "LICENSE".to_owned(),
            "e5dcffe836b6ec8a58e492419b550e65fb8cbdc308503979e5dacb33ac7ea3b7".to_owned()
        )]
    );
    assert_eq!(
        pinned.reason.as_deref(),
        Some("LICENSE lists the MIT, ISC and OpenSSL texts")
    );
    assert_eq!(unpinned.expression, "MIT OR Apache-2.0");
    assert!(unpinned.files.is_empty());
    for (clarification, line) in [(pinned, 12), (unpinned, 19)] {
        let l = clarification
            .location
            .as_ref()
            .expect("clarification located");
        assert_eq!((l.path.as_str(), l.line, l.column), (name, line, 1));
    }
}

#[test]
fn without_a_section_the_default_preset_applies() {
    let policy = Policy::parse("[levels]\nnotice = \"warn\"\n", "secgate.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.licenses, LicensesPolicy::default());
    assert_eq!(policy.licenses.policy, preset("default"));
    assert_eq!(policy.licenses.preset, LicensesPolicy::DEFAULT_PRESET);
    assert!(
        (policy.licenses.confidence_threshold - LicensesPolicy::DEFAULT_CONFIDENCE_THRESHOLD).abs()
            < f32::EPSILON
    );
    assert_eq!(policy.licenses.location, None);
}

#[test]
fn every_preset_can_be_selected() {
    for name in LicensePolicy::preset_names() {
        let text = format!("[licenses]\npreset = \"{name}\"\n");
        let licenses = Policy::parse(&text, "secgate.toml")
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .licenses;
        assert_eq!(licenses.preset, *name);
        assert_eq!(licenses.policy, preset(name));
    }
}

#[test]
fn entries_may_be_tables_of_their_own_and_name_licence_refs() {
    let text = "[licenses]\nallow = [\"LicenseRef-ring\"]\n\n[[licenses.exceptions]]\n\
                package = \"ring\"\nallow = [\"LicenseRef-ring\"]\nreason = \"r\"\n\n\
                [[licenses.clarify]]\npackage = \"ring\"\nexpression = \"MIT AND LicenseRef-ring\"\n\
                reason = \"r\"\n";
    let policy = Policy::parse(text, "secgate.toml")
        .unwrap_or_else(|e| panic!("{e}"))
        .licenses
        .policy;
    assert!(policy.allow.contains("LicenseRef-ring"));
    assert_eq!(policy.exceptions[0].allow, ["LicenseRef-ring"]);
    let location = policy.exceptions[0].location.as_ref().expect("located");
    assert_eq!((location.line, location.column), (4, 1));
    assert_eq!(policy.clarify[0].expression, "MIT AND LicenseRef-ring");
}

#[test]
fn unknown_ids_are_errors_with_the_id_they_probably_mean() {
    let name = "licenses-unknown-id.toml";
    let p = problems(name);
    assert_eq!(
        lines(&p),
        [
            "2:22 unknown licence id `mit`",
            "2:29 unknown licence id `Foo-1.0`",
            "2:56 unknown licence id `Foo-exception` in `Apache-2.0 WITH Foo-exception`",
        ]
    );
    assert_eq!(
        hints(&p),
        [
            "did you mean `MIT`?",
            "use an id from https://spdx.org/licenses/ or a `LicenseRef-` name",
            "use an id from https://spdx.org/licenses/ or a `LicenseRef-` name",
        ]
    );
    // The span is the offending term, even inside a `WITH` entry.
    assert_eq!(covered(name, &p[2]), "Foo-exception");
}

#[test]
fn deprecated_ids_are_errors_naming_the_ids_to_use() {
    let name = "licenses-deprecated-id.toml";
    let p = problems(name);
    assert_eq!(
        lines(&p),
        [
            "2:11 deprecated licence id `GPL-2.0`",
            "3:10 deprecated licence id `StandardML-NJ`",
        ]
    );
    assert_eq!(
        hints(&p),
        [
            "use `GPL-2.0-only` or `GPL-2.0-or-later`",
            "use a current id from https://spdx.org/licenses/",
        ]
    );
    assert_eq!(covered(name, &p[0]), "GPL-2.0");
}

#[test]
fn unknown_preset_suggests_the_close_one() {
    let name = "licenses-bad-preset.toml";
    let p = problems(name);
    assert_eq!(lines(&p), ["2:11 unknown licence preset `strcit`"]);
    assert_eq!(covered(name, &p[0]), "strcit");
    assert_eq!(hints(&p), ["did you mean `strict`?"]);

    let p = problems_of("[licenses]\npreset = [\"default\"]\n", "secgate.toml");
    assert_eq!(lines(&p), ["2:10 `preset` must be a string, found array"]);
    assert_eq!(
        hints(&p),
        ["a preset is one of `default`, `strict` or `permissive`"]
    );
}

#[test]
fn exceptions_need_a_reason() {
    let name = "licenses-exception-no-reason.toml";
    let p = problems(name);
    assert_eq!(
        lines(&p),
        [
            "3:3 exception for `ring` has no `reason`",
            "4:82 exception for `openssl-sys` 0.9.103 has an empty `reason`",
        ]
    );
    assert_eq!(
        covered(name, &p[0]),
        "{ package = \"ring\", allow = [\"OpenSSL\"] }"
    );
    assert!(hints(&p).iter().all(|h| h.contains("reason = ")));
}

#[test]
fn clarification_hashes_are_64_lowercase_hex_digits() {
    let name = "licenses-clarify-bad-hash.toml";
    let p = problems(name);
    assert_eq!(
        lines(&p),
        [
            "5:33 `sha256` must be 64 hex digits, found 32 hex digits",
            "6:43 `sha256` must be written in lowercase",
            "7:32 `sha256` must be 64 hex digits, found `not a hash`",
        ]
    );
    assert_eq!(covered(name, &p[0]), "e3b0c44298fc1c149afbf4c8996fb924");
    assert_eq!(
        p[1].hint.as_deref(),
        Some("write `d8d62d58d661d5ddeff06fdf1ebc08968da4743e369c74cef96eff0241eaea05`")
    );
    assert_eq!(
        p[2].hint.as_deref(),
        Some("write the file's sha256 as `sha256sum LICENSE` prints it")
    );
}

#[test]
fn a_licence_both_allowed_and_denied_is_an_error_at_the_second() {
    let name = "licenses-allow-and-deny.toml";
    let p = problems(name);
    assert_eq!(
        lines(&p),
        [
            "4:4 licence `GPL-3.0-only` is both allowed and denied (first at line 2)",
            // Compared in canonical form: `with` is `WITH`.
            "5:4 licence `Apache-2.0 WITH LLVM-exception` is both allowed and denied (first at line 2)",
        ]
    );
    assert_eq!(covered(name, &p[0]), "GPL-3.0-only");
    assert_eq!(
        p[0].hint.as_deref(),
        Some("remove it from `allow` or from `deny`: a deny wins over an allow")
    );
}

#[test]
fn every_licence_problem_of_a_file_is_reported_in_file_order() {
    let p = problems("licenses-many-errors.toml");
    assert_eq!(
        lines(&p),
        [
            "3:11 unknown licence preset `lenient`",
            "4:22 unknown licence id `mit`",
            "4:29 deprecated licence id `GPL-2.0`",
            "4:40 `MIT OR ISC` is not a single licence: expected a `WITH` here",
            "4:54 duplicate licence `MPL-2.0` in `allow` (first at column 11)",
            "4:64 a licence in `allow` must be a string, found integer",
            "5:26 licence `MPL-2.0` is both allowed and denied (first at line 4)",
            "6:24 `confidence-threshold` must be above 0 and at most 1, found `80`",
            "7:1 unknown key `exception` in `[licenses]`",
            "9:3 exception for `ring` has no `reason`",
            "10:16 duplicate exception for `ring` (first at line 9)",
            "10:31 exception for `ring` allows nothing",
            "11:37 `version` must be one exact version, found `^0.10`",
            "11:80 unknown key `owner` in exception",
            "12:4 an exception must be a table, found string",
            "15:37 `MIT/ISC` is not a strict SPDX expression",
            "16:42 invalid licence expression `MIT AND (ISC`: unclosed parens at `(`",
            "16:68 licence file `/LICENSE` is an absolute path",
            "16:89 `sha256` must be 64 hex digits, found 2 hex digits",
            "17:3 clarification has no `package`",
            "17:3 clarification has no `reason`",
            "17:34 licence file has no `sha256`",
        ]
    );
    let hints = hints(&p);
    assert_eq!(
        hints[0],
        "a preset is one of `default`, `strict` or `permissive`"
    );
    assert_eq!(
        hints[3],
        "list each licence on its own (`MIT`, `Apache-2.0 WITH LLVM-exception`)"
    );
    assert_eq!(
        hints[7],
        "write a fraction: `confidence-threshold = 0.8` for 80 %"
    );
    assert_eq!(hints[8], "did you mean `exceptions`?");
    assert_eq!(
        hints[10],
        "merge the two entries: one `allow` can list several licences"
    );
    assert_eq!(hints[15], "write `MIT OR ISC`");
}

#[test]
fn confidence_threshold_is_above_0_and_at_most_1() {
    for (text, expected) in [("0.5", 0.5), ("1.0", 1.0), ("1", 1.0), ("0.01", 0.01)] {
        let policy = Policy::parse(
            &format!("[licenses]\nconfidence-threshold = {text}\n"),
            "secgate.toml",
        )
        .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(
            (policy.licenses.confidence_threshold - expected).abs() < f32::EPSILON,
            "{text}"
        );
    }
    for (text, message, hint) in [
        (
            "0",
            "`confidence-threshold` must be above 0 and at most 1, found `0`",
            "write a fraction above 0 and at most 1, e.g. `confidence-threshold = 0.8`",
        ),
        (
            "0.0",
            "`confidence-threshold` must be above 0 and at most 1, found `0`",
            "write a fraction above 0 and at most 1, e.g. `confidence-threshold = 0.8`",
        ),
        (
            "1.5",
            "`confidence-threshold` must be above 0 and at most 1, found `1.5`",
            "write a fraction above 0 and at most 1, e.g. `confidence-threshold = 0.8`",
        ),
        (
            "nan",
            "`confidence-threshold` must be above 0 and at most 1, found `NaN`",
            "write a fraction above 0 and at most 1, e.g. `confidence-threshold = 0.8`",
        ),
        (
            "\"0.9\"",
            "`confidence-threshold` must be a number, found string",
            "write it without quotes: `confidence-threshold = 0.9`",
        ),
    ] {
        let p = problems_of(
            &format!("[licenses]\nconfidence-threshold = {text}\n"),
            "secgate.toml",
        );
        // A string's span starts after its opening quote.
        let column = if text.starts_with('"') { 25 } else { 24 };
        assert_eq!(lines(&p), [format!("2:{column} {message}")], "{text}");
        assert_eq!(hints(&p), [hint], "{text}");
    }
}

#[test]
fn exception_and_clarification_shapes_are_checked() {
    let p = problems_of(
        "[licenses]\nexceptions = { package = \"ring\" }\nclarify = [\
         { package = \"a b\", version = \"1.*\", expression = \"\", files = \"LICENSE\", reason = \"r\" },\
         { package = \"c\", expression = \"GPL-2.0 OR MIT\", reason = \"r\", \
         files = [{ path = \"../LICENSE\", sha256 = \"x\", size = 1 }, { path = \"L\", sha256 = \"0\" }] },\
         ]\n",
        "secgate.toml",
    );
    assert_eq!(
        lines(&p),
        [
            "2:14 `exceptions` must be an array of tables, found table",
            "3:25 package name `a b` contains whitespace",
            "3:42 `version` must be one exact version, found `1.*`",
            "3:61 `expression` is empty",
            "3:74 `files` must be an array of tables, found string",
            "3:130 deprecated licence id `GPL-2.0` in `GPL-2.0 OR MIT`",
            "3:180 licence file `../LICENSE` is outside the package",
            "3:203 `sha256` must be 64 hex digits, found `x`",
            "3:207 unknown key `size` in licence file",
            "3:243 `sha256` must be 64 hex digits, found 1 hex digits",
        ]
    );
}

/// The keys `policies/default.toml` shows commented out are valid once uncommented (with a real
/// hash in place of the placeholder), so the template never teaches a broken policy.
#[test]
fn commented_licence_keys_of_the_default_policy_are_valid() {
    let mut text = String::new();
    let mut in_licenses = false;
    let mut in_example = false;
    for line in DEFAULT_POLICY.lines() {
        if line.starts_with('[') {
            in_licenses = line == "[licenses]";
        }
        let key = [
            "allow",
            "deny",
            "confidence-threshold",
            "exceptions",
            "clarify",
        ]
        .iter()
        .any(|k| line.starts_with(&format!("# {k} = ")));
        in_example =
            in_licenses && (key || (in_example && (line.starts_with("#   ") || line == "# ]")));
        if in_example {
            text.push_str(&line[2..].replace("<64 hex digits>", &"0".repeat(64)));
        } else {
            text.push_str(line);
        }
        text.push('\n');
    }
    assert!(text.contains("\nclarify = ["), "{text}");
    let licenses = Policy::parse(&text, "default.toml")
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .licenses;
    assert!(licenses.policy.allow.contains("MPL-2.0"));
    assert!(licenses.policy.deny.contains("GPL-3.0-only"));
    assert_eq!(licenses.policy.exceptions.len(), 1);
    assert_eq!(licenses.policy.clarify.len(), 1);
}
