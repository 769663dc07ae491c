//! The scenario sections for the AI agent in front (BOT-1..11, WIN-4..6, ACT-1) and the external
//! contact centre behind it (CC-1..6) (types only; `scenario::bot` checks them).

use schemars::JsonSchema;
use serde::Deserialize;

use super::{CountFile, DistFile, enabled};

/// The AI agent in front (BOT-1..11).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BotFile {
    /// Its id (the assignee name).
    pub name: String,
    /// Autopilot on (BOT-9); default true.
    #[serde(default = "enabled")]
    pub autopilot: bool,
    /// The channels (numbers) whose AI toggle is on (BOT-9); their conversations meet the bot
    /// first. They need a conversation model.
    pub channels: Vec<String>,
    /// The webhook subscription is registered (BOT-1); default true. Without it the bot never
    /// answers.
    #[serde(default = "enabled")]
    pub webhook: bool,
    /// Hours after the start at which another integration sets the account webhook to its own
    /// URL, replacing the bot's (CC-1: one webhook per account): from then on the bot hears
    /// nothing. None if left out.
    #[serde(default)]
    pub webhook_replaced_after_h: Option<f64>,
    /// Answer unassigned conversations (BOT-1); default true.
    #[serde(default = "enabled")]
    pub handle_unassigned: bool,
    /// The platform assigns new conversations of the bot's channels to the bot (default true);
    /// otherwise they arrive unassigned, and without `handle_unassigned` the bot leaves them to
    /// the human queues.
    #[serde(default = "enabled")]
    pub assigned: bool,
    /// Share of handed-over conversations the human agent gives back to the bot after its
    /// first reply (BOT-2), 0..1.
    #[serde(default)]
    pub give_back_share: f64,
    /// Turns a returning WhatsApp customer saves because the bot remembers its earlier
    /// sessions (cross-session memory); default 0.
    #[serde(default)]
    pub memory_turns_saved: u32,
    /// Close the conversation when the bot resolves it and still owns it (BOT-4); default true.
    #[serde(default = "enabled")]
    pub close_when_resolved: bool,
    /// Seconds the bot waits to gather a burst of messages (BOT-10); default 3.
    #[serde(default)]
    pub debounce_s: Option<f64>,
    /// Its reply time after the debounce.
    pub reply: DistFile,
    /// Delay of the platform's webhook POSTs; none if left out.
    #[serde(default)]
    pub webhook_delay: Option<DistFile>,
    /// Share of webhook deliveries sent twice (BOT-5), 0..1.
    #[serde(default)]
    pub duplicate_share: f64,
    /// The attribute that gives the conversation's topic, e.g. `person.custom.topic`.
    #[serde(default)]
    pub topic_attribute: Option<String>,
    /// What the bot achieves per topic; a row without `topic` covers the others.
    pub outcomes: Vec<BotOutcomeFile>,
    /// Customer turns with the bot before the outcome shows.
    pub turns: CountFile,
    /// The HTTP actions it calls (ACT-1); none if left out.
    #[serde(default)]
    pub actions: Option<BotActionsFile>,
    /// Customers' attachments and their re-hosting (BOT-6); none if left out.
    #[serde(default)]
    pub media: Option<BotMediaFile>,
    /// Which API the bot's replies take: `conversations_api` (Infobip's Create Message, text
    /// only, BOT-7; the default) or `whatsapp_api` (WhatsApp's own sends for WhatsApp
    /// conversations: buttons, lists, CTA links and attachments, WIN-4 and WIN-5).
    #[serde(default)]
    pub reply_path: ReplyPathFile,
    /// What the bot's replies hold, each row a share of replies; the rest are plain text.
    #[serde(default)]
    pub reply_shapes: Vec<ReplyShapeFile>,
    /// The scopes of the bot's API key (BOT-11); default `["conversations:manage"]`, the one it
    /// needs. Without it every call the bot makes is refused.
    #[serde(default)]
    pub api_key_scopes: Option<Vec<String>>,
    /// The base URL the bot is configured with (BOT-11); with `account_base_url`, a bot whose
    /// URL is not the account's cannot connect.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The account's API base URL (the Infobip portal shows it).
    #[serde(default)]
    pub account_base_url: Option<String>,
    /// Where handed-over conversations go: `routed` (the default: Infobip's routing, a route
    /// on the handoff tag or the segment's queue, BOT-3) or `unrouted` (no routing picks them
    /// up: they wait in the unassigned list, the report's `Unassigned` queue, until an agent
    /// takes one by hand, longest idle first).
    #[serde(default)]
    pub handoffs: HandoffsFile,
    /// A share of the bot's conversations an Infobip agent or supervisor closes while the bot
    /// still has them, `after` their start (000: "the conversation was … closed in Infobip"):
    /// the platform then refuses the bot's writes (BOT-8). None if left out.
    #[serde(default)]
    pub closed_by_humans: Option<ClosedByHumansFile>,
    /// A share of handoffs the integration assigns straight to an agent of `group` with
    /// Change conversation assignment instead of routing them (004: "routing is avoided and
    /// direct assigning is committed"). Capacity does not apply (it limits automatic
    /// assignment only). The agent: of the group, one signed in and not on a break holding
    /// the fewest conversations; with nobody so, the handoff is routed. Reported as the queue
    /// `Assigned by the bot`. None if left out.
    #[serde(default)]
    pub direct_assign: Option<DirectAssignFile>,
}

