//! The assignment service: which agent gets which waiting conversation, and when.
//!
//! Infobip runs one assignment at a time (AA-3). [`Assigner`] is that one owner: it holds every
//! agent's availability and workload (AA-5, AA-6, ST-2), every queue's waiting conversations in
//! their (priority, age) order, per capacity category (AA-10, RT-5), the customers' sticky
//! agents (AA-2) and the agents each conversation may never have again (AA-9). Each event is a
//! method, with the time passed in; what it decides comes out in [`Decisions`], in order: the offers to
//! make (each one already reserves its slot), the statuses agents now show (Full Capacity,
//! ST-2) and the conversations nobody could take (their waiting strategy may start, WS-1).
//!
//! What starts an assignment (AA-4), and which kind runs:
//! - a conversation starts waiting — new, moved to another queue (AA-11) or unassigned (ST-3,
//!   WF-5) — or its status comes to count again (AA-12): it looks for the best agent,
//!   [`Assigner::conversation_waits`], [`Assigner::conversation_status`];
//! - an agent turns Available or its occupancy drops: it takes **every** waiting conversation
//!   of its open queues it may have, highest priority first, then oldest, until its capacity is
//!   full (AA-10), [`Assigner::agent_status`], [`Assigner::slot_freed`];
//! - a queue's working hours begin: each of its waiting conversations, in order, goes to the
//!   best agent that may take it (AA-10, WH-4), [`Assigner::queue_hours`].
//!
//! A conversation is never blocked by the one ahead of it: one that no agent may take (another
//! category, an excluded agent, a status that does not occupy agents) is passed over and the
//! next one is tried. After every method, no agent in the Available group with a free slot of a
//! category sits beside a conversation of that category it may take in one of its open queues
//! with automatic assignment on (the work-conservation invariant that the simulation's checker
//! verifies from the actors' own state).
//!
//! With automatic assignment off (AA-1), the queue's agents take conversations by hand: the
//! longest-idle free member takes each, and a freed agent takes from the queue too.
//!
//! A conversation an agent hands to a colleague (ST-1) goes to another member in the
//! Available, Busy or Away group, [`Assigner::transfer_target`]; capacity does not limit it.
//!
//! The events and reads are here; how an agent is picked and a freed agent fills its slots is
//! in `deciding`.

use crate::model::FastMap;
use std::hash::Hash;

use super::index::AssignmentIndex;
use super::rules::{AssignmentMode, assignable};
use super::workload::workload_of;
use super::{AssignedBy, Candidate, History};
use crate::model::capacity::is_full_capacity;
use crate::model::channel::ChannelCategory;
use crate::model::handover::{self, pick_agent};
use crate::model::priority::LineKey;
use crate::model::status::{
    ConversationStatus, CountedStatuses, DefaultStatus, available_for_assignment,
};

/// Queues with more members than this keep an [`AssignmentIndex`]; smaller ones are scanned,
/// which is faster below about a hundred agents (benches/assignment.rs) and picks the same.
pub const INDEX_THRESHOLD: usize = 128;

/// An agent as the service is set up with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSetup {
    /// Capacity per category (CAP-1), in [`ChannelCategory::index`] order.
    pub capacity: [u32; 4],
    /// Categories its queues use: the ones its workload averages (AA-6).
    pub serves: [bool; 4],
    /// The queues it belongs to.
    pub queues: Vec<u32>,
}

/// A waiting conversation, as assignment sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting<Id> {
    /// The conversation.
    pub conv: Id,
    /// Its capacity category.
    pub category: ChannelCategory,
    /// Its customer and the agents it had (AA-2, AA-9).
    pub history: History,
    /// Its status: one that does not occupy agents is not assigned automatically (AA-12).
    pub status: ConversationStatus,
}

