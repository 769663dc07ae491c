//! [`CustomerMsg`]: what the customer actor receives.

use crate::actors::ConvId;
use crate::model::ids::{AgentIx, QueueIx, SegmentIx};
use crate::model::priority::LineKey;

/// What the customer actor receives: its arrival timers, and what happens to each
/// conversation of its customers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CustomerMsg {
    /// Time for segment `segment`'s next customer.
    NextArrival {
        /// Segment index.
        segment: SegmentIx,
    },
    /// Time for row `row` of the replayed trace.
    TraceArrival {
        /// Row index.
        row: u32,
    },
    /// The waiting customer's patience ran out.
    PatienceExpired {
        /// The conversation.
        conv: ConvId,
    },
    /// The platform routed the conversation into `queue` at `key`.
    Routed {
        /// The conversation.
        conv: ConvId,
        /// Destination queue index.
        queue: QueueIx,
        /// Its place in line there.
        key: LineKey,
    },
    /// An agent took the conversation: patience no longer applies; the customer's messages go
    /// to `agent`.
    Answered {
        /// The conversation.
        conv: ConvId,
        /// The agent.
        agent: AgentIx,
        /// The queue it was answered from.
        queue: QueueIx,
    },
    /// The conversation turned Solved (sent when surveys are on, SUR-1).
    Solved {
        /// The conversation.
        conv: ConvId,
        /// Its queue.
        queue: QueueIx,
    },
    /// The agent's reply reached the customer.
    AgentReplied {
        /// The conversation.
        conv: ConvId,
    },
    /// The conversation was closed.
    Closed {
        /// The conversation.
        conv: ConvId,
    },
    /// A message of the customer's found its conversation closed (WF-2): it starts a new one.
    Rejected {
        /// The conversation.
        conv: ConvId,
    },
    /// A human gave the conversation back to the bot (BOT-2): the customer talks to it again.
    BackToBot {
        /// The conversation.
        conv: ConvId,
    },
    /// The bot's reply reached the customer.
    BotReplied {
        /// The conversation.
        conv: ConvId,
    },
    /// The customer's next turn is due (its own timer).
    CustomerWrites {
        /// The conversation.
        conv: ConvId,
    },
    /// The conversation went back to a waiting line after an assignment (unassigned or moved):
    /// the customer's next message waits for the next agent, and a customer waiting for an
    /// answer waits there with the patience it had.
    Requeued {
        /// The conversation.
        conv: ConvId,
        /// The queue it waits in now.
        queue: QueueIx,
        /// Its place there.
        key: LineKey,
    },
    /// The conversation's place in line changed (a new priority).
    Rekeyed {
        /// The conversation.
        conv: ConvId,
        /// Its new place.
        key: LineKey,
    },
    /// The queue let the customer go (abandonment confirmed).
    Left {
        /// The conversation.
        conv: ConvId,
    },
    /// The agent finished the conversation.
    Finished {
        /// The conversation.
        conv: ConvId,
    },
}
