//! A monotone radix heap on (time, sequence): the engine's pending-event set.
//!
//! A discrete-event engine never schedules into the past: every key pushed is larger than the
//! last key popped (a later time, or the same time with a larger sequence number). A radix
//! heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) makes use of exactly that. Keys sit in
//! buckets by the highest bit in which they differ from the last key popped: bucket 0 holds
//! keys equal to it, bucket `i` keys that first differ at bit `i - 1`. A push appends to the
//! end of one bucket. A pop takes the lowest bucket that holds anything, finds its smallest key,
//! makes that the new last key and deals the bucket out to lower buckets; a key only ever
//! moves down, so it is moved at most 128 times and in practice a few.
//!
//! Only a pop moves the last key. A peek finds the smallest key (the smallest of the lowest
//! bucket) and keeps it until a push brings a smaller one or a pop takes it: between the
//! engine's peek and its pop, an event at this instant may schedule one due before every key
//! held, and that key must still be allowed in.
//!
//! Against a binary or 4-ary heap, nothing is sifted: a push writes to the end of a vector
//! and a pop scans one bucket front to back. In a large centre the pending set is tens of
//! thousands of events, beyond the first caches, where a heap's sift touches a line per level
//! on a path nobody can predict (figures in docs/performance.md).
//!
//! Keys are unique (the sequence number is), so after dealing out, bucket 0 holds exactly one
//! entry, the smallest, and the order is total: the same as the heaps' of
//! [`super::event_queue`], which the tests check. The engine uses it only once the set is large
//! ([`super::pending_events`]).

use super::event_queue::{Entry, EventQueue};

/// Buckets: one for keys equal to the last popped, one per bit of a 128-bit key.
const BUCKETS: usize = 129;

/// (time, seq) as one integer.
#[inline]
fn pack(time_ms: u64, seq: u64) -> u128 {
    (u128::from(time_ms) << 64) | u128::from(seq)
}

#[derive(Debug, Clone, Copy)]
struct Keyed<T: Copy> {
    key: u128,
    payload: T,
}

/// Monotone min radix heap; see the module docs.
#[derive(Debug, Clone)]
pub struct RadixHeap<T: Copy> {
    buckets: Vec<Vec<Keyed<T>>>,
    /// Which of buckets 1..=128 hold anything (bit `i - 1` for bucket `i`).
    occupied: u128,
    /// The last key popped: every key held is larger (or equal, before the first pop).
    last: u128,
    /// The smallest key held, once a peek found it.
    smallest: Option<u128>,
    len: usize,
}

impl<T: Copy> Default for RadixHeap<T> {
    fn default() -> Self {
        Self {
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            occupied: 0,
            last: 0,
            smallest: None,
            len: 0,
        }
    }
}

impl<T: Copy> RadixHeap<T> {
    /// The bucket of `key`, given the last key popped.
    #[inline]
    fn bucket_of(&self, key: u128) -> usize {
        (128 - (key ^ self.last).leading_zeros()) as usize
    }

    #[inline]
    fn put(&mut self, item: Keyed<T>) {
        let b = self.bucket_of(item.key);
        self.buckets[b].push(item);
        if b > 0 {
            self.occupied |= 1 << (b - 1);
        }
    }

    /// The lowest bucket holding anything: its smallest key is the smallest of all (every key
    /// of bucket `i` is below every key of bucket `i + 1`).
    #[inline]
    fn lowest(&self) -> Option<usize> {
        if !self.buckets[0].is_empty() {
            return Some(0);
        }
        (self.occupied != 0).then(|| self.occupied.trailing_zeros() as usize + 1)
    }

    /// The smallest key held, found (and kept) if need be.
    #[inline]
    fn smallest(&mut self) -> Option<u128> {
        if self.smallest.is_none() {
            let b = self.lowest()?;
            self.smallest = self.buckets[b].iter().map(|k| k.key).min();
        }
        self.smallest
    }

    /// Makes the smallest key the last one and deals its bucket out, so that bucket 0 holds
    /// it alone (keys are unique).
    #[inline]
    fn settle(&mut self) {
        let Some(b) = self.lowest() else { return };
        if b == 0 {
            return;
        }
        let Some(smallest) = self.smallest() else {
            return;
        };
        self.occupied &= !(1 << (b - 1));
        let mut dealt = std::mem::take(&mut self.buckets[b]);
        self.last = smallest;
        for item in dealt.drain(..) {
            // Every key here shares its bits above `b - 1` with the new last key, so it lands
            // below `b`.
            self.put(item);
        }
        // Keep the emptied vector's room for the next keys of this bucket.
        self.buckets[b] = dealt;
    }

    /// Keeps only the entries `keep` says to. Buckets stay as they are: removing keys does
    /// not change where the others belong.
    pub fn retain(&mut self, mut keep: impl FnMut(&Entry<T>) -> bool) {
        let mut len = 0;
        let mut occupied = 0;
        for (b, bucket) in self.buckets.iter_mut().enumerate() {
            bucket.retain(|k| keep(&entry_of(*k)));
            len += bucket.len();
            if b > 0 && !bucket.is_empty() {
                occupied |= 1 << (b - 1);
            }
        }
        self.len = len;
        self.occupied = occupied;
        self.smallest = None;
    }
}

#[inline]
fn entry_of<T: Copy>(k: Keyed<T>) -> Entry<T> {
    Entry {
        time_ms: (k.key >> 64) as u64,
        seq: k.key as u64,
        payload: k.payload,
    }
}

impl<T: Copy> EventQueue<T> for RadixHeap<T> {
    /// Adds an event; its key must not be smaller than the last one popped (the engine never
    /// schedules into the past).
    #[inline]
    fn push(&mut self, entry: Entry<T>) {
        let key = pack(entry.time_ms, entry.seq);
        debug_assert!(key >= self.last, "a radix heap is monotone");
        if self.smallest.is_some_and(|s| key < s) {
            self.smallest = Some(key);
        }
        self.put(Keyed {
            key,
            payload: entry.payload,
        });
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<T>> {
        self.settle();
        let item = self.buckets[0].pop()?;
        self.smallest = None;
        self.len -= 1;
        Some(entry_of(item))
    }

    #[inline]
    fn peek_key(&mut self) -> Option<(u64, u64)> {
        self.smallest().map(|k| ((k >> 64) as u64, k as u64))
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        for bucket in &mut self.buckets {
            bucket.clear();
        }
        self.occupied = 0;
        self.last = 0;
        self.smallest = None;
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
