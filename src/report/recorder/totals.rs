//! What a replication adds up per queue (and for all): its totals and its interval rows.

use hdrhistogram::Histogram;

use super::{ConversationTotals, SlaTotals};
use crate::actors::AssignedBy;
use crate::model::status::DefaultStatus;
use crate::report::channels::ChannelTotals;

/// Totals of one queue (or of all) in one replication.
#[derive(Debug, Clone)]
pub struct Totals {
    /// Customers offered (arrived after warm-up).
    pub offered: u64,
    /// Of those, answered.
    pub answered: u64,
    /// Of those, abandoned.
    pub abandoned: u64,
    /// Of those, answered with zero wait.
    pub answered_immediately: u64,
    /// Of those, answered within their queue's threshold.
    pub answered_within_threshold: u64,
    /// Sum of the waits of the answered, ms.
    pub answered_wait_sum_ms: u64,
    /// Waits of the answered, ms.
    pub answered_waits_ms: Histogram<u64>,
    /// Busy slot-time of the member agents after warm-up, slot·ms.
    pub busy_slot_ms: u64,
    /// Staffed slot-time of the member agents after warm-up, slot·ms.
    pub staffed_slot_ms: u64,
    /// Answered customers by how the agent was chosen, in [`AssignedBy::ALL`] order.
    pub answered_by: [u64; AssignedBy::ALL.len()],
    /// Conversations that got the away message (WH-3), arrived after warm-up.
    pub away_messages: u64,
    /// Of those, closed right after it.
    pub closed_outside_hours: u64,
    /// Conversations taken back from agents logged out for inactivity (ST-3), whole run.
    pub unassigned: u64,
    /// Agent-time in each shown status after warm-up, in [`STATUSES`] order, agent·ms; an
    /// agent of several queues counts in each.
    pub status_agent_ms: [u64; 5],
    /// The life of conversations: messages, replies, statuses, transfers, waiting strategies.
    pub conversation: ConversationTotals,
    /// SLA verdicts of the conversations that ended in this queue (SLA-1..7).
    pub sla: SlaTotals,
    /// Per channel ([`crate::report::channels::channels_of`] order): customers offered,
    /// answered, abandoned, answered within their channel's threshold, after warm-up.
    pub channels: Vec<ChannelTotals>,
}

/// The statuses of [`Totals::status_agent_ms`].
pub const STATUSES: [DefaultStatus; 5] = [
    DefaultStatus::Available,
    DefaultStatus::FullCapacity,
    DefaultStatus::Busy,
    DefaultStatus::Away,
    DefaultStatus::Offline,
];

pub(super) fn status_slot(status: DefaultStatus) -> usize {
    STATUSES
        .iter()
        .position(|&s| s == status)
        .expect("every status is listed")
}

impl Totals {
    pub(super) fn new(workflows: usize, channels: usize) -> Self {
        Self {
            offered: 0,
            answered: 0,
            abandoned: 0,
            answered_immediately: 0,
            answered_within_threshold: 0,
            answered_wait_sum_ms: 0,
            answered_waits_ms: Histogram::new(3).expect("3 significant digits is valid"),
            busy_slot_ms: 0,
            staffed_slot_ms: 0,
            answered_by: [0; AssignedBy::ALL.len()],
            away_messages: 0,
            closed_outside_hours: 0,
            unassigned: 0,
            status_agent_ms: [0; 5],
            conversation: ConversationTotals::new(workflows),
            sla: SlaTotals::default(),
            channels: vec![ChannelTotals::default(); channels],
        }
    }
}

/// One report interval of one queue (or of all) in one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IntervalRow {
    /// Customers arriving in the interval.
    pub arrivals: u64,
    /// Of those, answered.
    pub answered: u64,
    /// Of those, abandoned.
    pub abandoned: u64,
    /// Of those, closed by their waiting strategy's maximum wait (WS-4).
    pub closed_by_strategy: u64,
    /// Of those, closed by a workflow while waiting (WF-5).
    pub closed_by_workflow: u64,
    /// Of those, their SLA verdicts (conversations judged under a policy).
    pub sla: SlaTotals,
    /// Of those, answered within the threshold.
    pub answered_within_threshold: u64,
    /// Sum of waits of those answered, ms.
    pub answered_wait_sum_ms: u64,
    /// Most conversations waiting at once during the interval.
    pub max_queue_length: u32,
    /// Agent-time on shift, agent·ms.
    pub on_shift_agent_ms: u64,
    /// Busy slot-time, slot·ms.
    pub busy_slot_ms: u64,
    /// Staffed slot-time, slot·ms.
    pub staffed_slot_ms: u64,
}
