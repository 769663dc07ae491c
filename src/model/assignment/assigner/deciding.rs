//! How the assignment service decides: which agent a waiting conversation goes to (the queue's
//! mode: sticky agent, weighted sum or, with automatic assignment off, the longest idle member),
//! how a freed agent fills its capacity from its queues (AA-10), and how every change to an
//! agent updates its shown status (ST-2) and the large queues' indexes.

use crate::model::FastMap;
use std::hash::Hash;

use super::{Assigner, Decision, Decisions, Offer, Waiting, full_capacity};
use crate::model::assignment::rules::{AssignmentMode, assignable, sticky_agent};
use crate::model::assignment::{AssignedBy, scorer};
use crate::model::channel::ChannelCategory;
use crate::model::handover::{self, pick_agent};
use crate::model::priority::LineKey;
use crate::model::status::DefaultStatus;

impl<Id: Copy + Eq + Hash> Assigner<Id> {
    pub(super) fn assignable(&self, w: &Waiting<Id>) -> bool {
        assignable(w.status, &self.counted)
    }

    /// AA-9: every agent that had `w` (the inline list, or the service's full one).
    pub(super) fn excluded<'a>(
        overflow: &'a FastMap<Id, Vec<u32>>,
        w: &'a Waiting<Id>,
    ) -> &'a [u32] {
        match overflow.get(&w.conv) {
            Some(all) if w.history.overflowed() => all,
            _ => w.history.as_slice(),
        }
    }

    /// Offers conversation `w` (waiting at `key` in `queue`) to the agent its queue's mode
    /// picks, if the queue is open and the conversation may be assigned. `weighted` names a
    /// weighted-sum pick (Weighted, or Bulk at an opening). Returns whether it was offered.
    pub(super) fn assign_one(
        &mut self,
        queue: u32,
        key: LineKey,
        w: Waiting<Id>,
        weighted: AssignedBy,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) -> bool {
        let q = &self.queues[queue as usize];
        // AA-12 holds only for automatic assignment; agents may take anything by hand.
        if !q.open || (q.mode.is_some() && !self.assignable(&w)) {
            return false;
        }
        let Some((agent, by)) = self.pick(queue, &w, weighted, now_ms) else {
            return false;
        };
        self.queues[queue as usize].lines[w.category.index()].remove(&key);
        self.reserve(agent, queue, key, &w, by, now_ms, out);
        true
    }

    /// The agent `queue`'s mode picks for `w` among members that may take it now.
    pub(super) fn pick(
        &mut self,
        queue: u32,
        w: &Waiting<Id>,
        weighted: AssignedBy,
        now_ms: u64,
    ) -> Option<(u32, AssignedBy)> {
        let q = &self.queues[queue as usize];
        let cat = w.category;
        let agents = &self.agents;
        let excluded = Self::excluded(&self.overflow, w);
        let eligible = |a: u32| agents[a as usize].can_take(cat) && !excluded.contains(&a);
        match q.mode {
            // Automatic assignment off: the longest-idle free member takes it by hand.
            None => pick_agent(q.members.iter().filter(|&&a| eligible(a)).map(|&a| {
                handover::Candidate {
                    agent: a,
                    last_assigned_ms: agents[a as usize].last_assigned_ms,
                }
            }))
            .map(|a| (a, AssignedBy::Manual)),
            // AA-2: the customer's last agent within the look-back, if it may take it now;
            // else the weighted sum.
            Some(AssignmentMode::Sticky { look_back })
                if let Some(&last) = self.last_agent.get(&w.history.customer)
                    && let Some(agent) = sticky_agent(&[last], look_back, now_ms, |a| {
                        q.members.contains(&a) && eligible(a)
                    }) =>
            {
                Some((agent, AssignedBy::Sticky))
            }
            Some(AssignmentMode::AnyAvailable | AssignmentMode::Sticky { .. }) => match &q.index {
                Some(index) => index[cat.index()].pick(now_ms, excluded),
                None => {
                    self.scratch.clear();
                    self.scratch.extend(
                        q.members
                            .iter()
                            .filter(|&&a| eligible(a))
                            .map(|&a| agents[a as usize].candidate(a)),
                    );
                    scorer::pick(&self.scratch, now_ms)
                }
            }
            .map(|a| (a, weighted)),
        }
    }

    /// AA-10: agent `agent` takes every waiting conversation of its open queues that it may
    /// have, highest priority first, then oldest, until it can take no more (after
    /// [`Assigner::release`], once what the agent lost is back in line).
    pub fn fill_agent(&mut self, agent: u32, now_ms: u64, out: &mut Decisions<Id>) {
        let view = &self.agents[agent as usize];
        if !view.shown.group().receives_new() {
            return;
        }
        // Plan on a copy of the agent's counts (walking the lines), then reserve. A cursor per
        // line holds the key it looks at next; the lines do not change while planning.
        let capacity = view.capacity;
        let mut held = view.held;
        let mut cursors = std::mem::take(&mut self.cursors);
        cursors.clear();
        for &queue in &view.queues {
            let q = &self.queues[queue as usize];
            if !q.open {
                continue;
            }
            for c in ChannelCategory::ALL {
                if held[c.index()] < capacity[c.index()]
                    && let Some(first) = q.lines[c.index()].first_key()
                {
                    cursors.push((queue, c.index(), first));
                }
            }
        }
        let mut taken = std::mem::take(&mut self.taken);
        while !cursors.is_empty() && !full_capacity(&held, &capacity) {
            // The best conversation at the front of any line.
            let (i, &(queue, c, key)) = cursors
                .iter()
                .enumerate()
                .min_by_key(|(_, (_, _, key))| *key)
                .expect("not empty");
            let mut from_key = self.queues[queue as usize].lines[c].from(key);
            let (_, w) = from_key.next().expect("a cursor's key is in its line");
            match from_key.next() {
                Some((next, _)) => cursors[i].2 = next,
                None => drop(cursors.swap_remove(i)),
            }
            if held[c] >= capacity[c] {
                cursors.retain(|&(_, category, _)| category != c);
                continue;
            }
            let manual = self.queues[queue as usize].mode.is_none();
            let excluded = Self::excluded(&self.overflow, w).contains(&agent);
            if excluded || (!manual && !assignable(w.status, &self.counted)) {
                continue;
            }
            held[c] += 1;
            taken.push((queue, key, *w));
        }
        self.cursors = cursors;
        for (queue, key, w) in taken.drain(..) {
            let by = if self.queues[queue as usize].mode.is_some() {
                AssignedBy::Bulk
            } else {
                AssignedBy::Manual
            };
            self.queues[queue as usize].lines[w.category.index()].remove(&key);
            self.reserve(agent, queue, key, &w, by, now_ms, out);
        }
        self.taken = taken;
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn reserve(
        &mut self,
        agent: u32,
        queue: u32,
        key: LineKey,
        w: &Waiting<Id>,
        by: AssignedBy,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        debug_assert!(
            self.agents[agent as usize].can_take(w.category),
            "offers go to available agents"
        );
        self.commit(agent, queue, key, w, by, now_ms, out);
    }

    /// Counts `w` against `agent` and offers it: whether the agent may take it is the caller's
    /// to know.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn commit(
        &mut self,
        agent: u32,
        queue: u32,
        key: LineKey,
        w: &Waiting<Id>,
        by: AssignedBy,
        now_ms: u64,
        out: &mut Decisions<Id>,
    ) {
        let view = &mut self.agents[agent as usize];
        view.held[w.category.index()] += 1;
        view.last_assigned_ms = now_ms;
        if w.history.returning_customer() {
            self.last_agent.insert(w.history.customer, (agent, now_ms));
        }
        out.list.push(Decision::Offer(Offer {
            agent,
            queue,
            conv: w.conv,
            key,
            category: w.category,
            by,
            customer: w.history.customer,
        }));
        self.agent_changed(agent, out);
    }

    /// After any change to an agent: its shown status (ST-2) and its place in the indexes.
    pub(super) fn agent_changed(&mut self, agent: u32, out: &mut Decisions<Id>) {
        let view = &mut self.agents[agent as usize];
        view.workload = view.compute_workload();
        let shown = match view.set {
            DefaultStatus::Available if full_capacity(&view.held, &view.capacity) => {
                DefaultStatus::FullCapacity
            }
            set => set,
        };
        if shown != view.shown {
            view.shown = shown;
            out.list.push(Decision::Status(agent, shown));
        }
        let view = &self.agents[agent as usize];
        for &q in &view.queues {
            if let Some(index) = &mut self.queues[q as usize].index {
                for c in ChannelCategory::ALL {
                    if view.can_take(c) {
                        index[c.index()].upsert(view.candidate(agent));
                    } else {
                        index[c.index()].remove(agent);
                    }
                }
            }
        }
    }
}
