//! Recognizing a licence from its text, for packages that declare none (or only a
//! `license-file`).
//!
//! The engine is `spdx`'s `detection` module: askalono's n-gram matcher, inlined and maintained
//! by the `spdx` authors (cargo-deny and cargo-about use it), with the SPDX licence list's texts
//! built into the crate as a zstd cache (`detection-inline-cache`), so nothing is downloaded at
//! build or run time. The `askalono` crate itself ships no cache and would need the SPDX
//! `license-list-data` repository at run time.
//!
//! The store (about 700 licences, 100 ms to decode in a release build) is loaded once per
//! process, on the first text that needs it: most packages declare their licence and never get
//! here.

use spdx::detection::{Store, TextData};
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

/// The licence `text` is, if the best match scores at least `threshold`.
pub(super) fn detect(text: &str, threshold: f32) -> Option<Match> {
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
    (score >= threshold).then_some(Match { id, score })
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
