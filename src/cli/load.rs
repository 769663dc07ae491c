//! `ccsim load`: the scenario's customers on wall-clock time against a system under test;
//! writes the report and exits 3 when a threshold is broken. `ccsim demo` is the same run with
//! the reference bot as the system under test, in one process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_OK, bad_input, internal};
use crate::live::bot_server::api_channel;
use crate::live::load::Stage;
use crate::live::load::files::{write_html, write_intervals, write_junit, write_summary};
use crate::live::load::interrupt::EXIT_INTERRUPTED;
use crate::live::load::{LoadConfig, LoadError, Threshold, run_load, run_with_reference_bot};
use crate::live::mock::MockConfig;
use crate::live::mock::inbound::InboundType;
use crate::live::mock::state::StoreCaps;
use crate::live::webhook::WebhookPolicy;
use crate::report::write_files;
use crate::scenario::{self, Scenario};

/// Flags of `ccsim load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Scenario whose customers write (its `[bot]` decides which conversations meet the bot).
    file: PathBuf,
    /// The system under test's webhook URL; without it, the webhook the system registers on
    /// the mock itself (`PUT /ccaas/1/account/configuration`).
    #[arg(long)]
    target: Option<String>,
    #[command(flatten)]
    flags: LoadFlags,
}

/// Flags of `ccsim demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Scenario with a `[bot]`; by default the bundled scenarios/live-demo.toml.
    file: Option<PathBuf>,
    /// Where the reference bot (the system under test) listens for webhooks.
    #[arg(long, default_value = "127.0.0.1:8090")]
    bot_listen: SocketAddr,
    #[command(flatten)]
    flags: LoadFlags,
}

