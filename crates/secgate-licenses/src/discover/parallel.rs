//! Spreading independent jobs (manifests to parse, packages to look up) over a few threads.
//!
//! Work is handed out in small batches from a shared counter rather than in one fixed chunk per
//! thread: a job can be far slower than the others (the first licence text to match loads the
//! detection store, about 100 ms), and the other threads should take over the rest meanwhile.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items a thread takes at a time.
const BATCH: usize = 8;

/// Runs `f` on every item on up to 8 threads and returns the results in item order, so the
/// output does not depend on scheduling.
pub(super) fn map_items<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8)
        .min(items.len().div_ceil(BATCH));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(BATCH, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + BATCH).min(items.len());
            done.extend((start..end).map(|i| (i, f(&items[i]))));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        for handle in handles {
            for (i, result) in handle.join().expect("licence discovery thread panicked") {
                slots[i] = Some(result);
            }
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every item was taken by a thread"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_item_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = super::map_items(&items, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map_items(&[] as &[u32], |i| *i).is_empty());
        assert_eq!(super::map_items(&[7u32], |i| i + 1), [8]);
    }
}
