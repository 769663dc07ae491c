//! The reference system under test (`ccsim bot`) against the mock (`ccsim mock`), both on
//! loopback in this process: the bot hears the account webhook, replies with Create Message,
//! hands over with unassign, tag, note and route (BOT-3), and refuses to start with a wrong
//! key or base URL (BOT-11). Every wait is bounded.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use ccsim::live::bot_server::{BotServerConfig, BotStartError, Faults, start};
use ccsim::live::mock::{DEFAULT_KEY, MockConfig, serve};

use crate::common::parse_toml;

const SCENARIO: &str = r#"name = "live-bot"
start = "2026-03-02T00:00"
time_zone = "UTC"
duration_days = 1

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
rate_per_h = 10
conversation = { exchanges = { dist = "constant", value = 2 }, think = { dist = "constant", value_s = 30 } }

[bot]
name = "ai"
channels = ["wa"]
debounce_s = 0.05
reply = { dist = "constant", value_s = 0.05 }
turns = { dist = "constant", value = 2 }
outcomes = [{ resolve_share = 0.5, handoff_share = 0.5 }]
"#;

const KEY: &str = "App ccsim-local-key";

fn config(platform: SocketAddr, key: &str) -> BotServerConfig {
    BotServerConfig {
        spec: parse_toml(SCENARIO).centre,
        platform: format!("http://{platform}"),
        api_key: key.to_string(),
        seed: 7,
        faults: Faults::default(),
        api_timeout_ms: 2_000,
        connect_retry_ms: 0,
        stop_on_signal: true,
    }
}

async fn api(client: &awc::Client, method: &str, url: String, body: Option<Value>) -> Value {
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    let req = client
        .request(method, url)
        .insert_header(("authorization", KEY))
        .insert_header(("content-type", "application/json"));
    let mut resp = match body {
        Some(b) => req.send_body(b.to_string()).await.unwrap(),
        None => req.send().await.unwrap(),
    };
    serde_json::from_slice(&resp.body().await.unwrap()).unwrap_or(Value::Null)
}

