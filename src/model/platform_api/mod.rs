//! The Infobip Conversations API's semantics as plain data and functions: the conversation
//! store and every operation a bot or an integration can call, each with a typed result and the
//! error cases of `docs/platform-api.md` §1–2. The simulation's platform actor and the HTTP
//! mock (issue 6) are two front ends of this one store.
//!
//! - Conversations: status (OPEN, WAITING, SOLVED, CLOSED), priority, queue, assignee (agent or
//!   bot), tags, metadata, notes, and the message history.
//! - Writes to a CLOSED conversation are rejected with "Closed conversation cannot be changed"
//!   (BOT-8; §1 lists it for update, assignee, route and tags; **assumed** for Create Message,
//!   messages, notes and metadata too).
//! - Get Messages pages at most 999 messages per call (§1: `limit` ≤ 999, default 10; `page`
//!   0-based).
//! - One account webhook: setting it again replaces it; none set, nobody hears inbound messages
//!   (CC-1, BOT-1).
//! - Field limits: topic ≤ 1000, summary ≤ 4000, note ≤ 4000, tag ≤ 100 (letters, digits, `.`
//!   and `_`), message text ≤ 4096, ids ≤ 255, webhook URL ≤ 255.
//! - WhatsApp (WIN-1): a free-form Create Message outside the 24-hour window is either rejected
//!   at once or accepted and failed later by its delivery report (the documents leave it open);
//!   [`WindowMode`] chooses.
//!
//! Time is passed in (ms since the run's start); nothing here reads a clock.

use std::collections::BTreeMap;

use super::priority::Priority;
use super::status::ConversationStatus;
use super::window::{Outgoing, WINDOW_MS, outgoing};

mod errors;

use errors::invalid;
pub use errors::{ApiError, ApiErrorKind};

/// Most messages one Get Messages call returns (§1).
pub const MAX_PAGE: usize = 999;
/// The default page size of Get Messages (§1).
pub const DEFAULT_PAGE: usize = 10;
/// Longest message text (§2 #1).
pub const MAX_TEXT: usize = 4096;
/// Longest topic (§2 #3).
pub const MAX_TOPIC: usize = 1000;
/// Longest summary or note (§2 #3, #15).
pub const MAX_SUMMARY: usize = 4000;
/// Longest tag name (§2 #9).
pub const MAX_TAG: usize = 100;
/// Longest id (agent, queue) (§2 #3, #6).
pub const MAX_ID: usize = 255;
/// Longest webhook URL (§2 #14).
pub const MAX_WEBHOOK_URL: usize = 255;

/// Who holds a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    /// A human agent, by id.
    Agent(String),
    /// The bot (the AI agent), by id.
    Bot(String),
}

/// Who wrote a message (§5 `authorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The end user (inbound).
    Customer,
    /// A human agent.
    Agent,
    /// The bot.
    Bot,
    /// The platform itself (away, waiting-strategy, workflow messages).
    System,
}

/// Whether a message is free-form or an approved template (WIN-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Text (or media) a customer or an agent writes.
    FreeForm,
    /// An approved WhatsApp template.
    Template,
}

/// A message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Its id (unique in the store).
    pub id: u64,
    /// Who wrote it.
    pub author: Author,
    /// Free-form or template.
    pub content: Content,
    /// Its text length (the store keeps no text, only what the limits need).
    pub text_len: usize,
    /// When, ms.
    pub created_ms: u64,
    /// An outbound message that will not be delivered (a free-form WhatsApp message outside the
    /// window, in [`WindowMode::FailOnDelivery`]).
    pub undeliverable: bool,
}

impl Message {
    /// INBOUND (the customer's) or OUTBOUND.
    pub fn inbound(&self) -> bool {
        self.author == Author::Customer
    }
}

/// An internal note (§2 #15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Who wrote it (an agent id, or the bot's).
    pub author: String,
    /// Its length.
    pub len: usize,
    /// When, ms.
    pub created_ms: u64,
}