/// An offer: `agent` takes `conv`, waiting at `key` in `queue`. Its slot is already reserved;
/// if the conversation turns out to be gone, [`Assigner::offer_declined`] gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer<Id> {
    /// The agent.
    pub agent: u32,
    /// The queue it waited in.
    pub queue: u32,
    /// The conversation.
    pub conv: Id,
    /// Its place in that queue.
    pub key: LineKey,
    /// Its capacity category.
    pub category: ChannelCategory,
    /// How the agent was chosen.
    pub by: AssignedBy,
    /// Its customer.
    pub customer: u64,
}

/// One thing an event decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<Id> {
    /// An offer to make.
    Offer(Offer<Id>),
    /// Agent `.0` shows status `.1` now (ST-2: Full Capacity and back, or the status it set).
    Status(u32, DefaultStatus),
    /// Conversation `.1`, waiting at `.2` in queue `.0`, started waiting and nobody could take
    /// it: its waiting strategy may start (WS-1).
    Unserved(u32, Id, LineKey),
}

/// What one event decided, in the order it was decided (a status shown after an offer is the
/// offer's consequence). The caller drains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decisions<Id> {
    /// The decisions, in order.
    pub list: Vec<Decision<Id>>,
}

impl<Id> Default for Decisions<Id> {
    fn default() -> Self {
        Self { list: Vec::new() }
    }
}

impl<Id: Copy> Decisions<Id> {
    /// Whether nothing was decided.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The offers, in order.
    pub fn offers(&self) -> impl Iterator<Item = Offer<Id>> + '_ {
        self.list.iter().filter_map(|d| match d {
            Decision::Offer(o) => Some(*o),
            _ => None,
        })
    }
}

#[derive(Debug, Clone)]
struct AgentView {
    /// The status the agent set.
    set: DefaultStatus,
    /// The status it shows: Full Capacity overrides Available (ST-2).
    shown: DefaultStatus,
    capacity: [u32; 4],
    /// Held and reserved conversations in counted statuses, per category.
    held: [u32; 4],
    serves: [bool; 4],
    last_assigned_ms: u64,
    queues: Vec<u32>,
    /// [`AgentView::compute_workload`] as of the last change (read by every pick).
    workload: f64,
}

impl AgentView {
    fn compute_workload(&self) -> f64 {
        workload_of(
            ChannelCategory::ALL
                .iter()
                .filter(|c| self.serves[c.index()])
                .map(|c| (self.held[c.index()], self.capacity[c.index()])),
        )
    }

    /// AA-5: may be given a new conversation of `category`.
    fn can_take(&self, category: ChannelCategory) -> bool {
        let c = category.index();
        available_for_assignment(self.shown.group(), self.held[c], self.capacity[c])
    }

    fn candidate(&self, agent: u32) -> Candidate {
        Candidate {
            agent,
            workload: self.workload,
            last_assigned_ms: self.last_assigned_ms,
        }
    }
}

/// ST-2 over Email, Live Messaging and Live Chat, for the held counts `held`.
fn full_capacity(held: &[u32; 4], capacity: &[u32; 4]) -> bool {
    let loads = [
        ChannelCategory::Email,
        ChannelCategory::LiveMessaging,
        ChannelCategory::LiveChat,
    ]
    .map(|c| (held[c.index()], capacity[c.index()]));
    is_full_capacity(&loads)
}

#[derive(Debug, Clone)]
struct QueueView<Id> {
    members: Vec<u32>,
    /// Waiting conversations per category, in (priority, age) order.
    lines: [Line<Id>; 4],
    /// Inside working hours.
    open: bool,
    /// `None`: automatic assignment off (AA-1).
    mode: Option<AssignmentMode>,
    /// Per category, for large queues only.
    index: Option<Box<[AssignmentIndex; 4]>>,
}

