//! The AI agent in front (BOT-1..11) and its HTTP actions (ACT-1), as plain data and functions.
//!
//! - BOT-1, BOT-2, BOT-9: whether the bot answers a message — it needs the webhook subscription,
//!   Autopilot and the number's AI toggle on, and the conversation assigned to it (or
//!   unassigned with "handle unassigned conversations" on); a human owner or Closed keeps it out.
//! - BOT-3: a handoff unassigns the bot, tags `opencx_handed_off`, leaves an internal note with
//!   a summary and the sentiment, and asks the platform to route; or, for a share, assigns the
//!   conversation straight to an agent (004) (`handoff`).
//! - BOT-4: on resolve the platform conversation is closed only if configured and the bot still
//!   owns it.
//! - BOT-5: repeated deliveries of one message are ignored for 24 hours.
//! - BOT-6: inbound media is copied; when the copy fails the platform's short-lived link is kept
//!   and expires.
//! - BOT-7: replies are text only through Infobip; the AI's WhatsApp formats, attachments and
//!   inbound media (WIN-4..6) are in [`whatsapp`].
//! - BOT-10: replies wait a short delay that gathers a burst of customer messages into one.
//! - BOT-11: connecting needs the right base URL and a key with `conversations:manage`.
//! - ACT-1: an action call has a 60-second timeout and no retries; a failure returns as a status
//!   or a short error; repeated failures lead to a handoff.

mod handoff;
pub mod whatsapp;

pub use handoff::{
    DirectAssignSpec, HANDOFF, HANDOFF_ROUTED_INSTEAD, HANDOFF_TO_AGENT, HandoffReason,
    HandoffStep, next_handoff_step,
};

use crate::model::FastMap;

use super::platform_api::Assignee;
use super::status::ConversationStatus;

/// The tag a handoff leaves (BOT-3).
pub const HANDOFF_TAG: &str = "opencx_handed_off";
/// How long repeated deliveries are ignored, ms (BOT-5).
pub const DEDUPE_WINDOW_MS: u64 = 24 * 3_600_000;
/// An action call's timeout, ms (ACT-1).
pub const ACTION_TIMEOUT_MS: u64 = 60_000;
/// The scope the bot's API key needs (BOT-11).
pub const REQUIRED_SCOPE: &str = "conversations:manage";

/// The bot's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotSettings {
    /// Autopilot on (BOT-9).
    pub autopilot: bool,
    /// Answer unassigned conversations too (BOT-1).
    pub handle_unassigned: bool,
    /// Close the platform conversation on resolve (BOT-4).
    pub close_when_resolved: bool,
    /// The gathering delay before a reply, ms (BOT-10).
    pub debounce_ms: u64,
}

/// Why the bot stays silent on a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silence {
    /// No webhook subscription: it never hears anything (BOT-1).
    NoWebhook,
    /// Autopilot is off (BOT-9).
    AutopilotOff,
    /// The number's AI toggle is off (BOT-9).
    NumberOff,
    /// A human owns the conversation (BOT-2).
    HumanOwns,
    /// Unassigned, and unassigned conversations are not handled (BOT-1).
    Unassigned,
    /// Another bot owns it.
    OtherBot,
    /// The conversation is closed (BOT-2, BOT-8).
    Closed,
}

impl Silence {
    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Silence::NoWebhook => "no_webhook",
            Silence::AutopilotOff => "autopilot_off",
            Silence::NumberOff => "number_off",
            Silence::HumanOwns => "human_owns",
            Silence::Unassigned => "unassigned",
            Silence::OtherBot => "other_bot",
            Silence::Closed => "closed",
        }
    }
}

