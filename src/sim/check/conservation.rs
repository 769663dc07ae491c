//! The work-conservation invariant (AA-10, CAP-2, AA-5, AA-9, AA-12): once every event of an
//! instant has run, no agent sits idle in a category while a conversation it may take waits in
//! one of its queues.
//!
//! "May take" is read from the actors' own state and the scenario, not from the platform's
//! assigner (the component under test): the agent's status is in the Available group and it is
//! not at Full Capacity (ST-1, ST-2); it holds fewer counted conversations of the category than
//! its capacity there (CAP-1); it belongs to the queue; the queue is inside its working hours
//! (WH-4) with automatic assignment on (AA-1); the conversation's status occupies agents
//! (AA-12) and the agent never had it (AA-9).
//!
//! A conversation that more agents had than its history keeps inline (the platform holds the
//! full list) is skipped: its exclusions are not all visible here, and skipping can only miss a
//! violation, never invent one.

use crate::actors::ConvId;
use crate::actors::agent::Agent;
use crate::actors::queue::Queue;
use crate::model::assignment::Assigner;
use crate::model::capacity::is_full_capacity;
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelCategory;
use crate::model::status::available_for_assignment;

/// Most problems kept; the count of the rest is reported.
const MAX_KEPT: usize = 20;

/// The check and what it found.
#[derive(Debug, Default)]
pub struct ConservationCheck {
    problems: Vec<String>,
    more: usize,
    /// Per agent, scratch: whether it may take a conversation of each category now.
    free: Vec<[bool; 4]>,
}

impl ConservationCheck {
    /// Checks the state the actors reached at the end of instant `now_ms`.
    pub fn check(&mut self, now_ms: u64, spec: &CentreSpec, agents: &[Agent], queues: &[Queue]) {
        self.free.clear();
        let mut anyone_free = false;
        for (a, agent) in agents.iter().enumerate() {
            let capacity = spec.agents[a].capacity;
            let busy = agent.busy_per_category();
            let loads = [
                ChannelCategory::Email,
                ChannelCategory::LiveMessaging,
                ChannelCategory::LiveChat,
            ]
            .map(|c| (busy[c.index()], capacity.of(c)));
            let group = agent.status().group();
            let full = is_full_capacity(&loads);
            let free = ChannelCategory::ALL
                .map(|c| !full && available_for_assignment(group, busy[c.index()], capacity.of(c)));
            anyone_free |= free.contains(&true);
            self.free.push(free);
        }
        if !anyone_free {
            return;
        }
        let counted = spec.status_policy.counted;
        for (q, queue) in queues.iter().enumerate() {
            let qspec = &spec.queues[q];
            if qspec.assignment.is_none() || queue.is_empty() {
                continue;
            }
            let free_members: Vec<u32> = spec
                .agents
                .iter()
                .enumerate()
                .filter(|(a, s)| s.queues.contains(&(q as u32)) && self.free[*a].contains(&true))
                .map(|(a, _)| a as u32)
                .collect();
            if free_members.is_empty() || !qspec.hours.calendar.state_at(&spec.calendar, now_ms).on
            {
                continue;
            }
            let idle = queue
                .waiting()
                .find_map(|(key, conv, category, history, status)| {
                    if history.overflowed() || !counted.counts(status) {
                        return None;
                    }
                    free_members
                        .iter()
                        .find(|&&a| self.free[a as usize][category.index()] && !history.contains(a))
                        .map(|&a| (key, conv, category, a))
                });
            if let Some((key, conv, category, agent)) = idle {
                let problem = format!(
                    "{now_ms} ms: agent {} is free for {} in queue {} while conversation {} (waiting since {} ms) sits there (AA-10, work conservation)",
                    spec.agents[agent as usize].name,
                    category.as_str(),
                    qspec.name,
                    conv.slot,
                    key.created_ms,
                );
                self.keep(problem);
            }
        }
    }

    /// Checks that the platform's assignment service counts, for every agent and category,
    /// exactly the counted conversations the agent holds, once instant `now_ms` has settled
    /// (no offer is on its way then). A service that counted wrong would assign past capacity,
    /// or leave free slots unused, while every single assignment looked right to it.
    pub fn check_counts(
        &mut self,
        now_ms: u64,
        spec: &CentreSpec,
        agents: &[Agent],
        assigner: &Assigner<ConvId>,
    ) {
        for (a, agent) in agents.iter().enumerate() {
            let held = agent.busy_per_category();
            let counted = assigner.held(a as u32);
            if held != counted {
                let problem = format!(
                    "{now_ms} ms: agent {} holds {held:?} conversations per category but the platform counts {counted:?} (CAP-1, AA-5)",
                    spec.agents[a].name,
                );
                self.keep(problem);
            }
        }
    }

    fn keep(&mut self, problem: String) {
        if self.problems.len() < MAX_KEPT {
            self.problems.push(problem);
        } else {
            self.more += 1;
        }
    }

    /// Every problem found, the overflow counted.
    pub fn finish(&mut self) -> Vec<String> {
        let mut problems = std::mem::take(&mut self.problems);
        if self.more > 0 {
            problems.push(format!(
                "… and {} more problems at settled instants (work conservation, counts)",
                self.more
            ));
        }
        problems
    }
}
