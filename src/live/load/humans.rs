//! The human side of a live load: the simulation's own platform, queues and agents, each an
//! actor of the live runtime ([`crate::live::runtime`]), serve what the system under test hands
//! over (BOT-3) and the conversations of channels the bot is not on. A handed-over
//! conversation enters this platform as it arrived (its arrival replayed), is routed (RT),
//! waits in its queue with the customer's patience and waiting strategies, and is assigned
//! (AA), answered, solved and closed by the scenario's agents in their shifts and capacity
//! (CAP, WH) — production logic, unchanged.
//!
//! This platform has no bot and no external centre (the system under test is the bot). What
//! the system under test must see of a handed-over conversation is written to the mock (the
//! load's `bot_side`): the agent who took it as its assignee, each agent reply as an outbound
//! message, and its close. What it measures is in simulated time, like the scenario.
//!
//! Their metrics, and every conversation entering or leaving the human side, go to one
//! recorder actor ([`HumansRecorder`]), which the run asks for its figures.
//!
//! When the arrivals end, the agents go on: a conversation still with them is finished in the
//! grace period, and one still open when the run ends is counted as cut (`open_at_end`).

use crate::actors::AgentMsg;
use crate::model::ids::{AgentIx, QueueIx};
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix::{Actor, Addr, Context as ActixContext, Handler, MessageResult};
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::actors::agent::Agent;
use crate::actors::platform::Platform;
use crate::actors::queue::Queue;
use crate::actors::{ConvId, Metric, Msg};
use crate::live::runtime::{Deliver, Host, Runtime, Start};
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
    /// Agent replies to handed-over conversations written into the mock's conversation (an
    /// outbound message from the agent, its assignee there), where the system under test
    /// sees them.
    pub agent_messages_on_mock: u64,
    /// Handed-over conversations an agent gave back to the bot (BOT-2): assigned to it again
    /// on the mock, where the system under test resumes them.
    pub given_back: u64,
    /// Conversations still open on the human side when the run ended (after the arrivals,
    /// its agents go on working through the grace period; these were cut by its end).
    pub open_at_end: u64,
}

/// Simulated waits and latencies up to 30 days, 3 significant digits.
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 30 * 86_400_000, 3).expect("valid bounds")
}

/// The human side's hosts: the platform, queues and agents of the scenario, without its bot.
#[derive(Debug, Clone)]
pub struct HumanSide {
    /// The platform (routing, assignment, working hours).
    pub platform: Addr<Host<Platform>>,
    /// The queues, by index.
    pub queues: Vec<Addr<Host<Queue>>>,
    /// The agents, by index.
    pub agents: Vec<Addr<Host<Agent>>>,
}

impl HumanSide {
    /// Starts the human side of `spec` (its bot and external centre left out) on `runtime`.
    pub fn start(spec: &Arc<CentreSpec>, runtime: &Rc<Runtime>) -> Self {
        // The agents know the bot: BOT-2, an agent may give a handed-over conversation back
        // to it (the scenario's `give_back_share`). The platform does not: the system under
        // test is the bot, and what it hands over arrives here as a new conversation.
        let mut with_bot = CentreSpec::clone(spec);
        with_bot.external = None;
        let mut humans_only = with_bot.clone();
        humans_only.bot = None;
        let (with_bot, spec) = (Arc::new(with_bot), Arc::new(humans_only));
        Self {
            platform: Host::start(Platform::new(&spec), runtime),
            queues: QueueIx::all(spec.queues.len())
                .map(|q| Host::start(Queue::new(q, Arc::clone(&spec)), runtime))
                .collect(),
            agents: AgentIx::all(spec.agents.len())
                .map(|a| Host::start(Agent::new(a, Arc::clone(&with_bot)), runtime))
                .collect(),
        }
    }

    /// The first messages, as the simulation sends them: every agent checks its shift, then
    /// the platform starts (queues' hours).
    pub fn begin(&self, due: Instant) {
        for (a, agent) in self.agents.iter().enumerate() {
            let msg = Msg::Agent(AgentIx(a as u32), AgentMsg::ShiftCheck);
            agent.do_send(Deliver { msg, due });
        }
        self.platform.do_send(Start);
    }
}

