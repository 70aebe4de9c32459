//! OpenSSH pattern lists (`match_pattern_list` in OpenSSH's `match.c`), used for the principals
//! and the `namespaces` of an allowed-signers line.
//!
//! A list is comma-separated; each pattern may use `*` (any run of characters) and `?` (one
//! character), and a leading `!` negates it. A name matches the list when some positive
//! pattern matches it and no negated pattern does: a negated match wins over any positive one,
//! whatever the order. Matching is case-sensitive, as OpenSSH does for principals and
//! namespaces.

/// Whether `name` matches the comma-separated pattern list `list`.
pub(crate) fn matches_list(name: &str, list: &str) -> bool {
    let mut positive = false;
    for pattern in list.split(',') {
        match pattern.strip_prefix('!') {
            Some(negated) if matches(name, negated) => return false,
            Some(_) => {}
            None => positive |= matches(name, pattern),
        }
    }
    positive
}

/// Whether `name` matches the single wildcard `pattern`.
pub(crate) fn matches(name: &str, pattern: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    matches_chars(&name, &pattern)
}

/// Iterative wildcard matching with single-star backtracking: linear in practice and never
/// recursive, so a hostile pattern such as `*a*a*a*a*b` cannot blow the stack.
fn matches_chars(name: &[char], pattern: &[char]) -> bool {
    let (mut n, mut p) = (0, 0);
    // After the last `*` seen: the pattern position following it, and the name position it
    // currently stands for the run up to.
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p + 1, n));
                p += 1;
            }
            Some(&c) if c == '?' || Some(&c) == name.get(n) => {
                n += 1;
                p += 1;
            }
            _ => match star {
                // Let the last star swallow one more character and retry from there.
                Some((after_star, swallowed)) => {
                    star = Some((after_star, swallowed + 1));
                    p = after_star;
                    n = swallowed + 1;
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::{matches, matches_list};

    #[test]
    fn wildcards_match_runs_and_single_characters() {
        assert!(matches("alice@example.com", "*@example.com"));
        assert!(matches("alice@example.com", "alice@example.co?"));
        assert!(matches("alice@example.com", "*"));
        assert!(matches("", "*"));
        assert!(matches("abcabd", "*ab?"));
        assert!(!matches("alice@example.org", "*@example.com"));
        assert!(!matches("alice", "alice?"));
        assert!(!matches("Alice", "alice"));
        assert!(!matches(
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "*a*a*a*a*a*a*a*a*b"
        ));
    }

    #[test]
    fn lists_need_a_positive_match_and_no_negated_one() {
        assert!(matches_list("bob@example.com", "alice@x,*@example.com"));
        assert!(!matches_list("bob@example.com", "alice@x"));
        assert!(!matches_list(
            "mallory@example.com",
            "*@example.com,!mallory@*"
        ));
        assert!(!matches_list(
            "mallory@example.com",
            "!mallory@*,*@example.com"
        ));
        assert!(!matches_list("bob@example.com", "!mallory@*"));
        assert!(matches_list("git", "file,git"));
        assert!(!matches_list("git", ""));
    }
}
