//! What actors report: the metrics a recorder (and an invariant checker) consumes (the small
//! enums they carry are in `metric_parts.rs`). Actors only emit these; they never read
//! them back.

use super::metric_parts::{ApiOp, Fate, RoutedVia};
use super::{AssignedBy, ConvId};
use crate::model::centre::AttrDraw;
use crate::model::channel::ChannelCategory;
use crate::model::status::{ConversationStatus, DefaultStatus};
use crate::model::waiting_strategy::StrategyStep;

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
        /// A customer who wrote again after a closed conversation (not a fresh arrival).
        came_back: bool,
    },
    /// The bot or the translation layer called the Conversations API; `rejected` when the
    /// platform refused it (a closed conversation, BOT-8, or a validation error).
    ApiCall {
        /// The conversation.
        conv: ConvId,
        /// The operation.
        op: ApiOp,
        /// Refused.
        rejected: bool,
    },
    /// A customer sent a message (a turn) in conversation `conv`.
    TurnSent {
        /// The conversation.
        conv: ConvId,
    },
    /// What became of a customer's message in conversation `conv`.
    TurnFate {
        /// The conversation.
        conv: ConvId,
        /// Its fate.
        fate: Fate,
    },
    /// The platform routed a conversation into `queue`.
    Routed {
        /// The conversation.
        conv: ConvId,
        /// Its arrival segment.
        segment: u32,
        /// The customer's drawn attributes (for SLA policy conditions, SLA-1).
        draw: AttrDraw,
        /// The bot tagged it at its handoff (BOT-3: policy conditions on tags see the tag).
        handoff_tagged: bool,
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
        /// Its arrival segment (its channel's figures are kept apart).
        segment: u32,
        /// When the customer arrived, ms.
        arrived_ms: u64,
    },
    /// A conversation was handed to an agent after waiting `wait_ms`.
    Answered {
        /// Queue index.
        queue: u32,
        /// Its arrival segment.
        segment: u32,
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
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// Its arrival segment.
        segment: u32,
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
    /// Agent `agent` now holds `busy_slots` conversations in counted statuses (CAP-4),
    /// `in_category` of them in `category` (the one that just changed).
    AgentBusy {
        /// The agent.
        agent: u32,
        /// Counted conversations held, all categories.
        busy_slots: u32,
        /// The category that changed.
        category: ChannelCategory,
        /// Counted conversations held in it.
        in_category: u32,
        /// The change is a new assignment (not a reopened conversation, which may take an
        /// agent past its capacity when Solved does not count).
        assigned: bool,
    },
    /// A conversation held by `agent` moved between statuses.
    ConversationStatus {
        /// The conversation.
        conv: ConvId,
        /// The agent.
        agent: u32,
        /// Queue index.
        queue: u32,
        /// Before.
        from: ConversationStatus,
        /// After.
        to: ConversationStatus,
    },
    /// A customer turn: `messages` messages in a burst.
    CustomerMessages {
        /// The conversation.
        conv: ConvId,
        /// Queue index (of the conversation's agent).
        queue: u32,
        /// Messages in the burst.
        messages: u32,
    },
    /// Agent `agent` replied to a customer turn that began `latency_ms` before (for the first
    /// reply: since the conversation began, its queue wait included).
    AgentReply {
        /// The conversation.
        conv: ConvId,
        /// The agent.
        agent: u32,
        /// Queue index.
        queue: u32,
        /// The first reply of the conversation.
        first: bool,
        /// Since the customer turn began, ms.
        latency_ms: u64,
        /// Outside WhatsApp's 24-hour window the free-form reply was rejected and this is the
        /// template sent instead (WIN-1).
        template: bool,
    },
    /// A survey went out when a conversation of `queue` turned Solved (SUR-1).
    Survey {
        /// Queue index.
        queue: u32,
        /// The customer's answer.
        answer: crate::model::survey::SurveyAnswer,
    },
    /// A conversation of `queue` ended with this sentiment score (SUR-2).
    Sentiment {
        /// Queue index.
        queue: u32,
        /// The later-weighted mean of its customer messages' scores, in [-1, 1].
        score: f64,
    },
    /// A conversation met the bot first.
    BotConversation {
        /// The conversation.
        conv: ConvId,
        /// Its arrival segment.
        segment: u32,
        /// The customer's drawn attributes (for SLA policy conditions, SLA-1, SLA-6).
        draw: AttrDraw,
        /// When it arrived, ms.
        arrived_ms: u64,
    },
    /// The bot never heard a conversation: no webhook subscription (BOT-1).
    BotSilent {
        /// The conversation.
        conv: ConvId,
    },
    /// The bot replied `latency_ms` after the customer's turn began (debounce included).
    BotReplied {
        /// The conversation.
        conv: ConvId,
        /// Latency, ms.
        latency_ms: u64,
    },
    /// The bot resolved a conversation (contained), or its session resolved itself after
    /// inactivity (`auto`); `closed` when the platform conversation was closed (BOT-4).
    BotResolved {
        /// The conversation.
        conv: ConvId,
        /// Closed on the platform.
        closed: bool,
        /// By inactivity (the customer dropped).
        auto: bool,
    },
    /// The bot handed a conversation over (BOT-3).
    BotHandoff {
        /// The conversation.
        conv: ConvId,
        /// Why.
        reason: crate::model::bot::HandoffReason,
    },
    /// How the bot read a customer message (WIN-6): as text, transcribed, attached, as a map
    /// link, or not at all.
    BotInbound {
        /// The conversation.
        conv: ConvId,
        /// How it was read.
        reading: crate::model::bot::whatsapp::Reading,
    },
    /// The bot composed a reply (WIN-4, WIN-5, BOT-7): its text part's format, and its
    /// attachments sent and not sent.
    BotReplyComposed {
        /// The conversation.
        conv: ConvId,
        /// What goes out.
        outbound: crate::model::bot::whatsapp::Outbound,
    },
    /// The bot got an attachment and copied it, or kept the platform's short-lived link
    /// (BOT-6).
    BotMedia {
        /// The conversation.
        conv: ConvId,
        /// Copied to the bot's storage.
        rehosted: bool,
    },
    /// At a handoff, attachments whose platform link had already expired (BOT-6).
    BotMediaExpired {
        /// The conversation.
        conv: ConvId,
        /// How many.
        count: u32,
    },
    /// The bot handed a conversation to the external centre; the layer read its history in
    /// `history_calls` Get Messages calls (CC-2).
    ExternalHandover {
        /// The conversation.
        conv: ConvId,
        /// Get Messages calls.
        history_calls: u32,
        /// The external queue it went to (CC-3).
        queue: u16,
    },
    /// An external agent's reply reached the customer.
    ExternalReplied {
        /// The conversation.
        conv: ConvId,
        /// Since the customer's turn began, ms.
        latency_ms: u64,
    },
    /// The external agent was done; the layer closed the conversation or forgot to (CC-5).
    ExternalDone {
        /// The conversation.
        conv: ConvId,
        /// Closed on the platform.
        closed: bool,
        /// Polls the layer made for it (CC-6).
        polls: u64,
    },
    /// A customer message lost: the conversation was left open after the external agent was
    /// done, so neither the bot nor the centre took it (CC-5).
    MessageLost {
        /// The conversation.
        conv: ConvId,
    },
    /// The bot called an action (ACT-1).
    BotAction {
        /// The conversation.
        conv: ConvId,
        /// How it ended.
        result: crate::model::bot::ActionResult,
    },
    /// A human closed a conversation the bot had, in Infobip (BOT-8).
    BotClosedByHuman {
        /// The conversation.
        conv: ConvId,
    },
    /// A human gave a handed-over conversation back to the bot, which resumes it (BOT-2).
    BotResumed {
        /// The conversation.
        conv: ConvId,
    },
    /// The bot ignored a repeated delivery (BOT-5).
    BotDuplicate {
        /// The conversation.
        conv: ConvId,
    },
    /// The customer gave up waiting for the bot.
    BotAbandoned {
        /// The conversation.
        conv: ConvId,
    },
    /// Workflow `workflow` ran on a conversation in `queue` (WF-1).
    WorkflowRun {
        /// The conversation.
        conv: ConvId,
        /// Index of the workflow.
        workflow: u32,
        /// Queue index.
        queue: u32,
    },
    /// A workflow's action ran (WF-5).
    WorkflowAction {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// The action.
        action: crate::model::workflow::Action,
        /// For messages: whether it went out (outside WhatsApp's window it fails, WIN-1).
        delivered: bool,
    },
    /// A workflow closed a conversation still waiting in `queue` after `wait_ms` (WF-5).
    ClosedByWorkflow {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// When it arrived, ms.
        arrived_ms: u64,
        /// Time in the queue, ms.
        wait_ms: u64,
        /// It had been answered before (back in line after an assignment).
        requeued: bool,
    },
    /// A conversation inactive for its channel's auto-resolution time resolved itself
    /// (WIN-3).
    AutoResolved {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
    },
    /// The agent of `conv` set its SLA severity at its first reply (SLA-2): which one follows
    /// from its policy's agent shares and this draw, in millionths of [0, 1).
    SeverityDrawn {
        /// The conversation.
        conv: ConvId,
        /// The draw, 0..1,000,000.
        draw_ppm: u32,
    },
    /// Agent `from` handed `conv` to agent `to` of the same queue (ST-1).
    AgentTransferred {
        /// The conversation.
        conv: ConvId,
        /// Its queue.
        queue: u32,
        /// The agent that had it.
        from: u32,
        /// The agent that has it now.
        to: u32,
        /// Its capacity category.
        category: ChannelCategory,
    },
    /// An agent moved a conversation to another queue (AA-11).
    Transferred {
        /// The conversation.
        conv: ConvId,
        /// The agent that had it.
        agent: u32,
        /// From queue.
        from: u32,
        /// To queue.
        to: u32,
        /// The agent belongs to the new queue and kept it; otherwise it was unassigned.
        kept: bool,
    },
    /// A customer gave up waiting in `queue` after its conversation had gone back to a line
    /// (moved there, AA-11, or unassigned): answered once already, so not a customer's
    /// abandonment of the queue ([`Metric::Abandoned`]).
    AbandonedAfterRequeue {
        /// The conversation.
        conv: ConvId,
        /// The queue it waited in.
        queue: u32,
    },
    /// A waiting strategy started for a conversation waiting in `queue` (WS-1).
    StrategyStarted {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// When it entered the queue, ms.
        entered_ms: u64,
        /// Its arrival segment (whose sender's strategy runs).
        segment: u32,
    },
    /// A waiting strategy step for a conversation in `queue` (WS-2..6).
    StrategyStep {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// What was sent (or that it fell silent).
        step: StrategyStep,
        /// Voice announcements stating the position: the caller's place in line (1 = next).
        position: Option<u32>,
    },
    /// The maximum wait of a waiting strategy closed a conversation (dropped a call) after
    /// `wait_ms` in `queue` (WS-4, WS-6).
    ClosedByStrategy {
        /// The conversation.
        conv: ConvId,
        /// Queue index.
        queue: u32,
        /// When the customer arrived, ms.
        arrived_ms: u64,
        /// Time in the queue, ms.
        wait_ms: u64,
    },
    /// After a call, agent `agent` spends `ms` in wrap-up from `start_ms` (ST-4; holds no
    /// capacity, CAP-3).
    WrapUp {
        /// The agent.
        agent: u32,
        /// Start, ms.
        start_ms: u64,
        /// Length, ms.
        ms: u64,
    },
    /// A conversation opened outside its queue's hours got the away message (WH-3), and was
    /// closed at once if `closed`.
    AwayMessage {
        /// The conversation.
        conv: ConvId,
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
        /// Its customer (see [`crate::actors::History::customer`]).
        customer: u64,
        /// Queue index.
        queue: u32,
        /// The agent.
        agent: u32,
        /// How it was chosen.
        by: AssignedBy,
        /// Its capacity category.
        category: ChannelCategory,
    },
    /// Conversation `conv` was taken from agent `agent` (logged out, ST-3, or by a workflow)
    /// and put back in line.
    Unassigned {
        /// A workflow did it (else a logout).
        by_workflow: bool,
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
