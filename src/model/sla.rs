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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub fn applies<A: Attributes + ?Sized>(&self, attributes: &A, queue: u32, at_ms: u64) -> bool {
        let at = at_ms as i64;
        self.enabled
            && self.valid_from_ms.is_none_or(|from| at >= from)
            && self.valid_until_ms.is_none_or(|until| at < until)
            && self.queues.as_ref().is_none_or(|qs| qs.contains(&queue))
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
}

/// SLA-1: the first policy in order that applies.
pub fn select_policy<A: Attributes + ?Sized>(
    policies: &[SlaPolicy],
    attributes: &A,
    queue: u32,
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
    /// When the bot handed the conversation over, if a bot had it (SLA-6).
    handover_ms: Option<u64>,
}

/// The verdict on one conversation under one policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    /// First response measured (ended), and whether it breached.
    pub first_response: Option<bool>,
    /// Next replies measured and how many breached.
    pub next_replies: (u32, u32),
    /// Resolution measured (solved at least once, or breached already), and whether it breached.
    pub resolution: Option<bool>,
}

impl Verdict {
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

    /// Solved at `at_ms`: every clock pauses (SLA-4).
    pub fn solved(&mut self, at_ms: u64) {
        if let Some(r) = self.unanswered() {
            pause(&mut r.segments, at_ms);
        }
        pause(&mut self.resolution, at_ms);
    }

