//! Naming many things in one error line: the first few, then how many more.

/// The first `shown` of `names`, comma-separated, and ` and N more` when there are more.
pub fn first_of(names: impl ExactSizeIterator<Item = String>, shown: usize) -> String {
    let total = names.len();
    let listed: Vec<String> = names.take(shown).collect();
    let more = total.saturating_sub(shown);
    if more > 0 {
        format!("{} and {more} more", listed.join(", "))
    } else {
        listed.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::first_of;

    #[test]
    fn names_the_first_and_counts_the_rest() {
        let names = || ["a", "b", "c"].iter().map(|s| (*s).to_owned());
        assert_eq!(first_of(names(), 2), "a, b and 1 more");
        assert_eq!(first_of(names(), 3), "a, b, c");
        assert_eq!(first_of(std::iter::empty(), 3), "");
    }
}
