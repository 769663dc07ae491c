//! The metrics planning reports, compares and gates on, each computed from integer counts
//! (so parts combine exactly) and each knowing which way is better.

use serde::{Deserialize, Serialize};

use super::measures::{Counts, RepRecord};

/// A metric of one scope (a queue, or the whole centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Customers offered per replication.
    Offered,
    /// Answered within the queue's threshold ÷ offered.
    ServiceLevel,
    /// Abandoned ÷ offered.
    AbandonRate,
    /// Average speed of answer: mean wait of the answered, s.
    AsaS,
    /// Median wait of the answered, s.
    WaitP50S,
    /// 90th percentile wait of the answered, s.
    WaitP90S,
    /// 99th percentile wait of the answered, s.
    WaitP99S,
    /// Busy ÷ staffed slot-time.
    Occupancy,
    /// Conversations without an SLA breach ÷ judged.
    SlaCompliance,
    /// Conversations the bot resolved ÷ those that met it (whole centre only).
    Containment,
}

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
    /// Neither (a load, not a quality).
    Neither,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 10] = [
        Metric::Offered,
        Metric::ServiceLevel,
        Metric::AbandonRate,
        Metric::AsaS,
        Metric::WaitP50S,
        Metric::WaitP90S,
        Metric::WaitP99S,
        Metric::Occupancy,
        Metric::SlaCompliance,
        Metric::Containment,
    ];

    /// Metrics with a value per interval.
    pub const PER_INTERVAL: [Metric; 6] = [
        Metric::Offered,
        Metric::ServiceLevel,
        Metric::AbandonRate,
        Metric::AsaS,
        Metric::Occupancy,
        Metric::SlaCompliance,
    ];

    /// The name used in files, flags and gate files.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Offered => "offered_per_rep",
            Metric::ServiceLevel => "service_level",
            Metric::AbandonRate => "abandon_rate",
            Metric::AsaS => "asa_s",
            Metric::WaitP50S => "wait_p50_s",
            Metric::WaitP90S => "wait_p90_s",
            Metric::WaitP99S => "wait_p99_s",
            Metric::Occupancy => "occupancy",
            Metric::SlaCompliance => "sla_compliance",
            Metric::Containment => "containment",
        }
    }

    /// The metric named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        // `offered` was the name before every file said `_per_rep` for a mean count.
        if name == "offered" {
            return Some(Metric::Offered);
        }
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Which way it improves.
    pub fn better(self) -> Better {
        match self {
            Metric::Offered => Better::Neither,
            Metric::ServiceLevel | Metric::SlaCompliance | Metric::Containment => Better::Higher,
            Metric::AbandonRate
            | Metric::AsaS
            | Metric::WaitP50S
            | Metric::WaitP90S
            | Metric::WaitP99S
            | Metric::Occupancy => Better::Lower,
        }
    }

    /// How a chart's y axis reads the metric, with its unit.
    pub fn axis(self) -> crate::report::svg::YAxis {
        use crate::report::svg::YAxis;
        match self {
            _ if self.is_share() => YAxis::Percent,
            Metric::Offered => YAxis::Number {
                unit: "conversations per replication",
            },
            _ => YAxis::Number { unit: "seconds" },
        }
    }

    /// The unit of a difference in the metric (a share's is percentage points).
    pub fn change_axis(self) -> crate::report::svg::YAxis {
        crate::report::svg::YAxis::Change {
            share: self.is_share(),
            unit: match self {
                Metric::Offered => "conversations",
                _ => "seconds",
            },
        }
    }

    /// Whether the metric is a share (shown as a percentage).
    pub fn is_share(self) -> bool {
        matches!(
            self,
            Metric::ServiceLevel
                | Metric::AbandonRate
                | Metric::Occupancy
                | Metric::SlaCompliance
                | Metric::Containment
        )
    }

    /// Its value in one replication for `scope` (the last scope is the whole centre); NaN
    /// where undefined (nobody offered, nobody answered, no bot).
    pub fn of_rep(self, rec: &RepRecord, scope: usize) -> f64 {
        let quantile =
            |k: usize| rec.wait_quantiles_ms[scope].map_or(f64::NAN, |q| q[k] as f64 / 1000.0);
        match self {
            Metric::WaitP50S => quantile(0),
            Metric::WaitP90S => quantile(1),
            Metric::WaitP99S => quantile(2),
            Metric::Containment => {
                if scope + 1 == rec.scopes.len() {
                    ratio(rec.bot_resolved, rec.bot_conversations)
                } else {
                    f64::NAN
                }
            }
            _ => self.of_counts(&rec.scopes[scope]).unwrap_or(f64::NAN),
        }
    }

    /// Its value from counts (a replication's, an interval's, or sums of them); `None` for
    /// metrics counts cannot give (wait percentiles, containment). `Offered` of summed counts
    /// is their sum: divide by the replications for a mean.
    pub fn of_counts(self, c: &Counts) -> Option<f64> {
        Some(match self {
            Metric::Offered => c.offered as f64,
            Metric::ServiceLevel => ratio(c.within_threshold, c.offered),
            Metric::AbandonRate => ratio(c.abandoned, c.offered),
            Metric::AsaS => ratio(c.wait_sum_ms, c.answered) / 1000.0,
            Metric::Occupancy => ratio(c.busy_slot_ms, c.staffed_slot_ms),
            Metric::SlaCompliance => ratio(
                c.sla_conversations - c.sla_breached.min(c.sla_conversations),
                c.sla_conversations,
            ),
            Metric::WaitP50S | Metric::WaitP90S | Metric::WaitP99S | Metric::Containment => {
                return None;
            }
        })
    }
}

fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        f64::NAN
    } else {
        num as f64 / den as f64
    }
}
