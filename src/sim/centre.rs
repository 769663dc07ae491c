//! The contact-centre world on the engine: builds the actors of a [`CentreSpec`], gives them a
//! context backed by the engine's scheduler, the replication's random streams and its recorder,
//! and runs one replication.

use crate::model::ids::{AgentIx, QueueIx};
use std::sync::Arc;

use super::check::conservation::ConservationCheck;
use super::engine::{Engine, Scheduler, World};
use super::rng::{StreamRng, stream};
use crate::actors::agent::Agent;
use crate::actors::bot::Bot;
use crate::actors::customer::Customers;
use crate::actors::external::External;
use crate::actors::platform::Platform;
use crate::actors::queue::Queue;
use crate::actors::{AgentMsg, Context, Metric, Msg, StreamId, TimerId};
use crate::model::centre::CentreSpec;
use crate::report::recorder::{Recorder, ReplicationStats};
use crate::scenario::budget::BudgetHit;

/// Every actor of one replication, its streams and its recorder.
#[derive(Debug)]
pub struct Centre {
    spec: Arc<CentreSpec>,
    platform: Platform,
    customers: Customers,
    queues: Vec<Queue>,
    agents: Vec<Agent>,
    bot: Bot,
    external: External,
    streams: Vec<StreamRng>,
    recorder: Recorder,
    /// The work-conservation check, when invariants are checked.
    conservation: Option<ConservationCheck>,
    /// Which replication this is (for messages).
    replication: u32,
    /// The most conversations that may be open at once ([`crate::scenario::budget`]).
    max_open: u64,
}

/// The context an actor sees while the engine runs it.
struct SimContext<'a> {
    sched: &'a mut Scheduler<Msg>,
    streams: &'a mut [StreamRng],
    recorder: &'a mut Recorder,
}

impl Context for SimContext<'_> {
    type Rng = StreamRng;

    #[inline]
    fn now_ms(&self) -> u64 {
        self.sched.now_ms()
    }
    #[inline]
    fn send(&mut self, msg: impl Into<Msg>) {
        self.sched.send(msg.into());
    }
    #[inline]
    fn schedule(&mut self, delay_ms: u64, msg: impl Into<Msg>) -> TimerId {
        self.sched.schedule(delay_ms, msg.into())
    }
    #[inline]
    fn cancel(&mut self, timer: TimerId) {
        self.sched.cancel(timer);
    }
    #[inline]
    fn rng(&mut self, stream: StreamId) -> &mut StreamRng {
        &mut self.streams[stream as usize]
    }
    #[inline]
    fn record(&mut self, metric: Metric) {
        let now = self.sched.now_ms();
        self.recorder.record(now, metric);
    }
}

/// The named streams of a replication, in [`Layout`](crate::actors::Layout)'s dense order (the registry in
/// [`crate::sim::rng::identity_of`], which the live driver reads too).
pub fn replication_streams(spec: &CentreSpec, seed: u64, replication: u32) -> Vec<StreamRng> {
    (0..crate::sim::rng::stream_count(spec))
        .map(|id| {
            let identity = crate::sim::rng::identity_of(spec, id).expect("an id below the count");
            stream(seed, replication, identity)
        })
        .collect()
}

impl Centre {
    /// The actors of `spec` for replication `replication` of a run seeded with `seed`.
    pub fn new(spec: Arc<CentreSpec>, seed: u64, replication: u32) -> Self {
        Self {
            platform: Platform::new(&spec),
            customers: Customers::new(Arc::clone(&spec)),
            queues: QueueIx::all(spec.queues.len())
                .map(|q| Queue::new(q, Arc::clone(&spec)))
                .collect(),
            bot: Bot::new(Arc::clone(&spec)),
            external: External::new(Arc::clone(&spec)),
            agents: AgentIx::all(spec.agents.len())
                .map(|a| Agent::new(a, Arc::clone(&spec)))
                .collect(),
            streams: replication_streams(&spec, seed, replication),
            recorder: Recorder::shared(&spec),
            conservation: None,
            replication,
            max_open: u64::MAX,
            spec,
        }
    }

    /// Stops the run when more than `max_open` conversations are open at once
    /// ([`Centre::run_budgeted`] says so).
    pub fn with_max_open(mut self, max_open: u64) -> Self {
        self.max_open = max_open;
        self
    }

