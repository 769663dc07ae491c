//! The bundled scenarios run and their results hold what the scenario says.

use std::path::Path;

use ccsim::model::arrival_rate::ArrivalRate;
use ccsim::report::stats::Estimate;
use ccsim::report::{intervals, summary::Summary};

use crate::common::interval_column as column;
use ccsim::scenario;

/// The commands a bundled scenario's header shows are commands `ccsim` takes: the large
/// centre's told users of a `--duration-days` flag that never existed.
#[test]
fn the_commands_in_scenario_headers_parse() {
    use clap::Parser;
    let mut checked = 0;
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            // A command line of a header comment: `#   ccsim …` or `#   target/release/ccsim …`.
            let Some(command) = line.strip_prefix('#').map(str::trim_start) else {
                continue;
            };
            let Some(rest) = ["ccsim ", "target/release/ccsim "]
                .iter()
                .find_map(|p| command.strip_prefix(p))
            else {
                continue;
            };
            if !line.starts_with("#  ") {
                continue; // prose that begins with the name, not an indented command
            }
            let words: Vec<&str> = rest
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .take_while(|w| *w != "&")
                .collect();
            let args = std::iter::once("ccsim").chain(words.iter().copied());
            if let Err(e) = ccsim::cli::Cli::try_parse_from(args) {
                panic!(
                    "{}:{}: `{}` is not a command: {e}",
                    path.display(),
                    i + 1,
                    command
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 8, "found only {checked} commands in the headers");
}

#[test]
fn every_bundled_scenario_is_valid() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let is_plan = path.to_string_lossy().ends_with(".sweep.toml");
        if path.extension().is_some_and(|e| e == "toml") && !is_plan {
            scenario::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    // The embedded copies are the files on disk.
    assert_eq!(
        scenario::QUICKSTART_TOML,
        std::fs::read_to_string("scenarios/quickstart.toml").unwrap()
    );
    assert_eq!(
        scenario::LIVE_DEMO_TOML,
        std::fs::read_to_string("scenarios/live-demo.toml").unwrap()
    );
}

#[test]
fn quickstart_offers_the_volume_its_profiles_add_up_to() {
    let s = scenario::quickstart().unwrap();
    // Expected arrivals in the week, straight from the file's numbers: hourly weekly profiles
    // add up per hour, the half-hourly daily profile per half hour for 7 days, the constant
    // segment for 168 hours. (January: no DST change in the week.)
    let expected: f64 = s
        .centre
        .segments
        .iter()
        .map(|seg| match &seg.rate {
            ArrivalRate::Constant { rate_per_h } => rate_per_h * 168.0,
            ArrivalRate::Profile(p) => {
                let hours = f64::from(p.interval_min) / 60.0;
                let days = if p.rates_per_h.len() == p.intervals_per_day() {
                    7.0
                } else {
                    1.0
                };
                p.rates_per_h.iter().sum::<f64>() * hours * days
            }
            ArrivalRate::Dated(_) => panic!("the quickstart has no dated forecast"),
        })
        .sum();
    let run = crate::common::run_checked(&s, 2);
    let all = run.scopes() - 1;
    // Nobody is closed outside hours (close_after_away = false): every arrival is offered,
    // and so is every new conversation of a customer who came back after a closed one.
    let est = Estimate::from_values(
        &run.values(all, |v| v.offered - v.conversation.came_back),
        0.999,
    );
    assert!(
        est.contains(expected),
        "offered {est:?}, expected {expected}"
    );

    let summary = Summary::new(&s, &run);
    let o = &summary.overall;
    // Messages outside the hours (nights, the holiday) get the away message (WH-3) and wait
    // for the morning's bulk assignment (AA-10): both happen, every day.
    assert!(
        o.away_messages.mean > 0.15 * o.offered.mean,
        "{:?}",
        o.away_messages
    );
    assert_eq!(o.closed_outside_hours.mean, 0.0);
    assert!(o.answered_by["bulk"].mean > 0.1 * o.answered.mean);
    assert!(o.answered_by["weighted"].mean > o.answered_by["bulk"].mean);
    // Live Messaging 3 + Live Chat 2 reaches the 90 % Full Capacity sum at 2 + 1 (ST-2).
    assert!(o.agent_hours_by_status["full_capacity"].mean > 100.0);
    // About 5 % of WhatsApp customers have no topic and land in Default (RT-4).
    let default = summary
        .routing
        .iter()
        .find(|r| r.route == "(default)")
        .unwrap();
    assert!(default.conversations.mean > 300.0 && default.queue == "Default");
}

#[test]
fn quickstart_intervals_follow_the_roster() {
    let mut s = scenario::quickstart().unwrap();
    s.replications = 2;
    let csv = intervals::render(&s, &crate::common::run_checked(&s, 1));
    let row = |start: &str, queue: &str| -> Vec<String> {
        csv.lines()
            .find(|l| l.starts_with(start) && l.split(',').nth(column("queue")) == Some(queue))
            .unwrap_or_else(|| panic!("no row {start} {queue}"))
            .split(',')
            .map(String::from)
            .collect()
    };
    let on_shift = |start: &str, queue: &str| {
        row(start, queue)[column("agents_on_shift")]
            .parse::<f64>()
            .unwrap()
    };
    // Monday 10:00: sales-early 4 + support-early 5 + floaters 2.
    assert_eq!(on_shift("2026-01-05T10:00+01:00", "(all)"), 11.0);
    assert_eq!(on_shift("2026-01-05T10:00+01:00", "sales"), 6.0);
    // Monday 03:00: nobody. Saturday 12:00: the weekend team of 3.
    assert_eq!(on_shift("2026-01-05T03:00+01:00", "(all)"), 0.0);
    assert_eq!(on_shift("2026-01-10T12:00+01:00", "(all)"), 3.0);
    // Tuesday 6 January is a holiday: the agents take it off with the queues (holidays_from).
    assert_eq!(on_shift("2026-01-06T10:00+01:00", "(all)"), 0.0);
    assert_eq!(on_shift("2026-01-07T10:00+01:00", "(all)"), 11.0);
    // Monday 15:30–16:00: sales-early leave at 16:00, so the full half hour has 4 + 4 + 2.
    assert_eq!(on_shift("2026-01-05T15:30+01:00", "sales"), 10.0);
}

#[test]
fn wfm_export_reads_its_csv_files_and_keeps_local_time_across_dst() {
    let s = scenario::load(Path::new("scenarios/wfm-export.toml")).unwrap();
    let csv = intervals::render(&s, &crate::common::run_checked(&s, 2));
    let labels: Vec<&str> = csv
        .lines()
        .skip(1)
        .step_by(2)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    // Europe/London skips 01:00–02:00 on 2026-03-29: consecutive 30-minute intervals.
    let i = labels
        .iter()
        .position(|l| *l == "2026-03-29T00:30+00:00")
        .unwrap();
    assert_eq!(labels[i + 1], "2026-03-29T02:00+01:00");
    // Shifts are local: on Monday 30 March (summer time) the day shift is on from 07:30.
    let on_shift = |label: &str| -> f64 {
        let line = csv.lines().find(|l| l.starts_with(label)).unwrap();
        line.split(',')
            .nth(column("agents_on_shift"))
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(on_shift("2026-03-30T07:00+01:00"), 0.0);
    assert_eq!(on_shift("2026-03-30T07:30+01:00"), 4.0);
    assert_eq!(on_shift("2026-03-30T14:00+01:00"), 6.0);
}

#[test]
fn a_json_scenario_runs_exactly_like_its_toml_twin() {
    let value: toml::Value = toml::from_str(scenario::QUICKSTART_TOML).unwrap();
    let json = serde_json::to_string_pretty(&value).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quickstart.json");
    std::fs::write(&path, json).unwrap();
    let mut from_json = scenario::load(&path).unwrap();
    let mut from_toml = scenario::quickstart().unwrap();
    from_json.replications = 2;
    from_toml.replications = 2;
    let render = |s: &scenario::Scenario| {
        let run = crate::common::run_checked(s, 1);
        (
            serde_json::to_string(&Summary::new(s, &run)).unwrap(),
            intervals::render(s, &run),
        )
    };
    assert_eq!(render(&from_json), render(&from_toml));
}

#[test]
fn whatsapp_support_shows_its_policies_at_work() {
    let mut s = scenario::load(Path::new("scenarios/whatsapp-support.toml")).unwrap();
    s.replications = 3;
    let summary = Summary::new(&s, &crate::common::run_checked(&s, 2));
    let o = &summary.overall;
    let c = &o.conversations;
    // The 24-hour workflow closes silent customers' conversations; its last message always
    // fails: 24 hours after the agent's reply the customer's window (WIN-1) has closed.
    let closer = &summary.workflows[0];
    assert!(closer.runs.mean > 500.0);
    assert_eq!(c.workflows.closed.mean, closer.runs.mean);
    assert_eq!(c.workflows.messages.mean, 0.0);
    assert_eq!(c.workflows.messages_failed.mean, closer.runs.mean);
    // The SLA counts in working hours and ignores automated messages: first responses mostly
    // in time, resolution breached by the conversations left in Waiting for a day.
    let sla = &o.sla;
    assert!(sla.first_response_compliance.mean > 0.9);
    assert!(sla.resolution_compliance.mean < 0.9);
    assert_eq!(summary.sla_policies[0].severity, "default");
    // Waiting customers heard from the strategy; surveys went out at most once a fortnight.
    assert!(c.welcome_messages.mean > 100.0);
    assert!(c.surveys.mean > 1000.0 && c.surveys.mean < c.solved.mean);
}

#[test]
fn large_centre_is_the_quickstart_at_45_times_its_size() {
    let small = ccsim::scenario::load("scenarios/quickstart.toml".as_ref()).unwrap();
    let large = ccsim::scenario::load("scenarios/large-centre.toml".as_ref()).unwrap();
    let (s, l) = (&small.centre, &large.centre);
    assert_eq!(l.agents.len(), 45 * s.agents.len());
    assert_eq!(l.queues.len(), s.queues.len());
    assert_eq!(large.replications, 1);
    for (a, b) in s.segments.iter().zip(&l.segments) {
        let week_ms = 7 * 24 * 3_600_000;
        let small_n = a.rate.expected_arrivals(&s.calendar, 0, week_ms);
        let large_n = b.rate.expected_arrivals(&l.calendar, 0, week_ms);
        assert!(
            (large_n / small_n - 45.0).abs() < 1e-9,
            "{small_n} {large_n}"
        );
    }
}
