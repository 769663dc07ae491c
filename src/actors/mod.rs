//! The actors: sans-IO state machines that turn the model into behaviour over time.
//!
//! An actor owns its state, receives a [`Msg`] and asks its [`Context`] to send, schedule,
//! cancel, draw a random number or record a [`Metric`]. Nothing else: no clock reads, no I/O.
//! The simulation engine (`sim/`) is one driver of these actors; a live, wall-clock driver is
//! another.
//!
//! ```text
//! customers ──Inbound──▶ platform (routing, availability, hand-over)
//!     ▲  │                  │ Enqueue      ▲ HeadChanged     Offer goes to the queue,
//!     │  │                  ▼              │                 which hands the conversation
//!     │  └──Abandon──────▶ queue ──────────┘──Serve──▶ agent to the agent
//!     └──Routed / Answered / Left / Finished
//! ```
//!
//! - [`customer`]: the arrival streams and each waiting person's patience.
//! - [`queue`]: a waiting line (priority, then creation time); the authority on whether a
//!   conversation was answered or abandoned, and so the one that records it.
//! - [`agent`]: shifts and concurrent conversations up to capacity per category.
//! - [`platform`]: routing of new conversations, agents' availability and the hand-over of a
//!   queue's head to a free slot (the seam where Infobip's automatic assignment plugs in).

pub mod agent;
mod metrics;

pub use metrics::{AssignedBy, Metric, RoutedVia};
pub mod customer;
pub mod platform;
pub mod queue;

use crate::model::centre::AttrDraw;
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;
use crate::model::status::DefaultStatus;

/// Dense index of an actor.
pub type ActorId = u32;

/// Dense index of a random stream (see `sim::rng` for what names it).
pub type StreamId = u32;

/// Handle of a scheduled message, for [`Context::cancel`]; given out by the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimerId {
    /// The driver's sequence number of the message.
    pub seq: u64,
    /// Where the driver keeps it.
    pub slot: u32,
}

/// A conversation's identity: a slot of the customer actor's table and the generation of that
/// slot, so a reused slot never answers to an old id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConvId {
    /// Slot index.
    pub slot: u32,
    /// Generation of the slot.
    pub generation: u32,
}

/// A queue's first conversation, as the platform sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The conversation.
    pub conv: ConvId,
    /// Its place in line.
    pub key: LineKey,
    /// Its capacity category.
    pub category: ChannelCategory,
    /// Its customer and the agents it had before (AA-2, AA-9).
    pub history: History,
}

/// What a conversation carries with it: the customer it belongs to (for the sticky agent,
/// AA-2) and the agents that had it before, never chosen for it again automatically (AA-9; kept
/// inline: a conversation rarely loses more than a couple of agents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct History {
    /// The customer; ids with the top bit set belong to one-time customers who never return.
    pub customer: u64,
    agents: [u32; 4],
    len: u8,
    transfers: u8,
    /// More agents had it than fit here; the platform keeps the full list (AA-9).
    overflowed: bool,
}

/// The customer id of a test conversation whose customer never returns.
#[cfg(test)]
pub(crate) const ONE_TIME: u64 = ONE_TIME_CUSTOMER;

/// The top bit of a customer id that never returns.
pub const ONE_TIME_CUSTOMER: u64 = 1 << 63;

/// The bit of a customer id outside every segment population who may come back to its
/// conversation (population ids use the low 40 bits and the segment above them).
pub const RETURNING_UNNAMED: u64 = 1 << 62;

impl History {
    /// A conversation of `customer` that no agent has had yet.
    pub fn new(customer: u64) -> Self {
        Self {
            customer,
            agents: [0; 4],
            len: 0,
            transfers: 0,
            overflowed: false,
        }
    }

    /// Whether the customer can come back (and so has a sticky agent to remember).
    pub fn returning_customer(&self) -> bool {
        self.customer & ONE_TIME_CUSTOMER == 0
    }

    /// Adds `agent` (the oldest is dropped past four, and the history marked
    /// [`History::overflowed`]).
    pub fn with(mut self, agent: u32) -> Self {
        if usize::from(self.len) == self.agents.len() {
            self.agents.rotate_left(1);
            self.len -= 1;
            self.overflowed = true;
        }
        self.agents[usize::from(self.len)] = agent;
        self.len += 1;
        self
    }

