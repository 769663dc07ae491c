//! The run's summary: overall and per-queue measures with 95 % confidence intervals over
//! replications, as written to `summary.json`. Field by field in docs/report-format.md.

use serde::Serialize;

use super::recorder::{ReplicationStats, Totals};
use super::stats::Estimate;
use crate::scenario::Scenario;

/// The definition of service level used everywhere in the reports.
pub const SERVICE_LEVEL_DEFINITION: &str = "customers answered within their queue's threshold divided by customers offered; abandoned customers and those still waiting at the end count as misses";

/// Measures of one scope (a queue, or the whole centre).
#[derive(Debug, Clone, Serialize)]
pub struct Measures {
    /// Customers offered (arrived after warm-up).
    pub offered: Estimate,
    /// Customers answered.
    pub answered: Estimate,
    /// Customers who abandoned.
    pub abandoned: Estimate,
    /// Abandoned ÷ offered.
    pub abandon_rate: Estimate,
    /// Share of offered customers not answered at once (waited > 0 ms or abandoned).
    pub p_wait: Estimate,
    /// Mean wait of answered customers, s.
    pub mean_wait_answered_s: Estimate,
    /// Median wait of answered customers, s.
    pub wait_p50_s: Estimate,
    /// 90th percentile wait of answered customers, s.
    pub wait_p90_s: Estimate,
    /// 95th percentile wait of answered customers, s.
    pub wait_p95_s: Estimate,
    /// 99th percentile wait of answered customers, s.
    pub wait_p99_s: Estimate,
    /// See [`SERVICE_LEVEL_DEFINITION`].
    pub service_level: Estimate,
    /// Busy slot-time ÷ staffed slot-time of the agents in scope.
    pub occupancy: Estimate,
}

/// One queue's part of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct QueueSummary {
    /// Queue name.
    pub name: String,
    /// Its service-level threshold, s.
    pub service_level_threshold_s: f64,
    /// Its measures.
    #[serde(flatten)]
    pub measures: Measures,
}

/// The whole of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Version of ccsim that wrote the report.
    pub ccsim_version: &'static str,
    /// Scenario name.
    pub scenario: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replications run.
    pub replications: u32,
    /// Local start of the run.
    pub start: String,
    /// Time zone of the run.
    pub time_zone: String,
    /// Simulated length, h.
    pub horizon_h: f64,
    /// Warm-up left out of the summary, h.
    pub warmup_h: f64,
    /// Confidence level of every interval.
    pub confidence: f64,
    /// How service level is computed.
    pub service_level_definition: &'static str,
    /// Conversations still waiting at the end of the run, mean over replications.
    pub waiting_at_end: Estimate,
    /// The whole centre.
    pub overall: Measures,
    /// Each queue, in scenario order.
    pub queues: Vec<QueueSummary>,
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}

fn measures(reps: &[ReplicationStats], scope: usize) -> Measures {
    let est = |f: &dyn Fn(&Totals) -> f64| {
        let values: Vec<f64> = reps.iter().map(|r| f(&r.totals[scope])).collect();
        Estimate::ci95(&values)
    };
    let quantile = |q: f64| {
        move |t: &Totals| {
            if t.answered == 0 {
                f64::NAN
            } else {
                t.answered_waits_ms.value_at_quantile(q) as f64 / 1000.0
            }
        }
    };
    Measures {
        offered: est(&|t| t.offered as f64),
        answered: est(&|t| t.answered as f64),
        abandoned: est(&|t| t.abandoned as f64),
        abandon_rate: est(&|t| ratio(t.abandoned, t.offered)),
        p_wait: est(&|t| ratio(t.offered - t.answered_immediately, t.offered)),
        mean_wait_answered_s: est(&|t| ratio(t.answered_wait_sum_ms, t.answered) / 1000.0),
        wait_p50_s: est(&quantile(0.50)),
        wait_p90_s: est(&quantile(0.90)),
        wait_p95_s: est(&quantile(0.95)),
        wait_p99_s: est(&quantile(0.99)),
        service_level: est(&|t| ratio(t.answered_within_threshold, t.offered)),
        occupancy: est(&|t| {
            if t.staffed_slot_ms > 0.0 {
                t.busy_slot_ms / t.staffed_slot_ms
            } else {
                f64::NAN
            }
        }),
    }
}

impl Summary {
    /// The summary of `reps`, the replications of `scenario` in replication order.
    pub fn new(scenario: &Scenario, reps: &[ReplicationStats]) -> Self {
        let centre = &scenario.centre;
        let queues = centre
            .queues
            .iter()
            .enumerate()
            .map(|(q, spec)| QueueSummary {
                name: spec.name.clone(),
                service_level_threshold_s: spec.service_level_threshold_ms as f64 / 1000.0,
                measures: measures(reps, q),
            })
            .collect();
        let waiting: Vec<f64> = reps.iter().map(|r| r.waiting_at_end as f64).collect();
        Self {
            ccsim_version: env!("CARGO_PKG_VERSION"),
            scenario: scenario.name.clone(),
            seed: scenario.seed,
            replications: scenario.replications,
            start: centre.calendar.zoned(0).to_string(),
            time_zone: centre
                .calendar
                .time_zone()
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
            horizon_h: centre.horizon_ms as f64 / 3_600_000.0,
            warmup_h: centre.warmup_ms as f64 / 3_600_000.0,
            confidence: 0.95,
            service_level_definition: SERVICE_LEVEL_DEFINITION,
            waiting_at_end: Estimate::ci95(&waiting),
            overall: measures(reps, centre.queues.len()),
            queues,
        }
    }
}
