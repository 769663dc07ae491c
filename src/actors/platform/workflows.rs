//! The platform's workflow engine (WF-1..5): it keeps what workflows know of each threaded
//! chat conversation ([`WorkflowFacts`]), sets a timer for every time-based trigger when its
//! pending state starts (one attempt per start, WF-4), runs event-based triggers as the agent
//! and the queue report what happens, and applies the actions: on a waiting conversation
//! through its queue, on an assigned one through its agent.
//!
//! WF-3: workflows run in list order; the events an action causes (a status, tag or queue
//! change) are offered to the workflows after it in the list, never before, so a chain always
//! ends. Conversations without a conversation model and calls exchange no messages and are not
//! tracked (workflows act on chat channels, WF-2).
//!
//! **(decision)** Setting Solved on a conversation nobody has answered ends it: it leaves the
//! line like a closed one (the platform would keep it unassigned in a status that is never
//! assigned automatically, AA-12, so nobody would answer it).

use super::Platform;
use crate::actors::{AgentAct, Context, ConvId, Metric, Msg, Observation, QueueAct};
use crate::actors::{AgentMsg, PlatformMsg, QueueMsg};
use crate::model::ids::{AgentIx, QueueIx};
use crate::model::priority::{LineKey, Priority};
use crate::model::status::ConversationStatus;
use crate::model::window::{Outgoing, has_window, outgoing};
use crate::model::workflow::{Action, Event, Pending, WorkflowFacts};

/// One tracked conversation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tracked {
    facts: WorkflowFacts,
    key: LineKey,
    segment: u32,
    last_inbound_ms: u64,
}

impl Platform {
    fn tracked(&mut self, conv: ConvId) -> Option<&mut Tracked> {
        match self.workflow_book.get_mut(conv.slot as usize) {
            Some(Some((c, t))) if *c == conv => Some(t),
            _ => None,
        }
    }

    /// Workflows stop tracking `conv` (it closed, or went back to the bot).
    pub(super) fn forget(&mut self, conv: ConvId) {
        if let Some(entry) = self.workflow_book.get_mut(conv.slot as usize)
            && entry.as_ref().is_some_and(|(c, _)| *c == conv)
        {
            *entry = None;
        }
    }

    /// A routed conversation joins its queue: tracked if workflows exist and it is a thread.
    /// The workflows triggered by its first message run now; returns where it waits after them
    /// (a workflow may have changed its priority), or `None` when one ended it.
    pub(super) fn workflow_start<C: Context>(
        &mut self,
        conv: ConvId,
        (queue, key, segment): (u32, LineKey, u32),
        ctx: &mut C,
    ) -> Option<LineKey> {
        if self.spec.workflows.is_empty()
            || self.spec.segments[segment as usize].behaviour.is_none()
        {
            return Some(key);
        }
        let now = ctx.now_ms();
        let slot = conv.slot as usize;
        if self.workflow_book.len() <= slot {
            self.workflow_book.resize_with(slot + 1, || None);
        }
        let facts = WorkflowFacts::new(queue, key.priority.0, now);
        let tracked = Tracked {
            facts,
            key,
            segment,
            last_inbound_ms: now,
        };
        self.workflow_book[slot] = Some((conv, tracked));
        self.schedule_pending(conv, &[Pending::AgentReply], ctx);
        self.run_event(conv, Event::InboundMessage, 0, ctx);
        self.tracked(conv).map(|t| t.key)
    }

    /// The conversation was assigned to `agent`, or unassigned (`None`), possibly in another
    /// queue.
    pub(super) fn workflow_holder<C: Context>(
        &mut self,
        conv: ConvId,
        agent: Option<u32>,
        queue: u32,
        ctx: &mut C,
    ) {
        let Some(t) = self.tracked(conv) else { return };
        t.facts.agent = agent;
        let moved = t.facts.queue != queue;
        t.facts.queue = queue;
        if moved {
            t.facts.modified();
            self.run_event(conv, Event::QueueChanged, 0, ctx);
        }
    }

