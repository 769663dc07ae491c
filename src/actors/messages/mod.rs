//! Everything actors say to each other. Each actor has a message type of its own
//! ([`CustomerMsg`], [`QueueMsg`], [`AgentMsg`], [`PlatformMsg`], [`BotMsg`], [`ExternalMsg`]),
//! so its `handle` matches every message it can get and nothing else; [`Msg`] wraps one of
//! them with its recipient, so where a message goes follows from what it is and a message
//! cannot reach an actor that does not expect it.

use super::{ConvId, History};
use crate::model::channel::ChannelCategory;
use crate::model::ids::{AgentIx, QueueIx, SegmentIx};
use crate::model::platform_api::ApiErrorKind;
use crate::model::priority::LineKey;

mod to_agent;
mod to_bot;
mod to_customer;
mod to_external;
mod to_platform;
mod to_queue;

pub use to_agent::AgentMsg;
pub use to_bot::BotMsg;
pub use to_customer::CustomerMsg;
pub use to_external::ExternalMsg;
pub use to_platform::PlatformMsg;
pub use to_queue::QueueMsg;

/// A message and its recipient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg {
    /// To the customer actor (every customer's side of its conversations).
    Customers(CustomerMsg),
    /// To queue `.0`.
    Queue(QueueIx, QueueMsg),
    /// To agent `.0`.
    Agent(AgentIx, AgentMsg),
    /// To the platform.
    Platform(PlatformMsg),
    /// To the bot.
    Bot(BotMsg),
    /// To the external contact centre.
    External(ExternalMsg),
}

impl From<CustomerMsg> for Msg {
    #[inline]
    fn from(msg: CustomerMsg) -> Self {
        Msg::Customers(msg)
    }
}

impl From<PlatformMsg> for Msg {
    #[inline]
    fn from(msg: PlatformMsg) -> Self {
        Msg::Platform(msg)
    }
}

impl From<BotMsg> for Msg {
    #[inline]
    fn from(msg: BotMsg) -> Self {
        Msg::Bot(msg)
    }
}

impl From<ExternalMsg> for Msg {
    #[inline]
    fn from(msg: ExternalMsg) -> Self {
        Msg::External(msg)
    }
}

/// What a customer says to the agent who holds its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerSays {
    /// A turn of `messages` messages.
    Messages {
        /// Messages in the burst.
        messages: u32,
        /// `None`: written now. `Some(t)`: written at `t` while the conversation waited in line
        /// unassigned, and recorded then (it reaches the agent who takes it now; WIN-1 and
        /// SLA-3 count from `t`).
        written_while_waiting_ms: Option<u64>,
    },
    /// The customer has no more questions: the agent sets Solved.
    Satisfied,
}

/// A conversation as it moves between a queue's line, the platform and agents: which one, its
/// place in line, what it came as (its arrival segment and capacity category) and the agents it
/// has had (AA-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkItem {
    /// The conversation.
    pub conv: ConvId,
    /// Its place in line.
    pub key: LineKey,
    /// Arrival segment.
    pub segment: SegmentIx,
    /// Capacity category.
    pub category: ChannelCategory,
    /// Its customer and the agents it has had.
    pub history: History,
}

/// Who calls the Conversations API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiCaller {
    /// The AI agent (its API key has `conversations:manage`, BOT-11).
    Bot,
    /// The translation layer of the external centre (CC-2).
    Layer,
}

impl ApiCaller {
    /// The platform's answer to this caller's `call` on `conv`.
    #[inline]
    pub fn answer(
        self,
        conv: ConvId,
        call: ApiCall,
        result: Result<ApiAnswer, ApiErrorKind>,
    ) -> Msg {
        match self {
            ApiCaller::Bot => Msg::Bot(BotMsg::ApiResult { conv, call, result }),
            ApiCaller::Layer => Msg::External(ExternalMsg::ApiResult { conv, call, result }),
        }
    }
}

