//! A monotone radix heap on event times: the engine's pending-event set once it is large.
//!
//! A discrete-event engine never schedules into the past: every event pushed is due no earlier
//! than the last one popped. A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) makes use of
//! exactly that. Events sit in buckets by the highest bit in which their time differs from the
//! last time popped: bucket 0 holds events due at that time, bucket `i` those whose time first
//! differs at bit `i - 1`. A push appends to the end of one bucket. A pop takes from bucket 0;
//! when it is empty, the lowest bucket that holds anything is dealt out, after its earliest time
//! became the last one: its events at that time go to bucket 0, the rest to lower buckets. An
//! event only ever moves down, so it is moved at most 64 times and in practice a few.
//!
//! Events due at one time pop in the order of their sequence numbers, so bucket 0 is kept
//! sorted by them. That is cheap: events of one time dealt out together are sorted once (most
//! often there is one), and the engine gives each new event a larger sequence number than every
//! other, so a push at the current time appends. The buckets go by time alone, not by
//! (time, sequence): with the sequence in the key, events of one time would be dealt down
//! through the buckets of the sequence's bits one pop at a time.
//!
//! Only a pop moves the last time. Each bucket keeps its smallest key as events are filed, so a
//! peek reads the front of bucket 0 or the smallest key of the lowest bucket, and dealing a
//! bucket out is one pass over it. Between the engine's peek and its pop, an event at this
//! instant may schedule one due before every event held; it is filed like any other.
//!
//! Against a binary or 4-ary heap, nothing is sifted: a push writes to the end of a vector
//! and a pop deals one bucket front to back. In a large centre the pending set is tens of
//! thousands of events, beyond the first caches, where a heap's sift touches a line per level
//! on a path nobody can predict (figures in docs/performance.md).
//!
//! An event is dealt down once per bucket it passes through, about as many times as its delay
//! has bits (a patience timer of an hour, some twenty). So entries stay small (the engine's
//! holds a slab slot, not its message): carrying a 104-byte message in each entry was tried
//! and made two days of the large centre miss the last-level cache 34 % more often than the
//! one slab read per event it saved.
//!
//! The order is total and the same as the heaps' of [`super::event_queue`] (keys are unique),
//! which the tests check. The engine uses it only once the set is large
//! ([`super::pending_events`]).

use std::collections::VecDeque;

use super::event_queue::{Entry, EventQueue};

/// Buckets: one for events at the last time popped, one per bit of a 64-bit time.
const BUCKETS: usize = 65;

/// The `least` of an empty bucket.
const NONE: (u64, u64) = (u64::MAX, u64::MAX);

/// Monotone min radix heap; see the module docs.
#[derive(Debug, Clone)]
pub struct RadixHeap<T: Copy> {
    /// Events due at `last_ms`, by sequence number.
    now: VecDeque<Entry<T>>,
    /// Bucket `i` (index `i - 1`): events whose time first differs from `last_ms` at bit
    /// `i - 1`.
    buckets: Vec<Vec<Entry<T>>>,
    /// Per bucket of `buckets`, the smallest (time, seq) it holds (`(u64::MAX, u64::MAX)`
    /// when empty), kept as events are filed: a peek, and a deal's new last time, need no
    /// pass over the bucket.
    least: [(u64, u64); BUCKETS - 1],
    /// Which of buckets 1..=64 hold anything (bit `i - 1` for bucket `i`).
    occupied: u64,
    /// The last time popped: every event held is due at it or later.
    last_ms: u64,
    len: usize,
}

impl<T: Copy> Default for RadixHeap<T> {
    fn default() -> Self {
        Self {
            now: VecDeque::new(),
            buckets: (1..BUCKETS).map(|_| Vec::new()).collect(),
            least: [NONE; BUCKETS - 1],
            occupied: 0,
            last_ms: 0,
            len: 0,
        }
    }
}

impl<T: Copy> RadixHeap<T> {
    /// Files an event due after `last_ms` in its bucket.
    #[inline]
    fn put_later(&mut self, entry: Entry<T>) {
        let bit = 63 - (entry.time_ms ^ self.last_ms).leading_zeros();
        let key = (entry.time_ms, entry.seq);
        let least = &mut self.least[bit as usize];
        if key < *least {
            *least = key;
        }
        self.buckets[bit as usize].push(entry);
        self.occupied |= 1 << bit;
    }

    /// Files an event due at `last_ms` in sequence order (the engine's always goes last).
    #[inline]
    fn put_now(&mut self, entry: Entry<T>) {
        match self.now.back() {
            Some(back) if back.seq > entry.seq => {
                let at = self.now.partition_point(|e| e.seq < entry.seq);
                self.now.insert(at, entry);
            }
            _ => self.now.push_back(entry),
        }
    }

    /// The earliest key held.
    #[inline]
    fn smallest(&self) -> Option<(u64, u64)> {
        if let Some(front) = self.now.front() {
            return Some((front.time_ms, front.seq));
        }
        if self.occupied == 0 {
            return None;
        }
        Some(self.least[self.occupied.trailing_zeros() as usize])
    }

