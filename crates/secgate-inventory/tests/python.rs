//! Python dependency files: the real corpus (poetry, uv, pip-compile requirements with hashes,
//! unpinned requirements) and hand-written fixtures for Pipfile.lock, pylock.toml, includes,
//! continuation lines, markers, extras and malformed input.
//!
//! The corpus lives in the shared directory: `$SECGATE_SHARED`, or else `../shared` beside the
//! repository. A missing corpus fails the test.

use secgate_core::{Ecosystem, Package, PackageSource};
use secgate_inventory::python::{
    normalize_name, parse_pipfile_lock, parse_poetry_lock, parse_pylock, parse_requirements,
    parse_uv_lock, read_requirements,
};
use secgate_inventory::{Lockfile, LockfileError};
use std::path::{Path, PathBuf};

fn corpus(relative: &str) -> PathBuf {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let file = shared.join("corpus").join(relative);
    assert!(file.is_file(), "corpus file missing: {}", file.display());
    file
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(corpus(relative)).expect("corpus file is UTF-8 text")
}

fn find<'a>(lock: &'a Lockfile, name: &str) -> &'a Package {
    lock.packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} not in {}", lock.path))
}

/// The text of 1-based line `line`.
fn line_of(text: &str, line: u32) -> &str {
    text.lines().nth(line as usize - 1).unwrap_or_default()
}

/// Every TOML entry points at its `[[package]]` header, and the `name` key follows it.
fn assert_toml_locations(lock: &Lockfile, header: &str) {
    for p in &lock.packages {
        assert_eq!(line_of(&lock.text, p.location.line), header, "{}", p.name);
        assert_eq!(p.location.column, 1);
        let name_line = line_of(&lock.text, p.location.line + 1);
        let written = name_line
            .strip_prefix("name = \"")
            .and_then(|n| n.strip_suffix('"'))
            .expect("name follows the header");
        assert_eq!(normalize_name(written), p.name);
        assert_eq!(p.ecosystem, Ecosystem::PyPI);
    }
}

/// A requirement's location is its own line, starting with the name as written.
fn assert_requirement_locations(lock: &Lockfile) {
    for p in &lock.packages {
        let line = line_of(&lock.text, p.location.line);
        let written: String = line
            .chars()
            .skip(p.location.column as usize - 1)
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        assert_eq!(normalize_name(&written), p.name, "line {line:?}");
        assert!(line.contains(&format!("=={}", p.version)), "line {line:?}");
    }
}

/// Pins as pip-compile writes them: one per line starting at column 1 with a name (comment and
/// `--hash` continuation lines start with `#` or blanks) and holding `==`.
fn count_pins(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphanumeric()) && l.contains("=="))
        .count()
}

#[test]
fn names_are_pep503_normalised() {
    assert_eq!(normalize_name("Django"), "django");
    assert_eq!(normalize_name("zope.interface"), "zope-interface");
    assert_eq!(normalize_name("Foo__Bar-.baz"), "foo-bar-baz");
}

#[test]
fn poetry_corpus_lock() {
    let lock = parse_poetry_lock(&read("poetry/poetry.lock"), "poetry.lock").unwrap();
    assert_eq!(lock.packages.len(), 78);
    assert_eq!(lock.format_version, 2);
    assert_toml_locations(&lock, "[[package]]");

    let anyio = find(&lock, "anyio");
    assert_eq!(anyio.location.line, 3);
    assert_eq!(anyio.version, "4.13.0");
    assert!(!anyio.dev);
    assert_eq!(anyio.source, PackageSource::DefaultRegistry);
    assert_eq!(
        anyio.checksum.as_deref(),
        Some("sha256:08b310f9e24a9594186fd75b4f73f4a4152069e3853f1ed8bfbf58369f4ad708")
    );
    // `typing_extensions` in the file, normalised here.
    assert_eq!(
        anyio.dependencies,
        ["exceptiongroup", "idna", "typing-extensions"]
    );

    // groups = ["github-actions", "test"]: no `main`, so development only.
    let pytest = find(&lock, "pytest");
    assert!(pytest.dev);
    assert_eq!(pytest.location.line, 1512);
    // 25 entries have no `main` group (counted with Python's tomllib).
    assert_eq!(lock.packages.iter().filter(|p| p.dev).count(), 25);

    let core = find(&lock, "poetry-core");
    assert_eq!(
        core.source,
        PackageSource::Git {
            url: "https://github.com/python-poetry/poetry-core.git".into(),
            rev: Some("e3998b0e111dc03e4aa721fd054c48e5c7de6fc5".into())
        }
    );
    assert_eq!(core.checksum, None);
}

