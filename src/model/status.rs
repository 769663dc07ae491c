//! Agent statuses (ST-1..4) and which conversation statuses occupy capacity (CAP-4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::capacity::is_full_capacity;

/// ST-1: the four status groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusGroup {
    /// Signed in and taking new conversations.
    Available,
    /// No new conversations; transferred ones yes.
    Busy,
    /// Away from the computer: no new conversations; transferred ones yes.
    Away,
    /// Not signed in: no conversations at all.
    Unavailable,
}

impl StatusGroup {
    /// Whether an agent in this group may be given a new conversation (ST-1): only the
    /// Available group is a candidate for automatic assignment.
    pub fn receives_new(self) -> bool {
        self == StatusGroup::Available
    }

    /// Whether an agent in this group may receive a transferred conversation (ST-1).
    pub fn receives_transferred(self) -> bool {
        self != StatusGroup::Unavailable
    }
}

/// The platform's default statuses and their groups; custom statuses name a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultStatus {
    /// Available.
    Available,
    /// Busy.
    Busy,
    /// Away.
    Away,
    /// Offline (Unavailable).
    Offline,
    /// **(decision)** Full Capacity, set by the system (ST-2), counts as Busy: the agent takes
    /// no new conversations until it drops below 90 %.
    FullCapacity,
}

impl DefaultStatus {
    /// The name in scenarios and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultStatus::Available => "available",
            DefaultStatus::Busy => "busy",
            DefaultStatus::Away => "away",
            DefaultStatus::Offline => "offline",
            DefaultStatus::FullCapacity => "full_capacity",
        }
    }

    /// The group of the status.
    pub fn group(self) -> StatusGroup {
        match self {
            DefaultStatus::Available => StatusGroup::Available,
            DefaultStatus::Busy | DefaultStatus::FullCapacity => StatusGroup::Busy,
            DefaultStatus::Away => StatusGroup::Away,
            DefaultStatus::Offline => StatusGroup::Unavailable,
        }
    }
}

/// ST-2: the status an agent shows given the status it set and its (occupancy, capacity) in
/// Email, Live Messaging and Live Chat. An Available agent at 90 % or more shows Full
/// Capacity; **(decision)** it returns to Available as soon as the sum drops below 90 % (the
/// document's "below the maximum"), without hysteresis. Statuses other than Available are
/// never overridden.
pub fn shown_status(set: DefaultStatus, loads: &[(u32, u32)]) -> DefaultStatus {
    match set {
        DefaultStatus::Available | DefaultStatus::FullCapacity => {
            if is_full_capacity(loads) {
                DefaultStatus::FullCapacity
            } else {
                DefaultStatus::Available
            }
        }
        other => other,
    }
}

/// ST-3: what the platform does to an agent who has shown no activity since
/// `inactive_since_ms`. One who shows a status of the Available group is logged out (made
/// Unavailable) once `logout_after_ms` has passed; one who left in any other status keeps it.
pub fn status_after_inactivity(
    group: StatusGroup,
    inactive_since_ms: u64,
    now_ms: u64,
    logout_after_ms: u64,
) -> StatusGroup {
    if group == StatusGroup::Available
        && now_ms.saturating_sub(inactive_since_ms) >= logout_after_ms
    {
        StatusGroup::Unavailable
    } else {
        group
    }
}

/// ST-4: the stages of a call for the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStage {
    /// Offered, not yet accepted.
    Ringing,
    /// Talking.
    InCall,
    /// After the call: notes and wrap-up.
    Wrapping,
}

impl CallStage {
    /// Whether the call occupies the agent's voice capacity (CAP-3, ST-4): during the call,
    /// not during wrap-up.
    pub fn occupies_capacity(self) -> bool {
        self != CallStage::Wrapping
    }
}

/// A conversation's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Open.
    Open,
    /// Waiting (on the customer).
    Waiting,
    /// Solved (may be reopened).
    Solved,
    /// Closed for good.
    Closed,
}

/// CAP-4: which conversation statuses count toward an agent's capacity. Open always counts,
/// Closed never; Waiting and Solved are configurable (both count by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CountedStatuses {
    /// Whether Waiting conversations count.
    #[serde(default = "yes")]
    pub waiting: bool,
    /// Whether Solved conversations count.
    #[serde(default = "yes")]
    pub solved: bool,
}