    /// The conversation went back to `queue` unassigned, waiting at `key`: workflows see it
    /// ([`Platform::workflow_holder`]). Returns where it waits after them, or `None` when one
    /// ended it.
    pub(super) fn workflow_requeued<C: Context>(
        &mut self,
        conv: ConvId,
        queue: u32,
        key: LineKey,
        ctx: &mut C,
    ) -> Option<LineKey> {
        let Some(t) = self.tracked(conv) else {
            return Some(key);
        };
        t.key = key;
        self.workflow_holder(conv, None, queue, ctx);
        self.tracked(conv).map(|t| t.key)
    }

    /// What the agent or the queue reports.
    pub(super) fn observe<C: Context>(&mut self, conv: ConvId, what: Observation, ctx: &mut C) {
        let now = ctx.now_ms();
        let Some(t) = self.tracked(conv) else { return };
        let (started, event) = match what {
            Observation::Inbound => {
                t.last_inbound_ms = now;
                (t.facts.inbound(now), Event::InboundMessage)
            }
            Observation::Outbound => (t.facts.outbound(now), Event::OutboundAgentMessage),
            Observation::Status(to) => {
                let started = t.facts.status_changed(to, now);
                if to == ConversationStatus::Closed {
                    self.forget(conv);
                    return;
                }
                (started, Event::StatusChanged(to))
            }
            Observation::Gone => {
                self.forget(conv);
                return;
            }
        };
        self.schedule_pending(conv, &started, ctx);
        self.run_event(conv, event, 0, ctx);
    }

    /// One timer per workflow waiting on each newly started pending state.
    fn schedule_pending<C: Context>(&mut self, conv: ConvId, started: &[Pending], ctx: &mut C) {
        let Some(t) = self.tracked(conv) else { return };
        let epochs = t.facts.epochs;
        for &pending in started {
            for (w, workflow) in self.spec.workflows.iter().enumerate() {
                if let Some(after_ms) = workflow.waits_on(pending) {
                    let due = PlatformMsg::WorkflowDue {
                        conv,
                        workflow: w as u32,
                        pending,
                        epoch: epochs[pending.index()],
                        settled: false,
                    };
                    ctx.schedule(after_ms, due);
                }
            }
        }
    }

    /// A time-based trigger's timer: runs the workflow if the state it waited on still holds
    /// from the same start and the conditions hold (WF-4).
    pub(super) fn workflow_due<C: Context>(
        &mut self,
        conv: ConvId,
        workflow: u32,
        pending: Pending,
        epoch: u32,
        ctx: &mut C,
    ) {
        let Some(t) = self.tracked(conv) else { return };
        let facts = t.facts;
        if facts.current(pending, epoch) && self.spec.workflows[workflow as usize].applies(&facts) {
            self.run_actions(conv, workflow as usize, ctx);
        }
    }

    /// WF-3: offers `event` to the workflows from `from` on, in order.
    fn run_event<C: Context>(&mut self, conv: ConvId, event: Event, from: usize, ctx: &mut C) {
        for w in from..self.spec.workflows.len() {
            let Some(t) = self.tracked(conv) else { return };
            let facts = t.facts;
            let workflow = &self.spec.workflows[w];
            if workflow.triggered_by(event) && workflow.applies(&facts) {
                self.run_actions(conv, w, ctx);
            }
        }
    }

