//! BOT-3 and 004: the steps of a handoff, through routing or straight to an agent, and why the
//! bot hands over.

/// One step of a handoff, in order (BOT-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffStep {
    /// Remove the bot as assignee.
    Unassign,
    /// Tag the conversation [`HANDOFF_TAG`](super::HANDOFF_TAG).
    Tag,
    /// Leave an internal note with a summary and the sentiment.
    Note,
    /// Ask the platform to route it (to a queue, or the unassigned view).
    Route,
    /// Change the conversation's assignee from the bot to a named agent: routing is avoided
    /// and the assignment is direct (004, "Transferring conversation from bot to agent").
    Assign,
}

/// BOT-3: the steps of a handoff.
pub const HANDOFF: [HandoffStep; 4] = [
    HandoffStep::Unassign,
    HandoffStep::Tag,
    HandoffStep::Note,
    HandoffStep::Route,
];

/// The steps of a handoff straight to an agent: tag and note as for any handoff, then the
/// new assignee (004's second way; no unassign first, the assignee is replaced).
pub const HANDOFF_TO_AGENT: [HandoffStep; 3] =
    [HandoffStep::Tag, HandoffStep::Note, HandoffStep::Assign];

/// The steps after a refused assignment to an agent (none of the named agents was logged in):
/// the integration hands over through routing instead.
pub const HANDOFF_ROUTED_INSTEAD: [HandoffStep; 2] = [HandoffStep::Unassign, HandoffStep::Route];

/// The step of `plan` after `step`, if any.
pub fn next_handoff_step(plan: &[HandoffStep], step: HandoffStep) -> Option<HandoffStep> {
    let k = plan.iter().position(|s| *s == step)?;
    plan.get(k + 1).copied()
}

/// Handoffs the integration assigns straight to an agent of a group (004): which share, and
/// the queue that stands for "no queue" in reports (the group's agents are its members; no
/// automatic assignment).
#[derive(Debug, Clone, PartialEq)]
pub struct DirectAssignSpec {
    /// Share of handoffs, 0..1.
    pub share: f64,
    /// The queue of conversations assigned this way.
    pub queue: u32,
    /// The agent group's name (live runs send it as the new assignee's id).
    pub group: String,
}

/// Why the bot handed a conversation over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffReason {
    /// The customer needs a human.
    Customer,
    /// Its actions failed too often in a row (ACT-1).
    ActionFailures,
}
