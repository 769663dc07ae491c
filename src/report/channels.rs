//! Figures per channel inside a queue: a queue that takes calls and WhatsApp chats serves them
//! under different promises (a call answered in 20 s, a chat in 5 minutes), so each channel's
//! offered, answered, abandoned, service level against its own threshold (the queue's
//! `service_level_s_by_channel`, else the queue's) and mean wait are kept apart. The queue's
//! own service level counts each customer against its channel's threshold too.
//!
//! Each channel is counted over all hours and over the scope's open hours, like the scope
//! itself, and per report interval (`intervals_by_channel.csv`).
//!
//! The channels of a scenario are the distinct kinds of its arrival segments, in
//! [`ChannelKind`] order, the same list for every scope and replication.

use serde::Serialize;

use super::aggregate::ratio;
use super::stats::Estimate;
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelKind;

/// The channels reported: the arrival segments' kinds, sorted and without repeats.
pub fn channels_of(spec: &CentreSpec) -> Vec<ChannelKind> {
    let mut kinds: Vec<ChannelKind> = spec.segments.iter().map(|s| s.channel).collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    kinds
}

/// One replication's counts of one channel in one scope, after warm-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChannelTotals {
    /// Customers offered.
    pub offered: u64,
    /// Of those, answered.
    pub answered: u64,
    /// Of those, abandoned.
    pub abandoned: u64,
    /// Answered within the channel's threshold in the queue.
    pub within_threshold: u64,
    /// Σ waits of the answered, ms.
    pub wait_sum_ms: u64,
}

impl ChannelTotals {
    /// Adds `other`'s counts.
    pub fn add(&mut self, other: &ChannelTotals) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.within_threshold += other.within_threshold;
        self.wait_sum_ms += other.wait_sum_ms;
    }
}

/// One replication's measures of one channel in one scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelValues {
    /// Customers offered.
    pub offered: f64,
    /// Abandoned ÷ offered.
    pub abandon_rate: f64,
    /// Answered within the threshold ÷ offered.
    pub service_level: f64,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: f64,
}

impl ChannelValues {
    /// The measures of `t`.
    pub fn of(t: &ChannelTotals) -> Self {
        Self {
            offered: t.offered as f64,
            abandon_rate: ratio(t.abandoned, t.offered),
            service_level: ratio(t.within_threshold, t.offered),
            mean_wait_answered_s: ratio(t.wait_sum_ms, t.answered) / 1000.0,
        }
    }
}

/// A channel's measures in a scope, over replications (`summary.json`: `channels`).
#[derive(Debug, Clone, Serialize)]
pub struct ChannelMeasures {
    /// The channel kind (`voice`, `whatsapp`, `live_chat`, …).
    pub channel: &'static str,
    /// Its service-level threshold in the queue, s (absent for the whole centre, where
    /// queues differ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_s: Option<f64>,
    /// Customers offered.
    pub offered: Estimate,
    /// Abandoned ÷ offered.
    pub abandon_rate: Estimate,
    /// Answered within the channel's threshold ÷ offered.
    pub service_level: Estimate,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: Estimate,
    /// The same over the intervals the scope was open ([`super::open_hours`]).
    pub open_hours: ChannelOpenMeasures,
}

/// A channel's measures in a scope over the scope's open intervals.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelOpenMeasures {
    /// Customers offered in open intervals.
    pub offered: Estimate,
    /// Abandoned ÷ offered.
    pub abandon_rate: Estimate,
    /// Answered within the channel's threshold ÷ offered.
    pub service_level: Estimate,
    /// Mean wait of the answered, s.
    pub mean_wait_answered_s: Estimate,
}
