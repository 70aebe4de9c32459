//! File globs for `[pins] ignore` paths: `*` matches within one path segment, `**` any number
//! of whole segments, `?` one character; everything else matches itself. Paths are relative
//! to the scanned root and `/`-separated, as in findings.

/// Whether `path` matches `pattern`.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    segments(&pattern, &path)
}

fn segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => segment(first, name) && segments(rest, path_rest),
            None => false,
        },
    }
}

/// One segment: `*` and `?` wildcards, by characters.
fn segment(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Classic two-pointer wildcard match with backtracking to the last `*`.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn stars_stay_in_a_segment_and_double_stars_cross_them() {
        assert!(glob_match("Dockerfile", "Dockerfile"));
        assert!(!glob_match("Dockerfile", "docker/Dockerfile"));
        assert!(glob_match("docker/*", "docker/Dockerfile"));
        assert!(glob_match("*.Dockerfile", "dev.Dockerfile"));
        assert!(!glob_match("*.Dockerfile", "docker/dev.Dockerfile"));
        assert!(glob_match("**/Dockerfile", "Dockerfile"));
        assert!(glob_match("**/Dockerfile", "a/b/Dockerfile"));
        assert!(glob_match(
            ".github/workflows/*.yml",
            ".github/workflows/ci.yml"
        ));
        assert!(glob_match("requirements/**", "requirements/dev/x.txt"));
        assert!(glob_match("req?.txt", "req1.txt"));
        assert!(!glob_match("req?.txt", "req12.txt"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
    }
}
