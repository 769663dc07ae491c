//! The mock platform's state behind the HTTP routes: the model's conversation store (the
//! semantics: closed conversations reject writes, limits, the window, one webhook) plus what
//! only the wire needs (public ids, texts, contents, timestamps). Every operation takes the
//! time from its caller; nothing here reads a clock or touches a socket, so it is tested
//! without HTTP.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde_json::Value;

use super::wire::{
    AccountConfigurationIn, AssigneeIn, CHANNELS, CONTENT_TYPES, ConversationIn, ConversationOut,
    ConversationsOut, CreateMessage, MessageOut, MessagesOut, NoteIn, NoteOut, Pagination, TagIn,
    TagNameIn, TagOut, TagsOut, entity_id, parse_priority, parse_status, priority_name,
    status_name, timestamp,
};
use crate::model::platform_api::{
    ApiError, Assignee, Author, Content, DEFAULT_PAGE, MAX_ID, MAX_PAGE, MAX_SUMMARY, Store,
    Update, WindowMode,
};
use crate::model::status::ConversationStatus;

/// Entity kinds in ids (see [`entity_id`]).
const CONVERSATION: u16 = 0xc01;
const MESSAGE: u16 = 0x3e5;
const NOTE: u16 = 0x407;
const DIRECT: u16 = 0xd13;

/// What a call to the mock failed with, beyond the store's own errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    /// The store refused (closed, unknown id, validation, tags, window).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The body is not the JSON the endpoint takes: 400 "Invalid request body."
    #[error("Invalid request body.")]
    InvalidBody,
    /// `limit` below zero: 400 "Page size has to be bigger or equal to zero!" (§2 #2).
    #[error("Page size has to be bigger or equal to zero!")]
    NegativePageSize,
    /// No or a wrong API key: 401.
    #[error("Unauthorized")]
    Unauthorized,
    /// A key without the endpoint's scope: 403.
    #[error("Forbidden")]
    Forbidden,
    /// No such endpoint: 404.
    #[error("Not found")]
    NoRoute,
    /// The body is larger than the mock takes: 413.
    #[error("Payload too large")]
    TooLarge,
}

/// What the wire needs of a conversation that the store does not keep.
#[derive(Debug, Clone)]
struct ConversationWire {
    public_id: String,
    topic: Option<String>,
    summary: Option<String>,
    updated_ms: u64,
    notes: Vec<NoteOut>,
    /// The customer's address, the business's, and the channel, for conversations that began
    /// with an inbound message (threading, WIN-2).
    thread: Option<(String, String, String)>,
}

/// What the wire needs of a message.
#[derive(Debug, Clone)]
struct MessageWire {
    channel: String,
    from: String,
    to: String,
    content_type: String,
    content: Value,
    author_id: Option<String>,
}

/// Query of Get Messages (§2 #2).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagesQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size (default 10, at most 999).
    pub limit: Option<i64>,
    /// `INBOUND` or `OUTBOUND`.
    pub direction: Option<String>,
    /// `createdAt:asc|desc` or `id:asc|desc`.
    pub order_by: Option<String>,
}

/// Query of Get Tags (§2 #11): a page, and a part of the name.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TagsQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size (default 10, at most 999).
    pub limit: Option<i64>,
    /// Only tags whose name holds this.
    pub name: Option<String>,
}

/// Query of the conversation list (§2 #5).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationsQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size.
    pub limit: Option<i64>,
    /// Status.
    pub status: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Assignee.
    pub agent_id: Option<String>,
    /// Queue.
    pub queue_id: Option<String>,
    /// Has this tag.
    pub tag_name: Option<String>,
}

/// What happened on the platform that a load driver follows: the system under test's writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlatformEvent {
    /// An outbound message was written to a conversation.
    Outbound {
        /// The conversation's public id.
        conversation: String,
        /// Written by a bot (the conversation's assignee was one).
        by_bot: bool,
    },
    /// A conversation was closed.
    Closed {
        /// The conversation's public id.
        conversation: String,
    },
    /// A conversation was routed (a handoff, BOT-3).
    Routed {
        /// The conversation's public id.
        conversation: String,
    },
}

/// The mock platform.
#[derive(Debug)]
pub struct MockPlatform {
    store: Store,
    /// Public conversation id → the store's.
    ids: HashMap<String, u64>,
    conversations: HashMap<u64, ConversationWire>,
    messages: HashMap<u64, MessageWire>,
    tag_created_ms: HashMap<String, u64>,
    /// Open conversations by (customer, business number, channel) (WIN-2).
    threads: HashMap<(String, String, String), u64>,
    /// Agent ids that are bots (their assignments are the bot's, BOT-1).
    bots: Vec<String>,
    /// The bot new inbound conversations are assigned to, with the channels it is on.
    inbound_bot: Option<(String, Vec<String>)>,
    next_conversation: u64,
    next_note: u64,
    events: Option<tokio::sync::mpsc::UnboundedSender<PlatformEvent>>,
    /// How long a closed conversation is kept, ms (none: for ever). A closed conversation
    /// takes no more writes (BOT-8), so dropping it later changes nothing but reads of it.
    retain_closed_ms: Option<u64>,
    /// Closed conversations by when they closed, oldest first.
    closed: VecDeque<(u64, u64)>,
    /// Channel sends outside the Conversations API (WhatsApp direct, Messages API) made.
    next_direct: u64,
}