/// The assignment service. `Id` names a conversation.
#[derive(Debug, Clone)]
pub struct Assigner<Id> {
    agents: Vec<AgentView>,
    queues: Vec<QueueView<Id>>,
    counted: CountedStatuses,
    /// Reused for scans, so a pick allocates nothing.
    scratch: Vec<Candidate>,
    /// Reused by [`Assigner::fill_agent`] for what the agent takes (no allocation per call).
    taken: Vec<(u32, LineKey, Waiting<Id>)>,
    /// Reused by [`Assigner::fill_agent`]: per line it walks (queue, category), the key it
    /// looks at next.
    cursors: Vec<(u32, usize, LineKey)>,
    /// For returning customers: the agent last assigned to them and when (AA-2).
    last_agent: FastMap<u64, (u32, u64)>,
    /// Every agent that had a conversation, for the few whose history outgrew its inline list
    /// (AA-9).
    overflow: FastMap<Id, Vec<u32>>,
}

impl<Id: Copy + Eq + Hash> Assigner<Id> {
    /// The service for `agents` and queues with the given assignment modes (`None`: off),
    /// with `counted` the statuses that occupy agents (CAP-4, AA-12). Every agent starts
    /// Offline and every queue empty and open.
    pub fn new(
        agents: &[AgentSetup],
        modes: &[Option<AssignmentMode>],
        counted: CountedStatuses,
    ) -> Self {
        let mut queues: Vec<QueueView<Id>> = modes
            .iter()
            .map(|&mode| QueueView {
                members: Vec::new(),
                lines: Default::default(),
                open: true,
                mode,
                index: None,
            })
            .collect();
        for (i, a) in agents.iter().enumerate() {
            for &q in &a.queues {
                queues[q as usize].members.push(i as u32);
            }
        }
        for q in &mut queues {
            if q.members.len() > INDEX_THRESHOLD {
                q.index = Some(Box::default());
            }
        }
        let agents = agents
            .iter()
            .map(|a| AgentView {
                set: DefaultStatus::Offline,
                shown: DefaultStatus::Offline,
                capacity: a.capacity,
                held: [0; 4],
                serves: a.serves,
                last_assigned_ms: 0,
                queues: a.queues.clone(),
                workload: 0.0,
            })
            .collect();
        Self {
            agents,
            queues,
            counted,
            scratch: Vec::new(),
            taken: Vec::new(),
            cursors: Vec::new(),
            last_agent: FastMap::default(),
            overflow: FastMap::default(),
        }
    }

    // ---- events -------------------------------------------------------------------------

    /// Agent `agent` set `status`. Turning Available, it takes what waits (AA-4, AA-10).
    pub fn agent_status(
        &mut self,
        agent: u32,
        status: DefaultStatus,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        self.agents[agent as usize].set = status;
        self.agent_changed(agent, out);
        self.fill_agent(agent, now_ms, out);
    }

    /// One of agent `agent`'s conversations of `category` stopped occupying it (solved,
    /// closed, moved to a status that does not count, unassigned, or moved away): the agent
    /// takes what waits (AA-4, AA-10).
    pub fn slot_freed(
        &mut self,
        agent: u32,
        category: ChannelCategory,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        self.release(agent, category, out);
        self.fill_agent(agent, now_ms, out);
    }

    /// One of agent `agent`'s conversations of `category` occupies it again (a reopened one,
    /// CAP-4). It may take the agent past its capacity: the customer wrote to the agent it had.
    pub fn slot_taken(&mut self, agent: u32, category: ChannelCategory, out: &mut Decisions<Id>) {
        self.agents[agent as usize].held[category.index()] += 1;
        self.agent_changed(agent, out);
    }

    /// ST-1: whom agent `from` can hand a conversation of `queue` and `category` to: another
    /// member whose status takes transferred conversations (Available, Busy or Away), the
    /// longest unserved first. Capacity limits automatic assignment only, so a chat may take
    /// its new agent past capacity; a call needs a free line (CAP-3: one call at a time).
    pub fn transfer_target(&self, queue: u32, from: u32, category: ChannelCategory) -> Option<u32> {
        let agents = &self.agents;
        let c = category.index();
        pick_agent(
            self.queues[queue as usize]
                .members
                .iter()
                .filter(|&&a| {
                    let view = &agents[a as usize];
                    a != from
                        && view.shown.group().receives_transferred()
                        && (category != ChannelCategory::VoiceVideo
                            || view.held[c] < view.capacity[c])
                })
                .map(|&a| handover::Candidate {
                    agent: a,
                    last_assigned_ms: agents[a as usize].last_assigned_ms,
                }),
        )
    }

