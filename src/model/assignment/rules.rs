//! The rules around the scorer: assignment modes (AA-1), sticky agents (AA-2), queue changes
//! (AA-11) and conversations that do not occupy agents (AA-12). When assignment runs and what
//! it takes (AA-4, AA-9, AA-10) is the [`super::assigner::Assigner`]'s.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    fn aa_12_conversations_that_do_not_occupy_agents_are_not_assigned() {
        let lean = CountedStatuses {
            waiting: false,
            solved: true,
        };
        assert!(!assignable(ConversationStatus::Waiting, &lean));
        assert!(assignable(ConversationStatus::Open, &lean));
        assert!(assignable(
            ConversationStatus::Waiting,
            &CountedStatuses::default()
        ));
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
