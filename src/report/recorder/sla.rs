//! The recorder's SLA book: runs the model's SLA clock (`model::sla`) over each threaded
//! conversation's events and judges it under its policy when it closes or the run ends.
//!
//! Why here and not in an actor: no behaviour of the simulated centre depends on SLA state
//! (no rule makes routing, assignment or workflows read it), so the platform need not carry it;
//! the book watches the same events the platform would see — the customer's first message and
//! routing, every customer turn, every outbound message (agents' replies, waiting-strategy and
//! away messages), Solved, Closed, queue changes — and applies `model::sla` to them. It keeps
//! both readings of each clock (automated messages counting or not, SLA-6), so a conversation
//! moved to a queue with another policy is judged again under that policy (SLA-7).
//!
//! Conversations without a conversation model (a handle time, calls) exchange no messages and
//! are not tracked.

use std::sync::Arc;

use super::Recorder;
use crate::actors::{ConvId, Metric};
use crate::model::calendar::PatternState;
use crate::model::centre::{AttrDraw, CentreSpec};
use crate::model::sla::{Outbound, SlaClock, Verdict, counted_ms_by, select_policy};
use crate::model::status::ConversationStatus;
use crate::model::waiting_strategy::StrategyStep;
use crate::model::workflow::Action;

impl SlaTotals {
    /// Counts one conversation's verdict.
    pub fn add(&mut self, v: &Verdict) {
        self.conversations += 1;
        self.breached += u64::from(v.breached());
        if let Some(b) = v.first_response {
            self.first_response.0 += 1;
            self.first_response.1 += u64::from(b);
        }
        self.next_reply.0 += u64::from(v.next_replies.0);
        self.next_reply.1 += u64::from(v.next_replies.1);
        if let Some(b) = v.resolution {
            self.resolution.0 += 1;
            self.resolution.1 += u64::from(b);
        }
    }

    /// Adds another's counts.
    pub fn merge(&mut self, o: &SlaTotals) {
        self.conversations += o.conversations;
        self.breached += o.breached;
        for (a, b) in [
            (&mut self.first_response, o.first_response),
            (&mut self.next_reply, o.next_reply),
            (&mut self.resolution, o.resolution),
        ] {
            a.0 += b.0;
            a.1 += b.1;
        }
    }
}

/// SLA results of one queue (or of all, or one policy) in one replication: conversations judged
/// under a policy's default severity, by the queue they ended in (SLA-2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaTotals {
    /// Conversations judged under a policy.
    pub conversations: u64,
    /// Of those, with at least one breach.
    pub breached: u64,
    /// First responses measured / breached.
    pub first_response: (u64, u64),
    /// Next replies measured / breached.
    pub next_reply: (u64, u64),
    /// Resolutions measured / breached.
    pub resolution: (u64, u64),
}

#[derive(Debug, Clone)]
struct Tracked {
    /// Every outbound message ends a response clock.
    any: SlaClock,
    /// Only agents' replies do.
    human: SlaClock,
    segment: u32,
    draw: AttrDraw,
    queue: u32,
    policy: Option<usize>,
    arrived_ms: u64,
    /// Solved, as far as the events say (its clocks must not run, SLA-4).
    solved: bool,
}

/// The SLA clocks of the open threaded conversations.
#[derive(Debug)]
pub(super) struct SlaBook {
    spec: Arc<CentreSpec>,
    /// Indexed by the conversation's slot (slots are dense and reused; the generation tells
    /// conversations of one slot apart).
    open: Vec<Option<(ConvId, Tracked)>>,
    /// Broken SLA invariants found (reported when a checker watches).
    pub(super) violations: Vec<String>,
    /// Verdicts by policy, after warm-up.
    pub(super) by_policy: Vec<SlaTotals>,
    /// Per queue, the last working-hours answer and the span `[from, until)` it holds for
    /// (calendar lookups are the cost of working-hours clocks).
    hours_cache: Vec<Option<(u64, PatternState)>>,
}