/// A conversation in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Status.
    pub status: ConversationStatus,
    /// Priority.
    pub priority: Priority,
    /// Its queue, if routed.
    pub queue: Option<String>,
    /// Its assignee.
    pub assignee: Option<Assignee>,
    /// Tags.
    pub tags: Vec<String>,
    /// Metadata (replaced by PUT, merged by PATCH).
    pub metadata: BTreeMap<String, String>,
    /// Internal notes.
    pub notes: Vec<Note>,
    /// Messages, oldest first.
    pub messages: Vec<Message>,
    /// The channel has WhatsApp's 24-hour window.
    pub windowed: bool,
    /// When it was created, ms.
    pub created_ms: u64,
    /// When it was closed, ms.
    pub closed_ms: Option<u64>,
}

/// How a free-form WhatsApp message outside the window fails (WIN-1; §4 leaves it open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WindowMode {
    /// Accepted, then reported undeliverable.
    #[default]
    FailOnDelivery,
    /// Rejected at once.
    RejectAtOnce,
}

/// A page of messages (§2 #2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    /// The messages of this page.
    pub messages: &'a [Message],
    /// How many there are in all.
    pub total: usize,
}

/// The conversation store and the account settings the API changes.
#[derive(Debug, Clone, Default)]
pub struct Store {
    conversations: BTreeMap<u64, Conversation>,
    tags: Vec<String>,
    webhook: Option<String>,
    next_message_id: u64,
    window_mode: WindowMode,
}

/// A conversation field update (PUT replaces, PATCH changes only what is given; §2 #3–4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// New topic.
    pub topic_len: Option<usize>,
    /// New summary.
    pub summary_len: Option<usize>,
    /// New status.
    pub status: Option<ConversationStatus>,
    /// New priority.
    pub priority: Option<Priority>,
    /// New queue.
    pub queue: Option<String>,
}

impl Store {
    /// How free-form WhatsApp sends outside the window fail.
    pub fn window_mode(&self) -> WindowMode {
        self.window_mode
    }

    /// An empty store whose WhatsApp sends outside the window fail as `mode` says.
    pub fn new(window_mode: WindowMode) -> Self {
        Self {
            window_mode,
            ..Self::default()
        }
    }

    /// Opens conversation `id` (the platform does, on a customer's first message).
    pub fn open(&mut self, id: u64, windowed: bool, now_ms: u64) {
        self.conversations.insert(
            id,
            Conversation {
                status: ConversationStatus::Open,
                priority: Priority::Normal,
                queue: None,
                assignee: None,
                tags: Vec::new(),
                metadata: BTreeMap::new(),
                notes: Vec::new(),
                messages: Vec::new(),
                windowed,
                created_ms: now_ms,
                closed_ms: None,
            },
        );
    }

