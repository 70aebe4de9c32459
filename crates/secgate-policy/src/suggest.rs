//! "Did you mean" hints for unknown keys, codes and level names: the allowed names within a
//! small edit distance, or the whole list when nothing is close.

/// A hint for an unknown `name`: the close matches among `allowed`, else all of them.
pub(crate) fn hint(name: &str, allowed: &[&str]) -> String {
    let close = close(name, allowed);
    if close.is_empty() {
        format!("expected one of {}", list(allowed))
    } else {
        format!("did you mean {}?", list(&close))
    }
}

/// The names among `allowed` within a small edit distance of `name`, in `allowed` order.
pub(crate) fn close<'a>(name: &str, allowed: &[&'a str]) -> Vec<&'a str> {
    allowed
        .iter()
        .copied()
        .filter(|a| is_close(name, a))
        .collect()
}

/// `a`, `b` or `c`, each name in backticks.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn is_close(name: &str, candidate: &str) -> bool {
    let max = (candidate.chars().count() / 3).max(1);
    distance(name, candidate) <= max
}

/// Optimal string alignment distance: Levenshtein plus transposition of adjacent characters,
/// the most common typo (`ignroe`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpositions_and_small_edits_are_close() {
        assert_eq!(distance("ignroe", "ignore"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("db-bad-recrod", "db-bad-record"), 1);
        assert_eq!(
            hint("ignroe", &["ignore", "vulnerability"]),
            "did you mean `ignore`?"
        );
        assert_eq!(
            hint("zzz", &["allow", "warn", "deny"]),
            "expected one of `allow`, `warn` or `deny`"
        );
        assert_eq!(list(&["a"]), "`a`");
    }
}
