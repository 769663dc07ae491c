//! Runs a scenario's replications on worker threads.
//!
//! Replication r always uses the streams of (seed, r) and its result lands in slot r, so the
//! merged output is the same whatever the thread count or the order in which threads finish.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use super::centre::Centre;
use crate::report::recorder::ReplicationStats;
use crate::scenario::Scenario;

/// Runs every replication of `scenario` on up to `threads` threads (at least one) and returns
/// the results in replication order. `on_done` is called after each replication (for progress).
pub fn run_replications(
    scenario: &Scenario,
    threads: usize,
    on_done: &(dyn Fn() + Sync),
) -> Vec<ReplicationStats> {
    let n = scenario.replications;
    let threads = threads.clamp(1, n.max(1) as usize);
    let next = AtomicU32::new(0);
    let slots: Mutex<Vec<Option<ReplicationStats>>> = Mutex::new(vec![None; n as usize]);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= n {
                        break;
                    }
                    let stats = Centre::new(scenario.centre.clone(), scenario.seed, r).run();
                    slots
                        .lock()
                        .expect("no worker panics while holding the lock")[r as usize] =
                        Some(stats);
                    on_done();
                }
            });
        }
    });
    slots
        .into_inner()
        .expect("workers are done")
        .into_iter()
        .map(|s| s.expect("every replication ran"))
        .collect()
}
