//! Arrivals: the segments' arrival processes (one unit-exponential draw per customer, see
//! `model::arrival_rate`), or the rows of a replayed trace; and what a customer brings when it
//! arrives — patience, attributes, identity, the plan of its conversation.

use crate::actors::CustomerMsg;
use crate::model::ids::SegmentIx;
use std::sync::Arc;

use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1};

use super::Customers;
use crate::actors::{Context, Layout, ONE_TIME_CUSTOMER, RETURNING_UNNAMED};
use crate::model::centre::{AttrDraw, MAX_SEGMENT_ATTRIBUTES, NO_VALUE};
use crate::model::trace::TraceRow;

impl Customers {
    /// A boxed generator holding `rng`, in a spare box if there is one.
    fn boxed_rng(&mut self, rng: ChaCha8Rng) -> Box<ChaCha8Rng> {
        match self.spare_rngs.pop() {
            Some(mut spare) => {
                *spare = rng;
                spare
            }
            None => Box::new(rng),
        }
    }

    /// Schedules trace row `row`, if there is one.
    pub(super) fn schedule_trace_row<C: Context>(&mut self, row: u32, ctx: &mut C) {
        let Some(trace) = &self.spec.trace else {
            return;
        };
        if let Some(r) = trace.rows.get(row as usize) {
            let delay = r.at_ms.saturating_sub(ctx.now_ms());
            ctx.schedule(delay, CustomerMsg::TraceArrival { row });
        }
    }

    /// Schedules the next customer of `segment`, unless it falls past the horizon.
    pub(super) fn schedule_next_arrival<C: Context>(&mut self, segment: SegmentIx, ctx: &mut C) {
        let unit_exp: f64 = Exp1.sample(ctx.rng(Layout::arrival_stream(segment.0)));
        let spec = &self.spec;
        let next = self.cursors[segment.index()].next_arrival_ms(
            &spec.segments[segment.index()].rate,
            &spec.calendar,
            unit_exp,
            spec.horizon_ms,
        );
        if let Some(at_ms) = next {
            let delay = at_ms.saturating_sub(ctx.now_ms());
            ctx.schedule(delay, CustomerMsg::NextArrival { segment });
        }
    }

    /// A customer of `segment` arrives: drawn, or as trace row `replayed` says (what the row
    /// leaves open is drawn the same way).
    pub(super) fn arrive<C: Context>(
        &mut self,
        segment: SegmentIx,
        replayed: Option<&TraceRow>,
        ctx: &mut C,
    ) {
        let conv = self.open_slot();
        let seg = &self.spec.segments[segment.index()];
        let drawn_patience_ms = seg
            .patience
            .as_ref()
            .map(|d| d.sample_ms(ctx.rng(Layout::patience_stream(segment.0))));
        let patience_ms = match replayed {
            Some(r) => r.patience.resolve(drawn_patience_ms),
            None => drawn_patience_ms,
        };
        let mut draw: AttrDraw = [NO_VALUE; MAX_SEGMENT_ATTRIBUTES];
        match replayed {
            Some(r) => draw = r.draw,
            None => {
                for (k, attribute) in seg.attributes.iter().enumerate() {
                    let uniform: f64 = ctx.rng(Layout::attribute_stream(segment.0)).random();
                    draw[k] = attribute.draw(uniform);
                }
            }
        }
        // Who arrives: the trace's sender; one of the segment's population (who may have been
        // here before); or a new person.
        let customer = match (replayed.and_then(|r| r.customer), seg.population) {
            (Some(sender), _) => sender,
            (None, population) => match population {
                Some(n) => {
                    let k = ctx.rng(Layout::identity_stream(segment.0)).next_u64() % n;
                    (u64::from(segment.0) << 40) | k
                }
                // Without a population, a customer returns only by coming back to its own
                // conversation (so it keeps an id the sticky agent can find).
                None if seg
                    .behaviour
                    .as_ref()
                    .is_some_and(|b| b.come_back.is_some()) =>
                {
                    RETURNING_UNNAMED | self.arrivals
                }
                None => ONE_TIME_CUSTOMER | self.arrivals,
            },
        };
        if let Some(behaviour) = &seg.behaviour {
            let met_bot = self.met_bot.contains(&customer);
            let seed = ctx.rng(Layout::conversation_stream(segment.0)).next_u64();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            // Drawn even when the trace gives the count, so the rest of the conversation's
            // draws are the same either way.
            let drawn_exchanges = behaviour.exchanges.sample(&mut rng);
            let exchanges = replayed
                .and_then(|r| r.exchanges)
                .unwrap_or(drawn_exchanges)
                .max(1);
            let burst = behaviour.burst_messages.sample(&mut rng).max(1);
            let spec = Arc::clone(&self.spec);
            let rng = self.boxed_rng(rng);
            let slot = self.slot_mut(conv).expect("just opened");
            slot.exchanges_left = exchanges - 1;
            slot.burst = burst;
            slot.rng = Some(rng);
            slot.segment = segment;
            slot.draw = draw;
            Self::plan_bot(&spec, slot, met_bot);
            Self::score_messages(&spec, slot, burst);
            self.remember_bot(conv, customer);
        }
        self.arrivals += 1;
        self.open_conversation(conv, segment, customer, draw, patience_ms, false, ctx);
        self.wait_for_bot(conv, ctx);
    }
}
