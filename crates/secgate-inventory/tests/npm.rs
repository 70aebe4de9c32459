//! npm lockfiles: the real corpus (`$SECGATE_SHARED/corpus`, else `../shared` beside the
//! repository) and small hand-written edge cases.
//!
//! Counts are checked twice: against the corpus README and against a plain text scan of the
//! same file (each scan is described at its function), so a parser that skips or invents
//! entries fails either way.

use secgate_core::{Package, PackageSource};
use secgate_inventory::npm::{parse_package_lock, parse_pnpm_lock, parse_yarn_lock};
use secgate_inventory::{Lockfile, LockfileError};
use std::path::PathBuf;

fn corpus(file: &str) -> String {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let path = shared.join("corpus").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("corpus file {} is missing: {e}", path.display()))
}

fn find<'a>(lock: &'a Lockfile, name: &str, version: &str) -> &'a Package {
    lock.packages
        .iter()
        .find(|p| p.name == name && p.version == version)
        .unwrap_or_else(|| panic!("{name}@{version} not found"))
}

/// Every 50th package (and the last): its location is its key's line, column and bytes, the
/// key line names it, and its version is written on that line or within the next three.
fn assert_locations(lock: &Lockfile) {
    let lines: Vec<&str> = lock.text.lines().collect();
    let sample = lock.packages.iter().step_by(50).chain(lock.packages.last());
    for package in sample {
        let loc = &package.location;
        let line_no = loc.line as usize;
        let key_line = lines[line_no - 1];
        assert!(
            key_line.contains(&package.name)
                || key_line.contains(&package.name.replace('/', "%2f")),
            "{}: line {line_no} `{key_line}` does not name {}",
            lock.path,
            package.name
        );
        let entry = lines[line_no - 1..(line_no + 3).min(lines.len())].join("\n");
        assert!(
            entry.contains(&package.version),
            "{}: entry at line {line_no} does not hold version {}",
            lock.path,
            package.version
        );
        let span = loc.span.clone().expect("npm packages have a span");
        let line_start: usize = lines[..line_no - 1].iter().map(|l| l.len() + 1).sum();
        assert_eq!(
            span.start,
            line_start + loc.column as usize - 1,
            "{}",
            lock.path
        );
        assert!(key_line.contains(&lock.text[span]), "{}", lock.path);
    }
}

/// Non-root keys of `packages`: lines indented exactly four spaces that open an object
/// (`    "key": {`), from the `  "packages": {` line to the line closing it (`  }`), minus
/// `    "": {`.
fn count_package_keys(text: &str) -> usize {
    text.lines()
        .skip_while(|l| *l != "  \"packages\": {")
        .skip(1)
        .take_while(|l| !l.starts_with("  }"))
        .filter(|l| l.starts_with("    \"") && !l.starts_with("     ") && l.ends_with("\": {"))
        .filter(|l| l.trim() != "\"\": {")
        .count()
}

#[test]
fn package_lock_v2_axios() {
    let text = corpus("npm-axios/package-lock.json");
    let lock = parse_package_lock(&text, "package-lock.json").unwrap();
    assert_eq!(lock.format_version, 2);
    assert_eq!(count_package_keys(&text), 2115);
    // The legacy `dependencies` section describes the same packages: not read twice.
    assert_eq!(lock.packages.len(), 2115);
    assert_locations(&lock);

    let runtime = find(&lock, "follow-redirects", "1.15.6");
    assert_eq!((runtime.direct, runtime.dev), (Some(true), false));
    assert_eq!(runtime.source, PackageSource::DefaultRegistry);
    assert!(runtime.checksum.as_deref().unwrap().starts_with("sha512-"));
    let babel = find(&lock, "@babel/core", "7.23.9");
    assert_eq!((babel.direct, babel.dev), (Some(true), true));
    let line = text.lines().nth(babel.location.line as usize - 1).unwrap();
    assert_eq!(line.trim(), "\"node_modules/@babel/core\": {");
    assert!(babel.dependencies.iter().any(|d| d == "@babel/parser"));
    // Nested installs are packages of their own and never direct.
    let nested: Vec<_> = lock
        .packages
        .iter()
        .filter(|p| {
            let key = &text[p.location.span.clone().unwrap()];
            key.matches("node_modules/").count() > 1
        })
        .collect();
    assert!(nested.len() > 100, "{}", nested.len());
    assert!(nested.iter().all(|p| p.direct == Some(false)));
    assert!(lock.packages.iter().all(|p| p.source.is_default_registry()));
    let dev = lock.packages.iter().filter(|p| p.dev).count();
    // `"dev": true` lines of the `packages` section (it ends where the legacy section starts).
    let packages_section = text.split("\n  \"dependencies\": {").next().unwrap();
    assert_eq!(
        dev,
        packages_section.matches("\n      \"dev\": true").count()
    );
    assert!(dev > 1000 && dev < 2115, "{dev}");
}

