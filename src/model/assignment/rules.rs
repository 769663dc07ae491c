//! The rules around the scorer: when assignment runs and in which mode (AA-1, AA-4), sticky
//! agents (AA-2), bulk assignment (AA-10), exclusions (AA-9), queue changes (AA-11) and
//! conversations that do not occupy agents (AA-12).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;
use crate::model::status::{ConversationStatus, CountedStatuses};

/// AA-2: how a queue chooses among available agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum AssignmentMode {
    /// Any available agent, by the weighted sum (AA-7).
    AnyAvailable,
    /// The agent who last interacted with the customer within the look-back, else the
    /// weighted sum.
    Sticky {
        /// How far back an interaction counts.
        look_back: LookBack,
    },
}

/// AA-2: the sticky look-back periods the platform offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LookBack {
    /// In the last 30 days.
    Days30,
    /// In the last 60 days.
    Days60,
    /// In the last year (365 days).
    Year,
    /// Ever.
    Ever,
}

const DAY_MS: u64 = 86_400_000;

impl LookBack {
    /// The period, ms; `None` for ever.
    pub fn period_ms(self) -> Option<u64> {
        match self {
            LookBack::Days30 => Some(30 * DAY_MS),
            LookBack::Days60 => Some(60 * DAY_MS),
            LookBack::Year => Some(365 * DAY_MS),
            LookBack::Ever => None,
        }
    }
}

/// AA-2: the sticky agent for a customer whose past interactions are `history` (agent, when),
/// if the most recent one lies within the look-back and that agent is `eligible` now
/// (available, in the queue, not history). **(decision)** Only the *last* agent counts, as the
/// document says ("the agent who last interacted"); if that agent cannot take the conversation
/// the weighted sum decides, rather than an earlier agent.
pub fn sticky_agent(
    history: &[(u32, u64)],
    look_back: LookBack,
    now_ms: u64,
    eligible: impl Fn(u32) -> bool,
) -> Option<u32> {
    let &(agent, at_ms) = history
        .iter()
        .max_by_key(|&&(agent, at)| (at, std::cmp::Reverse(agent)))?;
    let recent = look_back
        .period_ms()
        .is_none_or(|p| now_ms.saturating_sub(at_ms) <= p);
    (recent && eligible(agent)).then_some(agent)
}

/// AA-4: what starts an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A new conversation reached a queue.
    NewConversation,
    /// An agent turned Available.
    AgentAvailable,
    /// An agent's occupancy dropped: a conversation unassigned, closed, merged, or moved to a
    /// status that does not count.
    OccupancyDropped,
    /// A conversation moved to another queue.
    QueueChanged,
    /// A conversation was unassigned (its previous agent is history).
    Unassigned,
    /// A queue's working hours began.
    WorkingHoursStarted,
}

/// How an assignment runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// One conversation looks for an agent: sticky first, then the weighted sum.
    Single,
    /// One agent takes waiting conversations of its queues, best first, until full (AA-10).
    BulkForAgent,
    /// Every waiting conversation of a queue is assigned, best first (AA-10, WH-4).
    BulkForQueue,
}

impl Trigger {
    /// AA-4, AA-10: the kind of run each trigger starts.
    pub fn run(self) -> Run {
        match self {
            Trigger::NewConversation | Trigger::QueueChanged | Trigger::Unassigned => Run::Single,
            Trigger::AgentAvailable | Trigger::OccupancyDropped => Run::BulkForAgent,
            Trigger::WorkingHoursStarted => Run::BulkForQueue,
        }
    }
}

/// A waiting conversation as bulk assignment sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Priority and creation time (AA-10's order).
    pub key: LineKey,
    /// Its capacity category.
    pub category: ChannelCategory,
    /// Whether this agent had it before (AA-9).
    pub history: bool,
    /// Its status.
    pub status: ConversationStatus,
}

/// AA-10: the waiting conversations (by index into `waiting`) that a newly available agent
/// takes: highest priority first, then oldest, skipping those it may not have (AA-9) or that
/// do not occupy agents (AA-12), until its free slots per category are used up.
pub fn bulk_take(waiting: &[Waiting], mut free: [u32; 4], counted: &CountedStatuses) -> Vec<usize> {
    let mut order: Vec<usize> = (0..waiting.len()).collect();
    order.sort_by_key(|&i| waiting[i].key);
    let mut taken = Vec::new();
    for i in order {
        let w = &waiting[i];
        let slot = &mut free[w.category.index()];
        if *slot == 0 || w.history || !assignable(w.status, counted) {
            continue;
        }
        *slot -= 1;
        taken.push(i);
        if free.iter().all(|&f| f == 0) {
            break;
        }
    }
    taken
}

/// AA-12: a conversation in a status that does not occupy agents is not assigned
/// automatically.
pub fn assignable(status: ConversationStatus, counted: &CountedStatuses) -> bool {
    counted.counts(status)
}

/// AA-11: what a queue change does to the assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueChange {
    /// The assignee belongs to the new queue and keeps the conversation.
    Keep,
    /// Unassigned; assignment runs on the new queue.
    UnassignAndAssign,
    /// Unassigned; the conversation waits in the new queue (assignment is off there).
    UnassignAndWait,
    /// It had no assignee: assignment runs on the new queue if it is on.
    Assign,
    /// It had no assignee and assignment is off: it waits.
    Wait,
}

/// AA-11 for a conversation assigned to `assignee` (if any) moving to a queue whose members
/// are `new_members`, with automatic assignment `aa_on` there.
pub fn on_queue_change(assignee: Option<u32>, new_members: &[u32], aa_on: bool) -> QueueChange {
    match (assignee, aa_on) {
        (Some(a), _) if new_members.contains(&a) => QueueChange::Keep,
        (Some(_), true) => QueueChange::UnassignAndAssign,
        (Some(_), false) => QueueChange::UnassignAndWait,
        (None, true) => QueueChange::Assign,
        (None, false) => QueueChange::Wait,
    }
}

