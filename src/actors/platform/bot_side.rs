//! The platform's side of the bot (BOT-1..11): conversations of the bot's channels meet the bot
//! first; the platform POSTs each inbound message to the account webhook (with its delivery
//! delay, sometimes twice, BOT-5), passes the bot's replies to the customer, closes on resolve
//! when configured (BOT-4), and on a handoff runs its routing so the conversation joins a queue
//! like a first contact (BOT-3). Without the webhook subscription the bot never hears anything
//! and the customer waits in vain (BOT-1).
//!
//! The bot's and the translation layer's conversations live in the platform's conversation
//! store (`model::platform_api`); what they do to them are API calls (`api.rs`).

use crate::actors::{BotMsg, CustomerMsg, CustomerSays, ExternalMsg, PlatformMsg};
use crate::model::ids::{QueueIx, SegmentIx};
use rand::RngExt;

use super::Platform;
use crate::actors::{Context, ConvId, EXTERNAL_AGENT, Fate, History, Intent, Metric};
use crate::model::bot::whatsapp::InboundKind;
use crate::model::bot::{HANDOFF_TAG, HandoffReason};
use crate::model::centre::{AttrDraw, CentreSpec};
use crate::model::platform_api::{Assignee, Store, WindowMode};
use crate::model::routing::{AttrValue, Attributes};
use crate::model::window::has_window;

/// The bot's webhook URL.
const BOT_WEBHOOK: &str = "https://bot.invalid/webhook";
/// The URL another integration registers in its place (CC-1).
const OTHER_WEBHOOK: &str = "https://other-integration.invalid/webhook";

/// The store's id of a conversation.
pub(super) fn store_id(conv: ConvId) -> u64 {
    (u64::from(conv.slot) << 32) | u64::from(conv.generation)
}

/// The platform's store for `spec`: the handoff tag exists, and the bot's webhook is
/// registered when the scenario says so (BOT-1, CC-1).
pub(super) fn store_for(spec: &CentreSpec) -> Store {
    let mut store = Store::new(WindowMode::FailOnDelivery);
    if let Some(bot) = &spec.bot {
        store
            .create_tag(HANDOFF_TAG)
            .expect("the handoff tag is a valid name");
        if bot.webhook {
            store.set_webhook(BOT_WEBHOOK).expect("a short URL");
        }
    }
    store
}

/// A conversation the bot has, and what routing needs after a handoff.
#[derive(Debug, Clone, Copy)]
pub(super) struct BotConversation {
    pub(super) segment: u32,
    pub(super) arrival_seq: u64,
    pub(super) draw: AttrDraw,
    /// The agents it had before an agent gave it back to the bot (AA-9), or none.
    pub(super) history: History,
    /// When the customer's oldest unanswered message was sent (the bot's reply latency).
    pub(super) turn_started_ms: Option<u64>,
    /// Why the bot hands it over, once its note says so (BOT-3).
    pub(super) handoff_reason: Option<HandoffReason>,
}

impl BotConversation {
    fn new(segment: u32, arrival_seq: u64, customer: u64, draw: AttrDraw) -> Self {
        Self {
            segment,
            arrival_seq,
            draw,
            history: History::new(customer),
            turn_started_ms: None,
            handoff_reason: None,
        }
    }
}

/// A conversation handed to the external centre (CC-2..5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum External {
    /// An external agent has it, or will.
    Active {
        /// Its arrival segment.
        segment: u32,
        /// When the customer's oldest unanswered message was sent (or the handover was).
        turn_started_ms: Option<u64>,
    },
    /// The external agent was done and the layer forgot to close it (CC-5).
    Forgotten,
}

impl Platform {
    /// Whether conversations of `segment` meet the bot first: autopilot and the number's AI
    /// toggle on (BOT-9), and assigned to the bot or unassigned with "handle unassigned" on
    /// (BOT-1). A missing webhook does not change who owns them: the bot just never hears.
    pub(super) fn bot_takes(&self, segment: u32) -> bool {
        let channel = self.spec.segments[segment as usize].channel;
        self.spec
            .bot
            .as_ref()
            .is_some_and(|b| b.meets_first(channel))
    }

