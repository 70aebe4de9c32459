//! Property: the position-keeping JSON reader `json::parse` never panics, never overflows its
//! stack and stays fast on any text; every span it returns is a slice of the text. Inputs:
//! arbitrary text, mutations of the real package-locks and package.json files of the corpus,
//! grammar-shaped JSON, and nesting far past [`Options::max_depth`].
//!
//! `SECGATE_PROPTEST_CASES=5000 cargo test -p secgate-inventory prop_` runs a longer search.

mod prop_common;

use prop_common::{Seed, config, corpus_seeds, json_value, mutate, mutations, text, timed};
use proptest::prelude::*;
use proptest::sample::Index;
use secgate_inventory::json::{self, ErrorKind, Node, Options, Value, Words};
use std::sync::LazyLock;

static SEEDS: LazyLock<Vec<Seed>> = LazyLock::new(|| {
    corpus_seeds(&[
        "npm-lock-v3-marked/package-lock.json",
        "npm-lock-v1-warehouse/package-lock.json",
        "npm-axios/package.json",
        "yarn-webpack/package.json",
        "pnpm-vue-core/package.json",
    ])
});

/// Fails unless every span of the tree is a slice of `text`.
fn assert_spans(text: &str, node: &Node) {
    assert!(
        text.get(node.span.clone()).is_some(),
        "node span {:?}",
        node.span
    );
    match &node.value {
        Value::Array(items) => items.iter().for_each(|n| assert_spans(text, n)),
        Value::Object(members) => {
            for m in members {
                assert!(
                    text.get(m.key_span.clone()).is_some(),
                    "key span {:?}",
                    m.key_span
                );
                assert_spans(text, &m.value);
            }
        }
        _ => {}
    }
}

fn check(what: &str, text: &str) {
    for options in [
        Options::default(),
        Options {
            reject_control_characters: true,
            words: Words::Prefix,
            ..Options::default()
        },
    ] {
        match timed(what, text.len(), || json::parse_with(text, &options)) {
            Ok(node) => assert_spans(text, &node),
            Err(e) => assert!(
                e.offset <= text.len(),
                "error offset {} past the text",
                e.offset
            ),
        }
    }
}

proptest! {
    #![proptest_config(config(0x5ec6_0003))]

    #[test]
    fn arbitrary_text(input in ".{0,2000}") {
        check("text", &input);
    }

    #[test]
    fn mutated_real_json(seed in any::<Index>(), changes in mutations()) {
        let seed = &SEEDS[seed.index(SEEDS.len())];
        check(&seed.name, &text(&mutate(&seed.bytes, &changes)));
    }

    #[test]
    fn grammar_shaped_json(input in json_value()) {
        // Valid JSON by construction: it must be read, not refused.
        let node = timed("grammar", input.len(), || json::parse(&input));
        prop_assert!(node.is_ok(), "{:?} for {input}", node.err());
        check("grammar", &input);
    }
}

/// A megabyte of open brackets is refused at the depth limit, on a test thread's small stack.
#[test]
fn deep_nesting_is_refused() {
    for unit in ["[", "{\"a\":", "[{\"a\":"] {
        let deep = unit.repeat(1 << 20 >> 3);
        let err = timed(unit, deep.len(), || json::parse(&deep)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep, "{unit}");
    }
    let at_limit = format!("{}{}", "[".repeat(256), "]".repeat(256));
    assert!(
        json::parse(&at_limit).is_ok(),
        "256 levels are within the default limit"
    );
}
