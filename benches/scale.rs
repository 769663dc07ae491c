//! Cost against the centre's size: one week of `scenarios/large-centre.toml` (the quickstart's
//! shape: threads, SLA clocks, a sticky population, transfers, a waiting strategy, hours and a
//! holiday) at 22, 220 and 990 agents, with the customers (arrival rates and the WhatsApp
//! population) scaled alike. Throughput is in conversations offered per second, so the three
//! read side by side: a centre whose per-event work does not grow with its size keeps the
//! same rate at every size. Issue 17's bar: time per conversation at 990 agents at most 1.3×
//! that at 22.

use std::path::Path;

use ccsim::plan::plan_file::BaseScenario;
use ccsim::plan::variation::{ARRIVAL_SCALE, Setting, Variation};
use ccsim::scenario::Scenario;
use ccsim::sim::centre::Centre;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

/// The binary's allocator (`src/main.rs` says why), so the bench measures what `ccsim run`
/// does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The quickstart's agent groups and their sizes (large-centre.toml has 45 times each).
const GROUPS: [(&str, u32); 6] = [
    ("sales-early", 4),
    ("sales-late", 4),
    ("support-early", 5),
    ("support-late", 4),
    ("weekend", 3),
    ("floaters", 2),
];

/// The large centre at `factor` times the quickstart (45: as bundled).
fn centre_at(factor: u32) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/large-centre.toml");
    let base = BaseScenario::load(&path, false).expect("the bundled scenario loads");
    let set = |path: &str, value: toml::Value| Setting {
        path: path.into(),
        value,
        at: None,
    };
    let mut settings: Vec<Setting> = GROUPS
        .iter()
        .map(|(g, n)| {
            set(
                &format!("agents.{g}.count"),
                toml::Value::Integer(i64::from(n * factor)),
            )
        })
        .collect();
    settings.push(set(
        "arrivals.whatsapp.population",
        toml::Value::Integer(i64::from(4000 * factor)),
    ));
    settings.push(set(
        ARRIVAL_SCALE,
        toml::Value::Float(f64::from(factor) / 45.0),
    ));
    let variation = Variation {
        name: format!("x{factor}"),
        settings,
    };
    base.vary(&variation, None, Some(1))
        .expect("the scaled centre is valid")
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale_week");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    for factor in [1u32, 10, 45] {
        let s = centre_at(factor);
        let agents = s.centre.agents.len();
        let offered: u64 = Centre::new(s.centre.clone(), s.seed, 0)
            .run()
            .totals
            .last()
            .map_or(0, |t| t.offered);
        group.throughput(Throughput::Elements(offered));
        group.bench_with_input(
            BenchmarkId::new("conversations", format!("{agents}_agents")),
            &s,
            |b, s| b.iter(|| Centre::new(s.centre.clone(), s.seed, 0).run()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