/// The flags `ccsim load` and `ccsim demo` share.
#[derive(Debug, Args)]
pub struct LoadFlags {
    /// Where the Infobip mock listens; the system under test calls its API there. A loopback
    /// address unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1:8089")]
    listen: SocketAddr,
    /// Allow non-loopback --listen (and, for demo, --bot-listen) addresses: the mock and the
    /// reference bot take unauthenticated requests from anyone who reaches them.
    #[arg(long)]
    allow_remote: bool,
    /// Simulated time per wall-clock time: 60 runs a simulated hour in a minute [default: the
    /// scenario's `[load] compress`, else 1].
    #[arg(long)]
    compress: Option<f64>,
    /// Seconds of arrivals, wall clock [default: the scenario's `[load] duration_s`, else 60;
    /// with stages, their sum].
    #[arg(long)]
    duration_s: Option<f64>,
    /// Where in the scenario's run to start: a local date-time such as 2026-01-05T09:00, to
    /// aim at its busy hours [default: the scenario's `[load] start`, else its start].
    #[arg(long, value_name = "LOCAL_DATE_TIME")]
    start: Option<String>,
    /// A k6-style ramp stage, SECONDS:FACTOR: over that many wall-clock seconds the arrival
    /// rate moves linearly to FACTOR times the scenario's (the first from 0). Repeatable; the
    /// stages' sum is the run's length. Replaces the scenario's `[load] stages`.
    #[arg(long = "stage", value_name = "SECONDS:FACTOR")]
    stages: Vec<String>,
    /// Seconds after the last arrival for the conversations under way to finish (replies
    /// awaited, agents finishing what they hold).
    #[arg(long, default_value_t = 10.0)]
    grace_s: f64,
    /// Seconds per row of intervals.csv.
    #[arg(long, default_value_t = 10.0)]
    interval_s: f64,
    /// A pass/fail threshold, e.g. 'reply_p99_ms < 2000'; repeatable, added to the scenario's
    /// `[load] thresholds`. A broken one exits 3.
    #[arg(long = "threshold")]
    thresholds: Vec<String>,
    /// Folder for the reports; default reports/<scenario name>-load/.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Webhook POST timeout per attempt, ms.
    #[arg(long, default_value_t = 10_000)]
    webhook_timeout_ms: u64,
    /// Redeliveries after a failed webhook POST.
    #[arg(long, default_value_t = 0)]
    redeliveries: u32,
    /// Share of messages POSTed twice on purpose, 0..1.
    #[arg(long, default_value_t = 0.0)]
    duplicate_share: f64,
    /// Answer 429 past Infobip's documented rate limits on the mock (Get Messages 500 a
    /// minute, WhatsApp sends 4,000 a second), as the platform does; `off` to measure
    /// something else.
    #[arg(long, value_enum, default_value = "on")]
    rate_limits: super::mock::Switch,
    /// Forget closed conversations on the mock this many seconds after they close, so a long
    /// run's memory stays flat (the system under test reading one later gets a 404).
    #[arg(long, default_value_t = 120)]
    retain_closed_s: u64,
    /// The most conversations the mock holds (open and closed): past it, the oldest closed
    /// ones are evicted, and with none closed a new one is refused with 429.
    #[arg(long, default_value_t = crate::live::mock::state::retention::DEFAULT_MAX_CONVERSATIONS)]
    max_stored_conversations: usize,
    /// The most messages the mock holds, likewise.
    #[arg(long, default_value_t = crate::live::mock::state::retention::DEFAULT_MAX_MESSAGES)]
    max_stored_messages: usize,
    /// Seconds to wait, with the mock up, for the target to accept connections before the
    /// first customer arrives (so the system under test may start after the mock).
    #[arg(long, default_value_t = 10.0)]
    wait_for_target_s: f64,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

fn seconds(name: &str, s: f64) -> Result<u64, String> {
    if s.is_finite() && s >= 0.0 {
        Ok((s * 1000.0).round() as u64)
    } else {
        Err(format!("--{name} {s}: expected seconds, 0 or more"))
    }
}

pub(super) fn load(args: LoadArgs) -> ExitCode {
    match super::load_file(&args.file) {
        Ok(s) => run(&s, &args.flags, args.target, None),
        Err(e) => bad_input(&e),
    }
}

pub(super) fn demo(args: DemoArgs) -> ExitCode {
    let s = match &args.file {
        Some(file) => super::load_file(file),
        None => scenario::live_demo(),
    };
    match s {
        Ok(s) => {
            let target = format!("http://{}/webhook", args.bot_listen);
            run(&s, &args.flags, Some(target), Some(args.bot_listen))
        }
        Err(e) => bad_input(&e),
    }
}

/// Runs the load of `s`; with `reference_bot`, also serves the reference bot there (the
/// system under test, in this process).
fn run(
    s: &Scenario,
    args: &LoadFlags,
    target: Option<String>,
    reference_bot: Option<SocketAddr>,
) -> ExitCode {
    let listens = [
        ("--listen", Some(args.listen)),
        ("--bot-listen", reference_bot),
    ];
    for (flag, addr) in listens {
        if let Some(addr) = addr
            && let Err(code) = super::loopback_only(flag, addr, args.allow_remote)
        {
            return code;
        }
    }
    let parsed: Result<Vec<Threshold>, String> = args
        .thresholds
        .iter()
        .map(|t| Threshold::parse(t))
        .collect();
    let parsed = parsed.map(|flags| {
        let mut all = s.load.thresholds.clone();
        all.extend(flags);
        all
    });
    let compress = args.compress.or(s.load.compress).unwrap_or(1.0);
    let stages: Result<Vec<Stage>, String> = if args.stages.is_empty() {
        s.load
            .stages
            .iter()
            .map(|&(d, t)| Stage::new(d, t))
            .collect()
    } else {
        args.stages.iter().map(|t| Stage::parse(t)).collect()
    };
    let stages = match stages {
        Ok(st) if !st.is_empty() && args.duration_s.is_some() => {
            eprintln!(
                "error: --duration-s with stages: the stages' durations make the run's length; give one or the other"
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Ok(st) => st,
        Err(e) => {
            eprintln!("error: --stage {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let duration_s = if stages.is_empty() {
        args.duration_s.or(s.load.duration_s).unwrap_or(60.0)
    } else {
        stages.iter().map(|st| st.duration_ms as f64 / 1000.0).sum()
    };
    let start = match args.start.as_deref() {
        Some(text) => match text.parse::<jiff::civil::DateTime>() {
            Ok(dt) => Some(dt),
            Err(_) => {
                eprintln!(
                    "error: --start '{text}': expected a local date-time such as 2026-01-05T09:00"
                );
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
        None => s.load.start,
    };
    let start_ms = match start.map(|dt| s.centre.calendar.ms_of_local(dt)) {
        None => 0,
        Some(ms) if ms >= 0 && (ms as u64) < s.centre.horizon_ms => ms as u64,
        Some(_) => {
            eprintln!(
                "error: --start {}: outside the scenario's run ({} to {})",
                start.map(|d| d.to_string()).unwrap_or_default(),
                s.centre.calendar.zoned(0).strftime("%Y-%m-%dT%H:%M"),
                s.centre
                    .calendar
                    .zoned(s.centre.horizon_ms)
                    .strftime("%Y-%m-%dT%H:%M")
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let times = (|| {
        Ok::<_, String>((
            seconds("duration-s", duration_s)?,
            seconds("grace-s", args.grace_s)?,
            seconds("interval-s", args.interval_s)?.max(1),
            seconds("wait-for-target-s", args.wait_for_target_s)?,
        ))
    })();
    let (thresholds, (duration_ms, grace_ms, interval_ms, wait_for_target_ms)) =
        match (parsed, times) {
            (Ok(t), Ok(d)) => (t, d),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        };
    if !(0.0..=1.0).contains(&args.duplicate_share) {
        eprintln!(
            "error: --duplicate-share {}: expected 0 to 1",
            args.duplicate_share
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let mut mock = MockConfig {
        webhook: WebhookPolicy {
            timeout_ms: args.webhook_timeout_ms,
            redeliveries: args.redeliveries,
            duplicate_share: args.duplicate_share,
            seed: s.seed,
            ..WebhookPolicy::default()
        },
        retain_closed_ms: Some(args.retain_closed_s.saturating_mul(1000)),
        routing: Some(s.centre.clone()),
        rate_limits: args.rate_limits == super::mock::Switch::On,
        caps: StoreCaps {
            conversations: args.max_stored_conversations,
            messages: args.max_stored_messages,
        },
        ..MockConfig::default()
    };
    if let Some(bot) = &s.centre.bot {
        mock.bots = vec![bot.name.clone()];
        if bot.assigned {
            let channels = bot.channels.iter().filter_map(|k| api_channel(*k));
            mock.inbound_bot = Some((bot.name.clone(), channels.map(String::from).collect()));
        }
    }
    let config = LoadConfig {
        spec: s.centre.clone(),
        seed: s.seed,
        target: target.clone(),
        listen: args.listen,
        allow_remote: args.allow_remote,
        compress,
        duration_ms,
        start_ms,
        stages,
        grace_ms,
        interval_ms,
        mock,
        progress: !args.quiet,
        wait_for_target_ms,
        inbound_content: s
            .load
            .inbound_content
            .iter()
            .filter_map(|(key, share)| InboundType::from_key(key).map(|t| (t, *share)))
            .collect(),
    };
    let system = actix_web::rt::System::new();
    if !args.quiet {
        outln!(
            "ccsim load: {} for {} s (compress {}), Infobip mock on http://{}, webhook {}",
            s.name,
            duration_s,
            compress,
            args.listen,
            target
                .as_deref()
                .unwrap_or("registered by the system under test")
        );
    }
    let ran = match reference_bot {
        None => system.block_on(run_load(&config, &thresholds, &s.name)),
        Some(bot) => {
            if !args.quiet {
                outln!("the reference bot (system under test) on http://{bot}/webhook");
            }
            system.block_on(run_with_reference_bot(
                config,
                thresholds,
                s.name.clone(),
                bot,
            ))
        }
    };
    let report = match ran {
        Ok((r, _)) => r,
        // Each is about the scenario or the flags (an address in use included).
        Err(e @ (LoadError::NoBot | LoadError::Setting(_) | LoadError::Mock(_))) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("{}-load", s.name)));
    let summary = |w: &mut dyn std::io::Write| write_summary(&report, w);
    let intervals = |w: &mut dyn std::io::Write| write_intervals(&report, w);
    let junit = |w: &mut dyn std::io::Write| write_junit(&report, w);
    let html = |w: &mut dyn std::io::Write| write_html(&report, w);
    if let Err(e) = write_files(
        &dir,
        &[
            ("summary.json", &summary),
            ("intervals.csv", &intervals),
            ("junit.xml", &junit),
            ("report.html", &html),
        ],
    ) {
        return internal(&anyhow::Error::from(e));
    }
    let l = &report.load;
    outln!(
        "{} conversations, {} messages, {} replies; reply p50 {} ms, p99 {} ms; first reply p99 {} ms; unanswered {} ({:.4}); handoffs {}; webhook errors {:.4}",
        l.conversations,
        l.inbound,
        l.replies,
        l.reply_p50_ms,
        l.reply_p99_ms,
        l.first_reply_p99_ms,
        l.unanswered,
        l.unanswered_rate,
        l.handoffs,
        report.webhook_error_rate
    );
    let h = &report.humans;
    if h.conversations > 0 {
        outln!(
            "humans: {} conversations ({} handed over), {} answered, {} abandoned; wait p50 {:.0} s, p90 {:.0} s (simulated)",
            h.conversations,
            h.handed_over,
            h.answered,
            h.abandoned,
            h.wait_p50_s,
            h.wait_p90_s
        );
    }
    for v in &report.thresholds {
        outln!(
            "  {} {}: {} was {}",
            if v.passed { "pass" } else { "FAIL" },
            v.threshold,
            v.threshold.figure,
            v.actual
        );
    }
    // The generator's health is ccsim's, not the system under test's: said, never judged.
    outln!("{}", report.harness.describe());
    outln!("reports in {}", dir.display());
    if report.interrupted {
        eprintln!(
            "ccsim: the run was interrupted: the reports cover what ran and judge nothing (exit {EXIT_INTERRUPTED})"
        );
        ExitCode::from(EXIT_INTERRUPTED)
    } else if report.passed {
        ExitCode::from(EXIT_OK)
    } else {
        ExitCode::from(super::EXIT_REGRESSION)
    }
}
