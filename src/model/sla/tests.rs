//! SLA-1..7, rule by rule, with hand-computed timelines.

use super::*;
use crate::model::calendar::{Calendar, WeeklyPattern, WeeklySpan};
use crate::model::routing::{AttrId, AttrValue, Operand, Operator};
use crate::model::working_hours::WorkingHours;
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
        agent_share: 0.0,
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

/// SLA-5 over a working-hours calendar looked up directly, as the recorder does through its
/// cache.
fn counted_ms(
    sla_hours: SlaHours,
    hours: &WorkingHours,
    cal: &Calendar,
    from_ms: u64,
    to_ms: u64,
) -> u64 {
    counted_ms_by(sla_hours, |t| hours.state_at(cal, t), from_ms, to_ms)
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
    assert_eq!(select_policy(&policies, &premium_es, Some(0), 0), Some(0));
    assert_eq!(select_policy(&policies, &gold, Some(0), 0), Some(0));
    assert_eq!(select_policy(&policies, &premium_en, Some(0), 0), Some(2));
    // Queue scope.
    assert_eq!(select_policy(&policies, &premium_en, Some(1), 0), Some(1));
    // Disabled, or outside the validity period: skipped.
    let mut later = policies.clone();
    later[0].enabled = false;
    assert_eq!(select_policy(&later, &premium_es, Some(0), 0), Some(2));
    let mut dated = policies.clone();
    dated[0].valid_from_ms = Some(1000);
    dated[0].valid_until_ms = Some(2000);
    assert_eq!(select_policy(&dated, &premium_es, Some(0), 999), Some(2));
    assert_eq!(select_policy(&dated, &premium_es, Some(0), 1000), Some(0));
    assert_eq!(select_policy(&dated, &premium_es, Some(0), 2000), Some(2));
    assert_eq!(select_policy(&[vip], &premium_en, Some(0), 0), None);
}

#[test]
fn sla_3_first_response_next_reply_and_resolution_are_measured_as_documented() {
    let sev = severity(5, 10, 60, SlaHours::Always);
    let mut c = SlaClock::start(0, Replies::Any);
    c.outbound(4 * MIN, Outbound::Agent, &mut always); // first response 4 min: met
    c.customer_message(10 * MIN);
    c.customer_message(12 * MIN); // same turn: the clock runs from 10
    c.outbound(22 * MIN, Outbound::Agent, &mut always); // 12 min: breached
    c.customer_message(30 * MIN);
    c.outbound(35 * MIN, Outbound::Agent, &mut always); // 5 min: met
    c.solved(50 * MIN, &mut always); // resolution 50 min: met
    let v = c.verdict(&sev, 50 * MIN, &mut always);
    assert_eq!(v.first_response, Some(false));
    assert_eq!(v.next_replies, (2, 1));
    assert_eq!(v.resolution, Some(false));
    assert!(v.breached());
}

#[test]
fn sla_4_resolution_pauses_while_solved_and_stops_at_closed() {
    let sev = severity(5, 10, 60, SlaHours::Always);
    let mut c = SlaClock::start(0, Replies::Any);
    c.outbound(MIN, Outbound::Agent, &mut always);
    c.solved(40 * MIN, &mut always);
    // Reopened two hours later: the Solved time does not count.
    c.customer_message(160 * MIN);
    c.outbound(162 * MIN, Outbound::Agent, &mut always);
    c.solved(170 * MIN, &mut always); // 40 + 10 = 50 min: met
    assert_eq!(
        c.verdict(&sev, 170 * MIN, &mut always).resolution,
        Some(false)
    );
    c.customer_message(200 * MIN);
    c.closed(230 * MIN, &mut always); // 50 + 30 = 80 min: breached, and it stays
    let v = c.verdict(&sev, 10_000 * MIN, &mut always);
    assert_eq!(v.resolution, Some(true));
    // The message left unanswered at Closed had waited 30 min: a breached next reply; the
    // clock stopped there, not at the time of the verdict.
    assert_eq!(v.next_replies, (2, 1));
    let mut quick = SlaClock::start(0, Replies::Any);
    quick.outbound(MIN, Outbound::Agent, &mut always);
    quick.customer_message(100 * MIN);
    quick.closed(105 * MIN, &mut always);
    assert_eq!(
        quick.verdict(&sev, 10_000 * MIN, &mut always).next_replies,
        (0, 0),
        "5 unanswered minutes at Closed neither met nor breached the 10-minute target"
    );
    c.customer_message(300 * MIN);
    assert_eq!(c.verdict(&sev, 10_000 * MIN, &mut always), v);
}

