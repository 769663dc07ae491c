//! The invariant checker: watches a replication's metrics as they happen, apart from the
//! actors, and reports every broken rule. Tests run every simulation through it; `ccsim run
//! --check` does too.
//!
//! Checked, for every event:
//! - no assignment takes an agent past its capacity in a category (CAP-1, CAP-3); when every
//!   status counts, no agent is ever past it (a Solved conversation reopened while Solved does
//!   not count may legitimately take its agent past, CAP-4: capacity limits automatic
//!   assignment only; see `capacity_allows` for the one instant's leeway);
//! - every assignment goes to a member of the queue (RT-4 for Default), in the Available group
//!   and not at Full Capacity at that moment (ST-1, ST-2, AA-5), inside the queue's working
//!   hours (WH-4);
//! - every shift change and scheduled status happens when the agent's calendar says;
//! - a conversation taken back from an agent (ST-3) never goes to that agent again (AA-9);
//! - a sticky assignment goes to the returning customer's last agent (AA-2);
//! - a transferred conversation stays with its agent exactly when the agent belongs to the new
//!   queue (AA-11); one handed to another agent goes to a member of the queue in the Available,
//!   Busy or Away group (ST-1);
//! - no free-form reply or workflow message leaves outside WhatsApp's 24-hour window, and a
//!   template goes only where the window is closed (WIN-1);
//! - nothing is sent into a conversation once it is closed (BOT-8, WF-2): no reply, customer
//!   message or workflow message (waiting-strategy steps are checked against running
//!   strategies below);
//! - each conversation the bot takes ends at most once (resolved, dropped, handed off or
//!   abandoned), the bot never answers one it no longer has (BOT-2), and one it never heard
//!   gets no answer (BOT-1);
//! - a waiting strategy starts only for a conversation entering its queue inside working hours,
//!   at that moment (WS-1, WH-4); it sends nothing once the conversation is assigned or gone
//!   (WS-5); messaging announcements fall within the first hour and the count limit (WS-3); the
//!   maximum wait closes at exactly its time (WS-4);
//!
//! and at the end, that every customer offered was answered, abandoned, closed by its waiting
//! strategy or a workflow, or is still waiting; and that every customer message was delivered
//! to its owner, rejected with a reason or lost with a named cause.
//!
//! Beside the metrics, [`conservation`] checks the actors' state each time an instant settles:
//! no agent free for a category sits idle while a conversation it may take waits (AA-10), and
//! the platform's assignment service counts exactly the conversations each agent holds
//! (CAP-1, AA-5).
//!
//! Calendar lookups are cached per queue and agent for the span in which their answer holds, so
//! the checker keeps up with millions of events.

mod capacity;
pub mod conservation;
mod strategies;

use std::collections::HashMap;
use std::sync::Arc;

use crate::actors::{AssignedBy, ConvId, Metric, ONE_TIME_CUSTOMER};
use crate::model::calendar::PatternState;
use crate::model::centre::CentreSpec;
use crate::model::status::DefaultStatus;
use crate::report::recorder::MetricObserver;

/// Most problems kept; the count of the rest is reported.
const MAX_KEPT: usize = 20;

/// A calendar answer and the span `[from, until)` in which it holds.
#[derive(Debug, Clone, Copy)]
struct Cached {
    from: u64,
    until: u64,
    on: bool,
}

impl Cached {
    fn lookup(
        slot: &mut Option<Cached>,
        at_ms: u64,
        compute: impl FnOnce() -> PatternState,
    ) -> bool {
        if let Some(c) = slot
            && c.from <= at_ms
            && at_ms < c.until
        {
            return c.on;
        }
        let state = compute();
        *slot = Some(Cached {
            from: at_ms,
            until: state.next_change_ms.unwrap_or(u64::MAX),
            on: state.on,
        });
        state.on
    }
}

