//! The mock platform's state behind the HTTP routes: the model's conversation store (the
//! semantics: closed conversations reject writes, limits, the window, one webhook) plus what
//! only the wire needs (public ids, texts, contents, timestamps). Every operation takes the
//! time from its caller; nothing here reads a clock or touches a socket, so it is tested
//! without HTTP.

use std::collections::{BTreeMap, HashMap, VecDeque};

pub use self::direct::DirectSend;

use serde_json::Value;

use super::inbound::InboundType;
use super::list_index::ListIndex;
use super::wire::{
    AccountConfigurationIn, AssigneeIn, CHANNELS, CONTENT_TYPES, ConversationIn, ConversationOut,
    ConversationsOut, CreateMessage, MessageOut, MessagesOut, NoteIn, NoteOut, Pagination, TagIn,
    TagNameIn, TagOut, TagsOut, entity_id, parse_priority, parse_status, priority_name,
    status_name, timestamp,
};
use crate::model::platform_api::{
    ApiError, Assignee, Author, Content, MAX_ID, Store, Update, WindowMode,
};
use crate::model::status::ConversationStatus;

/// Entity kinds in ids (see [`entity_id`]).
const CONVERSATION: u16 = 0xc01;
const MESSAGE: u16 = 0x3e5;
const NOTE: u16 = 0x407;
const DIRECT: u16 = 0xd13;
const TAG: u16 = 0x7a9;

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
    #[error("Request body too large.")]
    TooLarge,
    /// The account's set-up holds its cap of entities: 429.
    #[error(
        "The account's set-up holds its cap of {0} agents, queues, routing rules, bots, working hours, holidays and templates: delete some first."
    )]
    SetUpFull(usize),
    /// The path is served, the method is not: 405.
    #[error("Request method not supported.")]
    MethodNotAllowed,
    /// A body that is not JSON by its content type: 415.
    #[error("Content type '{0}' not supported.")]
    UnsupportedMediaType(String),
    /// A documented rate limit was reached: 429, `Retry-After` seconds.
    #[error("Too many requests")]
    RateLimited {
        /// Whole seconds until a call is allowed again.
        retry_after_s: u64,
    },
    /// A cap on what the mock holds was reached with nothing closed left to evict: 429.
    #[error(
        "The mock holds its cap of {conversations} conversations or {messages} messages, all open: close conversations or raise the caps (--max-stored-conversations, --max-stored-messages)."
    )]
    Full {
        /// The conversation cap.
        conversations: usize,
        /// The message cap.
        messages: usize,
    },
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

pub use super::queries::{ConversationsQuery, MessagesQuery, NotesQuery, TagsQuery};

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
    /// Serves List Conversations in time of the page.
    index: ListIndex,
    conversations: HashMap<u64, ConversationWire>,
    messages: HashMap<u64, MessageWire>,
    /// Each tag's number (its id, in creation order) and when it was created, ms.
    tags_made: HashMap<String, (u64, u64)>,
    next_tag: u64,
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
    /// The most conversations and messages held.
    caps: StoreCaps,
    /// Closed conversations by when they closed, oldest first.
    closed: VecDeque<(u64, u64)>,
    /// Channel sends outside the Conversations API (WhatsApp direct, Messages API) made.
    next_direct: u64,
    /// The scenario whose routes `…/route` follows (none: everything goes to Default).
    routing: Option<std::sync::Arc<crate::model::centre::CentreSpec>>,
    /// Agents, queues, routing rules, bots, working hours ([`super::directory`]).
    directory: super::directory::Directory,
    /// Webhook subscriptions ([`super::subscriptions`]) and the events noted for them.
    subscriptions: super::subscriptions::Subscriptions,
    notices: Vec<notify::Notice>,
}

