//! Mutations of real input files: what a damaged checkout, a Windows editor, a bad merge or a
//! hostile pull request can do to a lockfile, a workflow or an advisory record.
//!
//! Every mutation is drawn from a deterministic xorshift generator, so a failing case is
//! reproduced by its seed and described by its `Display` text in the failure message.

use std::fmt;
use std::io;
use std::path::Path;

/// A small xorshift64 generator: deterministic across platforms and runs.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (zero is replaced, xorshift would stay at zero).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }
}

/// How a mutation relates to the original file, which decides what the gate must do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The same content in another spelling (CRLF, UTF-8 BOM): same findings as the original.
    Equivalent,
    /// Not text in the file's format (UTF-16, NUL bytes): an error, unless handled losslessly.
    Undecodable,
    /// Random damage that may or may not still parse.
    Damaging,
    /// The file cannot be read as a file (dangling symlink, a directory of that name).
    Unreadable,
    /// The file is a symlink to a real file outside the scanned root.
    Outside,
}

/// One mutation of one file.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Keep only the first `at` bytes.
    Truncate { at: usize },
    /// XOR the byte at each offset with the given non-zero mask.
    FlipBytes { at: Vec<(usize, u8)> },
    /// Repeat lines `from..to` (0-based) right after themselves.
    DuplicateLines { from: usize, to: usize },
    /// Re-encode as UTF-16 LE with a byte order mark.
    Utf16Le,
    /// Prefix a UTF-8 byte order mark.
    Utf8Bom,
    /// Turn every LF line ending into CRLF.
    Crlf,
    /// Insert a NUL byte at each offset.
    InsertNul { at: Vec<usize> },
    /// Insert 2 MiB without a newline at the start of line `line`.
    HugeLine { line: usize },
    /// Replace the file by a symlink to a real file outside the root.
    SymlinkOutside,
    /// Replace the file by a symlink to nothing.
    DanglingSymlink,
    /// Replace the file by an empty directory of the same name.
    DirectoryInstead,
}

/// Number of mutation kinds [`Mutation::draw`] chooses from.
pub const MUTATIONS: usize = 11;

/// Bytes of the huge line.
const HUGE_LINE: usize = 2 * 1024 * 1024;

impl Mutation {
    /// Mutation number `which` (modulo [`MUTATIONS`]) for a file holding `original`, with its
    /// offsets drawn from `rng`.
    pub fn draw(which: usize, rng: &mut Rng, original: &[u8]) -> Self {
        let len = original.len();
        let lines = line_count(original);
        match which % MUTATIONS {
            0 => Self::Truncate { at: rng.below(len) },
            1 => Self::FlipBytes {
                at: (0..=rng.below(4))
                    .map(|_| (rng.below(len), 1 + rng.below(255) as u8))
                    .collect(),
            },
            2 => {
                let from = rng.below(lines);
                let to = from + 1 + rng.below((lines - from).min(20));
                Self::DuplicateLines { from, to }
            }
            3 => Self::Utf16Le,
            4 => Self::Utf8Bom,
            5 => Self::Crlf,
            6 => Self::InsertNul {
                at: (0..=rng.below(3)).map(|_| rng.below(len + 1)).collect(),
            },
            7 => Self::HugeLine {
                line: rng.below(lines),
            },
            8 => Self::SymlinkOutside,
            9 => Self::DanglingSymlink,
            _ => Self::DirectoryInstead,
        }
    }

    /// What the gate must make of the mutated file.
    pub fn kind(&self) -> Kind {
        match self {
            Self::Utf8Bom | Self::Crlf => Kind::Equivalent,
            Self::Utf16Le | Self::InsertNul { .. } => Kind::Undecodable,
            Self::Truncate { .. }
            | Self::FlipBytes { .. }
            | Self::DuplicateLines { .. }
            | Self::HugeLine { .. } => Kind::Damaging,
            Self::DanglingSymlink | Self::DirectoryInstead => Kind::Unreadable,
            Self::SymlinkOutside => Kind::Outside,
        }
    }