#[test]
fn package_lock_v3_marked() {
    let text = corpus("npm-lock-v3-marked/package-lock.json");
    let lock = parse_package_lock(&text, "package-lock.json").unwrap();
    assert_eq!(lock.format_version, 3);
    assert_eq!(count_package_keys(&text), 652);
    assert_eq!(lock.packages.len(), 652);
    assert_locations(&lock);

    // `node_modules/marked-repo` is an alias (`"name": "marked"`) of a GitHub tarball.
    let alias = lock
        .packages
        .iter()
        .find(|p| text[p.location.span.clone().unwrap()].contains("marked-repo"))
        .unwrap();
    assert_eq!(
        (alias.name.as_str(), alias.version.as_str()),
        ("marked", "18.0.0")
    );
    assert_eq!(
        alias.source,
        PackageSource::Git {
            url: "https://github.com/markedjs/marked".into(),
            rev: Some("v18.0.0".into())
        }
    );
    assert!(alias.dev);
    // The same name nested under another package is another package at another line.
    let nested = lock
        .packages
        .iter()
        .find(|p| {
            text[p.location.span.clone().unwrap()]
                == *"\"node_modules/@arethetypeswrong/cli/node_modules/marked\""
        })
        .unwrap();
    assert_eq!(
        (nested.name.as_str(), nested.direct),
        ("marked", Some(false))
    );
    assert_eq!(nested.location.line, 122);
    let scoped = find(&lock, "@markedjs/testutils", "18.0.0-1");
    assert_eq!((scoped.direct, scoped.dev), (Some(true), true));
}

#[test]
fn package_lock_v1_warehouse_nested_tree() {
    let text = corpus("npm-lock-v1-warehouse/package-lock.json");
    let lock = parse_package_lock(&text, "package-lock.json").unwrap();
    assert_eq!(lock.format_version, 1);
    // Text scan: an entry key is a line `"name": {` indented by a multiple of four spaces whose
    // next line is its `"version"` (which excludes `"requires": {` and `"dependencies": {`).
    let lines: Vec<&str> = text.lines().collect();
    let scanned = lines
        .windows(2)
        .filter(|w| {
            let indent = w[0].len() - w[0].trim_start().len();
            indent % 4 == 0
                && w[0].trim_start().starts_with('"')
                && w[0].ends_with("\": {")
                && w[1].trim_start().starts_with("\"version\"")
        })
        .count();
    assert_eq!(scanned, 1886);
    assert_eq!(lock.packages.len(), 1886);
    let top_level = lock
        .packages
        .iter()
        .filter(|p| p.location.column == 5)
        .count();
    assert_eq!(top_level, 1144);
    assert_locations(&lock);
    assert!(lock.packages.iter().all(|p| p.direct.is_none()));
    let top_dev = lock
        .packages
        .iter()
        .filter(|p| p.location.column == 5 && p.dev)
        .count();
    assert_eq!(top_dev, 218);
    // `@babel/code-frame` is locked at the top and again nested under `@babel/core`.
    let frames: Vec<_> = lock
        .packages
        .iter()
        .filter(|p| p.name == "@babel/code-frame")
        .map(|p| (p.version.as_str(), p.location.column))
        .collect();
    assert!(frames.contains(&("7.0.0", 5)), "{frames:?}");
    assert!(frames.contains(&("7.5.5", 9)), "{frames:?}");
    let core = find(&lock, "@babel/core", "7.6.0");
    assert!(core.dependencies.iter().any(|d| d == "@babel/generator"));
    assert!(lock.packages.iter().all(|p| p.source.is_default_registry()));
}

