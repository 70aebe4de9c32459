//! Property: the npm lockfile parsers (`package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`) never
//! panic and stay fast on any text, giving packages or a located
//! [`secgate_inventory::LockfileError`]. Inputs: arbitrary text, mutations of every real npm
//! lockfile of the corpus (lockfile v1–v3, pnpm 9, yarn classic), and grammar-shaped files.
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-inventory prop_` runs a longer search.

mod prop_common;
mod prop_lockfile;

use prop_common::{
    Seed, config, corpus_seeds, json_value, ladder, lines_of, mutate, mutations, repeated, text,
    timed,
};
use prop_lockfile::assert_located;
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_inventory::npm::{parse_package_lock, parse_pnpm_lock, parse_yarn_lock};
use std::sync::LazyLock;

static PACKAGE_LOCKS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "npm-axios/package-lock.json",
        "npm-lock-v1-warehouse/package-lock.json",
        "npm-lock-v3-marked/package-lock.json",
    ])
});

static PNPM_LOCKS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "pnpm-vite/pnpm-lock.yaml",
        "pnpm-vue-core/pnpm-lock.yaml",
        "pnpm-vue-core/pnpm-workspace.yaml",
    ])
});

static YARN_LOCKS: LazyLock<Vec<Seed>> =
    LazyLock::new(|| corpus_seeds(&["yarn-webpack/yarn.lock", "yarn-v1-drawio-desktop/yarn.lock"]));

/// Lines of pnpm-lock.yaml's grammar.
const PNPM_LINES: &[&str] = &[
    "lockfileVersion: '9.0'",
    "lockfileVersion: 5.4",
    "lockfileVersion: [",
    "settings:",
    "importers:",
    ".:",
    "packages/a:",
    "dependencies:",
    "devDependencies:",
    "specifier: ^1.0.0",
    "version: 1.0.0",
    "version: link:../a",
    "version: 1.0.0(react@18.0.0)",
    "packages:",
    "snapshots:",
    "catalogs:",
    "a@1.0.0:",
    "'@s/b@2.0.0':",
    "/a/1.0.0:",
    "resolution: {integrity: sha512-AAAA}",
    "resolution: {tarball: https://h.invalid/a.tgz}",
    "resolution: {type: git, repo: https://h.invalid/a.git, commit: abc}",
    "engines: {node: '>=18'}",
    "dev: true",
    "optional: true",
    "- a",
    "? a",
    ": b",
    "&anchor a: 1",
    "*anchor",
    "|",
    ">-",
    "---",
    "...",
    "%YAML 1.2",
    "!!str a: b",
];

/// Lines of yarn.lock's (classic) grammar.
const YARN_LINES: &[&str] = &[
    "# yarn lockfile v1",
    "__metadata:",
    "  version: 6",
    "a@^1.0.0:",
    "\"a@^1.0.0\", \"a@^1.1.0\":",
    "\"@s/b@npm:^2\":",
    "\"a@git+https://h.invalid/a.git#abc\":",
    "version \"1.0.0\"",
    "version: 1.0.0",
    "resolved \"https://registry.yarn.invalid/a/-/a-1.0.0.tgz#0123\"",
    "integrity sha512-AAAA",
    "dependencies:",
    "optionalDependencies:",
    "b \"^2\"",
    "\"@s/c\" \"1\"",
    "\"",
    ":",
    "",
];

fn check_package_lock(what: &str, text: &str) {
    let result = timed(what, text.len(), || {
        parse_package_lock(text, "package-lock.json")
    });
    assert_located(text, &result);
}

fn check_pnpm(what: &str, text: &str) {
    let result = timed(what, text.len(), || parse_pnpm_lock(text, "pnpm-lock.yaml"));
    assert_located(text, &result);
}

fn check_yarn(what: &str, text: &str) {
    let result = timed(what, text.len(), || parse_yarn_lock(text, "yarn.lock"));
    assert_located(text, &result);
}

proptest! {
    #![proptest_config(config(0x5ec6_0002))]

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        check_package_lock("text", &input);
        check_pnpm("text", &input);
        check_yarn("text", &input);
    }

    #[test]
    fn mutated_package_locks(seed in any::<Index>(), changes in mutations()) {
        let seed = &PACKAGE_LOCKS[seed.index(PACKAGE_LOCKS.len())];
        check_package_lock(&seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn mutated_pnpm_locks(seed in any::<Index>(), changes in mutations()) {
        let seed = &PNPM_LOCKS[seed.index(PNPM_LOCKS.len())];
        check_pnpm(&seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn mutated_yarn_locks(seed in any::<Index>(), changes in mutations()) {
        let seed = &YARN_LOCKS[seed.index(YARN_LOCKS.len())];
        check_yarn(&seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn grammar_shaped_package_locks(input in json_value()) {
        check_package_lock("grammar", &input);
    }

    #[test]
    fn grammar_shaped_pnpm_locks(input in lines_of(PNPM_LINES)) {
        check_pnpm("grammar", &input);
    }

    #[test]
    fn grammar_shaped_yarn_locks(input in lines_of(YARN_LINES)) {
        check_yarn("grammar", &input);
    }
}

/// Nesting far deeper than any lockfile, in each format's nesting constructs.
#[test]
fn deep_nesting_is_refused_or_read() {
    for unit in ["[", "{\"a\":", "{\"packages\":", "[{"] {
        check_package_lock(unit, &repeated(unit));
    }
    let yaml_units = ["[", "{", "{a: ", "- ", "[{a: ", "? "];
    for unit in yaml_units {
        check_pnpm(
            unit,
            &format!("lockfileVersion: '9.0'\npackages: {}", repeated(unit)),
        );
    }
    // About a megabyte each: 1,400 ever deeper lines.
    let indented: String = ladder(1_400, " ", "k");
    check_pnpm(
        "indentation",
        &format!("lockfileVersion: '9.0'\npackages:\n{indented}"),
    );
    let sequences: String = ladder(1_000, "  ", "- a");
    check_pnpm(
        "block sequences",
        &format!("lockfileVersion: '9.0'\npackages:\n{sequences}"),
    );
    let yarn: String = ladder(1_000, "  ", "a");
    check_yarn("indentation", &format!("# yarn lockfile v1\n{yarn}"));
}

/// The YAML parser breaks lines at a lone `\r` and so once reported this one-line file's error
/// at line 3; errors now sit on the file's own lines, inside the text.
#[test]
fn yaml_errors_are_on_the_files_lines() {
    let text = "a\r\rb: \u{feff}x\n";
    let err = parse_pnpm_lock(text, "pnpm-lock.yaml").unwrap_err();
    assert_eq!(err.line(), 1, "{err}");
    assert!(text.get(err.span()).is_some(), "{err}");
}
