//! The positioned tree: spans, errors, aliases and depth.

use super::*;
use std::fmt::Write as _;

fn scalar_at<'a>(yaml: &'a Yaml, path: &[&str]) -> &'a Scalar {
    let mut id = yaml.roots[0];
    for key in path {
        id = yaml.get(id, key).unwrap();
    }
    yaml.scalar(id).unwrap()
}

#[test]
fn scalars_have_byte_spans_after_non_ascii_text() {
    let text = "\u{feff}é: ü\nb: \"x # y\" # c\nc: |\n  one\n  two\n";
    let yaml = Yaml::parse(text).unwrap();
    let b = scalar_at(&yaml, &["b"]);
    assert_eq!(&text[b.span.clone()], "\"x # y\"");
    assert_eq!(b.value, "x # y");
    let c = scalar_at(&yaml, &["c"]);
    assert_eq!(c.style, ScalarStyle::Literal);
    assert_eq!(&text[c.span.clone()], "one\n  two\n");
    assert_eq!(c.column, 2);
    assert_eq!(&text[scalar_at(&yaml, &["é"]).span.clone()], "ü");
}

#[test]
fn long_non_ascii_text_maps_past_checkpoints() {
    let text = format!("k: {}\nv: end\n", "ß".repeat(300));
    let yaml = Yaml::parse(&text).unwrap();
    assert_eq!(&text[scalar_at(&yaml, &["v"]).span.clone()], "end");
}

#[test]
fn syntax_errors_have_line_and_column() {
    let err = Yaml::parse("a: [b\n").unwrap_err();
    assert_eq!((err.line, err.column), (2, 1));
    assert!(err.message.contains("flow sequence"), "{}", err.message);
}

#[test]
fn aliases_share_nodes_and_cycles_are_null() {
    let yaml = Yaml::parse("a: &x [1, 2]\nb: *x\nc: &y {d: *y}\n").unwrap();
    let root = yaml.roots[0];
    assert_eq!(yaml.get(root, "a"), yaml.get(root, "b"));
    let c = yaml.get(root, "c").unwrap();
    let d = yaml.get(c, "d").unwrap();
    assert!(matches!(yaml.node(d), Node::Null));
}

#[test]
fn deep_nesting_is_dropped_without_recursion() {
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let yaml = Yaml::parse(&format!("a: 1\nb: {deep}\nc: 3\n")).unwrap();
    assert_eq!(scalar_at(&yaml, &["c"]).value, "3");
    assert!(matches!(
        yaml.node(yaml.get(yaml.roots[0], "b").unwrap()),
        Node::Sequence(_)
    ));
    let mut block = String::new();
    for depth in 0..100 {
        writeln!(block, "{}k{depth}:", " ".repeat(depth)).unwrap();
    }
    block.push_str("z: 1\n");
    assert_eq!(scalar_at(&Yaml::parse(&block).unwrap(), &["z"]).value, "1");
    // The parser refuses hostile depths itself, as a syntax error.
    let hostile = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(Yaml::parse(&hostile).is_err());
}

#[test]
fn quoted_spans_end_at_the_closing_quote() {
    let text = "a: 'it''s' # c\nb: \"x\\\" # y\" # z\nc: \"two\n  lines\"  # w\n";
    let yaml = Yaml::parse(text).unwrap();
    assert_eq!(&text[scalar_at(&yaml, &["a"]).span.clone()], "'it''s'");
    assert_eq!(
        &text[scalar_at(&yaml, &["b"]).span.clone()],
        "\"x\\\" # y\""
    );
    assert_eq!(
        &text[scalar_at(&yaml, &["c"]).span.clone()],
        "\"two\n  lines\""
    );
}

#[test]
fn non_mapping_roots_and_missing_keys_are_empty() {
    let yaml = Yaml::parse("- 1\n- 2\n").unwrap();
    let root = yaml.roots[0];
    assert_eq!(yaml.items(root).len(), 2);
    assert!(yaml.entries(root).is_empty());
    assert_eq!(yaml.get(root, "jobs"), None);
    assert!(Yaml::parse("").unwrap().roots.is_empty());
}
