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
//! A conversation the bot takes is tracked from its customer's first message: the bot's
//! replies answer its clocks when automated messages count, and when they do not its counters
//! start at the handover and one the bot handled alone is not judged (SLA-6). Until it is routed
//! it is in no queue: only policies for every queue apply, and **(decision)** its working-hours
//! clocks count all the time (there are no queue hours to hold them). After a handoff to the
//! external centre, that centre's agents' replies are agents' replies.
//!
//! SLA-5: a working-hours clock counts, at each moment, the hours of the queue the conversation
//! was in then: a conversation moved to another queue (AA-11) is held by the first queue's hours
//! up to the move and by the new queue's after it.
//!
//! Conversations without a conversation model (a handle time, calls) exchange no messages and
//! are not tracked.

use std::sync::Arc;

use super::Recorder;
use crate::actors::{ConvId, Metric};
use crate::model::bot::HANDOFF_TAG;
use crate::model::calendar::PatternState;
use crate::model::centre::{AttrDraw, CentreSpec};
use crate::model::routing::{AttrId, Tagged};
use crate::model::sla::{
    Outbound, Replies, SlaClock, SlaHours, Verdict, counted_ms_by, select_policy,
};
use crate::model::status::ConversationStatus;
use crate::model::waiting_strategy::StrategyStep;
use crate::model::workflow::Action;

impl SlaTotals {
    /// Counts one conversation's verdict.
    pub fn add(&mut self, v: &Verdict) {
        if !v.decided() {
            self.undecided += 1;
            return;
        }
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
        self.undecided += o.undecided;
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
    /// Conversations with a verdict under a policy: at least one target met or breached.
    /// Compliance is the share of these without a breach.
    pub conversations: u64,
    /// Conversations under a policy without a verdict: closed, or open at the end, before any
    /// target came due or was met (a customer who abandoned early). Not in `conversations`.
    pub undecided: u64,
    /// Of those, with at least one breach.
    pub breached: u64,
    /// First responses measured / breached.
    pub first_response: (u64, u64),
    /// Next replies measured / breached.
    pub next_reply: (u64, u64),
    /// Resolutions measured / breached.
    pub resolution: (u64, u64),
}

/// Who answers a tracked conversation's customer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The bot (its customer's turns are `TurnSent`).
    Bot,
    /// The external centre, after a handoff (CC-2; turns are `TurnSent` too).
    External,
    /// Infobip's agents, in a queue (turns are `CustomerMessages`).
    Agents,
}

/// A conversation's SLA clocks: one per reading of "response" that the centre's policies use
/// (SLA-6: automated messages count, or only agents' replies do).
///
/// A conversation moved to a queue whose policy reads otherwise is judged again under it
/// (SLA-7), so a centre whose policies differ keeps both readings. Most keep one (every
/// bundled scenario excludes automated messages in every policy), and then the conversation
/// holds one clock, not two: in a large centre the book of open conversations is one of the
/// largest tables a run keeps, and every event for a conversation reads its entry.
#[derive(Debug, Clone)]
struct Clocks {
    first: SlaClock,
    /// The other reading, when the policies use both.
    second: Option<Box<SlaClock>>,
}

impl Clocks {
    /// Clocks for `readings` (the first, and a second if any), each made by `clock`.
    fn new(readings: (Replies, Option<Replies>), clock: impl Fn(Replies) -> SlaClock) -> Self {
        Self {
            first: clock(readings.0),
            second: readings.1.map(|r| Box::new(clock(r))),
        }
    }

    /// Applies `f` to every clock.
    #[inline]
    fn each(&mut self, mut f: impl FnMut(&mut SlaClock)) {
        f(&mut self.first);
        if let Some(second) = &mut self.second {
            f(second);
        }
    }

    /// Whether any clock runs.
    fn running(&self) -> bool {
        self.first.running() || self.second.as_ref().is_some_and(|c| c.running())
    }

    /// The clock of reading `replies`.
    fn reading(&self, replies: Replies) -> Option<&SlaClock> {
        if self.first.replies() == replies {
            Some(&self.first)
        } else {
            self.second.as_deref().filter(|c| c.replies() == replies)
        }
    }
}

