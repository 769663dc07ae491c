//! `ccsim load` against the reference bot on loopback, and against broken systems: every run
//! is a couple of seconds, finishes, accounts for every message across the HTTP boundary, and
//! reports what was lost or late by cause.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccsim::live::bot_server::{BotServerConfig, Faults, start};
use ccsim::live::load::Threshold;
use ccsim::live::load::{LoadConfig, LoadReport, run_load};
use ccsim::live::mock::{DEFAULT_KEY, MockConfig};
use ccsim::live::webhook::WebhookPolicy;
use ccsim::model::centre::CentreSpec;

use crate::common::{free_port, parse_toml, whatsapp_load};

/// WhatsApp customers, 2 an (accelerated) second, meet a fast bot first.
const SCENARIO: &str = r#"name = "live-load"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1
seed = 3

[[channels]]
name = "wa"
kind = "whatsapp"
agent_reply = { dist = "constant", value_s = 60 }

[[queues]]
name = "desk"

[[agents]]
group = "team"
count = 1
queues = ["desk"]

[[arrivals]]
name = "wa"
queue = "desk"
channel = "wa"
rate_per_h = 7200
patience = { dist = "constant", value_s = 600 }
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 0.2 } }

[bot]
name = "ai"
channels = ["wa"]
debounce_s = 0.02
reply = { dist = "constant", value_s = 0.02 }
turns = { dist = "constant", value = 2 }
outcomes = [{ resolve_share = 0.6, handoff_share = 0.4 }]
"#;

fn spec() -> Arc<CentreSpec> {
    parse_toml(SCENARIO).centre
}

fn load_config(mock: SocketAddr, target: SocketAddr, policy: WebhookPolicy) -> LoadConfig {
    let base = whatsapp_load(spec(), 3, 1.0, (1_500, 1_000), 0);
    LoadConfig {
        target: Some(format!("http://{target}/webhook")),
        listen: mock,
        // The reference bot starts beside the load: the first customer waits until it listens
        // (a test without one waits this long for nothing).
        wait_for_target_ms: 3_000,
        mock: MockConfig {
            webhook: policy,
            ..base.mock
        },
        ..base
    }
}

fn quick() -> WebhookPolicy {
    WebhookPolicy {
        timeout_ms: 300,
        redeliveries: 0,
        ..WebhookPolicy::default()
    }
}

/// Runs a load at `target`, with the reference bot there when `bot` gives its faults.
async fn run(bot: Option<Faults>, policy: WebhookPolicy) -> LoadReport {
    let (mock, target) = (free_port(), free_port());
    let config = load_config(mock, target, policy);
    let thresholds = [Threshold::parse("unanswered_rate < 0.05").unwrap()];
    let load = actix_web::rt::spawn(async move {
        run_load(&config, &thresholds, "live-load")
            .await
            .map(|(r, _)| r)
    });
    let mut handle = None;
    if let Some(faults) = bot {
        let c = BotServerConfig {
            spec: spec(),
            platform: format!("http://{mock}"),
            api_key: DEFAULT_KEY.into(),
            seed: 1,
            faults,
            api_timeout_ms: 2_000,
            connect_retry_ms: 5_000,
            stop_on_signal: true,
        };
        let (server, _, _) = start(c, target, false).await.unwrap();
        handle = Some(server.handle());
        actix_web::rt::spawn(server);
    }
    let started = Instant::now();
    let report = load.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "bounded in time"
    );
    if let Some(h) = handle {
        h.stop(false).await;
    }
    report
}

/// Every inbound message was delivered, or its delivery failed with a cause; duplicates are
/// deliveries of their own.
fn conserved(r: &LoadReport) {
    let deliveries: u64 = r.deliveries.by_outcome.values().sum();
    assert_eq!(
        deliveries,
        r.load.inbound + r.deliveries.duplicates,
        "{:?}",
        r.deliveries
    );
}

#[actix_web::test]
async fn a_healthy_bot_answers_every_message_and_the_run_passes() {
    let r = run(Some(Faults::default()), quick()).await;
    conserved(&r);
    assert!(r.load.conversations >= 2, "{:?}", r.load);
    assert_eq!(
        r.deliveries.by_outcome.get("delivered").copied(),
        Some(r.load.inbound)
    );
    assert_eq!(r.load.unanswered, 0, "{:?}", r.load);
    assert!(
        r.load.replies > 0 && r.load.reply_p50_ms >= 40,
        "debounce + reply: {:?}",
        r.load
    );
    assert!(r.api.by_endpoint.keys().any(|k| k.contains("/messages")));
    // BOT-3: what the bot hands over meets the scenario's queue and agent, live.
    assert!(r.load.handoffs > 0, "{:?}", r.load);
    assert_eq!(r.humans.handed_over, r.load.handoffs, "{:?}", r.humans);
    assert!(r.humans.answered > 0, "{:?}", r.humans);
    assert!(r.passed);
}

#[actix_web::test]
async fn a_system_refusing_connections_loses_every_message_as_unreachable() {
    let r = run(None, quick()).await;
    conserved(&r);
    assert!(r.load.inbound > 0);
    assert_eq!(
        r.deliveries.by_outcome.get("unreachable").copied(),
        Some(r.load.inbound)
    );
    assert_eq!(r.load.unanswered, r.load.inbound);
    assert!((r.webhook_error_rate - 1.0).abs() < 1e-9);
    assert!(!r.passed, "the threshold catches it");
}

