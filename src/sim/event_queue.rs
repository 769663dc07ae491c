//! The pending-event set's interface, and the heaps behind it.
//!
//! Three implementations share one interface so that `benches/event_queue.rs` can measure them
//! against each other on the engine's real access pattern (hold model: pop one, push one, with
//! 1 k to 1 M pending events):
//!
//! - [`DaryHeap`]: an implicit 4-ary min-heap of 32-byte entries. Four children per node halve
//!   the tree height of a binary heap, and the four children of a node share a cache line or
//!   two, so the sift-down that dominates `pop` touches fewer lines.
//! - [`super::radix_heap::RadixHeap`]: a monotone radix heap. It makes use of what a
//!   discrete-event engine guarantees (nothing is scheduled into the past), and it is the
//!   fastest from 100 k pending events up, as fast as the others at 1 k.
//! - [`StdBinaryHeap`]: `std::collections::BinaryHeap` with reversed order, as the reference.
//!
//! The engine uses the first two: [`super::pending_events::PendingEvents`] is a 4-ary heap
//! while small and a radix heap once large (figures in docs/performance.md).
//!
//! Keys are unique because the sequence number is unique, so the order is total and there is
//! never a tie for any implementation to break arbitrarily.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event: its key and a small payload (the engine stores a slab index here and
/// keeps the message itself in the slab, so heap moves copy 32 bytes, not a whole message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<T: Copy> {
    /// Virtual time at which the event is due, in ms since the scenario start.
    pub time_ms: u64,
    /// Sequence number given when the event was scheduled; unique and increasing.
    pub seq: u64,
    /// What happens.
    pub payload: T,
}

/// (time, seq) packed so that one integer comparison orders two events.
#[inline]
fn pack(time_ms: u64, seq: u64) -> u128 {
    (u128::from(time_ms) << 64) | u128::from(seq)
}

/// The operations the engine needs from its pending-event set.
pub trait EventQueue<T: Copy> {
    /// Adds an event.
    fn push(&mut self, entry: Entry<T>);
    /// Removes and returns the event with the smallest (time, seq).
    fn pop(&mut self) -> Option<Entry<T>>;
    /// The smallest key, without removing it.
    /// (`&mut`: a queue may reorganise itself to find it.)
    fn peek_key(&mut self) -> Option<(u64, u64)>;
    /// Number of pending events.
    fn len(&self) -> usize;
    /// Whether no event is pending.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Drops every event, keeping the allocation.
    fn clear(&mut self);
}

#[derive(Debug, Clone, Copy)]
struct Slot<T: Copy> {
    key: u128,
    payload: T,
}

impl<T: Copy> Slot<T> {
    fn entry(self) -> Entry<T> {
        Entry {
            time_ms: (self.key >> 64) as u64,
            seq: self.key as u64,
            payload: self.payload,
        }
    }
}

/// Implicit 4-ary min-heap on (time, seq), moving a hole rather than swapping.
#[derive(Debug, Clone)]
pub struct DaryHeap<T: Copy> {
    items: Vec<Slot<T>>,
}

const ARITY: usize = 4;

impl<T: Copy> Default for DaryHeap<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<T: Copy> DaryHeap<T> {
    /// An empty heap with room for `capacity` events before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Vec::with_capacity(capacity),
        }
    }

    /// Moves `item` up from the hole at `pos` to its place.
    #[inline]
    fn sift_up(&mut self, mut pos: usize, item: Slot<T>) {
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            if self.items[parent].key <= item.key {
                break;
            }
            self.items[pos] = self.items[parent];
            pos = parent;
        }
        self.items[pos] = item;
    }
}

