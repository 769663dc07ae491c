//! `ccsim swarm`: generated scenarios, each under the full invariant checker; on a failure,
//! the seed and a scenario file that replays it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, progress, threads_or_cores};
use crate::sim::swarm::{self, Checks, generate::FEATURES};

/// Flags of `ccsim swarm`.
#[derive(Debug, Args)]
pub struct SwarmArgs {
    /// How many seeds to run.
    #[arg(long, default_value_t = 1000)]
    seeds: u64,
    /// The first seed; seeds run from it upwards.
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// Also run every scenario a second time and compare the two (determinism); about
    /// doubles the time.
    #[arg(long)]
    twice: bool,
    /// Folder for the scenario files of failing seeds.
    #[arg(long, default_value = "swarm-failures")]
    out: PathBuf,
    /// Write the scenario of every seed, not only of failures (to read what is generated).
    #[arg(long)]
    keep_all: bool,
    /// Worker threads; default: the machine's cores. Never changes results.
    #[arg(long)]
    threads: Option<usize>,
    /// Print only failures and the summary; no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub(super) fn swarm_cmd(args: SwarmArgs) -> ExitCode {
    if args.seeds == 0 {
        eprintln!("error: --seeds 0: expected at least 1");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let threads = threads_or_cores(args.threads);
    let bar = progress::bar(args.seeds, "seeds", args.quiet);
    let started = Instant::now();
    let checks = Checks { twice: args.twice };
    let outcomes = swarm::run_seeds(args.first, args.seeds, threads, checks, &|o| {
        bar.inc(1);
        if o.failure.is_some() {
            bar.set_message(format!("seed {} failed", o.seed));
        }
    });
    bar.finish_and_clear();
    let elapsed_s = started.elapsed().as_secs_f64();

    let failures: Vec<_> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    let written = if failures.is_empty() && !args.keep_all {
        Vec::new()
    } else {
        if let Err(e) = std::fs::create_dir_all(&args.out) {
            eprintln!("error: cannot create {}: {e}", args.out.display());
            return ExitCode::from(EXIT_INTERNAL);
        }
        let mut written = Vec::new();
        for o in outcomes
            .iter()
            .filter(|o| args.keep_all || o.failure.is_some())
        {
            let path = args.out.join(format!("swarm-{}.toml", o.seed));
            // The files it names go beside it, so the replay reads them as the run did.
            let beside = o
                .files
                .iter()
                .map(|(name, text)| (args.out.join(name), text));
            for (p, text) in std::iter::once((path.clone(), &o.toml)).chain(beside) {
                if let Err(e) = std::fs::write(&p, text) {
                    eprintln!("error: cannot write {}: {e}", p.display());
                    return ExitCode::from(EXIT_INTERNAL);
                }
            }
            written.push((o.seed, path));
        }
        written
    };
    for o in &failures {
        let failure = o
            .failure
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let path = written
            .iter()
            .find(|(s, _)| *s == o.seed)
            .map(|(_, p)| p.display().to_string())
            .unwrap_or_default();
        eprintln!(
            "seed {} FAILED: {failure}\n  scenario: {path}\n  replay:   ccsim run --check --replications 1 {path}",
            o.seed
        );
    }

    let offered: u64 = outcomes.iter().map(|o| o.offered).sum();
    let bot: u64 = outcomes.iter().map(|o| o.bot_conversations).sum();
    outln!(
        "swarm: {} seeds from {} ({} with a second run), {} failed; {} conversations offered, {} with the bot; {:.1} s on {threads} thread(s), {:.1} ms per seed",
        args.seeds,
        args.first,
        if args.twice { "each" } else { "none" },
        failures.len(),
        offered,
        bot,
        elapsed_s,
        1000.0 * elapsed_s * threads as f64 / args.seeds as f64
    );
    let coverage: Vec<String> = FEATURES
        .iter()
        .map(|f| {
            let n = outcomes.iter().filter(|o| o.features.contains(f)).count();
            format!("{f} {n}")
        })
        .collect();
    outln!("features (seeds with each): {}", coverage.join(", "));
    if failures.is_empty() {
        ExitCode::from(EXIT_OK)
    } else {
        ExitCode::from(EXIT_INTERNAL)
    }
}