fn yes() -> bool {
    true
}

impl Default for CountedStatuses {
    fn default() -> Self {
        Self {
            waiting: true,
            solved: true,
        }
    }
}

impl CountedStatuses {
    /// Whether a conversation in `status` occupies its agent.
    pub fn counts(&self, status: ConversationStatus) -> bool {
        match status {
            ConversationStatus::Open => true,
            ConversationStatus::Waiting => self.waiting,
            ConversationStatus::Solved => self.solved,
            ConversationStatus::Closed => false,
        }
    }
}

/// AA-5: an agent may be given a conversation of a category when its status is in the
/// Available group and it holds fewer counted conversations of that category than its
/// capacity there.
pub fn available_for_assignment(group: StatusGroup, held: u32, capacity: u32) -> bool {
    group.receives_new() && held < capacity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn st_1_only_the_available_group_receives_new_conversations() {
        assert!(StatusGroup::Available.receives_new());
        for g in [
            StatusGroup::Busy,
            StatusGroup::Away,
            StatusGroup::Unavailable,
        ] {
            assert!(!g.receives_new(), "{g:?}");
        }
        assert!(StatusGroup::Busy.receives_transferred());
        assert!(StatusGroup::Away.receives_transferred());
        assert!(!StatusGroup::Unavailable.receives_transferred());
        assert_eq!(DefaultStatus::Offline.group(), StatusGroup::Unavailable);
    }

    #[test]
    fn st_2_full_capacity_at_93_not_at_83() {
        let before = [(2, 6), (1, 5), (3, 10)];
        let after = [(2, 6), (1, 5), (4, 10)];
        assert_eq!(
            shown_status(DefaultStatus::Available, &before),
            DefaultStatus::Available
        );
        assert_eq!(
            shown_status(DefaultStatus::Available, &after),
            DefaultStatus::FullCapacity
        );
        assert_eq!(DefaultStatus::FullCapacity.group(), StatusGroup::Busy);
        // Back under 90 %: Available again. A Busy agent stays Busy whatever its load.
        assert_eq!(
            shown_status(DefaultStatus::FullCapacity, &before),
            DefaultStatus::Available
        );
        assert_eq!(
            shown_status(DefaultStatus::Away, &after),
            DefaultStatus::Away
        );
    }

    #[test]
    fn st_3_inactive_available_agents_are_logged_out_others_keep_their_status() {
        let min = 60_000;
        assert_eq!(
            status_after_inactivity(StatusGroup::Available, 0, 9 * min, 10 * min),
            StatusGroup::Available
        );
        assert_eq!(
            status_after_inactivity(StatusGroup::Available, 0, 10 * min, 10 * min),
            StatusGroup::Unavailable
        );
        assert_eq!(
            status_after_inactivity(StatusGroup::Away, 0, 99 * min, 10 * min),
            StatusGroup::Away
        );
        assert_eq!(
            status_after_inactivity(StatusGroup::Busy, 0, 99 * min, 10 * min),
            StatusGroup::Busy
        );
    }

    #[test]
    fn st_4_wrapping_does_not_occupy_capacity() {
        assert!(CallStage::Ringing.occupies_capacity());
        assert!(CallStage::InCall.occupies_capacity());
        assert!(!CallStage::Wrapping.occupies_capacity());
    }

    #[test]
    fn cap_4_open_always_counts_closed_never_waiting_and_solved_configurable() {
        let default = CountedStatuses::default();
        assert!(
            default.counts(ConversationStatus::Waiting)
                && default.counts(ConversationStatus::Solved)
        );
        let lean = CountedStatuses {
            waiting: false,
            solved: false,
        };
        assert!(lean.counts(ConversationStatus::Open));
        assert!(!lean.counts(ConversationStatus::Waiting));
        assert!(!lean.counts(ConversationStatus::Solved));
        assert!(!default.counts(ConversationStatus::Closed));
    }

    #[test]
    fn aa_5_available_means_available_group_and_under_capacity() {
        assert!(available_for_assignment(StatusGroup::Available, 2, 3));
        assert!(!available_for_assignment(StatusGroup::Available, 3, 3));
        assert!(!available_for_assignment(StatusGroup::Busy, 0, 3));
    }
}
