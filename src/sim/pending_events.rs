//! The engine's pending-event set: a 4-ary heap while it is small, a radix heap once it is
//! large, moving between them as it grows and shrinks.
//!
//! Measured on the engine's own runs (docs/performance.md): with tens of pending events (an
//! M/M/20 holds about 21) the 4-ary heap's sift is two or three levels in one or two cache
//! lines, and a radix heap, which deals each key down through a few buckets before it is
//! popped, made the whole run 5 % slower. With tens of thousands (a centre of 1,000 agents
//! holds about 40,000), the heap outgrows the first caches and every sift misses on a path
//! nobody can predict, while the radix heap appends and scans: 2 to 6 times the heap's speed
//! in `benches/event_queue.rs`. The order of events is the same either way (keys are unique).
//!
//! The move happens when the set passes [`GROW_TO_RADIX`] events and back below
//! [`SHRINK_TO_HEAP`]; the gap between them keeps a set that hovers near one threshold from
//! moving back and forth. A move costs one push per event held, which the thousands of
//! operations between two moves pay for many times over.

use super::event_queue::{DaryHeap, Entry, EventQueue};
use super::radix_heap::RadixHeap;

/// Pending events above which the set becomes a radix heap.
pub const GROW_TO_RADIX: usize = 4096;
/// Pending events below which it goes back to a 4-ary heap.
pub const SHRINK_TO_HEAP: usize = 1024;

#[derive(Debug, Clone)]
enum Kind<T: Copy> {
    Heap(DaryHeap<T>),
    /// Boxed: its per-bucket keys make it a kilobyte, which the set would carry while small.
    Radix(Box<RadixHeap<T>>),
}

/// See the module docs.
#[derive(Debug, Clone)]
pub struct PendingEvents<T: Copy> {
    kind: Kind<T>,
}

impl<T: Copy> Default for PendingEvents<T> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<T: Copy> PendingEvents<T> {
    /// An empty set with room for `capacity` events in its heap.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            kind: Kind::Heap(DaryHeap::with_capacity(capacity)),
        }
    }

    /// Whether the set is a radix heap now.
    #[cfg(test)]
    fn is_radix(&self) -> bool {
        matches!(self.kind, Kind::Radix(_))
    }

    /// Keeps only the entries `keep` says to (the engine drops cancelled events this way).
    pub fn retain(&mut self, keep: impl FnMut(&Entry<T>) -> bool) {
        match &mut self.kind {
            Kind::Heap(h) => h.retain(keep),
            Kind::Radix(r) => r.retain(keep),
        }
        self.resize();
    }

    /// Moves to the other kind if the size calls for it. Out of line: it runs rarely, and the
    /// heap's sift must stay inlined in the engine's loop.
    #[cold]
    #[inline(never)]
    fn resize(&mut self) {
        match &mut self.kind {
            Kind::Heap(h) if h.len() > GROW_TO_RADIX => {
                // A new radix heap takes any key (its last key is 0), so it needs no memory
                // of what was popped before.
                let mut radix = RadixHeap::default();
                while let Some(e) = h.pop() {
                    radix.push(e);
                }
                self.kind = Kind::Radix(Box::new(radix));
            }
            Kind::Radix(r) if r.len() < SHRINK_TO_HEAP => {
                let mut heap = DaryHeap::with_capacity(GROW_TO_RADIX);
                while let Some(e) = r.pop() {
                    heap.push(e);
                }
                self.kind = Kind::Heap(heap);
            }
            _ => {}
        }
    }
}

impl<T: Copy> EventQueue<T> for PendingEvents<T> {
    #[inline]
    fn push(&mut self, entry: Entry<T>) {
        match &mut self.kind {
            Kind::Heap(h) => {
                h.push(entry);
                if h.len() > GROW_TO_RADIX {
                    self.resize();
                }
            }
            Kind::Radix(r) => r.push(entry),
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<T>> {
        match &mut self.kind {
            Kind::Heap(h) => h.pop(),
            Kind::Radix(r) => {
                let e = r.pop();
                if r.len() < SHRINK_TO_HEAP {
                    self.resize();
                }
                e
            }
        }
    }

    #[inline]
    fn peek_key(&mut self) -> Option<(u64, u64)> {
        match &mut self.kind {
            Kind::Heap(h) => h.peek_key(),
            Kind::Radix(r) => r.peek_key(),
        }
    }

    fn len(&self) -> usize {
        match &self.kind {
            Kind::Heap(h) => h.len(),
            Kind::Radix(r) => r.len(),
        }
    }

    fn clear(&mut self) {
        *self = Self::with_capacity(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The set grows past the threshold, shrinks back below the other, and grows again, with
    /// the engine's pattern (pushes at or after the last pop, some at the instant just
    /// peeked); it pops exactly what a plain 4-ary heap pops all along.
    #[test]
    fn pops_in_order_across_moves_between_heap_and_radix() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut set = PendingEvents::default();
        let mut reference = DaryHeap::default();
        let (mut now, mut seq, mut moves, mut was_radix) = (0u64, 0u64, 0, false);
        for phase in 0..6 {
            let growing = phase % 2 == 0;
            for step in 0..30_000u32 {
                let push = if growing {
                    rng.next_u64() % 3 != 0
                } else {
                    rng.next_u64() % 3 == 0
                };
                if push {
                    let delay = match rng.next_u64() % 3 {
                        0 => 0,
                        1 => rng.next_u64() % 60_000,
                        _ => rng.next_u64() % 86_400_000,
                    };
                    let e = Entry {
                        time_ms: now + delay,
                        seq,
                        payload: step,
                    };
                    seq += 1;
                    set.push(e);
                    reference.push(e);
                } else {
                    assert_eq!(set.peek_key(), reference.peek_key());
                    let (a, b) = (set.pop(), reference.pop());
                    assert_eq!(a, b, "phase {phase} step {step}");
                    if let Some(e) = a {
                        now = e.time_ms;
                    }
                }
                if set.is_radix() != was_radix {
                    moves += 1;
                    was_radix = set.is_radix();
                }
                assert_eq!(set.len(), reference.len());
            }
        }
        assert!(moves >= 4, "the set moved between kinds {moves} times");
        while let Some(e) = reference.pop() {
            assert_eq!(set.pop(), Some(e));
        }
    }
}
