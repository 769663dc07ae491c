//! The conversations an agent works on.
//!
//! Messaging with a conversation model: the agent replies to each customer turn after a reply
//! time drawn from its own stream, then waits for the customer (in Waiting, if agents set it);
//! the customer's next turn brings the conversation back to Open. When the customer is
//! satisfied — or has been silent for the policy's time — the agent sets Solved; a Solved
//! conversation is closed after the policy's time unless the customer writes again, which
//! reopens it. Every move goes through [`StatusPolicy::next_status`], and one that changes
//! whether the conversation counts toward capacity (CAP-4) tells the platform, which runs
//! assignment for the freed slot (AA-4).
//!
//! Handle-time model and calls: the conversation holds its slot for one drawn time; a call is
//! followed by wrap-up, which holds no capacity (CAP-3, ST-4).
//!
//! Transfers (AA-11): after its first reply (or its handle time), the agent may move the
//! conversation to another queue, with the shares the queue gives. The platform decides: the
//! agent keeps it if it belongs to the new queue, else it is released and waits there.

use crate::actors::{AgentMsg, CustomerMsg, PlatformMsg};
use crate::model::ids::QueueIx;
use rand::RngExt;

use super::{Agent, MAX_TRANSFERS, Untouched};
use crate::actors::{AgentAct, Context, ConvId, Fate, Metric, Msg, Observation, TimerId};
use crate::model::centre::Transfer;
use crate::model::channel::ChannelCategory;
use crate::model::conversation::ConversationEvent;
use crate::model::status::ConversationStatus;
use crate::model::window::{Outgoing, has_window, outgoing};

/// A conversation the agent works on.
#[derive(Debug, Clone)]
pub(super) struct Held {
    handed: Untouched,
    status: ConversationStatus,
    /// A conversation model (thread of exchanges) rather than one handle time.
    threaded: bool,
    /// When the customer turn awaiting a reply began (the reply latency).
    turn_started_ms: u64,
    /// No agent has replied in this conversation yet.
    first_reply: bool,
    /// A reply is being written.
    replying: bool,
    /// The pending reply, silence or close timer.
    timer: Option<TimerId>,
    /// The agent asked the platform to move it (AA-11) and waits for the answer.
    moving: bool,
}

/// The conversations an agent holds, their ids in a vector of their own.
///
/// An agent keeps its Solved conversations until they close, hours later, so it may hold
/// many at once, and every event for one of them first finds it by id. The ids alone are 8 bytes
/// each, so that search reads a cache line or two rather than every record (in a centre of
/// 1,000 agents, the records of the agent's last event are rarely still in the caches).
#[derive(Debug, Default)]
pub(super) struct HeldSet {
    ids: Vec<ConvId>,
    items: Vec<Held>,
}

impl HeldSet {
    /// Where `conv` is, if held.
    #[inline]
    fn position(&self, conv: ConvId) -> Option<usize> {
        self.ids.iter().position(|&c| c == conv)
    }

    fn push(&mut self, held: Held) {
        self.ids.push(held.handed.conv);
        self.items.push(held);
    }

    /// Takes the conversation at `i` out; the last one takes its place.
    fn swap_remove(&mut self, i: usize) -> Held {
        self.ids.swap_remove(i);
        self.items.swap_remove(i)
    }

    /// How many are held.
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }
}

impl std::ops::Index<usize> for HeldSet {
    type Output = Held;
    #[inline]
    fn index(&self, i: usize) -> &Held {
        &self.items[i]
    }
}

impl std::ops::IndexMut<usize> for HeldSet {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Held {
        &mut self.items[i]
    }
}

impl Agent {
    /// Whether the agent holds (works on) conversation `conv`.
    pub(super) fn holds(&self, conv: ConvId) -> bool {
        self.find(conv).is_some()
    }

    fn find(&self, conv: ConvId) -> Option<usize> {
        self.held.position(conv)
    }