    /// Closed at `at_ms`: counting stops for good (SLA-4); a reply still owed is judged by the
    /// time it had run.
    pub fn closed(&mut self, at_ms: u64) {
        self.solved(at_ms);
        self.closed_ms.get_or_insert(at_ms);
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
            let solved = !self.resolution.is_empty() && !running(&self.resolution);
            (solved || total > t).then_some(total > t)
        });
        Verdict {
            first_response,
            next_replies,
            resolution,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::{WeeklyPattern, WeeklySpan};
    use crate::model::routing::{AttrId, AttrValue, Operand, Operator};
    use jiff::civil::Weekday;

    const MIN: u64 = 60_000;

    struct Attrs(Vec<(AttrId, AttrValue)>);
    impl Attributes for Attrs {
        fn get(&self, id: AttrId) -> Option<&AttrValue> {
            self.0.iter().find(|(a, _)| *a == id).map(|(_, v)| v)
        }
    }

    fn is(attribute: AttrId, value: &str) -> Condition {
        Condition {
            attribute,
            operator: Operator::Is,
            operand: Operand::Text(value.into()),
        }
    }

    fn severity(first_min: u64, next_min: u64, resolution_min: u64, hours: SlaHours) -> Severity {
        Severity {
            name: "default".into(),
            first_response_ms: Some(first_min * MIN),
            next_reply_ms: Some(next_min * MIN),
            resolution_ms: Some(resolution_min * MIN),
            hours,
        }
    }

    fn policy(name: &str, groups: Vec<Vec<Condition>>, queues: Option<Vec<u32>>) -> SlaPolicy {
        SlaPolicy {
            name: name.into(),
            enabled: true,
            valid_from_ms: None,
            valid_until_ms: None,
            condition_groups: groups,
            queues,
            exclude_automated: false,
            severities: vec![severity(5, 10, 60, SlaHours::Always)],
        }
    }

    fn always(from: u64, to: u64) -> u64 {
        to.saturating_sub(from)
    }

    #[test]
    fn sla_1_first_enabled_valid_matching_policy_for_the_queue_wins() {
        const TIER: AttrId = 1;
        const LANG: AttrId = 2;
        let vip = policy(
            "vip",
            vec![
                vec![is(TIER, "premium"), is(LANG, "es")],
                vec![is(TIER, "gold")],
            ],
            None,
        );
        let support_only = policy("support", Vec::new(), Some(vec![1]));
        let catch_all = policy("all", Vec::new(), None);
        let policies = [vip.clone(), support_only, catch_all];
        let premium_es = Attrs(vec![
            (TIER, AttrValue::Text("premium".into())),
            (LANG, AttrValue::Text("es".into())),
        ]);
        let premium_en = Attrs(vec![
            (TIER, AttrValue::Text("premium".into())),
            (LANG, AttrValue::Text("en".into())),
        ]);
        let gold = Attrs(vec![(TIER, AttrValue::Text("gold".into()))]);
        // AND within a group, OR between groups.
        assert_eq!(select_policy(&policies, &premium_es, 0, 0), Some(0));
        assert_eq!(select_policy(&policies, &gold, 0, 0), Some(0));
        assert_eq!(select_policy(&policies, &premium_en, 0, 0), Some(2));
        // Queue scope.
        assert_eq!(select_policy(&policies, &premium_en, 1, 0), Some(1));
        // Disabled, or outside the validity period: skipped.
        let mut later = policies.clone();
        later[0].enabled = false;
        assert_eq!(select_policy(&later, &premium_es, 0, 0), Some(2));
        let mut dated = policies.clone();
        dated[0].valid_from_ms = Some(1000);
        dated[0].valid_until_ms = Some(2000);
        assert_eq!(select_policy(&dated, &premium_es, 0, 999), Some(2));
        assert_eq!(select_policy(&dated, &premium_es, 0, 1000), Some(0));
        assert_eq!(select_policy(&dated, &premium_es, 0, 2000), Some(2));
        assert_eq!(select_policy(&[vip], &premium_en, 0, 0), None);
    }

    #[test]
    fn sla_3_first_response_next_reply_and_resolution_are_measured_as_documented() {
        let sev = severity(5, 10, 60, SlaHours::Always);
        let mut c = SlaClock::start(0);
        c.outbound(4 * MIN, Outbound::Agent, false); // first response 4 min: met
        c.customer_message(10 * MIN);
        c.customer_message(12 * MIN); // same turn: the clock runs from 10
        c.outbound(22 * MIN, Outbound::Agent, false); // 12 min: breached
        c.customer_message(30 * MIN);
        c.outbound(35 * MIN, Outbound::Agent, false); // 5 min: met
        c.solved(50 * MIN); // resolution 50 min: met
        let v = c.verdict(&sev, false, 50 * MIN, &always);
        assert_eq!(v.first_response, Some(false));
        assert_eq!(v.next_replies, (2, 1));
        assert_eq!(v.resolution, Some(false));
        assert!(v.breached());
    }

    #[test]
    fn sla_4_resolution_pauses_while_solved_and_stops_at_closed() {
        let sev = severity(5, 10, 60, SlaHours::Always);
        let mut c = SlaClock::start(0);
        c.outbound(MIN, Outbound::Agent, false);
        c.solved(40 * MIN);
        // Reopened two hours later: the Solved time does not count.
        c.customer_message(160 * MIN);
        c.outbound(162 * MIN, Outbound::Agent, false);
        c.solved(170 * MIN); // 40 + 10 = 50 min: met
        assert_eq!(
            c.verdict(&sev, false, 170 * MIN, &always).resolution,
            Some(false)
        );
        c.customer_message(200 * MIN);
        c.closed(230 * MIN); // 50 + 30 = 80 min: breached, and it stays
        let v = c.verdict(&sev, false, 10_000 * MIN, &always);
        assert_eq!(v.resolution, Some(true));
        // The message left unanswered at Closed had waited 30 min: a breached next reply; the
        // clock stopped there, not at the time of the verdict.
        assert_eq!(v.next_replies, (2, 1));
        let mut quick = SlaClock::start(0);
        quick.outbound(MIN, Outbound::Agent, false);
        quick.customer_message(100 * MIN);
        quick.closed(105 * MIN);
        assert_eq!(
            quick
                .verdict(&sev, false, 10_000 * MIN, &always)
                .next_replies,
            (0, 0),
            "5 unanswered minutes at Closed neither met nor breached the 10-minute target"
        );
        c.customer_message(300 * MIN);
        assert_eq!(c.verdict(&sev, false, 10_000 * MIN, &always), v);
    }

    #[test]
    fn sla_5_working_hours_only_clocks_hold_outside_the_queues_hours() {
        let cal =
            Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC).unwrap();
        let hours = WorkingHours {
            weekly: WeeklyPattern {
                spans: vec![WeeklySpan {
                    weekday: Weekday::Monday,
                    start: "08:00".parse().unwrap(),
                    length_min: 8 * 60,
                }],
            },
            holidays: Vec::new(),
        };
        let h = 60 * MIN;
        // A message at 07:00 answered at 08:20: 80 min around the clock, 20 in working hours.
        assert_eq!(
            counted_ms(SlaHours::Always, &hours, &cal, 7 * h, 8 * h + 20 * MIN),
            80 * MIN
        );
        assert_eq!(
            counted_ms(
                SlaHours::WorkingHours,
                &hours,
                &cal,
                7 * h,
                8 * h + 20 * MIN
            ),
            20 * MIN
        );
        // Across the close at 16:00 and the next Monday's opening.
        assert_eq!(
            counted_ms(
                SlaHours::WorkingHours,
                &hours,
                &cal,
                15 * h,
                7 * 24 * h + 9 * h
            ),
            2 * h
        );
        let sev = severity(30, 10, 600, SlaHours::WorkingHours);
        let mut c = SlaClock::start(7 * h);
        c.outbound(8 * h + 20 * MIN, Outbound::Agent, false);
        let wh = |a, b| counted_ms(sev.hours, &hours, &cal, a, b);
        assert_eq!(
            c.verdict(&sev, false, 9 * h, &wh).first_response,
            Some(false)
        );
        let sev_always = Severity {
            hours: SlaHours::Always,
            ..sev.clone()
        };
        let al = |a, b| counted_ms(sev_always.hours, &hours, &cal, a, b);
        assert_eq!(
            c.verdict(&sev_always, false, 9 * h, &al).first_response,
            Some(true)
        );
    }

    #[test]
    fn sla_6_automated_messages_count_unless_excluded() {
        let sev = severity(5, 10, 60, SlaHours::Always);
        let run = |exclude: bool| {
            let mut c = SlaClock::start(0);
            c.outbound(0, Outbound::Automated, exclude); // waiting-strategy welcome
            c.outbound(20 * MIN, Outbound::Agent, exclude);
            c.verdict(&sev, exclude, 20 * MIN, &always).first_response
        };
        assert_eq!(
            run(false),
            Some(false),
            "the welcome message answered at once"
        );
        assert_eq!(
            run(true),
            Some(true),
            "only the agent's reply counts: 20 min"
        );
        // Excluding automated messages, clocks start at the bot's handover.
        let mut c = SlaClock::start(0);
        c.handed_over(30 * MIN);
        c.outbound(33 * MIN, Outbound::Agent, true);
        assert_eq!(
            c.verdict(&sev, true, 33 * MIN, &always).first_response,
            Some(false)
        );
        assert_eq!(
            c.verdict(&sev, false, 33 * MIN, &always).first_response,
            Some(true)
        );
    }

    #[test]
    fn sla_2_the_default_severity_applies_to_every_matching_conversation() {
        let mut p = policy("p", Vec::new(), None);
        p.severities.push(Severity {
            name: "severity 1".into(),
            first_response_ms: Some(MIN),
            next_reply_ms: None,
            resolution_ms: None,
            hours: SlaHours::Always,
        });
        // The first severity is the default one; the stricter second applies only when an
        // agent picks it.
        assert_eq!(p.default_severity().name, "default");
        let mut c = SlaClock::start(0);
        c.outbound(3 * MIN, Outbound::Agent, false);
        assert_eq!(
            c.verdict(p.default_severity(), false, 3 * MIN, &always)
                .first_response,
            Some(false)
        );
        assert_eq!(
            c.verdict(&p.severities[1], false, 3 * MIN, &always)
                .first_response,
            Some(true)
        );
    }

    #[test]
    fn sla_4_every_clock_pauses_while_solved_and_resumes_on_reopening() {
        let sev = severity(5, 10, 600, SlaHours::Always);
        let mut c = SlaClock::start(0);
        c.outbound(MIN, Outbound::Agent, false);
        // A customer message at 10 min, then a workflow solves at 16 min without a reply.
        c.customer_message(10 * MIN);
        c.solved(16 * MIN);
        assert!(!c.running(), "nothing counts while Solved");
        // The customer writes again at 200 min; the agent answers at 205: 6 + 5 = 11 min owed
        // in all, over the 10-minute target, though 190 minutes passed in between.
        c.customer_message(200 * MIN);
        assert!(c.running());
        c.outbound(205 * MIN, Outbound::Agent, false);
        let v = c.verdict(&sev, false, 205 * MIN, &always);
        assert_eq!(v.next_replies, (1, 1));
        // Resolution: 16 min, then 5 more (still running) — not solved again yet.
        assert_eq!(v.resolution, None);
    }

    #[test]
    fn sla_5_a_working_hours_clock_holds_over_a_weekend_and_a_holiday() {
        // Weekdays 09:00–17:00; Monday 2026-01-05 ... Friday 2026-01-09; Monday 12 January is
        // a holiday. A message on Friday 9 January at 16:50 is answered on Tuesday 13 January at
        // 09:20: ten minutes on Friday, nothing over the weekend and the holiday, twenty on
        // Tuesday — 30 minutes, against 88 h 30 min around the clock.
        let cal =
            Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC).unwrap();
        let weekdays = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ];
        let hours = WorkingHours {
            weekly: WeeklyPattern {
                spans: weekdays
                    .iter()
                    .map(|&weekday| WeeklySpan {
                        weekday,
                        start: "09:00".parse().unwrap(),
                        length_min: 8 * 60,
                    })
                    .collect(),
            },
            holidays: vec![crate::model::working_hours::Holiday {
                name: "holiday".into(),
                first: "2026-01-12".parse().unwrap(),
                last: "2026-01-12".parse().unwrap(),
            }],
        };
        let at = |day: u64, h: u64, m: u64| ((day * 24 + h) * 60 + m) * MIN;
        let (sent, answered) = (at(4, 16, 50), at(8, 9, 20));
        assert_eq!(
            counted_ms(SlaHours::WorkingHours, &hours, &cal, sent, answered),
            30 * MIN
        );
        assert_eq!(
            counted_ms(SlaHours::Always, &hours, &cal, sent, answered),
            (88 * 60 + 30) * MIN
        );
        let sev = severity(45, 10, 600, SlaHours::WorkingHours);
        let mut c = SlaClock::start(sent);
        c.outbound(answered, Outbound::Agent, false);
        let wh = |a, b| counted_ms(SlaHours::WorkingHours, &hours, &cal, a, b);
        assert_eq!(
            c.verdict(&sev, false, answered, &wh).first_response,
            Some(false),
            "30 working minutes meet a 45-minute target"
        );
    }

    #[test]
    fn sla_7_a_new_policy_judges_earlier_measurements_again() {
        let lenient = severity(30, 30, 600, SlaHours::Always);
        let strict = severity(5, 5, 60, SlaHours::Always);
        let mut c = SlaClock::start(0);
        c.outbound(10 * MIN, Outbound::Agent, false);
        assert_eq!(
            c.verdict(&lenient, false, 10 * MIN, &always).first_response,
            Some(false)
        );
        // Moved to a queue whose policy is strict: the same first response now breached.
        assert_eq!(
            c.verdict(&strict, false, 10 * MIN, &always).first_response,
            Some(true)
        );
    }

    #[test]
    fn running_clocks_are_judged_only_once_breached() {
        let sev = severity(5, 10, 60, SlaHours::Always);
        let c = SlaClock::start(0);
        assert_eq!(c.verdict(&sev, false, 3 * MIN, &always), Verdict::default());
        let v = c.verdict(&sev, false, 6 * MIN, &always);
        assert_eq!(v.first_response, Some(true));
        assert_eq!(v.resolution, None);
    }
}
