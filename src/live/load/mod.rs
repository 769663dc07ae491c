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
//! on) goes to the human side ([`humans`]): the scenario's own platform, queues and agents on
//! the same wall-clock timers, measured in simulated time. When the humans close a handed-over
//! conversation, the driver closes it on the mock; with the mock's retention of closed
//! conversations, a long run holds only what is live: memory stays flat.

mod content_mix;
pub mod files;
pub mod humans;
pub mod interrupt;
pub mod measure;
mod report;
mod startup;
pub mod window;
mod with_bot;

pub use report::{ApiView, HarnessView, LoadReport, Verdict};

pub use with_bot::run_with_reference_bot;

use crate::actors::{CustomerMsg, PlatformMsg};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web::{self, Bytes};
use tokio::sync::mpsc;

use self::content_mix::ContentMix;
use self::humans::Humans;
use self::interrupt::Interrupt;
use self::measure::LoadMeasures;
use self::startup::{progress_bar, wait_for};
pub use self::window::Stage;
use super::bot_server::{api_channel, text_of};
use super::context::{LiveContext, Outbox, Streams};
use super::mock::routes::{Shared, notify, now_ms as epoch_ms, worker_data};
use super::mock::state::PlatformEvent;
use super::mock::wire::ConversationIn;
use super::mock::{MockConfig, MockStartError, serve_shared, shared};
use super::webhook::WebhookSender;
use crate::actors::customer::Customers;
use crate::actors::{ConvId, Intent, Msg};
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
    /// How long replies are still awaited after that, ms.
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

/// What the driver runs next.
enum Step {
    /// The actors' first messages.
    Start,
    /// A message to an actor (the customers, or the human side's platform, queues, agents).
    Deliver(Msg),
    /// A conversation for the humans from the start (its arrival).
    Arrive(PlatformMsg),
    /// The system under test handed this conversation over.
    HandOver(ConvId),
}

/// The driver: the customer actor and the human side on wall-clock timers, and the platform's
/// bot side in the mock.
struct Driver {
    spec: Arc<CentreSpec>,
    customers: Customers,
    humans: Humans,
    streams: Streams,
    next_timer: u64,
    started: Instant,
    /// The simulated time the run starts at (`--start`).
    start_ms: u64,
    compress: f64,
    timers: BinaryHeap<Reverse<(Instant, u64)>>,
    pending: HashMap<u64, Msg>,
    /// Each customer conversation's segment and customer id, and its mock conversation.
    convs: HashMap<ConvId, (u32, u64, Option<String>)>,
    by_public: HashMap<String, ConvId>,
    measures: LoadMeasures,
    shared: web::Data<Shared>,
    sender: WebhookSender,
    target: Option<String>,
    /// Customer messages that found no webhook to go to (nobody hears them, BOT-1).
    no_webhook: u64,
    /// The intended time of the timer being handled: what the customers do then is sent as
    /// of that time, however late the driver woke (no coordinated omission).
    due: Option<Instant>,
    /// Handed-over conversations on the human side, with their id on the mock: when the
    /// human side is done with one (closed, or its customer gave up waiting), so is the mock.
    handed_over: HashMap<ConvId, String>,
    /// The content types' shares ([`LoadConfig::inbound_content`]), and how many messages
    /// could have taken one so far.
    content_mix: ContentMix,
}

impl Driver {
    /// Simulated ms since the start, as of the timer being handled (or now).
    fn virtual_ms(&self) -> u64 {
        let at = self.due.unwrap_or_else(Instant::now);
        let wall = at.saturating_duration_since(self.started);
        self.start_ms + (wall.as_secs_f64() * 1000.0 * self.compress) as u64
    }

