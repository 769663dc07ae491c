//! `ccsim run`: load, print the parameters, run the replications (with a progress bar), write
//! summary.json, intervals.csv and report.html, and print the summary table.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{EXIT_OK, describe, internal, load_scenario};
use crate::model::arrival_rate::{ArrivalRate, Repeat};
use crate::model::centre::SegmentDestination;
use crate::report::{
    FileWriter, channel_intervals, html_run, intervals, summary::Summary, table, write_files,
};
use crate::scenario::{self, Scenario, drivers};
use crate::sim::replicate::{run_replications, run_replications_checked};

/// Flags of `ccsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (.toml or .json); the bundled scenarios/quickstart.toml if absent.
    file: Option<PathBuf>,
    /// Folder for the reports; default reports/<scenario name>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads for replications; default: the machine's cores. Never changes results.
    #[arg(long)]
    threads: Option<usize>,
    /// Replace the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Replace the scenario's number of replications.
    #[arg(long)]
    replications: Option<u32>,
    /// Change a field of the scenario file before running, as a sweep's setting would
    /// (repeatable): `--set duration_days=365`, `--set agents.sales-early.count=6`,
    /// `--set arrival_scale=1.1`. The value is read as TOML, else as text.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Print only errors; no progress bar (none is drawn when stderr is not a terminal).
    #[arg(long, short)]
    quiet: bool,
    /// Run the invariant checker beside the simulation (capacity, statuses, working hours,
    /// every customer accounted for); a broken invariant is an internal error (exit 1).
    #[arg(long)]
    check: bool,
}

pub(super) fn run(args: RunArgs) -> ExitCode {
    let scenario = match load_scenario(
        args.file.as_deref(),
        args.seed,
        args.replications,
        &args.set,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(&scenario.name));
    let mut source = args.file.as_ref().map_or_else(
        || format!("{} (bundled)", scenario::QUICKSTART_PATH),
        |p| p.display().to_string(),
    );
    // The settings are part of what the run is: the header must replay it.
    for s in &args.set {
        source += &format!(" --set {s}");
    }
    if !args.quiet {
        out!("{}", parameters(&scenario, &source, threads));
    }

    let started = Instant::now();
    let bar = super::progress::bar(u64::from(scenario.replications), "replications", args.quiet);
    let tick = || bar.inc(1);
    let run = if args.check {
        match run_replications_checked(&scenario, threads, &tick) {
            Err(hit) => return super::budget_hit(&hit),
            Ok(Ok(run)) => run,
            Ok(Err(problems)) => {
                eprintln!(
                    "internal error: the invariant checker found {} problem(s):",
                    problems.len()
                );
                for p in &problems {
                    eprintln!("  {p}");
                }
                return ExitCode::from(super::EXIT_INTERNAL);
            }
        }
    } else {
        match run_replications(&scenario, threads, &tick) {
            Ok(run) => run,
            Err(hit) => return super::budget_hit(&hit),
        }
    };
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let summary = Summary::new(&scenario, &run);
    let json = match serde_json::to_string_pretty(&summary) {
        Ok(j) => j + "\n",
        Err(e) => return internal(&e.into()),
    };
    let write_json = |out: &mut dyn Write| out.write_all(json.as_bytes());
    let write_csv =
        |out: &mut dyn Write| intervals::write(&scenario, &run, out).map_err(std::io::Error::other);
    let write_channels = |out: &mut dyn Write| {
        channel_intervals::write(&scenario, &run, out).map_err(std::io::Error::other)
    };
    let page = html_run::run_page(&scenario, &summary, &run);
    let write_html = |out: &mut dyn Write| out.write_all(page.as_bytes());
    let files: [FileWriter<'_>; 4] = [
        ("summary.json", &write_json),
        ("intervals.csv", &write_csv),
        ("intervals_by_channel.csv", &write_channels),
        ("report.html", &write_html),
    ];
    if let Err(e) = write_files(&out_dir, &files) {
        return internal(&e.into());
    }
    if !args.quiet {
        outln!();
        out!("{}", table::render(&summary));
        outln!(
            "{} replications in {:.2} s wall time; reports in {}",
            scenario.replications,
            elapsed.as_secs_f64(),
            out_dir.display()
        );
    }
    ExitCode::from(EXIT_OK)
}

/// The seed and every derived parameter, printed first so any run can be replayed.
fn parameters(s: &Scenario, source: &str, threads: usize) -> String {
    let c = &s.centre;
    let mut out = format!(
        "ccsim {} run: scenario '{}' from {source}\n  {}\n  seed {} · replications {} · threads {threads} (results do not depend on threads)\n  start {} · horizon {:.1} h · warm-up {:.1} h · {} intervals of {} min\n",
        env!("CARGO_PKG_VERSION"),
        s.name,
        describe(s),
        s.seed,
        s.replications,
        c.calendar.zoned(0),
        c.horizon_ms as f64 / 3_600_000.0,
        c.warmup_ms as f64 / 3_600_000.0,
        c.interval_count(),
        c.interval_ms / 60_000,
    );
    if let Some(t) = &c.trace {
        out += &format!(
            "  arrivals replayed from {}: {} conversations\n",
            t.source,
            t.rows.len()
        );
    }
    for (i, seg) in c.segments.iter().enumerate() {
        let replayed = c.trace.as_ref().map(|t| {
            let rows = t.rows.iter().filter(|r| r.segment == i as u32).count();
            rows as f64 / (c.horizon_ms as f64 / 3_600_000.0)
        });
        let (mean_rate_per_h, shape) = match &seg.rate {
            _ if replayed.is_some() => (
                replayed.unwrap_or(0.0),
                "on average, replayed from the trace".to_string(),
            ),
            ArrivalRate::Constant { rate_per_h } => (*rate_per_h, "constant".to_string()),
            ArrivalRate::Profile(p) => {
                let mean = p.rates_per_h.iter().sum::<f64>() / p.rates_per_h.len() as f64;
                let repeat = match p.repeat {
                    Repeat::Daily => "daily",
                    Repeat::Weekly => "weekly",
                };
                (
                    mean,
                    format!("mean of a {repeat} {}-minute profile", p.interval_min),
                )
            }
            ArrivalRate::Dated(_) => (
                seg.rate.expected_arrivals(&c.calendar, 0, c.horizon_ms)
                    / (c.horizon_ms as f64 / 3_600_000.0),
                "mean over the run, from the dated forecast".to_string(),
            ),
        };
        let queues = c.possible_queues(i as u32);
        let slot = c.mean_slot_time(i as u32, queues[0]);
        let handle_s = slot.total_ms() / 1000.0;
        let destination = match seg.destination {
            SegmentDestination::Queue(q) => format!("queue '{}'", c.queues[q as usize].name),
            SegmentDestination::Routed => format!(
                "routed to {}",
                queues
                    .iter()
                    .map(|&q| format!("'{}'", c.queues[q as usize].name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let patience = seg.patience.as_ref().map_or("none".to_string(), |p| {
            format!("mean {:.0} s", p.mean_ms() / 1000.0)
        });
        out += &format!(
            "  segment '{}' → {destination} on {} ({}): {mean_rate_per_h:.1}/h {shape}, holds a slot {handle_s:.0} s on average{} (≈ {:.1} erlangs), patience {patience}\n",
            seg.name,
            seg.channel.as_str(),
            seg.category().as_str(),
            drivers::describe_parts(&slot),
            mean_rate_per_h * handle_s / 3600.0,
        );
    }
    for w in &s.warnings {
        out += &format!("  warning ({}): {}\n", w.field, w.message);
    }
    out
}
