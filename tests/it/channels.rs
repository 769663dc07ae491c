//! Issue 16, findings 1 and 9: a queue that takes calls and chats keeps each channel's figures
//! apart, each against its own threshold (`service_level_s_by_channel`).

use ccsim::report::summary::Summary;

use crate::common::{parse_toml, run_checked};

fn shared_queue(by_channel: &str) -> String {
    shared_queue_with(by_channel, "")
}

fn shared_queue_with(by_channel: &str, shift: &str) -> String {
    format!(
        r#"name = "shared"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 1
seed = 4
replications = 3

[capacity]
live_messaging = 2

[[channels]]
name = "phone"
kind = "voice"

[[channels]]
name = "wa"
kind = "whatsapp"

[[queues]]
name = "care"
service_level_s = 20
handle_time = {{ dist = "exponential", mean_s = 240 }}
{by_channel}

[[agents]]
group = "a"
count = 4
queues = ["care"]
{shift}

[[arrivals]]
name = "calls"
queue = "care"
channel = "phone"
rate_per_h = 60
patience = {{ dist = "exponential", mean_s = 120 }}

[[arrivals]]
name = "chats"
queue = "care"
channel = "wa"
rate_per_h = 110
"#
    )
}

#[test]
fn f9_each_channel_of_a_queue_is_judged_against_its_own_threshold() {
    let plain = parse_toml(&shared_queue(""));
    let split = parse_toml(&shared_queue("service_level_s_by_channel = { wa = 300 }"));
    let (a, b) = (run_checked(&plain, 2), run_checked(&split, 2));
    let (sa, sb) = (Summary::new(&plain, &a), Summary::new(&split, &b));
    let (qa, qb) = (&sa.queues[0].measures, &sb.queues[0].measures);
    // Both channels are reported, and their offered add up to the queue's.
    assert_eq!(qa.channels.len(), 2);
    let names: Vec<&str> = qb.channels.iter().map(|c| c.channel).collect();
    assert_eq!(names, ["voice", "whatsapp"]);
    let offered: f64 = qb.channels.iter().map(|c| c.offered.mean).sum();
    assert!((offered - qb.offered.mean).abs() < 1e-9);
    // The same customers wait the same (a threshold changes no one's wait): calls are judged
    // alike, chats against 300 s instead of 20 s.
    assert_eq!(
        qa.channels[0].service_level.mean,
        qb.channels[0].service_level.mean
    );
    assert_eq!(qb.channels[0].threshold_s, Some(20.0));
    assert_eq!(qb.channels[1].threshold_s, Some(300.0));
    assert!(qb.channels[1].service_level.mean > qa.channels[1].service_level.mean);
    // The queue's own service level counts each customer against its channel's threshold.
    assert!(qb.service_level.mean > qa.service_level.mean);
    // Only calls abandon here.
    assert_eq!(qb.channels[1].abandon_rate.mean, 0.0);
    // The terminal table shows them.
    let table = ccsim::report::table::render(&sb);
    assert!(
        table.contains("care by channel, all hours: voice"),
        "{table}"
    );
    assert!(table.contains("within 300 s"), "{table}");
}

#[test]
fn f9_a_threshold_for_a_channel_the_scenario_does_not_have_is_located() {
    let text = shared_queue("service_level_s_by_channel = { sms = 60 }");
    let err = ccsim::scenario::parse(
        &text,
        ccsim::scenario::locate::Format::Toml,
        std::path::Path::new("test.toml"),
        &ccsim::scenario::input_file::FileRoot::strict(std::path::Path::new(".")),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.contains("queues[0].service_level_s_by_channel.sms"),
        "{err}"
    );
    assert!(
        err.contains("unknown channel 'sms': expected one of phone, wa"),
        "{err}"
    );
}

/// The shared queue with 12 agents on shift 08:00-16:00 only: calls and chats keep arriving
/// at night.
fn day_shift() -> String {
    shared_queue_with(
        "service_level_s_by_channel = { wa = 300 }",
        r#"shift = [{ days = ["mon", "tue", "wed", "thu", "fri"], start = "08:00", end = "16:00" }]"#,
    )
    .replace("count = 4", "count = 12")
}

