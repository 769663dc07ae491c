//! Issue 16, finding 6: staffing as planners' tools do it and beyond — per-queue inputs
//! weighted by each segment's share, agents serving several queues counted once, ASA and
//! maximum-occupancy targets, FTE, the scenario's interval length over any horizon, labels
//! that say where each figure came from, and `ccsim erlang` for the quick answer.

use std::process::Command;

use ccsim::plan::staff::{StaffOptions, Staffing, staff};
use ccsim::plan::staff_report;

use crate::common::parse_toml;

fn options() -> StaffOptions {
    StaffOptions {
        service_level: 0.8,
        confidence: 0.9,
        shrinkage: 0.25,
        asa_s: None,
        max_occupancy: None,
        fte_hours_per_week: 40.0,
        max_rounds: 2,
    }
}

/// One queue fed by calls (patience 150 s, 90/h, 300 s) and chats (patience 3,600 s, 10/h,
/// 600 s, two at once), and a second queue; `days` long, half-hour intervals. Group "both"
/// serves the two queues.
fn mixed(days: f64) -> String {
    format!(
        r#"name = "mixed"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = {days}
seed = 2
replications = 2
report_interval_min = 30

[capacity]
live_chat = 2

[[channels]]
name = "phone"
kind = "voice"

[[channels]]
name = "chat"
kind = "live_chat"

[[queues]]
name = "care"
service_level_s = 30
handle_time = {{ dist = "exponential", mean_s = 300 }}

[[queues]]
name = "sales"
service_level_s = 30
handle_time = {{ dist = "exponential", mean_s = 300 }}

[[agents]]
group = "care-only"
count = 4
queues = ["care"]

[[agents]]
group = "both"
count = 6
queues = ["care", "sales"]

[[arrivals]]
name = "calls"
queue = "care"
channel = "phone"
rate_per_h = 90
patience = {{ dist = "exponential", mean_s = 150 }}

[[arrivals]]
name = "chats"
queue = "care"
channel = "chat"
rate_per_h = 10
handle_time = {{ dist = "exponential", mean_s = 600 }}
patience = {{ dist = "exponential", mean_s = 3600 }}

[[arrivals]]
name = "sales-calls"
queue = "sales"
channel = "phone"
rate_per_h = 30
"#
    )
}

fn run(toml: &str, o: StaffOptions) -> Staffing {
    staff(&parse_toml(toml), o, 2, &|_, _| {}).unwrap()
}

#[test]
fn f6_patience_hold_and_concurrency_are_weighted_by_each_segments_share() {
    let s = run(&mixed(0.25), options());
    let cell = &s.cells[0][3];
    // Arrivals 90 and 10 per hour: patience (90·150 + 10·3600) / 100 = 495 s, not the
    // unweighted 1,875 s; hold (90·300 + 10·600) / 100 = 330 s.
    assert!((cell.patience_s.unwrap() - 495.0).abs() < 1e-6, "{cell:?}");
    assert!((cell.hold_s - 330.0).abs() < 1e-6, "{cell:?}");
    // Load 27,000 s of calls (one at a time) and 6,000 s of chats (two at a time).
    let k = (27_000.0 + 6_000.0 * 2.0) / 33_000.0;
    assert!((cell.concurrency - k).abs() < 1e-9, "{cell:?}");
}

#[test]
fn f6_each_channel_is_staffed_for_its_own_threshold_in_the_mix() {
    use ccsim::model::erlang::{ServiceLevelTarget, Target, Traffic, agents_for};
    // Care promises calls 30 s and chats 600 s; 40 chats an hour make the difference.
    let toml = mixed(0.25)
        .replace("rate_per_h = 10\n", "rate_per_h = 40\n")
        .replace(
            "service_level_s = 30\nhandle_time",
            "service_level_s = 30\nservice_level_s_by_channel = { chat = 600 }\nhandle_time",
        );
    let s = run(&toml, options());
    let cell = &s.cells[0][3];
    let traffic = Traffic {
        arrival_rate_per_s: cell.offered_per_h / 3600.0,
        service_rate_per_s: 1.0 / cell.hold_s,
        patience_rate_per_s: 1.0 / cell.patience_s.unwrap(),
        concurrency: cell.concurrency,
    };
    let agents = |thresholds_s: Vec<(f64, f64)>| {
        let target = Target {
            service_level: Some(ServiceLevelTarget {
                share: 0.8,
                thresholds_s,
            }),
            ..Target::default()
        };
        agents_for(&traffic, &target, 1000).unwrap()
    };
    // 90 calls an hour judged at 30 s, 40 chats at 600 s, in one first-come line.
    let mixed = agents(vec![(90.0, 30.0), (40.0, 600.0)]);
    let all_at_30 = agents(vec![(1.0, 30.0)]);
    assert!(mixed < all_at_30, "{mixed} vs {all_at_30}");
    assert_eq!(cell.erlang_agents, Some(mixed), "{cell:?}");
    // The queue's service level in the mix is the weighted mean at each threshold.
    let m = traffic
        .measures_mixed(mixed, &[(90.0, 30.0), (40.0, 600.0)])
        .unwrap();
    let at = |t: f64| traffic.measures(mixed, t).unwrap().service_level;
    assert!((m.service_level - (90.0 * at(30.0) + 40.0 * at(600.0)) / 130.0).abs() < 1e-12);
}