    /// Applies the mutation to `file`, whose original content is `original`; `outside` is the
    /// real file a [`Mutation::SymlinkOutside`] points at.
    pub fn apply(&self, file: &Path, original: &[u8], outside: &Path) -> io::Result<()> {
        match self {
            Self::SymlinkOutside => replace_by_symlink(file, outside),
            Self::DanglingSymlink => {
                replace_by_symlink(file, &file.with_file_name("no-such-file-anywhere"))
            }
            Self::DirectoryInstead => {
                std::fs::remove_file(file)?;
                std::fs::create_dir(file)
            }
            text => std::fs::write(file, text.mutate(original)),
        }
    }

    /// The mutated bytes (the content mutations; the others return `original`).
    pub fn mutate(&self, original: &[u8]) -> Vec<u8> {
        match self {
            Self::Truncate { at } => original.get(..*at).unwrap_or(original).to_vec(),
            Self::FlipBytes { at } => {
                let mut out = original.to_vec();
                for &(offset, mask) in at {
                    if let Some(byte) = out.get_mut(offset) {
                        *byte ^= mask;
                    }
                }
                out
            }
            Self::DuplicateLines { from, to } => {
                let lines: Vec<&[u8]> = original.split_inclusive(|&b| b == b'\n').collect();
                let to = (*to).min(lines.len());
                let from = (*from).min(to);
                let mut out = Vec::with_capacity(original.len() * 2);
                for line in lines[..to]
                    .iter()
                    .chain(&lines[from..to])
                    .chain(&lines[to..])
                {
                    out.extend_from_slice(line);
                }
                out
            }
            Self::Utf16Le => {
                let mut out = vec![0xFF, 0xFE];
                for unit in String::from_utf8_lossy(original).encode_utf16() {
                    out.extend_from_slice(&unit.to_le_bytes());
                }
                out
            }
            Self::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], original].concat(),
            Self::Crlf => {
                let mut out = Vec::with_capacity(original.len() + original.len() / 16);
                let mut previous = 0;
                for &b in original {
                    if b == b'\n' && previous != b'\r' {
                        out.push(b'\r');
                    }
                    out.push(b);
                    previous = b;
                }
                out
            }
            Self::InsertNul { at } => {
                let mut out = original.to_vec();
                let mut offsets = at.clone();
                // From the end, so earlier offsets stay where they were drawn.
                offsets.sort_unstable_by(|a, b| b.cmp(a));
                for offset in offsets {
                    out.insert(offset.min(out.len()), 0);
                }
                out
            }
            Self::HugeLine { line } => {
                let start = line_start(original, *line);
                let mut out = Vec::with_capacity(original.len() + HUGE_LINE);
                out.extend_from_slice(&original[..start]);
                out.resize(start + HUGE_LINE, b'x');
                out.extend_from_slice(&original[start..]);
                out
            }
            Self::SymlinkOutside | Self::DanglingSymlink | Self::DirectoryInstead => {
                original.to_vec()
            }
        }
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncate { at } => write!(f, "truncated to {at} bytes"),
            Self::FlipBytes { at } => write!(f, "bytes flipped (offset, xor mask): {at:?}"),
            Self::DuplicateLines { from, to } => {
                write!(f, "lines {}..={} duplicated after themselves", from + 1, to)
            }
            Self::Utf16Le => f.write_str("re-encoded as UTF-16 LE with a BOM"),
            Self::Utf8Bom => f.write_str("UTF-8 BOM added"),
            Self::Crlf => f.write_str("line endings converted to CRLF"),
            Self::InsertNul { at } => write!(f, "NUL bytes inserted at offsets {at:?}"),
            Self::HugeLine { line } => {
                write!(
                    f,
                    "2 MiB without a newline inserted before line {}",
                    line + 1
                )
            }
            Self::SymlinkOutside => {
                f.write_str("replaced by a symlink to a lockfile outside the root")
            }
            Self::DanglingSymlink => f.write_str("replaced by a dangling symlink"),
            Self::DirectoryInstead => f.write_str("replaced by a directory of the same name"),
        }
    }
}

fn replace_by_symlink(file: &Path, target: &Path) -> io::Result<()> {
    std::fs::remove_file(file)?;
    std::os::unix::fs::symlink(target, file)
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.split_inclusive(|&b| b == b'\n').count().max(1)
}

/// Byte offset where 0-based line `line` starts (the end of the text past the last line).
fn line_start(bytes: &[u8], line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 1)
        .map_or(bytes.len(), |(i, _)| i + 1)
}
