//! What keeps the server up under load: a bounded number of queries
//! evaluated at once, and a watchdog that cancels each query at its deadline.
//!
//! The watchdog cancels through Oxigraph's `CancellationToken`, which the
//! evaluator checks at every quad it reads, so a cancelled query stops using
//! its core within moments instead of running on unseen.

use oxigraph::sparql::CancellationToken;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked holding the lock left plain counters behind,
    // still meaningful: keep serving.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// At most `capacity` queries are evaluated at once; the others wait.
pub struct QuerySlots {
    busy: Mutex<usize>,
    freed: Condvar,
    capacity: usize,
}

/// A query's place among the running ones, given back on drop.
pub struct Slot<'a> {
    slots: &'a QuerySlots,
}

impl QuerySlots {
    pub fn new(capacity: usize) -> Self {
        QuerySlots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            capacity: capacity.max(1),
        }
    }

    /// Waits up to `patience` for a free slot.
    pub fn acquire(&self, patience: Duration) -> Option<Slot<'_>> {
        let deadline = Instant::now() + patience;
        let mut busy = lock(&self.busy);
        while *busy >= self.capacity {
            let left = deadline.checked_duration_since(Instant::now())?;
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *busy += 1;
        Some(Slot { slots: self })
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = lock(&self.slots.busy);
        *busy = busy.saturating_sub(1);
        self.slots.freed.notify_one();
    }
}

struct Watched {
    id: u64,
    deadline: Instant,
    token: CancellationToken,
}

#[derive(Default)]
struct WatchList {
    next_id: u64,
    entries: Vec<Watched>,
}

/// One thread that cancels queries whose deadline has passed.
#[derive(Clone)]
pub struct Watchdog {
    shared: Arc<(Mutex<WatchList>, Condvar)>,
}

/// Keeps a query watched; dropping it (the query finished) unwatches it.
pub struct Watch {
    shared: Arc<(Mutex<WatchList>, Condvar)>,
    id: u64,
}

impl Watchdog {
    /// Starts the watchdog thread.
    pub fn start() -> std::io::Result<Self> {
        let shared: Arc<(Mutex<WatchList>, Condvar)> = Arc::default();
        let theirs = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("warta query watchdog".into())
            .spawn(move || watch_loop(&theirs))?;
        Ok(Watchdog { shared })
    }

    /// Cancels `token` at `deadline` unless the returned guard is dropped first.
    pub fn watch(&self, token: CancellationToken, deadline: Instant) -> Watch {
        let (list, wake) = &*self.shared;
        let mut list = lock(list);
        list.next_id += 1;
        let id = list.next_id;
        list.entries.push(Watched {
            id,
            deadline,
            token,
        });
        wake.notify_one();
        Watch {
            shared: Arc::clone(&self.shared),
            id,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut list = lock(&self.shared.0);
        list.entries.retain(|w| w.id != self.id);
    }
}

fn watch_loop(shared: &(Mutex<WatchList>, Condvar)) {
    let (list, wake) = shared;
    let mut guard = lock(list);
    loop {
        let now = Instant::now();
        guard.entries.retain(|w| {
            let due = w.deadline <= now;
            if due {
                w.token.cancel();
            }
            !due
        });
        let next = guard.entries.iter().map(|w| w.deadline).min();
        guard = match next {
            Some(deadline) => {
                let wait = deadline.saturating_duration_since(now);
                wake.wait_timeout(guard, wait)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
            None => wake.wait(guard).unwrap_or_else(PoisonError::into_inner),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_house_makes_the_next_query_wait_then_give_up() {
        let slots = QuerySlots::new(1);
        let first = slots.acquire(Duration::ZERO);
        assert!(first.is_some());
        assert!(slots.acquire(Duration::from_millis(20)).is_none());
        drop(first);
        assert!(slots.acquire(Duration::ZERO).is_some());
    }

    #[test]
    fn the_watchdog_cancels_at_the_deadline_and_not_after_unwatching() {
        let dog = Watchdog::start().expect("a thread");
        let late = CancellationToken::new();
        let _kept = dog.watch(late.clone(), Instant::now() + Duration::from_millis(30));
        let spared = CancellationToken::new();
        drop(dog.watch(spared.clone(), Instant::now() + Duration::from_millis(30)));
        std::thread::sleep(Duration::from_millis(200));
        assert!(late.is_cancelled());
        assert!(!spared.is_cancelled());
    }
}
