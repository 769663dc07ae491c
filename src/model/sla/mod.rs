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
//!   measurements are judged again under it (SLA-7). [`SlaClock`] therefore keeps the measured
//!   spans and judges them on demand; a conversation's verdict is taken when it closes (or when
//!   the run ends).

use super::calendar::{Calendar, PatternState};
use super::routing::{Attributes, Condition};
use super::working_hours::WorkingHours;

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

/// SLA-5: the part of `[from_ms, to_ms)` that counts: all of it, or the part inside `hours`.
pub fn counted_ms(
    sla_hours: SlaHours,
    hours: &WorkingHours,
    cal: &Calendar,
    from_ms: u64,
    to_ms: u64,
) -> u64 {
    if to_ms <= from_ms {
        return 0;
    }
    counted_ms_by(sla_hours, |t| hours.state_at(cal, t), from_ms, to_ms)
}

/// [`counted_ms`] with the working-hours lookup given (`state_at(t)`: open at `t`, and until
/// when), so a caller can cache it.
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

/// Counted stretches of one clock: `[start, end)` each, the last without an end while the clock
/// runs (clocks pause while Solved, SLA-4).
type Segments = Vec<(u64, Option<u64>)>;

/// One response clock: from a customer turn to the reply that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Response {
    segments: Segments,
    /// A counting reply ended it.
    answered: bool,
}

impl Response {
    fn starting(at_ms: u64) -> Self {
        Self {
            segments: vec![(at_ms, None)],
            answered: false,
        }
    }
}

fn running(segments: &Segments) -> bool {
    segments.last().is_some_and(|(_, end)| end.is_none())
}

fn pause(segments: &mut Segments, at_ms: u64) {
    if let Some((_, end)) = segments.last_mut()
        && end.is_none()
    {
        *end = Some(at_ms);
    }
}

