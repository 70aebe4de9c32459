//! Property: the Python parsers (requirements files with `-r` / `-c` includes, `poetry.lock`,
//! `uv.lock`, `Pipfile.lock`, `pylock.toml`) never panic and stay fast on any text, giving
//! packages or a located [`secgate_inventory::LockfileError`]. Inputs: arbitrary text,
//! mutations of the real corpus files and small hand-written seeds, grammar-shaped files, and
//! include graphs with cycles and missing files in a temp directory.
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-inventory prop_` runs a longer search.

mod prop_common;
mod prop_lockfile;

use prop_common::{
    Seed, config, corpus_seeds, json_value, lines_of, mutate, mutations, repeated, text, timed,
};
use prop_lockfile::assert_located;
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_inventory::python::{
    parse_pipfile_lock, parse_poetry_lock, parse_pylock, parse_requirements, parse_uv_lock,
    read_requirements,
};
use secgate_inventory::{Lockfile, LockfileError};
use std::sync::LazyLock;

type Parser = fn(&str, &str) -> Result<Lockfile, LockfileError>;

/// Every Python parser with the file name it is given.
const PARSERS: &[(&str, Parser)] = &[
    ("requirements.txt", parse_requirements),
    ("poetry.lock", parse_poetry_lock),
    ("uv.lock", parse_uv_lock),
    ("Pipfile.lock", parse_pipfile_lock),
    ("pylock.toml", parse_pylock),
];

/// A small Pipfile.lock in the shape pipenv writes (the corpus has none).
const PIPFILE_LOCK: &str = r#"{
    "_meta": {"hash": {"sha256": "abc"}, "pipfile-spec": 6,
        "sources": [{"name": "pypi", "url": "https://pypi.invalid/simple", "verify_ssl": true}]},
    "default": {
        "requests": {"hashes": ["sha256:58cd"], "index": "pypi",
            "markers": "python_version >= '3.7'", "version": "==2.31.0"},
        "mylib": {"editable": true, "path": "."},
        "vcs": {"git": "https://h.invalid/a/vcs.git", "ref": "0123abcd"}
    },
    "develop": {"pytest": {"hashes": [], "version": "==7.4.0"}}
}
"#;

/// A small pylock.toml (PEP 751; the corpus has none).
const PYLOCK: &str = r#"lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "attrs"
version = "25.1.0"
index = "https://pypi.invalid/simple"
sdist = { url = "https://files.pypi.invalid/attrs-25.1.0.tar.gz", hashes = { sha256 = "1c97" } }
wheels = [{ url = "https://files.pypi.invalid/attrs-25.1.0-py3-none-any.whl", hashes = { sha256 = "c75a" } }]

[[packages]]
name = "tool"
vcs = { type = "git", url = "https://h.invalid/a/tool.git", commit-id = "4a2b0c7d" }

[[packages]]
name = "app"
directory = { path = ".", editable = true }
dependencies = [{ name = "attrs" }]
"#;

/// Seeds per parser, in the order of [`PARSERS`].
static SEEDS: LazyLock<Vec<Vec<Seed>>> = LazyLock::new(|| {
    let inline = |name: &str, text: &str| Seed {
        name: name.to_owned(),
        bytes: text.as_bytes().to_vec(),
    };
    vec![
        corpus_seeds(&[
            "pip-warehouse/requirements/main.txt",
            "pip-warehouse/requirements/deploy.txt",
            "pip-warehouse/requirements/main.in",
            "pip-hashes-warehouse/requirements/main.txt",
            "pip-whisper/requirements.txt",
        ]),
        corpus_seeds(&["poetry/poetry.lock"]),
        corpus_seeds(&["uv-pydantic/uv.lock"]),
        vec![inline("Pipfile.lock", PIPFILE_LOCK)],
        vec![inline("pylock.toml", PYLOCK)],
    ]
});

/// Lines of requirements files, including options, includes, continuations and markers.
const REQUIREMENT_LINES: &[&str] = &[
    "requests==2.31.0",
    "Requests[socks,security] == 2.31.0 ; python_version < \"3.8\"",
    "a===1.0",
    "a>=1,<2",
    "a",
    "a==",
    "==1.0",
    "a==1.*",
    "a @ https://files.pypi.invalid/a-1.0.tar.gz",
    "git+https://h.invalid/a.git@abc#egg=a",
    "-e .",
    "-e git+https://h.invalid/a.git#egg=a",
    "./local/path",
    "-r other.txt",
    "--requirement=other.txt",
    "-c constraints.txt",
    "--constraint constraints.txt",
    "-i https://pypi.invalid/simple",
    "--extra-index-url https://x.invalid",
    "--hash=sha256:0123456789abcdef",
    "    --hash=sha256:0123456789abcdef \\",
    "a==1.0 \\",
    "\\",
    "# via -r main.in",
    "#",
    "",
    "; python_version",
    "[",
];

/// Lines of the TOML lockfiles (poetry, uv, pylock).
const TOML_LINES: &[&str] = &[
    "version = 1",
    "lock-version = \"1.0\"",
    "requires-python = \">=3.8\"",
    "[[package]]",
    "[[packages]]",
    "[metadata]",
    "[package.source]",
    "[package.dependencies]",
    "[[package.wheels]]",
    "[metadata.files]",
    "name = \"requests\"",
    "name = \"\"",
    "version = \"2.31.0\"",
    "version = 2",
    "category = \"dev\"",
    "groups = [\"main\", \"dev\"]",
    "optional = false",
    "source = { registry = \"https://pypi.invalid/simple\" }",
    "source = { git = \"https://h.invalid/a.git?rev=main#abc\" }",
    "source = { editable = \".\" }",
    "source = { virtual = \".\" }",
    "source = { workspace = true }",
    "type = \"git\"",
    "url = \"https://h.invalid/a.git\"",
    "reference = \"main\"",
    "resolved_reference = \"abc\"",
    "dependencies = [{ name = \"a\" }, { name = \"b\", marker = \"sys_platform == 'win32'\" }]",
    "files = [{file = \"a.whl\", hash = \"sha256:00\"}]",
    "sdist = { url = \"https://x.invalid/a.tar.gz\", hash = \"sha256:00\" }",
    "wheels = [",
    "]",
    "vcs = { type = \"git\", url = \"https://h.invalid\", commit-id = \"00\" }",
    "directory = { path = \".\" }",
    "a = \"1\"",
    "",
];

fn check(which: usize, what: &str, text: &str) {
    if let Some(&(path, parse)) = PARSERS.get(which) {
        let result = timed(what, text.len(), || parse(text, path));
        assert_located(text, &result);
    }
}

fn check_all(what: &str, text: &str) {
    for which in 0..PARSERS.len() {
        check(which, what, text);
    }
}

proptest! {
    #![proptest_config(config(0x5ec6_0004))]

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        check_all("text", &input);
    }

    #[test]
    fn mutated_real_files(which in any::<Index>(), seed in any::<Index>(), changes in mutations()) {
        let which = which.index(PARSERS.len());
        let seeds = &SEEDS[which];
        let seed = &seeds[seed.index(seeds.len())];
        check(which, &seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn grammar_shaped_requirements(input in lines_of(REQUIREMENT_LINES)) {
        check(0, "grammar", &input);
    }

    #[test]
    fn grammar_shaped_toml_locks(input in lines_of(TOML_LINES)) {
        for which in [1, 2, 4] {
            check(which, "grammar", &input);
        }
    }

    #[test]
    fn grammar_shaped_pipfile_locks(input in json_value()) {
        check(3, "grammar", &input);
    }

    /// Three requirements files that include each other (cycles, self-includes, missing and
    /// escaping paths): reading terminates with lockfiles or a typed error.
    #[test]
    fn include_graphs(files in proptest::collection::vec(lines_of(INCLUDE_LINES), 3)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let names = ["requirements.txt", "other.txt", "sub/constraints.txt"];
        std::fs::create_dir(dir.path().join("sub")).expect("sub dir");
        for (name, body) in names.iter().zip(&files) {
            std::fs::write(dir.path().join(name), body).expect("write requirements");
        }
        let main = dir.path().join("requirements.txt");
        let result = timed("includes", files.iter().map(String::len).sum(), || {
            read_requirements(&main, "requirements.txt")
        });
        if let Ok(locks) = result {
            prop_assert!(!locks.is_empty(), "the including file itself is read");
            let mut paths: Vec<&str> = locks.iter().map(|l| l.path.as_str()).collect();
            let all = paths.len();
            paths.sort_unstable();
            paths.dedup();
            prop_assert_eq!(paths.len(), all, "each file is read once");
        }
    }
}

/// Include lines between the three files of [`include_graphs`].
const INCLUDE_LINES: &[&str] = &[
    "-r requirements.txt",
    "-r other.txt",
    "-r ./other.txt",
    "-r sub/constraints.txt",
    "-c sub/constraints.txt",
    "-r ../requirements.txt",
    "-r constraints.txt",
    "-r missing.txt",
    "-r /",
    "-r .",
    "-r",
    "-c ../other.txt",
    "--requirement other.txt",
    "a==1.0",
    "b>=2",
];

/// Nesting far deeper than any lockfile, in the TOML and JSON constructs that nest.
#[test]
fn deep_nesting_is_refused_or_read() {
    for unit in ["[", "{a=", "[{a="] {
        let deep = format!("version = 1\nx = {}\n", repeated(unit));
        for which in [1, 2, 4] {
            check(which, unit, &deep);
        }
    }
    for unit in ["[", "{\"default\":", "{\"a\":"] {
        check(3, unit, &repeated(unit));
    }
    let continued = "a==1.0 \\\n".repeat(100_000);
    check(0, "continuations", &continued);
}