#[test]
fn uv_corpus_lock() {
    let lock = parse_uv_lock(&read("uv-pydantic/uv.lock"), "uv.lock").unwrap();
    assert_eq!(lock.packages.len(), 176);
    assert_eq!(lock.format_version, 1);
    assert_toml_locations(&lock, "[[package]]");

    let first = find(&lock, "aiohappyeyeballs");
    assert_eq!(first.version, "2.6.1");
    assert_eq!(first.source, PackageSource::DefaultRegistry);
    // The sdist comes first in the file.
    assert_eq!(
        first.checksum.as_deref(),
        Some("sha256:c3f9d0113123803ccadfdf3f0faa505bc78e6a72d1cc4806cbd719826e943558")
    );

    // Workspace members: editable, no version in the file (dynamic).
    for member in ["pydantic", "pydantic-core"] {
        let p = find(&lock, member);
        assert_eq!(p.source, PackageSource::Local);
        assert_eq!(p.version, "");
        assert!(!p.dev);
    }
    assert_eq!(
        find(&lock, "pydantic").dependencies,
        [
            "annotated-types",
            "pydantic-core",
            "typing-extensions",
            "typing-inspection"
        ]
    );
    assert_eq!(
        find(&lock, "pydantic-docs").source,
        PackageSource::Git {
            url: "https://github.com/pydantic/pydantic-docs".into(),
            rev: Some("6f657b30593b00cf5f7c0b7eca74e83b3b6b7819".into())
        }
    );

    // A runtime dependency of the member, and dev-group-only packages.
    let runtime = find(&lock, "typing-extensions");
    assert!(!runtime.dev);
    assert_eq!(runtime.direct, Some(true));
    assert!(find(&lock, "pytest").dev);
    assert_eq!(find(&lock, "pytest").direct, Some(true));
    assert!(find(&lock, "ruff").dev);
    // Reached only through the dev tools (pytest → pluggy): dev, not direct.
    let pluggy = find(&lock, "pluggy");
    assert!(pluggy.dev);
    assert_eq!(pluggy.direct, Some(false));
    // Two versions of one name, both kept.
    let pyodide: Vec<_> = lock
        .packages
        .iter()
        .filter(|p| p.name == "pyodide-build")
        .map(|p| p.version.as_str())
        .collect();
    assert_eq!(pyodide, ["0.19.1", "0.39.0"]);
}

