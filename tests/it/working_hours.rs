//! Working hours end to end (WH-1..4, AA-10): a desk open on weekdays 09:00–17:00 with a
//! holiday on Wednesday, staffed by agents who are always logged in.

use ccsim::actors::{AssignedBy, Metric};
use ccsim::sim::centre::Centre;

use crate::common::parse_toml;

const DESK: &str = r#"name = "desk"
start = "2026-03-02T00:00"            # a Monday
time_zone = "Europe/Vienna"
duration_days = 7
seed = 11
replications = 1

[[channels]]
name = "chat"
kind = "live_chat"

[[working_hours]]
name = "office"
default = true
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]
holidays = [{ name = "closed", first = "2026-03-04", last = "2026-03-04" }]
away_message = true

[[queues]]
name = "desk"
handle_time = { dist = "exponential", mean_s = 300 }

[[agents]]
group = "always-on"
count = 3
queues = ["desk"]

[[arrivals]]
name = "chat"
queue = "desk"
channel = "chat"
rate_per_h = 12
"#;

#[test]
fn wh_4_nothing_is_assigned_outside_hours_and_the_backlog_goes_in_bulk_at_opening() {
    let s = parse_toml(DESK);
    let spec = &s.centre;
    let hours = &spec.queues[0].hours.calendar;
    let (stats, trace) = Centre::new(spec.clone(), s.seed, 0)
        .with_invariant_checks()
        .run_traced();
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    let open = |t: u64| hours.is_open(&spec.calendar, t);

    let mut arrived_closed = 0;
    let mut away = 0;
    let mut bulk_at_opening = 0;
    let mut assigned = 0;
    for &(at, metric) in &trace {
        match metric {
            Metric::Arrived { arrived_ms, .. } if !open(arrived_ms) => arrived_closed += 1,
            Metric::AwayMessage {
                arrived_ms, closed, ..
            } => {
                assert!(!open(arrived_ms) && !closed);
                away += 1;
            }
            Metric::Assigned { by, .. } => {
                assigned += 1;
                assert!(open(at), "assigned at {at} ms while closed (WH-4)");
                // WH-2: weekends and the holiday are closed all day.
                let day = spec.calendar.local(at).date();
                assert!(day.weekday().to_monday_zero_offset() < 5 && day.day() != 4);
                let opened_at = spec.calendar.local(at).time() == "09:00".parse().unwrap();
                if opened_at {
                    assert_eq!(by, AssignedBy::Bulk, "the opening run is bulk (AA-10)");
                    bulk_at_opening += 1;
                }
            }
            _ => {}
        }
    }
    // WH-3: every conversation opened outside the hours got the away message.
    assert!(arrived_closed > 500, "{arrived_closed}");
    assert_eq!(away, arrived_closed);
    // Four openings (Mon, Tue, Thu, Fri) each took a backlog; customers never give up here.
    assert!(bulk_at_opening >= 4 * 3, "{bulk_at_opening}");
    assert!(assigned > 0);
    assert_eq!(stats.totals[0].away_messages, arrived_closed);
}

#[test]
fn wh_3_closing_after_the_away_message_removes_the_conversation() {
    let s = parse_toml(&DESK.replace(
        "away_message = true",
        "away_message = true\nclose_after_away = true",
    ));
    let (stats, trace) = Centre::new(s.centre.clone(), s.seed, 0)
        .with_invariant_checks()
        .run_traced();
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    let closed = trace
        .iter()
        .filter(|(_, m)| matches!(m, Metric::AwayMessage { closed: true, .. }))
        .count() as u64;
    assert!(closed > 500);
    assert_eq!(stats.totals[0].closed_outside_hours, closed);
    // Closed conversations are not offered to the queue.
    let arrivals = trace
        .iter()
        .filter(|(_, m)| matches!(m, Metric::Arrived { .. }))
        .count() as u64;
    assert_eq!(stats.totals[0].offered + closed, arrivals);
}

/// WH-1: one centre in Berlin serving two markets. The New York desk keeps New York hours
/// (09:00–17:00 there: 15:00–23:00 in Berlin in January), staffed by agents whose shifts are
/// New York's too; the Berlin desk keeps Berlin hours with Berlin agents.
const TWO_MARKETS: &str = r#"name = "two-markets"
start = "2026-01-05T00:00"            # a Monday; New York is 6 hours behind Berlin
time_zone = "Europe/Berlin"
duration_days = 5
seed = 12
replications = 1

[[channels]]
name = "chat"
kind = "live_chat"

[[working_hours]]
name = "berlin-office"
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]

[[working_hours]]
name = "new-york-office"
time_zone = "America/New_York"
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }]

[[queues]]
name = "berlin"
working_hours = "berlin-office"
handle_time = { dist = "exponential", mean_s = 300 }

[[queues]]
name = "new-york"
working_hours = "new-york-office"
handle_time = { dist = "exponential", mean_s = 300 }

[[agents]]
group = "berliners"
count = 3
queues = ["berlin"]
shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:30", end = "17:30" }]

[[agents]]
group = "new-yorkers"
time_zone = "America/New_York"
count = 3
queues = ["new-york"]
shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:30", end = "17:30" }]

[[arrivals]]
name = "de"
queue = "berlin"
channel = "chat"
rate_per_h = 10

[[arrivals]]
name = "us"
queue = "new-york"
channel = "chat"
rate_per_h = 10
"#;

#[test]
fn wh_1_queues_and_agents_keep_the_hours_of_their_own_time_zones() {
    let s = parse_toml(TWO_MARKETS);
    let spec = &s.centre;
    let (stats, trace) = Centre::new(spec.clone(), s.seed, 0)
        .with_invariant_checks()
        .run_traced();
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    let berlin_time = |at: u64| spec.calendar.local(at).time();
    let (mut berlin, mut new_york) = (0, 0);
    let (mut first_ny, mut last_ny) = (jiff::civil::Time::MAX, jiff::civil::Time::MIN);
    for &(at, metric) in &trace {
        if let Metric::Assigned { queue, .. } = metric {
            let t = berlin_time(at);
            if queue == 0 {
                berlin += 1;
                assert!(
                    t >= "09:00".parse().unwrap() && t < "17:00".parse().unwrap(),
                    "Berlin desk assigned at {t} Berlin time"
                );
            } else {
                new_york += 1;
                // New York's 09:00–17:00 is Berlin's 15:00–23:00 in January.
                assert!(
                    t >= "15:00".parse().unwrap() && t < "23:00".parse().unwrap(),
                    "New York desk assigned at {t} Berlin time"
                );
                first_ny = first_ny.min(t);
                last_ny = last_ny.max(t);
            }
        }
    }
    assert!(berlin > 100 && new_york > 100, "{berlin} {new_york}");
    // The New York backlog of the night goes at its opening, 15:00 in Berlin (AA-10).
    assert_eq!(first_ny, "15:00".parse().unwrap());
    assert!(last_ny > "22:00".parse().unwrap(), "{last_ny}");
}
