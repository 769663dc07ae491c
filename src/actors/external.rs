//! The external contact centre behind the translation layer (CC-1..6), as one actor: the layer
//! takes the bot's handovers and reads each history (Get Messages, at most 1,000 messages in
//! pages, CC-2), seats the conversation with a free external agent (or queues it, first come
//! first served), forwards the customer's messages, relays the agents' replies — at once when
//! the centre pushes them, at the next poll when the layer polls (CC-6) — and, when the agent
//! is done, closes the conversation on the platform, unless it forgets (CC-5).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use rand::RngExt;

use super::{Context, ConvId, Layout, Metric, Msg, StreamId};
use crate::model::centre::CentreSpec;
use crate::model::translation::history_calls;

#[derive(Debug, Clone, Copy)]
struct Seat {
    handover_ms: u64,
    /// When the customer turn awaiting a reply began, if one is.
    turn_started_ms: Option<u64>,
    replying: bool,
    epoch: u32,
}

/// The translation layer and the external centre's agents.
#[derive(Debug)]
pub struct External {
    spec: Arc<CentreSpec>,
    layout: Layout,
    stream: StreamId,
    free: u32,
    waiting: VecDeque<(ConvId, u64)>,
    seated: HashMap<ConvId, Seat>,
}

impl External {
    /// The external centre of `spec` (idle when the centre has none).
    pub fn new(spec: Arc<CentreSpec>, layout: Layout) -> Self {
        let stream = Layout::external_stream(spec.segments.len() as u32, spec.agents.len() as u32);
        let free = spec.external.as_ref().map_or(0, |e| e.slots);
        Self {
            spec,
            layout,
            stream,
            free,
            waiting: VecDeque::new(),
            seated: HashMap::new(),
        }
    }

    /// Conversations its agents hold, and those waiting for one.
    pub fn load(&self) -> (usize, usize) {
        (self.seated.len(), self.waiting.len())
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        let Some(ext) = self.spec.external.as_ref() else {
            debug_assert!(false, "external-centre message without one: {msg:?}");
            return;
        };
        let now = ctx.now_ms();
        let me = self.layout.external();
        match msg {
            Msg::ExternalHandover { conv, history } => {
                let calls = history_calls(history as usize, ext.history_page) as u32;
                ctx.record(Metric::ExternalHandover {
                    conv,
                    history_calls: calls,
                });
                self.waiting.push_back((conv, now));
                self.seat_waiting(ctx);
            }
            Msg::ExternalInbound { conv } => {
                let Some(seat) = self.seated.get_mut(&conv) else {
                    return;
                };
                seat.epoch = seat.epoch.wrapping_add(1);
                seat.turn_started_ms.get_or_insert(now);
                if !seat.replying {
                    seat.replying = true;
                    let reply_ms = ext.reply.sample_ms(ctx.rng(self.stream));
                    ctx.schedule(reply_ms, me, Msg::ExternalReplyReady { conv });
                }
            }
            Msg::ExternalReplyReady { conv } => {
                let Some(seat) = self.seated.get_mut(&conv) else {
                    return;
                };
                seat.replying = false;
                // CC-6: the layer hears it at once (push) or at its next poll.
                let relayed = ext.feed.relayed_at(seat.handover_ms, now);
                let latency_ms = relayed - seat.turn_started_ms.take().unwrap_or(now);
                let reply = Msg::ExternalReply { conv, latency_ms };
                ctx.schedule(relayed - now, Layout::PLATFORM, reply);
                let epoch = seat.epoch;
                let silence = Msg::ExternalSilence { conv, epoch };
                ctx.schedule(relayed - now + ext.silence_ms, me, silence);
            }
            Msg::ExternalCustomerDone { conv } => self.done(conv, ctx),
            Msg::ExternalSilence { conv, epoch } => {
                if self
                    .seated
                    .get(&conv)
                    .is_some_and(|s| s.epoch == epoch && !s.replying)
                {
                    self.done(conv, ctx);
                }
            }
            _ => debug_assert!(false, "external actor got {msg:?}"),
        }
    }

    /// Seats waiting handovers while agents are free; each gets its first reply.
    fn seat_waiting<C: Context>(&mut self, ctx: &mut C) {
        let Some(ext) = self.spec.external.as_ref() else {
            return;
        };
        let now = ctx.now_ms();
        while self.free > 0
            && let Some((conv, since)) = self.waiting.pop_front()
        {
            self.free -= 1;
            self.seated.insert(
                conv,
                Seat {
                    handover_ms: now,
                    turn_started_ms: Some(since),
                    replying: true,
                    epoch: 0,
                },
            );
            ctx.send(Layout::PLATFORM, Msg::ExternalAnswered { conv });
            let reply_ms = ext.reply.sample_ms(ctx.rng(self.stream));
            let me = self.layout.external();
            ctx.schedule(reply_ms, me, Msg::ExternalReplyReady { conv });
        }
    }

    /// The external agent is done: the layer closes the conversation, or forgets to (CC-5).
    fn done<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(ext) = self.spec.external.as_ref() else {
            return;
        };
        let Some(seat) = self.seated.remove(&conv) else {
            return;
        };
        self.free += 1;
        let forgets: f64 = ctx.rng(self.stream).random();
        let forgot = forgets < ext.forget_close_share;
        let polls = ext.feed.polls(seat.handover_ms, ctx.now_ms());
        ctx.send(
            Layout::PLATFORM,
            Msg::ExternalDone {
                conv,
                forgot,
                polls,
            },
        );
        self.seat_waiting(ctx);
    }
}
