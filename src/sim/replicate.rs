//! Runs a scenario's replications on worker threads.
//!
//! Replication r always uses the streams of (seed, r); each finished replication is folded into
//! the run's [`RunAggregate`] at once (its recorder is dropped), and the aggregate's sums are
//! integers filed by replication index, so the result is the same whatever the thread count or
//! the order in which threads finish.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use super::centre::Centre;
use crate::report::aggregate::RunAggregate;
use crate::scenario::Scenario;
use crate::scenario::budget::BudgetHit;

/// `threads` worker threads, or as many as the machine has cores when not given; at least 1.
/// (The command line's `--threads` and the Python package's `threads=` both mean this.)
pub fn threads_or_cores(threads: Option<usize>) -> usize {
    threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// What a run tells its caller as it goes, and asks it: each finished unit (a replication, a
/// pair, a sweep's point-replication) is reported with [`Progress::done`], and the workers take
/// no more work once [`Progress::cancelled`] says so. A closure `Fn()` is a progress that is
/// never cancelled.
pub trait Progress: Sync {
    /// One more unit finished.
    fn done(&self);
    /// Whether the caller gave up on the run (an interrupt). Workers stop taking units; the
    /// result then holds only the units finished, and the caller who cancelled discards it.
    fn cancelled(&self) -> bool {
        false
    }
}

impl<F: Fn() + Sync> Progress for F {
    fn done(&self) {
        self()
    }
}

/// The first budget hit of a run's workers (by unit order, so the message does not depend on
/// the thread count), and the flag that tells the other workers to stop taking work.
#[derive(Debug, Default)]
pub struct Stop {
    stopping: AtomicBool,
    hit: Mutex<Option<(usize, BudgetHit)>>,
}

impl Stop {
    /// Whether a worker stopped the run.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Unit `unit` hit the budget.
    pub fn hit(&self, unit: usize, hit: BudgetHit) {
        self.stopping.store(true, Ordering::Relaxed);
        let mut first = self.hit.lock().expect("no worker panics holding the lock");
        if first.as_ref().is_none_or(|(u, _)| unit < *u) {
            *first = Some((unit, hit));
        }
    }

    /// Runs `centre` as unit `unit`: its statistics, or `None` when the budget stopped it (the
    /// hit is kept and the other workers told to stop).
    pub fn run(
        &self,
        unit: usize,
        centre: Centre,
    ) -> Option<crate::report::recorder::ReplicationStats> {
        centre
            .run_budgeted()
            .map_err(|hit| self.hit(unit, hit))
            .ok()
    }

    /// The hit, if any.
    pub fn into_hit(self) -> Option<BudgetHit> {
        self.hit
            .into_inner()
            .expect("workers are done")
            .map(|(_, h)| h)
    }
}

/// Runs every replication of `scenario` on up to `threads` threads (at least one) and returns
/// their aggregate. `on_done` is called after each replication (for progress).
pub fn run_replications(
    scenario: &Scenario,
    threads: usize,
    on_done: &dyn Progress,
) -> Result<RunAggregate, BudgetHit> {
    let (aggregate, _, hit) = run(scenario, threads, on_done, false);
    hit.map_or(Ok(aggregate), Err)
}

/// As [`run_replications`], with the invariant checker ([`super::check`]) watching every
/// replication: the aggregate, or every problem found (prefixed with its replication).
/// The aggregate is the same as without checks.
pub fn run_replications_checked(
    scenario: &Scenario,
    threads: usize,
    on_done: &dyn Progress,
) -> Result<Result<RunAggregate, Vec<String>>, BudgetHit> {
    let (aggregate, problems, hit) = run(scenario, threads, on_done, true);
    if let Some(hit) = hit {
        return Err(hit);
    }
    Ok(if problems.is_empty() {
        Ok(aggregate)
    } else {
        Err(problems)
    })
}

fn run(
    scenario: &Scenario,
    threads: usize,
    on_done: &dyn Progress,
    checked: bool,
) -> (RunAggregate, Vec<String>, Option<BudgetHit>) {
    let n = scenario.replications;
    let threads = threads.clamp(1, n.max(1) as usize);
    let next = AtomicU32::new(0);
    let aggregate = Mutex::new(RunAggregate::new(&scenario.centre, n));
    let problems = Mutex::new(Vec::new());
    let stop = Stop::default();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= n || stop.stopping() || on_done.cancelled() {
                        break;
                    }
                    let mut centre = Centre::new(scenario.centre.clone(), scenario.seed, r)
                        .with_max_open(scenario.budget.max_open);
                    if checked {
                        centre = centre.with_invariant_checks();
                    }
                    let Some(stats) = stop.run(r as usize, centre) else {
                        break;
                    };
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
                    on_done.done();
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
    (
        aggregate.into_inner().expect("workers are done"),
        found,
        stop.into_hit(),
    )
}
