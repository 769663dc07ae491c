//! Service-level agreements (SLA-1..7): which policy a conversation gets, and its clocks.
//!
//! - Policies are kept in priority order; the first that is enabled, inside its validity
//!   period, whose conditions match (groups OR'ed, conditions within a group AND'ed) and which
//!   applies to the conversation's queue is the one used (SLA-1). Its default severity applies
//!   (SLA-2).
//! - First response runs from the customer's first message to the first reply; next reply from
//!   each later customer turn (its first unanswered message) to the reply; total resolution from
//!   the start to Solved, paused while Solved, over every reopening (SLA-3, SLA-4). Counting stops
//!   at Closed; breaches found on a closed conversation stay.
//! - A severity counts Always, or only inside the working hours of the conversation's queue
//!   (SLA-5).
//! - Unless the policy excludes automated messages, any outbound message ends a response clock —
//!   a waiting-strategy or away message too; excluding them, only agents' replies do, and the
//!   clocks start when the bot hands the conversation over (SLA-6).
//! - A conversation moved to a queue with another policy takes that policy, and its earlier
//!   measurements are judged again under it (SLA-7). [`SlaClock`] therefore keeps what each
//!   clock counted both around the clock and inside working hours, and judges it on demand; a
//!   conversation's verdict is taken when it closes (or when the run ends). It keeps no list of
//!   stretches: a few integers per clock, so a large centre's open conversations stay small.

use super::calendar::PatternState;
use super::routing::{Attributes, Condition};

/// Where a severity's clocks run (SLA-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaHours {
    /// Around the clock.
    Always,
    /// Only inside the working hours of the conversation's queue; held outside them.
    WorkingHours,
}

/// A severity: its targets (at least one) and when they count (SLA-2, SLA-5).
#[derive(Debug, Clone, PartialEq)]
pub struct Severity {
    /// Name, for reports.
    pub name: String,
    /// First response target, ms.
    pub first_response_ms: Option<u64>,
    /// Next reply target, ms.
    pub next_reply_ms: Option<u64>,
    /// Total resolution target, ms.
    pub resolution_ms: Option<u64>,
    /// Always or working hours only.
    pub hours: SlaHours,
    /// Share of the policy's conversations whose agent sets this severity (SLA-2); 0 for the
    /// default.
    pub agent_share: f64,
}

/// An SLA policy.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    /// Name, for reports.
    pub name: String,
    /// Disabled policies are never used.
    pub enabled: bool,
    /// Valid from this instant (ms since the run's start, may be negative: before it).
    pub valid_from_ms: Option<i64>,
    /// Valid until this instant (exclusive).
    pub valid_until_ms: Option<i64>,
    /// Groups of conditions: the policy matches when every condition of any group holds. No
    /// groups: every conversation.
    pub condition_groups: Vec<Vec<Condition>>,
    /// The queues it applies to; `None`: every queue.
    pub queues: Option<Vec<u32>>,
    /// Only agents' replies count, and clocks start at the bot's handover (SLA-6).
    pub exclude_automated: bool,
    /// Severities; the first is the default (SLA-2).
    pub severities: Vec<Severity>,
}

impl SlaPolicy {
    /// Whether the policy applies to a conversation with `attributes` in `queue` at `at_ms`
    /// (SLA-1).
    /// `queue`: `None` for a conversation in no queue (with the bot, or the external centre):
    /// only policies for every queue apply to it.
    pub fn applies<A: Attributes + ?Sized>(
        &self,
        attributes: &A,
        queue: Option<u32>,
        at_ms: u64,
    ) -> bool {
        let at = at_ms as i64;
        self.enabled
            && self.valid_from_ms.is_none_or(|from| at >= from)
            && self.valid_until_ms.is_none_or(|until| at < until)
            && self
                .queues
                .as_ref()
                .is_none_or(|qs| queue.is_some_and(|q| qs.contains(&q)))
            && (self.condition_groups.is_empty()
                || self
                    .condition_groups
                    .iter()
                    .any(|group| group.iter().all(|c| c.holds(attributes))))
    }

    /// The default severity (SLA-2).
    pub fn default_severity(&self) -> &Severity {
        &self.severities[0]
    }

    /// SLA-2: the severity that judges a conversation whose agent drew `draw` (uniform in
    /// [0, 1)) when it could set one: the severities' agent shares in order, the default for
    /// the rest; the default when no agent drew.
    pub fn severity_for(&self, draw: Option<f64>) -> &Severity {
        let Some(u) = draw else {
            return self.default_severity();
        };
        let mut cumulative = 0.0;
        for s in &self.severities[1..] {
            cumulative += s.agent_share;
            if u < cumulative {
                return s;
            }
        }
        self.default_severity()
    }

