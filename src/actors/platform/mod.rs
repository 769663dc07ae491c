//! The platform: routing of new conversations (RT-1), working hours (WH-1..4), agents'
//! statuses and availability (ST-1, ST-2, AA-5), and automatic assignment (AA rules). Infobip
//! runs one assignment at a time (AA-3): this actor owns every agent's availability and handles
//! one message at a time, so no two assignments ever see the same free slot.
//!
//! - A queue's new head (a new conversation, or the next in line) is offered, when the queue is
//!   open, to the agent its assignment mode picks: the sticky agent (the last agent of a
//!   returning customer, within the queue's look-back, AA-2), else the weighted
//!   sum (AA-7) — by scanning the members of a small queue, or through the
//!   [`AssignmentIndex`] of a large one (the two pick the same agent, tested by property).
//!   With automatic assignment off, the longest-idle free member takes it by hand.
//! - An agent that becomes available (shift start, a finished conversation) takes the best
//!   heads of its open queues — higher priority, then older — until full (AA-10).
//! - When a queue's hours begin, its waiting conversations are offered one after another
//!   (AA-10, WH-4); outside its hours nothing is assigned, and a new conversation gets the away
//!   message and is closed if the queue says so (WH-3).
//!
//! An offer reserves the slot at once; a declined offer (the customer left at the same
//! instant) gives it back.
//!
//! Beside this file: `intake` (working hours and routing of new conversations), `moves` (queue
//! changes, AA-11, and the full list of a conversation's previous agents, AA-9), `workflows`
//! (the workflow engine, WF-1..5).

use std::collections::HashMap;
use std::sync::Arc;

use super::{AssignedBy, Context, ConvId, Head, Layout, Metric, Msg};
use crate::model::assignment::index::AssignmentIndex;
use crate::model::assignment::rules::{AssignmentMode, sticky_agent};
use crate::model::assignment::workload::workload_of;
use crate::model::assignment::{Candidate, scorer};
use crate::model::capacity::is_full_capacity;
use crate::model::centre::CentreSpec;
use crate::model::channel::ChannelCategory;
use crate::model::handover::{self, pick_agent};
use crate::model::status::DefaultStatus;

/// Queues with more members than this keep an [`AssignmentIndex`]; smaller ones are scanned,
/// which is faster below about a hundred agents (benches/assignment.rs) and picks the same.
pub const INDEX_THRESHOLD: usize = 128;

#[derive(Debug, Clone)]
struct AgentView {
    /// The status the agent set (from its shift and status schedule).
    set: DefaultStatus,
    /// The status it shows: Full Capacity overrides Available (ST-2).
    shown: DefaultStatus,
    capacity: [u32; 4],
    /// Held and reserved conversations, per category.
    held: [u32; 4],
    /// Categories its queues use: the ones its workload averages (AA-6).
    serves: [bool; 4],
    last_assigned_ms: u64,
    queues: Vec<u32>,
    /// [`AgentView::workload`] as of the last change (read by every pick).
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

    /// ST-2 over Email, Live Messaging and Live Chat.
    fn full_capacity(&self) -> bool {
        let loads = [
            ChannelCategory::Email,
            ChannelCategory::LiveMessaging,
            ChannelCategory::LiveChat,
        ]
        .map(|c| (self.held[c.index()], self.capacity[c.index()]));
        is_full_capacity(&loads)
    }

    /// AA-5: may be given a new conversation of `category`.
    fn can_take(&self, category: ChannelCategory) -> bool {
        self.shown.group().receives_new()
            && self.held[category.index()] < self.capacity[category.index()]
    }

    fn candidate(&self, agent: u32) -> Candidate {
        Candidate {
            agent,
            workload: self.workload,
            last_assigned_ms: self.last_assigned_ms,
        }
    }
}

#[derive(Debug, Clone)]
struct QueueView {
    members: Vec<u32>,
    head: Option<Head>,
    /// The conversation for which an offer is out, if any.
    offered: Option<ConvId>,
    /// Inside working hours.
    open: bool,
    /// The hours just began: the conversations that waited are being assigned in bulk (AA-10,
    /// WH-4) until the line is empty or nobody can take more.
    opening_bulk: bool,
    assignment: Option<AssignmentMode>,
    /// Per category, for large queues only.
    index: Option<Box<[AssignmentIndex; 4]>>,
}