/// A Conversations API operation with what the simulation needs of its arguments (the texts
/// are of a fixed, valid length; the HTTP mock of issue 6 takes them whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiCall {
    /// Create Message: a text reply (BOT-7), or an external agent's message (CC-2).
    CreateMessage {
        /// Its text's length, characters.
        chars: u32,
    },
    /// One message of the bot's reply on WhatsApp's own send API (WIN-4, WIN-5).
    SendWhatsapp {
        /// An attachment, or the text part in its format.
        part: crate::model::bot::whatsapp::Part,
        /// What the reply holds (the platform checks the format's limits on it).
        shape: crate::model::bot::whatsapp::ReplyShape,
    },
    /// Get Messages: page `page` of `limit` messages (CC-2).
    GetMessages {
        /// Page number, from 0.
        page: u32,
        /// Page size, at most 999.
        limit: u32,
    },
    /// Get Conversation (who owns it, for BOT-4).
    GetConversation,
    /// Update Conversation to CLOSED (BOT-4, CC-2).
    Close,
    /// Delete the assignee (BOT-3).
    Unassign,
    /// Add the handoff tag (BOT-3).
    AddTag,
    /// Add the internal note: the summary and sentiment, and why the bot hands over (BOT-3).
    AddNote {
        /// Why the bot hands over (part of the note's summary).
        reason: crate::model::bot::HandoffReason,
    },
    /// Route it with the platform's routing (BOT-3).
    Route,
    /// Change the assignee to an agent of the direct-assignment group (004): the platform
    /// stands for the integration's pick, the group's logged-in agent holding the fewest
    /// conversations; refused (not found) when none is logged in.
    Assign,
}

impl ApiCall {
    /// The operation, for the reports.
    pub fn op(self) -> super::ApiOp {
        use super::ApiOp;
        match self {
            ApiCall::CreateMessage { .. } => ApiOp::CreateMessage,
            ApiCall::SendWhatsapp { .. } => ApiOp::SendWhatsapp,
            ApiCall::GetMessages { .. } => ApiOp::GetMessages,
            ApiCall::GetConversation => ApiOp::GetConversation,
            ApiCall::Close => ApiOp::UpdateConversation,
            ApiCall::Unassign => ApiOp::Unassign,
            ApiCall::AddTag => ApiOp::AddTag,
            ApiCall::AddNote { .. } => ApiOp::AddNote,
            ApiCall::Route => ApiOp::Route,
            ApiCall::Assign => ApiOp::ChangeAssignment,
        }
    }

    /// BOT-3: the call of a handoff step.
    pub fn of_handoff_step(
        step: crate::model::bot::HandoffStep,
        reason: crate::model::bot::HandoffReason,
    ) -> Self {
        use crate::model::bot::HandoffStep;
        match step {
            HandoffStep::Unassign => ApiCall::Unassign,
            HandoffStep::Tag => ApiCall::AddTag,
            HandoffStep::Note => ApiCall::AddNote { reason },
            HandoffStep::Route => ApiCall::Route,
            HandoffStep::Assign => ApiCall::Assign,
        }
    }

    /// BOT-3: the handoff step this call is, if it is one.
    pub fn handoff_step(self) -> Option<crate::model::bot::HandoffStep> {
        use crate::model::bot::HandoffStep;
        match self {
            ApiCall::Unassign => Some(HandoffStep::Unassign),
            ApiCall::AddTag => Some(HandoffStep::Tag),
            ApiCall::AddNote { .. } => Some(HandoffStep::Note),
            ApiCall::Route => Some(HandoffStep::Route),
            ApiCall::Assign => Some(HandoffStep::Assign),
            _ => None,
        }
    }
}

/// What a successful [`ApiCall`] returned, as far as its caller looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiAnswer {
    /// Done (the written message, conversation or tag).
    Done,
    /// A page of messages: how many came and how many the conversation has.
    Page {
        /// Messages in this page.
        got: u32,
        /// Messages in the conversation.
        total: u32,
    },
    /// The conversation: whether the caller is its assignee.
    Conversation {
        /// Assigned to the calling bot.
        assigned_to_caller: bool,
    },
}

/// What a customer message to the bot means (the simulation's stand-in for its words).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Intent {
    /// A question: the bot answers.
    #[default]
    Continue,
    /// Thanks, that is all: the bot resolves.
    Satisfied,
    /// The customer needs a human: the bot hands off.
    WantsHuman,
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
