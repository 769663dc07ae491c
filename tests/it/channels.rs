//! Issue 16, findings 1 and 9: a queue that takes calls and chats keeps each channel's figures
//! apart, each against its own threshold (`service_level_s_by_channel`).

use ccsim::report::summary::Summary;

use crate::common::{parse_toml, run_checked};

fn shared_queue(by_channel: &str) -> String {
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