/// BOT-1, BOT-2, BOT-9: whether bot `bot` answers a message of a conversation with this
/// `assignee` and `status`, given whether the webhook is registered and the number's AI toggle.
pub fn answers(
    settings: &BotSettings,
    webhook: bool,
    number_on: bool,
    bot: &str,
    assignee: Option<&Assignee>,
    status: ConversationStatus,
) -> Result<(), Silence> {
    if !webhook {
        return Err(Silence::NoWebhook);
    }
    if status == ConversationStatus::Closed {
        return Err(Silence::Closed);
    }
    if !settings.autopilot {
        return Err(Silence::AutopilotOff);
    }
    if !number_on {
        return Err(Silence::NumberOff);
    }
    match assignee {
        Some(Assignee::Bot(b)) if b == bot => Ok(()),
        Some(Assignee::Bot(_)) => Err(Silence::OtherBot),
        Some(Assignee::Agent(_)) => Err(Silence::HumanOwns),
        None if settings.handle_unassigned => Ok(()),
        None => Err(Silence::Unassigned),
    }
}

/// BOT-10: gathers a burst. Each message pushes the reply back to `debounce` after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Debounce {
    due_ms: Option<u64>,
    gathered: u32,
}

impl Debounce {
    /// A message at `now_ms`: the reply is due `debounce_ms` later (returned).
    pub fn message(&mut self, now_ms: u64, debounce_ms: u64) -> u64 {
        let due = now_ms + debounce_ms;
        self.due_ms = Some(due);
        self.gathered += 1;
        due
    }

    /// A timer set for `due_ms` fired: if it is the latest, the burst is complete; returns how
    /// many messages the one reply answers.
    pub fn fire(&mut self, due_ms: u64) -> Option<u32> {
        if self.due_ms != Some(due_ms) {
            return None; // a later message moved it
        }
        self.due_ms = None;
        Some(std::mem::take(&mut self.gathered))
    }
}

/// BOT-5: deliveries already seen, by message id, forgotten after 24 hours.
#[derive(Debug, Clone, Default)]
pub struct Dedupe {
    seen: FastMap<u64, u64>,
    last_pruned_ms: u64,
}

impl Dedupe {
    /// Whether the delivery of message `id` at `now_ms` is its first within the window (a
    /// repeat is ignored).
    pub fn first(&mut self, id: u64, now_ms: u64) -> bool {
        if now_ms >= self.last_pruned_ms + DEDUPE_WINDOW_MS {
            self.seen
                .retain(|_, at| now_ms < at.saturating_add(DEDUPE_WINDOW_MS));
            self.last_pruned_ms = now_ms;
        }
        match self.seen.get(&id) {
            Some(&at) if now_ms < at + DEDUPE_WINDOW_MS => false,
            _ => {
                self.seen.insert(id, now_ms);
                true
            }
        }
    }

    /// Message ids remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether none is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// BOT-4: whether resolving closes the platform conversation.
pub fn closes_on_resolve(settings: &BotSettings, bot: &str, assignee: Option<&Assignee>) -> bool {
    settings.close_when_resolved && matches!(assignee, Some(Assignee::Bot(b)) if b == bot)
}

/// BOT-6: where the bot keeps an inbound attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// Copied to the bot's storage: readable for good.
    Rehosted,
    /// The copy failed: the platform's link, readable until `expires_ms`.
    PlatformLink {
        /// When the link dies, ms.
        expires_ms: u64,
    },
}

impl Media {
    /// BOT-6: the outcome of re-hosting an attachment received at `now_ms` whose platform link
    /// lives `link_life_ms`.
    pub fn rehost(copied: bool, now_ms: u64, link_life_ms: u64) -> Self {
        if copied {
            Media::Rehosted
        } else {
            Media::PlatformLink {
                expires_ms: now_ms + link_life_ms,
            }
        }
    }

    /// Whether the attachment can be opened at `at_ms`.
    pub fn readable(self, at_ms: u64) -> bool {
        match self {
            Media::Rehosted => true,
            Media::PlatformLink { expires_ms } => at_ms < expires_ms,
        }
    }
}

/// What a reply may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyContent {
    /// Text.
    Text,
    /// An image, a file or other media.
    Media,
}

