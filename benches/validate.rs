//! `validate` on a file with many problems (issue 14): 400 agent groups that repeat one name,
//! 800 problems in all, each located by line and column. Locating parsed the whole file once
//! per problem (38 s for this file); a [`Locator`] parses it once. The bar: under a second.
//!
//! `cargo bench --bench validate`.
//!
//! [`Locator`]: ccsim::scenario::locate::Locator

use std::hint::black_box;
use std::path::Path;

use ccsim::scenario::error::ScenarioError;
use ccsim::scenario::input_file::FileRoot;
use ccsim::scenario::{self, locate::Format};
use criterion::{Criterion, criterion_group, criterion_main};

/// A one-queue scenario followed by `groups` agent groups all named `team`.
pub fn repeated_groups(groups: usize) -> String {
    let mut text = String::from(
        "name = \"many-problems\"\nstart = \"2026-01-05T00:00\"\ntime_zone = \"UTC\"\n\
         duration_days = 1\nseed = 1\nreplications = 2\n\n[[channels]]\nname = \"chat\"\n\
         kind = \"live_chat\"\n\n[[queues]]\nname = \"support\"\n\
         handle_time = { dist = \"constant\", value_s = 300 }\n\n[[arrivals]]\nname = \"web\"\n\
         queue = \"support\"\nchannel = \"chat\"\nrate_per_h = 4\n",
    );
    for _ in 0..groups {
        text += "\n[[agents]]\ngroup = \"team\"\ncount = 1\nqueues = [\"support\"]\n";
    }
    text
}

fn validate(c: &mut Criterion) {
    let text = repeated_groups(400);
    let files = FileRoot::strict(Path::new("."));
    let run = || {
        scenario::parse(
            black_box(&text),
            Format::Toml,
            Path::new("many.toml"),
            &files,
        )
    };
    match run() {
        Err(ScenarioError::Invalid { problems }) => assert_eq!(problems.len(), 798),
        other => panic!("expected problems, got {other:?}"),
    }
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    group.bench_function("400_repeated_groups", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
