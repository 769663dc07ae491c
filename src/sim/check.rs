//! The invariant checker: watches a replication's metrics as they happen, apart from the
//! actors, and reports every broken rule. Tests run every simulation through it; `ccsim run
//! --check` does too.
//!
//! Checked, for every event:
//! - no agent holds more conversations of a category than its capacity (CAP-1, CAP-3);
//! - every assignment goes to a member of the queue (RT-4 for Default), in the Available group
//!   and not at Full Capacity at that moment (ST-1, ST-2, AA-5), inside the queue's working
//!   hours (WH-4);
//! - every shift change and scheduled status happens when the agent's calendar says;
//! - a conversation taken back from an agent (ST-3) never goes to that agent again (AA-9);
//! - a sticky assignment goes to the returning customer's last agent (AA-2);
//!
//! and at the end, that every customer offered was answered, abandoned or is still waiting.
//!
//! Calendar lookups are cached per queue and agent for the span in which their answer holds, so
//! the checker keeps up with millions of events.

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
        Self {
            status: vec![DefaultStatus::Offline; spec.agents.len()],
            queue_open: vec![None; spec.queues.len()],
            spec,
            offered: 0,
            answered: 0,
            abandoned: 0,
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

impl MetricObserver for InvariantChecker {
    fn observe(&mut self, now_ms: u64, metric: &Metric) {
        match *metric {
            Metric::Offered { .. } => self.offered += 1,
            Metric::Answered { .. } => self.answered += 1,
            Metric::Abandoned { .. } => self.abandoned += 1,
            Metric::AgentStatus { agent, status } => self.status[agent as usize] = status,
            Metric::AgentBusy {
                agent,
                category,
                in_category,
                ..
            } => {
                let capacity = self.spec.agents[agent as usize].capacity.of(category);
                if in_category > capacity {
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
        if self.offered != self.answered + self.abandoned + customers_waiting {
            self.fail(format!(
                "{} offered but {} answered + {} abandoned + {} still waiting",
                self.offered, self.answered, self.abandoned, customers_waiting
            ));
        }
        let mut problems = std::mem::take(&mut self.problems);
        if self.more > 0 {
            problems.push(format!("… and {} more", self.more));
        }
        problems
    }
}
