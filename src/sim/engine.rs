//! The discrete-event loop: virtual time, the pending-event set, dispatch.
//!
//! # Ordering guarantee
//!
//! Every event (a message sent now or one scheduled for later) gets a sequence number from one
//! counter when it is sent or scheduled. Events run in increasing order of
//! `(time_ms, sequence)`: earlier times first, and events due at the same instant in the order
//! they were sent or scheduled. A message sent "now" therefore runs after every event already
//! due at this instant and before anything sent after it. This is the whole contract; nothing
//! depends on the heap's internal order, on hashing or on threads, so a run is a pure function of
//! (scenario, seed, build).
//!
//! Messages sent with no delay skip the heap: they go to a FIFO of this instant, which holds
//! keys `(now, s1 < s2 < …)`. The next event is the smaller of the FIFO's front and the heap's
//! top, so the order above holds exactly, at the cost of one comparison instead of a heap
//! push and pop.
//!
//! # Cancellation
//!
//! Scheduled messages live in a slab; the heap holds only their keys and slab slots.
//! [`Scheduler::cancel`] marks the slot vacant (in an array of sequence numbers beside the slab,
//! so it touches 8 bytes, not the message), and the key is dropped when it reaches the front
//! (lazy deletion: no search through the heap). A [`TimerId`] carries its sequence number, so
//! cancelling a timer that already fired (its slot since reused) is a harmless no-op.
//!
//! Cancelled keys wait in the heap for their time. In a large centre (patience timers of
//! hours, cancelled at the answer) they were half of it, and the heap outgrew the caches. So
//! when they are more than a quarter of the pending keys, the heap is rebuilt without them and
//! their slots freed: O(n), once per n/4 cancellations, and the order of what remains is
//! unchanged (keys are unique).
//!
//! # Allocation
//!
//! The heap, the slab (with its free list) and the FIFO keep their allocations between events,
//! so the steady state allocates nothing per event.

use std::collections::VecDeque;

use super::event_queue::{Entry, EventQueue};
use super::pending_events::PendingEvents;

pub use crate::actors::TimerId;

/// Cancelled keys the heap may hold before it is worth rebuilding (below this, the heap fits
/// the caches whatever it holds).
const COMPACT_FROM: usize = 4096;

/// What a slot's sequence number is when no live message is in it (free, delivered or
/// cancelled).
const VACANT: u64 = u64::MAX;

/// The part of the engine that actors' contexts use: the clock (read-only) and the means to
/// send, schedule and cancel.
#[derive(Debug)]
pub struct Scheduler<M: Copy> {
    now_ms: u64,
    next_seq: u64,
    pending: PendingEvents<u32>,
    /// Scheduled messages by slot (their recipient is part of them: the world reads it there).
    /// A slot's message stays after it ran or was cancelled, unread, until the slot is reused:
    /// `slot_seq` says whether it is live, and not writing the slot back at every pop keeps its
    /// cache lines clean.
    slab: Vec<M>,
    /// Per slot, the sequence number of the live message in it, or [`VACANT`]. Apart from the
    /// messages so that cancelling, and skipping a cancelled key, reads 8 bytes rather than a
    /// whole message: in a large centre the slab outgrows the caches, this does not.
    slot_seq: Vec<u64>,
    free_slots: Vec<u32>,
    immediate: VecDeque<(u64, M)>,
    events_run: u64,
    /// Keys in `pending` whose message was cancelled.
    cancelled_pending: usize,
}

impl<M: Copy> Default for Scheduler<M> {
    fn default() -> Self {
        Self {
            now_ms: 0,
            next_seq: 0,
            pending: PendingEvents::with_capacity(1024),
            slab: Vec::with_capacity(1024),
            slot_seq: Vec::with_capacity(1024),
            free_slots: Vec::with_capacity(1024),
            immediate: VecDeque::with_capacity(64),
            events_run: 0,
            cancelled_pending: 0,
        }
    }
}

impl<M: Copy> Scheduler<M> {
    /// Current virtual time in ms since the scenario start.
    #[inline]
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Number of events dispatched so far (cancelled ones history).
    pub fn events_run(&self) -> u64 {
        self.events_run
    }

    /// Number of events waiting (including cancelled ones not yet reached).
    pub fn pending_len(&self) -> usize {
        self.pending.len() + self.immediate.len()
    }