impl SlaBook {
    /// A book for `spec`, or `None` when it has no SLA policies.
    pub(super) fn new(spec: &Arc<CentreSpec>) -> Option<Self> {
        (!spec.sla_policies.is_empty()).then(|| Self {
            spec: Arc::clone(spec),
            open: Vec::new(),
            violations: Vec::new(),
            by_policy: vec![SlaTotals::default(); spec.sla_policies.len()],
            hours_cache: vec![None; spec.queues.len()],
        })
    }

    fn get_mut(&mut self, conv: ConvId) -> Option<&mut Tracked> {
        match self.open.get_mut(conv.slot as usize) {
            Some(Some((c, t))) if *c == conv => Some(t),
            _ => None,
        }
    }

    fn insert(&mut self, conv: ConvId, tracked: Tracked) {
        let slot = conv.slot as usize;
        if self.open.len() <= slot {
            self.open.resize_with(slot + 1, || None);
        }
        self.open[slot] = Some((conv, tracked));
    }

    fn remove(&mut self, conv: ConvId) -> Option<Tracked> {
        let entry = self.open.get_mut(conv.slot as usize)?;
        match entry {
            Some((c, _)) if *c == conv => entry.take().map(|(_, t)| t),
            _ => None,
        }
    }

    fn policy_for(&self, segment: u32, draw: &AttrDraw, queue: u32, at_ms: u64) -> Option<usize> {
        let seg = &self.spec.segments[segment as usize];
        select_policy(
            &self.spec.sla_policies,
            &seg.attributes_of(draw),
            queue,
            at_ms,
        )
    }
}

/// The conversation a metric is about, for the metrics the SLA book reads.
fn metric_conv(metric: &Metric) -> Option<ConvId> {
    match *metric {
        Metric::CustomerMessages { conv, .. }
        | Metric::AgentReply { conv, .. }
        | Metric::StrategyStep { conv, .. }
        | Metric::AwayMessage { conv, .. }
        | Metric::ConversationStatus { conv, .. }
        | Metric::Transferred { conv, .. }
        | Metric::WorkflowAction { conv, .. } => Some(conv),
        _ => None,
    }
}