#[test]
fn pip_compile_corpus_with_hashes() {
    for (relative, expected) in [
        ("pip-warehouse/requirements/main.txt", 184),
        ("pip-warehouse/requirements/deploy.txt", 8),
        ("pip-hashes-warehouse/requirements/main.txt", 122),
    ] {
        let text = read(relative);
        assert_eq!(count_pins(&text), expected, "{relative}");
        let files = read_requirements(&corpus(relative), relative).unwrap();
        assert_eq!(files.len(), 1, "{relative} includes nothing");
        let lock = &files[0];
        assert_eq!(lock.path, relative);
        assert_eq!(lock.packages.len(), expected, "{relative}");
        assert_requirement_locations(lock);
        for p in &lock.packages {
            assert_eq!(p.direct, Some(true));
            assert_eq!(p.source, PackageSource::DefaultRegistry);
            let sum = p.checksum.as_deref().expect("every pin is hashed");
            assert!(sum.starts_with("sha256:") && sum.len() == 7 + 64, "{sum}");
        }
    }

    let relative = "pip-warehouse/requirements/main.txt";
    let lock = read_requirements(&corpus(relative), relative)
        .unwrap()
        .remove(0);
    let alembic = find(&lock, "alembic");
    assert_eq!((alembic.location.line, alembic.location.column), (7, 1));
    assert_eq!(alembic.version, "1.18.5");
    assert_eq!(
        alembic.checksum.as_deref(),
        Some("sha256:06d8ba9d04558022f5395e9317de03d270f3dced49cee01f89fe7a13c26f14bc")
    );
    // Extras are ignored: `celery[redis]==5.6.3` is celery 5.6.3.
    let celery = find(&lock, "celery");
    assert_eq!(
        (celery.location.line, celery.version.as_str()),
        (199, "5.6.3")
    );
    assert_eq!(
        celery.checksum.as_deref(),
        Some("sha256:0808f42f80909c4d5833202360ffafb2a4f83f4d8e23e1285d926610e9a7afa6")
    );
    // After the "unsafe in a requirements file" comment block.
    assert_eq!(find(&lock, "setuptools").version, "81.0.0");
}

#[test]
fn unpinned_requirements_yield_no_packages() {
    let relative = "pip-whisper/requirements.txt";
    let files = read_requirements(&corpus(relative), relative).unwrap();
    assert_eq!(files.len(), 1);
    assert!(files[0].packages.is_empty());
    assert_eq!(files[0].format_version, 0);
}

fn write(dir: &Path, name: &str, text: &str) {
    let file = dir.join(name);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

#[test]
fn includes_are_followed_once_even_in_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "req/main.txt",
        "-r base.txt\n--constraint ../constraints.txt\nflask==3.0.0\n",
    );
    write(
        dir.path(),
        "req/base.txt",
        "requests==2.31.0\n-r main.txt\n-r ./base.txt\n",
    );
    write(
        dir.path(),
        "constraints.txt",
        "urllib3==2.0.7\n-r req/main.txt\n",
    );

    let files = read_requirements(&dir.path().join("req/main.txt"), "req/main.txt").unwrap();
    let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["req/main.txt", "req/base.txt", "constraints.txt"]);

    let flask = &files[0].packages[0];
    assert_eq!((flask.name.as_str(), flask.location.line), ("flask", 3));
    assert_eq!(flask.direct, Some(true));
    assert_eq!(files[1].packages[0].name, "requests");
    assert_eq!(files[1].packages[0].location.path, "req/base.txt");
    let urllib3 = &files[2].packages[0];
    assert_eq!(urllib3.name, "urllib3");
    // A constraint limits versions but installs nothing by itself.
    assert_eq!(urllib3.direct, Some(false));
}

#[test]
fn unreadable_include_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "requirements.txt",
        "six==1.16.0\n\n-r missing.txt\n",
    );
    let err =
        read_requirements(&dir.path().join("requirements.txt"), "requirements.txt").unwrap_err();
    assert!(matches!(err, LockfileError::Parse { .. }));
    assert_eq!(
        (err.path(), err.line(), err.column()),
        ("requirements.txt", 3, 1)
    );
    assert!(err.to_string().contains("missing.txt"), "{err}");

    let err = read_requirements(&dir.path().join("nope.txt"), "nope.txt").unwrap_err();
    assert_eq!((err.path(), err.line()), ("nope.txt", 1));
}