    /// Starts on a conversation handed over (the agent is active).
    pub(super) fn start_work<C: Context>(&mut self, u: Untouched, ctx: &mut C) {
        let seg = &self.spec.segments[u.segment.index()];
        // A conversation that was moved here was answered before; one given back untouched
        // (ST-3) or brand new was not.
        let first_reply = u.history.transfers() == 0;
        let mut held = Held {
            handed: u,
            status: ConversationStatus::Open,
            threaded: seg.behaviour.is_some(),
            // The customer's last message is its opening one: a conversation is moved only at
            // its first reply, and one given back was never answered.
            turn_started_ms: u.key.created_ms,
            first_reply,
            replying: false,
            timer: None,
            moving: false,
        };
        let me = self.index;
        let conv = u.conv;
        if held.threaded {
            let reply_ms = seg
                .agent_reply
                .as_ref()
                .expect("segments with a conversation model have a reply time")
                .sample_ms(ctx.rng(self.handle_stream));
            held.replying = true;
            held.timer = Some(ctx.schedule(reply_ms, Msg::Agent(me, AgentMsg::ReplyDue { conv })));
        } else {
            let handle_ms = self
                .spec
                .sample_handle_ms(
                    u.segment.0,
                    u.queue.0,
                    u.key.created_ms,
                    ctx.rng(self.handle_stream),
                )
                .expect("the scenario gives every timed conversation a handle time");
            let category = u.category;
            ctx.schedule(
                handle_ms,
                Msg::Agent(me, AgentMsg::ServiceDone { conv, category }),
            );
        }
        self.held.push(held);
    }

    /// Handle-time model: the time is up (for a call, the talk ends).
    pub(super) fn service_done<C: Context>(
        &mut self,
        conv: ConvId,
        category: ChannelCategory,
        ctx: &mut C,
    ) {
        let Some(i) = self.find(conv) else {
            debug_assert!(
                false,
                "service done for a conversation the agent does not hold"
            );
            return;
        };
        debug_assert_eq!(self.held[i].handed.category, category);
        if self.held[i].first_reply {
            self.held[i].first_reply = false;
            if self.maybe_transfer(i, ctx) {
                return;
            }
        }
        self.finish_timed(i, ctx);
    }

    fn finish_timed<C: Context>(&mut self, i: usize, ctx: &mut C) {
        let held = self.held.swap_remove(i);
        let u = held.handed;
        if u.category == ChannelCategory::VoiceVideo
            && let Some(wrap_up) = &self.spec.segments[u.segment.index()].wrap_up
        {
            let ms = wrap_up.sample_ms(ctx.rng(self.handle_stream));
            let start_ms = ctx.now_ms();
            let agent = self.index;
            ctx.record(Metric::WrapUp {
                agent: agent.0,
                start_ms,
                ms,
            });
        }
        self.free_slot(u.category, ctx);
        ctx.send(CustomerMsg::Finished { conv: u.conv });
    }

