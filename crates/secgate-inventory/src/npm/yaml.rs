//! A small positioned YAML tree built from `saphyr-parser` events, for `pnpm-lock.yaml` and
//! berry `yarn.lock`: mappings, sequences and scalars, each scalar with its byte span, so a
//! package points at its key.
//!
//! Nodes live in one arena and refer to each other by index; aliases become another reference
//! to their anchor's node (no copies, so alias bombs cost nothing), and building never recurses.

use saphyr_parser::{Event, Marker, Parser};
use std::ops::Range;

/// Index of a node in [`Yaml`].
pub(crate) type NodeId = usize;

/// One node.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// A scalar: its value and its bytes in the file (quotes included).
    Scalar(String, Range<usize>),
    /// Key and value nodes, in file order.
    Mapping(Vec<(NodeId, NodeId)>),
    /// A sequence (no lockfile key read here holds one, so its items are not kept).
    Sequence,
    /// An alias to nothing (or to a node still being built).
    Null,
}

/// Why a text is not YAML: the byte offset the parser stopped at and its message. An offset,
/// not the parser's line: the parser also breaks lines at a lone `\r` and counts one past the
/// last line at the end of the text, so its line numbers disagree with the file's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub offset: usize,
    pub message: String,
}

/// A parsed YAML document.
#[derive(Clone, Debug, Default)]
pub(crate) struct Yaml {
    nodes: Vec<Node>,
    /// The first document's root, if any.
    pub root: Option<NodeId>,
}

enum Frame {
    Mapping(usize, Vec<(NodeId, NodeId)>, Option<NodeId>),
    Sequence(usize),
}

impl Yaml {
    /// Parses `text`; only the first document is kept.
    pub(crate) fn parse(text: &str) -> Result<Yaml, YamlError> {
        let chars = CharIndex::new(text);
        let mut yaml = Yaml::default();
        let mut anchors: std::collections::HashMap<usize, NodeId> =
            std::collections::HashMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| YamlError {
                offset: chars.byte(*e.marker()),
                message: e.info().to_owned(),
            })?;
            let (id, anchor) = match event {
                Event::Scalar(value, _, anchor, _) => {
                    let start = chars.byte(span.start);
                    let end = chars.byte(span.end).max(start);
                    (
                        yaml.push(Node::Scalar(value.into_owned(), start..end)),
                        anchor,
                    )
                }
                Event::Alias(anchor) => {
                    let id = match anchors.get(&anchor) {
                        Some(&id) => id,
                        None => yaml.push(Node::Null),
                    };
                    (id, 0)
                }
                Event::MappingStart(anchor, _) => {
                    stack.push(Frame::Mapping(anchor, Vec::new(), None));
                    continue;
                }
                Event::SequenceStart(anchor, _) => {
                    stack.push(Frame::Sequence(anchor));
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Mapping(anchor, entries, _)) => {
                        (yaml.push(Node::Mapping(entries)), anchor)
                    }
                    Some(Frame::Sequence(anchor)) => (yaml.push(Node::Sequence), anchor),
                    None => continue,
                },
                Event::DocumentEnd if yaml.root.is_some() => break,
                _ => continue,
            };
            if anchor != 0 {
                anchors.insert(anchor, id);
            }
            match stack.last_mut() {
                Some(Frame::Mapping(_, entries, key)) => match key.take() {
                    Some(k) => entries.push((k, id)),
                    None => *key = Some(id),
                },
                Some(Frame::Sequence(_)) => {}
                None => yaml.root = yaml.root.or(Some(id)),
            }
        }
        Ok(yaml)
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The node `id`.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        self.nodes.get(id).unwrap_or(&Node::Null)
    }

    /// The scalar value of `id`, if it is one.
    pub(crate) fn str(&self, id: NodeId) -> Option<&str> {
        match self.node(id) {
            Node::Scalar(value, _) => Some(value),
            _ => None,
        }
    }

    /// The bytes of scalar `id` (an empty span at 0 for other nodes).
    pub(crate) fn span(&self, id: NodeId) -> Range<usize> {
        match self.node(id) {
            Node::Scalar(_, span) => span.clone(),
            _ => 0..0,
        }
    }

    /// Whether `id` is a mapping.
    pub(crate) fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.node(id), Node::Mapping(_))
    }

    /// The entries of mapping `id` (none if it is not a mapping).
    pub(crate) fn entries(&self, id: NodeId) -> &[(NodeId, NodeId)] {
        match self.node(id) {
            Node::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The value of the last entry of mapping `id` whose key is `key`.
    pub(crate) fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.entries(id)
            .iter()
            .rev()
            .find(|(k, _)| self.str(*k) == Some(key))
            .map(|(_, v)| *v)
    }

    /// The scalar value of entry `key` of mapping `id`.
    pub(crate) fn get_str(&self, id: NodeId, key: &str) -> Option<&str> {
        self.get(id, key).and_then(|v| self.str(v))
    }

    /// `(key, value)` pairs of mapping `id` whose keys are scalars.
    pub(crate) fn pairs(&self, id: NodeId) -> impl Iterator<Item = (&str, NodeId, NodeId)> + '_ {
        self.entries(id)
            .iter()
            .filter_map(|&(k, v)| self.str(k).map(|key| (key, k, v)))
    }
}

/// Turns the parser's character indexes into byte offsets (they differ after non-ASCII text).
struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every `STRIDE`th character; empty for ASCII text, where they are equal.
    checkpoints: Vec<usize>,
}

const STRIDE: usize = 64;

impl<'a> CharIndex<'a> {
    fn new(text: &'a str) -> Self {
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(byte, _)| byte)
                .collect()
        };
        CharIndex { text, checkpoints }
    }

    fn byte(&self, marker: Marker) -> usize {
        let index = marker.index();
        if self.checkpoints.is_empty() {
            return index.min(self.text.len());
        }
        let Some(&base) = self.checkpoints.get(index / STRIDE) else {
            return self.text.len();
        };
        let rest = self.text.get(base..).unwrap_or_default();
        rest.char_indices()
            .nth(index % STRIDE)
            .map_or(self.text.len(), |(i, _)| base + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_spans_and_errors_their_line() {
        let text = "a:\n  'é@1': {x: 1}\n  b: &r [1]\n  c: *r\n";
        let yaml = Yaml::parse(text).unwrap();
        let root = yaml.root.unwrap();
        let a = yaml.get(root, "a").unwrap();
        let (key, k, v) = yaml.pairs(a).next().unwrap();
        assert_eq!(key, "é@1");
        assert_eq!(&text[yaml.span(k)], "'é@1'");
        assert_eq!(yaml.get_str(v, "x"), Some("1"));
        assert_eq!(yaml.get(a, "b"), yaml.get(a, "c"));
        let err = Yaml::parse("a: 1\nb: [\n").unwrap_err();
        assert!(err.offset >= 5, "{err:?}");
    }

    #[test]
    fn errors_are_byte_offsets_in_the_text() {
        // The parser counts the lone `\r` as a line break and reports line 3 of this one-line
        // text (by the file's `\n` lines); the offset stays inside the text.
        let text = "a\r\rb: \u{feff}";
        let err = Yaml::parse(text).unwrap_err();
        assert!(
            err.offset <= text.len() && text.is_char_boundary(err.offset),
            "{err:?}"
        );
    }
}