#[test]
fn requirement_line_forms() {
    let text = "\
# comment
Django==4.2.1 \\
    --hash=sha512:aaaa \\
    --hash=sha256:ABCDEF
zope.interface [docs, test] == 6.0 ; python_version >= \"3.8\"  # trailing
requests>=2.0
numpy
-e ./local
git+https://github.com/a/b@0123456789abcdef0123456789abcdef01234567#egg=b
pkg @ https://example.com/pkg-1.0.tar.gz
./wheels/foo-1.0-py3-none-any.whl
exact===1.0+local
wild==1.*
bounded>=1.0,==1.5
--extra-index-url https://example.com/simple
tabbed\t==\t2.0
";
    let lock = parse_requirements(text, "requirements.txt").unwrap();
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.location.line))
        .collect();
    assert_eq!(
        got,
        [
            ("django", "4.2.1", 2),
            ("zope-interface", "6.0", 5),
            ("exact", "1.0+local", 12),
            ("bounded", "1.5", 14),
            ("tabbed", "2.0", 16),
        ]
    );
    // The sha512 hash is skipped; the hex is lower-cased.
    assert_eq!(lock.packages[0].checksum.as_deref(), Some("sha256:abcdef"));
    assert_eq!(lock.packages[1].checksum, None);
    assert_eq!(lock.packages[0].source, PackageSource::DefaultRegistry);
}

#[test]
fn index_url_makes_a_private_registry() {
    let lock = parse_requirements(
        "--index-url=https://pkgs.example.com/simple\nsix==1.16.0\n",
        "r.txt",
    )
    .unwrap();
    assert_eq!(
        lock.packages[0].source,
        PackageSource::Registry("https://pkgs.example.com/simple".into())
    );
    let lock = parse_requirements("-i https://pypi.org/simple\nsix==1.16.0\n", "r.txt").unwrap();
    assert_eq!(lock.packages[0].source, PackageSource::DefaultRegistry);
}

#[test]
fn malformed_requirements_point_at_the_line() {
    for (text, line) in [
        ("six==1.16.0\n\n$bad==1.0\n", 3),
        ("ok==1\nfoo[bar==1.0\n", 2),
        ("a==1\nb== \n", 2),
        ("a==1 \\\n  --hash=sha256:00\n-r\n", 3),
        ("name~~1.0\n", 1),
    ] {
        let err = parse_requirements(text, "r.txt").unwrap_err();
        assert!(matches!(err, LockfileError::Parse { .. }), "{text:?}");
        assert_eq!(err.line(), line, "{text:?}: {err}");
    }
}

const PIPFILE_LOCK: &str = r#"{
    "_meta": {
        "hash": {"sha256": "abc"},
        "pipfile-spec": 6,
        "sources": [
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
            {"name": "private", "url": "https://pkgs.example.com/simple", "verify_ssl": true}
        ]
    },
    "default": {
        "Requests": {
            "hashes": [
                "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
                "sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1"
            ],
            "index": "pypi",
            "markers": "python_version >= '3.7'",
            "version": "==2.31.0"
        },
        "internal-lib": {"index": "private", "version": "==0.3.0"},
        "mylib": {"editable": true, "path": "."},
        "vcs": {"git": "https://github.com/a/vcs.git", "ref": "0123abcd"}
    },
    "develop": {
        "pytest": {"hashes": [], "version": "==7.4.0"},
        "requests": {"version": "==2.31.0"}
    }
}
"#;

#[test]
fn pipfile_lock_sections_and_key_lines() {
    let lock = parse_pipfile_lock(PIPFILE_LOCK, "Pipfile.lock").unwrap();
    assert_eq!(lock.format_version, 6);
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.dev, p.location.line))
        .collect();
    assert_eq!(
        got,
        [
            ("requests", "2.31.0", false, 11),
            ("internal-lib", "0.3.0", false, 20),
            ("mylib", "", false, 21),
            ("vcs", "", false, 22),
            ("pytest", "7.4.0", true, 25),
            ("requests", "2.31.0", true, 26),
        ]
    );
    for p in &lock.packages {
        let line = line_of(PIPFILE_LOCK, p.location.line);
        let key = &line[p.location.column as usize - 1..];
        assert!(key.starts_with('"'), "{line}");
        assert_eq!(normalize_name(key[1..].split('"').next().unwrap()), p.name);
    }
    let requests = &lock.packages[0];
    assert_eq!(
        requests.checksum.as_deref(),
        Some("sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f")
    );
    assert_eq!(requests.source, PackageSource::DefaultRegistry);
    assert_eq!(
        lock.packages[1].source,
        PackageSource::Registry("https://pkgs.example.com/simple".into())
    );
    assert_eq!(lock.packages[2].source, PackageSource::Local);
    assert_eq!(
        lock.packages[3].source,
        PackageSource::Git {
            url: "https://github.com/a/vcs.git".into(),
            rev: Some("0123abcd".into())
        }
    );
    assert_eq!(lock.packages[4].checksum, None);
}