/// What the human side did, in simulated time: fed by the actors' metrics and by the
/// conversations entering and leaving it.
#[derive(Debug)]
pub struct HumanFigures {
    conversations: u64,
    handed_over: u64,
    answered: u64,
    abandoned: u64,
    agent_replies: u64,
    agent_messages_on_mock: u64,
    given_back: u64,
    /// Conversations on the human side not ended yet.
    open: HashSet<ConvId>,
    wait_ms: Histogram<u64>,
    agent_reply_ms: Histogram<u64>,
}

impl Default for HumanFigures {
    fn default() -> Self {
        Self {
            conversations: 0,
            handed_over: 0,
            answered: 0,
            abandoned: 0,
            agent_replies: 0,
            agent_messages_on_mock: 0,
            given_back: 0,
            open: HashSet::new(),
            wait_ms: histogram(),
            agent_reply_ms: histogram(),
        }
    }
}

impl HumanFigures {
    /// A conversation entered the human side: handed over by the system under test, or on a
    /// channel without the bot.
    pub fn entered(&mut self, conv: ConvId, handed_over: bool) {
        self.conversations += 1;
        self.handed_over += u64::from(handed_over);
        self.open.insert(conv);
    }

    /// Its customer's side of `conv` ended (closed, left, finished).
    pub fn ended(&mut self, conv: ConvId) {
        self.open.remove(&conv);
    }

    /// BOT-2: an agent gave `conv` back to the bot; it left the human side.
    pub fn gave_back(&mut self, conv: ConvId) {
        if self.open.remove(&conv) {
            self.given_back += 1;
        }
    }

    /// An agent's reply was written into the mock's copy of its conversation.
    pub fn wrote_to_mock(&mut self) {
        self.agent_messages_on_mock += 1;
    }

    /// Conversations on the human side not ended yet.
    pub fn open(&self) -> usize {
        self.open.len()
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

    /// The figures so far; conversations still open count as cut by the run's end.
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
            agent_messages_on_mock: self.agent_messages_on_mock,
            given_back: self.given_back,
            open_at_end: self.open.len() as u64,
        }
    }
}

/// What the human side's recorder is told.
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "()")]
pub enum Note {
    /// A metric an actor recorded.
    Metric(Metric),
    /// A conversation entered the human side (handed over or not).
    Entered(ConvId, bool),
    /// Its customer's side ended.
    Ended(ConvId),
    /// An agent gave it back to the bot (BOT-2).
    GaveBack(ConvId),
    /// An agent's reply was written into the mock's conversation.
    WroteToMock,
}

/// The human side's figures so far, and how many of its conversations are open.
#[derive(Debug, Clone, Copy, actix::Message)]
#[rtype(result = "(HumansView, usize)")]
pub struct AskHumans;

/// The recorder actor of a load's human side: every metric of its actors and every
/// conversation entering or leaving it comes here, in the order it happened.
#[derive(Debug, Default)]
pub struct HumansRecorder(HumanFigures);

impl Actor for HumansRecorder {
    type Context = ActixContext<Self>;
}

impl Handler<Note> for HumansRecorder {
    type Result = ();

    fn handle(&mut self, note: Note, _: &mut Self::Context) {
        let f = &mut self.0;
        match note {
            Note::Metric(m) => f.measure(&m),
            Note::Entered(conv, handed_over) => f.entered(conv, handed_over),
            Note::Ended(conv) => f.ended(conv),
            Note::GaveBack(conv) => f.gave_back(conv),
            Note::WroteToMock => f.wrote_to_mock(),
        }
    }
}

impl Handler<AskHumans> for HumansRecorder {
    type Result = MessageResult<AskHumans>;

    fn handle(&mut self, _: AskHumans, _: &mut Self::Context) -> Self::Result {
        MessageResult((self.0.view(), self.0.open()))
    }
}