impl<T: Copy> EventQueue<T> for DaryHeap<T> {
    #[inline]
    fn push(&mut self, entry: Entry<T>) {
        let item = Slot {
            key: pack(entry.time_ms, entry.seq),
            payload: entry.payload,
        };
        self.items.push(item);
        let last = self.items.len() - 1;
        self.sift_up(last, item);
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<T>> {
        let last = self.items.pop()?;
        if self.items.is_empty() {
            return Some(last.entry());
        }
        let top = self.items[0];
        self.sift_down(0, last);
        Some(top.entry())
    }

    #[inline]
    fn peek_key(&mut self) -> Option<(u64, u64)> {
        self.items
            .first()
            .map(|s| ((s.key >> 64) as u64, s.key as u64))
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn clear(&mut self) {
        self.items.clear();
    }
}

impl<T: Copy> DaryHeap<T> {
    /// Puts `item` at `pos` and moves it down while a child is smaller. Always inlined: it is
    /// the engine's hottest loop, and a call per pop costs more than the sift of a small heap.
    #[inline(always)]
    fn sift_down(&mut self, mut pos: usize, item: Slot<T>) {
        let len = self.items.len();
        loop {
            let first = pos * ARITY + 1;
            if first >= len {
                break;
            }
            let children = &self.items[first..(first + ARITY).min(len)];
            let mut best = 0;
            let mut best_key = children[0].key;
            for (i, c) in children.iter().enumerate().skip(1) {
                if c.key < best_key {
                    best = i;
                    best_key = c.key;
                }
            }
            if item.key <= best_key {
                break;
            }
            self.items[pos] = self.items[first + best];
            pos = first + best;
        }
        self.items[pos] = item;
    }

    /// Keeps only the entries `keep` says to, and restores the heap (bottom-up, O(n)). Keys
    /// are unique, so the order of what remains is the same as before.
    pub fn retain(&mut self, mut keep: impl FnMut(&Entry<T>) -> bool) {
        self.items.retain(|s| keep(&s.entry()));
        let len = self.items.len();
        if len < 2 {
            return;
        }
        for pos in (0..=(len - 2) / ARITY).rev() {
            let item = self.items[pos];
            self.sift_down(pos, item);
        }
    }
}

/// `std::collections::BinaryHeap` wrapped to pop the smallest key: the reference to beat.
#[derive(Debug)]
pub struct StdBinaryHeap<T: Copy> {
    heap: BinaryHeap<MinFirst<T>>,
}

impl<T: Copy> Default for StdBinaryHeap<T> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
        }
    }
}

#[derive(Debug)]
struct MinFirst<T: Copy>(Slot<T>);

impl<T: Copy> PartialEq for MinFirst<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}
impl<T: Copy> Eq for MinFirst<T> {}
impl<T: Copy> PartialOrd for MinFirst<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Copy> Ord for MinFirst<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.key.cmp(&self.0.key)
    }
}

impl<T: Copy> EventQueue<T> for StdBinaryHeap<T> {
    fn push(&mut self, entry: Entry<T>) {
        self.heap.push(MinFirst(Slot {
            key: pack(entry.time_ms, entry.seq),
            payload: entry.payload,
        }));
    }
    fn pop(&mut self) -> Option<Entry<T>> {
        self.heap.pop().map(|m| m.0.entry())
    }
    fn peek_key(&mut self) -> Option<(u64, u64)> {
        self.heap
            .peek()
            .map(|m| ((m.0.key >> 64) as u64, m.0.key as u64))
    }
    fn len(&self) -> usize {
        self.heap.len()
    }
    fn clear(&mut self) {
        self.heap.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn drain<Q: EventQueue<u32>>(q: &mut Q) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        while let Some(e) = q.pop() {
            out.push((e.time_ms, e.seq));
        }
        out
    }

    #[test]
    fn both_heaps_pop_in_time_then_sequence_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut dary = DaryHeap::default();
        let mut std_heap = StdBinaryHeap::default();
        for seq in 0..5_000u64 {
            // Few distinct times so that many events share an instant.
            let time_ms = rng.next_u64() % 50;
            dary.push(Entry {
                time_ms,
                seq,
                payload: 0u32,
            });
            std_heap.push(Entry {
                time_ms,
                seq,
                payload: 0u32,
            });
        }
        let a = drain(&mut dary);
        let b = drain(&mut std_heap);
        assert_eq!(a, b);
        assert_eq!(a.len(), 5_000);
        assert!(a.windows(2).all(|w| w[0] < w[1]), "keys strictly increase");
    }

    #[test]
    fn interleaved_push_pop_keeps_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut heap = DaryHeap::default();
        let mut now = 0;
        let mut seq = 0;
        let mut last = (0, 0);
        for _ in 0..1_000 {
            heap.push(Entry {
                time_ms: now + rng.next_u64() % 100,
                seq,
                payload: (),
            });
            seq += 1;
        }
        for _ in 0..100_000 {
            let e = heap.pop().expect("never empty in a hold loop");
            assert!((e.time_ms, e.seq) > last);
            last = (e.time_ms, e.seq);
            now = e.time_ms;
            heap.push(Entry {
                time_ms: now + rng.next_u64() % 100,
                seq,
                payload: (),
            });
            seq += 1;
        }
    }
}