/// Watches one replication.
#[derive(Debug)]
pub struct InvariantChecker {
    spec: Arc<CentreSpec>,
    status: Vec<DefaultStatus>,
    queue_open: Vec<Option<Cached>>,
    offered: u64,
    answered: u64,
    abandoned: u64,
    closed_by_strategy: u64,
    closed_by_workflow: u64,
    /// Running waiting strategies: queue, segment, start, announcements seen.
    strategies: HashMap<ConvId, (u32, u32, u64, u32)>,
    /// Customer messages sent and not yet given a fate, per conversation (issue 5: every
    /// message ends delivered, rejected or lost).
    in_flight: HashMap<ConvId, u32>,
    /// The bot's open conversations: whether it ever heard them (BOT-1).
    bot_open: HashMap<ConvId, bool>,
    /// Counted conversations per agent and category, as last reported.
    held: Vec<[u32; 4]>,
    /// Per agent and category: how far above capacity it may be now (CAP-1, CAP-4), the
    /// reopens and transfers of the current instant, and that instant. See
    /// [`InvariantChecker::capacity_allows`].
    over_allowed: Vec<[capacity::OverCapacity; 4]>,
    /// Per agent and category: transfers from colleagues (ST-1) announced and not yet landed.
    transfers_due: Vec<[u32; 4]>,
    /// Open threaded conversations: whether their channel has a 24-hour window and the time
    /// of their customer's last message.
    threads: HashMap<ConvId, (bool, u64)>,
    /// Conversations back in line after a logout (answered already, so not "waiting" in the
    /// customers' count).
    requeued_waiting: u64,
    /// Agents each unassigned conversation had (AA-9); only conversations that were ever
    /// unassigned are kept.
    previous: HashMap<ConvId, Vec<u32>>,
    /// Each returning customer's last agent, from the assignments seen (AA-2).
    last_agent: HashMap<u64, u32>,
    problems: Vec<String>,
    more: usize,
}

impl InvariantChecker {
    /// A checker for a run of `spec`.
    pub fn new(spec: Arc<CentreSpec>) -> Self {
        let agents = spec.agents.len();
        Self {
            status: vec![DefaultStatus::Offline; spec.agents.len()],
            queue_open: vec![None; spec.queues.len()],
            spec,
            offered: 0,
            answered: 0,
            abandoned: 0,
            closed_by_strategy: 0,
            closed_by_workflow: 0,
            strategies: HashMap::new(),
            threads: HashMap::new(),
            bot_open: HashMap::new(),
            in_flight: HashMap::new(),
            held: vec![[0; 4]; agents],
            over_allowed: vec![[capacity::OverCapacity::default(); 4]; agents],
            transfers_due: vec![[0; 4]; agents],
            requeued_waiting: 0,
            previous: HashMap::new(),
            last_agent: HashMap::new(),
            problems: Vec::new(),
            more: 0,
        }
    }

    fn fail(&mut self, problem: String) {
        if self.problems.len() < MAX_KEPT {
            self.problems.push(problem);
        } else {
            self.more += 1;
        }
    }
}

