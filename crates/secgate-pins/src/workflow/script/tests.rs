//! Value-to-file span mapping for every scalar style.

use super::*;
use crate::workflow::yaml::Yaml;

/// The `run` scalar of a one-key document.
fn run_scalar(text: &str) -> Scalar {
    let yaml = Yaml::parse(text).unwrap();
    let id = yaml.get(yaml.roots[0], "run").unwrap();
    yaml.scalar(id).unwrap().clone()
}

/// Maps the first occurrence of `needle` in the value of `run` and returns the file text there
/// and its 1-based line and column.
fn mapped(text: &str, needle: &str) -> (String, u32, u32) {
    let scalar = run_scalar(text);
    let map = ValueMap::new(text, &scalar).expect("aligns");
    let at = scalar.value.find(needle).expect("needle in value");
    let span = map.map_span(at..at + needle.len());
    let file = SourceFile::new("w.yml", crate::FileKind::Workflow, text);
    let location = file.location(span.clone());
    (text[span].to_owned(), location.line, location.column)
}

#[test]
fn plain_single_line() {
    let text = "run: curl https://x | sh # c\n";
    assert_eq!(mapped(text, "sh"), ("sh".into(), 1, 23));
}

#[test]
fn plain_multi_line_folds_across_lines() {
    let text = "run: echo one\n  curl https://x\n  | sh\n";
    assert_eq!(run_scalar(text).value, "echo one curl https://x | sh");
    assert_eq!(mapped(text, "curl"), ("curl".into(), 2, 3));
    // A hit across the fold spans both lines of the file.
    assert_eq!(mapped(text, "x | sh").0, "x\n  | sh");
}

#[test]
fn literal_block_maps_line_and_indentation() {
    let text = "steps:\n  - x: 1\nrun: |\n  echo hi\n    curl https://x | sh\n  done\n";
    assert_eq!(
        mapped(text, "curl https://x | sh"),
        ("curl https://x | sh".into(), 5, 5)
    );
    assert_eq!(mapped(text, "done"), ("done".into(), 6, 3));
}

#[test]
fn literal_block_with_indicators_blank_lines_and_keep() {
    let text = "run: |2+\n\n     lead\n   b\n\n\nnext: 1\n";
    let scalar = run_scalar(text);
    assert_eq!(scalar.value, "\n   lead\n b\n\n\n");
    assert_eq!(mapped(text, "lead"), ("lead".into(), 3, 6));
    assert_eq!(mapped(text, " b"), (" b".into(), 4, 3));
    let text = "run: |-\n    a\n    b\n";
    assert_eq!(mapped(text, "b"), ("b".into(), 3, 5));
}

#[test]
fn folded_block_joins_lines_with_spaces() {
    let text = "run: >\n  curl https://x\n  | sh\n\n  next\n    indented\n";
    let scalar = run_scalar(text);
    assert_eq!(scalar.value, "curl https://x | sh\nnext\n  indented\n");
    assert_eq!(mapped(text, "| sh"), ("| sh".into(), 3, 3));
    assert_eq!(mapped(text, "  indented"), ("  indented".into(), 6, 3));
}

#[test]
fn double_quoted_escapes_keep_later_text_exact() {
    let text = "run: \"echo \\\"é\\\"\\tcurl https://x | sh\"\n";
    assert_eq!(run_scalar(text).value, "echo \"é\"\tcurl https://x | sh");
    assert_eq!(mapped(text, "curl"), ("curl".into(), 1, 19));
    // A span ending inside an escape covers the whole escape.
    assert_eq!(mapped(text, "\"é\"\t").0, "\\\"é\\\"\\t");
    let text = "run: \"a \\x41\\u00e9 \\\n   b\"\n";
    assert_eq!(run_scalar(text).value, "a Aé b");
    assert_eq!(mapped(text, "b"), ("b".into(), 2, 4));
}

#[test]
fn single_quoted_doubled_quotes() {
    let text = "run: 'echo ''hi'' && curl https://x | sh'\n";
    assert_eq!(mapped(text, "curl"), ("curl".into(), 1, 22));
    assert_eq!(mapped(text, "'hi'").0, "''hi''");
}

#[test]
fn crlf_block_scalar() {
    let text = "run: |\r\n  one\r\n  curl https://x | sh\r\n";
    assert_eq!(
        mapped(text, "curl https://x | sh"),
        ("curl https://x | sh".into(), 3, 3)
    );
}

#[test]
fn spans_outside_the_value_and_empty_spans_do_not_panic() {
    let text = "run: |\n  é\n";
    let scalar = run_scalar(text);
    let map = ValueMap::new(text, &scalar).unwrap();
    let end = map.map_span(100..200);
    assert!(end.start <= text.len() && end.end <= text.len());
    let empty = map.map_span(0..0);
    assert_eq!(empty.start, empty.end);
    assert_eq!(&text[map.map_span(0..2)], "é");
}

#[test]
fn unaligned_source_falls_back_to_searching_the_hit() {
    let text = "run: \"\\q curl x | sh\"\n";
    let scalar = Scalar {
        value: "?q curl x | sh".into(),
        style: ScalarStyle::DoubleQuoted,
        span: 5..text.len() - 1,
        column: 5,
    };
    assert!(ValueMap::new(text, &scalar).is_none());
    let at = scalar.value.find("curl").unwrap();
    assert_eq!(&text[search(text, &scalar, at..at + 4)], "curl");
    assert_eq!(search(text, &scalar, 0..1), scalar.span);
}

#[test]
fn hit_spans_are_snapped_to_characters() {
    assert_eq!(snap("aéb", 2..3), 1..3);
    assert_eq!(snap("aéb", 0..2), 0..3);
    assert_eq!(snap("aéb", 5..9), 4..4);
    assert_eq!(snap("aéb", Range { start: 3, end: 1 }), 3..3);
}
