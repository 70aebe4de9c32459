//! Shared pieces of the property tests: a deterministic config whose case count comes from
//! `SECGATE_PROPTEST_CASES`, mutations of real seed files, and a time bound per parse.

#![allow(dead_code)] // each test binary uses only some of these helpers

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Cases per property when `SECGATE_PROPTEST_CASES` is unset: fast enough for every CI run.
const DEFAULT_CASES: u32 = 64;

/// The largest input a property builds.
pub const MAX_INPUT: usize = 1024 * 1024;

/// How long one parse of one input may take (debug build, a shared machine).
pub const PARSE_BOUND: Duration = Duration::from_secs(2);

/// A fixed-seed config with `SECGATE_PROPTEST_CASES` cases (default 64), so failures reproduce.
pub fn config(seed: u64) -> Config {
    let cases = std::env::var("SECGATE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

/// `../shared` beside the repository, or `$SECGATE_SHARED`; missing data fails the test.
pub fn shared() -> PathBuf {
    let dir = std::env::var_os("SECGATE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("corpus").is_dir() && dir.join("advisory-data").is_dir(),
        "../shared (corpus and advisory-data) is required; set SECGATE_SHARED to its path"
    );
    dir
}

/// Runs `f`, failing the property when it takes longer than [`PARSE_BOUND`].
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(
        took < PARSE_BOUND,
        "{what} took {took:?} (bound {PARSE_BOUND:?})"
    );
    out
}

/// One edit of a seed file. Positions are fractions of the input (`0..=u16::MAX`), so the same
/// mutation applies to seeds of any length.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Cut the input at a point.
    Truncate(u16),
    /// XOR one byte with a non-zero mask.
    Flip(u16, u8),
    /// Delete a range of lines.
    DeleteLines(u16, u8),
    /// Repeat a range of lines right after itself.
    DuplicateLines(u16, u8),
    /// Insert arbitrary bytes.
    Insert(u16, Vec<u8>),
    /// Insert an opening token many times (deep nesting).
    Nest(u16, &'static str, u16),
}

/// Any [`Mutation`]; `nesting` lists the format's opening tokens (`[`, `{`, `(`, indentation).
pub fn mutation(nesting: &'static [&'static str]) -> impl Strategy<Value = Mutation> {
    let at = any::<u16>();
    prop_oneof![
        at.prop_map(Mutation::Truncate),
        (at, 1..=u8::MAX).prop_map(|(p, m)| Mutation::Flip(p, m)),
        (at, 1..=u8::MAX).prop_map(|(p, n)| Mutation::DeleteLines(p, n)),
        (at, 1..=u8::MAX).prop_map(|(p, n)| Mutation::DuplicateLines(p, n)),
        (at, proptest::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        (at, proptest::sample::select(nesting), 1..20_000u16)
            .prop_map(|(p, t, n)| Mutation::Nest(p, t, n)),
    ]
}

/// Up to `max` mutations applied in order.
pub fn mutations(
    nesting: &'static [&'static str],
    max: usize,
) -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(nesting), 1..=max)
}

fn index(len: usize, at: u16) -> usize {
    len * usize::from(at) / usize::from(u16::MAX)
}

/// Byte offsets where each line of `bytes` starts, and the length as a final entry.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    if starts.last() != Some(&bytes.len()) {
        starts.push(bytes.len());
    }
    starts
}

/// The byte range of `count` lines from the line at fraction `at`.
fn line_range(bytes: &[u8], at: u16, count: u8) -> std::ops::Range<usize> {
    let starts = line_starts(bytes);
    let lines = starts.len() - 1;
    let first = index(lines, at).min(lines.saturating_sub(1));
    let last = (first + usize::from(count)).min(lines);
    starts[first]..starts[last]
}

/// `seed` with `mutations` applied, capped at [`MAX_INPUT`] bytes.
pub fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for m in mutations {
        match m {
            Mutation::Truncate(at) => out.truncate(index(out.len(), *at)),
            Mutation::Flip(at, mask) => {
                if !out.is_empty() {
                    let i = index(out.len() - 1, *at);
                    out[i] ^= mask;
                }
            }
            Mutation::DeleteLines(at, n) => {
                let range = line_range(&out, *at, *n);
                out.drain(range);
            }
            Mutation::DuplicateLines(at, n) => {
                let range = line_range(&out, *at, *n);
                let copy = out[range.clone()].to_vec();
                out.splice(range.end..range.end, copy);
            }
            Mutation::Insert(at, bytes) => {
                let i = index(out.len(), *at);
                out.splice(i..i, bytes.iter().copied());
            }
            Mutation::Nest(at, token, n) => {
                let i = index(out.len(), *at);
                let nest = token.repeat(usize::from(*n));
                out.splice(i..i, nest.bytes());
            }
        }
        out.truncate(MAX_INPUT);
    }
    out
}

/// Arbitrary bytes up to 4 KiB, biased towards the format's own punctuation in `alphabet`.
pub fn noise(alphabet: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let chars: Vec<u8> = alphabet.bytes().collect();
    proptest::collection::vec(
        prop_oneof![any::<u8>(), proptest::sample::select(chars)],
        0..4096,
    )
}
