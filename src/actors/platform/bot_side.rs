//! The platform's side of the bot (BOT-1..11): conversations of the bot's channels meet the bot
//! first; the platform POSTs each inbound message to the account webhook (with its delivery
//! delay, sometimes twice, BOT-5), passes the bot's replies to the customer, closes on resolve
//! when configured (BOT-4), and on a handoff runs its routing so the conversation joins a queue
//! like a first contact (BOT-3). Without the webhook subscription the bot never hears anything
//! and the customer waits in vain (BOT-1).

use rand::RngExt;

use super::Platform;
use crate::actors::{Context, ConvId, EXTERNAL_AGENT, Fate, Intent, Layout, Metric, Msg};
use crate::model::centre::AttrDraw;

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
    /// Whether conversations of `segment` meet the bot first (autopilot and the number's AI
    /// toggle on, BOT-9).
    pub(super) fn bot_takes(&self, segment: u32) -> bool {
        self.spec
            .bot
            .as_ref()
            .is_some_and(|b| b.takes(self.spec.segments[segment as usize].channel))
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
        let webhook = self.spec.bot.as_ref().is_some_and(|b| b.webhook);
        if webhook {
            self.deliver(conv, segment, Intent::Continue, now, ctx);
        } else {
            // BOT-1: nobody subscribed to inbound messages; the bot never hears it.
            ctx.record(Metric::BotSilent { conv });
            let fate = Fate::LostNoWebhook;
            ctx.record(Metric::TurnFate { conv, fate });
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
                let webhook = self.spec.bot.as_ref().is_some_and(|b| b.webhook);
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
                    ctx.record(Metric::BotReplied { conv, latency_ms });
                    ctx.send(Layout::CUSTOMERS, Msg::BotReplied { conv });
                }
            }
            Msg::BotResolved { conv, auto } => {
                if self.bot_conversations.remove(&conv).is_some() {
                    // BOT-4: closed only if configured; the bot still owns it here.
                    let closed = self
                        .spec
                        .bot
                        .as_ref()
                        .is_some_and(|b| b.settings.close_when_resolved);
                    ctx.record(Metric::BotResolved { conv, closed, auto });
                    ctx.send(Layout::CUSTOMERS, Msg::Closed { conv });
                }
            }
            Msg::BotHandoff { conv, reason } => {
                if let Some(c) = self.bot_conversations.remove(&conv) {
                    // BOT-3: unassigned, tagged, noted — then routed like a first contact.
                    ctx.record(Metric::BotHandoff { conv, reason });
                    if self.spec.external.is_some() {
                        // CC-2: the translation layer takes it to the external centre.
                        let segment = c.segment;
                        self.external_conversations
                            .insert(conv, External::Active { segment });
                        let history = c.messages;
                        let handover = Msg::ExternalHandover { conv, history };
                        ctx.send(self.layout.external(), handover);
                    } else {
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
                    self.external_conversations.remove(&conv);
                    ctx.send(Layout::CUSTOMERS, Msg::Closed { conv });
                }
            }
            _ => debug_assert!(false, "not an external-centre message: {msg:?}"),
        }
    }
}
