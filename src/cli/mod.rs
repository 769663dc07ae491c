//! The command line: parse flags, call the library, print, exit with a documented code.
//!
//! Exit codes: 0 success; 1 internal error (e.g. a report could not be written); 2 bad input
//! (a scenario, plan or gate with problems, a file outside the path rules, a scenario past its
//! resource budget, unknown flags); 3 a load run broke a threshold or a comparison broke its
//! gate (a regression); 4 a run stopped at its resource budget (`--max-open`); 130 a load run
//! interrupted by a signal (reports marked interrupted). `ccsim swarm` exits 1 when a generated
//! scenario breaks an invariant (a bug in ccsim). 141: standard output was closed under the
//! command (`ccsim run | head`), which then ended quietly (`out`).

#[macro_use]
mod out;
mod bot;
mod compare;
mod erlang;
mod load;
mod mock;
mod progress;
mod run;
mod staff;
mod swarm;
mod sweep;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::scenario::budget::{self, Budget};
use crate::scenario::{self, Scenario, error::ScenarioError};
// `--threads`, or the machine's cores (the subcommands import it from here).
use crate::sim::replicate::threads_or_cores;

/// Success.
pub const EXIT_OK: u8 = 0;
/// Internal error.
pub const EXIT_INTERNAL: u8 = 1;
/// Bad input.
pub const EXIT_BAD_INPUT: u8 = 2;
/// A load run broke a threshold, or a comparison broke its gate.
pub const EXIT_REGRESSION: u8 = 3;
/// A run stopped at a resource budget (more conversations open at once than `--max-open`).
pub const EXIT_BUDGET: u8 = 4;

/// Simulate a contact centre on Infobip Conversations.
#[derive(Debug, Parser)]
#[command(
    name = "ccsim",
    version,
    about,
    after_help = "Exit codes: 0 success; 1 internal error; 2 bad input (a scenario, plan or gate \
                  with problems, a file outside the path rules, a scenario past its budget, a bad \
                  flag); 3 a load run (ccsim load, ccsim demo) broke a threshold, or ccsim \
                  compare found a regression past its gate; 4 a run stopped at its budget \
                  (--max-open); 130 a load run interrupted by Ctrl-C or SIGTERM (reports marked \
                  interrupted); 141 standard output closed under the command (ccsim run | head), \
                  which ends quietly."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Let scenarios and plans name files outside their own folder (absolute paths, `..`,
    /// symbolic links out). Off by default: a file from a pull request must not read the
    /// machine.
    #[arg(long, global = true)]
    allow_outside_files: bool,
    /// The most conversations a run may simulate over every replication (and sweep point);
    /// a scenario expected to need more is refused before it runs.
    #[arg(long, global = true, value_name = "N", default_value_t = budget::DEFAULT_MAX_CONVERSATIONS)]
    max_conversations: u64,
    /// The most conversations one replication may hold open at once: refused before the run
    /// when expected, and the run stops (exit 4) when reached.
    #[arg(long, global = true, value_name = "N", default_value_t = budget::DEFAULT_MAX_OPEN)]
    max_open: u64,
}

/// `--max-conversations` and `--max-open`, set once when the command line is parsed.
static BUDGET: std::sync::Mutex<Budget> = std::sync::Mutex::new(Budget {
    max_conversations: budget::DEFAULT_MAX_CONVERSATIONS,
    max_open: budget::DEFAULT_MAX_OPEN,
});

