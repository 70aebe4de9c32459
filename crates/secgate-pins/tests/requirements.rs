//! The requirements checks on the real pip files of `../shared/corpus`: the exact findings on
//! each as committed (whisper's bare names; warehouse's pip-compile output with hashes, clean in
//! both modes), and on in-memory edits of them (a loosened pin, a requirement stripped of its
//! hashes, every hash stripped), so a rule that silently stopped working fails here.
//!
//! The corpus is found through `SECGATE_SHARED`, else `../shared` next to the repository; a
//! missing corpus fails the tests.

mod common;

use common::read;
use secgate_core::Code;
use secgate_pins::{FileKind, PinsOptions, PythonRule, SourceFile, requirements};

/// (code, line, column, id) of every finding on `text` as the file `path`.
fn check(path: &str, text: &str, python: PythonRule) -> Vec<(Code, u32, u32, String)> {
    let file = SourceFile::new(path, FileKind::Requirements, text);
    let options = PinsOptions {
        python,
        ..PinsOptions::default()
    };
    requirements::check(&file, &options)
        .into_iter()
        .map(|f| {
            assert_eq!(f.location.path, path);
            assert!(f.fix.is_some(), "{f:?}");
            (f.code, f.location.line, f.location.column, f.id.unwrap())
        })
        .collect()
}

/// `text` with `from` replaced by `to` on 1-based `line`, which must contain it.
fn edit_line(text: &str, line: usize, from: &str, to: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let target = &mut lines[line - 1];
    assert!(target.contains(from), "line {line} is {target:?}");
    *target = target.replacen(from, to, 1);
    lines.join("\n")
}

const UNPINNED: Code = Code::RequirementUnpinned;
const NO_HASH: Code = Code::HashMissing;

#[test]
fn whisper_pins_nothing() {
    let path = "pip-whisper/requirements.txt";
    let text = read(path);
    let expected: Vec<_> = [
        "numba",
        "numpy",
        "torch",
        "tqdm",
        "more-itertools",
        "tiktoken",
        "triton",
    ]
    .iter()
    .zip(1..)
    .map(|(id, line)| (UNPINNED, line, 1, (*id).to_owned()))
    .collect();
    assert_eq!(check(path, &text, PythonRule::Exact), expected);
    // Unpinned lines are not also reported for their missing hashes.
    assert_eq!(check(path, &text, PythonRule::ExactWithHashes), expected);
    assert_eq!(check(path, &text, PythonRule::Off), []);

    let file = SourceFile::new(path, FileKind::Requirements, text.clone());
    let found = requirements::check(&file, &PinsOptions::default());
    let triton = found[6].location.span.clone().unwrap();
    assert_eq!(&text[triton], "triton>=2.0.0");
    assert!(found[6].message.contains("range"), "{}", found[6].message);
    assert!(found[0].fix.as_deref().unwrap().contains("`numba==X.Y.Z`"));
}

#[test]
fn pip_compile_output_with_hashes_is_clean_in_both_modes() {
    for path in [
        "pip-warehouse/requirements/main.txt",
        "pip-warehouse/requirements/deploy.txt",
        "pip-hashes-warehouse/requirements/main.txt",
    ] {
        let text = read(path);
        assert_eq!(check(path, &text, PythonRule::Exact), [], "{path}");
        assert_eq!(
            check(path, &text, PythonRule::ExactWithHashes),
            [],
            "{path}"
        );
    }
}

#[test]
fn a_loosened_pin_and_a_dehashed_line_are_found_at_their_lines() {
    let path = "pip-hashes-warehouse/requirements/main.txt";
    let text = read(path);
    let loose = edit_line(&text, 920, "zxcvbn==4.4.28", "zxcvbn>=4.4.28");
    assert_eq!(
        check(path, &loose, PythonRule::Exact),
        [(UNPINNED, 920, 1, "zxcvbn".into())]
    );
    // alembic's two `--hash` continuation lines become comments: the others still have hashes,
    // so pip is in hash-checking mode and rejects it.
    let dehashed = edit_line(&text, 8, "    --hash=", "    # --hash=");
    let dehashed = edit_line(&dehashed, 9, "    --hash=", "    # --hash=");
    let dehashed = edit_line(&dehashed, 7, "alembic==1.4.3 \\", "alembic==1.4.3");
    assert_eq!(
        check(path, &dehashed, PythonRule::Exact),
        [(NO_HASH, 7, 1, "alembic".into())]
    );
}

#[test]
fn without_any_hash_only_the_hash_policy_flags_every_pin() {
    let path = "pip-warehouse/requirements/main.txt";
    // Every `--hash` line commented out: a comment line ends pip's continuation, and the line
    // numbers stay those of the real file.
    let bare = read(path).replace("    --hash=", "    # --hash=");
    assert_eq!(check(path, &bare, PythonRule::Exact), []);
    let found = check(path, &bare, PythonRule::ExactWithHashes);
    assert_eq!(found.len(), 184);
    assert!(found.iter().all(|f| f.0 == NO_HASH && f.2 == 1));
    assert_eq!(found[0], (NO_HASH, 7, 1, "alembic".into()));
    assert!(found.contains(&(NO_HASH, 199, 1, "celery".into())));
    assert_eq!(found[181], (NO_HASH, 2666, 1, "zope-sqlalchemy".into()));
    assert_eq!(found[182], (NO_HASH, 2670, 1, "zxcvbn".into()));
    assert_eq!(found[183], (NO_HASH, 2676, 1, "setuptools".into()));
}
