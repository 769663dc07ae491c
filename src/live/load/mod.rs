//! `ccsim load`: the scenario's customers on wall-clock time against a real system under test.
//!
//! The simulation's customer actor runs unchanged (arrivals, patience, think times, what each
//! customer wants), on a driver that keeps its timers on the wall clock — optionally compressed
//! (`compress` 60: a simulated minute per second). What it says to the platform goes to the
//! in-process Infobip mock: each customer message is stored in its conversation and POSTed to
//! the system under test's webhook at its intended time (an open model: arrivals follow the
//! scenario, not the system's speed). What the system under test writes back through the
//! mock's API — replies, closes, routes — comes back to the customers, who answer, leave or are
//! handed over. Everything is measured from each message's intended time (`measure`).
//!
//! What the system under test hands over (and the conversations of channels the bot is not
//! on) goes to the human side ([`humans`]): the scenario's own platform, queues and agents,
//! measured in simulated time. What they do to a handed-over conversation is written to the
//! mock as Infobip's platform would (its assignee, the agents' replies, its close); with the
//! mock's retention of closed conversations, a long run holds only what is live: memory stays
//! flat.
//!
//! Every actor here (customers, platform, queues, agents, and the platform's bot side on the
//! mock, `bot_side`) is an actor of the live runtime ([`crate::live::runtime`]), which owns
//! the ordering rule; `routes` says where each message goes. When the arrivals end, only
//! the customers' arrival timers stop: replies, agents and closes go on through the grace
//! period.

mod bot_side;
mod content_mix;
pub mod files;
mod followed;
pub mod humans;
pub mod interrupt;
pub mod measure;
mod report;
mod routes;
mod startup;
pub mod window;
mod with_bot;

pub use report::{ApiView, HarnessView, LoadReport, Verdict};

pub use with_bot::run_with_reference_bot;

use std::cell::Cell;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::Actor;
use tokio::sync::mpsc;

use self::bot_side::{AskFinal, AskStatus, BotSide, MockEvent};
use self::content_mix::ContentMix;
use self::followed::FollowedConversations;
use self::humans::{AskHumans, HumanSide, HumansRecorder};
use self::interrupt::Interrupt;
use self::measure::LoadMeasures;
use self::routes::LoadRoutes;
use self::startup::{progress_bar, wait_for};
pub use self::window::Stage;
use super::mock::routes::worker_data;
use super::mock::{MockConfig, MockStartError, serve_shared, shared};
use super::runtime::{Host, LiveClock, Runtime, Start};
use crate::actors::customer::Customers;
use crate::live::mock::inbound::InboundType;
use crate::model::centre::CentreSpec;
pub use crate::scenario::load::{Op, Threshold};

/// How a load run goes.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// The centre whose customers write.
    pub spec: Arc<CentreSpec>,
    /// Seed of the customers' streams.
    pub seed: u64,
    /// The system under test's webhook; none: the one it registers itself on the mock.
    pub target: Option<String>,
    /// Where the mock listens (the system under test calls its API there).
    pub listen: SocketAddr,
    /// `listen` may be a non-loopback address (reachable from other machines).
    pub allow_remote: bool,
    /// Simulated time per wall-clock time (1: real time).
    pub compress: f64,
    /// How long customers arrive, wall-clock ms.
    pub duration_ms: u64,
    /// Where in the scenario the run starts, simulated ms since its start (`--start`).
    pub start_ms: u64,
    /// Ramp stages (`--stage`): the arrival rate's factor over wall-clock time; none: 1.
    pub stages: Vec<Stage>,
    /// How long the conversations under way may still go on after that (replies awaited,
    /// agents finishing what they hold), ms; it ends sooner once everything is done.
    pub grace_ms: u64,
    /// Rows of the interval table, wall-clock ms.
    pub interval_ms: u64,
    /// The mock's settings (keys, webhook policy…).
    pub mock: MockConfig,
    /// Draw a progress bar on the terminal.
    pub progress: bool,
    /// How long to wait, with the mock up, for the target to accept connections before the
    /// first customer arrives (a system under test that reaches the mock first starts after
    /// it), ms; 0: start at once.
    pub wait_for_target_ms: u64,
    /// The share of customers' messages sent as each content type other than text (the
    /// scenario's `[load.inbound_content]`); the rest are text.
    pub inbound_content: Vec<(InboundType, f64)>,
}