/// A channel send accepted outside the Conversations API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectSend {
    /// The message id answered (the caller's, else a new one).
    pub message_id: String,
    /// Accepted, but a free-form WhatsApp message outside the window: its delivery will fail
    /// (WIN-1, in [`WindowMode::FailOnDelivery`]).
    pub undeliverable: bool,
}

impl MockPlatform {
    /// An empty platform: WhatsApp free-form sends outside the window fail as `window_mode`
    /// says; `bots` are the agent ids of bots.
    pub fn new(window_mode: WindowMode, bots: Vec<String>) -> Self {
        Self {
            store: Store::new(window_mode),
            ids: HashMap::new(),
            conversations: HashMap::new(),
            messages: HashMap::new(),
            tag_created_ms: HashMap::new(),
            threads: HashMap::new(),
            bots,
            inbound_bot: None,
            next_conversation: 1,
            next_note: 1,
            events: None,
            retain_closed_ms: None,
            closed: VecDeque::new(),
            next_direct: 1,
        }
    }

    /// A send on a channel's own API (WhatsApp direct, Messages API) from business number
    /// `from` to customer `to`; `free_form` unless a template. On WhatsApp a free-form message
    /// needs the customer's 24-hour window (WIN-1), known from their conversation with `from`
    /// (a conversation forgotten after the retention takes its window with it): outside it the
    /// send is accepted and undeliverable, or refused at once, as the window mode says. The
    /// send is not written into the conversation (whether Infobip shows it there is unknown),
    /// but a load driver hears it as an answer to the customer.
    pub fn direct_send(
        &mut self,
        channel: &str,
        from: &str,
        to: &str,
        message_id: Option<&str>,
        free_form: bool,
        now_ms: u64,
    ) -> Result<DirectSend, MockError> {
        let key = (to.to_string(), from.to_string(), channel.to_string());
        let conversation = self.threads.get(&key).copied();
        let last_inbound = conversation
            .and_then(|id| self.store.get(id).ok())
            .and_then(|c| c.messages.iter().rev().find(|m| m.inbound()))
            .map(|m| m.created_ms);
        let outside = channel == "WHATSAPP"
            && free_form
            && last_inbound.is_none_or(|at| {
                crate::model::window::outgoing(true, at, now_ms)
                    == crate::model::window::Outgoing::TemplateInstead
            });
        if outside && self.store.window_mode() == WindowMode::RejectAtOnce {
            return Err(ApiError::OutsideWindow.into());
        }
        let message_id = match message_id {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let n = self.next_direct;
                self.next_direct += 1;
                entity_id(DIRECT, n)
            }
        };
        if let Some(id) = conversation
            && self
                .store
                .get(id)
                .is_ok_and(|c| c.status != ConversationStatus::Closed)
        {
            let conversation = self.conversations[&id].public_id.clone();
            self.emit(PlatformEvent::Outbound {
                conversation,
                by_bot: false,
            });
        }
        Ok(DirectSend {
            message_id,
            undeliverable: outside,
        })
    }

    /// Keep closed conversations only `ms` after they close (none: for ever), so a long load
    /// run holds what is open, not everything it ever saw. Reads of a dropped conversation
    /// answer as for an unknown id.
    pub fn retain_closed_for(&mut self, ms: Option<u64>) {
        self.retain_closed_ms = ms;
    }

    /// Conversations held (open and retained closed ones).
    pub fn held(&self) -> usize {
        self.conversations.len()
    }

    /// Drops the closed conversations kept longer than the retention.
    fn drop_expired(&mut self, now_ms: u64) {
        let Some(keep_ms) = self.retain_closed_ms else {
            return;
        };
        while let Some(&(closed_ms, id)) = self.closed.front() {
            if closed_ms.saturating_add(keep_ms) > now_ms {
                break;
            }
            self.closed.pop_front();
            if let Ok(c) = self.store.get(id) {
                for m in &c.messages {
                    self.messages.remove(&m.id);
                }
            }
            self.store.forget(id);
            if let Some(w) = self.conversations.remove(&id) {
                self.ids.remove(&w.public_id);
                if let Some(key) = w.thread
                    && self.threads.get(&key) == Some(&id)
                {
                    self.threads.remove(&key);
                }
            }
        }
    }

    /// New conversations that start with an inbound message on one of `channels` (API names,
    /// e.g. `WHATSAPP`) are assigned to bot `name` (BOT-1: the bot answers what is assigned to
    /// it).
    pub fn assign_inbound_to(&mut self, name: &str, channels: Vec<String>) {
        if !self.bots.iter().any(|b| b == name) {
            self.bots.push(name.to_string());
        }
        self.inbound_bot = Some((name.to_string(), channels));
    }

    /// Sends what the system under test does to `events` from now on.
    pub fn follow(&mut self, events: tokio::sync::mpsc::UnboundedSender<PlatformEvent>) {
        self.events = Some(events);
    }

    fn emit(&self, event: PlatformEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    /// The account webhook, if one is set (CC-1).
    pub fn webhook(&self) -> Option<&str> {
        self.store.webhook()
    }

    fn id_of(&self, public: &str) -> Result<u64, MockError> {
        self.ids
            .get(public)
            .copied()
            .ok_or_else(|| ApiError::NotFound(public.to_string()).into())
    }

    fn new_conversation(&mut self, windowed: bool, now_ms: u64) -> u64 {
        let id = self.next_conversation;
        self.next_conversation += 1;
        self.store.open(id, windowed, now_ms);
        let public_id = entity_id(CONVERSATION, id);
        self.ids.insert(public_id.clone(), id);
        self.conversations.insert(
            id,
            ConversationWire {
                public_id,
                topic: None,
                summary: None,
                updated_ms: now_ms,
                notes: Vec::new(),
                thread: None,
            },
        );
        id
    }

    fn conversation_out(&self, id: u64) -> Result<ConversationOut, MockError> {
        let c = self.store.get(id)?;
        let w = &self.conversations[&id];
        Ok(ConversationOut {
            id: w.public_id.clone(),
            topic: w.topic.clone(),
            summary: w.summary.clone(),
            status: status_name(c.status).into(),
            priority: priority_name(c.priority).into(),
            queue_id: c.queue.clone(),
            agent_id: c.assignee.as_ref().map(|a| match a {
                Assignee::Agent(n) | Assignee::Bot(n) => n.clone(),
            }),
            created_at: timestamp(c.created_ms),
            updated_at: timestamp(w.updated_ms),
            closed_at: c.closed_ms.map(timestamp),
        })
    }

    fn touched(&mut self, id: u64, now_ms: u64) {
        if let Some(w) = self.conversations.get_mut(&id) {
            w.updated_ms = now_ms;
        }
    }

    fn message_out(&self, conversation: u64, id: u64) -> MessageOut {
        let c = self
            .store
            .get(conversation)
            .expect("a stored message's conversation");
        let m = c
            .messages
            .iter()
            .find(|m| m.id == id)
            .expect("a stored message");
        let w = &self.messages[&id];
        // A message never changes: updated when created.
        let created_at = timestamp(m.created_ms);
        MessageOut {
            id: entity_id(MESSAGE, id),
            channel: w.channel.clone(),
            from: w.from.clone(),
            to: w.to.clone(),
            direction: if m.inbound() { "INBOUND" } else { "OUTBOUND" }.into(),
            conversation_id: self.conversations[&conversation].public_id.clone(),
            author_id: w.author_id.clone(),
            author_type: match m.author {
                Author::Customer => "CUSTOMER",
                Author::Agent => "AGENT",
                Author::Bot => "BOT",
                Author::System => "SYSTEM",
            }
            .into(),
            updated_at: created_at.clone(),
            created_at,
            content_type: w.content_type.clone(),
            content: w.content.clone(),
        }
    }

    /// A customer's inbound message: it continues the open conversation of the same customer,
    /// business number and channel, or starts a new one (WIN-2). Returns the message as the
    /// webhook carries it.
    pub fn inbound(
        &mut self,
        channel: &str,
        from: &str,
        to: &str,
        text: &str,
        now_ms: u64,
    ) -> Result<MessageOut, MockError> {
        self.drop_expired(now_ms);
        let key = (from.to_string(), to.to_string(), channel.to_string());
        let open = self.threads.get(&key).copied().filter(|id| {
            self.store
                .get(*id)
                .is_ok_and(|c| c.status != ConversationStatus::Closed)
        });
        let id = match open {
            Some(id) => id,
            None => {
                let id = self.new_conversation(channel == "WHATSAPP", now_ms);
                self.threads.insert(key.clone(), id);
                if let Some(w) = self.conversations.get_mut(&id) {
                    w.thread = Some(key);
                }
                if let Some((bot, channels)) = &self.inbound_bot
                    && channels.iter().any(|c| c == channel)
                {
                    self.store.assign(id, Assignee::Bot(bot.clone()))?;
                }
                id
            }
        };
        let message = self
            .store
            .inbound(id, text.chars().count().max(1), now_ms)?;
        self.messages.insert(
            message,
            MessageWire {
                channel: channel.into(),
                from: from.into(),
                to: to.into(),
                content_type: "TEXT".into(),
                content: serde_json::json!({ "text": text }),
                author_id: None,
            },
        );
        self.touched(id, now_ms);
        Ok(self.message_out(id, message))
    }

    /// POST /ccaas/1/conversations (§2 #5).
    pub fn create_conversation(
        &mut self,
        body: &ConversationIn,
        now_ms: u64,
    ) -> Result<ConversationOut, MockError> {
        let update = conversation_update(body, true)?;
        self.drop_expired(now_ms);
        let id = self.new_conversation(false, now_ms);
        self.apply(id, body, &update, now_ms)
    }

    /// GET /ccaas/1/conversations/{id}.
    pub fn conversation(&self, public: &str) -> Result<ConversationOut, MockError> {
        self.conversation_out(self.id_of(public)?)
    }

    /// GET /ccaas/1/conversations with filters and paging.
    pub fn conversation_list(&self, q: &ConversationsQuery) -> Result<ConversationsOut, MockError> {
        let (page, limit) = paging(q.page, q.limit)?;
        let status = match &q.status {
            Some(s) => Some(parse_status(s).ok_or_else(|| invalid("status", "invalid value"))?),
            None => None,
        };
        let priority = match &q.priority {
            Some(s) => Some(parse_priority(s).ok_or_else(|| invalid("priority", "invalid value"))?),
            None => None,
        };
        let matching: Vec<u64> = self
            .store
            .conversations()
            .filter(|(_, c)| status.is_none_or(|s| c.status == s))
            .filter(|(_, c)| priority.is_none_or(|p| c.priority == p))
            .filter(|(_, c)| q.queue_id.is_none() || c.queue == q.queue_id)
            .filter(|(_, c)| {
                q.agent_id.as_ref().is_none_or(|a| {
                    matches!(&c.assignee, Some(Assignee::Agent(n) | Assignee::Bot(n)) if n == a)
                })
            })
            .filter(|(_, c)| q.tag_name.as_ref().is_none_or(|t| c.tags.contains(t)))
            .map(|(id, _)| id)
            .collect();
        let conversations = matching
            .iter()
            .skip(page * limit)
            .take(limit)
            .map(|id| self.conversation_out(*id))
            .collect::<Result<_, _>>()?;
        Ok(ConversationsOut {
            conversations,
            pagination: Pagination {
                total_items: matching.len(),
                page,
                limit,
                order_by: "id:asc".into(),
            },
        })
    }

    /// PUT (`replace`) or PATCH /ccaas/1/conversations/{id} (§2 #3–4). PUT sets every field:
    /// those left out go back to their defaults (status OPEN, priority NORMAL, no topic).
    pub fn update_conversation(
        &mut self,
        public: &str,
        body: &ConversationIn,
        replace: bool,
        now_ms: u64,
    ) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        let update = conversation_update(body, replace)?;
        self.apply(id, body, &update, now_ms)
    }

    fn apply(
        &mut self,
        id: u64,
        body: &ConversationIn,
        update: &Update,
        now_ms: u64,
    ) -> Result<ConversationOut, MockError> {
        self.store.update(id, update, now_ms)?;
        if update.status == Some(ConversationStatus::Closed) {
            self.closed.push_back((now_ms, id));
            let conversation = self.conversations[&id].public_id.clone();
            self.emit(PlatformEvent::Closed { conversation });
        }
        if let Some(agent) = &body.agent_id {
            let assignee = self.assignee(agent);
            self.store.assign(id, assignee)?;
        }
        if let Some(w) = self.conversations.get_mut(&id) {
            if update.topic_len.is_some() {
                w.topic = body.topic.clone();
            }
            if update.summary_len.is_some() {
                w.summary = body.summary.clone();
            }
            w.updated_ms = now_ms;
        }
        self.conversation_out(id)
    }

    fn assignee(&self, agent: &str) -> Assignee {
        if self.bots.iter().any(|b| b == agent) {
            Assignee::Bot(agent.to_string())
        } else {
            Assignee::Agent(agent.to_string())
        }
    }

    /// PUT /ccaas/1/conversations/{id}/assignee (§2 #6).
    pub fn assign(
        &mut self,
        public: &str,
        body: &AssigneeIn,
        now_ms: u64,
    ) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        let agent = body.agent_id.as_deref().unwrap_or("");
        if agent.trim().is_empty() {
            return Err(invalid("agentId", "must not be blank"));
        }
        self.store.assign(id, self.assignee(agent))?;
        self.touched(id, now_ms);
        self.conversation_out(id)
    }

    /// DELETE /ccaas/1/conversations/{id}/assignee (§2 #7).
    pub fn unassign(&mut self, public: &str, now_ms: u64) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        self.store.unassign(id)?;
        self.touched(id, now_ms);
        self.conversation_out(id)
    }

    /// POST /ccaas/1/conversations/{id}/route (§2 #8): the assignee is removed; the routing
    /// that follows is the live platform's (a queue, or the unassigned view).
    pub fn route(&mut self, public: &str, now_ms: u64) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        self.store.route(id)?;
        self.touched(id, now_ms);
        self.emit(PlatformEvent::Routed {
            conversation: public.to_string(),
        });
        self.conversation_out(id)
    }

    /// POST /ccaas/1/conversations/{id}/messages (§2 #1). `agent_header` is `x-agent-id`:
    /// required on a conversation assigned to a human agent (and must name it), refused on an
    /// unassigned one; a bot's conversations take none (§2 "x-agent-id rules").
    pub fn create_message(
        &mut self,
        public: &str,
        body: &CreateMessage,
        agent_header: Option<&str>,
        now_ms: u64,
    ) -> Result<MessageOut, MockError> {
        let id = self.id_of(public)?;
        let mut errors = BTreeMap::new();
        let mut blank = |field: &str, v: &Option<String>| {
            if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errors.insert(field.to_string(), vec!["must not be blank".to_string()]);
            }
        };
        blank("channel", &body.channel);
        blank("from", &body.from);
        blank("to", &body.to);
        blank("contentType", &body.content_type);
        if body.content.as_ref().is_none_or(Value::is_null) {
            errors.insert("content".into(), vec!["must not be blank".into()]);
        }
        if let Some(ch) = &body.channel
            && !ch.is_empty()
            && !CHANNELS.contains(&ch.as_str())
        {
            errors.insert("channel".into(), vec!["invalid value".into()]);
        }
        if let Some(ct) = &body.content_type
            && !ct.is_empty()
            && !CONTENT_TYPES.contains(&ct.as_str())
        {
            errors.insert("contentType".into(), vec!["invalid value".into()]);
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors).into());
        }
        let content_type = body.content_type.clone().unwrap_or_default();
        let content = body.content.clone().unwrap_or(Value::Null);
        let template = matches!(content_type.as_str(), "TEMPLATE" | "MEDIA_TEMPLATE");
        let text_len = match (content_type.as_str(), content.get("text")) {
            ("TEXT", Some(Value::String(t))) => t.chars().count(),
            ("TEXT", _) => 0,
            _ => 1,
        };
        let assignee = self.store.get(id)?.assignee.clone();
        let author = match (&assignee, agent_header) {
            (None, Some(_)) => {
                return Err(invalid(
                    "x-agent-id",
                    "the conversation is not assigned to an agent",
                ));
            }
            (Some(Assignee::Agent(a)), None) => {
                return Err(invalid(
                    "x-agent-id",
                    &format!("required: the conversation is assigned to agent '{a}'"),
                ));
            }
            (Some(Assignee::Agent(a)), Some(h)) if a != h => {
                return Err(invalid(
                    "x-agent-id",
                    &format!("the conversation is assigned to agent '{a}'"),
                ));
            }
            (Some(Assignee::Agent(_)), Some(_)) => Author::Agent,
            (Some(Assignee::Bot(_)), _) => Author::Bot,
            (None, None) => Author::System,
        };
        let kind = if template {
            Content::Template
        } else {
            Content::FreeForm
        };
        let message = self
            .store
            .create_message(id, author, kind, text_len, now_ms)?
            .id;
        // A template comes back as TEXT holding the filled-in text (§2 #1).
        let (content_type, content) = if template {
            let name = content
                .get("templateName")
                .and_then(Value::as_str)
                .unwrap_or("template");
            ("TEXT".to_string(), serde_json::json!({ "text": name }))
        } else {
            (content_type, content)
        };
        let author_id = match assignee {
            Some(Assignee::Agent(a) | Assignee::Bot(a)) => Some(a),
            None => None,
        };
        self.messages.insert(
            message,
            MessageWire {
                channel: body.channel.clone().unwrap_or_default(),
                from: body.from.clone().unwrap_or_default(),
                to: body.to.clone().unwrap_or_default(),
                content_type,
                content,
                author_id,
            },
        );
        self.touched(id, now_ms);
        self.emit(PlatformEvent::Outbound {
            conversation: public.to_string(),
            by_bot: author == Author::Bot,
        });
        Ok(self.message_out(id, message))
    }

    /// Whether message `id` of the wire (as returned) will not be delivered: a free-form
    /// WhatsApp message outside the window, accepted in [`WindowMode::FailOnDelivery`] (WIN-1).
    pub fn undeliverable(&self, public_conversation: &str, message: &str) -> Option<bool> {
        let id = self.ids.get(public_conversation)?;
        let c = self.store.get(*id).ok()?;
        c.messages
            .iter()
            .find(|m| entity_id(MESSAGE, m.id) == message)
            .map(|m| m.undeliverable)
    }

    /// GET /ccaas/1/conversations/{id}/messages (§2 #2).
    pub fn messages(&self, public: &str, q: &MessagesQuery) -> Result<MessagesOut, MockError> {
        let id = self.id_of(public)?;
        let (page, limit) = paging(q.page, q.limit)?;
        let inbound = match q.direction.as_deref() {
            None => None,
            Some("INBOUND") => Some(true),
            Some("OUTBOUND") => Some(false),
            Some(_) => return Err(invalid("direction", "invalid value")),
        };
        let order_by = q.order_by.clone().unwrap_or_else(|| "id:asc".into());
        let descending = match order_by.split_once(':') {
            Some(("id" | "createdAt", "asc")) => false,
            Some(("id" | "createdAt", "desc")) => true,
            _ => return Err(invalid("orderBy", "expected field:asc or field:desc")),
        };
        let c = self.store.get(id)?;
        let mut selected: Vec<u64> = c
            .messages
            .iter()
            .filter(|m| inbound.is_none_or(|i| m.inbound() == i))
            .map(|m| m.id)
            .collect();
        if descending {
            selected.reverse();
        }
        let messages = selected
            .iter()
            .skip(page * limit)
            .take(limit)
            .map(|m| self.message_out(id, *m))
            .collect();
        Ok(MessagesOut {
            messages,
            pagination: Pagination {
                total_items: selected.len(),
                page,
                limit,
                order_by,
            },
        })
    }

    /// POST /ccaas/1/conversations/{id}/tags (§2 #9).
    pub fn add_tag(
        &mut self,
        public: &str,
        body: &TagNameIn,
        now_ms: u64,
    ) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        let name = body.tag_name.as_deref().unwrap_or("");
        if name.is_empty() {
            return Err(invalid("tagName", "must not be blank"));
        }
        self.store.add_tag(id, name)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// DELETE /ccaas/1/conversations/{id}/tags/{tagName} (§2 #10).
    pub fn remove_tag(&mut self, public: &str, name: &str, now_ms: u64) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        self.store.remove_tag(id, name)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// POST /ccaas/1/tags (§2 #11).
    pub fn create_tag(&mut self, body: &TagIn, now_ms: u64) -> Result<TagOut, MockError> {
        let name = body.name.as_deref().unwrap_or("");
        self.store.create_tag(name)?;
        self.tag_created_ms.insert(name.to_string(), now_ms);
        Ok(TagOut {
            name: name.to_string(),
            created_at: timestamp(now_ms),
            updated_at: timestamp(now_ms),
        })
    }

    /// GET /ccaas/1/tags.
    pub fn tags(&self, q: &TagsQuery) -> Result<TagsOut, MockError> {
        let (page, limit) = paging(q.page, q.limit)?;
        let mut names: Vec<&String> = self
            .store
            .tags()
            .iter()
            .filter(|t| q.name.as_ref().is_none_or(|n| t.contains(n.as_str())))
            .collect();
        names.sort();
        let total_items = names.len();
        let tags = names
            .into_iter()
            .skip(page.saturating_mul(limit))
            .take(limit)
            .map(|t| {
                let at = timestamp(self.tag_created_ms.get(t).copied().unwrap_or(0));
                TagOut {
                    name: t.clone(),
                    created_at: at.clone(),
                    updated_at: at,
                }
            })
            .collect();
        Ok(TagsOut {
            tags,
            pagination: Pagination {
                total_items,
                page,
                limit,
                order_by: "name:asc".into(),
            },
        })
    }

    /// DELETE /ccaas/1/tags/{tagName}.
    pub fn delete_tag(&mut self, name: &str) -> Result<(), MockError> {
        self.store.delete_tag(name)?;
        self.tag_created_ms.remove(name);
        Ok(())
    }

    /// PUT (`replace`) or PATCH …/metadata (§2 #12–13): values are any JSON.
    pub fn set_metadata(
        &mut self,
        public: &str,
        values: &serde_json::Map<String, Value>,
        replace: bool,
        now_ms: u64,
    ) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        let values = values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        self.store.set_metadata(id, values, replace)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// GET …/metadata: the bare map.
    pub fn metadata(&self, public: &str) -> Result<serde_json::Map<String, Value>, MockError> {
        let c = self.store.get(self.id_of(public)?)?;
        Ok(c.metadata
            .iter()
            .map(|(k, v)| {
                let value = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.clone()));
                (k.clone(), value)
            })
            .collect())
    }

    /// DELETE …/metadata.
    pub fn delete_metadata(&mut self, public: &str, now_ms: u64) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        self.store.set_metadata(id, BTreeMap::new(), true)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// POST …/notes (§2 #15).
    pub fn add_note(
        &mut self,
        public: &str,
        body: &NoteIn,
        now_ms: u64,
    ) -> Result<NoteOut, MockError> {
        let id = self.id_of(public)?;
        let content = body.content.clone().unwrap_or_default();
        if content.trim().is_empty() {
            return Err(invalid("content", "must not be blank"));
        }
        let kind = body.kind.clone().unwrap_or_else(|| "INTERNAL".into());
        if kind != "INTERNAL" && kind != "ATTACHMENT" {
            return Err(invalid("type", "expected INTERNAL or ATTACHMENT"));
        }
        if body.agent_id.as_ref().is_some_and(|a| a.len() > MAX_ID) {
            return Err(invalid("agentId", "size must be between 0 and 255"));
        }
        let author = body.agent_id.clone().unwrap_or_default();
        self.store.add_note(
            id,
            &author,
            content.chars().count().min(MAX_SUMMARY + 1),
            now_ms,
        )?;
        let note = NoteOut {
            id: entity_id(NOTE, self.next_note),
            conversation_id: public.to_string(),
            agent_id: body.agent_id.clone(),
            kind,
            content,
            created_at: timestamp(now_ms),
            updated_at: timestamp(now_ms),
        };
        self.next_note += 1;
        if let Some(w) = self.conversations.get_mut(&id) {
            w.notes.push(note.clone());
            w.updated_ms = now_ms;
        }
        Ok(note)
    }

    /// PUT /ccaas/1/account/configuration (§2 #14): the one account webhook; a new one
    /// replaces the old, an empty one removes it (CC-1).
    pub fn configure(&mut self, body: &AccountConfigurationIn) -> Result<(), MockError> {
        let url = body.webhook_url.as_deref().unwrap_or("");
        self.store.set_webhook(url)?;
        Ok(())
    }
}

