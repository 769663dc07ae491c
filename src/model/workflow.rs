//! Workflows (WF-1..5): "if this, then that" automations on chat conversations.
//!
//! - WF-1: triggers are time-based (at least 10 seconds, at most 90 days) or event-based, and
//!   several triggers are OR'ed; conditions are groups AND'ed within and OR'ed between; actions
//!   run in order, and Close conversation must be the last.
//! - WF-2: workflows act on Open, Waiting and Solved conversations of chat channels; a Closed
//!   conversation takes nothing.
//! - WF-3: workflows run in their list order, and what one does may trigger a later one.
//! - WF-4: the time-based triggers: customer has not replied for X (from the first agent message
//!   left unanswered), agent has not replied for X (from the first customer message left
//!   unanswered), Solved and unmodified for X, Solved for X, Waiting for X.
//! - WF-5: the actions: send a message (over the channel of the last inbound message), add or
//!   remove tags, set Solved, set priority, unassign, close, call an API.
//!
//! This module holds the definitions and the pure decisions: which workflows an event starts,
//! when a time-based trigger falls due, whether conditions hold, and whether a definition is
//! valid. The platform actor keeps each conversation's [`WorkflowFacts`] and applies the actions.

use super::priority::Priority;
use super::status::ConversationStatus;

/// The shortest time-based trigger, ms (WF-1).
pub const MIN_DELAY_MS: u64 = 10_000;
/// The longest time-based trigger, ms (WF-1).
pub const MAX_DELAY_MS: u64 = 90 * 86_400_000;

/// What a time-based trigger waits on (WF-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pending {
    /// The customer has not replied since the first agent message left unanswered.
    CustomerReply,
    /// The agent has not replied since the first customer message left unanswered.
    AgentReply,
    /// Solved, whatever happened since.
    Solved,
    /// Solved, and nothing changed since.
    SolvedUnmodified,
    /// In Waiting.
    Waiting,
}

impl Pending {
    /// Every kind, in a fixed order (index of [`WorkflowFacts::since`]).
    pub const ALL: [Pending; 5] = [
        Pending::CustomerReply,
        Pending::AgentReply,
        Pending::Solved,
        Pending::SolvedUnmodified,
        Pending::Waiting,
    ];

    /// Index in [`Pending::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Something that happens to a conversation (the event-based triggers, WF-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Its status changed to this one.
    StatusChanged(ConversationStatus),
    /// It moved to another queue.
    QueueChanged,
    /// Tags were added or removed.
    TagChanged,
    /// A customer message arrived.
    InboundMessage,
    /// An agent sent a message.
    OutboundAgentMessage,
}

/// A trigger: a time-based one (WF-4) or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// When `pending` has lasted more than `after_ms`.
    After {
        /// What has been pending.
        pending: Pending,
        /// For how long, ms.
        after_ms: u64,
    },
    /// When the event happens.
    On(Event),
}

/// A condition on the conversation (WF-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Its queue is (not, with `negate`) among these.
    Queue {
        /// Queue indices.
        queues: Vec<u32>,
        /// `is not in list`.
        negate: bool,
    },
    /// Its status is (not) among these.
    Status {
        /// Statuses.
        statuses: Vec<ConversationStatus>,
        /// `is not in list`.
        negate: bool,
    },
    /// It has (not) any of these tags.
    Tag {
        /// Tag bits (see [`WorkflowFacts::tags`]).
        tags: u64,
        /// `is not in list`.
        negate: bool,
    },
    /// It is (not) assigned to an agent.
    Assigned(bool),
}

/// An action (WF-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Send a message to the customer over the channel of its last inbound message.
    SendMessage,
    /// Add these tags.
    AddTags(u64),
    /// Remove these tags.
    RemoveTags(u64),
    /// Set Solved.
    SetSolved,
    /// Set the priority.
    SetPriority(Priority),
    /// Unassign the agent.
    Unassign,
    /// Close the conversation (always the last action).
    Close,
    /// Call an external API (counted; it changes nothing in the centre).
    CallApi,
}