    /// Whether the account webhook is the bot's (BOT-1): without one, or after another
    /// integration set its own in its place (CC-1), the bot hears nothing.
    fn bot_hears(&self) -> bool {
        self.store.webhook() == Some(BOT_WEBHOOK)
    }

    /// CC-1: another integration sets the account webhook; the bot's is gone.
    pub(super) fn webhook_replaced(&mut self) {
        self.store.set_webhook(OTHER_WEBHOOK).expect("a short URL");
    }

    /// A new conversation of a bot channel: the bot's.
    pub(super) fn bot_take<C: Context>(
        &mut self,
        conv: ConvId,
        (segment, arrival_seq, customer): (u32, u64, u64),
        draw: &AttrDraw,
        ctx: &mut C,
    ) {
        let now = ctx.now_ms();
        ctx.record(Metric::BotConversation {
            conv,
            segment,
            draw: *draw,
            arrived_ms: now,
        });
        let c = BotConversation::new(segment, arrival_seq, customer, *draw);
        self.bot_conversations.insert(conv, c);
        let windowed = has_window(self.spec.segments[segment as usize].channel);
        let id = store_id(conv);
        self.store.open(id, windowed, now);
        self.routing_context(id, segment, draw);
        if let Some(bot) = self.spec.bot.as_ref().filter(|b| b.assigned) {
            let assigned = self.store.assign(id, Assignee::Bot(bot.name.clone()));
            debug_assert!(assigned.is_ok(), "a new conversation takes its assignee");
        }
        // BOT-8: some of the bot's conversations a human closes in Infobip.
        if let Some((share, after)) = self
            .spec
            .bot
            .as_ref()
            .and_then(|b| b.closed_by_humans.as_ref())
        {
            let stream = self.webhook_stream;
            if ctx.rng(stream).random::<f64>() < *share {
                let delay = after.sample_ms(ctx.rng(stream));
                ctx.schedule(delay, PlatformMsg::HumanCloses { conv });
            }
        }
        if self.bot_hears() {
            self.deliver(conv, segment, Intent::Continue, now, ctx);
        } else {
            // BOT-1: nobody subscribed to inbound messages; the bot never hears it.
            ctx.record(Metric::BotSilent { conv });
            let fate = Fate::LostNoWebhook;
            ctx.record(Metric::TurnFate { conv, fate });
        }
    }

    /// BOT-2: a conversation a human gave back: the bot has it again (assigned to it in the
    /// store), and hears the customer's next message.
    pub(super) fn bot_resume<C: Context>(
        &mut self,
        conv: ConvId,
        (segment, arrival_seq, customer): (u32, u64, u64),
        draw: &AttrDraw,
        ctx: &mut C,
    ) {
        let now = ctx.now_ms();
        ctx.record(Metric::BotResumed { conv });
        let mut c = BotConversation::new(segment, arrival_seq, customer, *draw);
        if let Some(entry) = self.given_back.get_mut(conv.slot as usize)
            && entry.is_some_and(|(c, _)| c == conv)
            && let Some((_, history)) = entry.take()
        {
            c.history = history;
        }
        self.bot_conversations.insert(conv, c);
        let windowed = has_window(self.spec.segments[segment as usize].channel);
        let id = store_id(conv);
        self.store.open(id, windowed, now);
        self.routing_context(id, segment, draw);
        if let Some(bot) = &self.spec.bot {
            let assigned = self.store.assign(id, Assignee::Bot(bot.name.clone()));
            debug_assert!(assigned.is_ok(), "an open conversation takes its assignee");
        }
    }

