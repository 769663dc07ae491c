//! The scenario sections for the life of conversations and the policies that act on them:
//! conversation models, `[conversations]`, waiting strategies, SLA policies, workflows, surveys,
//! sentiment and transfers (types only; `scenario::build` checks them).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{ConditionFile, DistFile, enabled};
use crate::model::priority::Priority;

/// Survey settings (SUR-1).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyFile {
    /// No survey to a customer sooner than this after the previous one, days (≥ 0).
    pub min_gap_days: f64,
    /// Share of surveyed customers who answer, 0..1.
    pub response_share: f64,
    /// Share of answers that are happy, 0..1.
    pub happy_share: f64,
}

/// The sentiment of a segment's customer messages (SUR-2): normal, clamped to [-1, 1].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SentimentFile {
    /// Mean score of a message, -1..1.
    pub mean: f64,
    /// Standard deviation (≥ 0).
    pub sd: f64,
}

/// A workflow: when any trigger fires and the conditions hold, the actions run in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    /// Name, for reports.
    pub name: String,
    /// Disabled workflows never run.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Triggers, any of which starts it (at least one).
    pub triggers: Vec<WorkflowTriggerFile>,
    /// Groups of conditions: every condition of one group must hold; none: always.
    #[serde(default)]
    pub conditions: Vec<Vec<WorkflowConditionFile>>,
    /// Actions in order; `close` only last.
    pub actions: Vec<WorkflowActionFile>,
}

/// A workflow trigger (WF-1, WF-4).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "when", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkflowTriggerFile {
    /// The customer has not replied for `after_min` since the first unanswered agent message.
    CustomerNotReplied {
        /// Minutes (10 s to 90 days).
        after_min: f64,
    },
    /// The agent has not replied for `after_min` since the first unanswered customer message.
    AgentNotReplied {
        /// Minutes.
        after_min: f64,
    },
    /// Solved for `after_min`.
    Solved {
        /// Minutes.
        after_min: f64,
    },
    /// Solved and unmodified for `after_min`.
    SolvedUnmodified {
        /// Minutes.
        after_min: f64,
    },
    /// In Waiting for `after_min`.
    Waiting {
        /// Minutes.
        after_min: f64,
    },
    /// The status changed to `to` (`open`, `waiting` or `solved`).
    StatusChanged {
        /// The new status.
        to: crate::model::status::ConversationStatus,
    },
    /// The conversation moved to another queue.
    QueueChanged,
    /// Tags were added or removed.
    TagChanged,
    /// A customer message arrived.
    InboundMessage,
    /// An agent sent a message.
    OutboundAgentMessage,
}

/// A workflow condition: `if` names the field; `in_list` or `not_in_list` (queue, status,
/// tag), or `value` (assigned).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowConditionFile {
    /// `queue`, `status`, `tag` or `assigned`.
    #[serde(rename = "if")]
    pub field: WorkflowFieldFile,
    /// The values that satisfy it.
    #[serde(default)]
    pub in_list: Option<Vec<String>>,
    /// The values that do not.
    #[serde(default)]
    pub not_in_list: Option<Vec<String>>,
    /// For `assigned`: true or false.
    #[serde(default)]
    pub value: Option<bool>,
}

/// What a workflow condition looks at.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowFieldFile {
    /// The conversation's queue.
    Queue,
    /// Its status.
    Status,
    /// Its tags.
    Tag,
    /// Whether an agent has it.
    Assigned,
}

/// A workflow action (WF-5).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorkflowActionFile {
    /// Send a message to the customer (over the channel of its last message).
    SendMessage,
    /// Add tags.
    AddTags {
        /// Tag names.
        tags: Vec<String>,
    },
    /// Remove tags.
    RemoveTags {
        /// Tag names.
        tags: Vec<String>,
    },
    /// Set Solved.
    SetSolved,
    /// Set the priority.
    SetPriority {
        /// low, normal, high or urgent.
        priority: Priority,
    },
    /// Unassign the agent.
    Unassign,
    /// Close the conversation (last).
    Close,
    /// Call an external API.
    CallApi,
}

/// An SLA policy.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicyFile {
    /// Name, for reports.
    pub name: String,
    /// Disabled policies are never used.
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// First day of validity, `YYYY-MM-DD` (local, from 00:00); none: always valid before.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last day of validity, `YYYY-MM-DD` (local, to 24:00); none: no end.
    #[serde(default)]
    pub valid_until: Option<String>,
    /// Groups of conditions (with the attributes and operators of routes): the policy applies
    /// when every condition of any one group holds (AND within, OR between). At least one.
    pub conditions: Vec<Vec<ConditionFile>>,
    /// The queues it applies to; all if left out.
    #[serde(default)]
    pub queues: Option<Vec<String>>,
    /// Only agents' replies count, and clocks start at the bot's handover (SLA-6).
    #[serde(default)]
    pub exclude_automated: bool,
    /// Severities, the default first; each with at least one target.
    pub severities: Vec<SeverityFile>,
}