/// A workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// Name, for reports.
    pub name: String,
    /// Disabled workflows never run.
    pub enabled: bool,
    /// Any of them starts it.
    pub triggers: Vec<Trigger>,
    /// Groups of conditions: every condition of one group must hold; none: always.
    pub conditions: Vec<Vec<Condition>>,
    /// In order.
    pub actions: Vec<Action>,
}

/// Why a workflow cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// No trigger.
    #[error("no triggers: expected at least one (WF-1)")]
    NoTrigger,
    /// A time outside 10 s ..= 90 days.
    #[error("a time-based trigger of {0} s: expected 10 seconds to 90 days (WF-1)")]
    DelayOutOfRange(u64),
    /// No action.
    #[error("no actions: expected at least one (WF-1)")]
    NoAction,
    /// Close before other actions.
    #[error("close must be the last action (WF-1)")]
    CloseNotLast,
}

impl Workflow {
    /// Checks WF-1's limits.
    pub fn validate(&self) -> Result<(), WorkflowError> {
        if self.triggers.is_empty() {
            return Err(WorkflowError::NoTrigger);
        }
        for t in &self.triggers {
            if let Trigger::After { after_ms, .. } = t
                && !(MIN_DELAY_MS..=MAX_DELAY_MS).contains(after_ms)
            {
                return Err(WorkflowError::DelayOutOfRange(after_ms / 1000));
            }
        }
        if self.actions.is_empty() {
            return Err(WorkflowError::NoAction);
        }
        if let Some(i) = self.actions.iter().position(|a| *a == Action::Close)
            && i + 1 != self.actions.len()
        {
            return Err(WorkflowError::CloseNotLast);
        }
        Ok(())
    }

    /// Whether `event` is one of its triggers.
    pub fn triggered_by(&self, event: Event) -> bool {
        self.enabled && self.triggers.contains(&Trigger::On(event))
    }

    /// Its wait for `pending`, if it has a time-based trigger on it.
    pub fn waits_on(&self, pending: Pending) -> Option<u64> {
        if !self.enabled {
            return None;
        }
        self.triggers.iter().find_map(|t| match *t {
            Trigger::After {
                pending: p,
                after_ms,
            } if p == pending => Some(after_ms),
            _ => None,
        })
    }

    /// Whether its conditions hold for a conversation with these `facts` (WF-1), and it may act
    /// on it at all (WF-2: not Closed).
    pub fn applies(&self, facts: &WorkflowFacts) -> bool {
        facts.status != ConversationStatus::Closed
            && (self.conditions.is_empty()
                || self
                    .conditions
                    .iter()
                    .any(|group| group.iter().all(|c| c.holds(facts))))
    }
}

impl Condition {
    /// Whether the condition holds.
    pub fn holds(&self, f: &WorkflowFacts) -> bool {
        match self {
            Condition::Queue { queues, negate } => queues.contains(&f.queue) != *negate,
            Condition::Status { statuses, negate } => statuses.contains(&f.status) != *negate,
            Condition::Tag { tags, negate } => (f.tags & tags != 0) != *negate,
            Condition::Assigned(assigned) => f.agent.is_some() == *assigned,
        }
    }
}

/// What workflows know of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowFacts {
    /// Its queue.
    pub queue: u32,
    /// Its status.
    pub status: ConversationStatus,
    /// Its tags, one bit per tag.
    pub tags: u64,
    /// Its agent, if assigned.
    pub agent: Option<u32>,
    /// Its priority.
    pub priority: Priority,
    /// Since when each [`Pending`] state has held (by [`Pending::index`]), if it holds.
    pub since: [Option<u64>; 5],
    /// Bumped whenever a pending state starts again, so a timer set for an earlier start is
    /// recognised as stale (each start gets one attempt per workflow).
    pub epochs: [u32; 5],
}

impl WorkflowFacts {
    /// A new conversation in `queue` whose customer wrote first at `at_ms`: Open, unassigned,
    /// the agent's reply pending.
    pub fn new(queue: u32, priority: Priority, at_ms: u64) -> Self {
        let mut f = Self {
            queue,
            status: ConversationStatus::Open,
            tags: 0,
            agent: None,
            priority,
            since: [None; 5],
            epochs: [0; 5],
        };
        f.start(Pending::AgentReply, at_ms);
        f
    }