#[actix_web::test]
async fn a_system_answering_500_is_reported_by_status_and_redelivered_when_asked() {
    let faults = Faults {
        error_share: 1.0,
        ..Faults::default()
    };
    let r = run(
        Some(faults),
        WebhookPolicy {
            redeliveries: 1,
            backoff_ms: 10,
            ..quick()
        },
    )
    .await;
    conserved(&r);
    assert_eq!(
        r.deliveries.by_outcome.get("http_500").copied(),
        Some(r.load.inbound)
    );
    assert_eq!(
        r.deliveries.redeliveries, r.load.inbound,
        "one redelivery each"
    );
    assert!(!r.passed);
}

#[actix_web::test]
async fn a_slow_system_times_out_and_its_messages_count_as_late_or_lost() {
    let faults = Faults {
        slow_ms: 600,
        ..Faults::default()
    };
    let r = run(Some(faults), quick()).await;
    conserved(&r);
    // Conversations under way go on through the grace period (only arrivals stop, as a
    // graceful stop does): a message written in its last 300 ms is still being delivered
    // when the run ends, and counted as such.
    let outcome = |k: &str| r.deliveries.by_outcome.get(k).copied().unwrap_or(0);
    assert!(outcome("timeout") > 0, "{:?}", r.deliveries);
    assert_eq!(
        outcome("timeout") + outcome(ccsim::live::load::IN_FLIGHT_AT_END),
        r.load.inbound,
        "{:?}",
        r.deliveries
    );
}

#[actix_web::test]
async fn bot_5_duplicated_deliveries_are_answered_once_by_the_reference_bot() {
    let r = run(
        Some(Faults::default()),
        WebhookPolicy {
            duplicate_share: 1.0,
            duplicate_delay_ms: 5,
            ..quick()
        },
    )
    .await;
    conserved(&r);
    assert_eq!(r.deliveries.duplicates, r.load.inbound);
    assert_eq!(r.load.duplicates_answered_twice, 0, "{:?}", r.load);
    assert_eq!(r.load.unanswered, 0);
}

/// The reference bot as its own process, told to die a second into the run (`--crash-after-s`):
/// what it received before is answered, what comes after cannot be delivered, and the harness
/// still finishes on time and accounts for every message by cause.
#[actix_web::test]
async fn a_system_killed_mid_run_leaves_its_later_messages_unreachable_and_the_run_ends() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live-load.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let (mock, target) = (free_port(), free_port());
    let mut config = load_config(mock, target, quick());
    config.duration_ms = 3_000;
    // The bot process reaches the mock, then listens: customers wait for it.
    config.wait_for_target_ms = 5_000;
    let mut bot = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "bot",
            file.to_str().unwrap(),
            "--listen",
            &target.to_string(),
        ])
        .args(["--platform", &format!("http://{mock}")])
        .args(["--connect-retry-s", "5", "--crash-after-s", "1.5"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let thresholds = [Threshold::parse("unanswered_rate < 0.05").unwrap()];
    let (r, _) = run_load(&config, &thresholds, "live-load").await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "bounded in time"
    );
    let status = bot.wait().unwrap();
    assert_eq!(status.code(), Some(3), "the bot crashed as told");
    conserved(&r);
    let delivered = r
        .deliveries
        .by_outcome
        .get("delivered")
        .copied()
        .unwrap_or(0);
    let lost = r
        .deliveries
        .by_outcome
        .get("unreachable")
        .copied()
        .unwrap_or(0)
        + r.deliveries.by_outcome.get("timeout").copied().unwrap_or(0);
    assert!(
        delivered > 0,
        "the bot answered before it died: {:?}",
        r.deliveries
    );
    assert!(
        lost > 0,
        "and could not be reached after: {:?}",
        r.deliveries
    );
    assert_eq!(delivered + lost, r.load.inbound, "{:?}", r.deliveries);
    assert!(r.load.replies > 0);
    assert!(r.load.unanswered >= lost, "{:?}", r.load);
    assert!(!r.passed, "the threshold catches the lost messages");
}

/// `ccsim demo`'s loop, shortened: the bundled live-demo scenario against the reference bot in
/// this process. Its `[load]` section carries the thresholds the demo checks.
#[actix_web::test]
async fn the_demo_runs_the_bundled_scenario_against_the_reference_bot_end_to_end() {
    let s = ccsim::scenario::live_demo().unwrap();
    assert_eq!(s.load.compress, Some(60.0));
    assert!(
        s.load
            .thresholds
            .iter()
            .any(|t| t.figure == "unanswered_rate")
    );
    let mut config = load_config(free_port(), free_port(), WebhookPolicy::default());
    config.spec = s.centre.clone();
    config.compress = 60.0;
    config.duration_ms = 3_000;
    config.grace_ms = 3_000;
    config.mock.inbound_bot = Some((
        "assistant".into(),
        vec!["WHATSAPP".into(), "LIVE_CHAT".into()],
    ));
    config.mock.bots = vec!["assistant".into()];
    let started = Instant::now();
    let (r, _) = ccsim::live::load::run_with_reference_bot(
        config,
        s.load.thresholds.clone(),
        s.name.clone(),
        free_port(),
    )
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(15));
    conserved(&r);
    assert!(r.load.conversations >= 5, "{:?}", r.load);
    assert!(
        r.load.replies > 0 && r.load.handoffs + r.load.closed > 0,
        "{:?}",
        r.load
    );
    assert_eq!(r.humans.handed_over, r.load.handoffs, "{:?}", r.humans);
    assert_eq!(r.thresholds.len(), s.load.thresholds.len());
    assert!(
        r.api
            .by_endpoint
            .contains_key("POST /ccaas/1/conversations/{id}/messages")
    );
}