fn resume(segments: &mut Segments, at_ms: u64) {
    if !running(segments) {
        segments.push((at_ms, None));
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

/// The SLA clocks of one conversation: its measured stretches, judged under whatever policy it
/// has (SLA-7). Times are ms since the run's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaClock {
    /// First response: from the first customer message.
    first_response: Option<Response>,
    /// Next replies, one per later customer turn.
    next_replies: Vec<Response>,
    /// Resolution: from the start to Solved, over every reopening.
    resolution: Segments,
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
    /// A conversation whose customer wrote first at `at_ms` (SLA-4).
    pub fn start(at_ms: u64) -> Self {
        Self {
            first_response: Some(Response::starting(at_ms)),
            resolution: vec![(at_ms, None)],
            ..Self::default()
        }
    }

    /// A conversation the bot took at `at_ms`, its customer's first message: with automated
    /// messages counting its clocks run from here and the bot's replies answer them; without,
    /// they start at the handover, and a conversation the bot handled alone is not judged
    /// (SLA-6).
    pub fn start_with_bot(at_ms: u64) -> Self {
        Self {
            with_bot: true,
            ..Self::start(at_ms)
        }
    }

    /// Whether a policy judges the conversation: when it excludes automated messages, one the
    /// bot had is judged only once handed over (its counters never started otherwise, SLA-6).
    pub fn judged(&self, exclude_automated: bool) -> bool {
        !(exclude_automated && self.with_bot && self.handover_ms.is_none())
    }

    /// A bot handed the conversation to an agent at `at_ms` (clocks of policies that exclude
    /// automated messages start here, SLA-6).
    pub fn handed_over(&mut self, at_ms: u64) {
        self.handover_ms.get_or_insert(at_ms);
    }

    /// The response clock still waiting for its reply, if any (at most one: a customer turn
    /// runs from its first unanswered message).
    fn unanswered(&mut self) -> Option<&mut Response> {
        match self.next_replies.last_mut() {
            Some(r) if !r.answered => Some(r),
            _ => self.first_response.as_mut().filter(|r| !r.answered),
        }
    }

    /// Whether any clock runs (none does while Solved or after Closed, SLA-4).
    pub fn running(&self) -> bool {
        running(&self.resolution)
            || self
                .first_response
                .iter()
                .chain(self.next_replies.last())
                .any(|r| running(&r.segments))
    }

    /// A customer message at `at_ms`: starts a next-reply clock unless a reply is still owed
    /// (the clock counts from the first unanswered message), and resumes whatever Solved paused.
    pub fn customer_message(&mut self, at_ms: u64) {
        if self.closed_ms.is_some() {
            return;
        }
        match self.unanswered() {
            Some(r) => resume(&mut r.segments, at_ms),
            None => self.next_replies.push(Response::starting(at_ms)),
        }
        resume(&mut self.resolution, at_ms);
        self.resolved = false;
    }

    /// An outbound message at `at_ms`: answers the running response clock if it counts (SLA-6).
    pub fn outbound(&mut self, at_ms: u64, kind: Outbound, exclude_automated: bool) {
        if self.closed_ms.is_some() || (exclude_automated && kind == Outbound::Automated) {
            return;
        }
        if let Some(r) = self.unanswered()
            && running(&r.segments)
        {
            pause(&mut r.segments, at_ms);
            r.answered = true;
        }
    }

    /// Solved at `at_ms`: every clock pauses (SLA-4), and the resolution is reached (SLA-3).
    pub fn solved(&mut self, at_ms: u64) {
        if self.closed_ms.is_none() {
            self.pause_all(at_ms);
            self.resolved = true;
        }
    }

    /// Closed at `at_ms`: counting stops for good (SLA-4); a reply still owed is judged by the
    /// time it had run, and so is a resolution never reached (a breach if it ran past its
    /// target, no verdict otherwise: closing is not solving).
    pub fn closed(&mut self, at_ms: u64) {
        self.pause_all(at_ms);
        self.closed_ms.get_or_insert(at_ms);
    }

    fn pause_all(&mut self, at_ms: u64) {
        if let Some(r) = self.unanswered() {
            pause(&mut r.segments, at_ms);
        }
        pause(&mut self.resolution, at_ms);
    }

    /// The verdict under `severity`, as of `now_ms` (running clocks count up to it), clocks
    /// counted by `counted` (SLA-5: all the time, or inside the queue's hours). With
    /// `exclude_automated`, clocks start no earlier than the bot's handover (SLA-6).
    pub fn verdict(
        &self,
        severity: &Severity,
        exclude_automated: bool,
        now_ms: u64,
        counted: &dyn Fn(u64, u64) -> u64,
    ) -> Verdict {
        if !self.judged(exclude_automated) {
            return Verdict::default();
        }
        let floor = if exclude_automated {
            self.handover_ms.unwrap_or(0)
        } else {
            0
        };
        let now_ms = self.closed_ms.map_or(now_ms, |c| c.min(now_ms));
        let elapsed = |segments: &Segments| -> u64 {
            segments
                .iter()
                .map(|&(start, end)| counted(start.max(floor), end.unwrap_or(now_ms).max(floor)))
                .sum()
        };
        // A reply still owed is judged only once it has breached (it may still make it).
        let judge = |r: &Response, target: u64| -> Option<bool> {
            let over = elapsed(&r.segments) > target;
            (r.answered || over).then_some(over)
        };
        let first_response = severity
            .first_response_ms
            .and_then(|t| self.first_response.as_ref().and_then(|r| judge(r, t)));
        let next_replies = severity.next_reply_ms.map_or((0, 0), |t| {
            self.next_replies
                .iter()
                .filter_map(|r| judge(r, t))
                .fold((0, 0), |(n, b), breached| (n + 1, b + u32::from(breached)))
        });
        let resolution = severity.resolution_ms.and_then(|t| {
            let total = elapsed(&self.resolution);
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
