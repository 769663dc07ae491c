//! An agent: on and off shift by its weekly pattern, setting Away or Busy for scheduled spans,
//! holding conversations up to its capacity per category (the platform enforces the limit; the
//! invariant checker watches it), and working on them (`conversations`): replying to each customer turn
//! after a reply time drawn from its own stream, solving and closing, moving conversations to
//! other queues (AA-11), or — for the handle-time model and calls — holding each for a drawn
//! time, calls followed by wrap-up (CAP-3, ST-4).
//!
//! ST-3: on a share of its shifts the agent stops working at a random moment but keeps showing
//! its status, so it is still given conversations; it does not work on those, and nobody sets
//! its scheduled statuses any more. If it shows a status of the Available group, the platform
//! logs it out after the inactivity period (`model::status::status_after_inactivity`); the
//! untouched conversations are unassigned and go back to their queues (AA-9: never to this
//! agent again). One that left Busy or Away keeps that status until its shift ends.
//! Conversations it had started before are finished. It comes back with its next shift.

mod conversations;

use crate::actors::{AgentMsg, CustomerSays, PlatformMsg};
use crate::model::ids::{AgentIx, QueueIx, SegmentIx};
use std::sync::Arc;

use rand::RngExt;

use super::{Context, ConvId, Fate, History, Layout, Metric, Msg, StreamId, WorkItem};
use crate::model::centre::{CentreSpec, DropOut};
use crate::model::channel::ChannelCategory;
use crate::model::priority::LineKey;
use crate::model::status::{ConversationStatus, DefaultStatus, status_after_inactivity};
use conversations::HeldSet;

/// The most times one conversation is moved between queues: agents do not pass a customer
/// around forever (each move also excludes the agent that made it, AA-9).
pub const MAX_TRANSFERS: u8 = 2;

/// One agent.
#[derive(Debug)]
pub struct Agent {
    index: AgentIx,
    spec: Arc<CentreSpec>,
    handle_stream: StreamId,
    on_shift: bool,
    /// The status it last set.
    status: DefaultStatus,
    /// Conversations in counted statuses per category (CAP-4).
    busy: [u32; 4],
    /// Conversations it works on (not closed), any status.
    held: HeldSet,
    drop_out_stream: StreamId,
    /// Stopped working this shift (ST-3).
    inactive: bool,
    /// Since when (ST-3).
    inactive_since_ms: u64,
    /// Some SLA policy lets agents set a severity (SLA-2): the agent draws one at each first
    /// reply.
    sets_severity: bool,
    /// Logged out by the platform until the shift ends.
    logged_out: bool,
    /// Conversations given to it while inactive, untouched.
    untouched: Vec<Untouched>,
}

/// A conversation as it was handed over, enough to give it back untouched (ST-3) or move it.
#[derive(Debug, Clone, Copy)]
struct Untouched {
    conv: ConvId,
    key: LineKey,
    history: History,
    segment: SegmentIx,
    queue: QueueIx,
    category: ChannelCategory,
}

impl Untouched {
    /// `item`, handed to the agent from `queue`.
    fn of(item: WorkItem, queue: QueueIx) -> Self {
        Self {
            conv: item.conv,
            key: item.key,
            history: item.history,
            segment: item.segment,
            queue,
            category: item.category,
        }
    }

    /// The conversation as it goes back or on, with `history`.
    fn item(&self, history: History) -> WorkItem {
        WorkItem {
            conv: self.conv,
            key: self.key,
            segment: self.segment,
            category: self.category,
            history,
        }
    }
}

impl Agent {
    /// Agent `index` of `spec`, off shift and idle.
    pub fn new(index: AgentIx, spec: Arc<CentreSpec>) -> Self {
        let handle_stream = Layout::handle_stream(spec.segments.len() as u32, index.0);
        let drop_out_stream = Layout::drop_out_stream(
            spec.segments.len() as u32,
            spec.agents.len() as u32,
            index.0,
        );
        Self {
            drop_out_stream,
            inactive: false,
            inactive_since_ms: 0,
            sets_severity: spec.sla_policies.iter().any(|p| p.agents_set_severity()),
            logged_out: false,
            untouched: Vec::new(),
            index,
            spec,
            handle_stream,
            on_shift: false,
            status: DefaultStatus::Offline,
            busy: [0; 4],
            held: HeldSet::default(),
        }
    }

