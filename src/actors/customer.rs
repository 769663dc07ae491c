//! The customers: one arrival process per segment, and each waiting person's patience.
//!
//! Random draws come in a fixed order per segment: the k-th customer of a segment spends the
//! k-th draw of the segment's arrival stream, the k-th draw of its patience stream and the k-th
//! set of draws of its attribute stream, whatever the agents, queues or routing do. That keeps baseline and candidate runs draw-for-draw
//! comparable.
//!
//! Memory: one slot per open conversation, reused when the conversation ends.

use std::sync::Arc;

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

use super::{Context, ConvId, Layout, Metric, Msg, ONE_TIME_CUSTOMER, TimerId};
use crate::model::arrival_rate::ArrivalCursor;
use crate::model::centre::{AttrDraw, CentreSpec, MAX_SEGMENT_ATTRIBUTES, NO_VALUE};
use crate::model::priority::LineKey;

#[derive(Debug, Clone, Default)]
struct Slot {
    generation: u32,
    open: bool,
    /// Drawn at arrival; the timer starts when the platform says where the customer waits.
    patience_ms: Option<u64>,
    patience_timer: Option<TimerId>,
    /// Where the customer waits, once routed.
    waiting_in: Option<(u32, LineKey)>,
}

/// The customer actor.
#[derive(Debug)]
pub struct Customers {
    spec: Arc<CentreSpec>,
    layout: Layout,
    cursors: Vec<ArrivalCursor>,
    slots: Vec<Slot>,
    free_slots: Vec<u32>,
    arrivals: u64,
}

impl Customers {
    /// Customers of `spec`, none arrived yet.
    pub fn new(spec: Arc<CentreSpec>, layout: Layout) -> Self {
        Self {
            cursors: vec![ArrivalCursor::new(); spec.segments.len()],
            spec,
            layout,
            slots: Vec::new(),
            free_slots: Vec::new(),
            arrivals: 0,
        }
    }

    /// Schedules the first arrival of every segment. Call once at time 0.
    pub fn start<C: Context>(&mut self, ctx: &mut C) {
        for segment in 0..self.spec.segments.len() as u32 {
            self.schedule_next_arrival(segment, ctx);
        }
    }

    /// Conversations currently open.
    pub fn open_conversations(&self) -> usize {
        self.slots.len() - self.free_slots.len()
    }

    /// Conversation slots ever allocated: the peak number open at once (slots are reused), which
    /// bounds this actor's memory.
    pub fn slots_allocated(&self) -> usize {
        self.slots.len()
    }

    /// Customers arrived so far.
    pub fn arrivals(&self) -> u64 {
        self.arrivals
    }

    fn schedule_next_arrival<C: Context>(&mut self, segment: u32, ctx: &mut C) {
        let unit_exp: f64 = Exp1.sample(ctx.rng(Layout::arrival_stream(segment)));
        let spec = &self.spec;
        let next = self.cursors[segment as usize].next_arrival_ms(
            &spec.segments[segment as usize].rate,
            &spec.calendar,
            unit_exp,
            spec.horizon_ms,
        );
        if let Some(at_ms) = next {
            let delay = at_ms.saturating_sub(ctx.now_ms());
            ctx.schedule(delay, Layout::CUSTOMERS, Msg::NextArrival { segment });
        }
    }

    fn open_slot(&mut self) -> ConvId {
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot::default());
                (self.slots.len() - 1) as u32
            }
        };
        let s = &mut self.slots[slot as usize];
        s.generation = s.generation.wrapping_add(1);
        s.open = true;
        s.patience_ms = None;
        s.patience_timer = None;
        s.waiting_in = None;
        ConvId {
            slot,
            generation: s.generation,
        }
    }

    fn slot_mut(&mut self, conv: ConvId) -> Option<&mut Slot> {
        self.slots
            .get_mut(conv.slot as usize)
            .filter(|s| s.open && s.generation == conv.generation)
    }

    fn close_slot(&mut self, conv: ConvId) {
        if let Some(slot) = self.slot_mut(conv) {
            slot.open = false;
            self.free_slots.push(conv.slot);
        }
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::NextArrival { segment } => self.arrive(segment, ctx),
            Msg::Routed { conv, queue, key } => {
                let Some(slot) = self.slot_mut(conv) else {
                    return;
                };
                slot.waiting_in = Some((queue, key));
                if let Some(patience_ms) = slot.patience_ms {
                    let timer = ctx.schedule(
                        patience_ms,
                        Layout::CUSTOMERS,
                        Msg::PatienceExpired { conv },
                    );
                    if let Some(slot) = self.slot_mut(conv) {
                        slot.patience_timer = Some(timer);
                    }
                }
            }
            Msg::PatienceExpired { conv } => {
                // The timer fired, so forget it; the queue decides whether the customer was
                // still waiting (an agent may have taken it at this very instant).
                let Some(slot) = self.slot_mut(conv) else {
                    return;
                };
                slot.patience_timer = None;
                if let Some((queue, key)) = slot.waiting_in {
                    ctx.send(self.layout.queue(queue), Msg::Abandon { conv, key });
                }
            }
            Msg::Answered { conv } => {
                if let Some(slot) = self.slot_mut(conv)
                    && let Some(timer) = slot.patience_timer.take()
                {
                    ctx.cancel(timer);
                }
            }
            Msg::Left { conv } | Msg::Finished { conv } => self.close_slot(conv),
            _ => debug_assert!(false, "customer actor got {msg:?}"),
        }
    }

    fn arrive<C: Context>(&mut self, segment: u32, ctx: &mut C) {
        let now = ctx.now_ms();
        let conv = self.open_slot();
        let arrival_seq = self.arrivals;
        self.arrivals += 1;
        let seg = &self.spec.segments[segment as usize];
        let patience_ms = seg
            .patience
            .as_ref()
            .map(|d| d.sample_ms(ctx.rng(Layout::patience_stream(segment))));
        let mut draw: AttrDraw = [NO_VALUE; MAX_SEGMENT_ATTRIBUTES];
        for (k, attribute) in seg.attributes.iter().enumerate() {
            let uniform: f64 = ctx.rng(Layout::attribute_stream(segment)).random();
            draw[k] = attribute.draw(uniform);
        }
        ctx.record(Metric::Arrived {
            segment,
            arrived_ms: now,
            patience_ms,
        });
        // Who arrives: one of the segment's population (who may have been here before), or a
        // new person.
        let customer = match seg.population {
            Some(n) => {
                let k = ctx.rng(Layout::identity_stream(segment)).next_u64() % n;
                (u64::from(segment) << 40) | k
            }
            None => ONE_TIME_CUSTOMER | arrival_seq,
        };
        if let Some(slot) = self.slot_mut(conv) {
            slot.patience_ms = patience_ms;
        }
        let inbound = Msg::Inbound {
            conv,
            segment,
            arrival_seq,
            customer,
            draw,
        };
        ctx.send(Layout::PLATFORM, inbound);
        self.schedule_next_arrival(segment, ctx);
    }
}
