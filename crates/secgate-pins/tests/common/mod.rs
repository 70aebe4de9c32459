//! What every corpus test of the pinning gate needs: the shared corpus, found through
//! `SECGATE_SHARED`, else `../shared` next to the repository. A missing corpus fails the test:
//! these tests must never pass by checking nothing.
#![allow(dead_code)]

use std::path::PathBuf;

/// The corpus directory.
pub fn corpus() -> PathBuf {
    let shared = std::env::var_os("SECGATE_SHARED").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    );
    let corpus = shared.join("corpus");
    assert!(
        corpus.is_dir(),
        "the shared corpus is missing at {}: set SECGATE_SHARED to the shared directory",
        corpus.display()
    );
    corpus
}

/// The text of `project/path` in the corpus.
pub fn read(path: &str) -> String {
    let full = corpus().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}
