//! Runs a scenario's replications on worker threads.
//!
//! Replication r always uses the streams of (seed, r); each finished replication is folded into
//! the run's [`RunAggregate`] at once (its recorder is dropped), and the aggregate's sums are
//! integers filed by replication index, so the result is the same whatever the thread count or
//! the order in which threads finish.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use super::centre::Centre;
use crate::report::aggregate::RunAggregate;
use crate::scenario::Scenario;

/// Runs every replication of `scenario` on up to `threads` threads (at least one) and returns
/// their aggregate. `on_done` is called after each replication (for progress).
pub fn run_replications(
    scenario: &Scenario,
    threads: usize,
    on_done: &(dyn Fn() + Sync),
) -> RunAggregate {
    let n = scenario.replications;
    let threads = threads.clamp(1, n.max(1) as usize);
    let next = AtomicU32::new(0);
    let aggregate = Mutex::new(RunAggregate::new(&scenario.centre, n));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= n {
                        break;
                    }
                    let stats = Centre::new(scenario.centre.clone(), scenario.seed, r).run();
                    aggregate
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .add(r, &stats);
                    on_done();
                }
            });
        }
    });
    aggregate.into_inner().expect("workers are done")
}
