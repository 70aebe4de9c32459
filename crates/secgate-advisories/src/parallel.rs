//! Splitting a list of independent jobs (record files, archive entries) over a few threads.

/// Runs `f` on consecutive chunks of `items`, one chunk per thread (at most 8), and returns the
/// results in chunk order, so the output does not depend on scheduling.
pub(crate) fn map_chunks<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let chunk = items.len().div_ceil(threads).max(1);
    if items.len() <= chunk {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("advisory parser thread panicked"))
            .collect()
    })
}