    /// Runs the replication to the horizon, or until the budget stops it.
    pub fn run_budgeted(self) -> Result<ReplicationStats, BudgetHit> {
        let horizon_ms = self.recorder.horizon_ms();
        let mut engine = Engine::default();
        let mut centre = self;
        centre.start(engine.scheduler());
        engine.run_until(horizon_ms, &mut centre);
        if !centre.keep_going() {
            return Err(BudgetHit {
                replication: centre.replication,
                at_h: engine.scheduler().now_ms() as f64 / 3_600_000.0,
                open: centre.customers.open_conversations() as u64,
                max_open: centre.max_open,
            });
        }
        Ok(centre.finish(horizon_ms).0)
    }

    /// Runs the replication to the horizon and returns its statistics.
    pub fn run(self) -> ReplicationStats {
        self.run_inner().0
    }

    /// Runs the replication and also returns every metric the actors recorded, in order.
    pub fn run_traced(mut self) -> (ReplicationStats, Vec<(u64, Metric)>) {
        self.enable_trace();
        self.run_inner()
    }

    /// Runs the invariant checker ([`super::check`]) beside the actors; its findings come back
    /// in [`ReplicationStats::violations`].
    pub fn with_invariant_checks(mut self) -> Self {
        let checker = super::check::InvariantChecker::new(Arc::clone(&self.spec));
        self.recorder.set_observer(Box::new(checker));
        self.conservation = Some(ConservationCheck::default());
        self
    }

    /// Keeps every metric from now on, for [`Centre::finish`] to return (tests, debugging).
    pub fn enable_trace(&mut self) {
        self.recorder.enable_trace();
    }

    fn run_inner(mut self) -> (ReplicationStats, Vec<(u64, Metric)>) {
        let horizon_ms = self.recorder.horizon_ms();
        let mut engine = Engine::default();
        self.start(engine.scheduler());
        engine.run_until(horizon_ms, &mut self);
        self.finish(horizon_ms)
    }

    /// Closes the replication at `end_ms` (after driving it with an engine of one's own).
    pub fn finish(mut self, end_ms: u64) -> (ReplicationStats, Vec<(u64, Metric)>) {
        let trace = self.recorder.take_trace();
        let waiting_at_end: u64 = self.queues.iter().map(|q| q.len() as u64).sum();
        let mut stats = self.recorder.finish(end_ms, waiting_at_end);
        if let Some(check) = &mut self.conservation {
            stats.violations.append(&mut check.finish());
        }
        (stats, trace)
    }

    /// Seeds the first events: every agent checks its shift, every segment its first arrival.
    pub fn start(&mut self, sched: &mut Scheduler<Msg>) {
        for a in AgentIx::all(self.agents.len()) {
            sched.send(Msg::Agent(a, AgentMsg::ShiftCheck));
        }
        let mut ctx = SimContext {
            sched,
            streams: &mut self.streams,
            recorder: &mut self.recorder,
        };
        self.platform.start(&mut ctx);
        self.customers.start(&mut ctx);
    }

    /// Agents, for invariant checks.
    pub fn agents(&self) -> &[Agent] {
        &self.agents
    }

    /// Queues, for invariant checks.
    pub fn queues(&self) -> &[Queue] {
        &self.queues
    }

    /// The customer actor, for invariant checks.
    pub fn customers(&self) -> &Customers {
        &self.customers
    }

    /// The recorder, for invariant checks.
    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

impl World<Msg> for Centre {
    #[inline]
    fn dispatch(&mut self, msg: Msg, sched: &mut Scheduler<Msg>) {
        let mut ctx = SimContext {
            sched,
            streams: &mut self.streams,
            recorder: &mut self.recorder,
        };
        match msg {
            Msg::Platform(m) => self.platform.handle(m, &mut ctx),
            Msg::Customers(m) => self.customers.handle(m, &mut ctx),
            Msg::Queue(q, m) => self.queues[q.index()].handle(m, &mut ctx),
            Msg::Agent(a, m) => self.agents[a.index()].handle(m, &mut ctx),
            Msg::Bot(m) => self.bot.handle(m, &mut ctx),
            Msg::External(m) => self.external.handle(m, &mut ctx),
        }
    }

    #[inline]
    fn settled(&mut self, now_ms: u64) {
        if let Some(check) = &mut self.conservation {
            check.check(now_ms, &self.spec, &self.agents, &self.queues);
            check.check_counts(now_ms, &self.spec, &self.agents, self.platform.assigner());
        }
    }

    #[inline]
    fn keep_going(&self) -> bool {
        self.customers.open_conversations() as u64 <= self.max_open
    }
}
