//! Waiting strategies end to end (WS-1..6, WH-4). The invariant checker watches every step:
//! strategies start only on entering a queue inside its hours, send nothing after the
//! assignment, announce within the first hour and the count, close at the maximum wait.

use ccsim::report::intervals;
use ccsim::report::summary::Summary;
use ccsim::scenario::Scenario;
use ccsim::sim::centre::Centre;

use ccsim::actors::Metric;
use ccsim::model::waiting_strategy::StrategyStep;

use crate::common::interval_column as column;
use crate::common::{parse_toml, run_checked};

/// Two agents of capacity 2 against 40 chats an hour of 5 minutes (about 3.3 erlangs on 4
/// slots, so people wait), customers who never give up, and the strategy `STRATEGY`.
const OVERLOADED: &str = r#"name = "waiting"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 3
replications = 3
HOURS

[[channels]]
name = "wa"
kind = "KIND"

[capacity]
live_messaging = 2

[[queues]]
name = "desk"
handle_time = { dist = "exponential", mean_s = 300 }
QUEUE_HOURS

[[agents]]
group = "team"
count = AGENTS
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = RATE

[[waiting_strategies]]
name = "desk"
channels = ["wa"]
STRATEGY
"#;

fn waiting(strategy: &str) -> Scenario {
    parse_toml(
        &OVERLOADED
            .replace("STRATEGY", strategy)
            .replace("KIND", "whatsapp")
            .replace("AGENTS", "2")
            .replace("RATE", "48")
            .replace("QUEUE_HOURS", "")
            .replace("HOURS", ""),
    )
}

fn summary(s: &Scenario) -> Summary {
    Summary::new(s, &run_checked(s, 2))
}

#[test]
fn ws_4_the_maximum_wait_closes_conversations_and_nobody_waits_longer() {
    let s =
        waiting("welcome = true\nannouncements = { every_s = 300, count = 2 }\nmax_wait_min = 20");
    let run = run_checked(&s, 2);
    let m = Summary::new(&s, &run).overall;
    let c = &m.conversations;
    assert!(
        c.closed_by_max_wait.mean > 20.0,
        "{}",
        c.closed_by_max_wait.mean
    );
    // WS-2: one welcome per strategy; WS-3: at most two announcements each.
    assert_eq!(c.welcome_messages.mean, c.waiting_strategies_started.mean);
    assert!(c.announcements.mean <= 2.0 * c.waiting_strategies_started.mean);
    assert!(c.announcements.mean > c.closed_by_max_wait.mean);
    // Every customer is answered, closed by the strategy or still waiting at the end.
    let settled = m.answered.mean + c.closed_by_max_wait.mean + s_waiting_at_end(&s, &run);
    assert!((m.offered.mean - settled).abs() < 1e-9);
    // Nobody answered waited past the maximum wait (p99 of the answered waits).
    assert!(
        m.wait_p99_s.mean <= 20.0 * 60.0 + 1.0,
        "{}",
        m.wait_p99_s.mean
    );
    // The per-interval CSV counts the closures under their arrival intervals.
    let csv = intervals::render(&s, &run);
    let col = intervals::HEADER
        .split(',')
        .position(|c| c == "closed_by_strategy_per_rep")
        .unwrap();
    let total: f64 = csv
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(column("queue")) == Some("(all)"))
        .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
        .sum();
    // (Rows are rounded to three decimals.)
    assert!((total - c.closed_by_max_wait.mean).abs() < 0.05, "{total}");
}

fn s_waiting_at_end(s: &Scenario, run: &ccsim::report::aggregate::RunAggregate) -> f64 {
    Summary::new(s, run).waiting_at_end.mean
}

#[test]
fn ws_5_without_a_maximum_wait_the_strategy_falls_silent_after_an_hour() {
    // Heavier overload: waits run past an hour.
    let s = parse_toml(
        &OVERLOADED
            .replace("STRATEGY", "announcements = { every_s = 600 }")
            .replace("KIND", "whatsapp")
            .replace("AGENTS", "2")
            .replace("RATE", "60")
            .replace("QUEUE_HOURS", "")
            .replace("HOURS", ""),
    );
    let c = summary(&s).overall.conversations;
    assert!(
        c.strategies_silenced.mean > 10.0,
        "{}",
        c.strategies_silenced.mean
    );
    assert_eq!(c.closed_by_max_wait.mean, 0.0);
    assert_eq!(c.welcome_messages.mean, 0.0);
    // Six announcements at most (10, 20 … 60 min).
    assert!(c.announcements.mean <= 6.0 * c.waiting_strategies_started.mean);
}

#[test]
fn ws_1_a_conversation_assigned_at_once_gets_no_strategy() {
    // Plenty of agents: nobody waits, so no strategy ever starts.
    let s = parse_toml(
        &OVERLOADED
            .replace("STRATEGY", "welcome = true")
            .replace("KIND", "whatsapp")
            .replace("AGENTS", "20")
            .replace("RATE", "12")
            .replace("QUEUE_HOURS", "")
            .replace("HOURS", ""),
    );
    let m = summary(&s).overall;
    assert_eq!(m.p_wait.mean, 0.0);
    assert_eq!(m.conversations.waiting_strategies_started.mean, 0.0);
}

#[test]
fn wh_4_no_waiting_strategy_starts_outside_working_hours() {
    let s = parse_toml(
        &OVERLOADED
            .replace("STRATEGY", "welcome = true\nmax_wait_min = 45")
            .replace("KIND", "whatsapp")
            .replace("AGENTS", "2")
            .replace("RATE", "20")
            .replace("QUEUE_HOURS", "working_hours = \"office\"")
            .replace(
                "HOURS",
                r#"
[[working_hours]]
name = "office"
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00" }]
away_message = true
"#,
            ),
    );
    // The checker fails any strategy started outside the hours; here is the other half: the
    // customers of the night got the away message and no strategy, so only daytime arrivals
    // that had to wait started one, and the maximum wait closed none of the night's.
    let m = summary(&s).overall;
    assert!(m.away_messages.mean > 250.0, "{}", m.away_messages.mean);
    let started = m.conversations.waiting_strategies_started.mean;
    assert!(started > 0.0 && started < m.offered.mean - m.away_messages.mean);
}

#[test]
fn ws_6_voice_announces_the_callers_position_and_drops_at_the_maximum_wait() {
    let s = parse_toml(
        &OVERLOADED
            .replace(
                "STRATEGY",
                "welcome = true\nhold_music = true\nannouncements = { every_s = 120, position_in_queue = true }\nmax_wait_min = 90",
            )
            .replace("KIND", "voice")
            .replace("AGENTS", "3")
            .replace("RATE", "40")
            .replace("[capacity]\nlive_messaging = 2", "")
            .replace("QUEUE_HOURS", "")
            .replace("HOURS", ""),
    );
    let mut centre = Centre::new(s.centre.clone(), s.seed, 0).with_invariant_checks();
    centre.enable_trace();
    let (stats, trace) = centre.run_traced();
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    let mut longest_line = 0;
    let mut positions = Vec::new();
    for (_, metric) in &trace {
        match *metric {
            Metric::QueueLength { len, .. } => longest_line = longest_line.max(len),
            Metric::StrategyStep {
                step: StrategyStep::Announcement { .. },
                position,
                ..
            } => positions.push(position.expect("voice announcements state the position")),
            _ => {}
        }
    }
    assert!(!positions.is_empty());
    assert!(positions.iter().all(|&p| p >= 1 && p <= longest_line));
    // Announcements past the first hour: voice has no one-hour limit.
    assert!(positions.len() > 30, "{}", positions.len());
}
