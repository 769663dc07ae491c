//! The bot: the AI agent in front of the human agents (BOT-1..11), as the platform's webhook
//! sees it. It hears each inbound message through a webhook delivery, ignores repeats of one
//! message for 24 hours (BOT-5), waits a short delay to gather a burst (BOT-10), then does what
//! the customer's turn calls for: a text reply after its reply time (BOT-7), a resolve (BOT-4) or
//! a handoff (BOT-3). A session without activity for the channel's auto-resolution time resolves
//! itself (WIN-3).
//!
//! It acts on the platform only through the Conversations API ([`PlatformMsg::Api`]) and goes on from
//! each call's result ([`BotMsg::ApiResult`]): a reply is Create Message, and a refusal (the
//! conversation was closed, BOT-8) ends its session; a handoff is unassign, tag, note and route,
//! each step made once the one before succeeded; a resolve reads the conversation and closes it
//! only when configured and still the bot's (BOT-4).
//!
//! What the customer needs — how many turns, and whether the bot can resolve it — is the
//! customer's (drawn from its own generator, so switching the bot changes no customer); the bot
//! learns it from the customer's messages ([`Intent`]).

use crate::actors::{BotMsg, PlatformMsg};
use crate::model::FastMap;
use std::sync::Arc;

use rand::RngExt;

use super::{ApiAnswer, ApiCall, ApiCaller, Context, ConvId, Intent, Layout, Metric, StreamId};
use crate::model::bot::whatsapp::{
    self, Format, Outbound, PART_PAUSE_MS, Part, Reading, ReplyShape, SendPath,
};
use crate::model::bot::{
    ActionResult, Debounce, Dedupe, FailureStreak, HANDOFF, HANDOFF_ROUTED_INSTEAD,
    HANDOFF_TO_AGENT, HandoffReason, HandoffStep, Media, PLAIN_REPLY, next_handoff_step,
};
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelKind;
use crate::model::platform_api::ApiErrorKind;

/// What the bot keeps of one conversation.
#[derive(Debug, Clone, Default)]
struct Session {
    debounce: Debounce,
    /// The customer's latest intent.
    intent: Option<Intent>,
    /// Counts activity, so an inactivity timer set earlier is recognised as stale.
    epoch: u32,
    /// The channel's auto-resolution time, ms (WIN-3).
    auto_resolve_ms: Option<u64>,
    /// Consecutive action failures (ACT-1).
    streak: FailureStreak,
    /// The customer's attachments (BOT-6).
    media: Vec<Media>,
    /// The conversation's arrival segment (its channel).
    segment: u32,
    /// A reply going out part by part (WIN-5).
    sending: Option<Sending>,
}

/// A reply on its way out (WIN-4, WIN-5, BOT-7).
#[derive(Debug, Clone, Copy)]
struct Sending {
    outbound: Outbound,
    shape: ReplyShape,
    /// On WhatsApp's own send API; otherwise one Create Message.
    direct: bool,
    /// The part to send next.
    next: u32,
}

impl Sending {
    /// The call of the next part, if any is left.
    fn call(&self) -> Option<ApiCall> {
        if !self.direct {
            let chars = Format::Text.text_chars(&self.shape);
            return (self.next == 0).then_some(ApiCall::CreateMessage { chars });
        }
        let part = self.outbound.part(self.next)?;
        let shape = self.shape;
        Some(ApiCall::SendWhatsapp { part, shape })
    }
}

/// The bot actor.
#[derive(Debug)]
pub struct Bot {
    spec: Arc<CentreSpec>,
    stream: StreamId,
    sessions: FastMap<ConvId, Session>,
    dedupe: Dedupe,
    /// Handoffs under way: why (for the note).
    handing_off: FastMap<ConvId, (HandoffReason, &'static [HandoffStep])>,
    /// Resolves under way, reading or closing the conversation: whether by inactivity.
    resolving: FastMap<ConvId, bool>,
}

impl Bot {
    /// The bot of `spec` (idle when the centre has none).
    pub fn new(spec: Arc<CentreSpec>) -> Self {
        let stream = Layout::bot_stream(spec.segments.len() as u32, spec.agents.len() as u32);
        Self {
            spec,
            stream,
            sessions: FastMap::default(),
            dedupe: Dedupe::default(),
            handing_off: FastMap::default(),
            resolving: FastMap::default(),
        }
    }

