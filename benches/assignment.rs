//! The assignment scorer (AA-7): one pick among 10, 100, 1 000 and 10 000 available agents, by
//! the reference scan (scores every agent) and by the index (scores one agent per distinct
//! workload). Agent states as a chat centre has them: Live Chat and Live Messaging capacities
//! of 3 to 6, occupancy below capacity, last assignment within the past hour.

use std::hint::black_box;

use ccsim::model::assignment::index::AssignmentIndex;
use ccsim::model::assignment::workload::workload;
use ccsim::model::assignment::{Candidate, scorer};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const NOW_MS: u64 = 10 * 3_600_000;

fn agents(n: usize) -> Vec<Candidate> {
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
    (0..n as u32)
        .map(|agent| {
            let mut load = || {
                let capacity = 3 + (rng.next_u32() % 4);
                (rng.next_u32() % capacity, capacity)
            };
            let loads = [load(), load()];
            Candidate {
                agent,
                workload: workload(&loads),
                last_assigned_ms: NOW_MS - u64::from(rng.next_u32() % 3_600_000),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("assignment_pick");
    for n in [10usize, 100, 1_000, 10_000] {
        let candidates = agents(n);
        let mut index = AssignmentIndex::new();
        for a in &candidates {
            index.upsert(*a);
        }
        assert_eq!(index.pick(NOW_MS, &[]), scorer::pick(&candidates, NOW_MS));
        group.bench_with_input(BenchmarkId::new("reference", n), &n, |b, _| {
            b.iter(|| scorer::pick(black_box(&candidates), black_box(NOW_MS)))
        });
        group.bench_with_input(BenchmarkId::new("index", n), &n, |b, _| {
            b.iter(|| index.pick(black_box(NOW_MS), black_box(&[])))
        });
    }
    group.finish();

    // Keeping the index current: an assignment changes one agent's workload and last time.
    let mut group = c.benchmark_group("assignment_update");
    let candidates = agents(10_000);
    let mut index = AssignmentIndex::new();
    for a in &candidates {
        index.upsert(*a);
    }
    let mut i = 0usize;
    group.bench_function("upsert_10000", |b| {
        b.iter(|| {
            // Every update a real one: a new last assignment each time, and the workload
            // moving between two groups from one pass over the agents to the next.
            let n = candidates.len();
            let mut a = candidates[i % n];
            a.last_assigned_ms = NOW_MS + i as u64;
            if (i / n).is_multiple_of(2) {
                a.workload = (a.workload + 10.0).min(100.0);
            }
            index.upsert(a);
            i += 1;
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