/// The command line's budget.
fn budget() -> Budget {
    *BUDGET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `scenarios` (one run's, e.g. a sweep's points) with the command line's budget, or the exit
/// code after saying which budget the run would pass and by how much.
fn within_budget(scenarios: &mut [Scenario], origin: &std::path::Path) -> Result<(), ExitCode> {
    budget().apply_to(scenarios).map_err(|message| {
        eprintln!("error: {}: {message}", origin.display());
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

/// `--allow-outside-files`, set once when the command line is parsed.
static ALLOW_OUTSIDE_FILES: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether files named by inputs may lie outside their folders (`--allow-outside-files`).
fn allow_outside_files() -> bool {
    ALLOW_OUTSIDE_FILES.load(std::sync::atomic::Ordering::Relaxed)
}

/// The scenario at `path`, by the command line's path rules.
fn load_file(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
    scenario::load_with(path, allow_outside_files())
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write summary.json and intervals.csv.
    Run(run::RunArgs),
    /// Check a scenario and report every problem; runs nothing.
    Validate {
        /// Scenario file (.toml or .json).
        file: PathBuf,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// Serve the Infobip Conversations API (a mock) on loopback for a bot or integration
    /// under test.
    Mock(mock::MockArgs),
    /// Serve the scenario's bot over HTTP as a reference system under test: it hears
    /// webhooks and answers through the platform's API.
    Bot(bot::BotArgs),
    /// Drive the scenario's customers on wall-clock time at a system under test through the
    /// Infobip mock, and measure it.
    Load(load::LoadArgs),
    /// The whole live loop on loopback in one process: the Infobip mock, the reference bot as
    /// the system under test, and the load of the bundled live-demo scenario; prints the report.
    Demo(load::DemoArgs),
    /// Run every point of a sweep plan (variations of one scenario), or one shard of it.
    Sweep(sweep::SweepArgs),
    /// Merge the shard files of a sweep into its report, exactly as an unsharded run.
    Merge(sweep::MergeArgs),
    /// Compare a candidate (a scenario, or a variation of the base) with a base on the same
    /// random numbers; with --gate, exit 3 when a metric worsens past its limit.
    Compare(compare::CompareArgs),
    /// The agents each queue needs per interval to meet a service-level target: Erlang C/A
    /// first, then checked and corrected by simulation; next to the roster, with the gap.
    Staff(staff::StaffArgs),
    /// Erlang C/A for one queue and interval, as an Erlang calculator gives it: service level,
    /// ASA, abandonment and occupancy with N agents, and the agents a target needs.
    Erlang(erlang::ErlangArgs),
    /// Generate random valid scenarios from seeds and run each under the full invariant
    /// checker; exit 1 when one fails, writing its scenario file to replay it.
    Swarm(swarm::SwarmArgs),
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            });
        }
    };
    ALLOW_OUTSIDE_FILES.store(
        cli.allow_outside_files,
        std::sync::atomic::Ordering::Relaxed,
    );
    *BUDGET
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Budget {
        max_conversations: cli.max_conversations,
        max_open: cli.max_open,
    };
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Mock(args) => mock::mock(args),
        Command::Bot(args) => bot::bot(args),
        Command::Load(args) => load::load(args),
        Command::Demo(args) => load::demo(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Merge(args) => sweep::merge(args),
        Command::Compare(args) => compare::compare_cmd(args),
        Command::Staff(args) => staff::staff_cmd(args),
        Command::Erlang(args) => erlang::erlang_cmd(args),
        Command::Swarm(args) => swarm::swarm_cmd(args),
        Command::Validate { file } => match load_file(&file) {
            Ok(s) => {
                let mut one = [s];
                if let Err(code) = within_budget(&mut one, &file) {
                    return code;
                }
                outln!("{}: ok ({})", file.display(), describe(&one[0]));
                for w in &one[0].warnings {
                    outln!("warning ({}): {}", w.field, w.message);
                }
                ExitCode::from(EXIT_OK)
            }
            Err(e) => bad_input(&e),
        },
        Command::Schema => {
            let schema = schemars::schema_for!(scenario::file::ScenarioFile);
            match serde_json::to_string_pretty(&schema) {
                Ok(text) => {
                    outln!("{text}");
                    ExitCode::from(EXIT_OK)
                }
                Err(e) => internal(&anyhow::Error::from(e)),
            }
        }
    }
}

fn describe(s: &Scenario) -> String {
    let c = &s.centre;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let e = budget::estimate(s);
    format!(
        "{}, {}, {}, {:.1} days, {}; about {:.0} conversations",
        count(c.queues.len(), "queue", "queues"),
        count(c.agents.len(), "agent", "agents"),
        count(c.segments.len(), "arrival segment", "arrival segments"),
        c.horizon_ms as f64 / 86_400_000.0,
        count(s.replications as usize, "replication", "replications"),
        e.conversations,
    )
}

/// A server flag's address must be a loopback one unless `--allow-remote` says otherwise: what
/// ccsim serves (the mock, the reference bot's webhook) takes unauthenticated requests.
fn loopback_only(
    flag: &str,
    addr: std::net::SocketAddr,
    allow_remote: bool,
) -> Result<(), ExitCode> {
    if addr.ip().is_loopback() || allow_remote {
        return Ok(());
    }
    eprintln!(
        "error: {flag} {addr} is not a loopback address: pass --allow-remote to listen beyond this machine (it takes unauthenticated requests)"
    );
    Err(ExitCode::from(EXIT_BAD_INPUT))
}

/// A run stopped at its budget: the message, and exit 4; nothing was written.
fn budget_hit(hit: &crate::scenario::budget::BudgetHit) -> ExitCode {
    eprintln!("error: {hit}; no report was written");
    ExitCode::from(EXIT_BUDGET)
}

fn bad_input(e: &ScenarioError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// The scenario at `file` (the bundled quickstart without one) with `--seed` and
/// `--replications` applied; on bad input, the exit code after the message is printed.
fn load_scenario(
    file: Option<&std::path::Path>,
    seed: Option<u64>,
    replications: Option<u32>,
    set: &[String],
) -> Result<Scenario, ExitCode> {
    let mut scenario = match (file, set.is_empty()) {
        (Some(path), true) => load_file(path).map_err(|e| bad_input(&e))?,
        (None, true) => scenario::quickstart().map_err(|e| bad_input(&e))?,
        (Some(path), false) => with_settings(path, set)?,
        (None, false) => {
            eprintln!(
                "error: --set changes a scenario file: name one (e.g. scenarios/quickstart.toml)"
            );
            return Err(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    if let Some(n) = replications {
        if n == 0 {
            eprintln!("error: --replications 0: expected at least 1");
            return Err(ExitCode::from(EXIT_BAD_INPUT));
        }
        scenario.replications = n;
    }
    let origin = file.unwrap_or(std::path::Path::new(scenario::QUICKSTART_PATH));
    let mut one = [scenario];
    within_budget(&mut one, origin)?;
    let [scenario] = one;
    Ok(scenario)
}

/// The scenario at `path` with every `PATH=VALUE` of `--set` applied, as a variation applies
/// its settings (docs/planning.md: paths by key, by name in arrays), then checked like a file.
/// A value is read as TOML (`365`, `0.8`, `true`, `"text"`, `[1, 2]`), else as text.
fn with_settings(path: &std::path::Path, set: &[String]) -> Result<Scenario, ExitCode> {
    use crate::plan::variation::{Setting, Variation};
    let mut settings = Vec::with_capacity(set.len());
    for s in set {
        match Setting::parse_assignment(s) {
            Ok(setting) => settings.push(setting),
            Err(m) => {
                eprintln!("error: --set {m}");
                return Err(ExitCode::from(EXIT_BAD_INPUT));
            }
        }
    }
    let variation = Variation {
        name: "--set".into(),
        settings,
    };
    crate::plan::plan_file::BaseScenario::load(path, allow_outside_files())
        .and_then(|base| base.vary(&variation, None, None))
        .map_err(|e| plan_error(&e))
}

fn plan_error(e: &crate::plan::PlanError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn internal(e: &anyhow::Error) -> ExitCode {
    eprintln!("internal error: {e:#}");
    ExitCode::from(EXIT_INTERNAL)
}