/// Entries under `packages:`: lines indented exactly two spaces between `packages:` and the
/// next top-level key.
fn count_pnpm_packages(text: &str) -> usize {
    text.lines()
        .skip_while(|l| *l != "packages:")
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .count()
}

#[test]
fn pnpm_v9_vite_workspace() {
    let text = corpus("pnpm-vite/pnpm-lock.yaml");
    let lock = parse_pnpm_lock(&text, "pnpm-lock.yaml").unwrap();
    assert_eq!(lock.format_version, 9);
    // The README's 1,296 leaves out the 109 `file:` workspace folders (`resolution:
    // {directory: …}`); they are locked entries, so they are kept, as local packages.
    assert_eq!(count_pnpm_packages(&text), 1405);
    assert_eq!(lock.packages.len(), 1405);
    let local = lock
        .packages
        .iter()
        .filter(|p| p.source == PackageSource::Local)
        .count();
    assert_eq!(local, text.matches("resolution: {directory:").count());
    assert_eq!(lock.packages.len() - local, 1296);
    assert_locations(&lock);

    let css_lib = find(
        &lock,
        "@vitejs/test-css-lib",
        "file:playground/ssr-deps/css-lib",
    );
    assert_eq!(css_lib.source, PackageSource::Local);
    assert_eq!(css_lib.location.line, 4407);
    // `debug: npm:obug@^1.0.2` is an override alias: dependents resolve to `obug@1.0.2`.
    let core = find(&lock, "@babel/core", "7.29.7");
    assert!(
        core.dependencies.iter().any(|d| d == "obug@1.0.2"),
        "{:?}",
        core.dependencies
    );
    assert!(
        core.dependencies
            .iter()
            .any(|d| d == "@babel/traverse@7.29.8")
    );
    let eslint = find(&lock, "eslint", "9.39.5");
    assert_eq!((eslint.direct, eslint.dev), (Some(true), true));
    assert_eq!(eslint.location.line, 5659);
    assert!(eslint.checksum.as_deref().unwrap().starts_with("sha512-"));
}

#[test]
fn pnpm_v9_vue_core_importers() {
    let text = corpus("pnpm-vue-core/pnpm-lock.yaml");
    let lock = parse_pnpm_lock(&text, "pnpm-lock.yaml").unwrap();
    assert_eq!(count_pnpm_packages(&text), 620);
    assert_eq!(lock.packages.len(), 620);
    assert_locations(&lock);
    // A runtime dependency of packages/compiler-core, and a root devDependency.
    let walker = find(&lock, "estree-walker", "2.0.2");
    assert_eq!((walker.direct, walker.dev), (Some(true), false));
    let alias = find(&lock, "@rollup/plugin-alias", "6.0.0");
    assert_eq!((alias.direct, alias.dev), (Some(true), true));
    assert_eq!(alias.location.line, 1026);
    // estree-walker 3 is only pulled in by other packages.
    assert_eq!(find(&lock, "estree-walker", "3.0.3").direct, Some(false));
    assert!(lock.packages.iter().all(|p| p.source.is_default_registry()));
}

/// Entries of a classic yarn.lock: unindented, non-comment lines ending in `:`.
fn count_yarn_entries(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.starts_with([' ', '#']) && l.ends_with(':'))
        .count()
}