    /// Whether agents set a severity other than the default on some conversations (SLA-2).
    pub fn agents_set_severity(&self) -> bool {
        self.severities.iter().any(|s| s.agent_share > 0.0)
    }
}

/// SLA-1: the first policy in order that applies.
pub fn select_policy<A: Attributes + ?Sized>(
    policies: &[SlaPolicy],
    attributes: &A,
    queue: Option<u32>,
    at_ms: u64,
) -> Option<usize> {
    policies
        .iter()
        .position(|p| p.applies(attributes, queue, at_ms))
}

/// SLA-5: the part of `[from_ms, to_ms)` that counts under `sla_hours`: all of it, or the part
/// inside working hours, given by `state_at(t)` (open at `t`, and until when), which a caller
/// can cache.
pub fn counted_ms_by(
    sla_hours: SlaHours,
    mut state_at: impl FnMut(u64) -> PatternState,
    from_ms: u64,
    to_ms: u64,
) -> u64 {
    if to_ms <= from_ms {
        return 0;
    }
    if sla_hours == SlaHours::Always {
        return to_ms - from_ms;
    }
    let mut counted = 0;
    let mut t = from_ms;
    while t < to_ms {
        let state = state_at(t);
        let until = state.next_change_ms.unwrap_or(u64::MAX).min(to_ms);
        if state.on {
            counted += until - t;
        }
        if until <= t {
            break;
        }
        t = until;
    }
    counted
}

/// Which outbound messages answer a clock's responses (SLA-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replies {
    /// Any outbound message: agents' replies and automated ones (bot, workflow, waiting
    /// strategy, away message). Its clocks run from the customer's first message.
    Any,
    /// Only agents' replies. A bot's conversation is judged only once handed over, and its
    /// clocks count from the handover.
    AgentsOnly,
}

/// Time a clock counted: all of it, and the part inside the working hours of the queue the
/// conversation was in at each moment (SLA-5). Both are kept, so a policy found later judges
/// the same stretches under its own severity's hours (SLA-7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    /// Around the clock, ms.
    pub all_ms: u64,
    /// Inside working hours, ms.
    pub working_ms: u64,
}

impl Counted {
    /// `[from_ms, to_ms)`, with `working(from, to)` giving the part inside working hours.
    #[inline]
    fn of(from_ms: u64, to_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) -> Self {
        if to_ms <= from_ms {
            return Self::default();
        }
        Self {
            all_ms: to_ms - from_ms,
            working_ms: working(from_ms, to_ms),
        }
    }

    #[inline]
    fn add(&mut self, other: Counted) {
        self.all_ms += other.all_ms;
        self.working_ms += other.working_ms;
    }

    /// The time that counts under `hours`.
    #[inline]
    pub fn under(self, hours: SlaHours) -> u64 {
        match hours {
            SlaHours::Always => self.all_ms,
            SlaHours::WorkingHours => self.working_ms,
        }
    }
}

/// The stretches of one clock, reduced to the time they counted and the start of the one still
/// running (clocks pause while Solved, SLA-4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Stretches {
    counted: Counted,
    running_from: Option<u64>,
}

impl Stretches {
    fn starting(at_ms: u64) -> Self {
        Self {
            counted: Counted::default(),
            running_from: Some(at_ms),
        }
    }

    #[inline]
    fn running(&self) -> bool {
        self.running_from.is_some()
    }

    #[inline]
    fn pause(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if let Some(from) = self.running_from.take() {
            self.counted.add(Counted::of(from, at_ms, working));
        }
    }

    #[inline]
    fn resume(&mut self, at_ms: u64) {
        self.running_from.get_or_insert(at_ms);
    }

    /// Counts what ran so far and goes on from `at_ms` (the hours that count change here).
    #[inline]
    fn split(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if self.running() {
            self.pause(at_ms, working);
            self.resume(at_ms);
        }
    }

    /// Forgets what was counted before `at_ms` (SLA-6: clocks count from the handover).
    fn count_from(&mut self, at_ms: u64) {
        self.counted = Counted::default();
        if let Some(from) = &mut self.running_from {
            *from = (*from).max(at_ms);
        }
    }

    /// The time counted under `hours` as of `now_ms` (a running stretch counts up to it).
    fn elapsed(
        &self,
        hours: SlaHours,
        now_ms: u64,
        working: &mut dyn FnMut(u64, u64) -> u64,
    ) -> u64 {
        let running = self.running_from.map_or(Counted::default(), |from| {
            Counted::of(from, now_ms, working)
        });
        self.counted.under(hours) + running.under(hours)
    }
}