#[test]
fn f1_each_channel_also_has_figures_over_the_hours_the_queue_was_open() {
    let scenario = parse_toml(&day_shift());
    let run = run_checked(&scenario, 2);
    let summary = Summary::new(&scenario, &run);
    let q = &summary.queues[0].measures;
    // Open 8 of 24 hours: each channel's open-hours offered is about a third of all hours,
    // and the open figures add up to the queue's open figures.
    let open_offered: f64 = q.channels.iter().map(|c| c.open_hours.offered.mean).sum();
    assert!((open_offered - q.open_hours.offered.mean).abs() < 1e-9);
    for c in &q.channels {
        let third = c.open_hours.offered.mean / c.offered.mean;
        assert!((0.2..0.5).contains(&third), "{}: {third}", c.channel);
        // At night calls go unanswered and abandon; while open they are served.
        assert!(
            c.open_hours.service_level.mean > c.service_level.mean,
            "{}: open {} all {}",
            c.channel,
            c.open_hours.service_level.mean,
            c.service_level.mean
        );
    }
    let voice = &q.channels[0];
    assert!(voice.open_hours.abandon_rate.mean < voice.abandon_rate.mean);
    // The table prints both, while open first.
    let table = ccsim::report::table::render(&summary);
    let open_at = table.find("care by channel, while open: voice").unwrap();
    let all_at = table.find("care by channel, all hours: voice").unwrap();
    assert!(open_at < all_at, "{table}");
    // summary.json carries them.
    let json = serde_json::to_value(&summary).unwrap();
    assert!(json["queues"][0]["channels"][1]["open_hours"]["service_level"]["mean"].is_number());
}

#[test]
fn f1_intervals_by_channel_add_up_to_intervals_csv() {
    let scenario = parse_toml(&day_shift());
    let run = run_checked(&scenario, 2);
    let by_queue = ccsim::report::intervals::render(&scenario, &run);
    let mut by_channel = Vec::new();
    ccsim::report::channel_intervals::write(&scenario, &run, &mut by_channel).unwrap();
    let by_channel = String::from_utf8(by_channel).unwrap();
    let header: Vec<&str> = by_channel.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (start, queue, channel, threshold, offered, sl) = (
        col("start_ms"),
        col("queue"),
        col("channel"),
        col("threshold_s"),
        col("offered_per_rep"),
        col("service_level"),
    );
    // Σ channels' offered per (interval, scope) = intervals.csv's offered.
    let mut sums = std::collections::BTreeMap::<(String, String), f64>::new();
    let mut rows = 0;
    for line in by_channel.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        rows += 1;
        *sums
            .entry((cells[start].to_string(), cells[queue].to_string()))
            .or_default() += cells[offered].parse::<f64>().unwrap();
        // Each channel is judged against its own threshold in the queue.
        let expected = match (cells[queue], cells[channel]) {
            ("(all)", _) => "",
            (_, "voice") => "20",
            (_, "whatsapp") => "300",
            other => panic!("unexpected row {other:?}"),
        };
        assert_eq!(cells[threshold], expected, "{line}");
        if let Ok(v) = cells[sl].parse::<f64>() {
            assert!((0.0..=1.0).contains(&v), "{line}");
        }
    }
    // 48 intervals of 30 minutes × 2 scopes × 2 channels.
    assert_eq!(rows, 48 * 2 * 2);
    let (q_start, q_queue, q_offered) = (
        crate::common::interval_column("start_ms"),
        crate::common::interval_column("queue"),
        crate::common::interval_column("offered_per_rep"),
    );
    for line in by_queue.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let key = (cells[q_start].to_string(), cells[q_queue].to_string());
        let want: f64 = cells[q_offered].parse().unwrap();
        let got = sums.get(&key).copied().unwrap_or(0.0);
        assert!((got - want).abs() < 0.01, "{key:?}: {got} vs {want}");
    }
}
