//! The simulation side of `ccsim staff`'s search: the centre staffed with dedicated agents per
//! queue, its replications run, and each interval's figures judged against a one-sided
//! confidence bound over replications.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use super::measures::Counts;
use super::staff::StaffError;
use crate::model::calendar::WeeklyPattern;
use crate::model::capacity::Capacity;
use crate::model::centre::{AgentSpec, CentreSpec};
use crate::model::working_hours::WorkingHours;
use crate::report::stats::t_quantile;
use crate::sim::centre::Centre;
use crate::sim::replicate::Stop;

/// Per replication, interval counts row-major (interval, scope).
pub(super) type RepIntervals = Vec<Vec<Counts>>;

pub(super) fn simulate(
    spec: &Arc<CentreSpec>,
    seed: u64,
    replications: u32,
    threads: usize,
    max_open: u64,
) -> Result<RepIntervals, StaffError> {
    let next = AtomicU32::new(0);
    let out: Mutex<Vec<Vec<Counts>>> = Mutex::new(vec![Vec::new(); replications as usize]);
    let stop = Stop::default();
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, replications.max(1) as usize) {
            scope.spawn(|| {
                loop {
                    let r = next.fetch_add(1, Ordering::Relaxed);
                    if r >= replications || stop.stopping() {
                        break;
                    }
                    let centre = Centre::new(Arc::clone(spec), seed, r).with_max_open(max_open);
                    let Some(stats) = stop.run(r as usize, centre) else {
                        break;
                    };
                    let rows = stats.intervals.iter().map(Counts::of_row).collect();
                    out.lock().expect("no worker panics holding the lock")[r as usize] = rows;
                }
            });
        }
    });
    match stop.into_hit() {
        Some(hit) => Err(StaffError(hit.to_string())),
        None => Ok(out.into_inner().expect("workers are done")),
    }
}

/// The mean and one-sided bound at `confidence`, over replications, of a per-replication
/// figure (`None` where it is undefined): the lower bound when `lower`, else the upper.
fn bound(values: &[f64], confidence: f64, lower: bool) -> Option<(f64, f64)> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Some((mean, mean));
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    // One-sided at `confidence` is two-sided at 2·confidence − 1.
    let half = t_quantile(2.0 * confidence - 1.0, (n - 1) as f64) * (var / n as f64).sqrt();
    Some((mean, if lower { mean - half } else { mean + half }))
}

/// A per-replication figure of (interval, scope) (`None` where it is undefined), its mean
/// over replications and its one-sided bound (lower when `lower`); `None` when no
/// replication has it.
pub(super) fn judge(
    reps: &RepIntervals,
    at: (usize, usize, usize),
    confidence: f64,
    figure: fn(&Counts) -> Option<f64>,
    lower: bool,
) -> Option<(f64, f64)> {
    let (scopes, i, s) = at;
    let values: Vec<f64> = reps
        .iter()
        .filter_map(|rows| figure(&rows[i * scopes + s]))
        .collect();
    bound(&values, confidence, lower)
}

/// The service level of an interval's counts (nobody offered: none).
pub(super) fn service_level_of(c: &Counts) -> Option<f64> {
    (c.offered > 0).then(|| c.within_threshold as f64 / c.offered as f64)
}

/// The mean wait of the answered, s (nobody answered: none).
pub(super) fn asa_of(c: &Counts) -> Option<f64> {
    (c.answered > 0).then(|| c.wait_sum_ms as f64 / c.answered as f64 / 1000.0)
}

/// Dedicated agents per queue for the requirement `need[q][i]`: agent *k* of a queue is on
/// shift, on dated spans, in the intervals whose requirement exceeds *k* (any horizon).
pub(super) fn staffed_spec(
    base: &CentreSpec,
    need: &[Vec<u32>],
    capacity: &[Capacity],
) -> CentreSpec {
    let mut spec = base.clone();
    spec.agents = Vec::new();
    let step = base.interval_ms as i64;
    for (q, row) in need.iter().enumerate() {
        let most = row.iter().copied().max().unwrap_or(0);
        for k in 0..most {
            let spans = crate::model::calendar::merge(
                row.iter()
                    .enumerate()
                    .filter(|(_, n)| **n > k)
                    .map(|(i, _)| (i as i64 * step, (i as i64 + 1) * step))
                    .collect(),
            );
            spec.agents.push(AgentSpec {
                name: format!("staff-{}-{k}", base.queues[q].name),
                queues: vec![q as u32],
                capacity: capacity[q],
                shift: WorkingHours {
                    dated: Some(spans),
                    weekly: WeeklyPattern::default(),
                    holidays: Vec::new(),
                    zone: None,
                },
                status_schedule: Vec::new(),
                drop_out: None,
            });
        }
    }
    spec
}
