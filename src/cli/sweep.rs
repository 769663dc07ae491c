//! `ccsim sweep PLAN` (whole, or one shard) and `ccsim merge DIR…`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{EXIT_OK, internal, plan_error, progress, threads_or_cores};
use crate::plan::plan_file::Plan;
use crate::plan::sweep::{self, Shard, SweepResult};
use crate::plan::sweep_report;
use crate::report::{FileWriter, html, write_files};

/// Flags of `ccsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep plan (.toml): a scenario and its points (a list, a grid or both).
    plan: PathBuf,
    /// Run only this slice of the plan's (point, replication) units, INDEX/COUNT from 0
    /// (0/3, 1/3, 2/3), and write shard-INDEX-of-COUNT.json for `ccsim merge`.
    #[arg(long)]
    shard: Option<Shard>,
    /// Folder for the report (or the shard file); default reports/<plan name>/ (shards:
    /// reports/<plan name>/shards/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads; default: the machine's cores. Never changes results.
    #[arg(long)]
    threads: Option<usize>,
    /// Print only errors; no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// Flags of `ccsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folders holding shard files (shard-I-of-N.json) of one sweep.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Folder for the merged report; default reports/<plan name>/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
}

pub(super) fn sweep(args: SweepArgs) -> ExitCode {
    let (plan, mut scenarios) = match Plan::load_with(&args.plan, super::allow_outside_files()) {
        Ok(p) => p,
        Err(e) => return plan_error(&e),
    };
    if let Err(code) = super::within_budget(&mut scenarios, &args.plan) {
        return code;
    }
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let threads = threads_or_cores(args.threads);
    let meta = sweep::SweepMeta::of(&plan, &scenarios);
    let units = sweep::shard_units(&meta, shard);
    if !args.quiet {
        outln!(
            "ccsim {} sweep: plan '{}' from {} over '{}' — {} points, {} units (point × replication){}",
            env!("CARGO_PKG_VERSION"),
            plan.name,
            args.plan.display(),
            plan.base.path.display(),
            plan.points.len(),
            meta.units().len(),
            if args.shard.is_some() {
                format!("; shard {shard} runs {units}")
            } else {
                String::new()
            }
        );
        for (i, p) in plan.points.iter().enumerate() {
            outln!("  {i:>3}  {}", p.describe());
        }
    }
    let bar = progress::bar(units as u64, "units", args.quiet);
    let started = Instant::now();
    let result = match sweep::run(&plan, &scenarios, shard, threads, &|| bar.inc(1)) {
        Ok(result) => result,
        Err(hit) => return super::budget_hit(&hit),
    };
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    if let Some(shard) = args.shard {
        let out = args
            .out
            .unwrap_or_else(|| Path::new("reports").join(&plan.name).join("shards"));
        let file = result.to_shard_file(shard);
        let json = match serde_json::to_string(&file) {
            Ok(j) => j + "\n",
            Err(e) => return internal(&e.into()),
        };
        let name = sweep::shard_file_name(shard);
        let write = |o: &mut dyn Write| o.write_all(json.as_bytes());
        if let Err(e) = write_files(&out, &[(name.as_str(), &write)]) {
            return internal(&e.into());
        }
        if !args.quiet {
            outln!(
                "shard {shard}: {units} units in {:.2} s; wrote {}",
                elapsed.as_secs_f64(),
                out.join(name).display()
            );
        }
        return ExitCode::from(EXIT_OK);
    }
    let out = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(&plan.name));
    finish(&result, &out, args.quiet, elapsed.as_secs_f64())
}

pub(super) fn merge(args: MergeArgs) -> ExitCode {
    let result = match sweep::merge_dirs(&args.dirs) {
        Ok(r) => r,
        Err(e) => return plan_error(&e),
    };
    let out = args
        .out
        .unwrap_or_else(|| Path::new("reports").join(&result.meta.plan));
    finish(&result, &out, args.quiet, 0.0)
}

/// Writes the sweep's report and prints its table.
fn finish(result: &SweepResult, out: &Path, quiet: bool, elapsed_s: f64) -> ExitCode {
    let reports = sweep_report::reports(result);
    let json = sweep_report::json(result, &reports);
    let csv = sweep_report::csv(&reports);
    let settings = sweep_report::settings_csv(&reports);
    let intervals = sweep_report::intervals_csv(result);
    let page = html::sweep_page(result, &reports);
    let w_json = |o: &mut dyn Write| o.write_all(json.as_bytes());
    let w_csv = |o: &mut dyn Write| o.write_all(csv.as_bytes());
    let w_settings = |o: &mut dyn Write| o.write_all(settings.as_bytes());
    let w_int = |o: &mut dyn Write| o.write_all(intervals.as_bytes());
    let w_html = |o: &mut dyn Write| o.write_all(page.as_bytes());
    let files: [FileWriter<'_>; 5] = [
        ("sweep.json", &w_json),
        ("sweep.csv", &w_csv),
        ("settings.csv", &w_settings),
        ("intervals.csv", &w_int),
        ("report.html", &w_html),
    ];
    if let Err(e) = write_files(out, &files) {
        return internal(&e.into());
    }
    if !quiet {
        out!("{}", table(&reports));
        if elapsed_s > 0.0 {
            outln!(
                "{} points in {elapsed_s:.2} s; reports in {}",
                reports.len(),
                out.display()
            );
        } else {
            outln!(
                "{} points merged; reports in {}",
                reports.len(),
                out.display()
            );
        }
    }
    ExitCode::from(EXIT_OK)
}

/// The whole-centre figures of each point, one line each.
fn table(reports: &[sweep_report::PointReport]) -> String {
    use crate::plan::metrics::Metric;
    // Names in full: two points that differ only at the end of a long name must not read
    // alike.
    let width = reports
        .iter()
        .map(|p| p.name.chars().count())
        .chain(["point (whole centre)".len()])
        .max()
        .unwrap_or(20);
    let mut out = format!(
        "\n{:<width$} {:>16} {:>16} {:>14} {:>12}\n",
        "point (whole centre)", "service level", "abandoned", "ASA s", "occupancy"
    );
    for p in reports {
        let Some(all) = p.scopes.last() else { continue };
        let get = |m: Metric| all.metrics.iter().find(|(x, _)| *x == m).map(|(_, e)| *e);
        let pct = |m: Metric| {
            get(m).map_or("—".into(), |e| {
                format!("{:.1} ± {:.1} %", e.mean * 100.0, e.half_width * 100.0)
            })
        };
        let secs = |m: Metric| {
            get(m).map_or("—".into(), |e| {
                format!("{:.1} ± {:.1}", e.mean, e.half_width)
            })
        };
        let name = &p.name;
        out += &format!(
            "{name:<width$} {:>16} {:>16} {:>14} {:>12}\n",
            pct(Metric::ServiceLevel),
            pct(Metric::AbandonRate),
            secs(Metric::AsaS),
            get(Metric::Occupancy).map_or("—".into(), |e| format!("{:.1} %", e.mean * 100.0)),
        );
    }
    out
}