#[test]
fn sla_5_working_hours_only_clocks_hold_outside_the_queues_hours() {
    let cal = Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC).unwrap();
    let hours = WorkingHours {
        dated: None,
        weekly: WeeklyPattern {
            spans: vec![WeeklySpan {
                weekday: Weekday::Monday,
                start: "08:00".parse().unwrap(),
                length_min: 8 * 60,
            }],
        },
        holidays: Vec::new(),
        zone: None,
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
    let mut wh = |a, b| counted_ms(SlaHours::WorkingHours, &hours, &cal, a, b);
    let mut c = SlaClock::start(7 * h, Replies::Any);
    c.outbound(8 * h + 20 * MIN, Outbound::Agent, &mut wh);
    assert_eq!(c.verdict(&sev, 9 * h, &mut wh).first_response, Some(false));
    // The same clock judged by a severity that counts around the clock (SLA-7).
    let sev_always = Severity {
        hours: SlaHours::Always,
        ..sev.clone()
    };
    assert_eq!(
        c.verdict(&sev_always, 9 * h, &mut wh).first_response,
        Some(true)
    );
}

#[test]
fn sla_5_a_moved_conversation_counts_each_queues_hours_while_it_was_there() {
    // Queue A is open 08:00-16:00, queue B 12:00-20:00 (both Mondays). A message at 07:00 in
    // A, moved to B at 10:00, answered at 13:00: A's hours count 08:00-10:00 (2 h), B's
    // 12:00-13:00 (1 h): 3 h in working hours, 6 h around the clock.
    let cal = Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC).unwrap();
    let monday = |start: &str| WorkingHours {
        dated: None,
        weekly: WeeklyPattern {
            spans: vec![WeeklySpan {
                weekday: Weekday::Monday,
                start: start.parse().unwrap(),
                length_min: 8 * 60,
            }],
        },
        holidays: Vec::new(),
        zone: None,
    };
    let (a, b) = (monday("08:00"), monday("12:00"));
    let h = 60 * MIN;
    let mut in_a = |x, y| counted_ms(SlaHours::WorkingHours, &a, &cal, x, y);
    let mut in_b = |x, y| counted_ms(SlaHours::WorkingHours, &b, &cal, x, y);
    let mut c = SlaClock::start(7 * h, Replies::Any);
    c.moved(10 * h, &mut in_a);
    c.outbound(13 * h, Outbound::Agent, &mut in_b);
    let mut target = |min: u64| {
        c.verdict(
            &severity(min, 10, 600, SlaHours::WorkingHours),
            13 * h,
            &mut in_b,
        )
        .first_response
    };
    assert_eq!(target(180), Some(false), "3 working hours meet 180 minutes");
    assert_eq!(target(179), Some(true), "and breach 179");
    let always_sev = severity(359, 10, 600, SlaHours::Always);
    assert_eq!(
        c.verdict(&always_sev, 13 * h, &mut in_b).first_response,
        Some(true),
        "6 h around the clock"
    );
}