#[test]
fn yarn_classic_webpack() {
    let text = corpus("yarn-webpack/yarn.lock");
    let lock = parse_yarn_lock(&text, "yarn.lock").unwrap();
    assert_eq!(lock.format_version, 0);
    let entries = count_yarn_entries(&text);
    assert!((1350..1450).contains(&entries), "{entries}");
    assert_eq!(lock.packages.len(), entries);
    assert_eq!(text.matches("\n  version \"").count(), entries);
    assert_locations(&lock);
    assert!(lock.packages.iter().all(|p| p.direct.is_none() && !p.dev));

    let alias = find(&lock, "prettier", "2.8.8");
    assert_eq!(alias.location.line, 8391);
    assert_eq!(alias.source, PackageSource::DefaultRegistry);
    let tooling = find(&lock, "tooling", "1.28.1");
    assert_eq!(
        tooling.source,
        PackageSource::Git {
            url: "https://github.com/webpack/tooling".into(),
            rev: Some("4c13a00ac84cf0e2dd57c457cd1ce46faa9e456a".into())
        }
    );
    assert_eq!(tooling.checksum, None);
    let frame = find(&lock, "@babel/code-frame", "7.29.7");
    assert_eq!(frame.location.line, 14);
    assert_eq!(
        frame.dependencies[0],
        "@babel/helper-validator-identifier@7.29.7"
    );
    assert!(
        frame
            .checksum
            .as_deref()
            .unwrap()
            .starts_with("sha512-Aup7")
    );
}

#[test]
fn yarn_classic_drawio() {
    let text = corpus("yarn-v1-drawio-desktop/yarn.lock");
    let lock = parse_yarn_lock(&text, "yarn.lock").unwrap();
    assert_eq!(count_yarn_entries(&text), 313);
    assert_eq!(lock.packages.len(), 313);
    assert_locations(&lock);
    let alias_line = text
        .lines()
        .position(|l| l.starts_with("\"string-width-cjs@npm:string-width@^4.2.0\""))
        .unwrap();
    let alias = lock
        .packages
        .iter()
        .find(|p| p.location.line as usize == alias_line + 1)
        .unwrap();
    assert_eq!(alias.name, "string-width");
    assert!(lock.packages.iter().all(|p| p.source.is_default_registry()));
}

#[test]
fn package_lock_links_workspaces_and_aliases() {
    let text = r#"{
  "name": "root",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "workspaces": ["packages/*"],
      "dependencies": { "str": "npm:string-width@^4", "tool": "file:tool" }
    },
    "node_modules/app": {
      "resolved": "packages/app",
      "link": true
    },
    "node_modules/str": {
      "name": "string-width",
      "version": "4.2.3",
      "resolved": "https://npm.corp.example/repo/string-width/-/string-width-4.2.3.tgz",
      "integrity": "sha512-abc"
    },
    "node_modules/gitdep": {
      "version": "1.0.0",
      "resolved": "git+ssh://git@github.com/o/gitdep.git#0123abc",
      "devOptional": true
    },
    "packages/app": {
      "name": "app",
      "version": "0.1.0",
      "dependencies": { "gitdep": "github:o/gitdep" }
    }
  }
}"#;
    let lock = parse_package_lock(text, "package-lock.json").unwrap();
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.location.line,
                p.direct,
                p.dev,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("app", "0.1.0", 9, Some(false), false),
            ("string-width", "4.2.3", 13, Some(true), false),
            // Direct through the workspace; `devOptional` alone is not dev.
            ("gitdep", "1.0.0", 19, Some(true), false),
            // The workspace folder itself (the link above points at it).
            ("app", "0.1.0", 24, Some(false), false),
        ]
    );
    assert_eq!(lock.packages[0].source, PackageSource::Local);
    assert_eq!(lock.packages[3].source, PackageSource::Local);
    assert_eq!(
        lock.packages[1].source,
        PackageSource::Registry("https://npm.corp.example/repo".into())
    );
    assert_eq!(
        lock.packages[2].source,
        PackageSource::Git {
            url: "ssh://git@github.com/o/gitdep.git".into(),
            rev: Some("0123abc".into())
        }
    );
    assert_eq!(lock.packages[1].checksum.as_deref(), Some("sha512-abc"));
    assert_eq!(lock.packages[0].location.column, 5);
}

#[test]
fn package_lock_v1_nested_fixture() {
    let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "dev": true,
      "requires": { "b": "^2.0.0" },
      "dependencies": {
        "b": { "version": "2.0.0" }
      }
    },
    "b": { "version": "1.0.0" },
    "c": { "version": "npm:@s/real@3.0.0" },
    "d": { "version": "file:local/d" }
  }
}"#;
    let lock = parse_package_lock(text, "package-lock.json").unwrap();
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.location.line, p.dev))
        .collect();
    assert_eq!(
        got,
        [
            ("a", "1.0.0", 4, true),
            ("b", "2.0.0", 9, false),
            ("b", "1.0.0", 12, false),
            ("@s/real", "3.0.0", 13, false),
            ("d", "file:local/d", 14, false),
        ]
    );
    assert_eq!(lock.packages[0].dependencies, ["b"]);
    assert_eq!(lock.packages[3].source, PackageSource::DefaultRegistry);
    assert_eq!(lock.packages[4].source, PackageSource::Local);
}

