//! Many small network lookups at once (registry index entries, action tags): a few threads
//! take items from one queue, and the answers come back in the items' order.

use std::sync::Mutex;

/// `lookup` of every item, on at most `threads` threads, in the order of `items`.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    lookup: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = Mutex::new(items.iter().enumerate());
    let results = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let Some((i, item)) = next.lock().expect("queue lock").next() else {
                        break;
                    };
                    let answer = lookup(item);
                    results.lock().expect("results lock").push((i, answer));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(
            super::map(&items, 8, |n| n * 2),
            (0..100).map(|n| n * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u32], 8, |n| *n).is_empty());
    }
}