    fn wall_ms(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.started).as_millis() as u64
    }

    fn start(&mut self) {
        self.due = Some(self.started);
        self.process(Step::Start);
        self.due = None;
    }

    /// Runs `first` and everything it sets off now — the customer actor and the human side
    /// hand messages to each other; what is for the bot goes to the mock — and keeps the
    /// timers they ask for. Messages are delivered in the order they were sent.
    fn process(&mut self, first: Step) {
        let mut work = VecDeque::from([first]);
        while let Some(step) = work.pop_front() {
            let mut out = Outbox::default();
            let now = self.virtual_ms();
            let mut ctx = LiveContext::new(now, &mut out, &mut self.streams, &mut self.next_timer);
            match step {
                Step::Start => {
                    self.customers.start(&mut ctx);
                    self.humans.start(&mut ctx);
                }
                Step::Deliver(Msg::Customers(msg)) => self.customers.handle(msg, &mut ctx),
                Step::Deliver(msg) => self.humans.handle(msg, &mut ctx),
                Step::Arrive(arrival) => self.humans.arrive(arrival, &mut ctx),
                Step::HandOver(conv) => {
                    self.humans.hand_over(conv, &mut ctx);
                }
            }
            for metric in &out.metrics {
                self.humans.measure(metric);
            }
            for (delay_ms, later, timer) in out.scheduled {
                let wall = Duration::from_secs_f64(delay_ms as f64 / 1000.0 / self.compress);
                let from = self.due.unwrap_or_else(Instant::now);
                self.timers.push(Reverse((from + wall, timer.seq)));
                self.pending.insert(timer.seq, later);
            }
            for timer in out.cancelled {
                self.pending.remove(&timer.seq);
            }
            for sent in out.sent {
                if let Msg::Customers(CustomerMsg::Closed { conv } | CustomerMsg::Left { conv }) =
                    sent
                {
                    self.humans_done(conv);
                }
                match sent {
                    // A customer's own message to the platform: the bot's part is on the mock.
                    Msg::Platform(
                        m @ (PlatformMsg::Inbound { .. }
                        | PlatformMsg::ToBot { .. }
                        | PlatformMsg::CustomerLeft { .. }
                        | PlatformMsg::RejoinBot { .. }),
                    ) => work.extend(self.platform(m)),
                    Msg::Customers(_) | Msg::Platform(_) | Msg::Queue(..) | Msg::Agent(..) => {
                        work.push_back(Step::Deliver(sent))
                    }
                    // The bot and the external centre are the system under test's part live.
                    Msg::Bot(_) | Msg::External(_) => {}
                }
            }
        }
    }

    /// The platform's side of a customer's message: the bot's conversations go to the mock
    /// (and on to the system under test); the rest to the human side.
    fn platform(&mut self, msg: PlatformMsg) -> Option<Step> {
        match msg {
            PlatformMsg::Inbound {
                conv,
                segment,
                customer,
                ..
            } => {
                let channel = self.spec.segments[segment.index()].channel;
                let bot_first = self
                    .spec
                    .bot
                    .as_ref()
                    .is_some_and(|b| b.meets_first(channel));
                if !bot_first || api_channel(channel).is_none() {
                    return Some(Step::Arrive(msg));
                }
                self.humans.remember(conv, msg);
                self.convs.insert(conv, (segment.0, customer, None));
                self.send(conv, Intent::Continue);
                None
            }
            PlatformMsg::ToBot { conv, intent } => {
                self.send(conv, intent);
                None
            }
            PlatformMsg::CustomerLeft { conv } => {
                self.humans.forget(conv);
                if let Some((_, _, Some(public))) = self.convs.remove(&conv) {
                    self.measures.left(&public);
                    self.by_public.remove(&public);
                }
                None
            }
            // BOT-2's give-back needs a human who hands back to the system under test: not
            // driven live.
            _ => None,
        }
    }

    /// A customer message into its conversation on the mock, and to the webhook.
    fn send(&mut self, conv: ConvId, intent: Intent) {
        let Some(&(segment, customer, _)) = self.convs.get(&conv) else {
            return;
        };
        let kind = self.spec.segments[segment as usize].channel;
        let channel = api_channel(kind).unwrap_or("LIVE_CHAT");
        let from = format!("3859{:08}", customer % 100_000_000);
        let to = format!("38510{segment:04}");
        let intended = self.due.unwrap_or_else(Instant::now);
        let (kind, n) = self.content_mix.next(intent);
        let content = (kind, kind.sample_content(text_of(intent), n));
        let stored = self
            .shared
            .platform()
            .inbound(channel, &from, &to, content, epoch_ms());
        let Ok(message) = stored else {
            return;
        };
        // Subscriptions hear it too (the Subscriptions API), beside the account webhook.
        notify(&self.shared, &self.sender);
        let public = message.conversation_id.clone();
        if let Some(entry) = self.convs.get_mut(&conv) {
            entry.2 = Some(public.clone());
        }
        self.by_public.insert(public.clone(), conv);
        let duplicated = self.shared.webhook_policy.duplicated(&message.id);
        self.measures
            .inbound(&public, self.wall_ms(intended), duplicated);
        let url = self
            .target
            .clone()
            .or_else(|| self.shared.platform().webhook().map(String::from));
        match (url, serde_json::to_vec(&message)) {
            (Some(url), Ok(body)) => {
                self.sender
                    .deliver(url, Bytes::from(body), message.id, intended);
            }
            _ => self.no_webhook += 1,
        }
    }

    /// What the system under test did on the platform.
    fn event(&mut self, e: PlatformEvent) {
        let now = self.wall_ms(Instant::now());
        match e {
            PlatformEvent::Outbound { conversation, .. } => {
                if self.measures.reply(&conversation, now)
                    && let Some(conv) = self.by_public.get(&conversation).copied()
                {
                    self.process(Step::Deliver(Msg::Customers(CustomerMsg::BotReplied {
                        conv,
                    })));
                }
            }
            PlatformEvent::Closed { conversation } => {
                // Only the load's own live conversations: not the handed-over ones the driver
                // closes itself.
                if let Some(conv) = self.by_public.remove(&conversation) {
                    self.measures.ended(&conversation, false);
                    self.humans.forget(conv);
                    self.process(Step::Deliver(Msg::Customers(CustomerMsg::Closed { conv })));
                }
            }
            PlatformEvent::Routed { conversation } => {
                if let Some(conv) = self.by_public.remove(&conversation) {
                    self.measures.ended(&conversation, true);
                    self.convs.remove(&conv);
                    // The human side takes it from here (routing, queue, agents).
                    self.handed_over.insert(conv, conversation);
                    self.process(Step::HandOver(conv));
                }
            }
        }
    }

    /// The human side is done with `conv`: if it was handed over, its copy on the mock is
    /// closed too (so the customer's next message starts a new conversation, WIN-2, and a long
    /// run holds only what is live).
    fn humans_done(&mut self, conv: ConvId) {
        let Some(public) = self.handed_over.remove(&conv) else {
            return;
        };
        let close = ConversationIn {
            status: Some("CLOSED".into()),
            ..ConversationIn::default()
        };
        // Already closed by the system under test: nothing to do.
        let _ = self
            .shared
            .platform()
            .update_conversation(&public, &close, false, epoch_ms());
    }

    /// Delivers every timer due by now.
    fn fire_due(&mut self) {
        let now = Instant::now();
        while let Some(Reverse((due, seq))) = self.timers.peek().copied() {
            if due > now {
                break;
            }
            self.timers.pop();
            if let Some(msg) = self.pending.remove(&seq) {
                self.due = Some(due);
                self.process(Step::Deliver(msg));
                self.due = None;
            }
        }
    }
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
    let mut d = Driver {
        spec: Arc::clone(&spec),
        customers: Customers::new(Arc::clone(&spec)),
        humans: Humans::new(&spec),
        streams: Streams::new(config.seed, Arc::clone(&spec)),
        next_timer: 0,
        started: Instant::now(),
        start_ms: config.start_ms,
        compress: config.compress,
        timers: BinaryHeap::new(),
        pending: HashMap::new(),
        convs: HashMap::new(),
        by_public: HashMap::new(),
        measures: LoadMeasures::new(config.interval_ms),
        sender: worker_data(&data).get_ref().clone(),
        shared: data.clone(),
        target: config.target.clone(),
        no_webhook: 0,
        due: None,
        handed_over: HashMap::new(),
        content_mix: ContentMix::new(config.inbound_content.clone()),
    };
    let bar = progress_bar(config);
    let interrupt = Interrupt::listen();
    d.start();
    let mut arrivals_end = d.started + Duration::from_millis(config.duration_ms);
    let mut end = arrivals_end + Duration::from_millis(config.grace_ms);
    let mut interrupted = false;
    let mut last_tick = Instant::now();
    let mut last_event = Instant::now();
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
        if now >= end {
            break;
        }
        // After the arrivals, the grace ends early once nothing is awaited, nothing is being
        // delivered and the system under test has been quiet for a second (its last closes
        // and routes are in).
        if now >= arrivals_end
            && d.measures.awaiting() == 0
            && d.sender.in_flight() == 0
            && now.duration_since(last_event) >= QUIET
        {
            break;
        }
        let next_timer = if now < arrivals_end {
            d.timers.peek().map(|Reverse((due, _))| *due)
        } else {
            None
        };
        let wake = next_timer
            .unwrap_or(end)
            .min(end)
            .min(now + Duration::from_millis(250));
        tokio::select! {
            e = events.recv() => {
                if let Some(e) = e {
                    d.event(e);
                    last_event = Instant::now();
                }
            }
            () = actix_web::rt::time::sleep_until(wake.into()) => {}
            () = interrupt.notified(), if !interrupted => {}
        }
        if Instant::now() < arrivals_end {
            d.fire_due();
        }
        if last_tick.elapsed() >= Duration::from_millis(250) {
            last_tick = Instant::now();
            let v = d.measures.view();
            bar.set_position(d.started.elapsed().as_secs());
            bar.set_message(format!(
                "{} conversations, {} messages, {} replies, reply p99 {} ms",
                v.conversations, v.inbound, v.replies, v.reply_p99_ms
            ));
        }
    }
    bar.finish_and_clear();
    handle.stop(true).await;
    // Deliveries still under way get their own fate: counted, never lost. Read with the
    // outcomes, no await between, so a delivery ending meanwhile is counted once.
    let in_flight = d.sender.in_flight();
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
        load: d.measures.view(),
        webhook_error_rate: if sent == 0 {
            0.0
        } else {
            (failed + d.no_webhook) as f64 / (sent + d.no_webhook) as f64
        },
        harness: HarnessView::of(&deliveries),
        deliveries,
        api,
        humans: d.humans.view(),
        interrupted,
        thresholds: Vec::new(),
        passed: !interrupted,
        rows: d.measures.rows(),
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