#[test]
fn pnpm_v6_fixture() {
    let text = "lockfileVersion: '6.0'

importers:
  .:
    dependencies:
      '@s/a':
        specifier: ^1.0.0
        version: 1.0.0(react@18.0.0)
    devDependencies:
      b:
        specifier: ^2.0.0
        version: 2.0.0

packages:

  /@s/a@1.0.0(react@18.0.0):
    resolution: {integrity: sha512-aaa}
    dependencies:
      c: 3.0.0
    dev: false

  /b@2.0.0:
    resolution: {integrity: sha512-bbb}
    dev: true

  /c@3.0.0:
    resolution: {tarball: https://npm.corp.example/c/-/c-3.0.0.tgz}
    dev: false

  github.com/o/d/abc123:
    resolution: {type: git, repo: https://github.com/o/d.git, commit: abc123}
    name: d
    version: 4.0.0
    dev: false
";
    let lock = parse_pnpm_lock(text, "pnpm-lock.yaml").unwrap();
    assert_eq!(lock.format_version, 6);
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.location.line,
                p.direct,
                p.dev,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("@s/a", "1.0.0", 16, Some(true), false),
            ("b", "2.0.0", 22, Some(true), true),
            ("c", "3.0.0", 26, Some(false), false),
            ("d", "4.0.0", 30, Some(false), false),
        ]
    );
    assert_eq!(lock.packages[0].dependencies, ["c@3.0.0"]);
    assert_eq!(lock.packages[0].checksum.as_deref(), Some("sha512-aaa"));
    assert_eq!(
        lock.packages[2].source,
        PackageSource::Registry("https://npm.corp.example".into())
    );
    assert_eq!(
        lock.packages[3].source,
        PackageSource::Git {
            url: "https://github.com/o/d.git".into(),
            rev: Some("abc123".into())
        }
    );
    assert_eq!(lock.packages[0].location.column, 3);
}

#[test]
fn yarn_berry_fixture() {
    let text = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"@s/a@npm:^1.0.0, @s/a@npm:^1.1.0":
  version: 1.2.0
  resolution: "@s/a@npm:1.2.0"
  dependencies:
    b: "npm:^2.0.0"
  checksum: 10c0/abcdef
  languageName: node
  linkType: hard

"b@npm:^2.0.0":
  version: 2.0.1
  resolution: "b@npm:2.0.1"
  checksum: 10c0/123456
  languageName: node
  linkType: hard

"c@https://github.com/o/c.git#commit=fe12":
  version: 3.0.0
  resolution: "c@https://github.com/o/c.git#commit=fe12"
  languageName: node
  linkType: hard

"root@workspace:.":
  version: 0.0.0-use.local
  resolution: "root@workspace:."
  dependencies:
    "@s/a": "npm:^1.1.0"
  languageName: unknown
  linkType: soft
"#;
    let lock = parse_yarn_lock(text, "yarn.lock").unwrap();
    assert_eq!(lock.format_version, 8);
    let got: Vec<_> = lock
        .packages
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.version.as_str(),
                p.location.line,
                p.source.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("@s/a", "1.2.0", 7, PackageSource::DefaultRegistry),
            ("b", "2.0.1", 16, PackageSource::DefaultRegistry),
            (
                "c",
                "3.0.0",
                23,
                PackageSource::Git {
                    url: "https://github.com/o/c.git".into(),
                    rev: Some("fe12".into())
                }
            ),
            ("root", "0.0.0-use.local", 29, PackageSource::Local),
        ]
    );
    assert_eq!(lock.packages[0].dependencies, ["b@2.0.1"]);
    assert_eq!(lock.packages[3].dependencies, ["@s/a@1.2.0"]);
    assert_eq!(lock.packages[0].checksum.as_deref(), Some("10c0/abcdef"));
    assert!(lock.packages.iter().all(|p| p.direct.is_none()));
}