#[derive(Debug, Clone)]
struct Tracked {
    clocks: Clocks,
    segment: u32,
    draw: AttrDraw,
    /// The bot's handoff tag is on it (BOT-3: policy conditions see it).
    tagged: bool,
    /// `None` while with the bot or the external centre.
    queue: Option<u32>,
    owner: Owner,
    policy: Option<usize>,
    /// The agent's severity draw (SLA-2), if it set one.
    severity_draw: Option<f64>,
    arrived_ms: u64,
    /// Solved, as far as the events say (its clocks must not run, SLA-4).
    solved: bool,
}

impl Tracked {
    /// It enters `queue` at `at_ms`: its clocks count the hours of the queue it was in up to
    /// now, and the new queue's from now (SLA-5). `working` counts the old queue's hours.
    fn enter(&mut self, queue: u32, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if self.queue != Some(queue) {
            self.clocks.each(|c| c.moved(at_ms, working));
        }
        self.queue = Some(queue);
    }

    fn outbound(&mut self, at_ms: u64, kind: Outbound, working: &mut dyn FnMut(u64, u64) -> u64) {
        self.clocks.each(|c| c.outbound(at_ms, kind, working));
    }

    fn customer_message(&mut self, at_ms: u64) {
        // A customer message reopens a Solved conversation.
        self.solved = false;
        self.clocks.each(|c| c.customer_message(at_ms));
    }
}

/// Answers of a queue's calendar kept per queue: a stretch's start may lie in another open or
/// closed span than its end, so one answer would be looked up again and again.
const HOURS_KEPT: usize = 4;

/// A queue's last calendar answers (each with the time it was asked for) and where the next
/// one goes.
type KeptHours = ([Option<(u64, PatternState)>; HOURS_KEPT], usize);

/// Working hours as SLA clocks count them (SLA-5): per queue, the last answers of its calendar
/// and from when each holds (calendar lookups are the cost of working-hours clocks).
#[derive(Debug)]
struct HoursCache {
    spec: Arc<CentreSpec>,
    last: Vec<KeptHours>,
    /// Some policy's severity counts working hours only; otherwise nothing asks.
    needed: bool,
}

impl HoursCache {
    /// The part of `[from_ms, to_ms)` inside `queue`'s working hours; all of it in no queue
    /// (see the module's decision).
    fn working_ms(&mut self, queue: Option<u32>, from_ms: u64, to_ms: u64) -> u64 {
        let Some(q) = queue.filter(|_| self.needed) else {
            return to_ms.saturating_sub(from_ms);
        };
        let (spec, (kept, next)) = (&self.spec, &mut self.last[q as usize]);
        let state_at = |at: u64| {
            let known = kept.iter().flatten().find(|(from, state)| {
                *from <= at && state.next_change_ms.is_none_or(|until| at < until)
            });
            if let Some(&(_, state)) = known {
                return state;
            }
            let state = spec.queues[q as usize]
                .hours
                .calendar
                .state_at(&spec.calendar, at);
            kept[*next] = Some((at, state));
            *next = (*next + 1) % HOURS_KEPT;
            state
        };
        counted_ms_by(SlaHours::WorkingHours, state_at, from_ms, to_ms)
    }
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
    /// The id of the `tags` attribute, if the scenario names it.
    tags_attr: Option<AttrId>,
    /// The bot's handoff tag (BOT-3), as the one tag it adds.
    handoff_tag: [String; 1],
    hours: HoursCache,
    /// The readings of "response" the policies use ([`Clocks`]).
    readings: (Replies, Option<Replies>),
}

impl SlaBook {
    /// A book for `spec`, or `None` when it has no SLA policies.
    pub(super) fn new(spec: &Arc<CentreSpec>) -> Option<Self> {
        (!spec.sla_policies.is_empty()).then(|| Self {
            spec: Arc::clone(spec),
            open: Vec::new(),
            violations: Vec::new(),
            by_policy: vec![SlaTotals::default(); spec.sla_policies.len()],
            hours: HoursCache {
                spec: Arc::clone(spec),
                last: vec![([None; HOURS_KEPT], 0); spec.queues.len()],
                needed: spec.sla_policies.iter().any(|p| {
                    p.severities
                        .iter()
                        .any(|s| s.hours == SlaHours::WorkingHours)
                }),
            },
            tags_attr: spec.attribute_id("tags"),
            handoff_tag: [HANDOFF_TAG.to_string()],
            readings: {
                let excluding = spec.sla_policies.iter().any(|p| p.exclude_automated);
                let counting = spec.sla_policies.iter().any(|p| !p.exclude_automated);
                match (counting, excluding) {
                    (true, true) => (Replies::Any, Some(Replies::AgentsOnly)),
                    (true, false) => (Replies::Any, None),
                    _ => (Replies::AgentsOnly, None),
                }
            },
        })
    }