    /// Conversation `id`.
    pub fn get(&self, id: u64) -> Result<&Conversation, ApiError> {
        self.conversations
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(id.to_string()))
    }

    /// Drops a conversation from memory (the simulation's platform, once it is closed and done
    /// with; an HTTP mock keeps them).
    pub fn forget(&mut self, id: u64) {
        self.conversations.remove(&id);
    }

    fn writable(&mut self, id: u64) -> Result<&mut Conversation, ApiError> {
        let c = self
            .conversations
            .get_mut(&id)
            .ok_or_else(|| ApiError::NotFound(id.to_string()))?;
        if c.status == ConversationStatus::Closed {
            return Err(ApiError::Closed);
        }
        Ok(c)
    }

    /// An inbound customer message. A closed conversation takes none (the platform starts a new
    /// conversation instead, WIN-2).
    pub fn inbound(&mut self, id: u64, text_len: usize, now_ms: u64) -> Result<u64, ApiError> {
        let message_id = self.next_message_id;
        let c = self.writable(id)?;
        c.messages.push(Message {
            id: message_id,
            author: Author::Customer,
            content: Content::FreeForm,
            text_len,
            created_ms: now_ms,
            undeliverable: false,
        });
        self.next_message_id += 1;
        Ok(message_id)
    }

    /// Create Message (§2 #1): an outbound message. Closed: rejected (BOT-8, assumed for this
    /// endpoint). Text over 4096: a validation error. WhatsApp free-form outside the window:
    /// rejected or accepted-but-undeliverable, by [`WindowMode`] (WIN-1).
    pub fn create_message(
        &mut self,
        id: u64,
        author: Author,
        content: Content,
        text_len: usize,
        now_ms: u64,
    ) -> Result<&Message, ApiError> {
        if text_len == 0 {
            return Err(invalid("content", "must not be blank"));
        }
        if text_len > MAX_TEXT {
            return Err(invalid(
                "content",
                "size cannot be longer than 4096 characters.",
            ));
        }
        let message_id = self.next_message_id;
        let mode = self.window_mode;
        self.writable(id)?;
        self.next_message_id += 1;
        let c = self.conversations.get_mut(&id).expect("checked just above");
        let last_inbound = c
            .messages
            .iter()
            .rev()
            .find(|m| m.inbound())
            .map_or(c.created_ms, |m| m.created_ms);
        let outside = content == Content::FreeForm
            && outgoing(c.windowed, last_inbound, now_ms) == Outgoing::TemplateInstead;
        if outside && mode == WindowMode::RejectAtOnce {
            return Err(ApiError::OutsideWindow);
        }
        c.messages.push(Message {
            id: message_id,
            author,
            content,
            text_len,
            created_ms: now_ms,
            undeliverable: outside,
        });
        Ok(c.messages.last().expect("just pushed"))
    }

    /// Get Messages (§2 #2): page `page` (0-based) of `limit` (1..=999) messages, oldest first.
    pub fn messages(&self, id: u64, page: usize, limit: usize) -> Result<Page<'_>, ApiError> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(invalid("limit", "must be between 1 and 999"));
        }
        let c = self.get(id)?;
        let start = page.saturating_mul(limit).min(c.messages.len());
        let end = (start + limit).min(c.messages.len());
        Ok(Page {
            messages: &c.messages[start..end],
            total: c.messages.len(),
        })
    }

    /// Update (PUT, §2 #3) or patch (PATCH, #4) a conversation; closing it is `status:
    /// CLOSED`. A closed one takes no change (BOT-8).
    pub fn update(&mut self, id: u64, u: &Update, now_ms: u64) -> Result<&Conversation, ApiError> {
        let mut errors = BTreeMap::new();
        if u.topic_len.is_some_and(|n| n > MAX_TOPIC) {
            errors.insert(
                "topic".into(),
                vec!["size must be between 0 and 1000".into()],
            );
        }
        if u.summary_len.is_some_and(|n| n > MAX_SUMMARY) {
            errors.insert(
                "summary".into(),
                vec!["size must be between 0 and 4000".into()],
            );
        }
        if u.queue.as_ref().is_some_and(|q| q.len() > MAX_ID) {
            errors.insert(
                "queueId".into(),
                vec!["size must be between 0 and 255".into()],
            );
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let c = self.writable(id)?;
        if let Some(status) = u.status {
            c.status = status;
            if status == ConversationStatus::Closed {
                c.closed_ms = Some(now_ms);
            }
        }
        if let Some(p) = u.priority {
            c.priority = p;
        }
        if let Some(q) = &u.queue {
            c.queue = Some(q.clone());
        }
        Ok(c)
    }

    /// Change the assignee (§2 #6).
    pub fn assign(&mut self, id: u64, assignee: Assignee) -> Result<&Conversation, ApiError> {
        let name = match &assignee {
            Assignee::Agent(a) | Assignee::Bot(a) => a,
        };
        if name.is_empty() || name.len() > MAX_ID {
            return Err(invalid("agentId", "size must be between 1 and 255"));
        }
        let c = self.writable(id)?;
        c.assignee = Some(assignee);
        Ok(c)
    }

    /// Remove the assignee (§2 #7).
    pub fn unassign(&mut self, id: u64) -> Result<&Conversation, ApiError> {
        let c = self.writable(id)?;
        c.assignee = None;
        Ok(c)
    }

    /// Route (§2 #8): removes any assignee; the caller runs the routing rules again.
    pub fn route(&mut self, id: u64) -> Result<&Conversation, ApiError> {
        let c = self.writable(id)?;
        c.assignee = None;
        Ok(c)
    }

    /// Create a tag (§2 #11): letters, digits, `.` and `_`, at most 100.
    pub fn create_tag(&mut self, name: &str) -> Result<(), ApiError> {
        if name.is_empty()
            || name.len() > MAX_TAG
            || !name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '_')
        {
            return Err(invalid(
                "name",
                "only letters, digits, '.' and '_', 1 to 100 characters",
            ));
        }
        if self.tags.iter().any(|t| t == name) {
            return Err(ApiError::TagExists);
        }
        self.tags.push(name.to_string());
        Ok(())
    }

    /// Delete a tag (§2 #11): it leaves every conversation that had it.
    pub fn delete_tag(&mut self, name: &str) -> Result<(), ApiError> {
        let before = self.tags.len();
        self.tags.retain(|t| t != name);
        if self.tags.len() == before {
            return Err(ApiError::UnknownTag(name.to_string()));
        }
        for c in self.conversations.values_mut() {
            c.tags.retain(|t| t != name);
        }
        Ok(())
    }

    /// The account's tags, in creation order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// Tag a conversation (§2 #9): the tag must exist.
    pub fn add_tag(&mut self, id: u64, name: &str) -> Result<(), ApiError> {
        if !self.tags.iter().any(|t| t == name) {
            return Err(ApiError::UnknownTag(name.to_string()));
        }
        let c = self.writable(id)?;
        if !c.tags.iter().any(|t| t == name) {
            c.tags.push(name.to_string());
        }
        Ok(())
    }

    /// Remove a tag (§2 #10).
    pub fn remove_tag(&mut self, id: u64, name: &str) -> Result<(), ApiError> {
        if !self.tags.iter().any(|t| t == name) {
            return Err(ApiError::UnknownTag(name.to_string()));
        }
        let c = self.writable(id)?;
        c.tags.retain(|t| t != name);
        Ok(())
    }

    /// Metadata: PUT replaces all (§2 #12), PATCH merges (#13). Assumed closed-protected.
    pub fn set_metadata(
        &mut self,
        id: u64,
        values: BTreeMap<String, String>,
        replace: bool,
    ) -> Result<(), ApiError> {
        let c = self.writable(id)?;
        if replace {
            c.metadata = values;
        } else {
            c.metadata.extend(values);
        }
        Ok(())
    }

    /// Add an internal note (§2 #15): at most 4000 characters.
    pub fn add_note(
        &mut self,
        id: u64,
        author: &str,
        len: usize,
        now_ms: u64,
    ) -> Result<(), ApiError> {
        if len == 0 || len > MAX_SUMMARY {
            return Err(invalid("content", "size must be between 1 and 4000"));
        }
        let c = self.writable(id)?;
        c.notes.push(Note {
            author: author.to_string(),
            len,
            created_ms: now_ms,
        });
        Ok(())
    }

    /// Set the account's one webhook (§2 #14, CC-1): a new one replaces the old.
    pub fn set_webhook(&mut self, url: &str) -> Result<(), ApiError> {
        if url.len() > MAX_WEBHOOK_URL {
            return Err(invalid("webhookUrl", "size must be between 0 and 255"));
        }
        self.webhook = (!url.is_empty()).then(|| url.to_string());
        Ok(())
    }

    /// Where inbound messages are POSTed; `None`: nobody hears them (BOT-1, CC-1).
    pub fn webhook(&self) -> Option<&str> {
        self.webhook.as_deref()
    }
}

/// How many Get Messages calls it takes to read `total` messages, `limit` per page, up to
/// `cap` messages (CC-2: the translation layer reads at most 1,000).
pub fn pages_to_read(total: usize, limit: usize, cap: usize) -> usize {
    total.min(cap).div_ceil(limit.clamp(1, MAX_PAGE))
}

/// Whether a message delivered at `delivered_ms` is still inside the window of an inbound
/// message at `inbound_ms` (WIN-1).
pub fn within_window(inbound_ms: u64, delivered_ms: u64) -> bool {
    delivered_ms < inbound_ms.saturating_add(WINDOW_MS)
}

#[cfg(test)]
mod tests;
