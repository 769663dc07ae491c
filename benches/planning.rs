//! Planning's own costs, apart from the simulations it runs: the Erlang step of `ccsim staff`
//! (the fewest agents for a target, per interval and queue: Erlang C, and Erlang A, which
//! solves a birth–death chain) at 10, 100 and 500 erlangs; and merging sweep shards (decoding
//! the V2+Deflate wait histograms and adding the integers) for a point of a week's intervals.

use std::hint::black_box;

use ccsim::model::erlang::{ServiceLevelTarget, Target, Traffic, agents_for};
use ccsim::plan::measures::{Counts, PointData, RepRecord};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};

fn sl_80_in_20s() -> Target {
    Target {
        service_level: Some(ServiceLevelTarget::single(0.8, 20.0)),
        ..Target::default()
    }
}

fn erlang(c: &mut Criterion) {
    let mut group = c.benchmark_group("staffing_erlang_step");
    for load in [10.0f64, 100.0, 500.0] {
        let handle_s = 300.0;
        let lambda = load / handle_s;
        group.bench_with_input(BenchmarkId::new("erlang_c", load), &load, |b, _| {
            b.iter(|| {
                agents_for(
                    &Traffic {
                        arrival_rate_per_s: black_box(lambda),
                        service_rate_per_s: 1.0 / handle_s,
                        patience_rate_per_s: 0.0,
                        concurrency: 1.0,
                    },
                    &sl_80_in_20s(),
                    5_000,
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("erlang_a", load), &load, |b, _| {
            b.iter(|| {
                agents_for(
                    &Traffic {
                        arrival_rate_per_s: black_box(lambda),
                        service_rate_per_s: 1.0 / handle_s,
                        patience_rate_per_s: 1.0 / 180.0,
                        concurrency: 1.0,
                    },
                    &sl_80_in_20s(),
                    5_000,
                )
            })
        });
    }
    group.finish();
}

/// A shard's part of one point: 5 replications, a week of half-hours, 4 scopes, waits spread
/// over an hour.
fn part(first_rep: u32) -> (PointData, Vec<Vec<u8>>) {
    let scopes = 4;
    let intervals = 336;
    let mut p = PointData::new(scopes, intervals);
    for r in first_rep..first_rep + 5 {
        p.reps.insert(
            r,
            RepRecord {
                replication: r,
                scopes: vec![Counts::default(); scopes],
                wait_quantiles_ms: vec![Some([1, 2, 3]); scopes],
                bot_conversations: 0,
                bot_resolved: 0,
                waiting_at_end: 0,
            },
        );
    }
    for (k, c) in p.intervals.iter_mut().enumerate() {
        *c = Counts::from_array([k as u64; 11]);
    }
    for (s, h) in p.waits_ms.iter_mut().enumerate() {
        for v in 0..20_000u64 {
            h.record((v * 7919 + s as u64) % 3_600_000).unwrap();
        }
    }
    let blobs = p
        .waits_ms
        .iter()
        .map(|h| {
            let mut bytes = Vec::new();
            V2DeflateSerializer::new().serialize(h, &mut bytes).unwrap();
            bytes
        })
        .collect();
    (p, blobs)
}

fn merge(c: &mut Criterion) {
    let (a, _) = part(0);
    let (b, blobs) = part(5);
    c.bench_function("sweep_merge_point_week_4_scopes", |bench| {
        bench.iter(|| {
            let mut whole = a.clone();
            let mut other = b.clone();
            other.waits_ms = blobs
                .iter()
                .map(|bytes| {
                    Deserializer::new()
                        .deserialize(&mut bytes.as_slice())
                        .unwrap()
                })
                .collect();
            whole.merge(other).unwrap();
            black_box(whole.interval(335)[3].offered)
        })
    });
}

criterion_group!(benches, erlang, merge);
criterion_main!(benches);
