//! [`AgentMsg`]: what an agent receives.

use super::{AgentAct, CustomerSays, WorkItem};
use crate::actors::ConvId;
use crate::model::channel::ChannelCategory;
use crate::model::ids::QueueIx;

/// What an agent receives: work, its customers' turns, its own timers, and the platform's
/// decisions about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgentMsg {
    /// The shift or a scheduled status may have started or ended.
    ShiftCheck,
    /// The agent stops working without logging out (ST-3).
    DropOut,
    /// The platform logs the inactive agent out (ST-3).
    LogOut,
    /// Handle this conversation: from its queue (an automatic or manual assignment), or from
    /// the platform when a colleague transferred it (ST-1).
    Serve {
        /// The conversation: its place in line (to put it back if the agent is logged out
        /// before working on it), its segment (with the queue, the handle-time distribution)
        /// and the agents it had.
        item: WorkItem,
        /// The queue it was served from.
        queue: QueueIx,
        /// `false`: a colleague's transfer (ST-1) or the bot's direct assignment (004), which
        /// capacity does not limit.
        assigned: bool,
    },
    /// Handling of `conv` is complete (handle-time model; for calls, the talk).
    ServiceDone {
        /// The conversation.
        conv: ConvId,
        /// Capacity category.
        category: ChannelCategory,
    },
    /// The agent's reply to the customer's turn is written (its own timer).
    ReplyDue {
        /// The conversation.
        conv: ConvId,
    },
    /// A turn of the customer's (a message burst, or its "thanks, that is all").
    Customer {
        /// The conversation.
        conv: ConvId,
        /// What the customer says.
        says: CustomerSays,
    },
    /// The customer has not replied for the agent's patience: it solves (its own timer).
    SilenceDue {
        /// The conversation.
        conv: ConvId,
    },
    /// A Solved conversation's time is up: it is closed (its own timer).
    CloseDue {
        /// The conversation.
        conv: ConvId,
    },
    /// The platform: the agent belongs to the queue it moved the conversation to and keeps it
    /// (AA-11), or nobody could take the conversation it handed to another agent (ST-1).
    TransferKept {
        /// The conversation.
        conv: ConvId,
        /// Its new queue.
        queue: QueueIx,
    },
    /// The platform took the conversation from the agent (a transfer to a queue it does not
    /// belong to, AA-11).
    Released {
        /// The conversation.
        conv: ConvId,
    },
    /// A workflow acts on a conversation the agent holds (WF-5).
    WorkflowAct {
        /// The conversation.
        conv: ConvId,
        /// What to do.
        act: AgentAct,
    },
}
