//! The invariant checker: watches a replication's metrics as they happen, apart from the
//! actors, and reports every broken rule. Tests run every simulation through it; `ccsim run
//! --check` does too.
//!
//! Checked, for every event:
//! - no assignment takes an agent past its capacity in a category (CAP-1, CAP-3); when every
//!   status counts, no agent is ever past it (a Solved conversation reopened while Solved does
//!   not count may legitimately take its agent past, CAP-4);
//! - every assignment goes to a member of the queue (RT-4 for Default), in the Available group
//!   and not at Full Capacity at that moment (ST-1, ST-2, AA-5), inside the queue's working
//!   hours (WH-4);
//! - every shift change and scheduled status happens when the agent's calendar says;
//! - a conversation taken back from an agent (ST-3) never goes to that agent again (AA-9);
//! - a sticky assignment goes to the returning customer's last agent (AA-2);
//! - a transferred conversation stays with its agent exactly when the agent belongs to the new
//!   queue (AA-11);
//! - no free-form reply or workflow message leaves outside WhatsApp's 24-hour window, and a
//!   template goes only where the window is closed (WIN-1);
//! - nothing is sent into a conversation once it is closed (BOT-8, WF-2): no reply, customer
//!   message or workflow message (waiting-strategy steps are checked against running
//!   strategies below);
//! - a waiting strategy starts only for a conversation entering its queue inside working hours,
//!   at that moment (WS-1, WH-4); it sends nothing once the conversation is assigned or gone
//!   (WS-5); messaging announcements fall within the first hour and the count limit (WS-3); the
//!   maximum wait closes at exactly its time (WS-4);
//!
//! and at the end, that every customer offered was answered, abandoned, closed by its waiting
//! strategy or is still waiting.
//!
//! Calendar lookups are cached per queue and agent for the span in which their answer holds, so
//! the checker keeps up with millions of events.

use std::collections::HashMap;
use std::sync::Arc;

use crate::actors::{AssignedBy, ConvId, Metric, ONE_TIME_CUSTOMER};
use crate::model::calendar::PatternState;
use crate::model::centre::CentreSpec;
use crate::model::status::DefaultStatus;
use crate::model::waiting_strategy::{ONE_HOUR_MS, StrategyKind, StrategyStep};
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
    /// Counted conversations per agent and category, as last reported.
    held: Vec<[u32; 4]>,
    /// Per agent and category: a reopened conversation took it to its capacity since it last
    /// had a free slot.
    reopened: Vec<[bool; 4]>,
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
            held: vec![[0; 4]; agents],
            reopened: vec![[false; 4]; agents],
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
    /// WS-1, WH-4: a strategy starts when its conversation enters the queue, inside hours.
    fn strategy_started(
        &mut self,
        now_ms: u64,
        conv: ConvId,
        (queue, segment): (u32, u32),
        entered_ms: u64,
    ) {
        if now_ms != entered_ms {
            self.fail(format!(
                "{now_ms} ms: a waiting strategy started {} ms after its conversation entered queue {queue} (WS-1)",
                now_ms.saturating_sub(entered_ms)
            ));
        }
        let spec = &self.spec;
        let hours = &spec.queues[queue as usize].hours.calendar;
        let open = Cached::lookup(&mut self.queue_open[queue as usize], now_ms, || {
            hours.state_at(&spec.calendar, now_ms)
        });
        if !open {
            self.fail(format!(
                "{now_ms} ms: a waiting strategy started in queue {queue} outside its working hours (WH-4)"
            ));
        }
        self.strategies.insert(conv, (queue, segment, now_ms, 0));
    }

    /// WS-2..6: a step belongs to a running strategy and falls when the strategy allows.
    fn strategy_step(&mut self, now_ms: u64, conv: ConvId, queue: u32, step: StrategyStep) {
        let Some(&(started_in, segment, started_ms, announced)) = self.strategies.get(&conv) else {
            self.fail(format!(
                "{now_ms} ms: waiting-strategy {step:?} in queue {queue} for a conversation that is not waiting with a running strategy (WS-5)"
            ));
            return;
        };
        if started_in != queue {
            self.fail(format!(
                "{now_ms} ms: waiting-strategy {step:?} in queue {queue}, started in {started_in}"
            ));
        }
        let strategy = self.spec.segments[segment as usize].waiting_strategy;
        let waited = now_ms - started_ms;
        match (step, strategy) {
            (StrategyStep::Welcome, _) if waited != 0 => self.fail(format!(
                "{now_ms} ms: welcome message {waited} ms after the start (WS-2)"
            )),
            (StrategyStep::Announcement { n }, Some(s)) => {
                let messaging = s.kind == StrategyKind::Messaging;
                let limit = s.announcements.and_then(|a| a.max_count);
                if n != announced + 1
                    || (messaging && waited > ONE_HOUR_MS)
                    || limit.is_some_and(|max| n > max)
                {
                    self.fail(format!(
                        "{now_ms} ms: announcement {n} after {waited} ms (WS-3)"
                    ));
                }
                if let Some(entry) = self.strategies.get_mut(&conv) {
                    entry.3 = n;
                }
            }
            (StrategyStep::MaxWait, Some(s)) if s.max_wait_ms != Some(waited) => {
                self.fail(format!(
                    "{now_ms} ms: maximum wait after {waited} ms, set to {:?} ms (WS-4)",
                    s.max_wait_ms
                ));
            }
            (StrategyStep::Silent, _) if waited != ONE_HOUR_MS => self.fail(format!(
                "{now_ms} ms: strategy fell silent after {waited} ms, not one hour (WS-5)"
            )),
            _ => {}
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
            | Metric::ClosedByStrategy { conv, .. }
            | Metric::ClosedByWorkflow { conv, .. }
            | Metric::AwayMessage {
                conv, closed: true, ..
            } => {
                self.threads.remove(&conv);
            }
            _ => {}
        }
    }
}

