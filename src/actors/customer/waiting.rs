//! A customer in a waiting line: where it waits (routed there, put back there after an
//! assignment, or moved up by a new priority) and its patience, which runs from each time it
//! starts waiting for an answer until an agent takes the conversation; when it runs out first,
//! the customer asks its queue to let it go (the queue decides, as an agent may have taken it
//! at that very instant).

use crate::actors::{Context, ConvId, Metric, Msg, PlatformMsg, QueueMsg};
use crate::model::ids::QueueIx;
use crate::model::priority::LineKey;

use super::{CustomerMsg, Customers, Phase};

impl Customers {
    /// The platform put the conversation in `queue` at `key`: the customer waits for a human,
    /// with its patience.
    pub(super) fn routed<C: Context>(
        &mut self,
        conv: ConvId,
        queue: QueueIx,
        key: LineKey,
        ctx: &mut C,
    ) {
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        slot.waiting_in = Some((queue, key));
        slot.queue = queue;
        if slot.phase == Phase::WithBot {
            // Handed over: now the customer waits for a human.
            slot.phase = Phase::Waiting;
        }
        if slot.rng.is_some() {
            let messages = slot.burst;
            ctx.record(Metric::CustomerMessages {
                conv,
                queue: queue.0,
                messages,
            });
        }
        self.start_patience(conv, ctx);
    }

    /// The conversation went back to `queue` at `key` after an assignment (moved there
    /// unassigned, AA-11, or unassigned and put back).
    pub(super) fn requeued<C: Context>(
        &mut self,
        conv: ConvId,
        queue: QueueIx,
        key: LineKey,
        ctx: &mut C,
    ) {
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        slot.waiting_in = Some((queue, key));
        slot.queue = queue;
        match slot.phase {
            // Satisfied or silent: it waits for nothing, so it cannot give up.
            Phase::Solved | Phase::Silent => slot.in_line = true,
            _ => {
                // Back to waiting for an answer, with the patience it had: its own, drawn once
                // at arrival, so the segment's patience stream gives every later customer the
                // same patience as before.
                slot.phase = Phase::Waiting;
                self.start_patience(conv, ctx);
            }
        }
    }

    /// The conversation's place in line changed (a new priority).
    pub(super) fn rekeyed(&mut self, conv: ConvId, key: LineKey) {
        if let Some(slot) = self.slot_mut(conv)
            && let Some((queue, _)) = slot.waiting_in
        {
            slot.waiting_in = Some((queue, key));
        }
    }

    /// Starts the customer's patience timer, if it has patience (it runs until an answer).
    pub(super) fn start_patience<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        // The patience the customer had with the bot ends: it starts again in the queue.
        if let Some(timer) = self.slot_mut(conv).and_then(|s| s.patience_timer.take()) {
            ctx.cancel(timer);
        }
        let Some(patience_ms) = self.slot_mut(conv).and_then(|s| s.patience_ms) else {
            return;
        };
        let timer = ctx.schedule(patience_ms, CustomerMsg::PatienceExpired { conv });
        if let Some(slot) = self.slot_mut(conv) {
            slot.patience_timer = Some(timer);
        }
    }

    /// The patience timer fired.
    pub(super) fn patience_expired<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        // The timer fired, so forget it; the queue decides whether the customer was still
        // waiting (an agent may have taken it at this very instant).
        let Some(slot) = self.slot_mut(conv) else {
            return;
        };
        slot.patience_timer = None;
        if slot.phase == Phase::WithBot {
            // Nothing from the bot yet: the customer leaves.
            ctx.send(PlatformMsg::CustomerLeft { conv });
            self.close_slot(conv, ctx);
        } else if let (Some((queue, key)), Phase::Waiting) = (slot.waiting_in, slot.phase) {
            ctx.send(Msg::Queue(queue, QueueMsg::Abandon { conv, key }));
        }
    }
}
