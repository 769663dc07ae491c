//! [`QueueMsg`]: what a queue receives.

use super::{QueueAct, WorkItem};
use crate::actors::{AssignedBy, ConvId};
use crate::model::channel::ChannelCategory;
use crate::model::ids::AgentIx;
use crate::model::priority::LineKey;
use crate::model::status::ConversationStatus;

/// What a queue receives: conversations joining, leaving and being offered from its line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QueueMsg {
    /// A new conversation joins the line.
    Enqueue {
        /// The conversation (its history: its customer; no agent has had it yet).
        item: WorkItem,
        /// The queue was inside its working hours when it arrived (else no waiting strategy
        /// starts, WH-4).
        in_hours: bool,
    },
    /// Nobody could take the conversation when it started waiting: it waits unassigned, and
    /// its waiting strategy starts if it may (WS-1).
    Unserved {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
    },
    /// The next step of a conversation's waiting strategy is due (the queue's own timer).
    StrategyDue {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
    },
    /// A workflow acts on a waiting conversation (WF-5).
    WorkflowQueueAct {
        /// The conversation.
        conv: ConvId,
        /// Its place in line as the platform knows it.
        key: LineKey,
        /// What to do.
        act: QueueAct,
    },
    /// A conversation its agent lost (ST-3 logout) comes back to the line, at its old place,
    /// never to go to that agent again (AA-9).
    Requeue {
        /// The conversation, at its old place in line (its creation time keeps it ahead of
        /// newer ones), with the agents it had.
        item: WorkItem,
        /// Its status (one that does not occupy agents is not assigned automatically, AA-12).
        status: ConversationStatus,
    },
    /// The customer gives up.
    Abandon {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
    },
    /// The platform reserved a slot of `agent` for conversation `conv` (the head it last saw).
    Offer {
        /// The agent.
        agent: AgentIx,
        /// How the agent was chosen.
        by: AssignedBy,
        /// The conversation the offer is for.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
        /// Category of the reserved slot.
        category: ChannelCategory,
    },
    /// Platform → queue: the customer wrote into a conversation waiting in line in a status
    /// that did not occupy agents; it is Open again (AA-12).
    Reopened {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
    },
}