/// Why a load run could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The mock could not be served.
    #[error(transparent)]
    Mock(#[from] MockStartError),
    /// The scenario has no bot in front of any channel: there is nothing to load.
    #[error(
        "the scenario has no [bot] in front of a channel: ccsim load drives conversations that meet a bot first"
    )]
    NoBot,
    /// A bad setting.
    #[error("{0}")]
    Setting(String),
}

/// How long the system under test must be quiet, after the arrivals, for the run to end
/// before its grace period is over.
const QUIET: Duration = Duration::from_secs(1);

/// After a first signal, how long what is in flight may still finish (or the run's own grace,
/// when shorter).
const INTERRUPT_GRACE: Duration = Duration::from_secs(5);

/// The fate of a webhook delivery still under way when the run ended (`by_outcome`); it
/// counts as not delivered.
pub const IN_FLIGHT_AT_END: &str = "in_flight_at_end";

/// Serves the mock on `config.listen`, runs the load, and returns the report. Call inside an
/// actix system.
pub async fn run_load(
    config: &LoadConfig,
    thresholds: &[Threshold],
    name: &str,
) -> Result<(LoadReport, SocketAddr), LoadError> {
    if config.spec.bot.is_none() {
        return Err(LoadError::NoBot);
    }
    if !(config.compress.is_finite() && config.compress > 0.0) {
        return Err(LoadError::Setting(format!(
            "--compress {}: expected a positive factor",
            config.compress
        )));
    }
    if config.spec.trace.is_some() && (config.start_ms > 0 || !config.stages.is_empty()) {
        return Err(LoadError::Setting(
            "--start and --stage shape arrival rates; a trace replays its own arrivals".into(),
        ));
    }
    if config.start_ms >= config.spec.horizon_ms {
        return Err(LoadError::Setting(format!(
            "--start: {} h into a scenario of {} h; expected a time inside its run",
            config.start_ms / 3_600_000,
            config.spec.horizon_ms / 3_600_000
        )));
    }
    // The customers of the window (and ramp) asked for; the scenario itself otherwise.
    let spec = if config.start_ms > 0 || !config.stages.is_empty() {
        Arc::new(window::windowed(
            &config.spec,
            config.start_ms,
            config.duration_ms,
            config.compress,
            &config.stages,
        ))
    } else {
        Arc::clone(&config.spec)
    };
    let data = shared(&config.mock)?;
    let (events_tx, mut events) = mpsc::unbounded_channel();
    data.platform().follow(events_tx);
    if let (Some(bot), Some((name, channels))) = (&config.spec.bot, &config.mock.inbound_bot) {
        debug_assert_eq!(&bot.name, name);
        data.platform().assign_inbound_to(name, channels.clone());
    }
    let (server, addr) = serve_shared(
        data.clone(),
        config.mock.workers,
        config.listen,
        config.allow_remote,
        false,
    )?;
    let handle = server.handle();
    actix_web::rt::spawn(server);
    if let Some(target) = &config.target {
        wait_for(target, Duration::from_millis(config.wait_for_target_ms)).await;
    }
    // The actors, each hosted on the live runtime, and the routes between them.
    let runtime = Runtime::new(
        Arc::clone(&spec),
        config.seed,
        LiveClock::new(config.start_ms, config.compress),
    );
    let started = runtime.clock().started;
    let figures = HumansRecorder::default().start();
    let humans = HumanSide::start(&spec, &runtime);
    let sender = worker_data(&data).get_ref().clone();
    let bot_side = BotSide {
        spec: Arc::clone(&spec),
        runtime: Rc::clone(&runtime),
        humans: humans.platform.clone(),
        figures: figures.clone(),
        shared: data.clone(),
        sender: sender.clone(),
        target: config.target.clone(),
        measures: LoadMeasures::new(config.interval_ms),
        content_mix: ContentMix::new(config.inbound_content.clone()),
        followed: FollowedConversations::default(),
        handed_over: HashMap::new(),
        no_webhook: 0,
        last_event: started,
    }
    .start();
    let customers = Host::start(Customers::new(Arc::clone(&spec)), &runtime);
    let arrivals_open = Rc::new(Cell::new(true));
    runtime.connect(Rc::new(LoadRoutes {
        customers: customers.clone(),
        humans: humans.clone(),
        bot_side: bot_side.clone(),
        figures: figures.clone(),
        arrivals_open: Rc::clone(&arrivals_open),
    }));
    // The simulation's start order: agents check their shifts, the platform its hours, then
    // customers start arriving.
    humans.begin(started);
    customers.do_send(Start);
    drop(humans);
    // What the system under test does on the mock reaches the bot side as it happens.
    let forward = bot_side.clone();
    actix_web::rt::spawn(async move {
        while let Some(e) = events.recv().await {
            forward.do_send(MockEvent(e));
        }
    });
    let bar = progress_bar(config);
    let interrupt = Interrupt::listen();
    let mut arrivals_end = started + Duration::from_millis(config.duration_ms);
    let mut end = arrivals_end + Duration::from_millis(config.grace_ms);
    let mut interrupted = false;
    loop {
        let now = Instant::now();
        if !interrupted && interrupt.raised() {
            // The first signal: no new arrivals; what is in flight has a short grace.
            interrupted = true;
            arrivals_end = arrivals_end.min(now);
            end = end.min(now + INTERRUPT_GRACE);
            bar.suspend(|| {
                eprintln!(
                    "ccsim: interrupted: no new customers; finishing what is in flight for up to {} s (again to quit at once)",
                    INTERRUPT_GRACE.as_secs()
                );
            });
        }
        if now >= arrivals_end {
            arrivals_open.set(false);
        }
        if now >= end {
            break;
        }
        let (Ok(status), Ok((_, humans_open))) = (
            bot_side.send(AskStatus).await,
            figures.send(AskHumans).await,
        ) else {
            break;
        };
        // After the arrivals, the grace ends early once nothing is awaited, nothing is being
        // delivered, the human side has finished its conversations and the system under test
        // has been quiet for a second (its last closes and routes are in).
        if now >= arrivals_end
            && status.awaiting == 0
            && status.in_flight == 0
            && humans_open == 0
            && now.saturating_duration_since(status.last_event) >= QUIET
        {
            break;
        }
        let v = &status.view;
        bar.set_position(started.elapsed().as_secs());
        bar.set_message(format!(
            "{} conversations, {} messages, {} replies, reply p99 {} ms",
            v.conversations, v.inbound, v.replies, v.reply_p99_ms
        ));
        let mut wake = end.min(now + Duration::from_millis(250));
        if now < arrivals_end {
            wake = wake.min(arrivals_end);
        }
        tokio::select! {
            () = actix_web::rt::time::sleep_until(wake.into()) => {}
            () = interrupt.notified(), if !interrupted => {}
        }
    }
    bar.finish_and_clear();
    handle.stop(true).await;
    let last = bot_side.send(AskFinal).await;
    let humans = figures.send(AskHumans).await;
    runtime.shut_down();
    let (Ok(last), Ok((humans, _))) = (last, humans) else {
        return Err(LoadError::Setting(
            "the load's bot side stopped before the end".into(),
        ));
    };
    // Deliveries still under way get their own fate: counted, never lost. Read with the
    // outcomes, no await between, so a delivery ending meanwhile is counted once.
    let in_flight = sender.in_flight();
    let mut deliveries = data.deliveries().view();
    if in_flight > 0 {
        deliveries
            .by_outcome
            .insert(IN_FLIGHT_AT_END.into(), in_flight);
    }
    let sent: u64 = deliveries.by_outcome.values().sum();
    let failed = sent - deliveries.by_outcome.get("delivered").copied().unwrap_or(0);
    let api = ApiView {
        by_endpoint: data.api_stats().endpoints(),
        errors: data.api_stats().errors.clone(),
    };
    let mut report = LoadReport {
        scenario: name.to_string(),
        target: config.target.clone(),
        compress: config.compress,
        duration_s: config.duration_ms as f64 / 1000.0,
        start: config
            .spec
            .calendar
            .zoned(config.start_ms)
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string(),
        stages: config
            .stages
            .iter()
            .map(|s| report::StageView {
                duration_s: s.duration_ms as f64 / 1000.0,
                target: s.target,
            })
            .collect(),
        load: last.view,
        webhook_error_rate: if sent == 0 {
            0.0
        } else {
            (failed + last.no_webhook) as f64 / (sent + last.no_webhook) as f64
        },
        harness: HarnessView::of(&deliveries),
        deliveries,
        api,
        humans,
        interrupted,
        thresholds: Vec::new(),
        passed: !interrupted,
        rows: last.rows,
    };
    // An interrupted run is judged on nothing: its figures stop where the signal came, and a
    // threshold broken by the cut would be blamed on the system under test.
    if !interrupted {
        report.thresholds = thresholds
            .iter()
            .map(|t| {
                let actual = report.figure(&t.figure);
                Verdict {
                    threshold: t.clone(),
                    actual,
                    passed: t.met_by(actual),
                }
            })
            .collect();
        report.passed = report.thresholds.iter().all(|v| v.passed);
    }
    Ok((report, addr))
}