    /// Conversations in counted statuses, all categories.
    pub fn busy_slots(&self) -> u32 {
        self.busy.iter().sum()
    }

    /// Conversations in counted statuses per category, in `ChannelCategory::ALL` order.
    pub fn busy_per_category(&self) -> [u32; 4] {
        self.busy
    }

    /// Conversations it holds in any status but Closed.
    pub fn held_conversations(&self) -> usize {
        self.held.len() + self.untouched.len()
    }

    /// The status it last set (Full Capacity is the platform's to show, ST-2).
    pub fn status(&self) -> DefaultStatus {
        self.status
    }

    /// Whether the agent is on shift.
    pub fn on_shift(&self) -> bool {
        self.on_shift
    }

    /// Handles one message.
    pub fn handle<C: Context>(&mut self, msg: AgentMsg, ctx: &mut C) {
        match msg {
            AgentMsg::ShiftCheck => self.check_shift(ctx),
            AgentMsg::DropOut => {
                if self.on_shift && !self.inactive && !self.logged_out {
                    self.inactive = true;
                    self.inactive_since_ms = ctx.now_ms();
                    let after = self.spec.agents[self.index.index()]
                        .drop_out
                        .map_or(0, |d| d.logout_after_ms);
                    ctx.schedule(after, Msg::Agent(self.index, AgentMsg::LogOut));
                }
            }
            AgentMsg::LogOut => self.log_out(ctx),
            AgentMsg::Serve {
                item,
                queue,
                assigned,
            } => self.take(Untouched::of(item, queue), assigned, ctx),
            AgentMsg::ServiceDone { conv, category } => self.service_done(conv, category, ctx),
            AgentMsg::ReplyDue { conv } => self.reply_due(conv, ctx),
            AgentMsg::Customer {
                conv,
                says:
                    CustomerSays::Messages {
                        messages,
                        written_while_waiting_ms,
                    },
            } => self.customer_message(conv, messages, written_while_waiting_ms, ctx),
            AgentMsg::Customer {
                conv,
                says: CustomerSays::Satisfied,
            } => {
                // The customer's "thanks" is a message too.
                let fate = if self.holds(conv) {
                    Fate::ToAgent
                } else {
                    Fate::RejectedClosed
                };
                ctx.record(Metric::TurnFate { conv, fate });
                self.solve(conv, ctx);
            }
            AgentMsg::SilenceDue { conv } => self.silence_due(conv, ctx),
            AgentMsg::CloseDue { conv } => self.close(conv, ctx),
            AgentMsg::TransferKept { conv, queue } => self.transfer_kept(conv, queue, ctx),
            AgentMsg::Released { conv } => self.released(conv, ctx),
            AgentMsg::WorkflowAct { conv, act } => self.workflow_act(conv, act, ctx),
        }
    }

    /// A conversation handed over by its queue (`assigned`: automatic assignment) or by a
    /// colleague (ST-1).
    fn take<C: Context>(&mut self, u: Untouched, assigned: bool, ctx: &mut C) {
        // Past capacity only by a transfer from a colleague (ST-1), or when a reopen crossed
        // the offer in the same instant (CAP-4); the invariant checker judges that.
        self.busy[u.category.index()] += 1;
        self.record_busy(u.category, assigned, ctx);
        if self.inactive {
            // Given to an agent who has stopped working: it sits untouched (ST-3).
            self.untouched.push(u);
            if self.logged_out {
                // Offered at the instant of the logout: straight back.
                self.give_back(ctx);
            }
            return;
        }
        self.start_work(u, ctx);
    }

    fn record_busy<C: Context>(&self, category: ChannelCategory, assigned: bool, ctx: &mut C) {
        ctx.record(Metric::AgentBusy {
            agent: self.index.0,
            busy_slots: self.busy_slots(),
            category,
            in_category: self.busy[category.index()],
            assigned,
        });
    }

    /// One counted conversation fewer in `category`: the platform may fill the slot (AA-4).
    fn free_slot<C: Context>(&mut self, category: ChannelCategory, ctx: &mut C) {
        self.busy[category.index()] -= 1;
        self.record_busy(category, false, ctx);
        let agent = self.index;
        ctx.send(PlatformMsg::SlotFreed { agent, category });
    }

