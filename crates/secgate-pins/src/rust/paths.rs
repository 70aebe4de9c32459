//! Directory arithmetic on `/`-separated paths relative to the scanned root (`""` is the root),
//! and the glob subset Cargo's `workspace.members` uses: `*` and `?` inside one path segment,
//! `**` for any number of segments.

/// `relative` (from a manifest, e.g. `../lib` or `./crates/*`) resolved against `dir`, with `.`
/// and `..` removed; `None` when it leaves the scanned root or is absolute.
pub(super) fn join(dir: &str, relative: &str) -> Option<String> {
    let relative = relative.replace('\\', "/");
    if relative.starts_with('/') || relative.as_bytes().get(1) == Some(&b':') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Whether `path` is `dir` or inside it.
pub(super) fn is_within(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The directories enclosing `dir`, nearest first, ending with the root `""`.
pub(super) fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = parent(dir);
    std::iter::from_fn(move || {
        let current = next?;
        next = parent(current);
        Some(current)
    })
}

fn parent(dir: &str) -> Option<&str> {
    (!dir.is_empty()).then(|| dir.rsplit_once('/').map_or("", |(parent, _)| parent))
}

/// Whether `pattern` contains glob characters.
pub(super) fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether the path `path` matches the glob `pattern` (both normalized by [`join`]).
pub(super) fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let path: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    segments_match(&pattern, &path)
}

fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((first, rest)) => path
            .split_first()
            .is_some_and(|(seg, tail)| segment_match(first, seg) && segments_match(rest, tail)),
    }
}

/// `*` (any run of characters) and `?` (one character) within one segment.
fn segment_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Classic two-pointer wildcard matching with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalizes() {
        assert_eq!(join("", "crates/a").as_deref(), Some("crates/a"));
        assert_eq!(
            join("rust", "./core-lib/").as_deref(),
            Some("rust/core-lib")
        );
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("a", "..").as_deref(), Some(""));
        assert_eq!(join("", "../outside"), None);
        assert_eq!(join("", "/abs"), None);
        assert_eq!(join("", "C:\\x"), None);
    }

    #[test]
    fn within_and_ancestors() {
        assert!(is_within("a/b", ""));
        assert!(is_within("a/b", "a"));
        assert!(!is_within("ab/c", "a"));
        let up: Vec<_> = ancestors("a/b/c").collect();
        assert_eq!(up, ["a/b", "a", ""]);
        assert_eq!(ancestors("a").collect::<Vec<_>>(), [""]);
        assert!(ancestors("").next().is_none());
    }

    #[test]
    fn globs() {
        assert!(is_glob("crates/*") && !is_glob("crates/a"));
        assert!(glob_match("crates/*", "crates/a"));
        assert!(!glob_match("crates/*", "crates/a/b"));
        assert!(!glob_match("crates/*", "crates"));
        assert!(glob_match("crates/nu_*", "crates/nu_plugin"));
        assert!(!glob_match("crates/nu_*", "crates/nu-cli"));
        assert!(glob_match("c?ates/*-x", "crates/a-b-x"));
        assert!(glob_match("**/x", "a/b/x"));
        assert!(glob_match("**/x", "x"));
        assert!(glob_match("a/**", "a/b/c"));
        assert!(glob_match("*é", "café"));
    }
}