    /// Calls the Conversations API.
    fn call<C: Context>(conv: ConvId, call: ApiCall, ctx: &mut C) {
        let caller = ApiCaller::Bot;
        ctx.send(PlatformMsg::Api { conv, call, caller });
    }

    /// BOT-3: the session ends and the handoff begins with its first step.
    fn hand_off<C: Context>(&mut self, conv: ConvId, reason: HandoffReason, now: u64, ctx: &mut C) {
        if let Some(s) = self.sessions.remove(&conv) {
            Self::expired_media(conv, &s, now, ctx);
        }
        // 004: a share of handoffs go straight to an agent (routing avoided).
        let plan: &'static [HandoffStep] = match self
            .spec
            .bot
            .as_ref()
            .and_then(|b| b.direct_assign.as_ref())
        {
            Some(d) if ctx.rng(self.stream).random::<f64>() < d.share => &HANDOFF_TO_AGENT,
            _ => &HANDOFF,
        };
        self.handing_off.insert(conv, (reason, plan));
        Self::call(conv, ApiCall::of_handoff_step(plan[0], reason), ctx);
    }

    /// BOT-4: the session ends resolved; the bot closes the conversation only when configured
    /// to and still its assignee, so it reads the conversation first.
    fn resolve<C: Context>(&mut self, conv: ConvId, auto: bool, ctx: &mut C) {
        self.sessions.remove(&conv);
        let closes = self
            .spec
            .bot
            .as_ref()
            .is_some_and(|b| b.settings.close_when_resolved);
        if closes {
            self.resolving.insert(conv, auto);
            Self::call(conv, ApiCall::GetConversation, ctx);
        } else {
            let closed = false;
            ctx.send(PlatformMsg::BotResolved { conv, auto, closed });
        }
    }

    /// The platform's answer to one of the bot's calls.
    fn api_result<C: Context>(
        &mut self,
        conv: ConvId,
        call: ApiCall,
        result: Result<ApiAnswer, crate::model::platform_api::ApiErrorKind>,
        ctx: &mut C,
    ) {
        match call {
            // WIN-5: an attachment went; the next part follows after a short pause.
            ApiCall::SendWhatsapp {
                part: Part::Attachment,
                ..
            } => match result {
                Ok(_) => {
                    let sent = self
                        .sessions
                        .get(&conv)
                        .and_then(|s| s.sending)
                        .map_or(u32::MAX, |s| s.next);
                    ctx.schedule(PART_PAUSE_MS, BotMsg::NextPart { conv, sent });
                }
                // BOT-8: closed meanwhile; the rest of the reply cannot go.
                Err(_) => {
                    self.sessions.remove(&conv);
                }
            },
            ApiCall::CreateMessage { .. } | ApiCall::SendWhatsapp { .. } => {
                match (result, self.sessions.get_mut(&conv)) {
                    (Ok(_), Some(s)) => {
                        s.sending = None;
                        if let Some(after) = s.auto_resolve_ms {
                            let epoch = s.epoch;
                            ctx.schedule(after, BotMsg::Inactive { conv, epoch });
                        }
                    }
                    // BOT-8: the conversation was closed; the bot cannot write to it, and stays
                    // out until it is given back (BOT-2).
                    (Err(_), _) => {
                        self.sessions.remove(&conv);
                    }
                    (Ok(_), None) => {}
                }
            }
            ApiCall::GetConversation => {
                let Some(auto) = self.resolving.get(&conv).copied() else {
                    return;
                };
                if let Ok(ApiAnswer::Conversation {
                    assigned_to_caller: true,
                }) = result
                {
                    Self::call(conv, ApiCall::Close, ctx);
                } else {
                    // Someone else owns it now, or it is gone: resolved without closing.
                    self.resolving.remove(&conv);
                    let closed = false;
                    ctx.send(PlatformMsg::BotResolved { conv, auto, closed });
                }
            }
            ApiCall::Close => {
                if let Some(auto) = self.resolving.remove(&conv) {
                    let closed = result.is_ok();
                    ctx.send(PlatformMsg::BotResolved { conv, auto, closed });
                }
            }
            // The translation layer's call (CC-2): the bot reads no history page.
            ApiCall::GetMessages { .. } => {}
            ApiCall::Unassign
            | ApiCall::AddTag
            | ApiCall::AddNote { .. }
            | ApiCall::Route
            | ApiCall::Assign => {
                let (Some(step), Some(&(reason, plan))) =
                    (call.handoff_step(), self.handing_off.get(&conv))
                else {
                    return;
                };
                match (result, next_handoff_step(plan, step)) {
                    (Ok(_), Some(next)) => {
                        Self::call(conv, ApiCall::of_handoff_step(next, reason), ctx);
                    }
                    // 004: nobody to assign it to; the integration routes it instead.
                    (Err(ApiErrorKind::NotFound), None) if step == HandoffStep::Assign => {
                        let instead: &'static [HandoffStep] = &HANDOFF_ROUTED_INSTEAD;
                        self.handing_off.insert(conv, (reason, instead));
                        Self::call(conv, ApiCall::of_handoff_step(instead[0], reason), ctx);
                    }
                    // Routed, or a step refused (closed meanwhile): the handoff is over.
                    _ => {
                        self.handing_off.remove(&conv);
                    }
                }
            }
        }
    }