    /// The reply to the customer's turn is written.
    pub(super) fn reply_due<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        let now = ctx.now_ms();
        let held = &mut self.held[i];
        held.timer = None;
        held.replying = false;
        let first = held.first_reply;
        held.first_reply = false;
        let queue = held.handed.queue;
        // WIN-1: past 24 hours since the customer's last message, the free-form reply is
        // rejected and a template goes out instead.
        let windowed = has_window(self.spec.segments[held.handed.segment.index()].channel);
        // The customer's last message: its opening one, or a later one an agent saw (the
        // history carries it through unassignments and transfers).
        let last_inbound_ms = held
            .handed
            .key
            .created_ms
            .max(held.handed.history.last_inbound_ms());
        let template = outgoing(windowed, last_inbound_ms, now) == Outgoing::TemplateInstead;
        ctx.record(Metric::AgentReply {
            conv,
            agent: self.index.0,
            queue: queue.0,
            first,
            latency_ms: now - held.turn_started_ms,
            template,
        });
        self.observe(i, Observation::Outbound, ctx);
        if first && self.sets_severity {
            // SLA-2: the agent sets the conversation's severity as it answers; its policy's
            // agent shares say which (the SLA book maps the draw).
            let u: f64 = ctx.rng(self.handle_stream).random();
            let draw_ppm = (u * 1_000_000.0) as u32;
            ctx.record(Metric::SeverityDrawn { conv, draw_ppm });
        }
        if first && self.maybe_transfer(i, ctx) {
            return;
        }
        if first && self.maybe_give_back(i, ctx) {
            return;
        }
        self.reply_sent(i, ctx);
    }

    /// BOT-2: a conversation the bot handed over may go back to it after the agent's first
    /// reply (the scenario's share, drawn from the agent's stream only when it is above 0).
    fn maybe_give_back<C: Context>(&mut self, i: usize, ctx: &mut C) -> bool {
        let u = self.held[i].handed;
        let channel = self.spec.segments[u.segment.index()].channel;
        let share = match self.spec.bot.as_ref() {
            Some(b) if b.give_back_share > 0.0 && b.meets_first(channel) => b.give_back_share,
            _ => return false,
        };
        let draw: f64 = ctx.rng(self.handle_stream).random();
        if draw >= share {
            return false;
        }
        let held = self.held.swap_remove(i);
        if let Some(timer) = held.timer {
            ctx.cancel(timer);
        }
        let counted = self.spec.status_policy.counted.counts(held.status);
        if counted {
            self.busy[u.category.index()] -= 1;
            self.record_busy(u.category, false, ctx);
        }
        let give_back = PlatformMsg::GiveBack {
            agent: self.index,
            conv: u.conv,
            category: u.category,
            counted,
            history: u.history,
        };
        ctx.send(give_back);
        true
    }

    /// The reply reaches the customer; the agent waits for the next turn.
    fn reply_sent<C: Context>(&mut self, i: usize, ctx: &mut C) {
        self.move_status(i, ConversationEvent::AgentReplied, ctx);
        let conv = self.held[i].handed.conv;
        ctx.send(CustomerMsg::AgentReplied { conv });
        let after = self.silence_limit_ms(i);
        let me = self.index;
        self.held[i].timer =
            Some(ctx.schedule(after, Msg::Agent(me, AgentMsg::SilenceDue { conv })));
    }

    /// A customer turn arrives: written now, or while the conversation waited unassigned (then
    /// it was recorded, and seen by workflows, when written).
    pub(super) fn customer_message<C: Context>(
        &mut self,
        conv: ConvId,
        messages: u32,
        written_while_waiting_ms: Option<u64>,
        ctx: &mut C,
    ) {
        let Some(i) = self.find(conv) else {
            // Closed in the meantime: the customer starts a new conversation (WF-2).
            let fate = Fate::RejectedClosed;
            ctx.record(Metric::TurnFate { conv, fate });
            ctx.send(CustomerMsg::Rejected { conv });
            return;
        };
        let fate = Fate::ToAgent;
        ctx.record(Metric::TurnFate { conv, fate });
        let now = ctx.now_ms();
        let written_ms = written_while_waiting_ms.unwrap_or(now);
        let held = &mut self.held[i];
        held.handed.history = held.handed.history.wrote(written_ms);
        if written_while_waiting_ms.is_none() {
            let queue = held.handed.queue;
            ctx.record(Metric::CustomerMessages {
                conv,
                queue: queue.0,
                messages,
            });
            self.observe(i, Observation::Inbound, ctx);
        }
        if self.held[i].replying || self.held[i].moving {
            return; // the reply under way answers these too
        }
        if let Some(timer) = self.held[i].timer.take() {
            ctx.cancel(timer);
        }
        self.move_status(i, ConversationEvent::CustomerMessage, ctx);
        let seg = &self.spec.segments[self.held[i].handed.segment.index()];
        let reply_ms = seg
            .agent_reply
            .as_ref()
            .expect("segments with a conversation model have a reply time")
            .sample_ms(ctx.rng(self.handle_stream));
        let me = self.index;
        let held = &mut self.held[i];
        held.turn_started_ms = written_ms;
        held.replying = true;
        held.timer = Some(ctx.schedule(reply_ms, Msg::Agent(me, AgentMsg::ReplyDue { conv })));
    }

    /// How long the agent waits for a silent customer before solving, or the channel's
    /// auto-resolution time if that comes first (WIN-3).
    fn silence_limit_ms(&self, i: usize) -> u64 {
        let solve = self.spec.status_policy.solve_silent_after_ms;
        let seg = &self.spec.segments[self.held[i].handed.segment.index()];
        seg.auto_resolve_ms.map_or(solve, |auto| auto.min(solve))
    }

    /// The customer has been silent for the agent's patience, or the conversation's inactivity
    /// reached the channel's auto-resolution time (WIN-3): Solved.
    pub(super) fn silence_due<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        let held = &self.held[i];
        let seg = &self.spec.segments[held.handed.segment.index()];
        let auto = seg
            .auto_resolve_ms
            .is_some_and(|a| a < self.spec.status_policy.solve_silent_after_ms);
        let queue = held.handed.queue;
        let solvable = !(held.status == ConversationStatus::Solved || held.replying || held.moving);
        if auto && solvable {
            ctx.record(Metric::AutoResolved {
                conv,
                queue: queue.0,
            });
        }
        self.solve(conv, ctx);
    }

    /// The customer is satisfied, or has been silent too long: Solved.
    pub(super) fn solve<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        let held = &mut self.held[i];
        if held.status == ConversationStatus::Solved || held.replying || held.moving {
            return;
        }
        if let Some(timer) = held.timer.take() {
            ctx.cancel(timer);
        }
        self.move_status(i, ConversationEvent::Solve, ctx);
        let after = self.spec.status_policy.close_solved_after_ms;
        let me = self.index;
        self.held[i].timer = Some(ctx.schedule(after, Msg::Agent(me, AgentMsg::CloseDue { conv })));
    }

    /// A Solved conversation's time is up: Closed.
    pub(super) fn close<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        if self.held[i].status != ConversationStatus::Solved {
            return;
        }
        self.held[i].timer = None;
        self.move_status(i, ConversationEvent::Close, ctx);
        self.held.swap_remove(i);
        ctx.send(CustomerMsg::Closed { conv });
    }

    /// Tells the platform's workflows what happened to conversation `i`, if it has any and the
    /// conversation is a thread.
    fn observe<C: Context>(&self, i: usize, what: Observation, ctx: &mut C) {
        if self.held[i].threaded && !self.spec.workflows.is_empty() {
            let conv = self.held[i].handed.conv;
            ctx.send(PlatformMsg::Observe { conv, what });
        }
    }

    /// A workflow acts on a conversation the agent holds (WF-5). The platform already counts
    /// the status it sets, so the move is not reported back.
    pub(super) fn workflow_act<C: Context>(&mut self, conv: ConvId, act: AgentAct, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        if self.held[i].moving {
            return; // a transfer is under way: the platform has the conversation's next step
        }
        if let Some(timer) = self.held[i].timer.take() {
            ctx.cancel(timer);
        }
        self.held[i].replying = false;
        let me = self.index;
        match act {
            AgentAct::Solve => {
                if self.held[i].status != ConversationStatus::Solved {
                    self.change_status(i, ConversationEvent::Solve, false, ctx);
                }
                let after = self.spec.status_policy.close_solved_after_ms;
                self.held[i].timer =
                    Some(ctx.schedule(after, Msg::Agent(me, AgentMsg::CloseDue { conv })));
            }
            AgentAct::Close => {
                self.change_status(i, ConversationEvent::Close, false, ctx);
                self.held.swap_remove(i);
                ctx.send(CustomerMsg::Closed { conv });
            }
            AgentAct::Unassign => {
                let held = self.held.swap_remove(i);
                let u = held.handed;
                let counted = self.spec.status_policy.counted.counts(held.status);
                if counted {
                    self.busy[u.category.index()] -= 1;
                    self.record_busy(u.category, false, ctx);
                }
                let unassigned = PlatformMsg::Unassigned {
                    counted,
                    status: held.status,
                    by_workflow: true,
                    agent: self.index,
                    queue: u.queue,
                    item: u.item(u.history),
                };
                ctx.send(unassigned);
            }
        }
    }

    /// Applies `event` to conversation `i` and reports it to the workflows.
    fn move_status<C: Context>(&mut self, i: usize, event: ConversationEvent, ctx: &mut C) {
        self.change_status(i, event, true, ctx);
    }

    /// Applies `event` to conversation `i`: records the move, reports it to the workflows if
    /// `report`, and tells the platform when the conversation starts or stops counting toward
    /// capacity (CAP-4, AA-4).
    fn change_status<C: Context>(
        &mut self,
        i: usize,
        event: ConversationEvent,
        report: bool,
        ctx: &mut C,
    ) {
        let policy = self.spec.status_policy;
        let held = &mut self.held[i];
        let from = held.status;
        let Ok(to) = policy.next_status(from, event) else {
            debug_assert!(false, "{event:?} on a closed conversation");
            return;
        };
        if to == from {
            return;
        }
        held.status = to;
        let (queue, category) = (held.handed.queue, held.handed.category);
        ctx.record(Metric::ConversationStatus {
            conv: held.handed.conv,
            agent: self.index.0,
            queue: queue.0,
            from,
            to,
        });
        if report {
            self.observe(i, Observation::Status(to), ctx);
        }
        if to == ConversationStatus::Solved && self.spec.survey.is_some() {
            let conv = self.held[i].handed.conv;
            ctx.send(CustomerMsg::Solved { conv, queue });
        }
        match policy.occupancy_change(from, to) {
            -1 => self.free_slot(category, ctx),
            1 => {
                self.busy[category.index()] += 1;
                self.record_busy(category, false, ctx);
                let agent = self.index;
                ctx.send(PlatformMsg::SlotTaken { agent, category });
            }
            _ => {}
        }
    }

    /// AA-11, ST-1: whether the agent moves conversation `i` to another queue or another agent
    /// now (the queue's transfer shares, drawn from the agent's stream only when the queue has
    /// any).
    fn maybe_transfer<C: Context>(&mut self, i: usize, ctx: &mut C) -> bool {
        let u = self.held[i].handed;
        let queue = &self.spec.queues[u.queue.index()];
        if !queue.has_transfers() || u.history.transfers() >= MAX_TRANSFERS {
            return false;
        }
        let uniform: f64 = ctx.rng(self.handle_stream).random();
        let to = match queue.transfer_choice(uniform) {
            None => return false,
            Some(Transfer::Queue(to)) => to,
            Some(Transfer::Agent) => {
                // ST-1: to a colleague of the queue; the platform picks whom.
                self.held[i].moving = true;
                let handover = PlatformMsg::AgentTransfer {
                    agent: self.index,
                    queue: u.queue,
                    item: u.item(u.history.transferred()),
                };
                ctx.send(handover);
                return true;
            }
        };
        self.held[i].moving = true;
        let change = PlatformMsg::QueueChange {
            agent: self.index,
            from: u.queue,
            to: QueueIx(to),
            item: u.item(u.history.transferred()),
        };
        ctx.send(change);
        true
    }

    /// AA-11: the agent belongs to the new queue and goes on with the conversation.
    pub(super) fn transfer_kept<C: Context>(&mut self, conv: ConvId, queue: QueueIx, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        let held = &mut self.held[i];
        held.moving = false;
        held.handed.queue = queue;
        held.handed.history = held.handed.history.transferred();
        if held.threaded {
            self.reply_sent(i, ctx);
        } else {
            self.finish_timed(i, ctx);
        }
    }

    /// AA-11: the platform took the conversation to a queue the agent does not belong to (it
    /// already counts the slot as free).
    pub(super) fn released<C: Context>(&mut self, conv: ConvId, ctx: &mut C) {
        let Some(i) = self.find(conv) else { return };
        let held = self.held.swap_remove(i);
        let category = held.handed.category;
        if self.spec.status_policy.counted.counts(held.status) {
            self.busy[category.index()] -= 1;
            self.record_busy(category, false, ctx);
        }
    }
}
