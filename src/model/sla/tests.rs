//! SLA-1..7, rule by rule, with hand-computed timelines.

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

#[test]
fn sla_3_closing_is_not_solving_an_abandoned_conversation_resolves_nothing() {
    // Issue 16, finding 1: a customer who gave up was counted as a resolution met, so an
    // interval where everyone abandoned showed 100 % compliance.
    let sev = severity(5, 10, 60, SlaHours::Always);
    let mut early = SlaClock::start(0);
    early.closed(3 * MIN); // gave up after 3 min: no target came due
    let v = early.verdict(&sev, false, 10_000 * MIN, &always);
    assert_eq!((v.first_response, v.resolution), (None, None));
    assert!(!v.decided() && !v.breached());

    let mut late = SlaClock::start(0);
    late.closed(8 * MIN); // gave up after 8 min: the first response was due at 5 (SLA-4)
    let v = late.verdict(&sev, false, 10_000 * MIN, &always);
    assert_eq!((v.first_response, v.resolution), (Some(true), None));
    assert!(v.decided() && v.breached());

    // Solved, reopened, then closed without being solved again: the resolution is judged only
    // if it has run past its target.
    let mut reopened = SlaClock::start(0);
    reopened.outbound(MIN, Outbound::Agent, false);
    reopened.solved(20 * MIN);
    reopened.customer_message(100 * MIN);
    reopened.closed(110 * MIN);
    assert_eq!(
        reopened
            .verdict(&sev, false, 10_000 * MIN, &always)
            .resolution,
        None
    );
    // Solved then closed, as usual: met.
    let mut usual = SlaClock::start(0);
    usual.outbound(MIN, Outbound::Agent, false);
    usual.solved(20 * MIN);
    usual.closed(80 * MIN);
    assert_eq!(
        usual.verdict(&sev, false, 10_000 * MIN, &always).resolution,
        Some(false)
    );
}
