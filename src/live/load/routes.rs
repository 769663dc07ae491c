//! Where a load's messages go: the customers, the human side's platform, queues and agents
//! are hosts of the live runtime; what a customer says to the bot goes to the platform's bot
//! side (the mock); the bot and an external centre are the system under test's part and get
//! nothing from here.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use actix::Addr;

use super::bot_side::{BotSide, HumanMove};
use super::humans::{HumanSide, HumansRecorder, Note};
use crate::actors::customer::Customers;
use crate::actors::{CustomerMsg, Metric, Msg, PlatformMsg};
use crate::live::runtime::{Deliver, Host, Routes};

/// The load's routes.
pub(super) struct LoadRoutes {
    pub customers: Addr<Host<Customers>>,
    pub humans: HumanSide,
    pub bot_side: Addr<BotSide>,
    pub figures: Addr<HumansRecorder>,
    /// Customers still arrive (off after the arrivals' end: their timers are dropped, the rest
    /// of the run goes on through the grace period).
    pub arrivals_open: Rc<Cell<bool>>,
}

impl Routes for LoadRoutes {
    fn admits(&self, msg: &Msg) -> bool {
        self.arrivals_open.get()
            || !matches!(
                msg,
                Msg::Customers(CustomerMsg::NextArrival { .. } | CustomerMsg::TraceArrival { .. })
            )
    }

    fn deliver(&self, msg: Msg, due: Instant) {
        if !self.admits(&msg) {
            return;
        }
        let d = Deliver { msg, due };
        match msg {
            Msg::Customers(m) => {
                match m {
                    CustomerMsg::Closed { conv }
                    | CustomerMsg::Left { conv }
                    | CustomerMsg::Finished { conv } => {
                        self.figures.do_send(Note::Ended(conv));
                        self.bot_side.do_send(HumanMove::Done { conv });
                    }
                    CustomerMsg::Answered { conv, agent, .. } => {
                        self.bot_side.do_send(HumanMove::Took { conv, agent });
                    }
                    CustomerMsg::AgentReplied { conv } => {
                        self.bot_side.do_send(HumanMove::Replied { conv });
                    }
                    CustomerMsg::BackToBot { conv } => {
                        self.figures.do_send(Note::GaveBack(conv));
                        self.bot_side.do_send(HumanMove::GaveBack { conv });
                    }
                    _ => {}
                }
                self.customers.do_send(d);
            }
            // A customer's own message to the platform: the bot's part is on the mock.
            Msg::Platform(
                PlatformMsg::Inbound { .. }
                | PlatformMsg::ToBot { .. }
                | PlatformMsg::CustomerLeft { .. }
                | PlatformMsg::RejoinBot { .. },
            ) => self.bot_side.do_send(d),
            Msg::Platform(_) => self.humans.platform.do_send(d),
            Msg::Queue(q, _) => {
                if let Some(queue) = self.humans.queues.get(q.index()) {
                    queue.do_send(d);
                }
            }
            Msg::Agent(a, _) => {
                if let Some(agent) = self.humans.agents.get(a.index()) {
                    agent.do_send(d);
                }
            }
            // The bot and the external centre are the system under test's part live.
            Msg::Bot(_) | Msg::External(_) => {}
        }
    }

    fn record(&self, metric: Metric, _now_ms: u64) {
        self.figures.do_send(Note::Metric(metric));
    }
}
