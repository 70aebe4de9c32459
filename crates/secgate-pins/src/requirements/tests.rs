//! Unit tests of the requirements rules on small inline files.

use super::*;
use crate::FileKind;

fn run(text: &str, python: PythonRule) -> Vec<(Code, u32, u32, String)> {
    let file = SourceFile::new("requirements.txt", FileKind::Requirements, text);
    let options = PinsOptions {
        python,
        ..PinsOptions::default()
    };
    check(&file, &options)
        .into_iter()
        .map(|f| {
            let id = f.id.clone().unwrap_or_default();
            (f.code, f.location.line, f.location.column, id)
        })
        .collect()
}

fn exact(text: &str) -> Vec<(Code, u32, u32, String)> {
    run(text, PythonRule::Exact)
}

const U: Code = Code::RequirementUnpinned;
const H: Code = Code::HashMissing;

#[test]
fn loose_requirements_are_unpinned_at_their_text() {
    let text =
        "numpy\nMore_Itertools>=8\n  foo==1.*  # comment\nbar~=1.0 ; python_version < \"3.8\"\n";
    assert_eq!(
        exact(text),
        [
            (U, 1, 1, "numpy".into()),
            (U, 2, 1, "more-itertools".into()),
            (U, 3, 3, "foo".into()),
            (U, 4, 1, "bar".into()),
        ]
    );
    let file = SourceFile::new("r.txt", FileKind::Requirements, text);
    let found = check(&file, &PinsOptions::default());
    assert_eq!(
        found[0].message,
        "`numpy` has no version, so whatever is newest is installed"
    );
    assert!(found[0].fix.as_deref().unwrap().contains("pip-compile"));
    assert!(found[0].fix.as_deref().unwrap().contains("`numpy==X.Y.Z`"));
    assert_eq!(
        found[3].location.span,
        Some(text.find("bar").unwrap()..text.find(" ;").unwrap())
    );
    assert!(found[2].message.contains("wildcard"));
}

#[test]
fn exact_pins_options_and_local_code_pass() {
    let text = "\
# comment
--index-url https://example.invalid/simple
--extra-index-url https://example.invalid/extra
-r base.txt
-c constraints.txt
--no-binary :all:
-e .
-e ./libs/util
.[dev]
numpy==1.26.4
celery[redis]==5.6.3 ; python_version >= \"3.9\"
foo===1.0
";
    assert_eq!(exact(text), []);
}

#[test]
fn vcs_and_url_requirements_need_a_commit_or_hash() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let text = format!(
        "git+https://github.com/o/a.git@v1.0#egg=a\n\
         -e git+https://github.com/o/b.git#egg=B_pkg\n\
         c @ https://example.invalid/c-1.0.tar.gz\n\
         git+https://github.com/o/d.git@{sha}#egg=d\n\
         e @ https://example.invalid/e-1.0.tar.gz#sha256={}\n",
        "f".repeat(64)
    );
    assert_eq!(
        exact(&text),
        [
            (U, 1, 1, "a".into()),
            (U, 2, 4, "b-pkg".into()),
            (U, 3, 1, "c".into())
        ]
    );
}

#[test]
fn hashes_are_required_once_any_line_has_one() {
    let text = "\
a==1.0 \\
    --hash=sha256:aaaa
b==2.0
c>=3
";
    assert_eq!(exact(text), [(H, 3, 1, "b".into()), (U, 4, 1, "c".into())]);
    assert_eq!(exact("b==2.0\n"), []);
    assert_eq!(exact("--require-hashes\nb==2.0\n"), [(H, 2, 1, "b".into())]);
}

#[test]
fn the_policy_can_require_hashes_everywhere() {
    let text = "a==1.0 --hash=sha256:aaaa\nb==2.0\n-e .\n";
    assert_eq!(
        run(text, PythonRule::ExactWithHashes),
        [(H, 2, 1, "b".into())]
    );
    assert_eq!(
        run("b==2.0\n", PythonRule::ExactWithHashes),
        [(H, 1, 1, "b".into())]
    );
    assert_eq!(
        run(
            "b==2.0 \\\n  --hash sha256:ab\n",
            PythonRule::ExactWithHashes
        ),
        []
    );
    let found = {
        let file = SourceFile::new("r.txt", FileKind::Requirements, "b==2.0\n");
        let options = PinsOptions {
            python: PythonRule::ExactWithHashes,
            ..PinsOptions::default()
        };
        check(&file, &options)
    };
    assert!(found[0].message.contains("exact-with-hashes"));
    assert!(
        found[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("--generate-hashes")
    );
}

#[test]
fn the_rule_can_be_off() {
    assert_eq!(run("numpy\n", PythonRule::Off), []);
}

#[test]
fn a_requirement_split_over_continuation_lines_keeps_its_place() {
    let text = "x==1 \\\n  --hash=sha256:a\n  foo \\\n  >=1.0\n";
    let found = exact(text);
    assert_eq!(found, [(U, 3, 3, "foo".into())]);
}
