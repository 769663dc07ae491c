//! The platform's side of the bot (BOT-1..11): conversations of the bot's channels meet the bot
//! first; the platform POSTs each inbound message to the account webhook (with its delivery
//! delay, sometimes twice, BOT-5), passes the bot's replies to the customer, closes on resolve
//! when configured (BOT-4), and on a handoff runs its routing so the conversation joins a queue
//! like a first contact (BOT-3). Without the webhook subscription the bot never hears anything
//! and the customer waits in vain (BOT-1).
//!
//! The bot's and the translation layer's conversations live in the platform's conversation
//! store (`model::platform_api`), and what they do to them are its operations, each with its
//! result: the bot's replies are Create Message, a handoff is unassign, tag, note and route
//! (BOT-3), a resolve closes with Update Conversation (BOT-4), the layer reads histories with
//! Get Messages in pages. A refused call (a closed conversation, BOT-8) is counted.

use rand::RngExt;

use super::Platform;
use crate::actors::{ApiOp, Context, ConvId, EXTERNAL_AGENT, Fate, Intent, Layout, Metric, Msg};
use crate::model::bot::{HANDOFF, HANDOFF_TAG, HandoffStep, closes_on_resolve};
use crate::model::centre::{AttrDraw, CentreSpec};
use crate::model::platform_api::{ApiError, Assignee, Author, Content, Store, Update, WindowMode};
use crate::model::status::ConversationStatus;
use crate::model::translation::HISTORY_CAP;
use crate::model::window::has_window;

/// One store operation of a handoff, given the store, the conversation's id and the time.
type StoreCall = fn(&mut Store, u64, u64) -> Result<(), ApiError>;

/// The store's id of a conversation.
fn store_id(conv: ConvId) -> u64 {
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
            store
                .set_webhook("https://bot.invalid/webhook")
                .expect("a short URL");
        }
    }
    store
}

/// A conversation the bot has, and what routing needs after a handoff.
#[derive(Debug, Clone, Copy)]
pub(super) struct BotConversation {
    segment: u32,
    arrival_seq: u64,
    customer: u64,
    draw: AttrDraw,
    /// Messages in its history so far (inbound and the bot's), for the layer's Get Messages.
    messages: u32,
}