    #[inline]
    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Delivers `msg` at the current instant, after everything already due now.
    #[inline]
    pub fn send(&mut self, msg: M) {
        let seq = self.take_seq();
        self.immediate.push_back((seq, msg));
    }

    /// Delivers `msg` after `delay_ms` (0: at this instant, in sequence order); the returned
    /// id can cancel it.
    #[inline]
    pub fn schedule(&mut self, delay_ms: u64, msg: M) -> TimerId {
        let seq = self.take_seq();
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                self.slab[slot as usize] = msg;
                self.slot_seq[slot as usize] = seq;
                slot
            }
            None => {
                self.slab.push(msg);
                self.slot_seq.push(seq);
                (self.slab.len() - 1) as u32
            }
        };
        self.pending.push(Entry {
            time_ms: self.now_ms.saturating_add(delay_ms),
            seq,
            payload: slot,
        });
        TimerId { seq, slot }
    }

    /// Cancels a scheduled message; a no-op if it already fired.
    #[inline]
    pub fn cancel(&mut self, timer: TimerId) {
        if let Some(seq) = self.slot_seq.get_mut(timer.slot as usize)
            && *seq == timer.seq
        {
            *seq = VACANT;
            self.cancelled_pending += 1;
            if self.cancelled_pending > COMPACT_FROM
                && 4 * self.cancelled_pending > self.pending.len()
            {
                self.compact();
            }
        }
    }

    /// Drops the keys of cancelled messages from the heap and frees their slots.
    fn compact(&mut self) {
        let (slot_seq, free) = (&self.slot_seq, &mut self.free_slots);
        self.pending.retain(|e| {
            let live = slot_seq[e.payload as usize] == e.seq;
            if !live {
                free.push(e.payload);
            }
            live
        });
        self.cancelled_pending = 0;
    }

    /// The next event due no later than `end_ms`, advancing the clock to it.
    #[inline]
    fn next_event(&mut self, end_ms: u64) -> Option<M> {
        loop {
            let from_fifo = match (self.immediate.front(), self.pending.peek_key()) {
                (Some(&(seq, _)), Some(top)) => (self.now_ms, seq) < top,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return None,
            };
            if from_fifo {
                let (_, msg) = self.immediate.pop_front()?;
                self.events_run += 1;
                return Some(msg);
            }
            let (time_ms, _) = self.pending.peek_key()?;
            if time_ms > end_ms {
                return None;
            }
            let entry = self.pending.pop()?;
            let slot = entry.payload as usize;
            self.free_slots.push(entry.payload);
            if self.slot_seq[slot] != entry.seq {
                self.cancelled_pending -= 1;
                continue; // cancelled
            }
            self.slot_seq[slot] = VACANT;
            let msg = self.slab[slot];
            debug_assert!(entry.time_ms >= self.now_ms, "time never runs backwards");
            self.now_ms = entry.time_ms;
            self.events_run += 1;
            return Some(msg);
        }
    }
}

/// What the engine drives: a set of actors that handle messages.
pub trait World<M: Copy> {
    /// Hands `msg` to the actor it is for; the actor may send and schedule through `sched`.
    fn dispatch(&mut self, msg: M, sched: &mut Scheduler<M>);

    /// Every event due at `now_ms` has run and the clock is about to move on (or the run
    /// stops): the state an instant settles in, for invariants that hold only between instants.
    #[inline]
    fn settled(&mut self, _now_ms: u64) {}

    /// Whether the run may go on, asked once per instant after it settled: `false` stops the
    /// run there (a resource budget was hit).
    #[inline]
    fn keep_going(&self) -> bool {
        true
    }
}

/// The event loop.
#[derive(Debug)]
pub struct Engine<M: Copy> {
    sched: Scheduler<M>,
}

impl<M: Copy> Default for Engine<M> {
    fn default() -> Self {
        Self {
            sched: Scheduler::default(),
        }
    }
}

impl<M: Copy> Engine<M> {
    /// The scheduler, to seed the first events before [`Engine::run_until`].
    pub fn scheduler(&mut self) -> &mut Scheduler<M> {
        &mut self.sched
    }

