//! Shared pieces of the parser property tests (`tests/prop_*.rs` of secgate-inventory,
//! secgate-policy and secgate-pins): the fixed-seed config, real seed files, the mutations applied
//! to them, small line-grammar generators, and the time bound every parse must meet.
//!
//! `SECGATE_PROPTEST_CASES` sets the number of cases per property (default 64, so CI stays
//! fast); a longer run is `SECGATE_PROPTEST_CASES=5000 cargo test -p <crate> prop_`.
#![allow(dead_code)] // Each test file uses a different subset of these helpers.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The largest input a property feeds a parser: bigger mutated texts are cut here.
pub const MAX_INPUT: usize = 1 << 20;

/// How long one parse of an input up to [`MAX_INPUT`] may take in a debug build. Generous on
/// purpose: it catches quadratic or worse blow-ups (minutes on a MiB), not slow machines. The
/// slowest check measured (a Dockerfile `RUN` of a MiB of shell) takes about 1 s per MiB in a
/// debug build on a loaded 2-core machine, and every check measured grows linearly.
pub const PARSE_BOUND: Duration = Duration::from_secs(5);

/// The proptest config of every property: `SECGATE_PROPTEST_CASES` cases (default 64), a fixed
/// RNG seed so a failure reproduces, and no persistence files in the source tree.
pub fn config(seed: u64) -> ProptestConfig {
    let cases = std::env::var("SECGATE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `../shared` beside the repository, or `$SECGATE_SHARED`. Missing data fails the test: a
/// property over no seeds would check nothing.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("corpus").is_dir(),
        "../shared/corpus is required for the seed files; set SECGATE_SHARED to its path ({})",
        dir.display()
    );
    dir
}

/// A real file a property mutates.
#[derive(Clone, Debug)]
pub struct Seed {
    /// Where it came from, for failure messages.
    pub name: String,
    /// Its bytes, cut at [`MAX_INPUT`].
    pub bytes: Vec<u8>,
}

/// Reads `paths` (relative to `../shared/corpus`, or absolute) as seeds; a missing one fails.
pub fn corpus_seeds(paths: &[&str]) -> Vec<Seed> {
    let corpus = shared().join("corpus");
    paths.iter().map(|p| read_seed(&corpus.join(p))).collect()
}

/// Every file of `dir` (relative to the crate) whose name ends with `suffix`, as seeds.
pub fn fixture_seeds(dir: &str, suffix: &str) -> Vec<Seed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("fixture directory {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no `{suffix}` fixtures in {}",
        dir.display()
    );
    files.iter().map(|p| read_seed(p)).collect()
}

/// One file as a seed.
pub fn read_seed(path: &Path) -> Seed {
    let mut bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("seed file {}: {e}", path.display()));
    bytes.truncate(MAX_INPUT);
    Seed {
        name: path.display().to_string(),
        bytes,
    }
}

/// Constructs repeated many times to reach deep nesting: brackets, braces, YAML indentation and
/// block sequences, SPDX parentheses, TOML inline tables and arrays, JSON members.
pub const NESTERS: &[&str] = &[
    "[",
    "{",
    "[[",
    "(",
    "  ",
    "- ",
    "a = [",
    "a = {b = ",
    "{\"a\":",
    "[{",
    "\n  ",
    "\n- ",
    "? ",
    "&a ",
    "*a ",
    "- [",
    "{a: ",
    "\"",
];

/// One change to a seed file.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Cut the text at a point.
    Truncate(Index),
    /// XOR one byte with a non-zero mask.
    FlipByte(Index, u8),
    /// Delete a range of lines.
    DeleteLines(Index, usize),
    /// Repeat a range of lines several times in place.
    DuplicateLines(Index, usize, usize),
    /// Insert a random string at a point.
    Insert(Index, String),
    /// Insert one of [`NESTERS`] repeated many times at a point.
    Nest(Index, Index, usize),
}

/// A random [`Mutation`].
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Mutation::FlipByte(at, mask)),
        (any::<Index>(), 1..40usize).prop_map(|(at, n)| Mutation::DeleteLines(at, n)),
        (any::<Index>(), 1..20usize, 2..50usize)
            .prop_map(|(at, n, times)| Mutation::DuplicateLines(at, n, times)),
        (any::<Index>(), insertion()).prop_map(|(at, s)| Mutation::Insert(at, s)),
        (any::<Index>(), any::<Index>(), 1..20_000usize)
            .prop_map(|(at, which, times)| Mutation::Nest(at, which, times)),
    ]
}

/// Random text to insert: structural characters more often than not.
fn insertion() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\[\\]{}()\"'=:,#\\\\ \t\n\r@^~*|<>;.-]{1,8}",
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{feff}\u{2028}\u{fffd}]{1,4}",
    ]
}

/// One to four mutations.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(), 1..=4)
}

/// `seed` with `changes` applied in order, at most [`MAX_INPUT`] bytes.
pub fn mutate(seed: &[u8], changes: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for change in changes {
        apply(&mut bytes, change);
        bytes.truncate(MAX_INPUT);
    }
    bytes
}