/// Polls the conversation's messages until `n` are there (at most 10 s).
async fn messages(client: &awc::Client, base: &str, conv: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = api(
            client,
            "GET",
            format!("{base}/ccaas/1/conversations/{conv}/messages?limit=50"),
            None,
        )
        .await;
        let got = page["messages"].as_array().cloned().unwrap_or_default();
        if got.len() >= n || Instant::now() > deadline {
            return got;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn bot_3_the_reference_bot_answers_through_the_api_and_hands_over_in_four_calls() {
    let mock = MockConfig {
        inbound_bot: Some(("ai".into(), vec!["WHATSAPP".into()])),
        ..MockConfig::default()
    };
    let (server, platform) = serve(&mock, "127.0.0.1:0".parse().unwrap(), false).unwrap();
    let mock_handle = server.handle();
    actix_web::rt::spawn(server);
    let (bot, _, stats) = start(
        config(platform, DEFAULT_KEY),
        "127.0.0.1:0".parse().unwrap(),
        true,
    )
    .await
    .unwrap();
    let bot_handle = bot.handle();
    actix_web::rt::spawn(bot);
    let client = awc::Client::default();
    let base = format!("http://{platform}");
    let say = |text: &str| json!({ "channel": "WHATSAPP", "from": "447700", "to": "385100", "text": text });
    let first = api(
        &client,
        "POST",
        format!("{base}/ccsim/1/inbound"),
        Some(say("Where is my order?")),
    )
    .await;
    assert_eq!(
        first["webhook"], true,
        "the bot registered the account webhook (BOT-1)"
    );
    let conv = first["message"]["conversationId"]
        .as_str()
        .unwrap()
        .to_string();
    let got = messages(&client, &base, &conv, 2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1]["direction"], "OUTBOUND");
    assert_eq!(got[1]["authorType"], "BOT", "written as the assigned bot");
    api(
        &client,
        "POST",
        format!("{base}/ccsim/1/inbound"),
        Some(say("Can I talk to a human?")),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let c = loop {
        let c = api(
            &client,
            "GET",
            format!("{base}/ccaas/1/conversations/{conv}"),
            None,
        )
        .await;
        if c.get("agentId").is_none() || Instant::now() > deadline {
            break c;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(c.get("agentId").is_none(), "unassigned and routed: {c}");
    let listed = api(
        &client,
        "GET",
        format!("{base}/ccaas/1/conversations?tagNames=opencx_handed_off"),
        None,
    )
    .await;
    assert_eq!(listed["pagination"]["totalItems"], 1, "tagged {}", listed);
    // Give the note and route calls their moment, then look at what the bot did.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !stats.lock().unwrap().api_calls.contains_key("route") && Instant::now() < deadline {
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    let s = stats.lock().unwrap().clone();
    for op in ["create_message", "unassign", "add_tag", "add_note", "route"] {
        assert_eq!(s.api_calls[op]["ok"], 1, "{op}: {s:?}");
    }
    // It stays out once it handed over (BOT-2).
    api(
        &client,
        "POST",
        format!("{base}/ccsim/1/inbound"),
        Some(say("Hello?")),
    )
    .await;
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    let all = messages(&client, &base, &conv, 4).await;
    let directions: Vec<&str> = all
        .iter()
        .map(|m| m["direction"].as_str().unwrap())
        .collect();
    assert_eq!(
        directions,
        ["INBOUND", "OUTBOUND", "INBOUND", "INBOUND"],
        "no bot answer after the handoff"
    );
    bot_handle.stop(true).await;
    mock_handle.stop(true).await;
}

#[actix_web::test]
async fn bot_11_the_bot_does_not_start_with_a_key_lacking_the_scope_or_a_wrong_base_url() {
    let mock = MockConfig {
        keys: vec![
            ccsim::live::mock::auth::ApiKey::parse(DEFAULT_KEY).unwrap(),
            ccsim::live::mock::auth::ApiKey::parse("reader=conversations:read").unwrap(),
        ],
        ..MockConfig::default()
    };
    let (server, platform) = serve(&mock, "127.0.0.1:0".parse().unwrap(), false).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let any = "127.0.0.1:0".parse().unwrap();
    let refused = start(config(platform, "reader"), any, false).await;
    assert!(
        matches!(refused, Err(BotStartError::Refused(403))),
        "{:?}",
        refused.err()
    );
    let wrong = start(config(platform, "nope"), any, false).await;
    assert!(matches!(wrong, Err(BotStartError::Refused(401))));
    let free_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let nowhere = start(config(free_port, DEFAULT_KEY), any, false).await;
    assert!(matches!(nowhere, Err(BotStartError::Unreachable(_))));
    handle.stop(true).await;
}

/// A webhook body for conversation `conv`.
fn inbound(id: &str, conv: &str, text: &str) -> String {
    json!({
        "id": id, "conversationId": conv, "channel": "WHATSAPP", "direction": "INBOUND",
        "from": "447700", "to": "385100", "contentType": "TEXT", "content": { "text": text },
    })
    .to_string()
}

/// Starts the bot against a wiremock platform answering Create Message with `reply`; returns
/// the bot's address and the platform.
async fn bot_against(
    reply: wiremock::ResponseTemplate,
    timeout_ms: u64,
) -> (
    SocketAddr,
    wiremock::MockServer,
    actix_web::dev::ServerHandle,
) {
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let platform = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ccaas/1/tags"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&platform)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/ccaas/1/conversations/[^/]+/messages$"))
        .respond_with(reply)
        .mount(&platform)
        .await;
    let addr: SocketAddr = platform.address().to_owned();
    let mut c = config(addr, DEFAULT_KEY);
    c.api_timeout_ms = timeout_ms;
    let (server, bot, _) = start(c, "127.0.0.1:0".parse().unwrap(), false)
        .await
        .unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (bot, platform, handle)
}

/// Create Message calls the platform got, waiting (at most 5 s) until there are `at_least`;
/// `at_least` 0 counts at once.
async fn create_message_calls(platform: &wiremock::MockServer, at_least: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let n = platform
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path().ends_with("/messages"))
            .count();
        if n >= at_least || Instant::now() > deadline {
            return n;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
}

#[actix_web::test]
async fn the_bots_api_calls_are_never_retried_a_500_or_a_timeout_is_final() {
    for (reply, timeout_ms) in [
        (wiremock::ResponseTemplate::new(500), 2_000),
        (
            wiremock::ResponseTemplate::new(200).set_delay(Duration::from_millis(600)),
            100,
        ),
    ] {
        let (bot, platform, handle) = bot_against(reply, timeout_ms).await;
        let client = awc::Client::default();
        let resp = client
            .post(format!("http://{bot}/webhook"))
            .send_body(inbound("m-1", "c-1", "Where is my order?"))
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "the webhook is acknowledged at once");
        assert_eq!(create_message_calls(&platform, 1).await, 1);
        // Well past the debounce, reply time and timeout: still one call.
        actix_web::rt::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(create_message_calls(&platform, 0).await, 1, "no retry");
        handle.stop(true).await;
    }
}

#[actix_web::test]
async fn bot_5_and_bot_8_duplicates_are_ignored_and_a_closed_conversation_ends_the_session() {
    let closed = wiremock::ResponseTemplate::new(400).set_body_json(json!({
        "requestError": { "serviceException": {
            "messageId": "BAD_REQUEST", "text": "Closed conversation cannot be changed" } }
    }));
    let (bot, platform, handle) = bot_against(closed, 2_000).await;
    let client = awc::Client::default();
    for _ in 0..2 {
        // The same message twice (BOT-5): one answer attempt.
        client
            .post(format!("http://{bot}/webhook"))
            .send_body(inbound("m-1", "c-1", "Where is my order?"))
            .await
            .unwrap();
    }
    assert_eq!(create_message_calls(&platform, 1).await, 1);
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        create_message_calls(&platform, 0).await,
        1,
        "the duplicate was ignored"
    );
    let stats: Value = client
        .get(format!("http://{bot}/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["duplicates"], 1);
    assert_eq!(stats["api_calls"]["create_message"]["closed"], 1, "{stats}");
    handle.stop(true).await;
}