    /// ST-1: agent `from` handed a conversation of `category` to agent `to`: `to` holds it
    /// (whatever its capacity), and `from` takes what waits (AA-4).
    pub fn agent_transfer(
        &mut self,
        from: u32,
        to: u32,
        category: ChannelCategory,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        let view = &mut self.agents[to as usize];
        view.held[category.index()] += 1;
        view.last_assigned_ms = now_ms;
        self.agent_changed(to, out);
        self.slot_freed(from, category, now_ms, out);
    }

    /// 004: the bot's integration made `agent` the assignee of `w` (waiting at `key` in
    /// `queue`, the queue that stands for "no queue"): routing is avoided and capacity does
    /// not apply (it limits automatic assignment only), so it may take the agent past it.
    pub fn assign_directly(
        &mut self,
        agent: u32,
        queue: u32,
        key: LineKey,
        w: Waiting<Id>,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        self.commit(agent, queue, key, &w, AssignedBy::Direct, now_ms, out);
    }

    /// The conversation of an offer was gone when the offer arrived: the agent's slot is free
    /// again, and it takes what else waits.
    pub fn offer_declined(
        &mut self,
        agent: u32,
        category: ChannelCategory,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        self.slot_freed(agent, category, now_ms, out);
    }

    /// A slot of agent `agent` is free, without the agent looking for more work now (it was
    /// logged out, ST-3, or the caller runs [`Assigner::slot_freed`] for it later).
    pub fn release(&mut self, agent: u32, category: ChannelCategory, out: &mut Decisions<Id>) {
        let held = &mut self.agents[agent as usize].held[category.index()];
        debug_assert!(*held > 0, "a slot is freed only where one is held");
        *held = held.saturating_sub(1);
        self.agent_changed(agent, out);
    }

    /// Conversation `w` starts waiting in `queue` at `key`: new, moved here (AA-11), or
    /// unassigned (ST-3, WF-5). It goes to the best agent that may take it now, or waits.
    pub fn conversation_waits(
        &mut self,
        queue: u32,
        key: LineKey,
        w: Waiting<Id>,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        // Taken at once, it never enters the line (most arrivals of a staffed centre).
        let q = &self.queues[queue as usize];
        if q.open
            && (q.mode.is_none() || self.assignable(&w))
            && let Some((agent, by)) = self.pick(queue, &w, AssignedBy::Weighted, now_ms)
        {
            self.reserve(agent, queue, key, &w, by, now_ms, out);
            return;
        }
        let line = &mut self.queues[queue as usize].lines[w.category.index()];
        let previous = line.insert(key, w);
        debug_assert!(previous.is_none(), "one conversation per place in line");
        out.list.push(Decision::Unserved(queue, w.conv, key));
    }

    /// Conversation `conv` at `key` left `queue` unassigned (abandoned, closed by its waiting
    /// strategy or a workflow). Returns whether it was waiting here.
    pub fn conversation_left(&mut self, queue: u32, key: LineKey, conv: Id) -> bool {
        let q = &mut self.queues[queue as usize];
        for line in &mut q.lines {
            if line.get(&key).is_some_and(|w| w.conv == conv) {
                line.remove(&key);
                return true;
            }
        }
        false
    }

    /// Conversation `conv` waiting at `old` in `queue` now has place `new` (its priority was
    /// changed, RT-5). A new place changes nobody's availability: no assignment runs.
    pub fn conversation_rekeyed(&mut self, queue: u32, old: LineKey, new: LineKey, conv: Id) {
        let q = &mut self.queues[queue as usize];
        for line in &mut q.lines {
            if line.get(&old).is_some_and(|w| w.conv == conv) {
                let w = line.remove(&old).expect("looked up above");
                line.insert(new, w);
                return;
            }
        }
    }

