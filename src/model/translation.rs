//! The translation layer between a chatbot on Infobip and an external contact centre (CC-1..6),
//! as plain data and functions.
//!
//! - CC-1: one account webhook receives every inbound message (see `platform_api::Store`).
//! - CC-2: on handover the layer tells the external centre, reads the history with Get Messages
//!   (at most 1,000 messages, in pages of at most 999), forwards every new inbound message, lets
//!   the external agent write through Create Message, and closes the conversation when the
//!   external agent is done.
//! - CC-3: tags and metadata carry routing context (queue, language, campaign).
//! - CC-4: handing over ends the chatbot session at once: the bot hears nothing more.
//! - CC-5: a conversation left open after the external agent is done keeps the chatbot from the
//!   customer's new messages; the external centre no longer expects them: they are lost.
//! - CC-6: without a webhook for agent messages the layer polls the external centre.

use super::platform_api::{MAX_PAGE, pages_to_read};

/// The most history messages the layer reads on a handover (CC-2).
pub const HISTORY_CAP: usize = 1_000;

/// How the layer learns of the external agents' messages (CC-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentFeed {
    /// The external centre calls the layer's webhook at once.
    Push,
    /// The layer asks every `interval_ms`.
    Poll {
        /// Time between polls, ms.
        interval_ms: u64,
    },
}

impl AgentFeed {
    /// When an external agent's message written at `written_ms` reaches the layer (and so the
    /// customer): at once when pushed, at the next poll when polled. Polls run at multiples of
    /// the interval from the handover at `since_ms`.
    pub fn relayed_at(self, since_ms: u64, written_ms: u64) -> u64 {
        match self {
            AgentFeed::Push => written_ms,
            AgentFeed::Poll { interval_ms } => {
                let interval = interval_ms.max(1);
                let elapsed = written_ms.saturating_sub(since_ms);
                since_ms + elapsed.div_ceil(interval) * interval
            }
        }
    }

    /// Polls made between `since_ms` and `until_ms` (the poll load, CC-6).
    pub fn polls(self, since_ms: u64, until_ms: u64) -> u64 {
        match self {
            AgentFeed::Push => 0,
            AgentFeed::Poll { interval_ms } => {
                until_ms.saturating_sub(since_ms) / interval_ms.max(1)
            }
        }
    }
}

/// The Get Messages calls a handover costs for a conversation of `messages` messages, reading
/// pages of `page_size` (CC-2: at most 1,000 messages, at most 999 a page).
pub fn history_calls(messages: usize, page_size: usize) -> usize {
    pages_to_read(messages, page_size.clamp(1, MAX_PAGE), HISTORY_CAP)
}

/// CC-2: after a page of `got` messages (asked in pages of `page_size`), `read` in all, of a
/// conversation of `total` messages: whether the layer asks for the next page. It stops at a
/// short page, at the end of the history, or at 1,000 messages.
pub fn read_next_page(read: usize, got: usize, page_size: usize, total: usize) -> bool {
    got == page_size && read < total.min(HISTORY_CAP)
}

/// The history the external agent sees: the last 1,000 messages at most (CC-2).
pub fn history_seen(messages: usize) -> usize {
    messages.min(HISTORY_CAP)
}

/// Where a customer message goes after a handover to the external centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterHandover {
    /// Forwarded to the external agent (the layer hears it through the webhook, CC-2).
    Forwarded,
    /// The bot hears it: the conversation was closed, so a new one starts (CC-4's session is
    /// over, the chatbot takes the next conversation).
    ToBot,
    /// Lost: the external agent is done but the layer left the conversation open; the bot does
    /// not get it and the external centre does not expect it (CC-5).
    Lost,
}

/// CC-4, CC-5: a customer message at a conversation whose external handling is `active` (the
/// external agent still works on it) and which the layer has (`closed`) or has not closed.
pub fn after_handover(active: bool, closed: bool) -> AfterHandover {
    match (active, closed) {
        (_, true) => AfterHandover::ToBot,
        (true, false) => AfterHandover::Forwarded,
        (false, false) => AfterHandover::Lost,
    }
}

/// Routing context on the conversation (CC-3): what the layer reads to pick the external queue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// Tags, e.g. a language or a campaign.
    pub tags: Vec<String>,
    /// Metadata, e.g. `queue = "billing"`.
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl Context {
    /// The external queue named by the metadata key `queue`, else by a tag `queue.<name>`.
    pub fn external_queue(&self) -> Option<&str> {
        self.metadata
            .get("queue")
            .map(String::as_str)
            .or_else(|| self.tags.iter().find_map(|t| t.strip_prefix("queue.")))
    }
}

