//! A small positioned YAML tree built from `saphyr-parser` events: mappings, sequences and
//! scalars, each scalar with its value, style and byte span in the file, so a finding can point
//! at the real text.
//!
//! Nodes live in one arena and refer to each other by index. Aliases are not copied: an alias
//! becomes another reference to its anchor's node, so alias bombs cost nothing, and neither
//! building nor dropping the tree recurses. Nesting deeper than [`MAX_DEPTH`] is dropped (no
//! workflow key the gate reads is that deep).

use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;
use std::ops::Range;

/// Containers nested deeper than this are replaced by [`Node::Null`].
const MAX_DEPTH: usize = 64;

/// Index of a node in [`Yaml`].
pub(crate) type NodeId = usize;

/// A scalar with where it is.
#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    /// The value after YAML processing (quotes, escapes, folding, chomping).
    pub value: String,
    /// How it was written.
    pub style: ScalarStyle,
    /// Bytes of the file: quotes included; for block scalars from the first content character
    /// (after the header line and leading blank lines) to the end of the last content line.
    pub span: Range<usize>,
    /// Column (0-based, in characters) of the span's start: a block scalar's indentation.
    pub column: usize,
}

/// One node.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// A scalar.
    Scalar(Scalar),
    /// Key and value nodes, in file order.
    Mapping(Vec<(NodeId, NodeId)>),
    /// Items, in file order.
    Sequence(Vec<NodeId>),
    /// Too deep, or an alias to a node still being built (a cycle).
    Null,
}

/// Why a text is not YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The parser's message.
    pub message: String,
}

/// A parsed YAML stream.
#[derive(Clone, Debug, Default)]
pub(crate) struct Yaml {
    nodes: Vec<Node>,
    /// The root node of each document.
    pub roots: Vec<NodeId>,
}

/// A container being built.
enum Frame {
    Mapping {
        anchor: usize,
        entries: Vec<(NodeId, NodeId)>,
        key: Option<NodeId>,
    },
    Sequence {
        anchor: usize,
        items: Vec<NodeId>,
    },
}

impl Yaml {
    /// Parses every document of `text`.
    pub(crate) fn parse(text: &str) -> Result<Yaml, YamlError> {
        let chars = CharIndex::new(text);
        let mut yaml = Yaml::default();
        let mut anchors: HashMap<usize, NodeId> = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        // Containers entered below MAX_DEPTH that are being skipped.
        let mut skipped = 0usize;
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| YamlError {
                line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
                message: e.info().to_owned(),
            })?;
            if skipped > 0 {
                match event {
                    Event::MappingStart(..) | Event::SequenceStart(..) => skipped += 1,
                    Event::MappingEnd | Event::SequenceEnd => {
                        skipped -= 1;
                        if skipped == 0 {
                            let id = yaml.push(Node::Null);
                            yaml.attach(&mut stack, id);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            let id = match event {
                Event::Scalar(value, style, anchor, _) => {
                    let start = chars.byte(span.start);
                    let mut end = chars.byte(span.end).max(start);
                    // A quoted scalar's span runs on over trailing blanks and a comment.
                    if let Some(close) = closing_quote(text, start, style) {
                        end = end.min(close);
                    }
                    let node = Node::Scalar(Scalar {
                        value: value.into_owned(),
                        style,
                        span: start..end,
                        column: span.start.col(),
                    });
                    let id = yaml.push(node);
                    if anchor != 0 {
                        anchors.insert(anchor, id);
                    }
                    id
                }
                Event::Alias(anchor) => match anchors.get(&anchor) {
                    Some(&id) => id,
                    None => yaml.push(Node::Null),
                },
                Event::MappingStart(..) | Event::SequenceStart(..) if stack.len() >= MAX_DEPTH => {
                    skipped = 1;
                    continue;
                }
                Event::MappingStart(anchor, _) => {
                    stack.push(Frame::Mapping {
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    });
                    continue;
                }
                Event::SequenceStart(anchor, _) => {
                    stack.push(Frame::Sequence {
                        anchor,
                        items: Vec::new(),
                    });
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let (anchor, node) = match stack.pop() {
                        Some(Frame::Mapping {
                            anchor, entries, ..
                        }) => (anchor, Node::Mapping(entries)),
                        Some(Frame::Sequence { anchor, items }) => (anchor, Node::Sequence(items)),
                        None => continue,
                    };
                    let id = yaml.push(node);
                    // Registered only when complete, so an alias inside its own anchor is Null.
                    if anchor != 0 {
                        anchors.insert(anchor, id);
                    }
                    id
                }
                _ => continue,
            };
            yaml.attach(&mut stack, id);
        }
        Ok(yaml)
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Puts a finished node into the container being built, or makes it a document root.
    fn attach(&mut self, stack: &mut [Frame], id: NodeId) {
        match stack.last_mut() {
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, id)),
                None => *key = Some(id),
            },
            Some(Frame::Sequence { items, .. }) => items.push(id),
            None => self.roots.push(id),
        }
    }

    /// The node `id`.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        self.nodes.get(id).unwrap_or(&Node::Null)
    }

    /// The scalar `id`, if it is one.
    pub(crate) fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match self.node(id) {
            Node::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of mapping `id` (none if it is not a mapping).
    pub(crate) fn entries(&self, id: NodeId) -> &[(NodeId, NodeId)] {
        match self.node(id) {
            Node::Mapping(entries) => entries,
            _ => &[],
        }
    }

    /// The items of sequence `id` (none if it is not a sequence).
    pub(crate) fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id) {
            Node::Sequence(items) => items,
            _ => &[],
        }
    }

    /// The value of every entry of mapping `id` whose key is the scalar `key`. Duplicate keys
    /// are all returned: GitHub rejects them, but the gate must not miss one.
    pub(crate) fn get_all<'a>(
        &'a self,
        id: NodeId,
        key: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.entries(id)
            .iter()
            .filter(move |(k, _)| self.key_is(*k, key))
            .map(|(_, v)| *v)
    }

    /// The value of the first entry of mapping `id` whose key is `key`.
    #[cfg(test)]
    pub(crate) fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get_all(id, key).next()
    }

    /// The key of an entry as text, for messages (`?` for a non-scalar key).
    pub(crate) fn key_text(&self, id: NodeId) -> &str {
        self.scalar(id).map_or("?", |s| s.value.as_str())
    }

    fn key_is(&self, id: NodeId, key: &str) -> bool {
        self.scalar(id).is_some_and(|s| s.value == key)
    }
}

/// The byte after the closing quote of the quoted scalar whose opening quote is at `start`.
fn closing_quote(text: &str, start: usize, style: ScalarStyle) -> Option<usize> {
    let quote = match style {
        ScalarStyle::SingleQuoted => '\'',
        ScalarStyle::DoubleQuoted => '"',
        _ => return None,
    };
    let body_start = start + 1;
    let body = text.get(body_start..)?;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            // Whatever follows a backslash is escaped, a quote included.
            chars.next();
        } else if c == quote {
            // `''` is an escaped quote inside single quotes.
            if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
            } else {
                return Some(body_start + i + 1);
            }
        }
    }
    None
}

/// Turns the parser's character indexes into byte offsets (they differ after non-ASCII text).
struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of every `STRIDE`th character; empty for ASCII text, where they are equal.
    checkpoints: Vec<usize>,
}

/// Characters between two checkpoints.
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

    /// The byte offset of `marker` (the end of the text past its last character).
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
mod tests;