/// A severity of an SLA policy (SLA-2, SLA-5).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityFile {
    /// Name.
    pub name: String,
    /// First response target, minutes.
    #[serde(default)]
    pub first_response_min: Option<f64>,
    /// Next reply target, minutes.
    #[serde(default)]
    pub next_reply_min: Option<f64>,
    /// Total resolution target, minutes.
    #[serde(default)]
    pub resolution_min: Option<f64>,
    /// `always` (default) or `working_hours` (held outside the queue's hours).
    #[serde(default)]
    pub hours: SlaHoursFile,
    /// Share of the policy's conversations whose agent sets this severity at its first reply
    /// (SLA-2), 0..1; not on the first severity, the default, which keeps the rest.
    #[serde(default)]
    pub agent_share: f64,
}

/// When a severity's clocks run.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaHoursFile {
    /// Around the clock.
    #[default]
    Always,
    /// Inside the queue's working hours only.
    WorkingHours,
}

/// Centre-wide conversation settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationsFile {
    /// Which statuses besides Open count toward an agent's capacity (CAP-4); both by default.
    #[serde(default)]
    pub counted_statuses: Option<crate::model::status::CountedStatuses>,
    /// Agents set Waiting while the customer owes a reply (default false).
    #[serde(default)]
    pub agent_sets_waiting: Option<bool>,
    /// An agent solves a conversation whose customer has not replied for this long, minutes
    /// (default 15).
    #[serde(default)]
    pub solve_silent_after_min: Option<f64>,
    /// A Solved conversation is closed after this long unless the customer writes, minutes
    /// (default 120: the usual "solved for 2 h → close" workflow). 10 s to 90 days (WF-1).
    #[serde(default)]
    pub close_solved_after_min: Option<f64>,
}

/// A waiting strategy (WS-1..6) for the senders (channels) it names.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitingStrategyFile {
    /// Name, for messages.
    pub name: String,
    /// The channels (senders) it serves; a channel may have one strategy at most (WS-1). All
    /// voice, or all text channels.
    pub channels: Vec<String>,
    /// Welcome message (greeting, for calls) on entering the queue (WS-2).
    #[serde(default)]
    pub welcome: bool,
    /// Periodic announcements (WS-3, WS-6).
    #[serde(default)]
    pub announcements: Option<AnnouncementsFile>,
    /// Close the conversation (drop the call) after this long unassigned, minutes; at most 60
    /// for text channels (WS-4).
    #[serde(default)]
    pub max_wait_min: Option<f64>,
    /// Voice only: hold music between the messages (WS-6).
    #[serde(default)]
    pub hold_music: bool,
}

/// Announcements of a waiting strategy.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementsFile {
    /// Interval, seconds (at least 60).
    pub every_s: f64,
    /// At most this many (1 to 60); no limit if left out.
    #[serde(default)]
    pub count: Option<i64>,
    /// Voice only: state the caller's position in the queue.
    #[serde(default)]
    pub position_in_queue: bool,
}

/// What the customers of a segment do in a messaging conversation (instead of a handle time).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversationFile {
    /// Customer turns that each need an agent reply, the opening one included.
    pub exchanges: CountFile,
    /// From an agent's reply to the customer's next message.
    pub think: DistFile,
    /// Messages per customer turn; 1 if left out.
    #[serde(default)]
    pub burst_messages: Option<CountFile>,
    /// Chance at each later turn that the customer stops replying, 0..1 (default 0).
    #[serde(default)]
    pub silent_share: f64,
    /// Customers who write again after Solved.
    #[serde(default)]
    pub come_back: Option<ComeBackFile>,
}

/// Customers who write again after their conversation was solved.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComeBackFile {
    /// Share of solved conversations, 0..1.
    pub share: f64,
    /// How long after Solved.
    pub after: DistFile,
}

/// A distribution of whole counts ≥ 1.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(tag = "dist", rename_all = "snake_case", deny_unknown_fields)]
pub enum CountFile {
    /// Always the same.
    Constant {
        /// The count (≥ 1).
        value: i64,
    },
    /// Geometric on 1, 2, 3 … with this mean (≥ 1).
    Geometric {
        /// Mean.
        mean: f64,
    },
    /// Drawn uniformly from observed counts.
    Empirical {
        /// The observations (each ≥ 1).
        values: Vec<i64>,
    },
}

/// A share of a queue's conversations that its agents move to another queue after their first
/// reply (AA-11).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferFile {
    /// Destination queue.
    pub to: String,
    /// Share of the queue's answered conversations, 0..1.
    pub share: f64,
}