    /// The agents, oldest first.
    pub fn as_slice(&self) -> &[u32] {
        &self.agents[..usize::from(self.len)]
    }

    /// Whether agents were dropped from the inline list (the platform keeps them all).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// How often the conversation was moved to another queue (AA-11).
    pub fn transfers(&self) -> u8 {
        self.transfers
    }

    /// Counts one more transfer.
    pub fn transferred(mut self) -> Self {
        self.transfers = self.transfers.saturating_add(1);
        self
    }

    /// Whether `agent` is among them.
    pub fn contains(&self, agent: u32) -> bool {
        self.as_slice().contains(&agent)
    }
}

/// Everything actors say to each other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg {
    // --- to the customer actor
    /// Time for segment `segment`'s next customer.
    NextArrival {
        /// Segment index.
        segment: u32,
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
        queue: u32,
        /// Its place in line there.
        key: LineKey,
    },
    /// An agent took the conversation: patience no longer applies; the customer's messages go
    /// to `agent`.
    Answered {
        /// The conversation.
        conv: ConvId,
        /// The agent.
        agent: u32,
        /// The queue it was answered from.
        queue: u32,
    },
    /// The conversation turned Solved (sent when surveys are on, SUR-1).
    Solved {
        /// The conversation.
        conv: ConvId,
        /// Its queue.
        queue: u32,
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
    /// The customer's next turn is due (its own timer).
    CustomerWrites {
        /// The conversation.
        conv: ConvId,
    },
    /// The conversation went back to a waiting line after an assignment (unassigned or moved):
    /// the customer's next message waits for the next agent.
    Requeued {
        /// The conversation.
        conv: ConvId,
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

    // --- to a queue
    /// A new conversation joins the line.
    Enqueue {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
        /// Its customer (no agent has had it yet).
        history: History,
        /// Arrival segment.
        segment: u32,
        /// Capacity category.
        category: ChannelCategory,
        /// The queue was inside its working hours when it arrived (else no waiting strategy
        /// starts, WH-4).
        in_hours: bool,
    },
    /// Nobody could take the queue's head when it was offered: it waits unassigned, and its
    /// waiting strategy starts if it has not (WS-1).
    Unserved {
        /// The conversation.
        conv: ConvId,
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
        /// The conversation.
        conv: ConvId,
        /// Its place in line (its creation time keeps it ahead of newer ones).
        key: LineKey,
        /// Arrival segment.
        segment: u32,
        /// Capacity category.
        category: ChannelCategory,
        /// Agents it had before.
        history: History,
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
        agent: u32,
        /// How the agent was chosen.
        by: AssignedBy,
        /// The conversation the offer is for.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
        /// Category of the reserved slot.
        category: ChannelCategory,
    },

    // --- to the platform
    /// A customer opened a conversation: route it (RT-1).
    Inbound {
        /// The conversation.
        conv: ConvId,
        /// Arrival segment.
        segment: u32,
        /// Arrival number (the last tie-break of the waiting line).
        arrival_seq: u64,
        /// Who the customer is (see [`History::customer`]).
        customer: u64,
        /// The customer's drawn attributes.
        draw: AttrDraw,
    },
    /// A queue's head changed (`None`: the line is empty).
    HeadChanged {
        /// Queue index.
        queue: u32,
        /// The new head.
        head: Option<Head>,
    },
    /// An offer found its conversation gone; the reserved slot is free again.
    Declined {
        /// The agent whose slot was reserved.
        agent: u32,
        /// Queue index.
        queue: u32,
        /// The conversation the offer was for.
        conv: ConvId,
        /// Category of the reserved slot.
        category: ChannelCategory,
    },
    /// An agent was logged out holding conversations it never worked on (ST-3), or a workflow
    /// unassigned one (WF-5): they go back to their queue.
    Unassigned {
        /// The conversation counted toward the agent's capacity (CAP-4).
        counted: bool,
        /// A workflow did it.
        by_workflow: bool,
        /// The agent.
        agent: u32,
        /// The conversation.
        conv: ConvId,
        /// Its queue.
        queue: u32,
        /// Its place in line.
        key: LineKey,
        /// Arrival segment.
        segment: u32,
        /// Capacity category.
        category: ChannelCategory,
        /// Agents it had before this one.
        history: History,
    },
    /// A conversation of `agent` moved back into a counted status (a Solved conversation
    /// reopened while Solved does not count, CAP-4).
    SlotTaken {
        /// The agent.
        agent: u32,
        /// Category of the slot.
        category: ChannelCategory,
    },
    /// Agent `agent` moves a conversation from queue `from` to queue `to` (AA-11).
    QueueChange {
        /// The agent.
        agent: u32,
        /// The conversation.
        conv: ConvId,
        /// Queue it leaves.
        from: u32,
        /// Queue it joins.
        to: u32,
        /// Its place in line (creation time and priority kept).
        key: LineKey,
        /// Arrival segment.
        segment: u32,
        /// Capacity category.
        category: ChannelCategory,
        /// Agents it had before this one.
        history: History,
    },
    /// A counted conversation of an agent was closed, solved (Solved not counted) or
    /// finished: one slot is free again (AA-4).
    SlotFreed {
        /// The agent.
        agent: u32,
        /// Category of the freed slot.
        category: ChannelCategory,
    },
    /// An agent set its status: Available at the start of its shift, Away or Busy during a
    /// scheduled break, Offline at the end of its shift (it finishes what it holds but takes
    /// nothing new).
    StatusSet {
        /// The agent.
        agent: u32,
        /// The status it set.
        status: DefaultStatus,
    },
    /// What happened to a threaded conversation, for the workflows (WF-1).
    Observe {
        /// The conversation.
        conv: ConvId,
        /// What.
        what: Observation,
    },
    /// A time-based workflow trigger may be due (the platform's own timer).
    WorkflowDue {
        /// The conversation.
        conv: ConvId,
        /// Index of the workflow.
        workflow: u32,
        /// The pending state it waits on.
        pending: crate::model::workflow::Pending,
        /// The start of that state it was set for.
        epoch: u32,
    },
    /// A queue's working hours may have begun or ended.
    QueueHoursCheck {
        /// Queue index.
        queue: u32,
    },

    // --- to an agent
    /// Handle this conversation.
    Serve {
        /// The conversation.
        conv: ConvId,
        /// Its place in line (to put it back if the agent is logged out before working on it).
        key: LineKey,
        /// Agents it had before.
        history: History,
        /// Arrival segment (with the queue, selects the handle-time distribution).
        segment: u32,
        /// The queue it was served from.
        queue: u32,
        /// Capacity category.
        category: ChannelCategory,
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
    /// A customer turn: `messages` messages.
    CustomerMessage {
        /// The conversation.
        conv: ConvId,
        /// Messages in the burst.
        messages: u32,
    },
    /// The customer has no more questions: the agent sets Solved.
    Satisfied {
        /// The conversation.
        conv: ConvId,
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
    /// (AA-11).
    TransferKept {
        /// The conversation.
        conv: ConvId,
        /// Its new queue.
        queue: u32,
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
    /// The shift or a scheduled status may have started or ended.
    ShiftCheck,
    /// The agent stops working without logging out (ST-3).
    DropOut,
    /// The platform logs the inactive agent out (ST-3).
    LogOut,
}

/// What the agent or the queue tells the platform about a threaded conversation, for the
/// workflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observation {
    /// A customer message reached the agent.
    Inbound,
    /// The agent sent a message.
    Outbound,
    /// The agent moved it to this status.
    Status(crate::model::status::ConversationStatus),
    /// It left its line unanswered (abandoned, or closed by its waiting strategy).
    Gone,
}

/// A workflow's action on a conversation an agent holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentAct {
    /// Set Solved.
    Solve,
    /// Unassign it (it goes back to its queue).
    Unassign,
    /// Close it.
    Close,
}

/// A workflow's action on a waiting conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAct {
    /// Close it: it leaves the line.
    Close,
    /// Give it this priority: it moves in the line.
    Priority(crate::model::priority::Priority),
}

/// What an actor may ask of its driver.
pub trait Context {
    /// The random generator type of the driver's streams.
    type Rng: rand::Rng;
    /// Current time, ms since the scenario start.
    fn now_ms(&self) -> u64;
    /// Delivers `msg` to `to` now, after everything already due now.
    fn send(&mut self, to: ActorId, msg: Msg);
    /// Delivers `msg` to `to` after `delay_ms`.
    fn schedule(&mut self, delay_ms: u64, to: ActorId, msg: Msg) -> TimerId;
    /// Cancels a scheduled message that has not been delivered.
    fn cancel(&mut self, timer: TimerId);
    /// The generator of stream `stream`.
    fn rng(&mut self, stream: StreamId) -> &mut Self::Rng;
    /// Records a metric.
    fn record(&mut self, metric: Metric);
}

/// Where each actor sits in the dense id space: platform, customers, queues, agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Number of queues.
    pub queues: u32,
    /// Number of agents.
    pub agents: u32,
}

