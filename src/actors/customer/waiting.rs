//! A customer in a waiting line: where it waits (routed there, put back there after an
//! assignment, or moved up by a new priority) and its patience, which runs from each time it
//! starts waiting for an answer until an agent takes the conversation; when it runs out first,
//! the customer asks its queue to let it go (the queue decides, as an agent may have taken it
//! at that very instant).

use crate::actors::{Context, ConvId, Metric, Msg, PlatformMsg, QueueMsg};
use crate::model::ids::QueueIx;
use crate::model::priority::LineKey;

use super::{CustomerMsg, Customers, Phase, Slot};

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
        let Some(slot) = self.waits_at(conv, queue, key) else {
            return;
        };
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
        let Some(slot) = self.waits_at(conv, queue, key) else {
            return;
        };
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

    /// Notes that `conv` waits in `queue` at `key`; its slot, if it is still open.
    fn waits_at(&mut self, conv: ConvId, queue: QueueIx, key: LineKey) -> Option<&mut Slot> {
        let slot = self.slot_mut(conv)?;
        slot.waiting_in = Some((queue, key));
        slot.queue = queue;
        Some(slot)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::testing::{Recorded, centre_of};
    use crate::model::ids::{AgentIx, SegmentIx};
    use crate::model::priority::Priority;

    /// WhatsApp threads of one exchange whose customers always come back into the Solved
    /// conversation a minute later; `patience` ends the arrival segment.
    fn customers(patience: &str) -> Customers {
        let text = format!(
            r#"name = "waiting-unit"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = {{ dist = "constant", value_s = 60 }}

[[queues]]
name = "sales"

[[queues]]
name = "billing"

[[agents]]
group = "team"
count = 1
queues = ["sales", "billing"]

[[arrivals]]
name = "wa"
queue = "sales"
channel = "wa"
rate_per_h = 10
conversation = {{ exchanges = {{ dist = "constant", value = 1 }}, think = {{ dist = "constant", value_s = 30 }}, come_back = {{ share = 1.0, after = {{ dist = "constant", value_s = 60 }} }} }}
{patience}
"#
        );
        Customers::new(centre_of(&text))
    }

    /// A customer arrives, is routed to sales and answered there; returns its conversation.
    fn answered_in_sales(c: &mut Customers, ctx: &mut Recorded) -> ConvId {
        c.handle(
            CustomerMsg::NextArrival {
                segment: SegmentIx(0),
            },
            ctx,
        );
        let conv = ctx
            .take_sent()
            .into_iter()
            .find_map(|m| match m {
                Msg::Platform(PlatformMsg::Inbound { conv, .. }) => Some(conv),
                _ => None,
            })
            .expect("the arrival goes to the platform");
        let key = LineKey::new(Priority::Normal, 0, 0);
        c.handle(
            CustomerMsg::Routed {
                conv,
                queue: QueueIx(0),
                key,
            },
            ctx,
        );
        c.handle(
            CustomerMsg::Answered {
                conv,
                agent: AgentIx(0),
                queue: QueueIx(0),
            },
            ctx,
        );
        conv
    }

    /// The patience timers scheduled so far.
    fn patience_timers(ctx: &Recorded) -> Vec<u64> {
        ctx.scheduled
            .iter()
            .filter(|(_, m)| matches!(m, Msg::Customers(CustomerMsg::PatienceExpired { .. })))
            .map(|(delay_ms, _)| *delay_ms)
            .collect()
    }

    /// Its place in billing's line: another than in sales' (the line keeps its own order).
    const BILLING_KEY: LineKey = LineKey {
        priority: std::cmp::Reverse(Priority::High),
        created_ms: 5_000,
        arrival_seq: 7,
    };

    #[test]
    fn aa_11_moved_while_talking_the_customer_waits_in_the_new_line_with_its_patience() {
        let mut c = customers("patience = { dist = \"constant\", value_s = 300 }");
        let mut ctx = Recorded::default();
        let conv = answered_in_sales(&mut c, &mut ctx);
        assert_eq!(patience_timers(&ctx), vec![300_000], "in sales' line");
        c.handle(
            CustomerMsg::Requeued {
                conv,
                queue: QueueIx(1),
                key: BILLING_KEY,
            },
            &mut ctx,
        );
        assert_eq!(
            patience_timers(&ctx),
            vec![300_000, 300_000],
            "again in billing's"
        );
        ctx.take_sent();
        c.handle(CustomerMsg::PatienceExpired { conv }, &mut ctx);
        let abandon = Msg::Queue(
            QueueIx(1),
            QueueMsg::Abandon {
                conv,
                key: BILLING_KEY,
            },
        );
        assert_eq!(ctx.take_sent(), vec![abandon], "it leaves billing's line");
    }

    #[test]
    fn aa_11_a_customer_without_patience_or_one_satisfied_waits_for_nothing_until_it_writes() {
        // Without patience, nobody gives up anywhere.
        let mut c = customers("");
        let mut ctx = Recorded::default();
        let conv = answered_in_sales(&mut c, &mut ctx);
        let requeued = CustomerMsg::Requeued {
            conv,
            queue: QueueIx(1),
            key: BILLING_KEY,
        };
        c.handle(requeued, &mut ctx);
        assert!(patience_timers(&ctx).is_empty());

        // Satisfied, then moved: it waits for no answer, so no patience runs; when it comes
        // back with a new question while still in line, it does wait, with its patience.
        let mut c = customers("patience = { dist = \"constant\", value_s = 300 }");
        let mut ctx = Recorded::default();
        let conv = answered_in_sales(&mut c, &mut ctx);
        c.handle(CustomerMsg::AgentReplied { conv }, &mut ctx);
        let requeued = CustomerMsg::Requeued {
            conv,
            queue: QueueIx(1),
            key: BILLING_KEY,
        };
        c.handle(requeued, &mut ctx);
        assert_eq!(patience_timers(&ctx), vec![300_000], "only sales' line's");
        c.handle(CustomerMsg::PatienceExpired { conv }, &mut ctx);
        assert!(
            !ctx.take_sent()
                .iter()
                .any(|m| matches!(m, Msg::Queue(_, QueueMsg::Abandon { .. }))),
            "a satisfied customer does not give up"
        );
        c.handle(CustomerMsg::CustomerWrites { conv }, &mut ctx);
        assert_eq!(patience_timers(&ctx), vec![300_000, 300_000]);
    }
}
