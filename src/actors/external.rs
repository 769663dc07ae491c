//! The external contact centre behind the translation layer (CC-1..6), as one actor: the layer
//! takes the bot's handovers into the external queue their routing context names (CC-3) and
//! reads each history (Get Messages, at most 1,000 messages in
//! pages, CC-2), seats the conversation with a free external agent (or queues it, first come
//! first served), forwards the customer's messages, relays the agents' replies (Create Message)
//! — at once when the centre pushes them, at the next poll when the layer polls (CC-6) — and,
//! when the agent is done, closes the conversation (Update Conversation), unless it forgets
//! (CC-5). The layer's platform calls are API calls ([`PlatformMsg::Api`]) whose results it reads:
//! each history page tells whether another is due.

use crate::actors::{ExternalMsg, PlatformMsg};
use crate::model::FastMap;
use std::collections::VecDeque;
use std::sync::Arc;

use rand::RngExt;

use super::{ApiAnswer, ApiCall, ApiCaller, Context, ConvId, Layout, Metric, StreamId};
use crate::model::centre::CentreSpec;
use crate::model::translation::read_next_page;

#[derive(Debug, Clone, Copy)]
struct Seat {
    /// The external queue it sits in (CC-3).
    queue: u16,
    handover_ms: u64,
    replying: bool,
    epoch: u32,
}

/// The translation layer and the external centre's agents.
#[derive(Debug)]
pub struct External {
    spec: Arc<CentreSpec>,
    stream: StreamId,
    /// Free seats by external queue (CC-3).
    free: Vec<u32>,
    /// Handovers waiting for an agent, by external queue, first come first served.
    waiting: Vec<VecDeque<ConvId>>,
    seated: FastMap<ConvId, Seat>,
    /// Handovers whose history the layer is reading: their queue, messages read and pages
    /// asked for.
    reading: FastMap<ConvId, (u16, u32, u32)>,
}

impl External {
    /// The external centre of `spec` (idle when the centre has none).
    pub fn new(spec: Arc<CentreSpec>) -> Self {
        let stream = Layout::external_stream(spec.segments.len() as u32, spec.agents.len() as u32);
        let free: Vec<u32> = spec
            .external
            .as_ref()
            .map_or(Vec::new(), |e| e.queues.iter().map(|q| q.slots).collect());
        Self {
            spec,
            stream,
            waiting: vec![VecDeque::new(); free.len()],
            free,
            seated: FastMap::default(),
            reading: FastMap::default(),
        }
    }

    /// Calls the Conversations API `after_ms` from now.
    fn call<C: Context>(conv: ConvId, call: ApiCall, after_ms: u64, ctx: &mut C) {
        let caller = ApiCaller::Layer;
        ctx.schedule(after_ms, PlatformMsg::Api { conv, call, caller });
    }

    /// CC-2: asks for page `page` of the history.
    fn read_page<C: Context>(&mut self, conv: ConvId, page: u32, ctx: &mut C) {
        let limit = self.spec.external.as_ref().map_or(100, |e| e.history_page) as u32;
        Self::call(conv, ApiCall::GetMessages { page, limit }, 0, ctx);
    }