#[test]
fn malformed_pipfile_locks_point_at_the_problem() {
    let err = parse_pipfile_lock(
        "{\n  \"default\": {\n    \"a\": {\"version\": \"==1\"},,\n",
        "P",
    )
    .unwrap_err();
    assert_eq!((err.line(), err.column()), (3, 29));
    let err = parse_pipfile_lock("{\"default\": {\n\"a\": {\"hashes\": []}}}", "P").unwrap_err();
    assert_eq!(err.line(), 2);
    assert!(err.to_string().contains("no `version`"), "{err}");
    let err = parse_pipfile_lock("{\"default\": []}", "P").unwrap_err();
    assert!(matches!(err, LockfileError::Parse { .. }));
    assert!(parse_pipfile_lock("", "P").is_err());
}

const PYLOCK: &str = r#"lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.12"

[[packages]]
name = "Attrs"
version = "25.1.0"
index = "https://pypi.org/simple"
sdist = { url = "https://files.pythonhosted.org/attrs-25.1.0.tar.gz", hashes = { sha256 = "1c97078a80c814273a76b2a298a932eb681c87415c11dee0a6921de7f1b02c3e" } }
wheels = [{ url = "https://files.pythonhosted.org/attrs-25.1.0-py3-none-any.whl", hashes = { sha256 = "c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a" } }]

[[packages]]
name = "tool"
vcs = { type = "git", url = "https://github.com/a/tool.git", commit-id = "4a2b0c7d" }

[[packages]]
name = "app"
directory = { path = ".", editable = true }
dependencies = [{ name = "Attrs" }]

[[packages]]
name = "private"
version = "1.0"
index = "https://pkgs.example.com/simple"
wheels = [{ name = "private-1.0-py3-none-any.whl", hashes = { sha512 = "00" } }]
"#;

#[test]
fn pylock_packages() {
    let lock = parse_pylock(PYLOCK, "pylock.toml").unwrap();
    assert_eq!(lock.format_version, 1);
    assert_toml_locations(&lock, "[[packages]]");
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.location.line))
        .collect();
    assert_eq!(
        got,
        [
            ("attrs", "25.1.0", 5),
            ("tool", "", 12),
            ("app", "", 16),
            ("private", "1.0", 21)
        ]
    );
    assert_eq!(
        lock.packages[0].checksum.as_deref(),
        Some("sha256:1c97078a80c814273a76b2a298a932eb681c87415c11dee0a6921de7f1b02c3e")
    );
    assert_eq!(lock.packages[0].source, PackageSource::DefaultRegistry);
    assert_eq!(
        lock.packages[1].source,
        PackageSource::Git {
            url: "https://github.com/a/tool.git".into(),
            rev: Some("4a2b0c7d".into())
        }
    );
    assert_eq!(lock.packages[2].source, PackageSource::Local);
    assert_eq!(lock.packages[2].dependencies, ["attrs"]);
    assert_eq!(
        lock.packages[3].source,
        PackageSource::Registry("https://pkgs.example.com/simple".into())
    );
    assert_eq!(lock.packages[3].checksum, None);
}

