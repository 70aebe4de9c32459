//! Recognizing a licence from its text, for packages that declare none (or only a
//! `license-file`).
//!
//! The engine is `spdx`'s `detection` module: askalono's n-gram matcher, inlined and maintained
//! by the `spdx` authors (cargo-deny and cargo-about use it), with the SPDX licence list's texts
//! built into the crate as a zstd cache (`detection-inline-cache`), so nothing is downloaded at
//! build or run time. The `askalono` crate itself ships no cache and would need the SPDX
//! `license-list-data` repository at run time.
//!
//! The store (about 700 licences, 100 ms and some 60 MiB to decode in a release build) is loaded
//! once per process, on the first text that needs it: most packages declare their licence and
//! never get here. With a cache directory, each result is also kept on disk by the sha256 of
//! the text ([`detect_cached`]), so a warm run never loads the store for texts it has seen.

use spdx::detection::{Store, TextData};
use std::path::Path;
use std::sync::OnceLock;

/// The best match for a text, when its score reaches the threshold.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Match {
    /// SPDX id of the licence (`MIT`, `BSD-3-Clause`, ...).
    pub id: &'static str,
    /// Match score, 0.0 to 1.0.
    pub score: f32,
}

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        Store::load_inline().expect("the licence cache built into the `spdx` crate decodes")
    })
}

/// [`detect`], remembered in `cache` (when given) under the text's `sha256`: a file
/// `<cache>/<sha256>` holding the best match's id and score, whatever the threshold, so a
/// changed threshold needs no new analysis. The cache only saves time: an unreadable or
/// malformed entry is analysed again and rewritten, and a failed write is not an error.
pub(super) fn detect_cached(
    text: &str,
    sha256: &str,
    threshold: f32,
    cache: Option<&Path>,
) -> Option<Match> {
    let Some(cache) = cache else {
        return detect(text, threshold);
    };
    let entry = cache.join(sha256);
    let cached = std::fs::read_to_string(&entry)
        .ok()
        .and_then(|line| parse_entry(&line));
    let best = if let Some(best) = cached {
        best
    } else {
        let best = best_match(text)?;
        let _ = write_entry(cache, &entry, &best);
        best
    };
    (best.score >= threshold).then_some(best)
}

fn parse_entry(line: &str) -> Option<Match> {
    let (id, score) = line.trim().split_once(' ')?;
    let id = spdx::license_id(id)?.name;
    let score: f32 = score
        .parse()
        .ok()
        .filter(|s: &f32| (0.0..=1.0).contains(s))?;
    Some(Match { id, score })
}

fn write_entry(cache: &Path, entry: &Path, best: &Match) -> std::io::Result<()> {
    std::fs::create_dir_all(cache)?;
    let tmp = entry.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, format!("{} {}\n", best.id, best.score))?;
    std::fs::rename(&tmp, entry).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The licence `text` is, if the best match scores at least `threshold`.
pub(super) fn detect(text: &str, threshold: f32) -> Option<Match> {
    best_match(text).filter(|m| m.score >= threshold)
}

/// The best match for `text`, whatever its score; `None` for an empty text.
fn best_match(text: &str) -> Option<Match> {
    if text.trim().is_empty() {
        return None;
    }
    let data = if text.contains('\r') {
        TextData::new(&text.replace("\r\n", "\n"))
    } else {
        TextData::new(text)
    };
    let licences = store();
    let found = licences.analyze(&data);
    let (id, score) = if found.name == PIXAR && !is_pixar(text) {
        let apache = licences
            .get_original(APACHE)
            .map_or(0.0, |a| a.match_score(&data));
        (APACHE, apache)
    } else {
        (found.name, found.score)
    };
    Some(Match { id, score })
}

const PIXAR: &str = "Pixar";
const APACHE: &str = "Apache-2.0";

/// The `Pixar` licence is Apache-2.0 with another section 6 and no appendix, so an Apache-2.0
/// text without its appendix (very common) scores higher as `Pixar`. Only Pixar's own section 6
/// ("except as required to comply with Section 4(c)") makes it Pixar; otherwise the text is
/// matched against Apache-2.0 alone. cargo-deny has the same correction (it checks the title).
fn is_pixar(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .to_lowercase()
        .contains("required to comply with section 4(c)")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIT: &str = "Permission is hereby granted, free of charge, to any person obtaining a copy \
of this software and associated documentation files (the \"Software\"), to deal in the Software \
without restriction, including without limitation the rights to use, copy, modify, merge, \
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to \
whom the Software is furnished to do so, subject to the following conditions:\n\n\
The above copyright notice and this permission notice shall be included in all copies or \
substantial portions of the Software.\n\n\
THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING \
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND \
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, \
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, \
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

    #[test]
    fn detections_are_remembered_by_hash_and_rejudged_against_the_threshold() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("detections");
        let mit = "Permission is hereby granted, free of charge, to any person obtaining a copy of \
                   this software and associated documentation files (the \"Software\"), to deal in \
                   the Software without restriction";
        let first = detect_cached(mit, "aa", 0.1, Some(&cache)).expect("detected");
        let stored = std::fs::read_to_string(cache.join("aa")).unwrap();
        assert!(stored.starts_with(&format!("{} ", first.id)), "{stored}");
        // A remembered answer is used as it is: the text is not analysed again.
        std::fs::write(cache.join("bb"), "BSD-3-Clause 0.9\n").unwrap();
        let cached = detect_cached("unrelated text", "bb", 0.8, Some(&cache)).unwrap();
        assert_eq!((cached.id, cached.score), ("BSD-3-Clause", 0.9));
        assert_eq!(
            detect_cached("unrelated text", "bb", 0.95, Some(&cache)),
            None
        );
        // A malformed entry is analysed again and replaced.
        std::fs::write(cache.join("aa"), "Not-A-Licence 7\n").unwrap();
        assert_eq!(detect_cached(mit, "aa", 0.1, Some(&cache)), Some(first));
        assert_eq!(std::fs::read_to_string(cache.join("aa")).unwrap(), stored);
    }

    #[test]
    fn recognizes_mit_and_rejects_prose() {
        let text = format!("MIT License\n\nCopyright (c) 2024 Someone\n\n{MIT}");
        let found = detect(&text, 0.8).expect("MIT is recognized");
        assert_eq!(found.id, "MIT");
        assert!(found.score > 0.95, "{}", found.score);
        assert_eq!(
            detect("This crate is great. Use it as you like, maybe.", 0.8),
            None
        );
        assert_eq!(detect("  \n", 0.0), None);
        // A threshold above any score rejects even an exact text.
        assert_eq!(detect(&text, 1.01), None);
    }

    #[test]
    fn apache_without_its_appendix_is_not_pixar() {
        assert!(is_pixar(
            "except as required to comply with Section 4(c) of\n   the License"
        ));
        assert!(!is_pixar(
            "except as required for reasonable and customary use in describing the origin"
        ));
    }
}
