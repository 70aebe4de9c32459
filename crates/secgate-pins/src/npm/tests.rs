//! Unit tests of the npm rules on small inline files.

use super::*;

fn file(path: &str, text: &str) -> SourceFile {
    let kind = crate::classify(path).unwrap();
    SourceFile::new(path, kind, text)
}

fn run(files: &[SourceFile]) -> Vec<(Code, String, u32, u32, String)> {
    check(files)
        .unwrap()
        .into_iter()
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (
                f.code,
                f.location.path,
                f.location.line,
                f.location.column,
                id,
            )
        })
        .collect()
}

const MANIFEST: &str = r#"{
  "name": "app",
  "scripts": {},
  "devDependencies": {"a": "^1"},
  "dependencies": {"b": "^2"}
}
"#;

#[test]
fn a_manifest_with_dependencies_needs_a_lockfile() {
    let found = run(&[file("package.json", MANIFEST)]);
    assert_eq!(
        found,
        [(
            Code::LockfileMissing,
            "package.json".into(),
            4,
            3,
            "app".into()
        )]
    );
    let finding = &check(&[file("package.json", MANIFEST)]).unwrap()[0];
    assert!(finding.message.contains("`devDependencies`"));
    assert!(
        finding
            .fix
            .as_deref()
            .unwrap()
            .contains("npm install --package-lock-only")
    );
    let span = finding.location.span.clone().unwrap();
    assert_eq!(&MANIFEST[span], "\"devDependencies\"");
}

#[test]
fn any_lockfile_here_or_above_will_do() {
    for lock in [
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "bun.lockb",
    ] {
        let text = if crate::shell::has_extension(lock, ".json") {
            "{}"
        } else {
            ""
        };
        assert_eq!(
            run(&[file("package.json", MANIFEST), file(lock, text)]),
            [],
            "{lock}"
        );
    }
    let files = [
        file("pnpm-lock.yaml", ""),
        file("packages/a/package.json", MANIFEST),
        file("tools/x/package.json", "{\"dependencies\": {\"c\": \"1\"}}"),
        file("tools/x/sub/yarn.lock", ""),
    ];
    assert_eq!(run(&files), []);
    // A lockfile in a sibling or a child directory does not count.
    let files = [
        file("web/package.json", "{\"dependencies\": {\"c\": \"1\"}}"),
        file("web/sub/yarn.lock", ""),
        file("webapp/yarn.lock", ""),
    ];
    assert_eq!(
        run(&files),
        [(
            Code::LockfileMissing,
            "web/package.json".into(),
            1,
            2,
            "web/package.json".into()
        )]
    );
}

#[test]
fn a_manifest_without_dependencies_needs_no_lockfile() {
    for text in [
        "{}",
        "{\"name\": \"x\", \"dependencies\": {}}",
        "[]",
        "{\"private\": true, \"scripts\": {\"t\": \"x\"}}",
    ] {
        assert_eq!(run(&[file("package.json", text)]), [], "{text}");
    }
}

#[test]
fn malformed_json_is_an_error_at_its_place() {
    let err = check(&[file("a/package.json", "{\n  \"name\": \"x\",\n}\n")]).unwrap_err();
    match err {
        PinsError::Parse {
            path,
            line,
            column,
            message,
        } => {
            assert_eq!((path.as_str(), line, column), ("a/package.json", 3, 1));
            assert!(
                message.starts_with("invalid JSON: trailing comma"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(check(&[file("package-lock.json", "")]).is_err());
    // npm tolerates a byte-order mark.
    let bom = format!("\u{feff}{MANIFEST}");
    assert_eq!(run(&[file("package.json", &bom)])[0].2, 4);
}

#[test]
fn lock_entries_without_integrity_are_hash_missing() {
    let text = r#"{
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "app"},
    "node_modules/ok": {
      "version": "1.0.0", "resolved": "https://r/ok-1.0.0.tgz", "integrity": "sha512-x"
    },
    "node_modules/@s/bad": {"version": "2.0.0", "resolved": "https://r/bad-2.0.0.tgz"},
    "node_modules/a/node_modules/empty": {
      "version": "3.0.0", "resolved": "http://r/e.tgz", "integrity": ""
    },
    "node_modules/linked": {"resolved": "packages/linked", "link": true},
    "node_modules/npm/node_modules/b": {"version": "1.0.0", "inBundle": true},
    "node_modules/local": {"version": "1.0.0", "resolved": "file:../local"},
    "packages/ws": {"version": "1.0.0"},
    "node_modules/g1": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/o/g1.git#SHA"},
    "node_modules/g2": {"version": "1.0.0", "resolved": "git+https://github.com/o/g2.git#main"}
  }
}
"#
    .replace("SHA", &"a".repeat(40));
    let lock = file("package-lock.json", &text);
    let found = run(&[lock]);
    let at: Vec<_> = found
        .iter()
        .map(|f| (f.0, f.2, f.3, f.4.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (Code::HashMissing, 8, 5, "@s/bad@2.0.0"),
            (Code::HashMissing, 9, 5, "empty@3.0.0"),
            (Code::GitUnpinned, 17, 57, "g2"),
        ]
    );
}

#[test]
fn v1_lockfiles_are_walked_through_nested_dependencies() {
    let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {
      "version": "1.0.0", "resolved": "https://r/a.tgz", "integrity": "sha1-x",
      "dependencies": {
        "b": {"version": "2.0.0", "resolved": "https://r/b.tgz"}
      }
    },
    "c": {"version": "1.1.5", "resolved": false, "integrity": "sha1-y"},
    "d": {"version": "github:o/d#v1", "from": "github:o/d#v1"},
    "e": {"version": "github:o/e#0123456789012345678901234567890123456789"}
  }
}
"#;
    let found = run(&[file("package-lock.json", text)]);
    let at: Vec<_> = found
        .iter()
        .map(|f| (f.0, f.2, f.3, f.4.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (Code::HashMissing, 7, 9, "b@2.0.0"),
            (Code::GitUnpinned, 11, 22, "d")
        ]
    );
}