    /// Conversations its agents hold, and those waiting for one.
    pub fn load(&self) -> (usize, usize) {
        let waiting = self.waiting.iter().map(VecDeque::len).sum();
        (self.seated.len(), waiting)
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: ExternalMsg, ctx: &mut C) {
        let Some(ext) = self.spec.external.as_ref() else {
            debug_assert!(false, "external-centre message without one: {msg:?}");
            return;
        };
        let now = ctx.now_ms();
        match msg {
            ExternalMsg::Handover { conv, queue } => {
                self.reading.insert(conv, (queue, 0, 1));
                self.read_page(conv, 0, ctx);
            }
            ExternalMsg::ApiResult { conv, call, result } => {
                // Replies and closes: the platform counts a refusal; nothing to do differently.
                if let ApiCall::GetMessages { limit, .. } = call {
                    self.history_page(conv, limit, result, ctx);
                }
            }
            ExternalMsg::Inbound { conv } => {
                let Some(seat) = self.seated.get_mut(&conv) else {
                    return;
                };
                seat.epoch = seat.epoch.wrapping_add(1);
                if !seat.replying {
                    seat.replying = true;
                    let reply_ms = ext.reply.sample_ms(ctx.rng(self.stream));
                    ctx.schedule(reply_ms, ExternalMsg::ReplyReady { conv });
                }
            }
            ExternalMsg::ReplyReady { conv } => {
                let Some(seat) = self.seated.get_mut(&conv) else {
                    return;
                };
                seat.replying = false;
                // CC-6: the layer hears it at once (push) or at its next poll.
                let relayed = ext.feed.relayed_at(seat.handover_ms, now);
                // The layer writes it with Create Message as soon as it has it.
                let call = ApiCall::CreateMessage { chars: 80 };
                Self::call(conv, call, relayed - now, ctx);
                let epoch = seat.epoch;
                let silence = ExternalMsg::Silence { conv, epoch };
                ctx.schedule(relayed - now + ext.silence_ms, silence);
            }
            ExternalMsg::CustomerDone { conv } => self.done(conv, ctx),
            ExternalMsg::Silence { conv, epoch } => {
                if self
                    .seated
                    .get(&conv)
                    .is_some_and(|s| s.epoch == epoch && !s.replying)
                {
                    self.done(conv, ctx);
                }
            }
        }
    }

    /// CC-2: a page of the history came back: the next is asked for, or the conversation
    /// waits for an external agent with the history read.
    fn history_page<C: Context>(
        &mut self,
        conv: ConvId,
        limit: u32,
        result: Result<ApiAnswer, crate::model::platform_api::ApiErrorKind>,
        ctx: &mut C,
    ) {
        let Some((queue, read, calls)) = self.reading.get_mut(&conv) else {
            return;
        };
        let more = match result {
            Ok(ApiAnswer::Page { got, total }) => {
                *read += got;
                let (read, got) = (*read as usize, got as usize);
                read_next_page(read, got, limit as usize, total as usize)
            }
            // A refused read: the agent starts with what the layer has.
            _ => false,
        };
        if more {
            let page = *calls;
            *calls += 1;
            self.read_page(conv, page, ctx);
        } else {
            let (history_calls, queue) = (*calls, *queue);
            self.reading.remove(&conv);
            ctx.record(Metric::ExternalHandover {
                conv,
                history_calls,
                queue,
            });
            self.waiting[usize::from(queue)].push_back(conv);
            self.seat_waiting(queue, ctx);
        }
    }

    /// Seats the handovers waiting in `queue` while its agents are free; each gets its first
    /// reply.
    fn seat_waiting<C: Context>(&mut self, queue: u16, ctx: &mut C) {
        let Some(ext) = self.spec.external.as_ref() else {
            return;
        };
        let now = ctx.now_ms();
        let q = usize::from(queue);
        while self.free[q] > 0
            && let Some(conv) = self.waiting[q].pop_front()
        {
            self.free[q] -= 1;
            self.seated.insert(
                conv,
                Seat {
                    queue,
                    handover_ms: now,
                    replying: true,
                    epoch: 0,
                },
            );
            ctx.send(PlatformMsg::ExternalAnswered { conv });
            let reply_ms = ext.reply.sample_ms(ctx.rng(self.stream));
            ctx.schedule(reply_ms, ExternalMsg::ReplyReady { conv });
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
        self.free[usize::from(seat.queue)] += 1;
        let forgets: f64 = ctx.rng(self.stream).random();
        let forgot = forgets < ext.forget_close_share;
        let polls = ext.feed.polls(seat.handover_ms, ctx.now_ms());
        if !forgot {
            // CC-2: Update Conversation to CLOSED.
            Self::call(conv, ApiCall::Close, 0, ctx);
        }
        ctx.send(PlatformMsg::ExternalDone {
            conv,
            forgot,
            polls,
        });
        self.seat_waiting(seat.queue, ctx);
    }
}