    /// CC-3: the conversation carries its routing context from the start: the metadata `queue`
    /// holds the value of the external centre's queue attribute.
    fn routing_context(&mut self, id: u64, segment: u32, draw: &AttrDraw) {
        let Some(attr) = self.spec.external.as_ref().and_then(|e| e.queue_attribute) else {
            return;
        };
        let attributes = self.spec.segments[segment as usize].attributes_of(draw);
        if let Some(AttrValue::Text(value)) = attributes.get(attr) {
            let metadata = [("queue".to_string(), value.clone())].into();
            let set = self.store.set_metadata(id, metadata, false);
            debug_assert!(set.is_ok(), "an open conversation takes metadata");
        }
    }

    /// POSTs an inbound message to the webhook after its delivery delay; sometimes twice.
    fn deliver<C: Context>(
        &mut self,
        conv: ConvId,
        segment: u32,
        intent: Intent,
        sent_ms: u64,
        ctx: &mut C,
    ) {
        let Some(bot) = self.spec.bot.as_ref() else {
            return;
        };
        let message = self.next_message_id;
        self.next_message_id += 1;
        if let Some(c) = self.bot_conversations.get_mut(&conv) {
            c.turn_started_ms.get_or_insert(sent_ms);
        }
        let stored = self.store.inbound(store_id(conv), 1, sent_ms);
        debug_assert!(stored.is_ok(), "a bot conversation is open");
        let fate = Fate::ToBot;
        ctx.record(Metric::TurnFate { conv, fate });
        let stream = self.webhook_stream;
        // BOT-6, WIN-6: a share of messages carry an attachment, of a kind.
        let kind = match bot.media {
            Some(m) if ctx.rng(stream).random::<f64>() < m.share_of_messages => {
                let u = if m.mixed() {
                    ctx.rng(stream).random()
                } else {
                    0.0
                };
                m.kind(u)
            }
            _ => InboundKind::Text,
        };
        let webhook = |message, kind| BotMsg::WebhookDelivery {
            conv,
            message,
            intent,
            sent_ms,
            segment: SegmentIx(segment),
            kind,
        };
        let delivery = webhook(message, kind);
        let delay = bot.webhook_delay.sample_ms(ctx.rng(stream));
        ctx.schedule(delay, delivery);
        let repeat: f64 = ctx.rng(stream).random();
        if repeat < bot.duplicate_share {
            let again = bot.webhook_delay.sample_ms(ctx.rng(stream));
            ctx.schedule(again, delivery);
        }
        // WIN-6: some messages are followed by a sticker or a system message; they reach the
        // webhook too, and the bot leaves them unprocessed.
        let extras = bot
            .media
            .map_or([0.0; 2], |m| [m.sticker_share, m.system_share]);
        for (share, kind) in extras
            .into_iter()
            .zip([InboundKind::Sticker, InboundKind::System])
        {
            if share > 0.0 && ctx.rng(stream).random::<f64>() < share {
                let message = self.next_message_id;
                self.next_message_id += 1;
                let stored = self.store.inbound(store_id(conv), 1, sent_ms);
                debug_assert!(stored.is_ok(), "a bot conversation is open");
                ctx.schedule(delay, webhook(message, kind));
            }
        }
    }

    /// A customer's turn in a conversation the bot has: the webhook delivers it.
    pub(super) fn customer_to_bot<C: Context>(
        &mut self,
        conv: ConvId,
        intent: Intent,
        ctx: &mut C,
    ) {
        let now = ctx.now_ms();
        let webhook = self.bot_hears();
        match self.bot_conversations.get(&conv).copied() {
            Some(c) if webhook => self.deliver(conv, c.segment, intent, now, ctx),
            Some(_) => {
                let fate = Fate::LostNoWebhook;
                ctx.record(Metric::TurnFate { conv, fate });
            }
            None => {
                // The bot's conversation ended at this very instant.
                let fate = Fate::RejectedClosed;
                ctx.record(Metric::TurnFate { conv, fate });
            }
        }
    }