#[test]
fn sla_6_automated_messages_count_unless_excluded() {
    let sev = severity(5, 10, 60, SlaHours::Always);
    let run = |exclude: bool| {
        let replies = if exclude {
            Replies::AgentsOnly
        } else {
            Replies::Any
        };
        let mut c = SlaClock::start(0, replies);
        c.outbound(0, Outbound::Automated, &mut always); // waiting-strategy welcome
        c.outbound(20 * MIN, Outbound::Agent, &mut always);
        c.verdict(&sev, 20 * MIN, &mut always).first_response
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
    let bot_then_agent = |replies| {
        let mut c = SlaClock::start_with_bot(0, replies);
        c.handed_over(30 * MIN);
        c.outbound(33 * MIN, Outbound::Agent, &mut always);
        c.verdict(&sev, 33 * MIN, &mut always).first_response
    };
    assert_eq!(bot_then_agent(Replies::AgentsOnly), Some(false));
    assert_eq!(bot_then_agent(Replies::Any), Some(true));
    // A conversation the bot handled alone is not judged when only agents' replies count.
    let mut alone = SlaClock::start_with_bot(0, Replies::AgentsOnly);
    alone.closed(90 * MIN, &mut always);
    assert!(!alone.judged());
    assert_eq!(
        alone.verdict(&sev, 90 * MIN, &mut always),
        Verdict::default()
    );
}

#[test]
fn sla_2_the_default_severity_applies_to_every_matching_conversation() {
    let mut p = policy("p", Vec::new(), None);
    p.severities.push(Severity {
        agent_share: 0.0,
        name: "severity 1".into(),
        first_response_ms: Some(MIN),
        next_reply_ms: None,
        resolution_ms: None,
        hours: SlaHours::Always,
    });
    // The first severity is the default one; the stricter second applies only when an
    // agent picks it.
    assert_eq!(p.default_severity().name, "default");
    let mut c = SlaClock::start(0, Replies::Any);
    c.outbound(3 * MIN, Outbound::Agent, &mut always);
    assert_eq!(
        c.verdict(p.default_severity(), 3 * MIN, &mut always)
            .first_response,
        Some(false)
    );
    assert_eq!(
        c.verdict(&p.severities[1], 3 * MIN, &mut always)
            .first_response,
        Some(true)
    );
}

#[test]
fn sla_4_every_clock_pauses_while_solved_and_resumes_on_reopening() {
    let sev = severity(5, 10, 600, SlaHours::Always);
    let mut c = SlaClock::start(0, Replies::Any);
    c.outbound(MIN, Outbound::Agent, &mut always);
    // A customer message at 10 min, then a workflow solves at 16 min without a reply.
    c.customer_message(10 * MIN);
    c.solved(16 * MIN, &mut always);
    assert!(!c.running(), "nothing counts while Solved");
    // The customer writes again at 200 min; the agent answers at 205: 6 + 5 = 11 min owed
    // in all, over the 10-minute target, though 190 minutes passed in between.
    c.customer_message(200 * MIN);
    assert!(c.running());
    c.outbound(205 * MIN, Outbound::Agent, &mut always);
    let v = c.verdict(&sev, 205 * MIN, &mut always);
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
    let cal = Calendar::new("2026-01-05T00:00".parse().unwrap(), jiff::tz::TimeZone::UTC).unwrap();
    let weekdays = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    let hours = WorkingHours {
        dated: None,
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
        zone: None,
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
    let mut wh = |a, b| counted_ms(SlaHours::WorkingHours, &hours, &cal, a, b);
    let mut c = SlaClock::start(sent, Replies::Any);
    c.outbound(answered, Outbound::Agent, &mut wh);
    assert_eq!(
        c.verdict(&sev, answered, &mut wh).first_response,
        Some(false),
        "30 working minutes meet a 45-minute target"
    );
}

#[test]
fn sla_7_a_new_policy_judges_earlier_measurements_again() {
    let lenient = severity(30, 30, 600, SlaHours::Always);
    let strict = severity(5, 5, 60, SlaHours::Always);
    let mut c = SlaClock::start(0, Replies::Any);
    c.outbound(10 * MIN, Outbound::Agent, &mut always);
    assert_eq!(
        c.verdict(&lenient, 10 * MIN, &mut always).first_response,
        Some(false)
    );
    // Moved to a queue whose policy is strict: the same first response now breached.
    assert_eq!(
        c.verdict(&strict, 10 * MIN, &mut always).first_response,
        Some(true)
    );
}

#[test]
fn running_clocks_are_judged_only_once_breached() {
    let sev = severity(5, 10, 60, SlaHours::Always);
    let c = SlaClock::start(0, Replies::Any);
    assert_eq!(c.verdict(&sev, 3 * MIN, &mut always), Verdict::default());
    let v = c.verdict(&sev, 6 * MIN, &mut always);
    assert_eq!(v.first_response, Some(true));
    assert_eq!(v.resolution, None);
}

#[test]
fn sla_3_closing_is_not_solving_an_abandoned_conversation_resolves_nothing() {
    // Issue 16, finding 1: a customer who gave up was counted as a resolution met, so an
    // interval where everyone abandoned showed 100 % compliance.
    let sev = severity(5, 10, 60, SlaHours::Always);
    let mut early = SlaClock::start(0, Replies::Any);
    early.closed(3 * MIN, &mut always); // gave up after 3 min: no target came due
    let v = early.verdict(&sev, 10_000 * MIN, &mut always);
    assert_eq!((v.first_response, v.resolution), (None, None));
    assert!(!v.decided() && !v.breached());

    let mut late = SlaClock::start(0, Replies::Any);
    late.closed(8 * MIN, &mut always); // gave up after 8 min: the first response was due at 5 (SLA-4)
    let v = late.verdict(&sev, 10_000 * MIN, &mut always);
    assert_eq!((v.first_response, v.resolution), (Some(true), None));
    assert!(v.decided() && v.breached());

    // Solved, reopened, then closed without being solved again: the resolution is judged only
    // if it has run past its target.
    let mut reopened = SlaClock::start(0, Replies::Any);
    reopened.outbound(MIN, Outbound::Agent, &mut always);
    reopened.solved(20 * MIN, &mut always);
    reopened.customer_message(100 * MIN);
    reopened.closed(110 * MIN, &mut always);
    assert_eq!(
        reopened.verdict(&sev, 10_000 * MIN, &mut always).resolution,
        None
    );
    // Solved then closed, as usual: met.
    let mut usual = SlaClock::start(0, Replies::Any);
    usual.outbound(MIN, Outbound::Agent, &mut always);
    usual.solved(20 * MIN, &mut always);
    usual.closed(80 * MIN, &mut always);
    assert_eq!(
        usual.verdict(&sev, 10_000 * MIN, &mut always).resolution,
        Some(false)
    );
}