    /// `pending` starts holding at `at_ms` unless it already holds (WF-4 counts from the first
    /// unanswered message).
    pub fn start(&mut self, pending: Pending, at_ms: u64) -> bool {
        let i = pending.index();
        if self.since[i].is_some() {
            return false;
        }
        self.since[i] = Some(at_ms);
        self.epochs[i] = self.epochs[i].wrapping_add(1);
        true
    }

    /// `pending` stops holding.
    pub fn stop(&mut self, pending: Pending) {
        self.since[pending.index()] = None;
    }

    /// The states a customer message changes: the customer replied, the agent now owes one; a
    /// Solved or Waiting conversation reopens. Returns the states that started.
    pub fn inbound(&mut self, at_ms: u64) -> Vec<Pending> {
        self.stop(Pending::CustomerReply);
        self.modified();
        let mut started = Vec::new();
        if self.start(Pending::AgentReply, at_ms) {
            started.push(Pending::AgentReply);
        }
        started
    }

    /// The states an agent message changes: the agent replied, the customer now owes one.
    pub fn outbound(&mut self, at_ms: u64) -> Vec<Pending> {
        self.stop(Pending::AgentReply);
        self.modified();
        let mut started = Vec::new();
        if self.start(Pending::CustomerReply, at_ms) {
            started.push(Pending::CustomerReply);
        }
        started
    }

    /// A change to the conversation: "Solved and unmodified" starts over if it held.
    pub fn modified(&mut self) {
        self.stop(Pending::SolvedUnmodified);
    }

    /// The status changed at `at_ms`. Returns the time-based states that started.
    pub fn status_changed(&mut self, to: ConversationStatus, at_ms: u64) -> Vec<Pending> {
        self.status = to;
        self.modified();
        let mut started = Vec::new();
        match to {
            ConversationStatus::Solved => {
                self.stop(Pending::Waiting);
                self.stop(Pending::AgentReply);
                self.stop(Pending::CustomerReply);
                for p in [Pending::Solved, Pending::SolvedUnmodified] {
                    if self.start(p, at_ms) {
                        started.push(p);
                    }
                }
            }
            ConversationStatus::Waiting => {
                if self.start(Pending::Waiting, at_ms) {
                    started.push(Pending::Waiting);
                }
            }
            ConversationStatus::Open => {
                self.stop(Pending::Solved);
                self.stop(Pending::SolvedUnmodified);
                self.stop(Pending::Waiting);
            }
            ConversationStatus::Closed => self.since = [None; 5],
        }
        started
    }

