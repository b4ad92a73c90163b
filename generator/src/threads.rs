//! The thread helpers: work that is the same for every file or item (reading and
//! indexing the docs, parsing pages, recognizing them, rendering diagnostics,
//! emitting files) runs on every core, on scoped threads, its results joined in the
//! order of its items so that the output does not depend on the threads.

/// `f` over `items` on up to `available_parallelism` scoped threads, each taking
/// the next item as it finishes one; the results in the order of `items`.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = Vec::with_capacity(items.len());
    std::thread::scope(|scope| {
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                done.push((i, f(item)));
            }
            done
        };
        // This thread is one of the workers.
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        out.extend(work());
        for h in handles {
            // A worker that panicked re-raises its panic here.
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
    });
    // Each index was taken once.
    out.sort_unstable_by_key(|&(i, _)| i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// `f` over `items`, taking each by value, on up to `available_parallelism` scoped
/// threads, each with an equal run of items; the results in the order of `items`.
/// For work that costs about the same per item (checking and indexing texts).
pub(crate) fn parallel_map_owned<T: Send, R: Send>(mut items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.into_iter().map(f).collect();
    }
    let run = items.len().div_ceil(workers);
    let mut runs = Vec::with_capacity(workers);
    while items.len() > run {
        runs.push(items.split_off(items.len() - run));
    }
    // The first run is this thread's; `runs` holds the others, last first.
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs.into_iter().rev().map(|run| scope.spawn(move || run.into_iter().map(f).collect::<Vec<R>>())).collect();
        let mut out: Vec<R> = items.into_iter().map(f).collect();
        for h in handles {
            // A worker that panicked re-raises its panic here.
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::{parallel_map, parallel_map_owned};

    #[test]
    fn parallel_maps_keep_the_order_of_their_items() {
        // Uneven work, so that the workers finish out of order.
        let items: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        let slow = |&n: &u64| (0..n * 50).fold(n, |a, b| a.wrapping_mul(31).wrapping_add(b)) ^ n;
        let want: Vec<u64> = items.iter().map(slow).collect();
        assert_eq!(parallel_map(&items, slow), want);
        assert_eq!(parallel_map_owned(items.clone(), |n| slow(&n)), want);
        for len in [0, 1, 2, 3, 7] {
            let few: Vec<String> = (0..len).map(|i| i.to_string()).collect();
            assert_eq!(parallel_map(&few, |s| s.len()), few.iter().map(String::len).collect::<Vec<_>>());
            assert_eq!(parallel_map_owned(few.clone(), |s| s + "!"), few.iter().map(|s| format!("{s}!")).collect::<Vec<_>>());
        }
    }
}
