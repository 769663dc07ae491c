//! The actors: sans-IO state machines that turn the model into behaviour over time.
//!
//! An actor owns its state, receives messages of its own type (the recipient of a [`Msg`]
//! follows from its type) and asks its [`Context`] to send, schedule, cancel, draw a random
//! number or record a [`Metric`]. Nothing else: no clock reads, no I/O.
//! The simulation engine (`sim/`) is one driver of these actors; a live, wall-clock driver is
//! another.
//!
//! ```text
//!            ┌──────────── ToBot / BotReplied ───────────┐
//!            ▼                                           │  webhook (delay, duplicates)
//! customers ──Inbound──▶ platform ──WebhookDelivery──▶ bot ──Api ▶ platform ▶ ApiResult ──▶ bot
//!     ▲  │                  │ Enqueue, Offer  ▲ SlotFreed, StatusSet   the platform's
//!     │  │                  ▼                 │                         assignment offers;
//!     │  └──Abandon──────▶ queue ──Serve──▶ agent                       the queue hands the
//!     └──Routed / Answered / AgentReplied / Closed ◀── Customer ──┘     conversation over
//! ```
//!
//! - [`customer`]: the arrival streams, each person's patience, and its side of a thread
//!   (exchanges, think times, coming back; with the bot, its need).
//! - [`queue`]: a waiting line (priority, then creation time); the authority on whether a
//!   conversation was answered, abandoned or closed by its waiting strategy, and so the one that
//!   records it; runs the waiting strategies.
//! - [`agent`]: shifts, statuses, and conversations up to capacity per category: replies,
//!   statuses, transfers, wrap-up.
//! - [`platform`]: routing of new conversations, working hours, agents' availability and
//!   automatic assignment, queue changes, workflows, and its side of the bot (webhook).
//! - [`bot`]: the AI agent in front: dedupe, debounce, replies, actions, resolve or handoff,
//!   all through Conversations API calls ([`PlatformMsg::Api`]) whose results
//!   ([`BotMsg::ApiResult`]) it goes on from.
//! - [`external`]: the translation layer and the external centre's agents (CC-1..6), also
//!   through API calls.

pub mod agent;
pub mod bot;
mod messages;
mod metric_parts;
mod metrics;

pub use messages::{
    AgentAct, AgentMsg, ApiAnswer, ApiCall, ApiCaller, BotMsg, CustomerMsg, CustomerSays,
    ExternalMsg, Intent, Msg, Observation, PlatformMsg, QueueAct, QueueMsg, WorkItem,
};
pub use metric_parts::{ApiOp, Fate, RoutedVia};
pub use metrics::Metric;
pub mod customer;
pub mod external;
pub mod platform;
pub mod queue;

pub use crate::model::assignment::{AssignedBy, History, ONE_TIME_CUSTOMER};
pub use crate::model::ids::{AgentIx, QueueIx, SegmentIx};

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

/// The customer id of a test conversation whose customer never returns.
#[cfg(test)]
pub(crate) const ONE_TIME: u64 = ONE_TIME_CUSTOMER;

/// The agent id a customer sees for a conversation an external centre's agent holds: its
/// messages go through the platform and the translation layer.
pub const EXTERNAL_AGENT: AgentIx = AgentIx(u32::MAX);

/// The bit of a customer id outside every segment population who may come back to its
/// conversation (population ids use the low 40 bits and the segment above them).
pub const RETURNING_UNNAMED: u64 = 1 << 62;

/// What an actor may ask of its driver.
pub trait Context {
    /// The random generator type of the driver's streams.
    type Rng: rand::Rng;
    /// Current time, ms since the scenario start.
    fn now_ms(&self) -> u64;
    /// Delivers `msg` to its recipient now, after everything already due now.
    fn send(&mut self, msg: impl Into<Msg>);
    /// Delivers `msg` to its recipient after `delay_ms`.
    fn schedule(&mut self, delay_ms: u64, msg: impl Into<Msg>) -> TimerId;
    /// Cancels a scheduled message that has not been delivered.
    fn cancel(&mut self, timer: TimerId);
    /// The generator of stream `stream`.
    fn rng(&mut self, stream: StreamId) -> &mut Self::Rng;
    /// Records a metric.
    fn record(&mut self, metric: Metric);
}

/// Where each named random stream sits in the dense stream order (the registry in `sim::rng`
/// names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {}

impl Layout {
    /// Stream of the bot's reply times, given `segments` segments and `agents` agents.
    #[inline]
    pub fn bot_stream(segments: u32, agents: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * segments + 2 * agents
    }
    /// Stream of the platform's webhook delays and duplicates.
    #[inline]
    pub fn webhook_stream(segments: u32, agents: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * segments + 2 * agents + 1
    }
    /// Stream of the external centre's reply times and forgotten closes.
    #[inline]
    pub fn external_stream(segments: u32, agents: u32) -> StreamId {
        Self::STREAMS_PER_SEGMENT * segments + 2 * agents + 2
    }
}

impl Layout {
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

    /// A centre of one WhatsApp arrival stream whose conversations meet the bot "ai" first.
    const BOT_SCENARIO: &str = r#"name = "bot-unit"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 60 }

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 1
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 10
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 30 } }

[bot]
name = "ai"
channels = ["wa"]
reply = { dist = "constant", value_s = 2 }
turns = { dist = "constant", value = 2 }
outcomes = [{ resolve_share = 0.5, handoff_share = 0.5 }]
"#;

    /// The centre of [`BOT_SCENARIO`].
    pub fn bot_centre() -> std::sync::Arc<crate::model::centre::CentreSpec> {
        centre_of(BOT_SCENARIO)
    }

    /// The centre of scenario file `text` (TOML), which must be valid.
    pub fn centre_of(text: &str) -> std::sync::Arc<crate::model::centre::CentreSpec> {
        crate::scenario::parse(
            text,
            crate::scenario::locate::Format::Toml,
            std::path::Path::new("unit.toml"),
            &crate::scenario::input_file::FileRoot::new(std::path::Path::new("."), false),
        )
        .unwrap_or_else(|e| panic!("valid: {e}"))
        .centre
    }

    /// What the actor under test asked for.
    #[derive(Debug, Default)]
    pub struct Recorded {
        pub now_ms: u64,
        pub sent: Vec<Msg>,
        pub scheduled: Vec<(u64, Msg)>,
        pub cancelled: Vec<TimerId>,
        pub metrics: Vec<Metric>,
        pub rng: Option<ChaCha8Rng>,
    }

    impl Recorded {
        /// The last message scheduled, for the bot (its own timers).
        pub fn pop_bot_timer(&mut self) -> Option<(u64, BotMsg)> {
            match self.scheduled.pop()? {
                (delay_ms, Msg::Bot(m)) => Some((delay_ms, m)),
                (_, other) => panic!("not a bot timer: {other:?}"),
            }
        }

        /// Takes the messages sent so far.
        pub fn take_sent(&mut self) -> Vec<Msg> {
            std::mem::take(&mut self.sent)
        }
    }

    impl Context for Recorded {
        type Rng = ChaCha8Rng;
        fn now_ms(&self) -> u64 {
            self.now_ms
        }
        fn send(&mut self, msg: impl Into<Msg>) {
            self.sent.push(msg.into());
        }
        fn schedule(&mut self, delay_ms: u64, msg: impl Into<Msg>) -> TimerId {
            self.scheduled.push((delay_ms, msg.into()));
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