/// BOT-7: the bot sends text only.
pub fn bot_may_send(content: ReplyContent) -> bool {
    content == ReplyContent::Text
}

/// BOT-11: why connecting fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// The base URL does not answer as the account's API.
    #[error("wrong base URL")]
    WrongBaseUrl,
    /// The key lacks `conversations:manage`.
    #[error("the API key lacks the conversations:manage scope")]
    MissingScope,
}

/// BOT-11: connecting with an API key of `scopes` at a base URL that is (`base_url_ok`) or is
/// not the account's.
pub fn connect(base_url_ok: bool, scopes: &[&str]) -> Result<(), ConnectError> {
    if !base_url_ok {
        return Err(ConnectError::WrongBaseUrl);
    }
    if !scopes.contains(&REQUIRED_SCOPE) {
        return Err(ConnectError::MissingScope);
    }
    Ok(())
}

/// What the bot does with a conversation of one topic (from the scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answers and resolves it.
    Resolve,
    /// Hands it over to humans.
    Handoff,
    /// The customer stops answering.
    Drop,
}

/// The shares of a topic's outcomes; what is left is dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopicOutcomes {
    /// Share resolved by the bot (containment), 0..=1.
    pub resolve_share: f64,
    /// Share handed off, 0..=1 (the two add up to at most 1).
    pub handoff_share: f64,
}

impl TopicOutcomes {
    /// The outcome a uniform number in [0, 1) picks.
    pub fn pick(&self, uniform: f64) -> Outcome {
        if uniform < self.resolve_share {
            Outcome::Resolve
        } else if uniform < self.resolve_share + self.handoff_share {
            Outcome::Handoff
        } else {
            Outcome::Drop
        }
    }
}

/// WhatsApp is the one channel where the bot remembers earlier sessions of the same customer
/// and business number.
pub fn remembers_across_sessions(channel: super::channel::ChannelKind) -> bool {
    channel == super::channel::ChannelKind::Whatsapp
}

/// ACT-1: how an action call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionResult {
    /// It answered in time.
    Ok {
        /// Its latency, ms.
        latency_ms: u64,
    },
    /// It answered with an error status in time.
    Failed {
        /// The status code.
        status: u16,
        /// Its latency, ms.
        latency_ms: u64,
    },
    /// No answer within 60 s: a short error, and no retry.
    TimedOut,
}

impl ActionResult {
    /// ACT-1: a call whose endpoint would take `latency_ms` and fail (`fails`) with `status`.
    pub fn of(latency_ms: u64, fails: bool, status: u16) -> Self {
        if latency_ms > ACTION_TIMEOUT_MS {
            ActionResult::TimedOut
        } else if fails {
            ActionResult::Failed { status, latency_ms }
        } else {
            ActionResult::Ok { latency_ms }
        }
    }

    /// When the bot hears back, ms after the call.
    pub fn heard_after_ms(self) -> u64 {
        match self {
            ActionResult::Ok { latency_ms } | ActionResult::Failed { latency_ms, .. } => latency_ms,
            ActionResult::TimedOut => ACTION_TIMEOUT_MS,
        }
    }

    /// Whether it failed (error or timeout).
    pub fn failed(self) -> bool {
        !matches!(self, ActionResult::Ok { .. })
    }
}

/// ACT-1: counts consecutive action failures of a conversation; reaching `limit` means handoff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureStreak {
    run: u32,
}

impl FailureStreak {
    /// Records a result; returns whether the bot must hand off now.
    pub fn record(&mut self, result: ActionResult, limit: u32) -> bool {
        if result.failed() {
            self.run += 1;
        } else {
            self.run = 0;
        }
        limit > 0 && self.run >= limit
    }
}