impl Recorder {
    /// Feeds one metric to the SLA book, if there is one.
    pub(super) fn record_sla(&mut self, now_ms: u64, metric: &Metric) {
        let Some(book) = &mut self.sla else { return };
        let outbound = |t: &mut Tracked, kind: Outbound| {
            t.any.outbound(now_ms, kind, false);
            t.human.outbound(now_ms, kind, true);
        };
        let closing = match *metric {
            Metric::Routed {
                conv,
                segment,
                draw,
                queue,
                ..
            } => {
                if book.spec.segments[segment as usize].behaviour.is_some() {
                    let policy = book.policy_for(segment, &draw, queue, now_ms);
                    let tracked = Tracked {
                        any: SlaClock::start(now_ms),
                        human: SlaClock::start(now_ms),
                        segment,
                        draw,
                        queue,
                        policy,
                        arrived_ms: now_ms,
                        solved: false,
                    };
                    book.insert(conv, tracked);
                }
                None
            }
            Metric::CustomerMessages { conv, .. } => {
                if let Some(t) = book.get_mut(conv) {
                    // A customer message reopens a Solved conversation.
                    t.solved = false;
                    t.any.customer_message(now_ms);
                    t.human.customer_message(now_ms);
                }
                None
            }
            Metric::AgentReply { conv, .. } => {
                if let Some(t) = book.get_mut(conv) {
                    outbound(t, Outbound::Agent);
                }
                None
            }
            Metric::StrategyStep { conv, step, .. } => {
                if let Some(t) = book.get_mut(conv)
                    && step != StrategyStep::Silent
                {
                    outbound(t, Outbound::Automated);
                }
                (step == StrategyStep::MaxWait).then_some(conv)
            }
            Metric::AwayMessage { conv, closed, .. } => {
                if let Some(t) = book.get_mut(conv) {
                    outbound(t, Outbound::Automated);
                }
                closed.then_some(conv)
            }
            Metric::ConversationStatus { conv, to, .. } => {
                if let Some(t) = book.get_mut(conv) {
                    t.solved = to == ConversationStatus::Solved;
                    if t.solved {
                        t.any.solved(now_ms);
                        t.human.solved(now_ms);
                    }
                }
                (to == ConversationStatus::Closed).then_some(conv)
            }
            Metric::Transferred { conv, to, .. } => {
                // SLA-7: the new queue's policy, judging everything measured so far.
                if let Some(&mut Tracked { segment, draw, .. }) = book.get_mut(conv) {
                    let policy = book.policy_for(segment, &draw, to, now_ms);
                    if let Some(t) = book.get_mut(conv) {
                        t.queue = to;
                        t.policy = policy;
                    }
                }
                None
            }
            Metric::WorkflowAction {
                conv,
                action: Action::SendMessage,
                delivered: true,
                ..
            } => {
                if let Some(t) = book.get_mut(conv) {
                    outbound(t, Outbound::Automated);
                }
                None
            }
            Metric::Abandoned { conv, .. }
            | Metric::ClosedByStrategy { conv, .. }
            | Metric::ClosedByWorkflow { conv, .. }
            // A conversation given back to the bot ends with it (BOT-2).
            | Metric::BotResolved { conv, .. } => Some(conv),
            _ => None,
        };
        // SLA-4: no clock runs while Solved (checked when an invariant checker watches).
        if self.observer.is_some()
            && let Some(conv) = metric_conv(metric)
            && let Some(book) = &mut self.sla
            && let Some(t) = book.get_mut(conv)
            && t.solved
            && (t.any.running() || t.human.running())
        {
            book.violations.push(format!(
                "{now_ms} ms: an SLA clock runs while the conversation is Solved (SLA-4)"
            ));
        }
        let Some(book) = &mut self.sla else { return };
        if let Some(conv) = closing
            && let Some(mut t) = book.remove(conv)
        {
            t.any.closed(now_ms);
            t.human.closed(now_ms);
            self.judge(&t, now_ms);
        }
    }

    /// The run ended: every conversation still open is judged as it stands.
    pub(super) fn finish_sla(&mut self, end_ms: u64) {
        let Some(book) = &mut self.sla else { return };
        let open: Vec<Tracked> = book.open.drain(..).flatten().map(|(_, t)| t).collect();
        for t in &open {
            self.judge(t, end_ms);
        }
    }

    /// Counts one conversation's verdict under its policy (if it has one).
    fn judge(&mut self, t: &Tracked, now_ms: u64) {
        let Some(book) = &mut self.sla else { return };
        let Some(p) = t.policy else { return };
        let spec = Arc::clone(&book.spec);
        let policy = &spec.sla_policies[p];
        let severity = policy.default_severity();
        let hours = &spec.queues[t.queue as usize].hours.calendar;
        let cache = std::cell::RefCell::new(&mut book.hours_cache[t.queue as usize]);
        let state_at = |at: u64| {
            let mut cache = cache.borrow_mut();
            match **cache {
                Some((from, state))
                    if from <= at && state.next_change_ms.is_none_or(|until| at < until) =>
                {
                    state
                }
                _ => {
                    let state = hours.state_at(&spec.calendar, at);
                    **cache = Some((at, state));
                    state
                }
            }
        };
        let counted = |from: u64, to: u64| counted_ms_by(severity.hours, state_at, from, to);
        let clock = if policy.exclude_automated {
            &t.human
        } else {
            &t.any
        };
        let v = clock.verdict(severity, policy.exclude_automated, now_ms, &counted);
        let all = self.scopes - 1;
        let after_warmup = t.arrived_ms >= self.warmup_ms;
        if after_warmup && let Some(book) = &mut self.sla {
            book.by_policy[p].add(&v);
        }
        for scope in [t.queue as usize, all] {
            if let Some(row) = self.row(t.arrived_ms, scope) {
                row.sla.add(&v);
            }
            if after_warmup {
                self.totals[scope].sla.add(&v);
            }
        }
    }
}