impl MockPlatform {
    /// An empty platform: WhatsApp free-form sends outside the window fail as `window_mode`
    /// says; `bots` are the agent ids of bots.
    pub fn new(window_mode: WindowMode, bots: Vec<String>) -> Self {
        Self {
            store: Store::new(window_mode),
            ids: HashMap::new(),
            index: ListIndex::default(),
            conversations: HashMap::new(),
            messages: HashMap::new(),
            tags_made: HashMap::new(),
            next_tag: 1,
            threads: HashMap::new(),
            bots,
            inbound_bot: None,
            next_conversation: 1,
            next_note: 1,
            events: None,
            retain_closed_ms: None,
            caps: StoreCaps::default(),
            closed: VecDeque::new(),
            next_direct: 1,
            routing: None,
            directory: super::directory::Directory::new(0),
            subscriptions: super::subscriptions::Subscriptions::default(),
            notices: Vec::new(),
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

    /// Routes `POST …/route` by `spec`'s routes (RT-1): the first whose conditions hold gives
    /// the queue and the priority, else the Default queue.
    pub fn route_by(&mut self, spec: std::sync::Arc<crate::model::centre::CentreSpec>) {
        self.routing = Some(spec);
    }

    /// Starts the account's set-up: `spec`'s agents and queues, if given, else only the
    /// Default queue, created at `now_ms`.
    pub fn set_up(&mut self, spec: Option<&crate::model::centre::CentreSpec>, now_ms: u64) {
        self.directory = match spec {
            Some(s) => super::directory::Directory::from_scenario(s, now_ms),
            None => super::directory::Directory::new(now_ms),
        };
    }

    /// The account's set-up.
    pub fn directory(&self) -> &super::directory::Directory {
        &self.directory
    }

    /// The account's set-up, to change.
    pub fn directory_mut(&mut self) -> &mut super::directory::Directory {
        &mut self.directory
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
        self.reindex(id);
        self.notice("CONVERSATION_CREATED", id, None, now_ms);
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

    /// Files conversation `id` in the listing index as the store has it now.
    fn reindex(&mut self, id: u64) {
        match self.store.get(id) {
            Ok(c) => self.index.set(id, c),
            Err(_) => self.index.remove(id),
        }
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
        (kind, content): (InboundType, Value),
        now_ms: u64,
    ) -> Result<MessageOut, MockError> {
        self.drop_expired(now_ms);
        let key = (from.to_string(), to.to_string(), channel.to_string());
        let open = self.threads.get(&key).copied().filter(|id| {
            self.store
                .get(*id)
                .is_ok_and(|c| c.status != ConversationStatus::Closed)
        });
        self.make_room(usize::from(open.is_none()), 1)?;
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
                    self.reindex(id);
                }
                id
            }
        };
        let message =
            self.store
                .inbound(id, kind.text_of(&content).chars().count().max(1), now_ms)?;
        self.messages.insert(
            message,
            MessageWire {
                channel: channel.into(),
                from: from.into(),
                to: to.into(),
                content_type: kind.api_name().into(),
                content,
                author_id: None,
            },
        );
        self.touched(id, now_ms);
        self.notice("CONVERSATION_MESSAGE_RECEIVED", id, Some(message), now_ms);
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
        self.make_room(1, 0)?;
        let id = self.new_conversation(false, now_ms);
        self.apply(id, body, &update, now_ms)
    }

    /// GET /ccaas/1/conversations/{id}.
    pub fn conversation(&self, public: &str) -> Result<ConversationOut, MockError> {
        self.conversation_out(self.id_of(public)?)
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
        let was = self.store.get(id)?.status;
        self.store.update(id, update, now_ms)?;
        self.reindex(id);
        if update.status.is_some_and(|s| s != was) {
            self.notice("CONVERSATION_STATUS_UPDATED", id, None, now_ms);
        }
        if update.status == Some(ConversationStatus::Closed) {
            self.closed.push_back((now_ms, id));
            let conversation = self.conversations[&id].public_id.clone();
            self.emit(PlatformEvent::Closed { conversation });
        }
        if let Some(agent) = &body.agent_id {
            let assignee = self.assignee(agent);
            self.store.assign(id, assignee)?;
            self.reindex(id);
            self.notice("CONVERSATION_ASSIGNMENT_UPDATED", id, None, now_ms);
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
        self.reindex(id);
        self.touched(id, now_ms);
        self.notice("CONVERSATION_ASSIGNMENT_UPDATED", id, None, now_ms);
        self.conversation_out(id)
    }

    /// DELETE /ccaas/1/conversations/{id}/assignee (§2 #7).
    pub fn unassign(&mut self, public: &str, now_ms: u64) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        self.store.unassign(id)?;
        self.reindex(id);
        self.touched(id, now_ms);
        self.notice("CONVERSATION_ASSIGNMENT_UPDATED", id, None, now_ms);
        self.conversation_out(id)
    }

    /// POST /ccaas/1/conversations/{id}/route (§2 #8): the assignee is removed and the routing
    /// rules run again (`destination`): the conversation waits in the queue they give.
    pub fn route(&mut self, public: &str, now_ms: u64) -> Result<ConversationOut, MockError> {
        let id = self.id_of(public)?;
        self.store.route(id)?;
        let (queue, priority) = self.destination(id);
        let update = Update {
            queue: Some(queue),
            priority,
            ..Update::default()
        };
        self.store.update(id, &update, now_ms)?;
        self.reindex(id);
        self.touched(id, now_ms);
        self.notice("CONVERSATION_ASSIGNMENT_UPDATED", id, None, now_ms);
        self.emit(PlatformEvent::Routed {
            conversation: public.to_string(),
        });
        self.conversation_out(id)
    }
}

/// A validation error on one field.
pub(crate) fn invalid(field: &str, message: &str) -> MockError {
    MockError::Api(ApiError::Validation(BTreeMap::from([(
        field.to_string(),
        vec![message.to_string()],
    )])))
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

#[path = "state_annotations.rs"]
mod annotations;
#[path = "state_direct.rs"]
mod direct;
#[path = "state_listing.rs"]
mod listing;
#[path = "state_messages.rs"]
mod messages;
#[path = "state_notify.rs"]
pub mod notify;
#[path = "state_retention.rs"]
pub mod retention;
#[path = "state_routing.rs"]
mod routing;
pub use retention::StoreCaps;
#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