/// Most queues an external centre has (its default one included).
pub const MAX_EXTERNAL_QUEUES: usize = 16;

/// One queue of the external centre (CC-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalQueue {
    /// Its name, as the routing context names it.
    pub name: String,
    /// Conversations its agents hold at once (agents × capacity).
    pub slots: u32,
}

/// An external contact centre behind the translation layer, as a scenario describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalSpec {
    /// Its queues, each with its agents; the first takes what the routing context names
    /// nowhere (CC-3).
    pub queues: Vec<ExternalQueue>,
    /// The conversation attribute whose value the conversation's metadata carries as `queue`
    /// from its start (CC-3), if any.
    pub queue_attribute: Option<super::routing::AttrId>,
    /// Its agents' reply time per customer turn.
    pub reply: super::distribution::DurationDist,
    /// How the layer hears the agents' messages (CC-6).
    pub feed: AgentFeed,
    /// Get Messages page size the layer reads the history with (≤ 999).
    pub history_page: usize,
    /// Share of finished conversations the layer forgets to close (CC-5), 0..=1.
    pub forget_close_share: f64,
    /// An external agent gives up on a silent customer after this long, ms.
    pub silence_ms: u64,
}

impl ExternalSpec {
    /// CC-3: the queue (index) the layer seats a handover in, by its routing context: the one
    /// the context names, else the first.
    pub fn queue_for(&self, context: &Context) -> usize {
        context
            .external_queue()
            .and_then(|name| self.queues.iter().position(|q| q.name == name))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cc_2_history_is_read_in_pages_up_to_1000_messages() {
        assert_eq!(history_calls(30, 10), 3);
        assert_eq!(history_calls(30, 999), 1);
        assert_eq!(history_calls(5_000, 999), 2, "1,000 messages at most");
        assert_eq!(history_calls(5_000, 2_000), 2, "pages of 999 at most");
        assert_eq!(history_seen(5_000), 1_000);
        assert_eq!(history_seen(12), 12);
    }

    #[test]
    fn cc_3_context_names_the_external_queue() {
        let mut c = Context::default();
        assert_eq!(c.external_queue(), None);
        c.tags = vec!["lang.es".into(), "queue.billing".into()];
        assert_eq!(c.external_queue(), Some("billing"));
        c.metadata.insert("queue".into(), "vip".into());
        assert_eq!(c.external_queue(), Some("vip"), "metadata first");
        let spec = ExternalSpec {
            queues: ["general", "billing", "vip"]
                .map(|name| ExternalQueue {
                    name: name.into(),
                    slots: 1,
                })
                .to_vec(),
            queue_attribute: None,
            reply: crate::model::distribution::DurationDist::Constant { ms: 1 },
            feed: AgentFeed::Push,
            history_page: 10,
            forget_close_share: 0.0,
            silence_ms: 1,
        };
        assert_eq!(spec.queue_for(&c), 2);
        c.metadata.insert("queue".into(), "nowhere".into());
        assert_eq!(spec.queue_for(&c), 0, "unknown names go to the first queue");
        assert_eq!(spec.queue_for(&Context::default()), 0);
    }

    #[test]
    fn cc_4_and_cc_5_after_the_handover_messages_go_out_to_the_centre_or_are_lost() {
        assert_eq!(after_handover(true, false), AfterHandover::Forwarded);
        assert_eq!(after_handover(false, true), AfterHandover::ToBot);
        assert_eq!(after_handover(false, false), AfterHandover::Lost);
    }

    #[test]
    fn cc_6_polled_agents_reach_the_customer_at_the_next_poll() {
        let feed = AgentFeed::Poll { interval_ms: 5_000 };
        assert_eq!(feed.relayed_at(1_000, 1_000), 1_000);
        assert_eq!(feed.relayed_at(1_000, 1_001), 6_000);
        assert_eq!(feed.relayed_at(1_000, 12_000), 16_000);
        assert_eq!(feed.polls(0, 60_000), 12);
        assert_eq!(AgentFeed::Push.relayed_at(0, 7), 7);
        assert_eq!(AgentFeed::Push.polls(0, 60_000), 0);
    }
}