impl Layout {
    /// The platform actor.
    pub const PLATFORM: ActorId = 0;
    /// The customer actor.
    pub const CUSTOMERS: ActorId = 1;

    /// Queue `q`'s actor.
    #[inline]
    pub fn queue(&self, q: u32) -> ActorId {
        2 + q
    }
    /// Agent `a`'s actor.
    #[inline]
    pub fn agent(&self, a: u32) -> ActorId {
        2 + self.queues + a
    }
    /// Total number of actors.
    pub fn actor_count(&self) -> u32 {
        2 + self.queues + self.agents
    }

    /// Streams per segment, in this order: arrivals, patience, attributes, identity,
    /// conversations.
    pub const STREAMS_PER_SEGMENT: u32 = 5;

    /// Stream of segment `s`'s inter-arrival draws.
    #[inline]
    pub fn arrival_stream(s: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * s
    }
    /// Stream of segment `s`'s patience draws.
    #[inline]
    pub fn patience_stream(s: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * s + 1
    }
    /// Stream of segment `s`'s attribute draws.
    #[inline]
    pub fn attribute_stream(s: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * s + 2
    }
    /// Stream of segment `s`'s draws of which customer of its population arrives.
    #[inline]
    pub fn identity_stream(s: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * s + 3
    }
    /// Stream of segment `s`'s seeds of each conversation's own generator (its exchanges,
    /// think times, bursts, silences and come-backs).
    #[inline]
    pub fn conversation_stream(s: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * s + 4
    }
    /// Stream of agent `a`'s handle times, given `segments` segments.
    #[inline]
    pub fn handle_stream(segments: u32, a: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * segments + a
    }
    /// Stream of agent `a`'s drop-outs (ST-3), given `segments` segments and `agents` agents.
    #[inline]
    pub fn drop_out_stream(segments: u32, agents: u32, a: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * segments + agents + a
    }
}