/// A validation error on one field.
fn invalid(field: &str, message: &str) -> MockError {
    MockError::Api(ApiError::Validation(BTreeMap::from([(
        field.to_string(),
        vec![message.to_string()],
    )])))
}

/// Page and limit from a query: page from 0, limit 0..=999 (default 10).
fn paging(page: Option<i64>, limit: Option<i64>) -> Result<(usize, usize), MockError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE as i64);
    if limit < 0 {
        return Err(MockError::NegativePageSize);
    }
    if limit as usize > MAX_PAGE {
        return Err(invalid("limit", "must be less than or equal to 999"));
    }
    let page = page.unwrap_or(0);
    if page < 0 {
        return Err(invalid("page", "must be greater than or equal to 0"));
    }
    Ok((page as usize, limit as usize))
}

/// The store's update from a request body; `replace` (PUT) resets what is left out.
fn conversation_update(body: &ConversationIn, replace: bool) -> Result<Update, MockError> {
    let status = match &body.status {
        Some(s) => Some(parse_status(s).ok_or_else(|| invalid("status", "invalid value"))?),
        None if replace => Some(ConversationStatus::Open),
        None => None,
    };
    let priority = match &body.priority {
        Some(p) => Some(parse_priority(p).ok_or_else(|| invalid("priority", "invalid value"))?),
        None if replace => Some(crate::model::priority::Priority::Normal),
        None => None,
    };
    if body.agent_id.as_ref().is_some_and(|a| a.len() > MAX_ID) {
        return Err(invalid("agentId", "size must be between 0 and 255"));
    }
    Ok(Update {
        topic_len: match &body.topic {
            Some(t) => Some(t.chars().count()),
            None if replace => Some(0),
            None => None,
        },
        summary_len: match &body.summary {
            Some(t) => Some(t.chars().count()),
            None if replace => Some(0),
            None => None,
        },
        status,
        priority,
        queue: body.queue_id.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: u64 = 24 * 3_600_000;

    fn reply(content_type: &str, content: Value) -> CreateMessage {
        CreateMessage {
            channel: Some("WHATSAPP".into()),
            from: Some("385100".into()),
            to: Some("447700".into()),
            content_type: Some(content_type.into()),
            content: Some(content),
        }
    }

    #[test]
    fn win_1_free_form_outside_the_window_fails_as_configured_and_templates_pass() {
        for mode in [WindowMode::RejectAtOnce, WindowMode::FailOnDelivery] {
            let mut p = MockPlatform::new(mode, Vec::new());
            let inbound = p.inbound("WHATSAPP", "447700", "385100", "hi", 0).unwrap();
            let conv = inbound.conversation_id.clone();
            let text = reply("TEXT", serde_json::json!({ "text": "answer" }));
            let inside = p.create_message(&conv, &text, None, DAY_MS - 1).unwrap();
            assert_eq!(p.undeliverable(&conv, &inside.id), Some(false));
            let late = p.create_message(&conv, &text, None, DAY_MS + 1);
            match mode {
                WindowMode::RejectAtOnce => {
                    assert_eq!(late, Err(MockError::Api(ApiError::OutsideWindow)));
                }
                WindowMode::FailOnDelivery => {
                    let m = late.unwrap();
                    assert_eq!(p.undeliverable(&conv, &m.id), Some(true));
                }
            }
            let template = reply(
                "TEMPLATE",
                serde_json::json!({ "templateName": "follow_up" }),
            );
            let t = p
                .create_message(&conv, &template, None, DAY_MS + 2)
                .unwrap();
            assert_eq!(t.content_type, "TEXT", "a template comes back as its text");
            assert_eq!(p.undeliverable(&conv, &t.id), Some(false));
            // The customer writes again: the window reopens.
            p.inbound("WHATSAPP", "447700", "385100", "again", DAY_MS + 3)
                .unwrap();
            let m = p.create_message(&conv, &text, None, DAY_MS + 4).unwrap();
            assert_eq!(p.undeliverable(&conv, &m.id), Some(false));
        }
    }

    #[test]
    fn win_2_messages_thread_by_customer_and_business_number_until_closed() {
        let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
        let a = p.inbound("WHATSAPP", "447700", "385100", "hi", 0).unwrap();
        let b = p
            .inbound("WHATSAPP", "447700", "385100", "more", 10)
            .unwrap();
        assert_eq!(
            a.conversation_id, b.conversation_id,
            "the open session continues"
        );
        let other_number = p.inbound("WHATSAPP", "447700", "385999", "hi", 20).unwrap();
        assert_ne!(a.conversation_id, other_number.conversation_id);
        let close = ConversationIn {
            status: Some("CLOSED".into()),
            ..ConversationIn::default()
        };
        p.update_conversation(&a.conversation_id, &close, false, 30)
            .unwrap();
        let c = p
            .inbound("WHATSAPP", "447700", "385100", "back", 40)
            .unwrap();
        assert_ne!(
            c.conversation_id, a.conversation_id,
            "a closed one starts anew"
        );
        assert_eq!(c.direction, "INBOUND");
        assert_eq!(c.author_type, "CUSTOMER");
    }

    #[test]
    fn closed_conversations_are_forgotten_after_the_retention_and_open_ones_kept() {
        let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
        p.retain_closed_for(Some(1_000));
        let a = p.inbound("WHATSAPP", "447700", "385100", "hi", 0).unwrap();
        let open = p.inbound("WHATSAPP", "447711", "385100", "hi", 0).unwrap();
        let close = ConversationIn {
            status: Some("CLOSED".into()),
            ..ConversationIn::default()
        };
        p.update_conversation(&a.conversation_id, &close, false, 10)
            .unwrap();
        p.inbound("WHATSAPP", "447722", "385100", "hi", 1_009)
            .unwrap();
        assert!(
            p.conversation(&a.conversation_id).is_ok(),
            "kept for the retention"
        );
        assert_eq!(p.held(), 3);
        p.inbound("WHATSAPP", "447733", "385100", "hi", 1_010)
            .unwrap();
        assert!(matches!(
            p.conversation(&a.conversation_id),
            Err(MockError::Api(ApiError::NotFound(_)))
        ));
        assert!(
            p.conversation(&open.conversation_id).is_ok(),
            "open ones stay"
        );
        assert_eq!(p.held(), 3);
        assert_eq!(p.messages.len(), 3, "its messages went with it");
        let back = p
            .inbound("WHATSAPP", "447700", "385100", "back", 2_000)
            .unwrap();
        assert_ne!(back.conversation_id, a.conversation_id);
    }

    #[test]
    fn put_resets_what_it_leaves_out_and_patch_keeps_it() {
        let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
        let body = ConversationIn {
            topic: Some("refund".into()),
            priority: Some("HIGH".into()),
            ..ConversationIn::default()
        };
        let c = p.create_conversation(&body, 0).unwrap();
        let patch = ConversationIn {
            status: Some("WAITING".into()),
            ..ConversationIn::default()
        };
        let patched = p.update_conversation(&c.id, &patch, false, 1).unwrap();
        assert_eq!(
            (
                patched.topic.as_deref(),
                patched.priority.as_str(),
                patched.status.as_str()
            ),
            (Some("refund"), "HIGH", "WAITING")
        );
        let put = p.update_conversation(&c.id, &patch, true, 2).unwrap();
        assert_eq!(
            (
                put.topic.as_deref(),
                put.priority.as_str(),
                put.status.as_str()
            ),
            (None, "NORMAL", "WAITING")
        );
    }
}