#[test]
fn f6_agents_serving_several_queues_are_counted_once() {
    let s = run(&mixed(0.25), options());
    for i in 0..s.interval_starts.len() {
        let shares: f64 = s.cells.iter().map(|row| row[i].roster_agents).sum();
        assert!((shares - 10.0).abs() < 1e-9, "interval {i}: {shares}");
        assert!((s.roster_total[i] - 10.0).abs() < 1e-9);
    }
    // care's load is about 90·300 + 10·600 = 33,000 s/h and sales' 9,000: the six shared
    // agents split about 33:9 (by the baseline's offered conversations), so care counts
    // about 4 + 6·33/42 ≈ 8.7 of the ten.
    let care = s.cells[0][2].roster_agents;
    assert!((7.5..9.8).contains(&care), "{care}");
    // The CSV's (all) row counts each agent once.
    let csv = staff_report::csv(&s);
    let all = csv.lines().find(|l| l.contains(",(all),")).unwrap();
    assert!(
        all.ends_with(&format!(
            ",10,{}",
            10 - (0..2).map(|q| s.scheduled(q, 0)).sum::<u32>() as i64
        )),
        "{all}"
    );
}

#[test]
fn f6_plans_past_a_week_in_the_scenarios_own_intervals() {
    let s = run(
        &mixed(9.0),
        StaffOptions {
            max_rounds: 1,
            ..options()
        },
    );
    assert_eq!(s.interval_min, 30);
    assert_eq!(s.interval_starts.len(), 9 * 48);
    assert_eq!(s.cells[0].len(), 9 * 48);
    // Day 9 is staffed like day 1: the dated shifts of the search reach it.
    let last = 8 * 48 + 20;
    assert!(s.cells[0][last].agents > 0 && s.cells[0][last].service_level > 0.0);
    assert!(
        s.interval_starts[last].starts_with("2026-01-13T10:00"),
        "{}",
        s.interval_starts[last]
    );
}

#[test]
fn f6_asa_and_max_occupancy_targets_raise_the_requirement_where_they_bind() {
    let base = run(&mixed(0.25), options());
    let strict = run(
        &mixed(0.25),
        StaffOptions {
            asa_s: Some(2.0),
            max_occupancy: Some(0.6),
            ..options()
        },
    );
    for i in 0..base.interval_starts.len() {
        let (b, s) = (&base.cells[0][i], &strict.cells[0][i]);
        assert!(s.erlang_agents >= b.erlang_agents, "{i}");
        // Occupancy ≤ 60 %: at least load / (k · 0.6) agents.
        let load = s.offered_per_h / 3600.0 * s.hold_s;
        let floor = (load / (s.concurrency * 0.6) - 1e-9).ceil() as u32;
        assert!(s.agents >= floor, "{i}: {} < {floor}", s.agents);
        assert!(s.erlang_agents.unwrap() >= floor);
    }
    assert!(strict.cells[0][3].erlang_agents > base.cells[0][3].erlang_agents);
    // ASA is judged and reported.
    assert!(strict.cells[0][3].asa_s.is_finite());
    assert!(strict.cells[0][3].asa_high_s >= strict.cells[0][3].asa_s);
}

#[test]
fn f6_fte_is_agent_hours_per_week_over_paid_hours() {
    let s = run(&mixed(0.25), options());
    for t in staff_report::totals(&s) {
        // 6 hours is 1/28 of a week.
        let want = t.simulated_h * 28.0 / 40.0;
        assert!(
            (t.fte - want).abs() < 1e-9,
            "{}: {} against {want}",
            t.queue,
            t.fte
        );
    }
    let table = staff_report::table(&s);
    assert!(table.contains("FTE") && table.contains("(all)"), "{table}");
}

#[test]
fn f6_the_page_says_where_each_figure_came_from_as_the_csv_does() {
    // Transfers make care's offered load simulated; its hold time stays the scenario's.
    let toml = mixed(0.25).replace(
        "name = \"sales\"\nservice_level_s = 30",
        "name = \"sales\"\nservice_level_s = 30\ntransfers = [{ to = \"care\", share = 0.1 }]",
    );
    let s = run(&toml, options());
    let csv = staff_report::csv(&s);
    assert!(
        csv.contains(",care,true,")
            && csv
                .lines()
                .any(|l| l.contains(",care,") && l.contains(",simulated,"))
    );
    let page = staff_report::html(&s);
    assert!(
        page.contains("offered load from the baseline simulation (offered_from = simulated)"),
        "care"
    );
    assert!(!page.contains("from the scenario (exact)"));
}

#[test]
fn f6_ccsim_erlang_gives_the_classic_worked_example() {
    // 100 calls in 30 minutes, 180 s, 80 % in 20 s: 14 agents (13 give 79.6 %).
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "erlang",
            "--volume",
            "100",
            "--interval-min",
            "30",
            "--aht-s",
            "180",
        ])
        .args(["--shrinkage", "0.3", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["model"], "Erlang C");
    assert_eq!(v["required_agents"], 14);
    assert_eq!(v["required_scheduled"], 20);
    let row = |n: u64| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agents"] == n)
            .unwrap()
            .clone()
    };
    assert!((row(13)["service_level"].as_f64().unwrap() - 0.796).abs() < 5e-4);
    assert!((row(14)["service_level"].as_f64().unwrap() - 0.888).abs() < 5e-4);
    assert!((row(14)["occupancy"].as_f64().unwrap() - 10.0 / 14.0).abs() < 1e-9);
    // With patience: Erlang A, and abandonment reported.
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "erlang",
            "--rate-per-h",
            "200",
            "--aht-s",
            "180",
            "--patience-s",
            "120",
        ])
        .args(["--agents", "11"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Erlang A"), "{text}");
    assert!(
        text.contains("← asked") || text.contains("← target"),
        "{text}"
    );
    // Bad input: exit 2 with the flag named.
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["erlang", "--aht-s", "180"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rate-per-h"));
}