    /// BOT-6: at a handoff the history and note go to humans; attachments kept only as the
    /// platform's link that has already expired are lost to them.
    fn expired_media<C: Context>(conv: ConvId, s: &Session, now: u64, ctx: &mut C) {
        let count = s.media.iter().filter(|m| !m.readable(now)).count() as u32;
        if count > 0 {
            ctx.record(Metric::BotMediaExpired { conv, count });
        }
    }

    /// Conversations the bot is handling.
    pub fn sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: BotMsg, ctx: &mut C) {
        let Some(bot) = self.spec.bot.as_ref() else {
            debug_assert!(false, "bot message without a bot: {msg:?}");
            return;
        };
        let now = ctx.now_ms();
        match msg {
            BotMsg::WebhookDelivery {
                conv,
                message,
                intent,
                sent_ms: _,
                segment,
                kind,
            } => {
                // WIN-6: how the message is read; stickers and system messages are not
                // processed at all (no reply, no delay moved).
                let reading = whatsapp::reading(kind);
                if reading == Reading::Ignored {
                    ctx.record(Metric::BotInbound { conv, reading });
                    return;
                }
                if !self.dedupe.first(message, now) {
                    ctx.record(Metric::BotDuplicate { conv });
                    return;
                }
                // Counted once per message, not per delivery (BOT-5).
                if reading != Reading::Text {
                    ctx.record(Metric::BotInbound { conv, reading });
                }
                let auto_resolve_ms = self.spec.segments[segment.index()].auto_resolve_ms;
                // BOT-6: copy the file (an attachment, or a voice note before its transcript);
                // on failure keep the expiring link.
                let kept = bot.media.filter(|_| reading.stores_a_file()).map(|m| {
                    let fails: f64 = ctx.rng(self.stream).random();
                    let copied = fails >= m.rehost_failure_share;
                    ctx.record(Metric::BotMedia {
                        conv,
                        rehosted: copied,
                    });
                    Media::rehost(copied, now, m.link_life_ms)
                });
                let s = self.sessions.entry(conv).or_default();
                s.segment = segment.0;
                s.auto_resolve_ms = auto_resolve_ms;
                s.media.extend(kept);
                s.intent = Some(intent);
                s.epoch = s.epoch.wrapping_add(1);
                let due_ms = s.debounce.message(now, bot.settings.debounce_ms);
                ctx.schedule(due_ms - now, BotMsg::Debounce { conv, due_ms });
            }
            BotMsg::Debounce { conv, due_ms } => {
                let Some(s) = self.sessions.get_mut(&conv) else {
                    return;
                };
                if s.debounce.fire(due_ms).is_none() {
                    return; // a later message moved the reply
                }
                match s.intent.take() {
                    Some(Intent::Continue) => {
                        // ACT-1: some replies need an action first.
                        let rng = ctx.rng(self.stream);
                        let action = bot.actions.as_ref().and_then(|a| {
                            let calls: f64 = rng.random();
                            (calls < a.share_of_turns).then(|| {
                                let latency_ms = a.latency.sample_ms(&mut *rng);
                                let fails: f64 = rng.random();
                                ActionResult::of(latency_ms, fails < a.failure_share, 503)
                            })
                        });
                        match action {
                            Some(result) => {
                                ctx.record(Metric::BotAction { conv, result });
                                let done = BotMsg::ActionDone { conv, result };
                                ctx.schedule(result.heard_after_ms(), done);
                            }
                            None => {
                                let reply_ms = bot.reply.sample_ms(ctx.rng(self.stream));
                                ctx.schedule(reply_ms, BotMsg::ReplyReady { conv });
                            }
                        }
                    }
                    Some(Intent::Satisfied) => self.resolve(conv, false, ctx),
                    Some(Intent::WantsHuman) => {
                        self.hand_off(conv, HandoffReason::Customer, now, ctx);
                    }
                    None => {}
                }
            }
            BotMsg::ActionDone { conv, result } => {
                let Some(s) = self.sessions.get_mut(&conv) else {
                    return;
                };
                let limit = bot.actions.as_ref().map_or(0, |a| a.handoff_after);
                if s.streak.record(result, limit) {
                    // ACT-1: repeated failures lead to a handoff.
                    self.hand_off(conv, HandoffReason::ActionFailures, now, ctx);
                } else {
                    // A failure comes back as a status the bot covers in its reply; no retry.
                    let reply_ms = bot.reply.sample_ms(ctx.rng(self.stream));
                    ctx.schedule(reply_ms, BotMsg::ReplyReady { conv });
                }
            }
            BotMsg::ReplyReady { conv } => {
                let Some(s) = self.sessions.get_mut(&conv) else {
                    return;
                };
                // WIN-4: what the reply holds decides its format; BOT-7: through Infobip's
                // Conversations API it is text only.
                let shape = if bot.reply_shapes.is_empty() {
                    PLAIN_REPLY
                } else {
                    bot.reply_shape(ctx.rng(self.stream).random())
                };
                let channel = self.spec.segments[s.segment as usize].channel;
                let whatsapp = channel == ChannelKind::Whatsapp;
                let outbound = whatsapp::outbound(&shape, bot.reply_path, whatsapp);
                ctx.record(Metric::BotReplyComposed { conv, outbound });
                let direct = whatsapp && bot.reply_path == SendPath::WhatsappApi;
                let sending = Sending {
                    outbound,
                    shape,
                    direct,
                    next: 0,
                };
                s.sending = Some(sending);
                if let Some(call) = sending.call() {
                    Self::call(conv, call, ctx);
                }
            }
            BotMsg::NextPart { conv, sent } => {
                // WIN-5: the pause is over; the next part goes.
                let Some(sending) = self
                    .sessions
                    .get_mut(&conv)
                    .and_then(|s| s.sending.as_mut())
                    .filter(|s| s.next == sent)
                else {
                    return;
                };
                sending.next += 1;
                if let Some(call) = sending.call() {
                    Self::call(conv, call, ctx);
                }
            }
            BotMsg::Inactive { conv, epoch } => {
                if self.sessions.get(&conv).is_some_and(|s| s.epoch == epoch) {
                    self.resolve(conv, true, ctx);
                }
            }
            BotMsg::ApiResult { conv, call, result } => self.api_result(conv, call, result, ctx),
        }
    }
}

#[cfg(test)]
#[path = "bot_tests.rs"]
mod tests;