/// The bot in a centre: who it is, its settings, and what the scenario says of its timing and
/// its results.
#[derive(Debug, Clone, PartialEq)]
pub struct BotSpec {
    /// Its id (the assignee name).
    pub name: String,
    /// Autopilot, unassigned conversations, close on resolve, debounce.
    pub settings: BotSettings,
    /// The webhook subscription is registered (BOT-1).
    pub webhook: bool,
    /// When another integration replaces the account webhook with its own (CC-1), ms.
    pub webhook_replaced_at_ms: Option<u64>,
    /// The numbers (channels) whose AI toggle is on (BOT-9).
    pub channels: Vec<super::channel::ChannelKind>,
    /// The platform assigns the bot's channels' new conversations to it; otherwise they stay
    /// unassigned and the bot answers them only with `handle_unassigned` (BOT-1).
    pub assigned: bool,
    /// Share of handed-over conversations a human agent gives back to the bot after its first
    /// reply (BOT-2: the bot then resumes).
    pub give_back_share: f64,
    /// Turns a customer saves when the bot remembers an earlier session with it (WhatsApp only:
    /// same customer and business number).
    pub memory_turns_saved: u32,
    /// Its reply time after the debounce.
    pub reply: super::distribution::DurationDist,
    /// Delivery delay of a webhook POST.
    pub webhook_delay: super::distribution::DurationDist,
    /// Share of deliveries the platform sends twice (BOT-5).
    pub duplicate_share: f64,
    /// The attribute whose value is the conversation's topic.
    pub topic_attribute: Option<super::routing::AttrId>,
    /// Outcomes by topic value; `None` is the default for other topics.
    pub outcomes: Vec<(Option<super::routing::AttrValue>, TopicOutcomes)>,
    /// Customer turns with the bot before the outcome shows.
    pub turns: super::conversation::CountDist,
    /// The HTTP actions it calls (ACT-1), if any.
    pub actions: Option<ActionSpec>,
    /// Customers' attachments and their re-hosting (BOT-6), if any.
    pub media: Option<MediaSpec>,
    /// Which API its replies take (BOT-7, WIN-4).
    pub reply_path: whatsapp::SendPath,
    /// What its replies hold, each with its share of replies; the rest are plain text of
    /// [`PLAIN_REPLY`] (WIN-4, WIN-5).
    pub reply_shapes: Vec<(f64, whatsapp::ReplyShape)>,
    /// The scopes of its API key (BOT-11).
    pub api_key_scopes: Vec<String>,
    /// Its base URL is the account's (BOT-11).
    pub base_url_ok: bool,
    /// Handoffs left unrouted wait in this queue (the unassigned list: manual assignment,
    /// every agent a member); `None`: they go through routing (BOT-3).
    pub unrouted_queue: Option<u32>,
    /// Handoffs assigned straight to an agent, if any (004).
    pub direct_assign: Option<DirectAssignSpec>,
    /// Share of its conversations humans close in Infobip while it has them, and when after
    /// their start (BOT-8).
    pub closed_by_humans: Option<(f64, super::distribution::DurationDist)>,
}

/// A reply with nothing but text.
pub const PLAIN_REPLY: whatsapp::ReplyShape = whatsapp::ReplyShape {
    text_chars: 80,
    options: 0,
    option_chars: 0,
    link: false,
    link_label_chars: 0,
    attachments: 0,
};

/// Inbound attachments (BOT-6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediaSpec {
    /// Share of customer messages that carry an attachment, 0..=1.
    pub share_of_messages: f64,
    /// Share of re-host copies that fail, 0..=1.
    pub rehost_failure_share: f64,
    /// How long the platform's link lives, ms.
    pub link_life_ms: u64,
    /// Weights of what the attachments are, in [`whatsapp::InboundKind::MEDIA`] order (WIN-6).
    pub kind_weights: [f64; 5],
    /// Share of customer messages followed by a sticker (WIN-6: not processed), 0..=1.
    pub sticker_share: f64,
    /// Share of customer messages followed by a system message (WIN-6: not processed), 0..=1.
    pub system_share: f64,
}