fn apply(bytes: &mut Vec<u8>, change: &Mutation) {
    let point = |at: &Index, len: usize| at.index(len + 1);
    match change {
        Mutation::Truncate(at) => bytes.truncate(point(at, bytes.len())),
        Mutation::FlipByte(at, mask) => {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] ^= mask;
            }
        }
        Mutation::DeleteLines(at, n) => {
            let (start, end) = line_range(bytes, *at, *n);
            bytes.drain(start..end);
        }
        Mutation::DuplicateLines(at, n, times) => {
            let (start, end) = line_range(bytes, *at, *n);
            let lines = bytes[start..end].to_vec();
            let copies: Vec<u8> = lines
                .iter()
                .copied()
                .cycle()
                .take(lines.len() * (times - 1))
                .collect();
            bytes.splice(end..end, copies);
        }
        Mutation::Insert(at, text) => {
            let i = point(at, bytes.len());
            bytes.splice(i..i, text.bytes());
        }
        Mutation::Nest(at, which, times) => {
            let i = point(at, bytes.len());
            let unit = NESTERS[which.index(NESTERS.len())];
            bytes.splice(i..i, unit.repeat(*times).into_bytes());
        }
    }
}

/// Byte range of `n` whole lines starting at the line holding `at`.
fn line_range(bytes: &[u8], at: Index, n: usize) -> (usize, usize) {
    if bytes.is_empty() {
        return (0, 0);
    }
    let i = at.index(bytes.len());
    let start = bytes[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let mut end = start;
    for _ in 0..n {
        let Some(p) = bytes[end..].iter().position(|&b| b == b'\n') else {
            end = bytes.len();
            break;
        };
        end += p + 1;
    }
    (start, end)
}

/// `unit` repeated to about [`MAX_INPUT`] bytes (less a little for a surrounding prefix).
pub fn repeated(unit: &str) -> String {
    unit.repeat((MAX_INPUT - 256) / unit.len().max(1))
}

/// `levels` lines, each indented one `step` more than the one before, each `item` followed by
/// its line number (`k0:`, `  k1:`, ...): YAML nesting by indentation.
pub fn ladder(levels: usize, step: &str, item: &str) -> String {
    let mut text = String::new();
    for i in 0..levels {
        text.push_str(&step.repeat(i));
        text.push_str(item);
        text.push_str(&i.to_string());
        text.push_str(":\n");
    }
    text
}

/// The text parsers take: invalid UTF-8 replaced, as the file readers do.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs one parse and fails if it took longer than [`PARSE_BOUND`].
pub fn timed<T>(what: &str, input_len: usize, parse: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = parse();
    let took = start.elapsed();
    assert!(
        took < PARSE_BOUND,
        "{what}: parsing {input_len} bytes took {took:?} (bound {PARSE_BOUND:?})"
    );
    out
}

/// A line-grammar text: lines drawn from `fragments`, each with random indentation and an
/// optional random tail, so a parser gets past its first line into its real structure.
pub fn lines_of(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    let line = (
        proptest::sample::select(fragments),
        0..6usize,
        proptest::option::weighted(0.3, "[a-z0-9@^~<>=!.*,:/\"' \\[\\]{}#-]{0,12}"),
    )
        .prop_map(|(fragment, indent, tail)| {
            format!(
                "{}{fragment}{}",
                "  ".repeat(indent),
                tail.unwrap_or_default()
            )
        });
    proptest::collection::vec(line, 0..60).prop_map(|lines| lines.join("\n"))
}

/// A JSON value shaped like npm files: objects keyed by lockfile and manifest keys, string
/// versions and specifiers, nested to a few levels.
pub fn json_value() -> impl Strategy<Value = String> {
    let key = proptest::sample::select(
        &[
            "name",
            "version",
            "lockfileVersion",
            "packages",
            "dependencies",
            "devDependencies",
            "optionalDependencies",
            "peerDependencies",
            "requires",
            "resolved",
            "integrity",
            "dev",
            "optional",
            "link",
            "",
            "node_modules/a",
            "node_modules/@s/b",
            "node_modules/a/node_modules/b",
            "a",
            "@s/b",
            "workspaces",
            "bundleDependencies",
            "_meta",
            "default",
            "hashes",
            "markers",
        ][..],
    );
    let leaf = prop_oneof![
        proptest::sample::select(
            &[
                "\"1.0.0\"",
                "\"^1.2\"",
                "\"*\"",
                "\"latest\"",
                "\"git+https://h.invalid/a.git#abc\"",
                "\"file:../x\"",
                "\"sha512-AAAA\"",
                "\"https://registry.npm.invalid/a/-/a-1.0.0.tgz\"",
                "true",
                "false",
                "null",
                "1",
                "2",
                "3",
                "-0.5e3",
                "\"\"",
                "\"==1.0\"",
                "\"npm:b@1\"",
                "\"workspace:*\"",
            ][..]
        )
        .prop_map(str::to_owned),
        "\"[a-z0-9@^~<>=./:+-]{0,10}\"",
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec((key.clone(), inner), 0..8).prop_map(|members| {
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", body.join(",\n"))
            }),
        ]
    })
}