#[test]
fn malformed_toml_locks_point_at_the_line() {
    // A registry package without a version.
    let err = parse_pylock(
        "lock-version = \"1.0\"\n\n[[packages]]\nname = \"x\"\n",
        "pylock.toml",
    )
    .unwrap_err();
    assert_eq!(err.line(), 3);
    let err = parse_pylock("lock-version = \"2.0\"\n", "pylock.toml").unwrap_err();
    assert_eq!(err.line(), 1);
    let err = parse_poetry_lock(
        "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[[package]]\nversion = \"2\"\n",
        "poetry.lock",
    )
    .unwrap_err();
    assert_eq!(err.line(), 5);
    assert!(err.to_string().contains("no `name`"), "{err}");
    let err = parse_poetry_lock("[[package]]\nname = \"a\"\nversion = 1\n", "p").unwrap_err();
    assert_eq!((err.line(), err.column()), (3, 11));
    let err = parse_uv_lock("version = 1\n[[package]\nname = \"a\"\n", "uv.lock").unwrap_err();
    assert!(matches!(err, LockfileError::Parse { .. }));
    assert_eq!(err.line(), 2);
    let err = parse_uv_lock("version = 9\n", "uv.lock").unwrap_err();
    assert_eq!((err.line(), err.column()), (1, 11));
    let err = parse_uv_lock(
        "version = 1\n\n[[package]]\nname = \"a\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        "uv.lock",
    )
    .unwrap_err();
    assert_eq!(err.line(), 3);
}

#[test]
fn poetry_legacy_category_and_sources() {
    let text = r#"[[package]]
name = "Pytest_Mock"
version = "3.0.0"
category = "dev"
optional = false

[[package]]
name = "internal"
version = "1.0"
category = "main"

[package.source]
type = "legacy"
url = "https://pkgs.example.com/simple"
reference = "private"

[[package]]
name = "local"
version = "0.1.0"
develop = true

[package.source]
type = "directory"
url = "../local"

[metadata]
lock-version = "1.1"

[metadata.files]
Pytest_Mock = [
    {file = "pytest_mock-3.0.0.tar.gz", hash = "sha256:0011"},
]
"#;
    let lock = parse_poetry_lock(text, "poetry.lock").unwrap();
    assert_eq!(lock.format_version, 1);
    let mock = &lock.packages[0];
    assert_eq!((mock.name.as_str(), mock.dev), ("pytest-mock", true));
    assert_eq!(mock.checksum.as_deref(), Some("sha256:0011"));
    assert!(!lock.packages[1].dev);
    assert_eq!(
        lock.packages[1].source,
        PackageSource::Registry("https://pkgs.example.com/simple".into())
    );
    assert_eq!(lock.packages[2].source, PackageSource::Local);
    assert_eq!(lock.packages[2].location.line, 17);
}

/// Every prefix of the fixtures (and of a corpus file at 40 cut points) parses or fails with an
/// error; none panics.
#[test]
fn truncated_input_never_panics() {
    type Parser = fn(&str, &str) -> Result<Lockfile, LockfileError>;
    let requirements = "a==1 \\\n  --hash=sha256:00\nb[x]==2 ; python_version<'3'\n-r\n";
    let cases: [(&str, Parser); 3] = [
        (PIPFILE_LOCK, parse_pipfile_lock),
        (PYLOCK, parse_pylock),
        (requirements, parse_requirements),
    ];
    for (text, parse) in cases {
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse(&text[..cut], "f");
        }
    }
    let corpus_cases: [(&str, Parser); 3] = [
        ("poetry/poetry.lock", parse_poetry_lock),
        ("uv-pydantic/uv.lock", parse_uv_lock),
        ("pip-warehouse/requirements/main.txt", parse_requirements),
    ];
    for (relative, parse) in corpus_cases {
        let text = read(relative);
        let step = text.len() / 40 + 1;
        for cut in (0..text.len()).step_by(step) {
            if text.is_char_boundary(cut) {
                let _ = parse(&text[..cut], relative);
            }
        }
    }
}