    /// The bot's session ended resolved (BOT-4, WIN-3).
    pub(super) fn bot_resolved<C: Context>(
        &mut self,
        conv: ConvId,
        auto: bool,
        closed: bool,
        ctx: &mut C,
    ) {
        if self.bot_conversations.remove(&conv).is_some() {
            ctx.record(Metric::BotResolved { conv, closed, auto });
            ctx.send(CustomerMsg::Closed { conv });
        }
        // The bot is done with it (also when its customer had left).
        self.store.forget(store_id(conv));
    }

    /// The customer gave up waiting for the bot.
    pub(super) fn left_the_bot<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        if self.bot_conversations.remove(&conv).is_some() {
            ctx.record(Metric::BotAbandoned { conv });
        }
    }

    /// BOT-8: closed in Infobip while the bot still has it. The store keeps it, closed, so the
    /// bot's next write is refused; the customer's next message starts a new conversation
    /// (WIN-2).
    pub(super) fn human_closes<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        if self.bot_conversations.remove(&conv).is_some() {
            let close = crate::model::platform_api::Update {
                status: Some(crate::model::status::ConversationStatus::Closed),
                ..Default::default()
            };
            let closed = self.store.update(store_id(conv), &close, ctx.now_ms());
            debug_assert!(closed.is_ok(), "the bot's conversation is open");
            ctx.record(Metric::BotClosedByHuman { conv });
            ctx.send(CustomerMsg::Closed { conv });
        }
    }

    /// An external centre's agent took the conversation (CC-2).
    pub(super) fn external_answered<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        if let Some(External::Active { segment, .. }) = self.external_conversations.get(&conv) {
            let queue = self.spec.possible_queues(*segment)[0];
            let agent = EXTERNAL_AGENT;
            ctx.send(CustomerMsg::Answered {
                conv,
                agent,
                queue: QueueIx(queue),
            });
        }
    }

    /// A customer's turn to the external centre's agent: the platform forwards it to the
    /// layer (CC-2), or it finds the conversation left open (CC-5) or closed.
    pub(super) fn for_external_agent<C: Context>(
        &mut self,
        conv: ConvId,
        says: CustomerSays,
        ctx: &mut C,
    ) {
        match says {
            CustomerSays::Messages { .. } => match self.external_conversations.get_mut(&conv) {
                Some(External::Active {
                    turn_started_ms, ..
                }) => {
                    turn_started_ms.get_or_insert(ctx.now_ms());
                    let fate = Fate::ToExternal;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.send(ExternalMsg::Inbound { conv });
                }
                Some(External::Forgotten) => {
                    // CC-5: left open, so the bot does not get it and the centre no longer
                    // expects it. The customer hears nothing back.
                    let fate = Fate::LostForgottenClose;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.record(Metric::MessageLost { conv });
                    ctx.send(CustomerMsg::Closed { conv });
                }
                None => {
                    let fate = Fate::RejectedClosed;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.send(CustomerMsg::Rejected { conv });
                }
            },
            CustomerSays::Satisfied => {
                let fate = match self.external_conversations.get(&conv) {
                    Some(External::Active { .. }) => {
                        ctx.send(ExternalMsg::CustomerDone { conv });
                        Fate::ToExternal
                    }
                    Some(External::Forgotten) => Fate::LostForgottenClose,
                    None => Fate::RejectedClosed,
                };
                ctx.record(Metric::TurnFate { conv, fate });
            }
        }
    }

    /// The external agent is done: the layer closed the conversation (CC-2), or forgot to
    /// (CC-5).
    pub(super) fn external_done<C: Context>(
        &mut self,
        conv: ConvId,
        forgot: bool,
        polls: u64,
        ctx: &mut C,
    ) {
        ctx.record(Metric::ExternalDone {
            conv,
            closed: !forgot,
            polls,
        });
        if forgot {
            self.external_conversations
                .insert(conv, External::Forgotten);
        } else {
            // CC-2: the layer has closed it with Update Conversation.
            self.store.forget(store_id(conv));
            self.external_conversations.remove(&conv);
            ctx.send(CustomerMsg::Closed { conv });
        }
    }
}
