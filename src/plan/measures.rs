//! What planning keeps of a replication, as integers and histograms only, so that parts run
//! apart (sweep shards) combine exactly: counts add, histograms add bucket by bucket, and every
//! ratio, mean and confidence interval is computed once, from the combined parts.
//!
//! - [`Counts`]: one scope (a queue, or the whole centre) over a replication or an interval;
//! - [`RepRecord`]: one replication's counts per scope, its wait quantiles and bot counts;
//! - [`PointData`]: one scenario's replications (any subset), its interval counts summed and
//!   its answered waits pooled per scope.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::report::recorder::{IntervalRow, ReplicationStats, Totals};

/// Counts of one scope over a replication or one interval of it (or summed over
/// replications). Every field adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Customers offered (arrived after warm-up).
    pub offered: u64,
    /// Of those, answered.
    pub answered: u64,
    /// Of those, abandoned.
    pub abandoned: u64,
    /// Of those, answered within the queue's service-level threshold.
    pub within_threshold: u64,
    /// Σ waits of the answered, ms.
    pub wait_sum_ms: u64,
    /// Conversations judged under an SLA policy.
    pub sla_conversations: u64,
    /// Of those, breached.
    pub sla_breached: u64,
    /// Busy slot-time, slot·ms.
    pub busy_slot_ms: u64,
    /// Staffed slot-time, slot·ms.
    pub staffed_slot_ms: u64,
    /// Agent-time on shift, agent·ms (intervals only).
    pub on_shift_agent_ms: u64,
    /// Longest queue in the interval (intervals only; summed over replications).
    pub max_queue_length: u64,
}

impl Counts {
    /// The counts of one replication's totals.
    pub fn of_totals(t: &Totals) -> Self {
        Self {
            offered: t.offered,
            answered: t.answered,
            abandoned: t.abandoned,
            within_threshold: t.answered_within_threshold,
            wait_sum_ms: t.answered_wait_sum_ms,
            sla_conversations: t.sla.conversations,
            sla_breached: t.sla.breached,
            busy_slot_ms: t.busy_slot_ms,
            staffed_slot_ms: t.staffed_slot_ms,
            on_shift_agent_ms: 0,
            max_queue_length: 0,
        }
    }

    /// The counts of one interval row.
    pub fn of_row(r: &IntervalRow) -> Self {
        Self {
            offered: r.arrivals,
            answered: r.answered,
            abandoned: r.abandoned,
            within_threshold: r.answered_within_threshold,
            wait_sum_ms: r.answered_wait_sum_ms,
            sla_conversations: r.sla.conversations,
            sla_breached: r.sla.breached,
            busy_slot_ms: r.busy_slot_ms,
            staffed_slot_ms: r.staffed_slot_ms,
            on_shift_agent_ms: r.on_shift_agent_ms,
            max_queue_length: u64::from(r.max_queue_length),
        }
    }

    /// The fields as an array, in declaration order (the compact form of shard files).
    pub fn to_array(&self) -> [u64; 11] {
        [
            self.offered,
            self.answered,
            self.abandoned,
            self.within_threshold,
            self.wait_sum_ms,
            self.sla_conversations,
            self.sla_breached,
            self.busy_slot_ms,
            self.staffed_slot_ms,
            self.on_shift_agent_ms,
            self.max_queue_length,
        ]
    }

    /// The inverse of [`Counts::to_array`].
    pub fn from_array(a: [u64; 11]) -> Self {
        Self {
            offered: a[0],
            answered: a[1],
            abandoned: a[2],
            within_threshold: a[3],
            wait_sum_ms: a[4],
            sla_conversations: a[5],
            sla_breached: a[6],
            busy_slot_ms: a[7],
            staffed_slot_ms: a[8],
            on_shift_agent_ms: a[9],
            max_queue_length: a[10],
        }
    }

    /// Adds `other` in.
    pub fn add(&mut self, other: &Self) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.within_threshold += other.within_threshold;
        self.wait_sum_ms += other.wait_sum_ms;
        self.sla_conversations += other.sla_conversations;
        self.sla_breached += other.sla_breached;
        self.busy_slot_ms += other.busy_slot_ms;
        self.staffed_slot_ms += other.staffed_slot_ms;
        self.on_shift_agent_ms += other.on_shift_agent_ms;
        self.max_queue_length += other.max_queue_length;
    }
}