    /// When nothing is due at the last time, makes the earliest time held the last one and
    /// deals its bucket out: the events due then to `now`, in sequence order, the rest lower.
    #[inline]
    fn settle(&mut self) {
        if !self.now.is_empty() || self.occupied == 0 {
            return;
        }
        let b = self.occupied.trailing_zeros() as usize;
        let (earliest_ms, _) = std::mem::replace(&mut self.least[b], NONE);
        self.occupied &= !(1 << b);
        self.last_ms = earliest_ms;
        let mut dealt = std::mem::take(&mut self.buckets[b]);
        for entry in dealt.drain(..) {
            if entry.time_ms == earliest_ms {
                self.now.push_back(entry);
            } else {
                // Every time here shares its bits above `b` with the new last time, so it
                // lands below `b`.
                self.put_later(entry);
            }
        }
        if self.now.len() > 1 {
            self.now.make_contiguous().sort_unstable_by_key(|e| e.seq);
        }
        // Keep the emptied vector's room for the next events of this bucket.
        self.buckets[b] = dealt;
    }

    /// Keeps only the entries `keep` says to. Buckets stay as they are: removing events does
    /// not change where the others belong.
    pub fn retain(&mut self, mut keep: impl FnMut(&Entry<T>) -> bool) {
        self.now.retain(&mut keep);
        let mut len = self.now.len();
        let mut occupied = 0;
        for (b, bucket) in self.buckets.iter_mut().enumerate() {
            bucket.retain(&mut keep);
            len += bucket.len();
            self.least[b] = bucket
                .iter()
                .map(|e| (e.time_ms, e.seq))
                .min()
                .unwrap_or(NONE);
            if !bucket.is_empty() {
                occupied |= 1 << b;
            }
        }
        self.len = len;
        self.occupied = occupied;
    }
}

impl<T: Copy> EventQueue<T> for RadixHeap<T> {
    /// Adds an event; it must not be due before the last one popped (the engine never
    /// schedules into the past).
    #[inline]
    fn push(&mut self, entry: Entry<T>) {
        debug_assert!(entry.time_ms >= self.last_ms, "a radix heap is monotone");
        if entry.time_ms == self.last_ms {
            self.put_now(entry);
        } else {
            self.put_later(entry);
        }
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<T>> {
        self.settle();
        let entry = self.now.pop_front()?;
        self.len -= 1;
        Some(entry)
    }

    #[inline]
    fn peek_key(&mut self) -> Option<(u64, u64)> {
        self.smallest()
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        self.now.clear();
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        self.least = [NONE; BUCKETS - 1];
        self.occupied = 0;
        self.last_ms = 0;
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::event_queue::DaryHeap;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The engine's use: pushes at or after the last pop, pops, peeks, and now and then a
    /// retain; the radix heap must answer exactly as the 4-ary heap at every step.
    #[test]
    fn pops_what_the_dary_heap_pops_under_the_engines_use() {
        for seed in 0..20 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut radix = RadixHeap::default();
            let mut dary = DaryHeap::default();
            let (mut now, mut seq) = (0u64, 0u64);
            for step in 0..20_000u32 {
                match rng.next_u64() % 10 {
                    0..=4 => {
                        // Delays from none to hours, so keys spread over many buckets.
                        let delay = match rng.next_u64() % 4 {
                            0 => 0,
                            1 => rng.next_u64() % 1_000,
                            2 => rng.next_u64() % 3_600_000,
                            _ => rng.next_u64() % (1 << 40),
                        };
                        let e = Entry {
                            time_ms: now + delay,
                            seq,
                            payload: step,
                        };
                        seq += 1;
                        radix.push(e);
                        dary.push(e);
                    }
                    5 => {
                        // The engine peeks, then an event at this instant may schedule one
                        // due before everything held.
                        assert_eq!(radix.peek_key(), dary.peek_key(), "seed {seed}");
                        let e = Entry {
                            time_ms: now,
                            seq,
                            payload: step,
                        };
                        seq += 1;
                        radix.push(e);
                        dary.push(e);
                    }
                    6..=8 => {
                        assert_eq!(radix.peek_key(), dary.peek_key(), "seed {seed}");
                        let (a, b) = (radix.pop(), dary.pop());
                        assert_eq!(a, b, "seed {seed} step {step}");
                        if let Some(e) = a {
                            now = e.time_ms;
                        }
                    }
                    _ => {
                        let m = 2 + rng.next_u64() % 5;
                        radix.retain(|e| u64::from(e.payload) % m != 0);
                        dary.retain(|e| u64::from(e.payload) % m != 0);
                    }
                }
                assert_eq!(radix.len(), dary.len());
            }
            while let Some(e) = dary.pop() {
                assert_eq!(radix.pop(), Some(e));
            }
            assert!(radix.is_empty());
            assert_eq!(radix.pop(), None);
        }
    }

    #[test]
    fn keys_at_one_instant_pop_in_sequence_order_and_clear_forgets_the_last_key() {
        let mut radix = RadixHeap::default();
        for seq in [5u64, 1, 9, 3] {
            radix.push(Entry {
                time_ms: 10,
                seq,
                payload: (),
            });
        }
        let order: Vec<u64> = std::iter::from_fn(|| radix.pop().map(|e| e.seq)).collect();
        assert_eq!(order, vec![1, 3, 5, 9]);
        radix.clear();
        // After clear the heap starts over: an earlier key is fine again.
        radix.push(Entry {
            time_ms: 0,
            seq: 0,
            payload: (),
        });
        assert_eq!(radix.peek_key(), Some((0, 0)));
    }
}
