//! Paired comparison of two scenarios (a base and a candidate) on common random numbers.
//!
//! Replication r of both runs on the streams of (seed, r) — the base's seed and replication
//! count are imposed on the candidate — and each stream is named by what draws from it (a
//! segment's arrivals, an agent's handle times), so whatever the change leaves alone draws the
//! same numbers in both. The difference candidate − base is taken replication by replication,
//! per metric, scope (queues matched by name, and the whole centre) and interval, and its mean
//! and 95 % interval are computed from those paired differences: the noise both share cancels.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::measures::{Counts, RepRecord};
use super::metrics::Metric;
use crate::report::stats::Estimate;
use crate::scenario::Scenario;
use crate::scenario::budget::BudgetHit;
use crate::sim::centre::Centre;
use crate::sim::replicate::{Progress, Stop};

/// One side's replication: its record and its interval counts (row-major interval, scope).
#[derive(Debug, Clone)]
struct Side {
    rec: RepRecord,
    intervals: Vec<Counts>,
}

/// A metric of one scope compared, over the whole run or one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    /// The base's mean over replications.
    pub base: f64,
    /// The candidate's mean.
    pub candidate: f64,
    /// Paired difference candidate − base: mean and 95 % interval.
    pub diff: Estimate,
    /// Replications where both sides had a value.
    pub pairs: usize,
}

/// The comparison of one scope.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeComparison {
    /// Queue name, or `all`.
    pub scope: String,
    /// Over the whole run, per metric (metrics undefined on either side left out).
    pub totals: Vec<(Metric, Delta)>,
    /// Per interval (index into [`Comparison::interval_starts`]), per metric of
    /// [`Metric::PER_INTERVAL`]; empty when the two scenarios' intervals differ.
    pub intervals: Vec<Vec<(Metric, Delta)>>,
}

/// A whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The base scenario's name.
    pub base: String,
    /// The candidate's name (or the variation's).
    pub candidate: String,
    /// Seed both ran on.
    pub seed: u64,
    /// Replications of each.
    pub replications: u32,
    /// Local start of each interval.
    pub interval_starts: Vec<String>,
    /// Report interval, minutes.
    pub interval_min: u64,
    /// Scopes in both (queues by name, then `all`).
    pub scopes: Vec<ScopeComparison>,
    /// What could not be compared, and why.
    pub notes: Vec<String>,
}