impl MetricObserver for InvariantChecker {
    fn observe(&mut self, now_ms: u64, metric: &Metric) {
        self.thread_event(now_ms, metric);
        match *metric {
            Metric::Offered { .. } => self.offered += 1,
            Metric::Answered { .. } => self.answered += 1,
            Metric::Abandoned { conv, .. } => {
                self.abandoned += 1;
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
                let counted = self.spec.status_policy.counted;
                let everything_counts = counted.waiting && counted.solved;
                let (a, c) = (agent as usize, category.index());
                let before = std::mem::replace(&mut self.held[a][c], in_category);
                // A conversation reopened while its status did not count (CAP-4) may fill the
                // slot an assignment already on its way had reserved: that assignment was made
                // with a free slot. Until the agent is below capacity again, it may land.
                if !assigned && in_category > before {
                    self.reopened[a][c] = true;
                }
                if in_category < capacity {
                    self.reopened[a][c] = false;
                }
                let allowed = !everything_counts && (!assigned || self.reopened[a][c]);
                if in_category > capacity && !allowed {
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
                if self.previous.get(&conv).is_some_and(|p| p.contains(&agent)) {
                    self.fail(format!(
                        "{now_ms} ms: agent {agent} assigned a conversation it had before (AA-9)"
                    ));
                }
                let a = agent as usize;
                let status = self.status[a];
                if !status.group().receives_new() || status == DefaultStatus::FullCapacity {
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
mod tests {
    use super::*;
    use crate::model::calendar::{WeeklyPattern, WeeklySpan};
    use crate::model::centre::testing::centre;
    use crate::model::channel::ChannelCategory;
    use crate::model::waiting_strategy::{StrategyKind, WaitingStrategy};
    use crate::model::working_hours::WorkingHours;
    use jiff::civil::Weekday;

    const MIN: u64 = 60_000;
    const CONV: ConvId = ConvId {
        slot: 0,
        generation: 1,
    };

    /// Two queues; agent 0 in queue 0 only, agent 1 in both; queue 0 open Mondays 08:00–16:00
    /// (the run starts Monday 00:00); queue 0's sender has a strategy with a 20-minute maximum
    /// wait and announcements every 5 minutes, at most 2.
    fn checker() -> InvariantChecker {
        let mut spec = centre(2, &[(&[0], 3), (&[0, 1], 3)], 24 * 60, 30, 0);
        spec.queues[0].hours.calendar = WorkingHours {
            weekly: WeeklyPattern {
                spans: vec![WeeklySpan {
                    weekday: Weekday::Monday,
                    start: "08:00".parse().unwrap(),
                    length_min: 8 * 60,
                }],
            },
            holidays: Vec::new(),
        };
        spec.segments[0].waiting_strategy = Some(WaitingStrategy {
            kind: StrategyKind::Messaging,
            welcome: true,
            announcements: Some(crate::model::waiting_strategy::Announcements {
                interval_ms: 5 * MIN,
                max_count: Some(2),
                position_in_queue: false,
            }),
            max_wait_ms: Some(20 * MIN),
        });
        InvariantChecker::new(Arc::new(spec))
    }

    fn started(at_ms: u64) -> Metric {
        Metric::StrategyStarted {
            conv: CONV,
            queue: 0,
            entered_ms: at_ms,
            segment: 0,
        }
    }

    fn step(step: StrategyStep) -> Metric {
        Metric::StrategyStep {
            conv: CONV,
            queue: 0,
            step,
            position: None,
        }
    }

    fn problems(c: &mut InvariantChecker) -> Vec<String> {
        std::mem::take(&mut c.problems)
    }

    #[test]
    fn wh_4_a_strategy_started_outside_hours_is_caught() {
        let mut c = checker();
        c.observe(3 * 60 * MIN, &started(3 * 60 * MIN));
        assert!(problems(&mut c)[0].contains("WH-4"));
        c.observe(9 * 60 * MIN, &started(9 * 60 * MIN));
        assert!(problems(&mut c).is_empty());
        // Started later than the conversation entered.
        c.observe(9 * 60 * MIN + 5, &started(9 * 60 * MIN));
        assert!(problems(&mut c)[0].contains("WS-1"));
    }

    #[test]
    fn ws_steps_out_of_place_are_caught() {
        let t0 = 9 * 60 * MIN;
        let mut c = checker();
        c.observe(t0, &started(t0));
        c.observe(t0, &step(StrategyStep::Welcome));
        c.observe(t0 + 5 * MIN, &step(StrategyStep::Announcement { n: 1 }));
        c.observe(t0 + 10 * MIN, &step(StrategyStep::Announcement { n: 2 }));
        assert!(problems(&mut c).is_empty());
        // WS-3: a third announcement past the count.
        c.observe(t0 + 15 * MIN, &step(StrategyStep::Announcement { n: 3 }));
        assert!(problems(&mut c)[0].contains("WS-3"));
        // WS-4: the maximum wait at the wrong time.
        c.observe(t0 + 21 * MIN, &step(StrategyStep::MaxWait));
        assert!(problems(&mut c)[0].contains("WS-4"));
        // WS-5: anything after the assignment.
        c.observe(
            t0 + 22 * MIN,
            &Metric::Assigned {
                conv: CONV,
                customer: ONE_TIME_CUSTOMER,
                queue: 0,
                agent: 0,
                by: AssignedBy::Weighted,
            },
        );
        problems(&mut c); // (agent 0 was never set Available)
        c.observe(t0 + 25 * MIN, &step(StrategyStep::Announcement { n: 3 }));
        assert!(problems(&mut c)[0].contains("WS-5"));
    }

    /// A checker whose segment 0 is a WhatsApp thread.
    fn thread_checker() -> InvariantChecker {
        let mut spec = centre(2, &[(&[0], 3), (&[0, 1], 3)], 24 * 60, 30, 0);
        spec.segments[0].behaviour = Some(crate::model::conversation::CustomerBehaviour {
            exchanges: crate::model::conversation::CountDist::Constant { value: 2 },
            think: crate::model::distribution::DurationDist::Constant { ms: 1000 },
            burst_messages: crate::model::conversation::CountDist::Constant { value: 1 },
            silent_share: 0.0,
            come_back: None,
        });
        InvariantChecker::new(Arc::new(spec))
    }

    fn routed() -> Metric {
        Metric::Routed {
            conv: CONV,
            segment: 0,
            draw: [crate::model::centre::NO_VALUE; crate::model::centre::MAX_SEGMENT_ATTRIBUTES],
            via: crate::actors::RoutedVia::Direct,
            queue: 0,
            arrived_ms: 0,
        }
    }

    fn reply(template: bool) -> Metric {
        Metric::AgentReply {
            conv: CONV,
            agent: 0,
            queue: 0,
            first: true,
            latency_ms: 0,
            template,
        }
    }

    #[test]
    fn win_1_a_free_form_reply_outside_the_window_is_caught() {
        let h = 3_600_000;
        let mut c = thread_checker();
        c.observe(0, &routed());
        c.observe(23 * h, &reply(false));
        assert!(problems(&mut c).is_empty());
        c.observe(25 * h, &reply(false));
        assert!(problems(&mut c)[0].contains("WIN-1"));
        // A template where the window is open is wrong too.
        c.observe(
            26 * h,
            &Metric::CustomerMessages {
                conv: CONV,
                queue: 0,
                messages: 1,
            },
        );
        c.observe(27 * h, &reply(true));
        assert!(problems(&mut c)[0].contains("WIN-1"));
        c.observe(27 * h + 1, &reply(false));
        assert!(problems(&mut c).is_empty());
    }

    #[test]
    fn bot_8_a_message_into_a_closed_conversation_is_caught() {
        let mut c = thread_checker();
        c.observe(0, &routed());
        c.observe(1, &reply(false));
        c.observe(
            2,
            &Metric::ConversationStatus {
                conv: CONV,
                agent: 0,
                queue: 0,
                from: crate::model::status::ConversationStatus::Solved,
                to: crate::model::status::ConversationStatus::Closed,
            },
        );
        assert!(problems(&mut c).is_empty());
        c.observe(3, &reply(false));
        assert!(problems(&mut c)[0].contains("closed conversation"));
    }

    #[test]
    fn aa_11_keeping_a_conversation_outside_the_new_queue_is_caught() {
        let mut c = checker();
        let moved = |agent, kept| Metric::Transferred {
            conv: CONV,
            agent,
            from: 0,
            to: 1,
            kept,
        };
        c.observe(0, &moved(1, true));
        c.observe(0, &moved(0, false));
        assert!(problems(&mut c).is_empty());
        c.observe(0, &moved(0, true));
        c.observe(0, &moved(1, false));
        let p = problems(&mut c);
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|m| m.contains("AA-11")));
    }

    #[test]
    fn cap_1_an_assignment_past_capacity_is_caught_a_reopen_only_when_everything_counts() {
        let busy = |in_category, assigned| Metric::AgentBusy {
            agent: 0,
            busy_slots: in_category,
            category: ChannelCategory::LiveMessaging,
            in_category,
            assigned,
        };
        let mut c = checker();
        c.observe(0, &busy(4, true));
        assert!(problems(&mut c)[0].contains("CAP-1"));
        // Every status counts by default: nothing may take an agent past its capacity.
        c.observe(0, &busy(4, false));
        assert!(problems(&mut c)[0].contains("CAP-1"));
        // With Solved not counting, a reopened conversation may (CAP-4) …
        let mut spec = (*c.spec).clone();
        spec.status_policy.counted.solved = false;
        let mut c = InvariantChecker::new(Arc::new(spec));
        c.observe(0, &busy(2, true));
        c.observe(0, &busy(3, false)); // reopened: at capacity
        // … and so may the assignment that had reserved the slot before the reopening.
        c.observe(0, &busy(4, true));
        assert!(problems(&mut c).is_empty());
        // Once the agent has a free slot again, an assignment past capacity is a bug.
        c.observe(0, &busy(2, false));
        c.observe(0, &busy(3, true));
        c.observe(0, &busy(4, true));
        assert!(problems(&mut c)[0].contains("CAP-1"));
    }
}