impl InvariantChecker {
    /// WIN-1, BOT-8, WF-2: messages of threaded conversations.
    fn thread_event(&mut self, now_ms: u64, metric: &Metric) {
        use crate::model::status::ConversationStatus;
        use crate::model::window::WINDOW_MS;
        use crate::model::workflow::Action;
        let closed_into = |c: &mut Self, conv: ConvId, what: &str| {
            if !c.threads.contains_key(&conv) {
                c.fail(format!(
                    "{now_ms} ms: {what} into a closed conversation (BOT-8, WF-2)"
                ));
            }
        };
        match *metric {
            Metric::Routed { conv, segment, .. } => {
                let seg = &self.spec.segments[segment as usize];
                if seg.behaviour.is_some() {
                    let windowed = crate::model::window::has_window(seg.channel);
                    self.threads.insert(conv, (windowed, now_ms));
                }
            }
            Metric::CustomerMessages { conv, .. } => {
                closed_into(self, conv, "a customer message");
                if let Some(t) = self.threads.get_mut(&conv) {
                    t.1 = now_ms;
                }
            }
            Metric::AgentReply { conv, template, .. } => {
                closed_into(self, conv, "an agent reply");
                if let Some(&(windowed, last_inbound)) = self.threads.get(&conv) {
                    let open = !windowed || now_ms < last_inbound + WINDOW_MS;
                    if open == template {
                        self.fail(format!(
                            "{now_ms} ms: a {} {} h after the customer's last message (WIN-1)",
                            if template {
                                "template"
                            } else {
                                "free-form reply"
                            },
                            (now_ms - last_inbound) / 3_600_000
                        ));
                    }
                }
            }
            Metric::WorkflowAction {
                conv,
                action: Action::SendMessage,
                delivered,
                ..
            } => {
                closed_into(self, conv, "a workflow message");
                if let Some(&(windowed, last_inbound)) = self.threads.get(&conv) {
                    let open = !windowed || now_ms < last_inbound + WINDOW_MS;
                    if open != delivered {
                        self.fail(format!(
                            "{now_ms} ms: a workflow message {} with the window {} (WIN-1)",
                            if delivered { "delivered" } else { "failed" },
                            if open { "open" } else { "closed" }
                        ));
                    }
                }
            }
            Metric::ConversationStatus {
                conv,
                to: ConversationStatus::Closed,
                ..
            }
            | Metric::Abandoned { conv, .. }
            | Metric::AbandonedAfterRequeue { conv, .. }
            | Metric::ClosedByStrategy { conv, .. }
            | Metric::ClosedByWorkflow { conv, .. }
            | Metric::BotResolved { conv, .. }
            | Metric::AwayMessage {
                conv, closed: true, ..
            } => {
                self.threads.remove(&conv);
            }
            _ => {}
        }
    }
}

impl InvariantChecker {
    /// Every customer message gets exactly one fate, after it was sent.
    fn message_event(&mut self, now_ms: u64, metric: &Metric) {
        match *metric {
            Metric::TurnSent { conv } => *self.in_flight.entry(conv).or_default() += 1,
            Metric::TurnFate { conv, fate } => match self.in_flight.get_mut(&conv) {
                Some(n) if *n > 1 => *n -= 1,
                Some(_) => {
                    self.in_flight.remove(&conv);
                }
                None => self.fail(format!(
                    "{now_ms} ms: a message fate ({}) without a message sent",
                    fate.as_str()
                )),
            },
            _ => {}
        }
    }

    /// BOT-1, BOT-2: the bot's conversations.
    fn bot_event(&mut self, now_ms: u64, metric: &Metric) {
        match *metric {
            Metric::BotConversation { conv, .. } => {
                let taken_before = self.bot_open.insert(conv, true).is_some();
                if taken_before {
                    self.fail(format!("{now_ms} ms: the bot took a conversation twice"));
                }
            }
            Metric::BotResumed { conv } => {
                let resumed_twice = self.bot_open.insert(conv, true).is_some();
                if resumed_twice {
                    self.fail(format!(
                        "{now_ms} ms: the bot resumed a conversation it still had (BOT-2)"
                    ));
                }
            }
            Metric::BotSilent { conv } => {
                if let Some(heard) = self.bot_open.get_mut(&conv) {
                    *heard = false;
                }
            }
            Metric::BotReplied { conv, .. } => match self.bot_open.get(&conv) {
                Some(true) => {}
                Some(false) => self.fail(format!(
                    "{now_ms} ms: the bot answered a conversation it never heard (BOT-1)"
                )),
                None => self.fail(format!(
                    "{now_ms} ms: the bot answered a conversation it no longer has (BOT-2)"
                )),
            },
            Metric::BotResolved { conv, .. }
            | Metric::BotHandoff { conv, .. }
            | Metric::BotAbandoned { conv } => {
                let was_open = self.bot_open.remove(&conv).is_some();
                if !was_open {
                    self.fail(format!(
                        "{now_ms} ms: a bot conversation ended twice, or was never the bot's"
                    ));
                }
            }
            _ => {}
        }
    }
}

