//! The bot: the AI agent in front of the human agents (BOT-1..11), as the platform's webhook
//! sees it. It hears each inbound message through a webhook delivery, ignores repeats of one
//! message for 24 hours (BOT-5), waits a short delay to gather a burst (BOT-10), then does what
//! the customer's turn calls for: a text reply after its reply time (BOT-7), a resolve (BOT-4) or
//! a handoff (BOT-3) — the platform carries those out. A session without activity for the
//! channel's auto-resolution time resolves itself (WIN-3).
//!
//! What the customer needs — how many turns, and whether the bot can resolve it — is the
//! customer's (drawn from its own generator, so switching the bot changes no customer); the bot
//! learns it from the customer's messages ([`Intent`]).

use std::collections::HashMap;
use std::sync::Arc;

use rand::RngExt;

use super::{Context, ConvId, Intent, Layout, Metric, Msg, StreamId};
use crate::model::bot::{ActionResult, Debounce, Dedupe, FailureStreak, HandoffReason, Media};
use crate::model::centre::CentreSpec;

/// What the bot keeps of one conversation.
#[derive(Debug, Clone, Default)]
struct Session {
    debounce: Debounce,
    /// The customer's latest intent.
    intent: Option<Intent>,
    /// When the customer's unanswered turn began.
    turn_started_ms: Option<u64>,
    /// Counts activity, so an inactivity timer set earlier is recognised as stale.
    epoch: u32,
    /// The channel's auto-resolution time, ms (WIN-3).
    auto_resolve_ms: Option<u64>,
    /// Consecutive action failures (ACT-1).
    streak: FailureStreak,
    /// The customer's attachments (BOT-6).
    media: Vec<Media>,
}

/// The bot actor.
#[derive(Debug)]
pub struct Bot {
    spec: Arc<CentreSpec>,
    layout: Layout,
    stream: StreamId,
    sessions: HashMap<ConvId, Session>,
    dedupe: Dedupe,
}

impl Bot {
    /// The bot of `spec` (idle when the centre has none).
    pub fn new(spec: Arc<CentreSpec>, layout: Layout) -> Self {
        let stream = Layout::bot_stream(spec.segments.len() as u32, spec.agents.len() as u32);
        Self {
            spec,
            layout,
            stream,
            sessions: HashMap::new(),
            dedupe: Dedupe::default(),
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
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        let Some(bot) = self.spec.bot.as_ref() else {
            debug_assert!(false, "bot message without a bot: {msg:?}");
            return;
        };
        let me = self.layout.bot();
        let now = ctx.now_ms();
        match msg {
            Msg::WebhookDelivery {
                conv,
                message,
                intent,
                sent_ms,
                segment,
                media,
            } => {
                if !self.dedupe.first(message, now) {
                    ctx.record(Metric::BotDuplicate { conv });
                    return;
                }
                let auto_resolve_ms = self.spec.segments[segment as usize].auto_resolve_ms;
                // BOT-6: copy the attachment; on failure keep the expiring link.
                let kept = bot.media.filter(|_| media).map(|m| {
                    let fails: f64 = ctx.rng(self.stream).random();
                    let copied = fails >= m.rehost_failure_share;
                    ctx.record(Metric::BotMedia {
                        conv,
                        rehosted: copied,
                    });
                    Media::rehost(copied, now, m.link_life_ms)
                });
                let s = self.sessions.entry(conv).or_default();
                s.auto_resolve_ms = auto_resolve_ms;
                s.media.extend(kept);
                s.intent = Some(intent);
                s.turn_started_ms.get_or_insert(sent_ms);
                s.epoch = s.epoch.wrapping_add(1);
                let due_ms = s.debounce.message(now, bot.settings.debounce_ms);
                ctx.schedule(due_ms - now, me, Msg::BotDebounce { conv, due_ms });
            }
            Msg::BotDebounce { conv, due_ms } => {
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
                                let done = Msg::BotActionDone { conv, result };
                                ctx.schedule(result.heard_after_ms(), me, done);
                            }
                            None => {
                                let reply_ms = bot.reply.sample_ms(ctx.rng(self.stream));
                                ctx.schedule(reply_ms, me, Msg::BotReplyReady { conv });
                            }
                        }
                    }
                    Some(Intent::Satisfied) => {
                        self.sessions.remove(&conv);
                        let resolved = Msg::BotResolved { conv, auto: false };
                        ctx.send(Layout::PLATFORM, resolved);
                    }
                    Some(Intent::WantsHuman) => {
                        if let Some(s) = self.sessions.remove(&conv) {
                            Self::expired_media(conv, &s, now, ctx);
                        }
                        let reason = HandoffReason::Customer;
                        ctx.send(Layout::PLATFORM, Msg::BotHandoff { conv, reason });
                    }
                    None => {}
                }
            }
            Msg::BotActionDone { conv, result } => {
                let Some(s) = self.sessions.get_mut(&conv) else {
                    return;
                };
                let limit = bot.actions.as_ref().map_or(0, |a| a.handoff_after);
                if s.streak.record(result, limit) {
                    // ACT-1: repeated failures lead to a handoff.
                    if let Some(s) = self.sessions.remove(&conv) {
                        Self::expired_media(conv, &s, now, ctx);
                    }
                    let reason = HandoffReason::ActionFailures;
                    ctx.send(Layout::PLATFORM, Msg::BotHandoff { conv, reason });
                } else {
                    // A failure comes back as a status the bot covers in its reply; no retry.
                    let reply_ms = bot.reply.sample_ms(ctx.rng(self.stream));
                    ctx.schedule(reply_ms, me, Msg::BotReplyReady { conv });
                }
            }
            Msg::BotReplyReady { conv } => {
                let Some(s) = self.sessions.get_mut(&conv) else {
                    return;
                };
                let latency_ms = s.turn_started_ms.take().map_or(0, |t| now - t);
                ctx.send(Layout::PLATFORM, Msg::BotReply { conv, latency_ms });
                if let Some(after) = s.auto_resolve_ms {
                    let epoch = s.epoch;
                    ctx.schedule(after, me, Msg::BotInactive { conv, epoch });
                }
            }
            Msg::BotInactive { conv, epoch } => {
                if self.sessions.get(&conv).is_some_and(|s| s.epoch == epoch) {
                    self.sessions.remove(&conv);
                    ctx.send(Layout::PLATFORM, Msg::BotResolved { conv, auto: true });
                }
            }
            _ => debug_assert!(false, "bot actor got {msg:?}"),
        }
    }
}