/// One response clock: from a customer turn to the reply that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Response {
    stretches: Stretches,
    /// A counting reply ended it.
    answered: bool,
}

impl Response {
    fn starting(at_ms: u64) -> Self {
        Self {
            stretches: Stretches::starting(at_ms),
            answered: false,
        }
    }
}

/// Which message ends a response clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outbound {
    /// An agent's reply.
    Agent,
    /// A bot, workflow, waiting-strategy or away message.
    Automated,
}

/// The SLA clocks of one conversation, for one reading of SLA-6 ([`Replies`]): the time each
/// measured clock counted, both around the clock and inside working hours, judged under
/// whatever policy the conversation has when asked (SLA-7). Times are ms since the run's start.
///
/// Each method that may end a stretch takes `working(from, to)`: the part of `[from, to)`
/// inside the working hours of the queue the conversation is in (SLA-5). A caller whose
/// conversation moves to another queue calls [`SlaClock::moved`] first, so no stretch spans
/// two queues' hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaClock {
    replies: Replies,
    /// First response: from the first customer message.
    first_response: Response,
    /// Next replies answered, one per later customer turn.
    next_answered: Vec<Counted>,
    /// The next reply still owed (at most one: a turn runs from its first unanswered message).
    next_owed: Option<Response>,
    /// Resolution: from the start to Solved, over every reopening.
    resolution: Stretches,
    /// When counting stopped for good (Closed).
    closed_ms: Option<u64>,
    /// The resolution clock last stopped at Solved (not at a reopening, not at a Closed that
    /// came without Solved — an abandoned conversation was never resolved, SLA-3).
    resolved: bool,
    /// When the bot handed the conversation over, if a bot had it (SLA-6).
    handover_ms: Option<u64>,
    /// A bot had it first.
    with_bot: bool,
}

/// The verdict on one conversation under one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    /// First response measured (ended), and whether it breached.
    pub first_response: Option<bool>,
    /// Next replies measured and how many breached.
    pub next_replies: (u32, u32),
    /// Resolution measured (Solved as it stands, or breached already), and whether it breached.
    pub resolution: Option<bool>,
}

impl Verdict {
    /// Whether any target was met or breached. A conversation closed before any target came
    /// due, with nothing answered (a customer who gave up early), has no verdict: it neither
    /// met nor breached its SLA (SLA-4 stops the clocks at Closed).
    pub fn decided(&self) -> bool {
        self.first_response.is_some() || self.next_replies.0 > 0 || self.resolution.is_some()
    }

    /// Whether any target was breached.
    pub fn breached(&self) -> bool {
        self.first_response == Some(true)
            || self.next_replies.1 > 0
            || self.resolution == Some(true)
    }
}

impl SlaClock {
    /// A conversation whose customer wrote first at `at_ms` (SLA-4), whose responses `replies`
    /// answer.
    pub fn start(at_ms: u64, replies: Replies) -> Self {
        Self {
            replies,
            first_response: Response::starting(at_ms),
            next_answered: Vec::new(),
            next_owed: None,
            resolution: Stretches::starting(at_ms),
            closed_ms: None,
            resolved: false,
            handover_ms: None,
            with_bot: false,
        }
    }

    /// A conversation the bot took at `at_ms`, its customer's first message: when any message
    /// answers, its clocks run from here and the bot's replies answer them; when only agents'
    /// do, they count from the handover, and a conversation the bot handled alone is not
    /// judged (SLA-6).
    pub fn start_with_bot(at_ms: u64, replies: Replies) -> Self {
        Self {
            with_bot: true,
            ..Self::start(at_ms, replies)
        }
    }

    /// Which messages answer this clock (SLA-6).
    pub fn replies(&self) -> Replies {
        self.replies
    }

    /// Whether the clock is judged: when only agents' replies count, one the bot had is judged
    /// only once handed over (its counters never started otherwise, SLA-6).
    pub fn judged(&self) -> bool {
        !(self.replies == Replies::AgentsOnly && self.with_bot && self.handover_ms.is_none())
    }

    /// A bot handed the conversation to an agent at `at_ms`: when only agents' replies count,
    /// the clocks count from here (SLA-6).
    pub fn handed_over(&mut self, at_ms: u64) {
        if self.handover_ms.is_some() {
            return;
        }
        self.handover_ms = Some(at_ms);
        if self.replies == Replies::AgentsOnly {
            self.first_response.stretches.count_from(at_ms);
            self.next_answered.fill(Counted::default());
            if let Some(r) = &mut self.next_owed {
                r.stretches.count_from(at_ms);
            }
            self.resolution.count_from(at_ms);
        }
    }