/// Runs `base` and `candidate` (named `candidate_name`) replication by replication on the
/// same streams and compares them. `on_done` is called after each replication pair.
pub fn compare(
    base: &Scenario,
    candidate: &Scenario,
    candidate_name: &str,
    threads: usize,
    on_done: &dyn Progress,
) -> Result<Comparison, BudgetHit> {
    let n = base.replications;
    let next = AtomicU32::new(0);
    let pairs: Mutex<Vec<Option<(Side, Side)>>> = Mutex::new(vec![None; n as usize]);
    let stop = Stop::default();
    let run = |s: &Scenario, r: u32| {
        let stats = Centre::new(Arc::clone(&s.centre), base.seed, r)
            .with_max_open(s.budget.max_open)
            .run_budgeted()?;
        Ok::<Side, BudgetHit>(Side {
            rec: RepRecord::of(r, &stats),
            intervals: stats.intervals.iter().map(Counts::of_row).collect(),
        })
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, n.max(1) as usize) {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= n || stop.stopping() || on_done.cancelled() {
                        break;
                    }
                    let pair = match (run(base, r), run(candidate, r)) {
                        (Ok(b), Ok(c)) => (b, c),
                        (Err(hit), _) | (_, Err(hit)) => {
                            stop.hit(r as usize, hit);
                            break;
                        }
                    };
                    pairs.lock().expect("no worker panics holding the lock")[r as usize] =
                        Some(pair);
                    on_done.done();
                }
            });
        }
    });
    if let Some(hit) = stop.into_hit() {
        return Err(hit);
    }
    // Every replication ran, unless the caller cancelled the run (`Progress::cancelled`):
    // then the pairs that ran, for a result the caller discards.
    let pairs: Vec<(Side, Side)> = pairs
        .into_inner()
        .expect("workers are done")
        .into_iter()
        .flatten()
        .collect();

    let mut notes = Vec::new();
    if candidate.seed != base.seed || candidate.replications != base.replications {
        notes.push(format!(
            "the candidate ran on the base's seed {} and {} replications (its own: seed {}, {} replications), so both share their random numbers",
            base.seed, base.replications, candidate.seed, candidate.replications
        ));
    }
    let (bc, cc) = (&base.centre, &candidate.centre);
    let same_intervals = bc.interval_ms == cc.interval_ms
        && bc.interval_count() == cc.interval_count()
        && bc.calendar.zoned(0) == cc.calendar.zoned(0);
    if !same_intervals {
        notes.push(
            "the two scenarios' report intervals differ (start, length or count): only whole-run figures are compared".into(),
        );
    }
    let base_scopes = bc.queues.len() + 1;
    let cand_scopes = cc.queues.len() + 1;
    // Scope pairs: queues by name, then the whole centre.
    let mut scope_pairs: Vec<(String, usize, usize)> = Vec::new();
    for (i, q) in bc.queues.iter().enumerate() {
        match cc.queues.iter().position(|c| c.name == q.name) {
            Some(j) => scope_pairs.push((q.name.clone(), i, j)),
            None => notes.push(format!("queue '{}' is only in the base", q.name)),
        }
    }
    for q in &cc.queues {
        if !bc.queues.iter().any(|b| b.name == q.name) {
            notes.push(format!("queue '{}' is only in the candidate", q.name));
        }
    }
    scope_pairs.push(("all".into(), base_scopes - 1, cand_scopes - 1));

    let scopes = scope_pairs
        .iter()
        .map(|(name, bs, cs)| {
            let totals = Metric::ALL
                .into_iter()
                .filter_map(|m| {
                    let d = delta(
                        pairs
                            .iter()
                            .map(|(b, c)| (m.of_rep(&b.rec, *bs), m.of_rep(&c.rec, *cs))),
                    );
                    d.map(|d| (m, d))
                })
                .collect();
            let intervals =
                if same_intervals {
                    (0..bc.interval_count())
                        .map(|i| {
                            Metric::PER_INTERVAL
                                .into_iter()
                                .filter_map(|m| {
                                    let v = |side: &Side, scopes: usize, s: usize| {
                                        m.of_counts(&side.intervals[i * scopes + s])
                                            .unwrap_or(f64::NAN)
                                    };
                                    delta(pairs.iter().map(|(b, c)| {
                                        (v(b, base_scopes, *bs), v(c, cand_scopes, *cs))
                                    }))
                                    .map(|d| (m, d))
                                })
                                .collect()
                        })
                        .collect()
                } else {
                    Vec::new()
                };
            ScopeComparison {
                scope: name.clone(),
                totals,
                intervals,
            }
        })
        .collect();
    Ok(Comparison {
        base: base.name.clone(),
        candidate: candidate_name.to_string(),
        seed: base.seed,
        replications: n,
        interval_starts: (0..bc.interval_count())
            .map(|i| super::sweep::interval_label(base, i))
            .collect(),
        interval_min: bc.interval_ms / 60_000,
        scopes,
        notes,
    })
}

/// The paired delta of (base, candidate) values; `None` when no replication has both.
fn delta(pairs: impl Iterator<Item = (f64, f64)>) -> Option<Delta> {
    let (mut bs, mut cs, mut ds) = (Vec::new(), Vec::new(), Vec::new());
    for (b, c) in pairs {
        if b.is_finite() && c.is_finite() {
            bs.push(b);
            cs.push(c);
            ds.push(c - b);
        }
    }
    if ds.is_empty() {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    Some(Delta {
        base: mean(&bs),
        candidate: mean(&cs),
        diff: Estimate::ci95(&ds),
        pairs: ds.len(),
    })
}
