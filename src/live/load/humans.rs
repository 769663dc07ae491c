//! The human side of a live load: the simulation's own platform, queues and agents, run on the
//! driver's wall-clock timers, serve what the system under test hands over (BOT-3) and the
//! conversations of channels the bot is not on. A handed-over conversation enters this platform
//! as it arrived (its arrival replayed), is routed (RT), waits in its queue with the customer's
//! patience and waiting strategies, and is assigned (AA), answered, solved and closed by the
//! scenario's agents in their shifts and capacity (CAP, WH) — production logic, unchanged.
//!
//! This platform has no bot and no external centre (the system under test is the bot); its
//! messages stay in ccsim (they are not written to the mock, whose copy of a handed-over
//! conversation the driver closes). What it measures is in simulated time, like the scenario.

use crate::actors::AgentMsg;
use crate::model::ids::{AgentIx, QueueIx};
use std::collections::HashMap;
use std::sync::Arc;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::actors::agent::Agent;
use crate::actors::platform::Platform;
use crate::actors::queue::Queue;
use crate::actors::{Context, ConvId, Metric, Msg, PlatformMsg};
use crate::model::centre::CentreSpec;

/// The human side's figures, in simulated time.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HumansView {
    /// Conversations that entered the human side (handed over, or on a channel without the
    /// bot).
    pub conversations: u64,
    /// Of those, handed over by the system under test.
    pub handed_over: u64,
    /// Answered by an agent.
    pub answered: u64,
    /// Abandoned while waiting for an agent.
    pub abandoned: u64,
    /// Wait in the queue until an agent took it, median, simulated s.
    pub wait_p50_s: f64,
    /// 90th percentile, simulated s.
    pub wait_p90_s: f64,
    /// Agent replies.
    pub agent_replies: u64,
    /// Agent reply latency from the customer's turn, median, simulated s.
    pub agent_reply_p50_s: f64,
}

/// The platform, queues and agents of the scenario, without its bot.
pub struct Humans {
    platform: Platform,
    queues: Vec<Queue>,
    agents: Vec<Agent>,
    /// Each bot conversation's arrival, replayed here when it is handed over.
    arrivals: HashMap<ConvId, PlatformMsg>,
    conversations: u64,
    handed_over: u64,
    answered: u64,
    abandoned: u64,
    agent_replies: u64,
    wait_ms: Histogram<u64>,
    agent_reply_ms: Histogram<u64>,
}

impl std::fmt::Debug for Humans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Humans")
            .field("queues", &self.queues.len())
            .field("agents", &self.agents.len())
            .field("waiting_for_handoff", &self.arrivals.len())
            .finish_non_exhaustive()
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 30 * 86_400_000, 3).expect("valid bounds")
}

impl Humans {
    /// The human side of `spec` (its bot and external centre left out).
    pub fn new(spec: &Arc<CentreSpec>) -> Self {
        let mut humans_only = CentreSpec::clone(spec);
        humans_only.bot = None;
        humans_only.external = None;
        let spec = Arc::new(humans_only);
        Self {
            platform: Platform::new(&spec),
            queues: QueueIx::all(spec.queues.len())
                .map(|q| Queue::new(q, Arc::clone(&spec)))
                .collect(),
            agents: AgentIx::all(spec.agents.len())
                .map(|a| Agent::new(a, Arc::clone(&spec)))
                .collect(),
            arrivals: HashMap::new(),
            conversations: 0,
            handed_over: 0,
            answered: 0,
            abandoned: 0,
            agent_replies: 0,
            wait_ms: histogram(),
            agent_reply_ms: histogram(),
        }
    }

    /// The first messages: every agent checks its shift, every queue its hours.
    pub fn start<C: Context>(&mut self, ctx: &mut C) {
        for a in AgentIx::all(self.agents.len()) {
            ctx.send(Msg::Agent(a, AgentMsg::ShiftCheck));
        }
        self.platform.start(ctx);
    }

    /// Keeps a bot conversation's arrival for a handoff.
    pub fn remember(&mut self, conv: ConvId, arrival: PlatformMsg) {
        self.arrivals.insert(conv, arrival);
    }

    /// The bot conversation is over without a handoff (or its customer left).
    pub fn forget(&mut self, conv: ConvId) {
        self.arrivals.remove(&conv);
    }

    /// The system under test handed `conv` over: its arrival goes to the human platform, which
    /// routes it. Whether there was an arrival to replay.
    pub fn hand_over<C: Context>(&mut self, conv: ConvId, ctx: &mut C) -> bool {
        match self.arrivals.remove(&conv) {
            Some(arrival) => {
                self.handed_over += 1;
                self.arrive(arrival, ctx);
                true
            }
            None => false,
        }
    }

    /// A conversation for the humans from the start.
    pub fn arrive<C: Context>(&mut self, arrival: PlatformMsg, ctx: &mut C) {
        self.conversations += 1;
        self.platform.handle(arrival, ctx);
    }

    /// Delivers `msg` if it is for the platform, a queue or an agent (the rest is not the
    /// human side's).
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::Platform(m) => self.platform.handle(m, ctx),
            Msg::Agent(a, m) => {
                if let Some(agent) = self.agents.get_mut(a.index()) {
                    agent.handle(m, ctx);
                }
            }
            Msg::Queue(q, m) => {
                if let Some(queue) = self.queues.get_mut(q.index()) {
                    queue.handle(m, ctx);
                }
            }
            Msg::Customers(_) | Msg::Bot(_) | Msg::External(_) => {}
        }
    }

    /// Takes in what the human side recorded.
    pub fn measure(&mut self, metric: &Metric) {
        match metric {
            Metric::Answered { wait_ms, .. } => {
                self.answered += 1;
                self.wait_ms.saturating_record((*wait_ms).max(1));
            }
            Metric::Abandoned { .. } => self.abandoned += 1,
            Metric::AgentReply { latency_ms, .. } => {
                self.agent_replies += 1;
                self.agent_reply_ms.saturating_record((*latency_ms).max(1));
            }
            _ => {}
        }
    }

    /// The figures so far.
    pub fn view(&self) -> HumansView {
        let s = |h: &Histogram<u64>, p: f64| {
            if h.is_empty() {
                0.0
            } else {
                h.value_at_quantile(p) as f64 / 1000.0
            }
        };
        HumansView {
            conversations: self.conversations,
            handed_over: self.handed_over,
            answered: self.answered,
            abandoned: self.abandoned,
            wait_p50_s: s(&self.wait_ms, 0.5),
            wait_p90_s: s(&self.wait_ms, 0.9),
            agent_replies: self.agent_replies,
            agent_reply_p50_s: s(&self.agent_reply_ms, 0.5),
        }
    }
}
