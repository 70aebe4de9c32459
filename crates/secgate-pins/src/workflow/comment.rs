//! The comment after a pinned `uses:` value and the version it names: `# v4.2.2`, `# 6.0.2`,
//! Renovate's `# tag=v3.1.0` and `# pin @v2`, ratchet's `# ratchet:owner/repo@v4`.

use std::ops::Range;

/// A comment on the line of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comment {
    /// From `#` to the last non-blank character of the line.
    pub whole: Range<usize>,
    /// The text after `#`, without surrounding blanks (possibly empty).
    pub text: Range<usize>,
}

/// The comment that follows a value ending at byte `value_end` on the same line, if the rest of
/// the line is one. The value's span must end after its closing quote, so a `#` inside quotes is
/// never taken for a comment.
pub(crate) fn trailing_comment(text: &str, value_end: usize) -> Option<Comment> {
    let rest = text.get(value_end..)?;
    let line = rest.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    let after_blanks = line.trim_start_matches([' ', '\t']);
    let body = after_blanks.strip_prefix('#')?;
    let hash = value_end + (line.len() - after_blanks.len());
    let body_start = hash + 1 + (body.len() - body.trim_start().len());
    let body_end = hash + 1 + body.trim_end().len();
    Some(Comment {
        whole: hash..body_end.max(hash + 1),
        text: body_start..body_end.max(body_start),
    })
}

/// The bytes of the first version-like word of `comment`, without a `tag=` prefix or anything
/// up to an `@`, and without surrounding punctuation.
pub(crate) fn version_token(comment: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    for word in comment.split([' ', '\t']) {
        let start = offset;
        offset += word.len() + 1;
        let mut from = start;
        let mut token = word;
        if let Some(rest) = token.strip_prefix("tag=") {
            from += 4;
            token = rest;
        }
        if let Some(at) = token.rfind('@') {
            from += at + 1;
            token = &token[at + 1..];
        }
        let trimmed_start = token.trim_start_matches(['(', '[', '"', '\'']);
        from += token.len() - trimmed_start.len();
        let token = trimmed_start.trim_end_matches([')', ']', ',', ';', ':', '.', '"', '\'']);
        if is_version(token) {
            return Some(from..from + token.len());
        }
    }
    None
}

/// Whether `s` looks like a release version: `v4`, `v1.12.0`, `6.0.2`, `v2.0.0-beta.1`. A bare
/// number needs a dot (`6.0`) so that `# 2 runners` is not a version.
pub(crate) fn is_version(s: &str) -> bool {
    let (has_v, rest) = match s.strip_prefix(['v', 'V']) {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (core, suffix) = match rest.find(['-', '+']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let mut parts = 0;
    for part in core.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        parts += 1;
    }
    (has_v || parts >= 2)
        && suffix.is_none_or(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(comment: &str) -> Option<&str> {
        version_token(comment).map(|r| &comment[r])
    }

    #[test]
    fn versions_in_comments() {
        assert_eq!(token("v6.0.2"), Some("v6.0.2"));
        assert_eq!(token("6.0.2"), Some("6.0.2"));
        assert_eq!(token("v4"), Some("v4"));
        assert_eq!(token("v1.12.0"), Some("v1.12.0"));
        assert_eq!(token("v2.0.0-beta.1"), Some("v2.0.0-beta.1"));
        assert_eq!(token("tag=v3.1.0"), Some("v3.1.0"));
        assert_eq!(token("pin @v2"), Some("v2"));
        assert_eq!(token("ratchet:actions/checkout@v4"), Some("v4"));
        assert_eq!(token("renovate: tag=v1.2.3, node20"), Some("v1.2.3"));
        assert_eq!(token("(v3.26)"), Some("v3.26"));
    }

    #[test]
    fn non_versions_in_comments() {
        assert_eq!(token(""), None);
        assert_eq!(token("main"), None);
        assert_eq!(token("stable branch"), None);
        assert_eq!(token("2 runners"), None);
        assert_eq!(token("v"), None);
        assert_eq!(token("v1..2"), None);
        assert_eq!(token("v1.2-"), None);
        assert_eq!(token("vé1"), None);
    }

    #[test]
    fn comment_after_value_on_the_same_line() {
        let text = "uses: a/b@x   #  v1.2.3  \nnext: 1 # other\n";
        let end = text.find("   #").unwrap();
        let c = trailing_comment(text, end).unwrap();
        assert_eq!(&text[c.whole], "#  v1.2.3");
        assert_eq!(&text[c.text], "v1.2.3");
        let c = trailing_comment("a: b #\r\n", 4).unwrap();
        assert_eq!((c.whole, c.text), (5..6, 6..6));
        assert_eq!(trailing_comment("a: b\n# next line\n", 4), None);
        assert_eq!(trailing_comment("a: b, c # d\n", 4), None);
        assert_eq!(trailing_comment("a: b", 99), None);
    }
}