    /// Conversation `conv` waiting at `key` in `queue` is in `status` now (the customer wrote
    /// into a Waiting conversation, which is Open again). Once it occupies agents it may be
    /// assigned (AA-4, AA-12).
    pub fn conversation_status(
        &mut self,
        queue: u32,
        key: LineKey,
        conv: Id,
        status: ConversationStatus,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        let q = &mut self.queues[queue as usize];
        let Some(w) = q
            .lines
            .iter_mut()
            .find_map(|line| line.get_mut(&key).filter(|w| w.conv == conv))
        else {
            return;
        };
        let was = assignable(w.status, &self.counted);
        w.status = status;
        let w = *w;
        if !was && assignable(status, &self.counted) {
            self.assign_one(queue, key, w, AssignedBy::Weighted, now_ms, out);
        }
    }

    /// Queue `queue`'s working hours began (`open`) or ended. When they begin, what waited is
    /// assigned in bulk, best first, each to the best agent that may take it (AA-10, WH-4).
    pub fn queue_hours(&mut self, queue: u32, open: bool, now_ms: u64, out: &mut Decisions<Id>) {
        let q = &mut self.queues[queue as usize];
        let opened = open && !q.open;
        q.open = open;
        if !opened {
            return;
        }
        let mut order: Vec<(LineKey, Waiting<Id>)> = q
            .lines
            .iter()
            .flat_map(|line| line.iter().map(|(k, w)| (k, *w)))
            .collect();
        order.sort_unstable_by_key(|(k, _)| *k);
        // Once no member may take a category, no later conversation of it can be placed
        // either: nobody frees a slot during the run.
        let mut nobody = [false; 4];
        for (key, w) in order {
            let c = w.category.index();
            if nobody[c] {
                continue;
            }
            if !self.assign_one(queue, key, w, AssignedBy::Bulk, now_ms, out) {
                let agents = &self.agents;
                nobody[c] = !self.queues[queue as usize]
                    .members
                    .iter()
                    .any(|&a| agents[a as usize].can_take(w.category));
            }
        }
    }

    /// AA-9: `agent` loses conversation `conv` (history `history`): the history with it added.
    /// Past the inline list the service keeps every agent it had, so none ever gets it again.
    pub fn exclude(&mut self, conv: Id, history: History, agent: u32) -> History {
        let added = history.with(agent);
        if added.overflowed() {
            self.overflow
                .entry(conv)
                .or_insert_with(|| history.as_slice().to_vec())
                .push(agent);
        }
        added
    }

    // ---- reads --------------------------------------------------------------------------

    /// Whether `queue` is inside its working hours.
    pub fn is_open(&self, queue: u32) -> bool {
        self.queues[queue as usize].open
    }

    /// The members of `queue`.
    pub fn members(&self, queue: u32) -> &[u32] {
        &self.queues[queue as usize].members
    }

    /// Whether `queue` has automatic assignment on.
    pub fn automatic(&self, queue: u32) -> bool {
        self.queues[queue as usize].mode.is_some()
    }

    /// Conversations agent `agent` holds or has been offered, in counted statuses, per
    /// category in [`ChannelCategory::index`] order.
    pub fn held(&self, agent: u32) -> [u32; 4] {
        self.agents[agent as usize].held
    }

    /// The status agent `agent` shows.
    pub fn shown_status(&self, agent: u32) -> DefaultStatus {
        self.agents[agent as usize].shown
    }

    /// Conversations waiting in `queue`, in (priority, age) order.
    pub fn waiting(&self, queue: u32) -> Vec<(LineKey, Waiting<Id>)> {
        let mut all: Vec<_> = self.queues[queue as usize]
            .lines
            .iter()
            .flat_map(|line| line.iter().map(|(k, w)| (k, *w)))
            .collect();
        all.sort_unstable_by_key(|(k, _)| *k);
        all
    }
}

mod deciding;
mod line;
use line::Line;
#[cfg(test)]
mod tests;
