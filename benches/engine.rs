//! Engine throughput: customers per second through the whole actor system on M/M/20
//! (ρ = 0.9, exponential handle times, no abandonment), with every metric recorded: the
//! recorder's totals, wait histogram, interval rows and occupancy integrals are all on.
//!
//! Also an M/M/20+M variant where most customers carry a patience timer that is cancelled when
//! they are answered, to price cancellation; and a chat centre where every conversation is a
//! thread of messages (about 4 exchanges, think and reply times, Solved then Closed after 10
//! minutes: some 10 events per customer instead of 3), to price the conversation model.
//!
//! The yardstick beside them: `bare_mm20_customers`, the same M/M/20 as a minimal loop (a
//! binary heap of events, a FIFO line, ChaCha8 draws, the mean wait kept; no actors, no
//! routing, no recorder). The full model's time per customer over the bare loop's is the
//! price of everything the model does; issue 17 asks for at most 3×.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::path::Path;

use ccsim::scenario::{self, input_file::FileRoot, locate::Format};
use ccsim::sim::centre::Centre;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The binary's allocator (`src/main.rs` says why), so the bench measures what `ccsim run`
/// does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn mm20(patience: &str) -> scenario::Scenario {
    // 20 agents, 18 erlangs of load, handle mean 300 s → 216 arrivals/h; 200 days ≈ 1.04 M customers.
    let text = format!(
        r#"name = "mm20"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 200
seed = 1
replications = 1
report_interval_min = 60
[[channels]]
name = "voice"
kind = "voice"
[[queues]]
name = "q"
service_level_s = 20
handle_time = {{ dist = "exponential", mean_s = 300 }}
[[agents]]
group = "a"
count = 20
queues = ["q"]
[[arrivals]]
name = "c"
queue = "q"
channel = "voice"
rate_per_h = 216
{patience}
"#
    );
    scenario::parse(
        &text,
        Format::Toml,
        Path::new("mm20.toml"),
        &FileRoot::strict(Path::new(".")),
    )
    .expect("bench scenario is valid")
}

fn chat_threads() -> scenario::Scenario {
    // 20 agents × 3 WhatsApp slots; a conversation holds a slot ≈ 4 × 45 + 3 × 60 + 600 =
    // 960 s, so 202.5 arrivals/h load them to 0.9; 100 days ≈ 486 k customers.
    let text = r#"name = "threads"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 100
seed = 1
replications = 1
report_interval_min = 60
[conversations]
close_solved_after_min = 10
[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "exponential", mean_s = 45 }
[capacity]
live_messaging = 3
[[queues]]
name = "q"
[[agents]]
group = "a"
count = 20
queues = ["q"]
[[arrivals]]
name = "c"
queue = "q"
channel = "wa"
rate_per_h = 202.5
conversation = { exchanges = { dist = "geometric", mean = 4 }, think = { dist = "exponential", mean_s = 60 } }
"#;
    scenario::parse(
        text,
        Format::Toml,
        Path::new("threads.toml"),
        &FileRoot::strict(Path::new(".")),
    )
    .expect("bench scenario is valid")
}

/// M/M/20 as a minimal event loop: λ 216/h, handle mean 300 s, 200 days (as [`mm20`]).
/// Returns (customers served, mean wait ms), so the work cannot be optimised away.
fn bare_mm20(seed: u64) -> (u64, f64) {
    use rand::{RngExt, SeedableRng};
    const HORIZON_MS: u64 = 200 * 24 * 3_600_000;
    const SERVERS: u32 = 20;
    let mean_gap_ms = 3_600_000.0 / 216.0;
    let mean_handle_ms = 300_000.0;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut exp = |mean: f64| (-(1.0 - rng.random::<f64>()).ln() * mean) as u64;
    // Events: (time, sequence, is_departure); earliest first.
    let mut events: BinaryHeap<Reverse<(u64, u64, bool)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut line: VecDeque<u64> = VecDeque::new();
    let (mut busy, mut served, mut wait_sum_ms) = (0u32, 0u64, 0u64);
    events.push(Reverse((exp(mean_gap_ms), seq, false)));
    while let Some(Reverse((now, _, departure))) = events.pop() {
        if now > HORIZON_MS {
            break;
        }
        seq += 1;
        if departure {
            match line.pop_front() {
                Some(arrived) => {
                    wait_sum_ms += now - arrived;
                    served += 1;
                    events.push(Reverse((now + exp(mean_handle_ms), seq, true)));
                }
                None => busy -= 1,
            }
        } else {
            if busy < SERVERS {
                busy += 1;
                served += 1;
                events.push(Reverse((now + exp(mean_handle_ms), seq, true)));
            } else {
                line.push_back(now);
            }
            seq += 1;
            events.push(Reverse((now + exp(mean_gap_ms), seq, false)));
        }
    }
    (served, wait_sum_ms as f64 / served.max(1) as f64)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    let (served, _) = bare_mm20(1);
    group.throughput(Throughput::Elements(served));
    group.bench_function("bare_mm20_customers", |b| {
        b.iter(|| std::hint::black_box(bare_mm20(1)))
    });
    for (name, s) in [
        ("mm20_customers", mm20("")),
        (
            "mm20_patience_customers",
            mm20("patience = { dist = \"exponential\", mean_s = 600 }"),
        ),
        ("chat_threads_customers", chat_threads()),
    ] {
        let customers = Centre::new(s.centre.clone(), s.seed, 0).run().totals[0].offered;
        group.throughput(Throughput::Elements(customers));
        group.bench_function(name, |b| {
            b.iter(|| Centre::new(s.centre.clone(), s.seed, 0).run())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
