//! The pending-event set: the engine's radix heap against a 4-ary heap and std's binary heap on
//! the hold model
//! (pop the earliest event, push one a random delay later), from 1 k to 1 M pending events.

use std::hint::black_box;

use ccsim::sim::event_queue::{DaryHeap, Entry, EventQueue, StdBinaryHeap};
use ccsim::sim::radix_heap::RadixHeap;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A payload the size of the engine's envelope (actor id + message).
type Payload = [u64; 4];

fn filled<Q: EventQueue<Payload> + Default>(pending: usize, rng: &mut ChaCha8Rng) -> Q {
    let mut q = Q::default();
    for seq in 0..pending as u64 {
        q.push(Entry {
            time_ms: rng.next_u64() % 1_000_000,
            seq,
            payload: [seq; 4],
        });
    }
    q
}

fn hold<Q: EventQueue<Payload>>(q: &mut Q, rng: &mut ChaCha8Rng, seq: &mut u64, ops: usize) {
    for _ in 0..ops {
        let e = q.pop().expect("hold keeps the size");
        *seq += 1;
        let delay = rng.next_u64() % 1_000_000;
        q.push(Entry {
            time_ms: e.time_ms + delay,
            seq: *seq,
            payload: black_box(e.payload),
        });
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_queue_hold");
    const OPS: usize = 10_000;
    group.throughput(Throughput::Elements(OPS as u64));
    for pending in [1_000usize, 100_000, 1_000_000] {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut dary: DaryHeap<Payload> = filled(pending, &mut rng);
        let mut seq = pending as u64;
        group.bench_with_input(BenchmarkId::new("dary4", pending), &pending, |b, _| {
            b.iter(|| hold(&mut dary, &mut rng, &mut seq, OPS))
        });
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut radix: RadixHeap<Payload> = filled(pending, &mut rng);
        let mut seq = pending as u64;
        group.bench_with_input(BenchmarkId::new("radix", pending), &pending, |b, _| {
            b.iter(|| hold(&mut radix, &mut rng, &mut seq, OPS))
        });
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut std_heap: StdBinaryHeap<Payload> = filled(pending, &mut rng);
        let mut seq = pending as u64;
        group.bench_with_input(BenchmarkId::new("std_binary", pending), &pending, |b, _| {
            b.iter(|| hold(&mut std_heap, &mut rng, &mut seq, OPS))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
