//! [`PlatformMsg`]: what the platform receives.

use super::{ApiCall, ApiCaller, CustomerSays, Intent, Observation, WorkItem};
use crate::actors::{ConvId, History};
use crate::model::centre::AttrDraw;
use crate::model::channel::ChannelCategory;
use crate::model::ids::{AgentIx, QueueIx, SegmentIx};
use crate::model::priority::LineKey;
use crate::model::status::{ConversationStatus, DefaultStatus};

/// What the platform receives: arrivals to route, agents' and queues' changes for assignment,
/// what workflows observe, the API calls of the bot and the translation layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlatformMsg {
    /// A customer's turn in a conversation an external centre's agent holds: the platform
    /// forwards it to the translation layer (CC-2).
    ForExternalAgent {
        /// The conversation.
        conv: ConvId,
        /// What the customer says.
        says: CustomerSays,
    },
    /// A customer opened a conversation: route it (RT-1).
    Inbound {
        /// The conversation.
        conv: ConvId,
        /// Arrival segment.
        segment: SegmentIx,
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
        queue: QueueIx,
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
    /// An offer found its conversation gone; the reserved slot is free again.
    Declined {
        /// The agent whose slot was reserved.
        agent: AgentIx,
        /// Queue index.
        queue: QueueIx,
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
        agent: AgentIx,
        /// Its queue.
        queue: QueueIx,
        /// The conversation, with the agents it had before this one.
        item: WorkItem,
    },
    /// A conversation of `agent` moved back into a counted status (a Solved conversation
    /// reopened while Solved does not count, CAP-4).
    SlotTaken {
        /// The agent.
        agent: AgentIx,
        /// Category of the slot.
        category: ChannelCategory,
    },
    /// A counted conversation of an agent was closed, solved (Solved not counted) or
    /// finished: one slot is free again (AA-4).
    SlotFreed {
        /// The agent.
        agent: AgentIx,
        /// Category of the freed slot.
        category: ChannelCategory,
    },
    /// An agent set its status: Available at the start of its shift, Away or Busy during a
    /// scheduled break, Offline at the end of its shift (it finishes what it holds but takes
    /// nothing new).
    StatusSet {
        /// The agent.
        agent: AgentIx,
        /// The status it set.
        status: DefaultStatus,
    },
    /// Agent `agent` moves a conversation from queue `from` to queue `to` (AA-11).
    QueueChange {
        /// The agent.
        agent: AgentIx,
        /// Queue it leaves.
        from: QueueIx,
        /// Queue it joins.
        to: QueueIx,
        /// The conversation (creation time and priority kept), with its agents so far.
        item: WorkItem,
    },
    /// Agent → platform: agent `agent` hands `conv` to another agent of its queue (ST-1); the
    /// platform picks who, or answers [`AgentMsg::TransferKept`](crate::actors::AgentMsg::TransferKept) when nobody can take it.
    AgentTransfer {
        /// The agent handing it over.
        agent: AgentIx,
        /// Its queue.
        queue: QueueIx,
        /// The conversation, its history with this transfer counted.
        item: WorkItem,
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
    /// A queue's working hours may have begun or ended.
    QueueHoursCheck {
        /// Queue index.
        queue: QueueIx,
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
        agent: AgentIx,
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
        segment: SegmentIx,
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
    /// A Conversations API call (docs/platform-api.md §2) by the bot or the translation layer
    /// on `conv`; the platform answers the caller with `ApiResult`
    /// ([`BotMsg::ApiResult`](crate::actors::BotMsg::ApiResult),
    /// [`ExternalMsg::ApiResult`](crate::actors::ExternalMsg::ApiResult)).
    Api {
        /// The conversation.
        conv: ConvId,
        /// The operation and its arguments.
        call: ApiCall,
        /// Who calls (the API key's owner), and so who hears the result.
        caller: ApiCaller,
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
}
