//! A small program with two dependencies, checked by secgate in CI.

use option_ext::OptionExt;
use smallvec::SmallVec;

fn main() {
    let mut words: SmallVec<[&str; 4]> = SmallVec::new();
    words.extend(["supply", "chain", "gate"]);
    let first = words.first().copied();
    println!("{} words, first is {}", words.len(), first.map_or("none", |w| w));
    println!("contains \"gate\": {}", words.iter().any(|w| *w == "gate"));
    println!("first is \"supply\": {}", first.contains(&"supply"));
}