    /// Runs workflow `w`'s actions in order (WF-1, WF-5), then offers what they changed to the
    /// workflows after it (WF-3).
    fn run_actions<C: Context>(&mut self, conv: ConvId, w: usize, ctx: &mut C) {
        let now = ctx.now_ms();
        let Some(t) = self.tracked(conv) else { return };
        let queue = t.facts.queue;
        ctx.record(Metric::WorkflowRun {
            conv,
            workflow: w as u32,
            queue,
        });
        let spec = std::sync::Arc::clone(&self.spec);
        let mut events = Vec::new();
        for &action in &spec.workflows[w].actions {
            let Some(t) = self.tracked(conv) else { return };
            let mut t = *t;
            let mut delivered = true;
            let mut ended = false;
            match action {
                Action::SendMessage => {
                    let windowed = has_window(spec.segments[t.segment as usize].channel);
                    delivered = outgoing(windowed, t.last_inbound_ms, now) == Outgoing::FreeForm;
                }
                Action::AddTags(bits) | Action::RemoveTags(bits) => {
                    let tags = if matches!(action, Action::AddTags(_)) {
                        t.facts.tags | bits
                    } else {
                        t.facts.tags & !bits
                    };
                    if tags != t.facts.tags {
                        t.facts.tags = tags;
                        t.facts.modified();
                        events.push(Event::TagChanged);
                    }
                }
                Action::SetSolved if t.facts.status != ConversationStatus::Solved => {
                    match t.facts.agent {
                        Some(agent) => {
                            let act = AgentMsg::WorkflowAct {
                                conv,
                                act: AgentAct::Solve,
                            };
                            ctx.send(Msg::Agent(AgentIx(agent), act));
                            let started = t.facts.status_changed(ConversationStatus::Solved, now);
                            self.store(conv, t);
                            self.schedule_pending(conv, &started, ctx);
                            events.push(Event::StatusChanged(ConversationStatus::Solved));
                        }
                        None => {
                            // (decision) see the module docs: it ends like a closed one.
                            self.close_waiting(conv, t, ctx);
                            ended = true;
                        }
                    }
                }
                Action::SetSolved => {}
                Action::SetPriority(priority) => {
                    t.facts.priority = priority;
                    if t.facts.agent.is_none() {
                        self.rekey(conv, &mut t, priority, ctx);
                    }
                }
                Action::Unassign => {
                    if let Some(agent) = t.facts.agent {
                        let act = AgentMsg::WorkflowAct {
                            conv,
                            act: AgentAct::Unassign,
                        };
                        ctx.send(Msg::Agent(AgentIx(agent), act));
                    }
                }
                Action::Close => {
                    match t.facts.agent {
                        Some(agent) => {
                            let act = AgentMsg::WorkflowAct {
                                conv,
                                act: AgentAct::Close,
                            };
                            ctx.send(Msg::Agent(AgentIx(agent), act));
                            self.forget(conv);
                        }
                        None => self.close_waiting(conv, t, ctx),
                    }
                    ended = true;
                }
                Action::CallApi => {}
            }
            ctx.record(Metric::WorkflowAction {
                conv,
                queue: t.facts.queue,
                action,
                delivered,
            });
            if ended {
                return;
            }
            if self.tracked(conv).is_some() {
                self.store(conv, t);
            }
        }
        for event in events {
            self.run_event(conv, event, w + 1, ctx);
        }
    }

    fn store(&mut self, conv: ConvId, t: Tracked) {
        if let Some(slot) = self.tracked(conv) {
            *slot = t;
        }
    }

    /// Closes a waiting conversation: its queue takes it out of the line.
    fn close_waiting<C: Context>(&mut self, conv: ConvId, t: Tracked, ctx: &mut C) {
        let act = QueueMsg::WorkflowQueueAct {
            conv,
            key: t.key,
            act: QueueAct::Close,
        };
        ctx.send(Msg::Queue(QueueIx(t.facts.queue), act));
        self.assigner.conversation_left(t.facts.queue, t.key, conv);
        self.parked.remove(&conv);
        self.forget(conv);
    }

    /// Moves a waiting conversation to its new priority's place.
    fn rekey<C: Context>(
        &mut self,
        conv: ConvId,
        t: &mut Tracked,
        priority: Priority,
        ctx: &mut C,
    ) {
        let act = QueueMsg::WorkflowQueueAct {
            conv,
            key: t.key,
            act: QueueAct::Priority(priority),
        };
        ctx.send(Msg::Queue(QueueIx(t.facts.queue), act));
        let new = t.key.with_priority(priority);
        self.assigner
            .conversation_rekeyed(t.facts.queue, t.key, new, conv);
        if let Some(parked) = self.parked.get_mut(&conv) {
            parked.1 = new;
        }
        t.key = new;
    }
}
