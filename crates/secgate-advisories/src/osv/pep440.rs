//! PEP 440 versions, ordered as Python's `packaging.version.Version` orders them: the line of
//! PyPI's `ECOSYSTEM` ranges and `versions` lists.
//!
//! Parsing accepts every spelling PEP 440 normalizes (case, a leading `v`, surrounding
//! whitespace, `alpha`/`beta`/`c`/`pre`/`preview`, `-`/`_`/`.` separators, implicit numbers,
//! `-1`/`rev`/`r` post-releases); anything else (legacy versions such as `0.4m1` or dates with
//! times) is not a version. Ordering is by epoch, then release with trailing zeros ignored
//! (`1.0 == 1.0.0`), then `dev-only < pre-releases < release < post-releases`, dev releases
//! before what they precede, and a local label after its public version.

use crate::osv::range::VersionScheme;
use std::cmp::Ordering;
use std::fmt;

/// The PEP 440 ordering.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pep440;

impl VersionScheme for Pep440 {
    type Version = Pep440Version;

    fn parse(&self, text: &str) -> Option<Pep440Version> {
        Pep440Version::parse(text)
    }

    fn compare(&self, a: &Pep440Version, b: &Pep440Version) -> Ordering {
        a.cmp(b)
    }
}

/// A pre-release phase, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreRelease {
    /// `a`, `alpha`.
    Alpha,
    /// `b`, `beta`.
    Beta,
    /// `rc`, `c`, `pre`, `preview`.
    Rc,
}

impl PreRelease {
    fn label(self) -> &'static str {
        match self {
            PreRelease::Alpha => "a",
            PreRelease::Beta => "b",
            PreRelease::Rc => "rc",
        }
    }
}

/// One dot-separated part of a local version label: numbers sort above words, and compare as
/// numbers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LocalSegment {
    /// Lower-case letters and digits, not all digits.
    Word(String),
    /// All digits.
    Number(u64),
}

impl Ord for LocalSegment {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (LocalSegment::Number(a), LocalSegment::Number(b)) => a.cmp(b),
            (LocalSegment::Word(a), LocalSegment::Word(b)) => a.cmp(b),
            (LocalSegment::Word(_), LocalSegment::Number(_)) => Ordering::Less,
            (LocalSegment::Number(_), LocalSegment::Word(_)) => Ordering::Greater,
        }
    }
}

impl PartialOrd for LocalSegment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A parsed PEP 440 version. Equality and order are PEP 440's, so `1.0 == 1.0.0`; the release
/// is kept as written so that [`fmt::Display`] gives the normalized spelling of the input.
#[derive(Clone, Debug)]
pub struct Pep440Version {
    /// `N!`; 0 when absent.
    pub epoch: u64,
    /// The release segments, at least one.
    pub release: Vec<u64>,
    /// `aN`, `bN`, `rcN`.
    pub pre: Option<(PreRelease, u64)>,
    /// `.postN`.
    pub post: Option<u64>,
    /// `.devN`.
    pub dev: Option<u64>,
    /// `+label` segments; empty without a local label.
    pub local: Vec<LocalSegment>,
}

