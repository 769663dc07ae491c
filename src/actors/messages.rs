//! Everything actors say to each other: [`Msg`], grouped by the actor that receives it, and
//! the small enums some messages carry.

use super::{AssignedBy, ConvId, History};
use crate::model::centre::AttrDraw;
use crate::model::channel::ChannelCategory;
use crate::model::platform_api::ApiErrorKind;
use crate::model::priority::LineKey;
use crate::model::status::{ConversationStatus, DefaultStatus};

/// Everything actors say to each other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg {
    // --- to the customer actor
    /// Time for segment `segment`'s next customer.
    NextArrival {
        /// Segment index.
        segment: u32,
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
    /// A conversation left the queue's line unassigned (abandoned, or closed by its waiting
    /// strategy): assignment no longer sees it.
    LeftLine {
        /// Queue index.
        queue: u32,
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
    },
    /// The customer wrote into a conversation that waits in a queue after it was unassigned:
    /// it is Open again, and may be assigned if its status kept it back (AA-12).
    WroteWhileWaiting {
        /// The conversation.
        conv: ConvId,
    },
    /// Platform → queue: the customer wrote into a conversation waiting in line in a status
    /// that did not occupy agents; it is Open again (AA-12).
    Reopened {
        /// The conversation.
        conv: ConvId,
        /// Its place in line.
        key: LineKey,
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
        /// Its status when it was unassigned (AA-12).
        status: ConversationStatus,
        /// A workflow did it.
        by_workflow: bool,
        /// The agent.
        agent: u32,
        /// Its queue.
        queue: u32,
        /// The conversation, with the agents it had before this one.
        item: WorkItem,
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
        /// Queue it leaves.
        from: u32,
        /// Queue it joins.
        to: u32,
        /// The conversation (creation time and priority kept), with its agents so far.
        item: WorkItem,
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
        /// The timer fired and the platform sent it to itself, so that what the conversation's
        /// agent did at the same millisecond (a close, say) reaches the workflows first.
        settled: bool,
    },
    /// A customer message to a conversation the bot has.
    ToBot {
        /// The conversation.
        conv: ConvId,
        /// What the customer means.
        intent: Intent,
    },
    /// A human agent gives the conversation back to the bot (BOT-2).
    GiveBack {
        /// The agent.
        agent: u32,
        /// The conversation.
        conv: ConvId,
        /// Category of the slot it held.
        category: ChannelCategory,
        /// It counted toward the agent's capacity.
        counted: bool,
        /// The agents it had (AA-9: none of them is chosen for it again after a later
        /// handoff).
        history: History,
    },
    /// The customer of a conversation given back to the bot, ready to talk to it again.
    RejoinBot {
        /// The conversation.
        conv: ConvId,
        /// Arrival segment.
        segment: u32,
        /// Arrival number.
        arrival_seq: u64,
        /// The customer.
        customer: u64,
        /// Its attributes.
        draw: AttrDraw,
    },
    /// The customer gave up waiting for the bot.
    CustomerLeft {
        /// The conversation.
        conv: ConvId,
    },
    /// A Conversations API call (infobip-platform.md §2) by the bot or the translation layer
    /// on `conv`; the platform answers the caller with [`Msg::ApiResult`].
    Api {
        /// The conversation.
        conv: ConvId,
        /// The operation and its arguments.
        call: ApiCall,
        /// Who calls (the API key's owner), and so who hears the result.
        caller: ApiCaller,
    },
    /// The platform's answer to an [`Msg::Api`] call: what it returned, or its error.
    ApiResult {
        /// The conversation.
        conv: ConvId,
        /// The call answered.
        call: ApiCall,
        /// Its result.
        result: Result<ApiAnswer, ApiErrorKind>,
    },
    /// The bot's session on a conversation ended resolved (BOT-4), or resolved itself after
    /// inactivity (`auto`, WIN-3); `closed` when the bot closed it through the API.
    BotResolved {
        /// The conversation.
        conv: ConvId,
        /// Inactivity, not the customer's satisfaction.
        auto: bool,
        /// The bot closed the platform conversation (it was configured to and still owned it).
        closed: bool,
    },
    /// An external agent took a handed-over conversation.
    ExternalAnswered {
        /// The conversation.
        conv: ConvId,
    },
    /// The external agent is done; the layer closed the conversation, or forgot to (CC-5).
    ExternalDone {
        /// The conversation.
        conv: ConvId,
        /// The layer forgot to close it.
        forgot: bool,
        /// Polls the layer made for it (CC-6).
        polls: u64,
    },
    /// Another integration sets the account webhook to its own URL (CC-1).
    WebhookReplaced,
    /// An Infobip agent or supervisor closes a conversation the bot has (BOT-8).
    HumanCloses {
        /// The conversation.
        conv: ConvId,
    },
    /// A queue's working hours may have begun or ended.
    QueueHoursCheck {
        /// Queue index.
        queue: u32,
    },

    // --- to an agent
    /// Handle this conversation: from its queue (an automatic or manual assignment), or from
    /// the platform when a colleague transferred it (ST-1).
    Serve {
        /// The conversation: its place in line (to put it back if the agent is logged out
        /// before working on it), its segment (with the queue, the handle-time distribution)
        /// and the agents it had.
        item: WorkItem,
        /// The queue it was served from.
        queue: u32,
        /// `false`: a colleague's transfer (ST-1), which capacity does not limit.
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
    /// A customer turn: `messages` messages.
    CustomerMessage {
        /// The conversation.
        conv: ConvId,
        /// Messages in the burst.
        messages: u32,
        /// `None`: written now. `Some(t)`: written at `t` while the conversation waited in line
        /// unassigned, and recorded then (it reaches the agent who takes it now; WIN-1 and
        /// SLA-3 count from `t`).
        written_while_waiting_ms: Option<u64>,
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
    /// Agent → platform: agent `agent` hands `conv` to another agent of its queue (ST-1); the
    /// platform picks who, or answers [`Msg::TransferKept`] when nobody can take it.
    AgentTransfer {
        /// The agent handing it over.
        agent: u32,
        /// Its queue.
        queue: u32,
        /// The conversation, its history with this transfer counted.
        item: WorkItem,
    },
    /// The platform: the agent belongs to the queue it moved the conversation to and keeps it
    /// (AA-11), or nobody could take the conversation it handed to another agent (ST-1).
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

    // --- to the external centre (the translation layer and its agents)
    /// The bot handed a conversation over; the layer reads its history (CC-2) and seats it in
    /// the external queue its routing context names (CC-3).
    ExternalHandover {
        /// The conversation.
        conv: ConvId,
        /// The external queue (index).
        queue: u16,
    },
    /// A customer message the layer forwards (CC-2).
    ExternalInbound {
        /// The conversation.
        conv: ConvId,
    },
    /// The customer has no more questions.
    ExternalCustomerDone {
        /// The conversation.
        conv: ConvId,
    },
    /// An external agent's reply is written (its own timer).
    ExternalReplyReady {
        /// The conversation.
        conv: ConvId,
    },
    /// An external agent may give up on a silent customer (its own timer).
    ExternalSilence {
        /// The conversation.
        conv: ConvId,
        /// The activity count it was set at.
        epoch: u32,
    },

    // --- to the bot
    /// The platform's webhook POST of an inbound message.
    WebhookDelivery {
        /// The conversation.
        conv: ConvId,
        /// The message's id (repeats of one id are duplicates, BOT-5).
        message: u64,
        /// What the customer means.
        intent: Intent,
        /// When the customer wrote it, ms.
        sent_ms: u64,
        /// The conversation's arrival segment (its channel).
        segment: u32,
        /// What it is: text, or an attachment (BOT-6) of a kind (WIN-6).
        kind: crate::model::bot::whatsapp::InboundKind,
    },
    /// The gathering delay of a conversation may be over (BOT-10).
    BotDebounce {
        /// The conversation.
        conv: ConvId,
        /// The due time the timer was set for.
        due_ms: u64,
    },
    /// An action call the bot made came back (ACT-1).
    BotActionDone {
        /// The conversation.
        conv: ConvId,
        /// How it ended.
        result: crate::model::bot::ActionResult,
    },
    /// The pause after one part of the bot's reply is over: the next part goes (WIN-5).
    BotNextPart {
        /// The conversation.
        conv: ConvId,
        /// The part that went (a later reply's parts are not moved on by it).
        sent: u32,
    },
    /// The bot's reply is written.
    BotReplyReady {
        /// The conversation.
        conv: ConvId,
    },
    /// The session may have been inactive long enough to resolve itself (WIN-3).
    BotInactive {
        /// The conversation.
        conv: ConvId,
        /// The activity count the timer was set at.
        epoch: u32,
    },
    /// The agent stops working without logging out (ST-3).
    DropOut,
    /// The platform logs the inactive agent out (ST-3).
    LogOut,
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
    pub segment: u32,
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