/// AA-1: automatic assignment is on by default, and mandatory for queues that take calls.
/// Returns the problem with a queue's setting, if any.
pub fn check_queue_setting(aa_on: bool, takes_calls: bool) -> Result<(), &'static str> {
    if takes_calls && !aa_on {
        Err("automatic assignment is mandatory for queues that take calls (AA-1)")
    } else {
        Ok(())
    }
}

/// AA-1: the default for a new queue.
pub const AUTOMATIC_ASSIGNMENT_DEFAULT: bool = true;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::priority::Priority;

    const DAY: u64 = DAY_MS;

    #[test]
    fn aa_1_mandatory_for_queues_that_take_calls() {
        assert!(check_queue_setting(false, true).is_err());
        assert!(check_queue_setting(false, false).is_ok());
        assert!(check_queue_setting(true, true).is_ok());
    }

    #[test]
    fn aa_2_sticky_agent_within_each_look_back() {
        let now = 400 * DAY;
        let history = [(7, now - 45 * DAY), (3, now - 100 * DAY)];
        let anyone = |_| true;
        assert_eq!(sticky_agent(&history, LookBack::Days30, now, anyone), None);
        assert_eq!(
            sticky_agent(&history, LookBack::Days60, now, anyone),
            Some(7)
        );
        assert_eq!(sticky_agent(&history, LookBack::Year, now, anyone), Some(7));
        assert_eq!(sticky_agent(&[(3, 0)], LookBack::Year, now, anyone), None);
        assert_eq!(
            sticky_agent(&[(3, 0)], LookBack::Ever, now, anyone),
            Some(3)
        );
        // The last agent is busy: no sticky agent (the weighted sum decides), not agent 3.
        assert_eq!(
            sticky_agent(&history, LookBack::Ever, now, |a| a != 7),
            None
        );
        assert_eq!(sticky_agent(&[], LookBack::Ever, now, anyone), None);
    }

    #[test]
    fn aa_4_every_trigger_starts_the_right_run() {
        assert_eq!(Trigger::NewConversation.run(), Run::Single);
        assert_eq!(Trigger::QueueChanged.run(), Run::Single);
        assert_eq!(Trigger::Unassigned.run(), Run::Single);
        assert_eq!(Trigger::AgentAvailable.run(), Run::BulkForAgent);
        assert_eq!(Trigger::OccupancyDropped.run(), Run::BulkForAgent);
        assert_eq!(Trigger::WorkingHoursStarted.run(), Run::BulkForQueue);
    }

    fn w(priority: Priority, created_ms: u64, seq: u64) -> Waiting {
        Waiting {
            key: LineKey::new(priority, created_ms, seq),
            category: ChannelCategory::LiveMessaging,
            history: false,
            status: ConversationStatus::Open,
        }
    }

    #[test]
    fn aa_10_bulk_orders_by_priority_then_age_until_capacity_is_full() {
        let waiting = [
            w(Priority::Normal, 10, 0),
            w(Priority::High, 50, 1),
            w(Priority::Normal, 5, 2),
            w(Priority::Urgent, 90, 3),
        ];
        let free = [3, 0, 0, 0];
        assert_eq!(
            bulk_take(&waiting, free, &CountedStatuses::default()),
            vec![3, 1, 2]
        );
    }

    #[test]
    fn aa_9_bulk_skips_conversations_the_agent_had_before() {
        let mut waiting = [w(Priority::Urgent, 0, 0), w(Priority::Normal, 1, 1)];
        waiting[0].history = true;
        assert_eq!(
            bulk_take(&waiting, [5, 0, 0, 0], &CountedStatuses::default()),
            vec![1]
        );
    }

    #[test]
    fn aa_10_bulk_fills_each_category_separately() {
        let mut chat = w(Priority::Normal, 0, 0);
        chat.category = ChannelCategory::LiveChat;
        let waiting = [chat, w(Priority::Normal, 1, 1), w(Priority::Normal, 2, 2)];
        // One Live Chat slot, one Live Messaging slot.
        assert_eq!(
            bulk_take(&waiting, [1, 1, 0, 0], &CountedStatuses::default()),
            vec![0, 1]
        );
    }

    #[test]
    fn aa_12_conversations_that_do_not_occupy_agents_are_not_assigned() {
        let lean = CountedStatuses {
            waiting: false,
            solved: true,
        };
        let mut waiting = [w(Priority::Urgent, 0, 0), w(Priority::Normal, 1, 1)];
        waiting[0].status = ConversationStatus::Waiting;
        assert!(!assignable(ConversationStatus::Waiting, &lean));
        assert_eq!(bulk_take(&waiting, [5, 0, 0, 0], &lean), vec![1]);
    }

    #[test]
    fn aa_11_queue_change_keeps_a_member_assignee_else_unassigns() {
        assert_eq!(on_queue_change(Some(2), &[1, 2], true), QueueChange::Keep);
        assert_eq!(on_queue_change(Some(2), &[1, 2], false), QueueChange::Keep);
        assert_eq!(
            on_queue_change(Some(9), &[1, 2], true),
            QueueChange::UnassignAndAssign
        );
        assert_eq!(
            on_queue_change(Some(9), &[1, 2], false),
            QueueChange::UnassignAndWait
        );
        assert_eq!(on_queue_change(None, &[1], true), QueueChange::Assign);
        assert_eq!(on_queue_change(None, &[1], false), QueueChange::Wait);
    }
}