/// A context for unit tests of one actor: records what the actor asks for, delivers nothing.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// What the actor under test asked for.
    #[derive(Debug, Default)]
    pub struct Recorded {
        pub now_ms: u64,
        pub sent: Vec<(ActorId, Msg)>,
        pub scheduled: Vec<(u64, ActorId, Msg)>,
        pub cancelled: Vec<TimerId>,
        pub metrics: Vec<Metric>,
        pub rng: Option<ChaCha8Rng>,
    }

    impl Recorded {
        /// Takes the messages sent so far.
        pub fn take_sent(&mut self) -> Vec<(ActorId, Msg)> {
            std::mem::take(&mut self.sent)
        }
    }

    impl Context for Recorded {
        type Rng = ChaCha8Rng;
        fn now_ms(&self) -> u64 {
            self.now_ms
        }
        fn send(&mut self, to: ActorId, msg: Msg) {
            self.sent.push((to, msg));
        }
        fn schedule(&mut self, delay_ms: u64, to: ActorId, msg: Msg) -> TimerId {
            self.scheduled.push((delay_ms, to, msg));
            TimerId {
                seq: self.scheduled.len() as u64,
                slot: 0,
            }
        }
        fn cancel(&mut self, timer: TimerId) {
            self.cancelled.push(timer);
        }
        fn rng(&mut self, _stream: StreamId) -> &mut ChaCha8Rng {
            self.rng.get_or_insert_with(|| ChaCha8Rng::seed_from_u64(0))
        }
        fn record(&mut self, metric: Metric) {
            self.metrics.push(metric);
        }
    }
}