/// Handoffs assigned straight to an agent (004).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectAssignFile {
    /// Share of the bot's handoffs, 0..1.
    pub share: f64,
    /// The `[[agents]]` group whose agents the integration assigns to.
    pub group: String,
}

/// Bot conversations humans close in Infobip (BOT-8).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosedByHumansFile {
    /// Share of the bot's conversations, 0..1.
    pub share: f64,
    /// How long after the conversation's start.
    pub after: DistFile,
}

/// Where handed-over conversations go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffsFile {
    /// Through Infobip's routing (BOT-3).
    #[default]
    Routed,
    /// Nowhere: the unassigned list, worked by hand (the documents' "handoffs land unrouted").
    Unrouted,
}

/// Which API the bot's replies take.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplyPathFile {
    /// Infobip's Conversations API: text only (BOT-7).
    #[default]
    ConversationsApi,
    /// WhatsApp's own send API for WhatsApp conversations (WIN-4, WIN-5).
    WhatsappApi,
}

/// One kind of bot reply (WIN-4, WIN-5): the AI picks its format from what it holds.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyShapeFile {
    /// Share of the bot's replies like this, 0..1 (all rows at most 1).
    pub share: f64,
    /// Length of its text, characters (default 80).
    #[serde(default)]
    pub text_chars: Option<u32>,
    /// Options it offers to pick from (default 0): 1–3 short ones become buttons, 4–10 a list.
    #[serde(default)]
    pub options: u32,
    /// Length of the longest option, characters.
    #[serde(default)]
    pub option_chars: u32,
    /// The reply is one link (a CTA URL button when it fits).
    #[serde(default)]
    pub link: bool,
    /// Length of the link's label, characters.
    #[serde(default)]
    pub link_label_chars: u32,
    /// Files sent with it, one message each before the text (WIN-5).
    #[serde(default)]
    pub attachments: u32,
}

/// Inbound attachments (BOT-6): copied to the bot's storage, or kept as the platform's
/// short-lived link when the copy fails.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BotMediaFile {
    /// Share of customer messages with an attachment, 0..1.
    pub share_of_messages: f64,
    /// Share of copies that fail, 0..1.
    pub rehost_failure_share: f64,
    /// Minutes the platform's link lives (> 0).
    pub link_life_min: f64,
    /// What the attachments are, by weight (WIN-6): `voice_note` (transcribed), `image`,
    /// `video`, `document` (attached), `location` (a map link). Default: images.
    #[serde(default)]
    pub kinds: Option<std::collections::BTreeMap<String, f64>>,
    /// Share of customer messages followed by a sticker, which the AI does not process (WIN-6).
    #[serde(default)]
    pub sticker_share: f64,
    /// Share of customer messages followed by a system message, which it does not process.
    #[serde(default)]
    pub system_share: f64,
}

/// The bot's HTTP actions (ACT-1): 60-second timeout, no retries.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BotActionsFile {
    /// Share of the bot's replies that call an action first, 0..1.
    pub share_of_turns: f64,
    /// The endpoint's latency; past 60 s the call times out.
    pub latency: DistFile,
    /// Share of calls that fail with an error status, 0..1.
    pub failure_share: f64,
    /// Consecutive failures after which the bot hands off (0: never).
    #[serde(default)]
    pub handoff_after_failures: u32,
}

/// The bot's results on one topic: resolved (contained), handed off; the rest drop.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BotOutcomeFile {
    /// The topic's value; leave out for every other topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Share resolved by the bot, 0..1.
    pub resolve_share: f64,
    /// Share handed off to humans, 0..1; with `resolve_share` at most 1.
    pub handoff_share: f64,
}

/// An external contact centre behind a translation layer (CC-1..6).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalCentreFile {
    /// Its agents (of its default queue, when it has named ones).
    pub agents: u32,
    /// Named queues beside the default one, each with its agents (CC-3): the layer seats a
    /// handover in the queue its routing context names.
    #[serde(default)]
    pub queues: Vec<ExternalQueueFile>,
    /// The conversation attribute whose value the conversation's metadata carries as `queue`
    /// (CC-3), e.g. `person.custom.topic`; needed with `queues`.
    #[serde(default)]
    pub queue_attribute: Option<String>,
    /// Conversations each holds at once (default 3).
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Their reply time per customer turn.
    pub reply: DistFile,
    /// Seconds between the layer's polls of the centre (CC-6); leave out when the centre pushes
    /// its agents' messages.
    #[serde(default)]
    pub poll_s: Option<f64>,
    /// Get Messages page size for the history (1 to 999, default 100).
    #[serde(default)]
    pub history_page: Option<u32>,
    /// Share of finished conversations the layer forgets to close (CC-5), 0..1.
    #[serde(default)]
    pub forget_close_share: f64,
    /// Minutes an external agent waits for a silent customer (default 30).
    #[serde(default)]
    pub silence_min: Option<f64>,
}

/// A named queue of the external centre (CC-3).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalQueueFile {
    /// Its name: the value of `queue_attribute` that sends conversations to it.
    pub name: String,
    /// Its agents (each holds `capacity` conversations).
    pub agents: u32,
}