    /// ST-3: the platform logs the inactive agent out if it shows a status of the Available
    /// group (one who left Busy or Away keeps that status); what it never touched goes back.
    fn log_out<C: Context>(&mut self, ctx: &mut C) {
        if !self.inactive || self.logged_out {
            return;
        }
        let logout_after_ms = self.spec.agents[self.index.index()]
            .drop_out
            .map_or(0, |d| d.logout_after_ms);
        let group = self.status.group();
        let after =
            status_after_inactivity(group, self.inactive_since_ms, ctx.now_ms(), logout_after_ms);
        if after == group && self.on_shift {
            return;
        }
        self.end_inactivity(ctx);
    }

    /// The inactive agent is logged out (or its shift ended): Offline, and what it never
    /// touched goes back.
    fn end_inactivity<C: Context>(&mut self, ctx: &mut C) {
        if !self.inactive || self.logged_out {
            return;
        }
        self.logged_out = true;
        let agent = self.index;
        if self.status != DefaultStatus::Offline {
            self.status = DefaultStatus::Offline;
            ctx.send(PlatformMsg::StatusSet {
                agent,
                status: DefaultStatus::Offline,
            });
        }
        self.give_back(ctx);
    }

    /// Unassigns every untouched conversation: back to its queue, never to this agent (AA-9).
    fn give_back<C: Context>(&mut self, ctx: &mut C) {
        let agent = self.index;
        for u in std::mem::take(&mut self.untouched) {
            self.busy[u.category.index()] -= 1;
            self.record_busy(u.category, false, ctx);
            let unassigned = PlatformMsg::Unassigned {
                counted: true,
                // Never touched: as Open as it came.
                status: ConversationStatus::Open,
                by_workflow: false,
                agent,
                queue: u.queue,
                item: u.item(u.history),
            };
            ctx.send(unassigned);
        }
    }

    fn check_shift<C: Context>(&mut self, ctx: &mut C) {
        let now = ctx.now_ms();
        let spec = Arc::clone(&self.spec);
        let agent_spec = &spec.agents[self.index.index()];
        let (status, next) = agent_spec.status_at(&spec.calendar, now);
        if let Some(next) = next.filter(|&t| t < spec.horizon_ms) {
            ctx.schedule(next - now, Msg::Agent(self.index, AgentMsg::ShiftCheck));
        }
        let agent = self.index;
        let on = status != DefaultStatus::Offline;
        if !on {
            // The shift is over: whatever an inactive agent never touched goes back now at the
            // latest, and it comes back with its next shift.
            if self.inactive {
                self.end_inactivity(ctx);
            }
            self.inactive = false;
            self.logged_out = false;
        } else if self.logged_out || self.inactive {
            // Logged out for the rest of this shift, or gone without logging out: nobody is
            // there to set the scheduled statuses (ST-3).
            return;
        }
        if on != self.on_shift {
            self.on_shift = on;
            ctx.record(Metric::AgentShift { agent: agent.0, on });
            if on && let Some(drop_out) = agent_spec.drop_out {
                self.maybe_drop_out(drop_out, ctx);
            }
        }
        if status != self.status {
            self.status = status;
            ctx.send(PlatformMsg::StatusSet { agent, status });
        }
    }

    /// At a shift start: whether and when this shift's drop-out happens (ST-3).
    fn maybe_drop_out<C: Context>(&mut self, drop_out: DropOut, ctx: &mut C) {
        let now = ctx.now_ms();
        let spec = &self.spec;
        let shift_end = spec.agents[self.index.index()]
            .shift
            .state_at(&spec.calendar, now)
            .next_change_ms
            .unwrap_or(spec.horizon_ms)
            .min(spec.horizon_ms);
        let rng = ctx.rng(self.drop_out_stream);
        let happens: f64 = rng.random();
        let at: f64 = rng.random();
        if happens < drop_out.share_of_shifts && shift_end > now {
            let delay = ((shift_end - now) as f64 * at) as u64;
            ctx.schedule(delay, Msg::Agent(self.index, AgentMsg::DropOut));
        }
    }
}