impl MediaSpec {
    /// WIN-6: what an attachment is, for a uniform number in [0, 1) (the first kind when only
    /// one has weight, without needing a number).
    pub fn kind(&self, uniform: f64) -> whatsapp::InboundKind {
        let total: f64 = self.kind_weights.iter().sum();
        let mut at = uniform * total;
        for (k, w) in whatsapp::InboundKind::MEDIA.iter().zip(self.kind_weights) {
            if at < w {
                return *k;
            }
            at -= w;
        }
        let last = self
            .kind_weights
            .iter()
            .rposition(|w| *w > 0.0)
            .unwrap_or(1);
        whatsapp::InboundKind::MEDIA[last]
    }

    /// Whether the kind needs a draw (more than one kind has weight).
    pub fn mixed(&self) -> bool {
        self.kind_weights.iter().filter(|w| **w > 0.0).count() > 1
    }
}

/// The bot's HTTP actions in a scenario (ACT-1).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionSpec {
    /// Share of the bot's replies that call an action first, 0..=1.
    pub share_of_turns: f64,
    /// The endpoint's latency (past 60 s the call times out).
    pub latency: super::distribution::DurationDist,
    /// Share of calls that fail with an error status, 0..=1.
    pub failure_share: f64,
    /// Consecutive failures that make the bot hand off; 0 never.
    pub handoff_after: u32,
}

impl BotSpec {
    /// BOT-11: whether the bot connects to the platform: the account's base URL and a key with
    /// `conversations:manage`. A bot that does not has every API call refused.
    pub fn connection(&self) -> Result<(), ConnectError> {
        let scopes: Vec<&str> = self.api_key_scopes.iter().map(String::as_str).collect();
        connect(self.base_url_ok, &scopes)
    }

    /// WIN-4, WIN-5: what a reply holds, for a uniform number in [0, 1).
    pub fn reply_shape(&self, uniform: f64) -> whatsapp::ReplyShape {
        let mut at = uniform;
        for (share, shape) in &self.reply_shapes {
            if at < *share {
                return *shape;
            }
            at -= share;
        }
        PLAIN_REPLY
    }

    /// Whether the bot takes conversations of `channel` first: autopilot on and the number's
    /// toggle on (BOT-9); without them humans answer.
    pub fn takes(&self, channel: super::channel::ChannelKind) -> bool {
        self.settings.autopilot && self.channels.contains(&channel)
    }

    /// Whether new conversations of `channel` meet the bot first: autopilot and the number's
    /// toggle on (BOT-9), and assigned to the bot or unassigned with "handle unassigned" on
    /// (BOT-1). A missing webhook does not change who owns them: the bot just never hears.
    pub fn meets_first(&self, channel: super::channel::ChannelKind) -> bool {
        let assignee = self.assigned.then(|| Assignee::Bot(self.name.clone()));
        answers(
            &self.settings,
            true,
            self.channels.contains(&channel),
            &self.name,
            assignee.as_ref(),
            ConversationStatus::Open,
        )
        .is_ok()
    }

    /// The turns a customer needs of the bot: `turns`, less what the bot remembers of an earlier
    /// session on a channel where it does (never below one).
    pub fn turns_needed(
        &self,
        turns: u32,
        channel: super::channel::ChannelKind,
        met_before: bool,
    ) -> u32 {
        if met_before && remembers_across_sessions(channel) {
            turns.saturating_sub(self.memory_turns_saved).max(1)
        } else {
            turns.max(1)
        }
    }

    /// The outcomes for a conversation whose topic is `topic`.
    pub fn outcomes_for(&self, topic: Option<&super::routing::AttrValue>) -> TopicOutcomes {
        self.outcomes
            .iter()
            .find(|(t, _)| t.is_some() && t.as_ref() == topic)
            .or_else(|| self.outcomes.iter().find(|(t, _)| t.is_none()))
            .map_or(
                TopicOutcomes {
                    resolve_share: 0.0,
                    handoff_share: 1.0,
                },
                |(_, o)| *o,
            )
    }
}

#[cfg(test)]
mod tests;
