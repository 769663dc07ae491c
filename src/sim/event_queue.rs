//! The pending-event set of the engine: a min-priority queue keyed by (time, sequence).
//!
//! Two implementations share one interface so that `benches/event_queue.rs` can measure them
//! against each other on the engine's real access pattern (hold model: pop one, push one, with
//! 1 k to 1 M pending events):
//!
//! - [`DaryHeap`]: an implicit 4-ary min-heap. Four children per node halve the tree height of a
//!   binary heap, and the four children of a node sit in one or two cache lines, so the sift-down
//!   that dominates `pop` touches fewer lines.
//! - [`StdBinaryHeap`]: `std::collections::BinaryHeap` with reversed order, as the reference.
//!
//! The engine uses [`DaryHeap`] (see [`PendingEvents`]): it was the faster of the two at every
//! size measured (figures in README.md, "Speed").
//!
//! Keys are unique because the sequence number is unique, so the order is total and there is
//! never a tie for either implementation to break arbitrarily.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The queue the engine uses.
pub type PendingEvents<T> = DaryHeap<T>;

/// One pending event: its key and payload.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    /// Virtual time at which the event is due, in ms since the scenario start.
    pub time_ms: u64,
    /// Sequence number given when the event was scheduled; unique and increasing.
    pub seq: u64,
    /// What happens.
    pub payload: T,
}

impl<T> Entry<T> {
    #[inline]
    fn key(&self) -> (u64, u64) {
        (self.time_ms, self.seq)
    }
}

/// The operations the engine needs from its pending-event set.
pub trait EventQueue<T> {
    /// Adds an event.
    fn push(&mut self, entry: Entry<T>);
    /// Removes and returns the event with the smallest (time, seq).
    fn pop(&mut self) -> Option<Entry<T>>;
    /// The smallest key, without removing it.
    fn peek_key(&self) -> Option<(u64, u64)>;
    /// Number of pending events.
    fn len(&self) -> usize;
    /// Whether no event is pending.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Drops every event, keeping the allocation.
    fn clear(&mut self);
}

/// Implicit 4-ary min-heap on (time, seq).
#[derive(Debug, Clone)]
pub struct DaryHeap<T> {
    items: Vec<Entry<T>>,
}

const ARITY: usize = 4;

impl<T> Default for DaryHeap<T> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<T> DaryHeap<T> {
    /// An empty heap with room for `capacity` events before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            items: Vec::with_capacity(capacity),
        }
    }

    fn sift_up(&mut self, mut pos: usize) {
        let key = self.items[pos].key();
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            if self.items[parent].key() <= key {
                break;
            }
            self.items.swap(pos, parent);
            pos = parent;
        }
    }

    fn sift_down(&mut self, mut pos: usize) {
        let len = self.items.len();
        let key = self.items[pos].key();
        loop {
            let first = pos * ARITY + 1;
            if first >= len {
                break;
            }
            let last = (first + ARITY).min(len);
            let mut best = first;
            let mut best_key = self.items[first].key();
            for child in first + 1..last {
                let k = self.items[child].key();
                if k < best_key {
                    best = child;
                    best_key = k;
                }
            }
            if key <= best_key {
                break;
            }
            self.items.swap(pos, best);
            pos = best;
        }
    }
}

impl<T> EventQueue<T> for DaryHeap<T> {
    #[inline]
    fn push(&mut self, entry: Entry<T>) {
        self.items.push(entry);
        let last = self.items.len() - 1;
        self.sift_up(last);
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<T>> {
        let len = self.items.len();
        if len == 0 {
            return None;
        }
        let top = self.items.swap_remove(0);
        if len > 1 {
            self.sift_down(0);
        }
        Some(top)
    }

    #[inline]
    fn peek_key(&self) -> Option<(u64, u64)> {
        self.items.first().map(Entry::key)
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn clear(&mut self) {
        self.items.clear();
    }
}

/// `std::collections::BinaryHeap` wrapped to pop the smallest key: the reference to beat.
#[derive(Debug)]
pub struct StdBinaryHeap<T> {
    heap: BinaryHeap<MinFirst<T>>,
}

impl<T> Default for StdBinaryHeap<T> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
        }
    }
}

#[derive(Debug)]
struct MinFirst<T>(Entry<T>);

impl<T> PartialEq for MinFirst<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.key() == other.0.key()
    }
}
impl<T> Eq for MinFirst<T> {}
impl<T> PartialOrd for MinFirst<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for MinFirst<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.key().cmp(&self.0.key())
    }
}

impl<T> EventQueue<T> for StdBinaryHeap<T> {
    fn push(&mut self, entry: Entry<T>) {
        self.heap.push(MinFirst(entry));
    }
    fn pop(&mut self) -> Option<Entry<T>> {
        self.heap.pop().map(|m| m.0)
    }
    fn peek_key(&self) -> Option<(u64, u64)> {
        self.heap.peek().map(|m| m.0.key())
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
            dary.push(Entry { time_ms, seq, payload: 0u32 });
            std_heap.push(Entry { time_ms, seq, payload: 0u32 });
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
            heap.push(Entry { time_ms: now + rng.next_u64() % 100, seq, payload: () });
            seq += 1;
        }
        for _ in 0..100_000 {
            let e = heap.pop().expect("never empty in a hold loop");
            assert!((e.time_ms, e.seq) > last);
            last = (e.time_ms, e.seq);
            now = e.time_ms;
            heap.push(Entry { time_ms: now + rng.next_u64() % 100, seq, payload: () });
            seq += 1;
        }
    }
}
