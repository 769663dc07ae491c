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
    run(scenario, threads, on_done, false).0
}

/// As [`run_replications`], with the invariant checker ([`super::check`]) watching every
/// replication: the aggregate, or every problem found (prefixed with its replication).
/// The aggregate is the same as without checks.
pub fn run_replications_checked(
    scenario: &Scenario,
    threads: usize,
    on_done: &(dyn Fn() + Sync),
) -> Result<RunAggregate, Vec<String>> {
    let (aggregate, problems) = run(scenario, threads, on_done, true);
    if problems.is_empty() {
        Ok(aggregate)
    } else {
        Err(problems)
    }
}

fn run(
    scenario: &Scenario,
    threads: usize,
    on_done: &(dyn Fn() + Sync),
    checked: bool,
) -> (RunAggregate, Vec<String>) {
    let n = scenario.replications;
    let threads = threads.clamp(1, n.max(1) as usize);
    let next = AtomicU32::new(0);
    let aggregate = Mutex::new(RunAggregate::new(&scenario.centre, n));
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= n {
                        break;
                    }
                    let mut centre = Centre::new(scenario.centre.clone(), scenario.seed, r);
                    if checked {
                        centre = centre.with_invariant_checks();
                    }
                    let stats = centre.run();
                    if !stats.violations.is_empty() {
                        let mut found = problems
                            .lock()
                            .expect("no worker panics while holding the lock");
                        found.extend(stats.violations.iter().map(|v| (r, v.clone())));
                    }
                    aggregate
                        .lock()
                        .expect("no worker panics while holding the lock")
                        .add(r, &stats);
                    on_done();
                }
            });
        }
    });
    let mut found = problems.into_inner().expect("workers are done");
    // Replication order, so the report of problems does not depend on threads either.
    found.sort();
    let found = found
        .into_iter()
        .map(|(r, v)| format!("replication {r}: {v}"))
        .collect();
    (aggregate.into_inner().expect("workers are done"), found)
}