    /// Runs every event due at or before `end_ms`, in (time, sequence) order, then sets the
    /// clock to `end_ms`. Events due later stay pending.
    /// [`World::settled`] is called each time the clock is about to move past an instant at
    /// which something ran, and once at the end.
    pub fn run_until<W: World<M>>(&mut self, end_ms: u64, world: &mut W) {
        let mut instant_ms = self.sched.now_ms;
        while let Some(msg) = self.sched.next_event(end_ms) {
            // `next_event` moved the clock but this event has not run yet: what the world
            // holds is still the previous instant's settled state.
            if self.sched.now_ms != instant_ms {
                world.settled(instant_ms);
                if !world.keep_going() {
                    // The event taken is dropped with the rest: the run ends at the instant
                    // that settled.
                    self.sched.now_ms = instant_ms;
                    return;
                }
                instant_ms = self.sched.now_ms;
            }
            world.dispatch(msg, &mut self.sched);
        }
        world.settled(instant_ms);
        self.sched.now_ms = self.sched.now_ms.max(end_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Log(Vec<(u64, u32)>);

    impl World<u32> for Log {
        fn dispatch(&mut self, msg: u32, sched: &mut Scheduler<u32>) {
            self.0.push((sched.now_ms(), msg));
            // Message 1 at t=10 sends 100 now and schedules 101 for t=10 (delay 0) and 102 later.
            if msg == 1 {
                sched.send(100);
                sched.schedule(0, 101);
                sched.schedule(5, 102);
            }
        }
    }

    #[test]
    fn cancelled_timers_are_dropped_from_the_heap_and_the_rest_run_in_order() {
        let mut engine = Engine::default();
        let s = engine.scheduler();
        // 10,000 timers at scattered times (some at the same instant); cancel all but every
        // seventh: the heap is rebuilt without them long before they would surface.
        let ids: Vec<(TimerId, u64, u32)> = (0..10_000u32)
            .map(|k| {
                let at = u64::from(k * 7919 % 5000);
                (s.schedule(at, k), at, k)
            })
            .collect();
        for (id, _, k) in &ids {
            if k % 7 != 0 {
                s.cancel(*id);
            }
        }
        assert!(
            s.pending.len() < 10_000 / 2,
            "compacted: {} keys left",
            s.pending.len()
        );
        // Cancelling again, or a timer whose slot was freed, changes nothing.
        s.cancel(ids[1].0);
        let mut want: Vec<(u64, u32)> = ids
            .iter()
            .filter(|(_, _, k)| k % 7 == 0)
            .map(|&(_, at, k)| (at, k))
            .collect();
        // (time, scheduling order): k is the scheduling order.
        want.sort_unstable();
        let mut log = Log::default();
        engine.run_until(10_000, &mut log);
        assert_eq!(log.0, want);
    }

    #[test]
    fn same_instant_events_run_in_scheduling_order() {
        let mut engine = Engine::default();
        let s = engine.scheduler();
        s.schedule(10, 1);
        s.schedule(10, 2);
        s.schedule(5, 3);
        s.schedule(15, 4);
        let mut log = Log::default();
        engine.run_until(100, &mut log);
        let order: Vec<u32> = log.0.iter().map(|e| e.1).collect();
        // 2 was scheduled before 1 sent 100 and 101, so it runs first at t=10; 102 is due at 15,
        // scheduled after 4, so it runs after 4.
        assert_eq!(order, vec![3, 1, 2, 100, 101, 4, 102]);
        assert_eq!(log.0[5].0, 15);
        assert_eq!(log.0[6].0, 15);
    }

    #[test]
    fn cancelled_events_never_run_and_later_ones_stay_pending() {
        let mut engine = Engine::default();
        let s = engine.scheduler();
        let t = s.schedule(10, 7);
        s.schedule(20, 8);
        s.schedule(200, 9);
        s.cancel(t);
        let mut log = Log::default();
        engine.run_until(100, &mut log);
        assert_eq!(log.0, vec![(20, 8)]);
        assert_eq!(engine.scheduler().now_ms(), 100);
        assert_eq!(engine.scheduler().pending_len(), 1);
    }

    #[test]
    fn cancelling_a_fired_timer_does_not_touch_the_timer_that_reused_its_slot() {
        let mut engine = Engine::default();
        let fired = engine.scheduler().schedule(5, 1);
        let mut log = Log::default();
        engine.run_until(10, &mut log);
        // Message 1 scheduled 102 (and sent 100, 101): 102 reuses the freed slot.
        engine.scheduler().cancel(fired);
        engine.run_until(100, &mut log);
        let order: Vec<u32> = log.0.iter().map(|e| e.1).collect();
        assert_eq!(order, vec![1, 100, 101, 102]);
    }
}