fn parse_error(result: Result<Lockfile, LockfileError>) -> (u32, String) {
    match result {
        Err(LockfileError::Parse { line, message, .. }) => (line, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn malformed_input_is_an_error_at_its_line() {
    let (line, _) = parse_error(parse_package_lock(
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {}\n    \"x\": {}\n  }\n}",
        "p",
    ));
    assert_eq!(line, 5);
    let (line, message) = parse_error(parse_package_lock(
        "{\n  \"lockfileVersion\": 2,\n  \"packages\": {\n    \"node_modules/a\": {\n      \"resolved\": \"x\"\n    }\n  }\n}",
        "p",
    ));
    assert_eq!(line, 4);
    assert!(message.contains("no `version`"), "{message}");
    let (line, _) = parse_error(parse_pnpm_lock(
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n  b: [\n",
        "p",
    ));
    assert!(line >= 3, "{line}");
    let (line, _) = parse_error(parse_pnpm_lock(
        "lockfileVersion: '9.0'\npackages:\n\n  nover: {}\n",
        "p",
    ));
    assert_eq!(line, 4);
    let (line, _) = parse_error(parse_yarn_lock(
        "# yarn lockfile v1\n\na@^1:\n  resolved \"x\"\n\nb@^1:\n  version \"1.0.0\"\n",
        "p",
    ));
    assert_eq!(line, 3);
    let (line, _) = parse_error(parse_yarn_lock(
        "# yarn lockfile v1\n\na@^1:\n  version \"1\"\nstray line\n",
        "p",
    ));
    assert_eq!(line, 5);
    let (line, _) = parse_error(parse_yarn_lock(
        "__metadata:\n  version: 8\n\"a@npm:1\":\n  resolution: \"a@npm:1\"\n",
        "p",
    ));
    assert_eq!(line, 3);
    // Arbitrary bytes never panic.
    for text in [
        "",
        "[]",
        "null",
        "{\"packages\": []}",
        "\u{feff}{}",
        ":",
        "- a",
        "a:\n\tb",
        "\"x",
        "{\"dependencies\": {\"a\": 1}}",
    ] {
        let _ = parse_package_lock(text, "p");
        let _ = parse_pnpm_lock(text, "p");
        let _ = parse_yarn_lock(text, "p");
    }
}

#[test]
fn a_raw_control_character_or_an_unknown_lockfile_version_is_refused() {
    let nul = "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/a\": {\"version\": \"1.0.0\", \"resolved\": \"https://r.example/a\u{0}b.tgz\"}}}";
    let err = parse_package_lock(nul, "package-lock.json").unwrap_err();
    assert!(err.to_string().contains("control character"), "{err}");
    let future = "{\"lockfileVersion\": 99, \"packages\": {}}";
    let err = parse_package_lock(future, "package-lock.json").unwrap_err();
    assert!(err.to_string().contains("must be 1, 2 or 3"), "{err}");
}

#[test]
fn a_byte_order_mark_is_read_past_by_discovery() {
    let tmp = tempfile::tempdir().unwrap();
    let marked = corpus("npm-lock-v3-marked/package-lock.json");
    std::fs::write(
        tmp.path().join("package-lock.json"),
        format!("\u{feff}{marked}"),
    )
    .unwrap();
    let with_bom = secgate_inventory::discover(tmp.path()).unwrap();
    let plain = parse_package_lock(&marked, "package-lock.json").unwrap();
    assert_eq!(with_bom.lockfiles[0].packages, plain.packages);
    let yarn = corpus("yarn-v1-drawio-desktop/yarn.lock");
    std::fs::remove_file(tmp.path().join("package-lock.json")).unwrap();
    std::fs::write(tmp.path().join("yarn.lock"), format!("\u{feff}{yarn}")).unwrap();
    let with_bom = secgate_inventory::discover(tmp.path()).unwrap();
    assert_eq!(
        with_bom.lockfiles[0].packages,
        parse_yarn_lock(&yarn, "yarn.lock").unwrap().packages
    );
}