impl Pep440Version {
    /// Parses `text` after PEP 440 normalization; `None` when it is not a PEP 440 version.
    pub fn parse(text: &str) -> Option<Pep440Version> {
        let lower = text.trim().to_ascii_lowercase();
        let mut c = Cursor {
            rest: lower.strip_prefix('v').unwrap_or(&lower),
        };
        let first = c.number()?;
        let (epoch, first) = if c.eat("!") {
            (first, c.number()?)
        } else {
            (0, first)
        };
        let mut release = vec![first];
        while let Some(after) = c.rest.strip_prefix('.')
            && after.starts_with(|ch: char| ch.is_ascii_digit())
        {
            c.rest = after;
            release.push(c.number()?);
        }
        let pre = c.pre_release().ok()?;
        let post = c.post_release().ok()?;
        let dev = c.dev_release().ok()?;
        let local = if c.eat("+") {
            local_label(c.rest)?
        } else if c.rest.is_empty() {
            Vec::new()
        } else {
            return None;
        };
        Some(Pep440Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
        })
    }

    /// The release without its trailing zeros: `1.0.0` and `1` compare equal.
    fn significant_release(&self) -> &[u64] {
        let len = self
            .release
            .iter()
            .rposition(|&n| n != 0)
            .map_or(0, |i| i + 1);
        self.release.get(..len).unwrap_or_default()
    }

    /// Where the version sits among the releases of its public number: a dev-only release
    /// (`1.0.dev0`) before every pre-release, a final or post release after them.
    fn pre_key(&self) -> (u8, Option<(PreRelease, u64)>) {
        match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (0, None),
            (Some(pre), _, _) => (1, Some(pre)),
            (None, _, _) => (2, None),
        }
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        // packaging's `_cmpkey`: a missing post sorts first, a missing dev last, a missing
        // local first; `Option`'s order gives the first, the others are spelled out.
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| self.significant_release().cmp(other.significant_release()))
            .then_with(|| self.pre_key().cmp(&other.pre_key()))
            .then_with(|| self.post.cmp(&other.post))
            .then_with(|| match (self.dev, other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(&b),
            })
            .then_with(|| self.local.cmp(&other.local))
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pep440Version {}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.epoch != 0 {
            write!(f, "{}!", self.epoch)?;
        }
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        if let Some((phase, n)) = self.pre {
            write!(f, "{}{n}", phase.label())?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        for (i, segment) in self.local.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            match segment {
                LocalSegment::Word(w) => f.write_str(w)?,
                LocalSegment::Number(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

/// A release, pre, post or dev number beyond `u64`: not a version secgate can order.
struct TooLarge;

/// The unparsed rest of a lower-cased version.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn eat(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Digits as a number; `None` without digits or when too large.
    fn number(&mut self) -> Option<u64> {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let (digits, rest) = self.rest.split_at(end);
        let n = digits.parse().ok()?;
        self.rest = rest;
        Some(n)
    }

    /// `[-_.]?label[-_.]?N?` for the first label of `labels` found; the rest is untouched
    /// when none is.
    fn labelled<T: Copy>(&mut self, labels: &[(&str, T)]) -> Result<Option<(T, u64)>, TooLarge> {
        let after_sep = self.rest.strip_prefix(['-', '_', '.']).unwrap_or(self.rest);
        let Some((rest, value)) = labels
            .iter()
            .find_map(|(label, value)| after_sep.strip_prefix(label).map(|rest| (rest, *value)))
        else {
            return Ok(None);
        };
        let number_at = rest.strip_prefix(['-', '_', '.']).unwrap_or(rest);
        if number_at.starts_with(|c: char| c.is_ascii_digit()) {
            self.rest = number_at;
            let n = self.number().ok_or(TooLarge)?;
            Ok(Some((value, n)))
        } else {
            self.rest = rest;
            Ok(Some((value, 0)))
        }
    }

    fn pre_release(&mut self) -> Result<Option<(PreRelease, u64)>, TooLarge> {
        // Longer spellings first: `preview` before `pre`, `rc` before `c`.
        self.labelled(&[
            ("alpha", PreRelease::Alpha),
            ("beta", PreRelease::Beta),
            ("preview", PreRelease::Rc),
            ("pre", PreRelease::Rc),
            ("rc", PreRelease::Rc),
            ("a", PreRelease::Alpha),
            ("b", PreRelease::Beta),
            ("c", PreRelease::Rc),
        ])
    }

    fn post_release(&mut self) -> Result<Option<u64>, TooLarge> {
        // `1.0-1`: the implicit post-release spelling.
        if let Some(rest) = self.rest.strip_prefix('-')
            && rest.starts_with(|c: char| c.is_ascii_digit())
        {
            self.rest = rest;
            return self.number().map(Some).ok_or(TooLarge);
        }
        Ok(self
            .labelled(&[("post", ()), ("rev", ()), ("r", ())])?
            .map(|((), n)| n))
    }

    fn dev_release(&mut self) -> Result<Option<u64>, TooLarge> {
        Ok(self.labelled(&[("dev", ())])?.map(|((), n)| n))
    }
}

/// The segments of a local label (`ubuntu-1.5` → `ubuntu`, 1, 5).
fn local_label(label: &str) -> Option<Vec<LocalSegment>> {
    label
        .split(['.', '-', '_'])
        .map(|part| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                None
            } else if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok().map(LocalSegment::Number)
            } else {
                Some(LocalSegment::Word(part.to_owned()))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Pep440Version {
        Pep440Version::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn spellings_normalize() {
        for (text, normal) in [
            ("1.0", "1.0"),
            (" V1.0 ", "1.0"),
            ("1.0ALPHA1", "1.0a1"),
            ("1.0-beta.2", "1.0b2"),
            ("1.0c1", "1.0rc1"),
            ("1.0pre", "1.0rc0"),
            ("1.0preview_3", "1.0rc3"),
            ("1.0-1", "1.0.post1"),
            ("1.0rev", "1.0.post0"),
            ("1.0-r-4", "1.0.post4"),
            ("1.0.post", "1.0.post0"),
            ("1.0dev", "1.0.dev0"),
            ("1.0-DEV-7", "1.0.dev7"),
            ("1!2.0", "1!2.0"),
            ("0!2.0", "2.0"),
            ("1.0+Ubuntu-1_5", "1.0+ubuntu.1.5"),
            ("1.0a1.post2.dev3+x", "1.0a1.post2.dev3+x"),
            ("v2019.1", "2019.1"),
        ] {
            assert_eq!(v(text).to_string(), normal, "{text}");
        }
    }

    #[test]
    fn non_versions_are_rejected() {
        for text in [
            "",
            "v",
            "1.",
            "1..0",
            "0.4m1",
            "2019-09-12",
            "0.2.0-n653",
            "1.0+",
            "1.0+a..b",
            "1.0 beta",
            "1.0.dev1.post1",
            "99999999999999999999",
        ] {
            assert!(Pep440Version::parse(text).is_none(), "{text}");
        }
    }

    #[test]
    fn order_follows_packaging() {
        let line = [
            "1.0.dev0",
            "1.0a0.dev0",
            "1.0a0",
            "1.0a1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.5",
            "1.0+5",
            "1.0.post0.dev0",
            "1.0.post0",
            "1.0.post1",
            "1.1.dev0",
            "2.0",
            "1!0.1",
        ];
        for pair in line.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1.0a"), v("1.0.0alpha0"));
        assert_ne!(v("1.0"), v("1.0+0"));
        assert!(
            v("1.0+abc.5") < v("1.0+abc.10"),
            "local numbers compare as numbers"
        );
    }
}