/// The wait quantiles a replication keeps per scope.
pub const REP_WAIT_QUANTILES: [f64; 3] = [0.5, 0.9, 0.99];

/// One replication's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepRecord {
    /// Its index (its random streams are those of (seed, replication)).
    pub replication: u32,
    /// Per scope (queues, then the whole centre).
    pub scopes: Vec<Counts>,
    /// Per scope, the answered waits' p50, p90, p99, ms (`None` when nobody was answered).
    pub wait_quantiles_ms: Vec<Option<[u64; 3]>>,
    /// Conversations that met the bot first.
    pub bot_conversations: u64,
    /// Of those, resolved by the bot (contained).
    pub bot_resolved: u64,
    /// Customers still waiting at the end.
    pub waiting_at_end: u64,
}

impl RepRecord {
    /// The record of replication `replication`'s statistics.
    pub fn of(replication: u32, stats: &ReplicationStats) -> Self {
        Self {
            replication,
            scopes: stats.totals.iter().map(Counts::of_totals).collect(),
            wait_quantiles_ms: stats
                .totals
                .iter()
                .map(|t| {
                    (t.answered > 0).then(|| {
                        REP_WAIT_QUANTILES.map(|q| t.answered_waits_ms.value_at_quantile(q))
                    })
                })
                .collect(),
            bot_conversations: stats.bot.conversations,
            bot_resolved: stats.bot.resolved,
            waiting_at_end: stats.waiting_at_end,
        }
    }
}

/// One scenario's replications (all or some), with interval counts and waits pooled.
#[derive(Debug, Clone)]
pub struct PointData {
    /// Scopes: the queues, then the whole centre.
    pub scopes: usize,
    /// Replications by index.
    pub reps: BTreeMap<u32, RepRecord>,
    /// Interval counts summed over the replications, row-major (interval, scope).
    pub intervals: Vec<Counts>,
    /// Answered waits of every replication, ms, per scope.
    pub waits_ms: Vec<Histogram<u64>>,
}

/// Two parts could not be combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MergeError(pub String);

impl PointData {
    /// No replications yet, for `scopes` scopes and `intervals` intervals.
    pub fn new(scopes: usize, intervals: usize) -> Self {
        Self {
            scopes,
            reps: BTreeMap::new(),
            intervals: vec![Counts::default(); scopes * intervals],
            waits_ms: (0..scopes).map(|_| wait_histogram()).collect(),
        }
    }

    /// Folds in replication `replication`'s statistics.
    pub fn add(&mut self, replication: u32, stats: &ReplicationStats) {
        self.reps
            .insert(replication, RepRecord::of(replication, stats));
        for (sum, row) in self.intervals.iter_mut().zip(&stats.intervals) {
            sum.add(&Counts::of_row(row));
        }
        for (pool, t) in self.waits_ms.iter_mut().zip(&stats.totals) {
            pool.add(&t.answered_waits_ms)
                .expect("wait histograms share their bounds");
        }
    }

    /// Folds in another part of the same scenario; a replication in both is an error.
    pub fn merge(&mut self, other: PointData) -> Result<(), MergeError> {
        if other.scopes != self.scopes || other.intervals.len() != self.intervals.len() {
            return Err(MergeError(format!(
                "parts of different shapes: {} scopes × {} rows against {} × {}",
                other.scopes,
                other.intervals.len(),
                self.scopes,
                self.intervals.len()
            )));
        }
        for (r, rec) in other.reps {
            if self.reps.insert(r, rec).is_some() {
                return Err(MergeError(format!("replication {r} is in two parts")));
            }
        }
        for (sum, c) in self.intervals.iter_mut().zip(&other.intervals) {
            sum.add(c);
        }
        for (pool, h) in self.waits_ms.iter_mut().zip(&other.waits_ms) {
            pool.add(h)
                .map_err(|e| MergeError(format!("wait histograms do not add: {e:?}")))?;
        }
        Ok(())
    }

    /// Interval counts of interval `i`, one per scope.
    pub fn interval(&self, i: usize) -> &[Counts] {
        &self.intervals[i * self.scopes..(i + 1) * self.scopes]
    }

    /// Number of intervals.
    pub fn interval_count(&self) -> usize {
        self.intervals.len() / self.scopes.max(1)
    }
}

/// An empty histogram of waits in ms, the same bounds as the recorder's, so they add.
pub fn wait_histogram() -> Histogram<u64> {
    Histogram::new(3).expect("3 significant figures is valid")
}