    /// Whether a timer set for `pending` at epoch `epoch` is still the current one.
    pub fn current(&self, pending: Pending, epoch: u32) -> bool {
        let i = pending.index();
        self.since[i].is_some() && self.epochs[i] == epoch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    fn workflow(triggers: Vec<Trigger>, actions: Vec<Action>) -> Workflow {
        Workflow {
            name: "w".into(),
            enabled: true,
            triggers,
            conditions: Vec::new(),
            actions,
        }
    }

    fn after(pending: Pending, after_ms: u64) -> Trigger {
        Trigger::After { pending, after_ms }
    }

    #[test]
    fn wf_1_limits_of_triggers_and_actions() {
        let ok = workflow(
            vec![after(Pending::CustomerReply, 24 * 60 * MIN)],
            vec![Action::SendMessage, Action::Close],
        );
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(
            workflow(vec![], vec![Action::Close]).validate(),
            Err(WorkflowError::NoTrigger)
        );
        assert_eq!(
            workflow(vec![after(Pending::Solved, 9_000)], vec![Action::Close]).validate(),
            Err(WorkflowError::DelayOutOfRange(9))
        );
        assert_eq!(
            workflow(
                vec![after(Pending::Solved, MAX_DELAY_MS + 1)],
                vec![Action::Close]
            )
            .validate(),
            Err(WorkflowError::DelayOutOfRange(MAX_DELAY_MS / 1000))
        );
        assert_eq!(
            workflow(vec![after(Pending::Solved, MIN_DELAY_MS)], vec![]).validate(),
            Err(WorkflowError::NoAction)
        );
        assert_eq!(
            workflow(
                vec![after(Pending::Solved, MIN_DELAY_MS)],
                vec![Action::Close, Action::SendMessage]
            )
            .validate(),
            Err(WorkflowError::CloseNotLast)
        );
    }

    #[test]
    fn wf_1_triggers_are_ored_and_condition_groups_and_within_or_between() {
        let mut w = workflow(
            vec![
                Trigger::On(Event::QueueChanged),
                Trigger::On(Event::StatusChanged(ConversationStatus::Solved)),
            ],
            vec![Action::AddTags(1)],
        );
        assert!(w.triggered_by(Event::QueueChanged));
        assert!(w.triggered_by(Event::StatusChanged(ConversationStatus::Solved)));
        assert!(!w.triggered_by(Event::StatusChanged(ConversationStatus::Open)));
        w.conditions = vec![
            vec![
                Condition::Queue {
                    queues: vec![0],
                    negate: false,
                },
                Condition::Assigned(true),
            ],
            vec![Condition::Tag {
                tags: 0b100,
                negate: false,
            }],
        ];
        let mut f = WorkflowFacts::new(0, Priority::Normal, 0);
        assert!(!w.applies(&f), "queue 0 but unassigned, no tag");
        f.agent = Some(3);
        assert!(w.applies(&f));
        f.queue = 1;
        assert!(!w.applies(&f));
        f.tags = 0b110;
        assert!(w.applies(&f), "the second group");
        w.enabled = false;
        assert!(!w.triggered_by(Event::QueueChanged));
    }

    #[test]
    fn wf_2_closed_conversations_take_no_workflow() {
        let w = workflow(
            vec![Trigger::On(Event::InboundMessage)],
            vec![Action::SetSolved],
        );
        let mut f = WorkflowFacts::new(0, Priority::Normal, 0);
        assert!(w.applies(&f));
        f.status_changed(ConversationStatus::Closed, 10);
        assert!(!w.applies(&f));
        assert_eq!(f.since, [None; 5]);
    }

    #[test]
    fn wf_4_pending_states_count_from_the_first_unanswered_message() {
        let mut f = WorkflowFacts::new(0, Priority::Normal, 0);
        assert_eq!(f.since[Pending::AgentReply.index()], Some(0));
        // A second customer message does not restart the agent's clock.
        assert!(f.inbound(5 * MIN).is_empty());
        assert_eq!(f.since[Pending::AgentReply.index()], Some(0));
        // The agent replies: the customer's clock starts; more agent messages do not restart it.
        assert_eq!(f.outbound(7 * MIN), vec![Pending::CustomerReply]);
        assert!(f.outbound(8 * MIN).is_empty());
        assert_eq!(f.since[Pending::CustomerReply.index()], Some(7 * MIN));
        assert_eq!(f.since[Pending::AgentReply.index()], None);
        let epoch = f.epochs[Pending::CustomerReply.index()];
        assert!(f.current(Pending::CustomerReply, epoch));
        // The customer answers: that clock is stale even if it starts again later.
        f.inbound(20 * MIN);
        f.outbound(21 * MIN);
        assert!(!f.current(Pending::CustomerReply, epoch));
        // Solved starts "solved for" and "solved and unmodified"; a change stops only the latter.
        let started = f.status_changed(ConversationStatus::Solved, 30 * MIN);
        assert_eq!(started, vec![Pending::Solved, Pending::SolvedUnmodified]);
        f.modified();
        assert!(f.since[Pending::Solved.index()].is_some());
        assert!(f.since[Pending::SolvedUnmodified.index()].is_none());
        // Waiting for X.
        f.status_changed(ConversationStatus::Open, 40 * MIN);
        assert_eq!(
            f.status_changed(ConversationStatus::Waiting, 41 * MIN),
            vec![Pending::Waiting]
        );
        assert_eq!(
            workflow(vec![after(Pending::Waiting, 10 * MIN)], vec![Action::Close])
                .waits_on(Pending::Waiting),
            Some(10 * MIN)
        );
    }
}
