//! `ccsim staff SCENARIO`: the agents each queue needs per interval, by Erlang and by
//! simulation, against the scenario's roster.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_OK, internal, load_scenario, progress, threads_or_cores};
use crate::plan::staff::{StaffOptions, staff};
use crate::plan::staff_report;
use crate::report::{FileWriter, write_files};

/// Flags of `ccsim staff`.
#[derive(Debug, Args)]
pub struct StaffArgs {
    /// Scenario file (.toml or .json); the bundled quickstart if absent.
    file: Option<PathBuf>,
    /// Target: share of offered customers answered within each queue's service_level_s.
    #[arg(long, default_value_t = 0.8)]
    service_level: f64,
    /// Confidence that each interval's service level reaches the target (one-sided, over
    /// replications).
    #[arg(long, default_value_t = 0.9)]
    confidence: f64,
    /// Share of scheduled time agents are unavailable (breaks, training, absence).
    #[arg(long, default_value_t = 0.3)]
    shrinkage: f64,
    /// Also require each interval's average speed of answer (mean wait of the answered) to
    /// stay within this many seconds.
    #[arg(long, value_name = "SECONDS")]
    asa: Option<f64>,
    /// Staff no interval above this occupancy (busy ÷ staffed slot-time), e.g. 0.85.
    #[arg(long, value_name = "SHARE")]
    max_occupancy: Option<f64>,
    /// Paid hours per week of one full-time agent, for FTE.
    #[arg(long, default_value_t = 40.0, value_name = "HOURS")]
    fte_hours: f64,
    /// Most simulation rounds of the search.
    #[arg(long, default_value_t = 60)]
    max_rounds: u32,
    /// Replace the scenario's replications (per round; at least 2).
    #[arg(long)]
    replications: Option<u32>,
    /// Replace the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Change a field of the scenario file before running, as a sweep's setting would
    /// (repeatable): `--set duration_days=365`, `--set agents.sales-early.count=6`,
    /// `--set arrival_scale=1.1`. The value is read as TOML, else as text.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// Folder for the reports; default reports/<scenario>/staffing/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads; default: the machine's cores. Never changes results.
    #[arg(long)]
    threads: Option<usize>,
    /// Print only errors; no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

fn bad(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

pub(super) fn staff_cmd(args: StaffArgs) -> ExitCode {
    let options = StaffOptions {
        service_level: args.service_level,
        confidence: args.confidence,
        shrinkage: args.shrinkage,
        asa_s: args.asa,
        max_occupancy: args.max_occupancy,
        fte_hours_per_week: args.fte_hours,
        max_rounds: args.max_rounds,
    };
    let flag = |field: &str| match field {
        "asa_s" => "--asa".to_string(),
        "fte_hours_per_week" => "--fte-hours".to_string(),
        f => format!("--{}", f.replace('_', "-")),
    };
    if let Err(m) = options.check(&flag) {
        return bad(m);
    }
    let scenario = match load_scenario(
        args.file.as_deref(),
        args.seed,
        args.replications,
        &args.set,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if !args.quiet {
        outln!(
            "ccsim {} staff: scenario '{}'{} — {:.0} % within each queue's threshold at {:.0} % confidence, shrinkage {:.0} %, {} replications per round",
            env!("CARGO_PKG_VERSION"),
            scenario.name,
            args.set
                .iter()
                .map(|s| format!(" --set {s}"))
                .collect::<String>(),
            options.service_level * 100.0,
            options.confidence * 100.0,
            options.shrinkage * 100.0,
            scenario.replications
        );
    }
    let bar = progress::bar(u64::from(options.max_rounds) + 1, "rounds", args.quiet);
    let started = Instant::now();
    let result = staff(
        &scenario,
        options,
        threads_or_cores(args.threads),
        &|round, short| {
            bar.set_position(u64::from(round));
            bar.set_message(format!("{short} cells short"));
        },
    );
    bar.finish_and_clear();
    let staffing = match result {
        Ok(s) => s,
        Err(e) => return bad(e.0),
    };
    let csv = staff_report::csv(&staffing);
    let json = staff_report::json(&staffing);
    let page = staff_report::html(&staffing);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(&scenario.name).join("staffing"));
    let w_csv = |o: &mut dyn Write| o.write_all(csv.as_bytes());
    let w_json = |o: &mut dyn Write| o.write_all(json.as_bytes());
    let w_html = |o: &mut dyn Write| o.write_all(page.as_bytes());
    let files: [FileWriter<'_>; 3] = [
        ("staffing.csv", &w_csv),
        ("staffing.json", &w_json),
        ("report.html", &w_html),
    ];
    if let Err(e) = write_files(&out, &files) {
        return internal(&e.into());
    }
    if !args.quiet {
        out!("{}", staff_report::table(&staffing));
        outln!(
            "{:.2} s; reports in {}",
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    ExitCode::from(EXIT_OK)
}