/// The platform actor.
#[derive(Debug)]
pub struct Platform {
    spec: Arc<CentreSpec>,
    layout: Layout,
    agents: Vec<AgentView>,
    queues: Vec<QueueView>,
    /// Reused for scans, so a pick allocates nothing.
    scratch: Vec<Candidate>,
    /// For returning customers: the agent last assigned to them and when (AA-2). One entry per
    /// person of the segments' populations at most.
    last_agent: HashMap<u64, (u32, u64)>,
    /// Some sender has a waiting strategy (else queues need no word of unserved heads).
    any_strategy: bool,
    /// The conversations the bot has.
    bot_conversations: HashMap<ConvId, bot_side::BotConversation>,
    /// The conversation store of the bot's and the external centre's conversations (the API's
    /// view, `model::platform_api`).
    store: crate::model::platform_api::Store,
    /// The conversations handed to the external centre.
    external_conversations: HashMap<ConvId, bot_side::External>,
    /// The next inbound message id (for webhook deliveries).
    next_message_id: u64,
    /// The stream of webhook delays and duplicates.
    webhook_stream: crate::actors::StreamId,
    /// Every agent that had a conversation, for the few whose history outgrew its inline list
    /// (AA-9).
    overflow: HashMap<ConvId, Vec<u32>>,
    /// What workflows know of each open threaded conversation, by the conversation's slot
    /// (empty without workflows).
    workflow_book: Vec<Option<(ConvId, workflows::Tracked)>>,
}