impl MetricObserver for InvariantChecker {
    fn observe(&mut self, now_ms: u64, metric: &Metric) {
        self.thread_event(now_ms, metric);
        self.bot_event(now_ms, metric);
        self.message_event(now_ms, metric);
        match *metric {
            Metric::Offered { .. } => self.offered += 1,
            Metric::Answered { .. } => self.answered += 1,
            Metric::Abandoned { conv, .. } => {
                self.abandoned += 1;
                self.strategies.remove(&conv);
            }
            Metric::AbandonedAfterRequeue { conv, .. } => {
                self.requeued_waiting -= 1;
                self.strategies.remove(&conv);
            }
            Metric::ClosedByStrategy { conv, .. } => {
                self.closed_by_strategy += 1;
                self.strategies.remove(&conv);
            }
            Metric::ClosedByWorkflow { conv, requeued, .. } => {
                if requeued {
                    self.requeued_waiting -= 1;
                } else {
                    self.closed_by_workflow += 1;
                }
                self.strategies.remove(&conv);
            }
            Metric::StrategyStarted {
                conv,
                queue,
                entered_ms,
                segment,
            } => self.strategy_started(now_ms, conv, (queue, segment), entered_ms),
            Metric::StrategyStep {
                conv, queue, step, ..
            } => self.strategy_step(now_ms, conv, queue, step),
            Metric::AgentTransferred {
                conv,
                queue,
                from,
                to,
                category,
            } => {
                // The agent's next increase in the category is this transfer, which capacity
                // does not limit (only automatic assignment).
                self.transfers_due[to as usize][category.index()] += 1;
                // ST-1: to another member of the queue whose status takes transferred
                // conversations (Busy and Away do; Unavailable does not).
                let member = self.spec.agents[to as usize].queues.contains(&queue);
                let group = self.status[to as usize].group();
                if to == from || !member || !group.receives_transferred() {
                    self.fail(format!(
                        "{now_ms} ms: agent {from} transferred a conversation to agent {to} (a member: {member}, status group {group:?}) (ST-1)"
                    ));
                }
                self.previous.entry(conv).or_default().push(from);
            }
            Metric::Transferred {
                conv,
                agent,
                to,
                kept,
                ..
            } => {
                let member = self.spec.agents[agent as usize].queues.contains(&to);
                if member != kept {
                    self.fail(format!(
                        "{now_ms} ms: agent {agent} {} a conversation moved to queue {to}, of which it is {}a member (AA-11)",
                        if kept { "kept" } else { "lost" },
                        if member { "" } else { "not " }
                    ));
                }
                if !kept {
                    self.previous.entry(conv).or_default().push(agent);
                    self.requeued_waiting += 1;
                }
            }
            Metric::AgentStatus { agent, status } => self.status[agent as usize] = status,
            Metric::AgentBusy {
                agent,
                category,
                in_category,
                assigned,
                ..
            } => {
                let capacity = self.spec.agents[agent as usize].capacity.of(category);
                let (a, c) = (agent as usize, category.index());
                let before = std::mem::replace(&mut self.held[a][c], in_category);
                if !self.capacity_allows((a, c), now_ms, (before, in_category), capacity, assigned)
                {
                    self.fail(format!("{now_ms} ms: agent {agent} holds {in_category} {} conversations, capacity {capacity} (CAP-1)", category.as_str()));
                }
            }
            Metric::AgentShift { agent, on } => {
                let spec = &self.spec;
                let (status, _) = spec.agents[agent as usize].status_at(&spec.calendar, now_ms);
                if (status != DefaultStatus::Offline) != on {
                    self.fail(format!(
                        "{now_ms} ms: agent {agent} went {} against its calendar",
                        if on { "on shift" } else { "off shift" }
                    ));
                }
            }
            Metric::Unassigned { conv, agent, .. } => {
                self.previous.entry(conv).or_default().push(agent);
                self.requeued_waiting += 1;
            }
            Metric::Reassigned { .. } => self.requeued_waiting -= 1,
            Metric::Assigned {
                conv,
                customer,
                queue,
                agent,
                by,
                category,
            } => {
                // AA-2: a sticky assignment goes to the customer's last agent.
                if by == AssignedBy::Sticky && self.last_agent.get(&customer) != Some(&agent) {
                    self.fail(format!(
                        "{now_ms} ms: sticky assignment to agent {agent}, not the customer's last agent (AA-2)"
                    ));
                }
                if customer & ONE_TIME_CUSTOMER == 0 {
                    self.last_agent.insert(customer, agent);
                }
                // WS-5: the strategy ends with the assignment.
                self.strategies.remove(&conv);
                // AA-9 rules automatic assignment; the bot's integration may name anyone (004).
                if by != AssignedBy::Direct
                    && self.previous.get(&conv).is_some_and(|p| p.contains(&agent))
                {
                    self.fail(format!(
                        "{now_ms} ms: agent {agent} assigned a conversation it had before (AA-9)"
                    ));
                }
                let a = agent as usize;
                let status = self.status[a];
                if by == AssignedBy::Direct {
                    // 004: the bot's integration named the agent: capacity does not limit it
                    // (the agent's next increase in the category is this one), but the agent
                    // is signed in and not on a break.
                    self.transfers_due[a][category.index()] += 1;
                    if !matches!(
                        status,
                        DefaultStatus::Available | DefaultStatus::FullCapacity
                    ) {
                        self.fail(format!(
                            "{now_ms} ms: agent {agent} assigned by the bot while {} (004)",
                            status.as_str()
                        ));
                    }
                } else if !status.group().receives_new() || status == DefaultStatus::FullCapacity {
                    self.fail(format!(
                        "{now_ms} ms: agent {agent} assigned while {} (ST-1, AA-5)",
                        status.as_str()
                    ));
                }
                if !self.spec.agents[a].queues.contains(&queue) {
                    self.fail(format!("{now_ms} ms: agent {agent} assigned from queue {queue}, which it does not belong to"));
                }
                let spec = &self.spec;
                let hours = &spec.queues[queue as usize].hours.calendar;
                let open = Cached::lookup(&mut self.queue_open[queue as usize], now_ms, || {
                    hours.state_at(&spec.calendar, now_ms)
                });
                if !open {
                    self.fail(format!("{now_ms} ms: queue {queue} assigned a conversation outside its working hours (WH-4)"));
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self, _end_ms: u64, waiting_at_end: u64) -> Vec<String> {
        // Messages reach their owner in the instant they are sent, so none is under way at the
        // end: every one was delivered, rejected or lost with a named cause.
        let unaccounted: u32 = self.in_flight.values().sum();
        if unaccounted > 0 {
            self.fail(format!(
                "{unaccounted} customer messages were never delivered, rejected or lost"
            ));
        }
        let customers_waiting = waiting_at_end.saturating_sub(self.requeued_waiting);
        let fates = self.answered
            + self.abandoned
            + self.closed_by_strategy
            + self.closed_by_workflow
            + customers_waiting;
        if self.offered != fates {
            self.fail(format!(
                "{} offered but {} answered + {} abandoned + {} closed by their waiting strategy + {} closed by a workflow + {} still waiting",
                self.offered,
                self.answered,
                self.abandoned,
                self.closed_by_strategy,
                self.closed_by_workflow,
                customers_waiting
            ));
        }
        let mut problems = std::mem::take(&mut self.problems);
        if self.more > 0 {
            problems.push(format!("… and {} more", self.more));
        }
        problems
    }
}

/// Each check fails on a planted bug: metrics a broken platform would emit.
#[cfg(test)]
mod tests;