    /// The conversation moves to another queue (or into its first) at `at_ms`: what ran so far
    /// counted the old hours, what runs from now counts the new queue's (SLA-5). `working`
    /// counts the hours it was in until now.
    pub fn moved(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if let Some(r) = self.unanswered() {
            r.stretches.split(at_ms, working);
        }
        self.resolution.split(at_ms, working);
    }

    /// The response clock still waiting for its reply, if any (at most one: a customer turn
    /// runs from its first unanswered message).
    fn unanswered(&mut self) -> Option<&mut Response> {
        match &mut self.next_owed {
            Some(r) => Some(r),
            None => Some(&mut self.first_response).filter(|r| !r.answered),
        }
    }

    /// Whether any clock runs (none does while Solved or after Closed, SLA-4).
    pub fn running(&self) -> bool {
        self.resolution.running()
            || self.first_response.stretches.running()
            || self.next_owed.is_some_and(|r| r.stretches.running())
    }

    /// A customer message at `at_ms`: starts a next-reply clock unless a reply is still owed
    /// (the clock counts from the first unanswered message), and resumes whatever Solved paused.
    pub fn customer_message(&mut self, at_ms: u64) {
        if self.closed_ms.is_some() {
            return;
        }
        match self.unanswered() {
            Some(r) => r.stretches.resume(at_ms),
            None => self.next_owed = Some(Response::starting(at_ms)),
        }
        self.resolution.resume(at_ms);
        self.resolved = false;
    }

    /// An outbound message at `at_ms`: answers the running response clock if it counts (SLA-6).
    pub fn outbound(
        &mut self,
        at_ms: u64,
        kind: Outbound,
        working: &mut dyn FnMut(u64, u64) -> u64,
    ) {
        if self.closed_ms.is_some()
            || (self.replies == Replies::AgentsOnly && kind == Outbound::Automated)
        {
            return;
        }
        let Some(r) = self.unanswered() else { return };
        if !r.stretches.running() {
            return;
        }
        r.stretches.pause(at_ms, working);
        r.answered = true;
        if let Some(owed) = self.next_owed.take() {
            self.next_answered.push(owed.stretches.counted);
        }
    }

    /// Solved at `at_ms`: every clock pauses (SLA-4), and the resolution is reached (SLA-3).
    pub fn solved(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if self.closed_ms.is_none() {
            self.pause_all(at_ms, working);
            self.resolved = true;
        }
    }

    /// Closed at `at_ms`: counting stops for good (SLA-4); a reply still owed is judged by the
    /// time it had run, and so is a resolution never reached (a breach if it ran past its
    /// target, no verdict otherwise: closing is not solving).
    pub fn closed(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        self.pause_all(at_ms, working);
        self.closed_ms.get_or_insert(at_ms);
    }

    fn pause_all(&mut self, at_ms: u64, working: &mut dyn FnMut(u64, u64) -> u64) {
        if let Some(r) = self.unanswered() {
            r.stretches.pause(at_ms, working);
        }
        self.resolution.pause(at_ms, working);
    }

    /// The verdict under `severity`, as of `now_ms` (running clocks count up to it, through
    /// `working` for the queue the conversation is in now).
    pub fn verdict(
        &self,
        severity: &Severity,
        now_ms: u64,
        working: &mut dyn FnMut(u64, u64) -> u64,
    ) -> Verdict {
        if !self.judged() {
            return Verdict::default();
        }
        let hours = severity.hours;
        let now_ms = self.closed_ms.map_or(now_ms, |c| c.min(now_ms));
        // A reply still owed is judged only once it has breached (it may still make it).
        let mut judge = |r: &Response, target: u64| -> Option<bool> {
            let over = r.stretches.elapsed(hours, now_ms, working) > target;
            (r.answered || over).then_some(over)
        };
        let first_response = severity
            .first_response_ms
            .and_then(|t| judge(&self.first_response, t));
        let next_replies = severity.next_reply_ms.map_or((0, 0), |t| {
            let answered = self.next_answered.len() as u32;
            let breached = self
                .next_answered
                .iter()
                .filter(|c| c.under(hours) > t)
                .count() as u32;
            let owed = self.next_owed.as_ref().and_then(|r| judge(r, t));
            (
                answered + u32::from(owed.is_some()),
                breached + u32::from(owed == Some(true)),
            )
        });
        let resolution = severity.resolution_ms.and_then(|t| {
            let total = self.resolution.elapsed(hours, now_ms, working);
            (self.resolved || total > t).then_some(total > t)
        });
        Verdict {
            first_response,
            next_replies,
            resolution,
        }
    }
}

#[cfg(test)]
mod tests;