impl Platform {
    /// The platform of `spec`: every agent offline, every queue empty and open until its first
    /// hours check.
    pub fn new(spec: &Arc<CentreSpec>, layout: Layout) -> Self {
        let mut queues: Vec<QueueView> = spec
            .queues
            .iter()
            .map(|q| QueueView {
                members: Vec::new(),
                head: None,
                offered: None,
                open: true,
                opening_bulk: false,
                assignment: q.assignment,
                index: None,
            })
            .collect();
        let agents: Vec<AgentView> = spec
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| {
                for &q in &a.queues {
                    queues[q as usize].members.push(i as u32);
                }
                let serves = spec.served_categories(i as u32);
                AgentView {
                    set: DefaultStatus::Offline,
                    shown: DefaultStatus::Offline,
                    capacity: ChannelCategory::ALL.map(|c| a.capacity.of(c)),
                    held: [0; 4],
                    serves,
                    last_assigned_ms: 0,
                    queues: a.queues.clone(),
                    workload: 0.0,
                }
            })
            .collect();
        for q in &mut queues {
            if q.members.len() > INDEX_THRESHOLD {
                q.index = Some(Box::default());
            }
        }
        Self {
            spec: Arc::clone(spec),
            layout,
            agents,
            queues,
            scratch: Vec::new(),
            last_agent: HashMap::new(),
            workflow_book: Vec::new(),
            overflow: HashMap::new(),
            any_strategy: spec.segments.iter().any(|s| s.waiting_strategy.is_some()),
            bot_conversations: HashMap::new(),
            store: bot_side::store_for(spec),
            external_conversations: HashMap::new(),
            next_message_id: 0,
            webhook_stream: Layout::webhook_stream(
                spec.segments.len() as u32,
                spec.agents.len() as u32,
            ),
        }
    }

    /// Schedules each queue's first working-hours check. Call once at time 0.
    pub fn start<C: Context>(&mut self, ctx: &mut C) {
        for q in 0..self.queues.len() as u32 {
            ctx.send(Layout::PLATFORM, Msg::QueueHoursCheck { queue: q });
        }
        if let Some(at_ms) = self
            .spec
            .bot
            .as_ref()
            .and_then(|b| b.webhook_replaced_at_ms)
        {
            ctx.schedule(at_ms, Layout::PLATFORM, Msg::WebhookReplaced);
        }
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: Msg, ctx: &mut C) {
        match msg {
            Msg::Inbound {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } if self.bot_takes(segment) => {
                self.bot_take(conv, (segment, arrival_seq, customer), &draw, ctx)
            }
            Msg::Inbound {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } => self.route(conv, segment, arrival_seq, customer, (&draw, true), ctx),
            Msg::ToBot { .. } | Msg::BotResolved { .. } | Msg::CustomerLeft { .. } => {
                self.bot_message(msg, ctx)
            }
            Msg::Api { conv, call, caller } => self.api_call(conv, call, caller, ctx),
            Msg::WebhookReplaced => self.webhook_replaced(),
            Msg::GiveBack {
                agent,
                conv,
                category,
                counted,
            } => {
                // BOT-2: the agent assigns it back to the bot; its slot is free (AA-4).
                if counted {
                    self.agents[agent as usize].held[category.index()] -= 1;
                }
                self.agent_changed(agent, ctx);
                ctx.send(Layout::CUSTOMERS, Msg::BackToBot { conv });
                self.fill_agent(agent, ctx);
            }
            Msg::RejoinBot {
                conv,
                segment,
                arrival_seq,
                customer,
                draw,
            } => self.bot_resume(conv, (segment, arrival_seq, customer), &draw, ctx),
            Msg::ExternalAnswered { .. }
            | Msg::ExternalDone { .. }
            | Msg::CustomerMessage { .. }
            | Msg::Satisfied { .. } => self.external_message(msg, ctx),
            Msg::HeadChanged { queue, head } => {
                let q = &mut self.queues[queue as usize];
                q.head = head;
                q.offered = None;
                self.offer_head(queue, ctx);
            }
            Msg::Declined {
                agent,
                queue,
                conv,
                category,
            } => {
                self.agents[agent as usize].held[category.index()] -= 1;
                let q = &mut self.queues[queue as usize];
                if q.offered == Some(conv) {
                    q.offered = None;
                }
                self.workflow_holder(conv, None, queue, ctx);
                self.agent_changed(agent, ctx);
                self.fill_agent(agent, ctx);
                self.offer_head(queue, ctx);
            }
            Msg::Unassigned {
                counted,
                by_workflow,
                agent,
                conv,
                queue,
                key,
                segment,
                category,
                history,
            } => {
                // ST-3: the logged-out agent's untouched conversation goes back to its queue,
                // never to this agent again (AA-9); or a workflow unassigned it (WF-5).
                if counted {
                    self.agents[agent as usize].held[category.index()] -= 1;
                }
                ctx.record(Metric::Unassigned {
                    by_workflow,
                    conv,
                    agent,
                    queue,
                });
                self.agent_changed(agent, ctx);
                let history = self.history_with(conv, history, agent);
                let requeue = Msg::Requeue {
                    conv,
                    key,
                    segment,
                    category,
                    history,
                };
                ctx.send(self.layout.queue(queue), requeue);
                ctx.send(Layout::CUSTOMERS, Msg::Requeued { conv });
                self.workflow_holder(conv, None, queue, ctx);
                if by_workflow {
                    // AA-4: the agent's occupancy dropped.
                    self.fill_agent(agent, ctx);
                }
            }
            Msg::Observe { conv, what } => self.observe(conv, what, ctx),
            Msg::WorkflowDue {
                conv,
                workflow,
                pending,
                epoch,
            } => self.workflow_due(conv, workflow, pending, epoch, ctx),
            Msg::SlotFreed { agent, category } => {
                self.agents[agent as usize].held[category.index()] -= 1;
                self.agent_changed(agent, ctx);
                self.fill_agent(agent, ctx);
            }
            Msg::SlotTaken { agent, category } => {
                // CAP-4: a reopened conversation counts again (it may take the agent past its
                // capacity: the customer wrote to the agent it had).
                self.agents[agent as usize].held[category.index()] += 1;
                self.agent_changed(agent, ctx);
            }
            Msg::QueueChange {
                agent,
                conv,
                from,
                to,
                key,
                segment,
                category,
                history,
            } => self.change_queue(
                agent,
                conv,
                (from, to),
                key,
                segment,
                category,
                history,
                ctx,
            ),
            Msg::StatusSet { agent, status } => {
                self.agents[agent as usize].set = status;
                self.agent_changed(agent, ctx);
                self.fill_agent(agent, ctx);
            }
            Msg::QueueHoursCheck { queue } => self.check_hours(queue, ctx),
            _ => debug_assert!(false, "platform actor got {msg:?}"),
        }
    }

    /// Offers queue `queue`'s head to the agent its mode picks, if the queue is open, an offer
    /// is not already out, and someone can take it.
    fn offer_head<C: Context>(&mut self, queue: u32, ctx: &mut C) {
        let now = ctx.now_ms();
        let q = &self.queues[queue as usize];
        let Some(head) = q.head.filter(|_| q.offered.is_none() && q.open) else {
            if q.head.is_none() {
                self.queues[queue as usize].opening_bulk = false;
            }
            return;
        };
        let cat = head.category;
        let agents = &self.agents;
        // AA-9: every agent that had it (the inline list, or the platform's full one).
        let excluded: &[u32] = match self.overflow.get(&head.conv) {
            Some(all) if head.history.overflowed() => all,
            _ => head.history.as_slice(),
        };
        let pick = match q.assignment {
            // Automatic assignment off: the longest-idle free member takes it by hand.
            None => pick_agent(
                q.members
                    .iter()
                    .filter(|&&a| agents[a as usize].can_take(cat) && !excluded.contains(&a))
                    .map(|&a| handover::Candidate {
                        agent: a,
                        last_assigned_ms: agents[a as usize].last_assigned_ms,
                    }),
            )
            .map(|a| (a, AssignedBy::Manual)),
            // AA-2: the customer's last agent within the look-back, if it can take it now;
            // else the weighted sum.
            Some(AssignmentMode::Sticky { look_back })
                if let Some(&last) = self.last_agent.get(&head.history.customer)
                    && let Some(agent) = sticky_agent(&[last], look_back, now, |a| {
                        q.members.contains(&a)
                            && agents[a as usize].can_take(cat)
                            && !excluded.contains(&a)
                    }) =>
            {
                Some((agent, AssignedBy::Sticky))
            }
            Some(AssignmentMode::AnyAvailable | AssignmentMode::Sticky { .. }) => match &q.index {
                Some(index) => index[cat.index()].pick(now, excluded),
                None => {
                    self.scratch.clear();
                    self.scratch.extend(
                        q.members
                            .iter()
                            .filter(|&&a| {
                                agents[a as usize].can_take(cat) && !excluded.contains(&a)
                            })
                            .map(|&a| agents[a as usize].candidate(a)),
                    );
                    scorer::pick(&self.scratch, now)
                }
            }
            .map(|a| (a, AssignedBy::Weighted)),
        };
        let opening_bulk = q.opening_bulk;
        match pick {
            Some((agent, by)) => {
                let by = if opening_bulk && by == AssignedBy::Weighted {
                    AssignedBy::Bulk
                } else {
                    by
                };
                self.reserve(agent, queue, head, by, ctx);
            }
            None => {
                self.queues[queue as usize].opening_bulk = false;
                // Nobody can take it: it waits unassigned, and its waiting strategy may start
                // (WS-1). Without strategies there is nobody to tell.
                if self.any_strategy {
                    let conv = head.conv;
                    ctx.send(self.layout.queue(queue), Msg::Unserved { conv });
                }
            }
        }
    }

    /// AA-10: gives agent `agent`'s free slots to the best heads of its open queues.
    fn fill_agent<C: Context>(&mut self, agent: u32, ctx: &mut C) {
        loop {
            let view = &self.agents[agent as usize];
            let best = view
                .queues
                .iter()
                .filter_map(|&q| {
                    let qv = &self.queues[q as usize];
                    qv.head
                        .filter(|h| {
                            qv.open
                                && qv.offered.is_none()
                                && view.can_take(h.category)
                                && !h.history.contains(agent)
                                && !(h.history.overflowed()
                                    && self
                                        .overflow
                                        .get(&h.conv)
                                        .is_some_and(|v| v.contains(&agent)))
                        })
                        .map(|h| (h.key, q, h))
                })
                .min_by_key(|(key, _, _)| *key);
            let Some((_, queue, head)) = best else { return };
            let by = if self.queues[queue as usize].assignment.is_some() {
                AssignedBy::Bulk
            } else {
                AssignedBy::Manual
            };
            self.reserve(agent, queue, head, by, ctx);
        }
    }

    fn reserve<C: Context>(
        &mut self,
        agent: u32,
        queue: u32,
        head: Head,
        by: AssignedBy,
        ctx: &mut C,
    ) {
        let view = &mut self.agents[agent as usize];
        debug_assert!(
            view.can_take(head.category),
            "offers go to available agents only"
        );
        view.held[head.category.index()] += 1;
        view.last_assigned_ms = ctx.now_ms();
        if head.history.returning_customer() {
            self.last_agent
                .insert(head.history.customer, (agent, ctx.now_ms()));
        }
        ctx.record(Metric::Assigned {
            conv: head.conv,
            customer: head.history.customer,
            queue,
            agent,
            by,
        });
        self.queues[queue as usize].offered = Some(head.conv);
        self.agent_changed(agent, ctx);
        let offer = Msg::Offer {
            agent,
            by,
            conv: head.conv,
            key: head.key,
            category: head.category,
        };
        ctx.send(self.layout.queue(queue), offer);
        self.workflow_holder(head.conv, Some(agent), queue, ctx);
    }

    /// After any change to an agent: its shown status (ST-2) and its place in the indexes.
    fn agent_changed<C: Context>(&mut self, agent: u32, ctx: &mut C) {
        let view = &mut self.agents[agent as usize];
        view.workload = view.compute_workload();
        let shown = match view.set {
            DefaultStatus::Available if view.full_capacity() => DefaultStatus::FullCapacity,
            set => set,
        };
        if shown != view.shown {
            view.shown = shown;
            ctx.record(Metric::AgentStatus {
                agent,
                status: shown,
            });
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

mod api;
mod bot_side;
mod intake;
mod moves;
#[cfg(test)]
mod tests;
mod workflows;