    fn get_mut(&mut self, conv: ConvId) -> Option<&mut Tracked> {
        match self.open.get_mut(conv.slot as usize) {
            Some(Some((c, t))) if *c == conv => Some(t),
            _ => None,
        }
    }

    /// Applies `f` to `conv`'s clocks, if it is tracked, with the working hours of the queue it
    /// is in now; whether it was.
    #[inline]
    fn update(
        &mut self,
        conv: ConvId,
        f: impl FnOnce(&mut Tracked, &mut dyn FnMut(u64, u64) -> u64),
    ) -> bool {
        let Some(Some((c, t))) = self.open.get_mut(conv.slot as usize) else {
            return false;
        };
        if *c != conv {
            return false;
        }
        let (queue, hours) = (t.queue, &mut self.hours);
        f(t, &mut |from, to| hours.working_ms(queue, from, to));
        true
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

    /// SLA-7: `conv` takes the policy that applies to it now.
    fn choose_policy(&mut self, conv: ConvId, at_ms: u64) {
        let slot = conv.slot as usize;
        let policy = match self.open.get(slot) {
            Some(Some((c, t))) if *c == conv => self.policy_for(t, at_ms),
            _ => return,
        };
        if let Some(Some((_, t))) = self.open.get_mut(slot) {
            t.policy = policy;
        }
    }

    fn policy_for(&self, t: &Tracked, at_ms: u64) -> Option<usize> {
        let seg = &self.spec.segments[t.segment as usize];
        let tags: &[String] = if t.tagged { &self.handoff_tag } else { &[] };
        let attributes = Tagged::new(seg.attributes_of(&t.draw), self.tags_attr, tags);
        select_policy(&self.spec.sla_policies, &attributes, t.queue, at_ms)
    }

    /// Starts tracking `conv`, which began at `now_ms` with `owner` answering it.
    fn track(
        &mut self,
        conv: ConvId,
        (segment, draw): (u32, AttrDraw),
        owner: Owner,
        queue: Option<u32>,
        now_ms: u64,
    ) {
        if self.spec.segments[segment as usize].behaviour.is_none() {
            return;
        }
        let clock = |replies| {
            if owner == Owner::Bot {
                SlaClock::start_with_bot(now_ms, replies)
            } else {
                SlaClock::start(now_ms, replies)
            }
        };
        let mut tracked = Tracked {
            clocks: Clocks::new(self.readings, clock),
            segment,
            draw,
            tagged: false,
            queue,
            owner,
            policy: None,
            severity_draw: None,
            arrived_ms: now_ms,
            solved: false,
        };
        tracked.policy = self.policy_for(&tracked, now_ms);
        self.insert(conv, tracked);
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
        let closing = match *metric {
            Metric::BotConversation {
                conv,
                segment,
                draw,
                ..
            } => {
                book.track(conv, (segment, draw), Owner::Bot, None, now_ms);
                None
            }
            Metric::Routed {
                conv,
                segment,
                draw,
                queue,
                handoff_tagged,
                ..
            } => {
                // Tracked already: the bot handed it over (SLA-6); its policy is the queue's now
                // (SLA-7).
                let handed_over = book.update(conv, |t, working| {
                    t.clocks.each(|c| c.handed_over(now_ms));
                    t.enter(queue, now_ms, working);
                    t.owner = Owner::Agents;
                    t.tagged = handoff_tagged;
                });
                if handed_over {
                    book.choose_policy(conv, now_ms);
                } else {
                    book.track(conv, (segment, draw), Owner::Agents, Some(queue), now_ms);
                }
                None
            }
            Metric::ExternalHandover { conv, .. } => {
                book.update(conv, |t, _| {
                    t.clocks.each(|c| c.handed_over(now_ms));
                    t.owner = Owner::External;
                });
                None
            }
            Metric::TurnSent { conv } => {
                book.update(conv, |t, _| {
                    if t.owner != Owner::Agents {
                        t.customer_message(now_ms);
                    }
                });
                None
            }
            Metric::CustomerMessages { conv, .. } => {
                book.update(conv, |t, _| t.customer_message(now_ms));
                None
            }
            Metric::BotReplied { conv, .. } => {
                book.update(conv, |t, w| t.outbound(now_ms, Outbound::Automated, w));
                None
            }
            Metric::ExternalReplied { conv, .. } | Metric::AgentReply { conv, .. } => {
                book.update(conv, |t, w| t.outbound(now_ms, Outbound::Agent, w));
                None
            }
            Metric::StrategyStep { conv, step, .. } => {
                if step != StrategyStep::Silent {
                    book.update(conv, |t, w| t.outbound(now_ms, Outbound::Automated, w));
                }
                (step == StrategyStep::MaxWait).then_some(conv)
            }
            Metric::AwayMessage { conv, closed, .. } => {
                book.update(conv, |t, w| t.outbound(now_ms, Outbound::Automated, w));
                closed.then_some(conv)
            }
            Metric::ConversationStatus { conv, to, .. } => {
                book.update(conv, |t, w| {
                    t.solved = to == ConversationStatus::Solved;
                    if t.solved {
                        t.clocks.each(|c| c.solved(now_ms, w));
                    }
                });
                (to == ConversationStatus::Closed).then_some(conv)
            }
            Metric::SeverityDrawn { conv, draw_ppm } => {
                book.update(conv, |t, _| {
                    t.severity_draw = Some(f64::from(draw_ppm) / 1_000_000.0);
                });
                None
            }
            Metric::Transferred { conv, to, .. } => {
                // SLA-7: the new queue's policy, judging everything measured so far.
                if book.update(conv, |t, w| t.enter(to, now_ms, w)) {
                    book.choose_policy(conv, now_ms);
                }
                None
            }
            Metric::WorkflowAction {
                conv,
                action: Action::SendMessage,
                delivered: true,
                ..
            } => {
                book.update(conv, |t, w| t.outbound(now_ms, Outbound::Automated, w));
                None
            }
            Metric::Abandoned { conv, .. }
            | Metric::AbandonedAfterRequeue { conv, .. }
            | Metric::ClosedByStrategy { conv, .. }
            | Metric::ClosedByWorkflow { conv, .. }
            | Metric::BotAbandoned { conv }
            | Metric::ExternalDone { conv, .. }
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
            && t.clocks.running()
        {
            book.violations.push(format!(
                "{now_ms} ms: an SLA clock runs while the conversation is Solved (SLA-4)"
            ));
        }
        let Some(book) = &mut self.sla else { return };
        if let Some(conv) = closing {
            book.update(conv, |t, w| {
                t.clocks.each(|c| c.closed(now_ms, w));
            });
            if let Some(t) = book.remove(conv) {
                self.judge(&t, now_ms);
            }
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
        let policy = &book.spec.sla_policies[p];
        // SLA-2: the severity the agent set, else the default.
        let severity = policy.severity_for(t.severity_draw);
        let replies = if policy.exclude_automated {
            Replies::AgentsOnly
        } else {
            Replies::Any
        };
        let clock = t
            .clocks
            .reading(replies)
            .expect("the book keeps every reading its policies use");
        if !clock.judged() {
            return;
        }
        let hours = &mut book.hours;
        let v = clock.verdict(severity, now_ms, &mut |from, to| {
            hours.working_ms(t.queue, from, to)
        });
        self.count_sla(t, p, t.queue, &v);
    }

    /// Adds a verdict under policy `p` to the policy's, the queue's (if any) and the centre's
    /// totals and interval rows.
    fn count_sla(&mut self, t: &Tracked, p: usize, queue: Option<u32>, v: &Verdict) {
        let all = self.scopes - 1;
        let after_warmup = t.arrived_ms >= self.warmup_ms;
        if after_warmup && let Some(book) = &mut self.sla {
            book.by_policy[p].add(v);
        }
        for scope in queue.map(|q| q as usize).into_iter().chain([all]) {
            if let Some(row) = self.row(t.arrived_ms, scope) {
                row.sla.add(v);
            }
            if after_warmup {
                self.totals[scope].sla.add(v);
            }
        }
    }
}
