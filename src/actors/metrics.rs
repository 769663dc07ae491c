//! What actors report: the metrics a recorder (and an invariant checker) consumes, and the
//! small enums they carry. Actors only emit these; they never read them back.

use super::ConvId;
use crate::model::channel::ChannelCategory;
use crate::model::status::DefaultStatus;

/// How an agent was chosen for a conversation (for the report's assignments by mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignedBy {
    /// The weighted sum among available agents (AA-7).
    Weighted,
    /// The customer's sticky agent (AA-2).
    Sticky,
    /// An agent that became available took the best waiting conversation (AA-10).
    Bulk,
    /// The queue has automatic assignment off; an agent took it by hand.
    Manual,
}

impl AssignedBy {
    /// Every way, in report order.
    pub const ALL: [AssignedBy; 4] = [
        AssignedBy::Weighted,
        AssignedBy::Sticky,
        AssignedBy::Bulk,
        AssignedBy::Manual,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AssignedBy::Weighted => "weighted",
            AssignedBy::Sticky => "sticky",
            AssignedBy::Bulk => "bulk",
            AssignedBy::Manual => "manual",
        }
    }
}

/// How a conversation reached its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutedVia {
    /// Its segment goes straight to a queue (no routing).
    Direct,
    /// The route with this index matched (RT-1).
    Route(u32),
    /// No route matched: the Default queue (RT-4).
    Default,
}

/// What actors report for the statistics. The recorder is outside the actors and may ignore,
/// count or integrate these; actors never read them back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metric {
    /// Customer number `arrival_seq` of segment `segment` arrived with this patience. The
    /// draws behind it depend only on the seed and the segment's name, never on agents, queues
    /// or routing (what makes baseline and candidate comparable).
    Arrived {
        /// Segment index.
        segment: u32,
        /// When, ms.
        arrived_ms: u64,
        /// Patience drawn, ms; `None` if the segment's customers never abandon.
        patience_ms: Option<u64>,
    },
    /// The platform routed a conversation into `queue`.
    Routed {
        /// How it got there.
        via: RoutedVia,
        /// Destination queue index.
        queue: u32,
        /// When, ms.
        arrived_ms: u64,
    },
    /// A customer joined queue `queue`.
    Offered {
        /// Queue index.
        queue: u32,
        /// When the customer arrived, ms.
        arrived_ms: u64,
    },
    /// A conversation was handed to an agent after waiting `wait_ms`.
    Answered {
        /// Queue index.
        queue: u32,
        /// The agent.
        agent: u32,
        /// How the agent was chosen.
        by: AssignedBy,
        /// When the customer arrived, ms.
        arrived_ms: u64,
        /// Time in the queue, ms.
        wait_ms: u64,
    },
    /// A customer abandoned after waiting `wait_ms`.
    Abandoned {
        /// Queue index.
        queue: u32,
        /// When the customer arrived, ms.
        arrived_ms: u64,
        /// Time in the queue, ms.
        wait_ms: u64,
    },
    /// The number waiting in `queue` is now `len`.
    QueueLength {
        /// Queue index.
        queue: u32,
        /// Waiting conversations.
        len: u32,
    },
    /// Agent `agent` now holds `busy_slots` conversations, `in_category` of them in
    /// `category` (the one that just changed).
    AgentBusy {
        /// The agent.
        agent: u32,
        /// Conversations held, all categories.
        busy_slots: u32,
        /// The category that changed.
        category: ChannelCategory,
        /// Conversations held in it.
        in_category: u32,
    },
    /// A conversation opened outside its queue's hours got the away message (WH-3), and was
    /// closed at once if `closed`.
    AwayMessage {
        /// Queue index.
        queue: u32,
        /// When, ms.
        arrived_ms: u64,
        /// Closed right after it.
        closed: bool,
    },
    /// The platform reserved a slot of `agent` for a conversation of `queue` (recorded before
    /// the agent's status is updated for it, so checkers see the status it was chosen in).
    Assigned {
        /// The conversation.
        conv: ConvId,
        /// Its customer (see [`History::customer`]).
        customer: u64,
        /// Queue index.
        queue: u32,
        /// The agent.
        agent: u32,
        /// How it was chosen.
        by: AssignedBy,
    },
    /// Conversation `conv` was taken from agent `agent` (logged out, ST-3) and put back in line.
    Unassigned {
        /// The conversation.
        conv: ConvId,
        /// The agent it was taken from.
        agent: u32,
        /// Queue index.
        queue: u32,
    },
    /// A conversation that came back to the line was handed to another agent.
    Reassigned {
        /// Queue index.
        queue: u32,
        /// The agent.
        agent: u32,
    },
    /// Agent `agent` now shows `status` (set by shifts, or Full Capacity by the platform).
    AgentStatus {
        /// The agent.
        agent: u32,
        /// The status shown.
        status: DefaultStatus,
    },
    /// Agent `agent` went on (true) or off (false) shift.
    AgentShift {
        /// The agent.
        agent: u32,
        /// On shift?
        on: bool,
    },
}