/// A conversation handed to the external centre (CC-2..5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum External {
    /// An external agent has it, or will.
    Active {
        /// Its arrival segment.
        segment: u32,
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
            arrived_ms: now,
        });
        self.bot_conversations.insert(
            conv,
            BotConversation {
                segment,
                arrival_seq,
                customer,
                draw: *draw,
                messages: 0,
            },
        );
        let windowed = has_window(self.spec.segments[segment as usize].channel);
        let id = store_id(conv);
        self.store.open(id, windowed, now);
        if let Some(bot) = self.spec.bot.as_ref().filter(|b| b.assigned) {
            let assigned = self.store.assign(id, Assignee::Bot(bot.name.clone()));
            debug_assert!(assigned.is_ok(), "a new conversation takes its assignee");
        }
        let webhook = self.store.webhook().is_some();
        if webhook {
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
        self.bot_conversations.insert(
            conv,
            BotConversation {
                segment,
                arrival_seq,
                customer,
                draw: *draw,
                messages: 0,
            },
        );
        let windowed = has_window(self.spec.segments[segment as usize].channel);
        let id = store_id(conv);
        self.store.open(id, windowed, now);
        if let Some(bot) = &self.spec.bot {
            let assigned = self.store.assign(id, Assignee::Bot(bot.name.clone()));
            debug_assert!(assigned.is_ok(), "an open conversation takes its assignee");
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
            c.messages += 1;
        }
        let stored = self.store.inbound(store_id(conv), 1, sent_ms);
        debug_assert!(stored.is_ok(), "a bot conversation is open");
        let fate = Fate::ToBot;
        ctx.record(Metric::TurnFate { conv, fate });
        let stream = self.webhook_stream;
        let media = bot.media.is_some_and(|m| {
            let u: f64 = ctx.rng(stream).random();
            u < m.share_of_messages
        });
        let delivery = Msg::WebhookDelivery {
            conv,
            message,
            intent,
            sent_ms,
            segment,
            media,
        };
        let delay = bot.webhook_delay.sample_ms(ctx.rng(stream));
        ctx.schedule(delay, self.layout.bot(), delivery);
        let repeat: f64 = ctx.rng(stream).random();
        if repeat < bot.duplicate_share {
            let again = bot.webhook_delay.sample_ms(ctx.rng(stream));
            ctx.schedule(again, self.layout.bot(), delivery);
        }
    }

    /// The bot-side messages: customer turns, the bot's replies, resolves and handoffs.
    pub(super) fn bot_message<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        let now = ctx.now_ms();
        match msg {
            Msg::ToBot { conv, intent } => {
                let webhook = self.store.webhook().is_some();
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
            Msg::BotReply { conv, latency_ms } => {
                if let Some(c) = self.bot_conversations.get_mut(&conv) {
                    c.messages += 1;
                    // Create Message (BOT-7: text).
                    let sent = self.api(
                        conv,
                        ApiOp::CreateMessage,
                        |s, id| {
                            s.create_message(id, Author::Bot, Content::FreeForm, 80, now)
                                .map(|_| ())
                        },
                        ctx,
                    );
                    if sent {
                        ctx.record(Metric::BotReplied { conv, latency_ms });
                        ctx.send(Layout::CUSTOMERS, Msg::BotReplied { conv });
                    }
                }
            }
            Msg::BotResolved { conv, auto } => {
                if self.bot_conversations.remove(&conv).is_some() {
                    // BOT-4: closed only if configured and the bot still owns it.
                    let id = store_id(conv);
                    let owner = self.store.get(id).ok().and_then(|c| c.assignee.clone());
                    let closes =
                        self.spec.bot.as_ref().is_some_and(|b| {
                            closes_on_resolve(&b.settings, &b.name, owner.as_ref())
                        });
                    let closed = closes && self.close_in_store(conv, now, ctx);
                    ctx.record(Metric::BotResolved { conv, closed, auto });
                    ctx.send(Layout::CUSTOMERS, Msg::Closed { conv });
                    self.store.forget(id);
                }
            }
            Msg::BotHandoff { conv, reason } => {
                if let Some(c) = self.bot_conversations.remove(&conv) {
                    // BOT-3: unassigned, tagged, noted — then routed like a first contact.
                    for step in HANDOFF {
                        let (op, call): (ApiOp, StoreCall) = match step {
                            HandoffStep::Unassign => {
                                (ApiOp::Unassign, |s, id, _| s.unassign(id).map(|_| ()))
                            }
                            HandoffStep::Tag => {
                                (ApiOp::AddTag, |s, id, _| s.add_tag(id, HANDOFF_TAG))
                            }
                            HandoffStep::Note => {
                                (ApiOp::AddNote, |s, id, now| s.add_note(id, "bot", 400, now))
                            }
                            HandoffStep::Route => {
                                (ApiOp::Route, |s, id, _| s.route(id).map(|_| ()))
                            }
                        };
                        self.api(conv, op, |s, id| call(s, id, now), ctx);
                    }
                    ctx.record(Metric::BotHandoff { conv, reason });
                    if self.spec.external.is_some() {
                        // CC-2: the translation layer takes it to the external centre.
                        let segment = c.segment;
                        self.external_conversations
                            .insert(conv, External::Active { segment });
                        let history = self.read_history(conv, ctx);
                        let handover = Msg::ExternalHandover { conv, history };
                        ctx.send(self.layout.external(), handover);
                    } else {
                        // Infobip's own agents take it from here; the store's part is done.
                        self.store.forget(store_id(conv));
                        let draw = (&c.draw, false);
                        self.route(conv, c.segment, c.arrival_seq, c.customer, draw, ctx);
                    }
                }
            }
            Msg::CustomerLeft { conv } => {
                if self.bot_conversations.remove(&conv).is_some() {
                    ctx.record(Metric::BotAbandoned { conv });
                }
            }
            _ => debug_assert!(false, "not a bot message: {msg:?}"),
        }
    }

    /// Calls a store operation for `conv` and records it; whether it succeeded.
    fn api<C: Context>(
        &mut self,
        conv: ConvId,
        op: ApiOp,
        call: impl FnOnce(&mut Store, u64) -> Result<(), ApiError>,
        ctx: &mut C,
    ) -> bool {
        let ok = call(&mut self.store, store_id(conv)).is_ok();
        ctx.record(Metric::ApiCall {
            conv,
            op,
            rejected: !ok,
        });
        ok
    }

    /// Update Conversation to CLOSED; whether the platform took it.
    fn close_in_store<C: Context>(&mut self, conv: ConvId, now: u64, ctx: &mut C) -> bool {
        let close = Update {
            status: Some(ConversationStatus::Closed),
            ..Update::default()
        };
        self.api(
            conv,
            ApiOp::UpdateConversation,
            |s, id| s.update(id, &close, now).map(|_| ()),
            ctx,
        )
    }

    /// CC-2: the layer reads the history with Get Messages, page after page (at most 1,000
    /// messages); returns how many messages it read.
    fn read_history<C: Context>(&mut self, conv: ConvId, ctx: &mut C) -> u32 {
        let page_size = self.spec.external.as_ref().map_or(100, |e| e.history_page);
        let id = store_id(conv);
        let mut read = 0usize;
        let mut page = 0;
        loop {
            let result = self
                .store
                .messages(id, page, page_size)
                .map(|p| (p.messages.len(), p.total));
            ctx.record(Metric::ApiCall {
                conv,
                op: ApiOp::GetMessages,
                rejected: result.is_err(),
            });
            let Ok((got, total)) = result else {
                return read as u32;
            };
            read += got;
            page += 1;
            if got < page_size || read >= total.min(HISTORY_CAP) {
                return read.min(HISTORY_CAP) as u32;
            }
        }
    }

    /// The external centre's side (CC-2..6): its agents' answers and replies, the customer's
    /// messages forwarded to it, and the close the layer makes or forgets.
    pub(super) fn external_message<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::ExternalAnswered { conv } => {
                if let Some(External::Active { segment }) = self.external_conversations.get(&conv) {
                    let queue = self.spec.possible_queues(*segment)[0];
                    let agent = EXTERNAL_AGENT;
                    ctx.send(Layout::CUSTOMERS, Msg::Answered { conv, agent, queue });
                }
            }
            Msg::ExternalReply { conv, latency_ms } => {
                if let Some(External::Active { .. }) = self.external_conversations.get(&conv) {
                    ctx.record(Metric::ExternalReplied { conv, latency_ms });
                    ctx.send(Layout::CUSTOMERS, Msg::AgentReplied { conv });
                }
            }
            Msg::CustomerMessage { conv, .. } => match self.external_conversations.get(&conv) {
                Some(External::Active { .. }) => {
                    let fate = Fate::ToExternal;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.send(self.layout.external(), Msg::ExternalInbound { conv });
                }
                Some(External::Forgotten) => {
                    // CC-5: left open, so the bot does not get it and the centre no longer
                    // expects it. The customer hears nothing back.
                    let fate = Fate::LostForgottenClose;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.record(Metric::MessageLost { conv });
                    ctx.send(Layout::CUSTOMERS, Msg::Closed { conv });
                }
                None => {
                    let fate = Fate::RejectedClosed;
                    ctx.record(Metric::TurnFate { conv, fate });
                    ctx.send(Layout::CUSTOMERS, Msg::Rejected { conv });
                }
            },
            Msg::Satisfied { conv } => {
                let fate = match self.external_conversations.get(&conv) {
                    Some(External::Active { .. }) => {
                        ctx.send(self.layout.external(), Msg::ExternalCustomerDone { conv });
                        Fate::ToExternal
                    }
                    Some(External::Forgotten) => Fate::LostForgottenClose,
                    None => Fate::RejectedClosed,
                };
                ctx.record(Metric::TurnFate { conv, fate });
            }
            Msg::ExternalDone {
                conv,
                forgot,
                polls,
            } => {
                ctx.record(Metric::ExternalDone {
                    conv,
                    closed: !forgot,
                    polls,
                });
                if forgot {
                    self.external_conversations
                        .insert(conv, External::Forgotten);
                } else {
                    // CC-2: the layer closes it with Update Conversation.
                    self.close_in_store(conv, ctx.now_ms(), ctx);
                    self.store.forget(store_id(conv));
                    self.external_conversations.remove(&conv);
                    ctx.send(Layout::CUSTOMERS, Msg::Closed { conv });
                }
            }
            _ => debug_assert!(false, "not an external-centre message: {msg:?}"),
        }
    }
}
