//! Issue 15, finding 5: the operations real clients call beyond conversations — agents (by
//! e-mail, status, queues), queues, routing, bots, working hours, templates — and the
//! Subscriptions API, whose subscriptions the mock delivers Conversations events to, as
//! Infobip does.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use ccsim::live::mock::MockConfig;

use crate::mock_api::{app, call};

const C: &str = "/ccaas/1/conversations";

fn quickstart() -> std::sync::Arc<ccsim::model::centre::CentreSpec> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/quickstart.toml");
    ccsim::scenario::load(std::path::Path::new(path))
        .expect("the quickstart")
        .centre
}

#[actix_web::test]
async fn finding_5_agents_are_found_by_email_and_carry_status_and_queues() {
    let spec = quickstart();
    let first = spec.agents[0].name.clone();
    let (app, _) = app(MockConfig {
        routing: Some(spec.clone()),
        ..MockConfig::default()
    })
    .await;
    // The scenario's agents are there, found by e-mail (a CRM maps its users so).
    let email = format!("{first}@agents.ccsim.invalid");
    let (s, v) = call(&app, "GET", &format!("/ccaas/1/agents?email={email}"), None).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["pagination"]["totalItems"], 1, "{v}");
    assert_eq!(v["agents"][0]["id"], first.as_str());
    let (_, all) = call(&app, "GET", "/ccaas/1/agents?limit=999", None).await;
    assert_eq!(all["pagination"]["totalItems"], spec.agents.len());
    // Status changes, and the list filters on it.
    let body = r#"{"status":"BUSY"}"#;
    let (s, v) = call(
        &app,
        "PUT",
        &format!("/ccaas/1/agents/{first}/status"),
        Some(body),
    )
    .await;
    assert_eq!((s, v["status"].as_str()), (200, Some("BUSY")), "{v}");
    let (_, busy) = call(&app, "GET", "/ccaas/1/agents?status=BUSY", None).await;
    assert_eq!(busy["pagination"]["totalItems"], 1, "{busy}");
    let (s, v) = call(
        &app,
        "PUT",
        &format!("/ccaas/1/agents/{first}/heartbeat"),
        None,
    )
    .await;
    assert_eq!((s, v["statusCode"].as_str()), (200, Some("SUCCESS")), "{v}");
    // A new agent, put in a queue; the queue counts it.
    let (s, ann) = call(
        &app,
        "POST",
        "/ccaas/1/agents",
        Some(r#"{"displayName":"Ann","role":"AGENT","status":"ACTIVE"}"#),
    )
    .await;
    assert_eq!(s, 200, "{ann}");
    let ann_id = ann["id"].as_str().unwrap().to_string();
    let (s, q) = call(&app, "POST", "/ccaas/1/queues", Some(r#"{"name":"vip"}"#)).await;
    assert_eq!(s, 200, "{q}");
    assert_eq!(
        q["isAutoAssignmentEnabled"], false,
        "the API's default: {q}"
    );
    let queue = q["id"].as_str().unwrap().to_string();
    let body = format!(r#"{{"queueId":"{queue}"}}"#);
    let (s, v) = call(
        &app,
        "POST",
        &format!("/ccaas/1/agents/{ann_id}/queues"),
        Some(&body),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (_, qs) = call(
        &app,
        "GET",
        &format!("/ccaas/1/queues?queueIds={queue}"),
        None,
    )
    .await;
    assert_eq!(qs["queues"][0]["enabledAgentsCount"], 1, "{qs}");
    let (_, in_vip) = call(
        &app,
        "GET",
        &format!("/ccaas/1/agents?queueIds={queue}"),
        None,
    )
    .await;
    assert_eq!(in_vip["agents"][0]["id"], ann_id.as_str(), "{in_vip}");
    // Unknowns and bad values are refused with Infobip's body.
    let (s, _) = call(&app, "GET", "/ccaas/1/agents/nobody", None).await;
    assert_eq!(s, 404);
    let (s, v) = call(
        &app,
        "POST",
        "/ccaas/1/agents",
        Some(r#"{"displayName":"X","role":"BOSS","status":"ACTIVE"}"#),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    // An agent's conversations.
    let (_, c) = call(&app, "POST", C, Some("{}")).await;
    let conv = c["id"].as_str().unwrap();
    let body = format!(r#"{{"agentId":"{ann_id}"}}"#);
    call(&app, "PUT", &format!("{C}/{conv}/assignee"), Some(&body)).await;
    let (s, v) = call(
        &app,
        "GET",
        &format!("/ccaas/1/agents/{ann_id}/conversations"),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["conversations"][0]["id"], conv, "{v}");
    // The Default queue always exists and cannot go (RT-4).
    let (s, _) = call(&app, "DELETE", "/ccaas/1/queues/Default", None).await;
    assert_eq!(s, 400);
    let (s, _) = call(&app, "DELETE", &format!("/ccaas/1/queues/{queue}"), None).await;
    assert_eq!(s, 200);
}

#[actix_web::test]
async fn finding_5_routing_set_through_the_api_routes_and_simulates_rt_1() {
    let (app, _) = app(MockConfig::default()).await;
    let (_, q) = call(
        &app,
        "POST",
        "/ccaas/1/queues",
        Some(r#"{"name":"whatsapp-care"}"#),
    )
    .await;
    let queue = q["id"].as_str().unwrap().to_string();
    let rules = json!([
        { "name": "refunds", "queueId": "Default", "priority": "LOW",
          "expression": { "$eq": { "message.channel": "SMS" } } },
        { "name": "whatsapp", "queueId": queue, "priority": "HIGH",
          "expression": { "$or": [
              { "$eq": { "message.channel": "WHATSAPP" } },
              { "$in": { "tags": ["vip"] } } ] } },
    ]);
    let (s, v) = call(&app, "PUT", "/ccaas/1/routing", Some(&rules.to_string())).await;
    assert_eq!(s, 200, "{v}");
    let (_, listed) = call(&app, "GET", "/ccaas/1/routing", None).await;
    assert_eq!(listed["routes"][1]["queueId"], queue.as_str(), "{listed}");
    assert_eq!(listed["routes"][1]["order"], 1);
    let inbound = r#"{"channel":"WHATSAPP","from":"447700900001","to":"385100","text":"hi"}"#;
    let (_, m) = call(&app, "POST", "/ccsim/1/inbound", Some(inbound)).await;
    let conv = m["message"]["conversationId"].as_str().unwrap().to_string();
    let (s, sim) = call(&app, "GET", &format!("{C}/{conv}/simulate-routing"), None).await;
    assert_eq!(s, 200, "{sim}");
    assert_eq!(
        (sim["queueId"].as_str(), sim["priority"].as_str()),
        (Some(queue.as_str()), Some("HIGH"))
    );
    call(&app, "POST", &format!("{C}/{conv}/route"), None).await;
    let (_, c) = call(&app, "GET", &format!("{C}/{conv}"), None).await;
    assert_eq!(c["queueId"], queue.as_str(), "{c}");
    // A rule naming no queue, or an expression the mock cannot read, is refused whole.
    for bad in [
        json!([{ "queueId": "nowhere", "expression": { "$eq": { "message.channel": "SMS" } } }]),
        json!([{ "queueId": "Default", "expression": { "$regex": { "x": "y" } } }]),
    ] {
        let (s, v) = call(&app, "PUT", "/ccaas/1/routing", Some(&bad.to_string())).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
    // A queue a rule sends to cannot be deleted.
    let (s, _) = call(&app, "DELETE", &format!("/ccaas/1/queues/{queue}"), None).await;
    assert_eq!(s, 400);
}

#[actix_web::test]
async fn finding_5_bots_working_hours_and_templates() {
    let (app, _) = app(MockConfig::default()).await;
    let bot = r#"{"displayName":"Helper","destination":"385100","channel":"WHATSAPP","webhookUrl":"https://bot.example.com/hook"}"#;
    let (s, b) = call(&app, "POST", "/ccaas/1/bots", Some(bot)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["sessionTimeoutInSec"], 86_400, "the default: {b}");
    let id = b["id"].as_str().unwrap();
    let (_, list) = call(&app, "GET", "/ccaas/1/bots", None).await;
    assert_eq!(list["pagination"]["totalItems"], 1);
    let bad =
        r#"{"displayName":"H","destination":"1","channel":"WHATSAPP","sessionTimeoutInSec":5}"#;
    let (s, _) = call(&app, "POST", "/ccaas/1/bots", Some(bad)).await;
    assert_eq!(s, 400);
    let (s, _) = call(&app, "DELETE", &format!("/ccaas/1/bots/{id}"), None).await;
    assert_eq!(s, 200);
    let (s, _) = call(&app, "GET", &format!("/ccaas/1/bots/{id}"), None).await;
    assert_eq!(s, 404);

    // Working hours open every day all day: inside; a holiday around today: outside (WH-2).
    let days: serde_json::Map<String, Value> = [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ]
    .iter()
    .map(|d| {
        (
            d.to_string(),
            json!({ "enabled": true, "startTime": 0, "endTime": 1440 }),
        )
    })
    .collect();
    let hours = json!({ "name": "always", "message": "We are closed.", "timezone": "Europe/Zagreb", "workWeek": days });
    let (s, h) = call(
        &app,
        "POST",
        "/ccaas/1/working-hours",
        Some(&hours.to_string()),
    )
    .await;
    assert_eq!(s, 200, "{h}");
    let hid = h["id"].as_str().unwrap().to_string();
    let (_, st) = call(
        &app,
        "GET",
        &format!("/ccaas/1/working-hours/{hid}/status"),
        None,
    )
    .await;
    assert_eq!(st["status"], "INSIDE_OF_WORKING_HOURS", "{st}");
    let holiday = r#"{"name":"all year","startDate":"2000-01-01T00:00:00.000+0000","endDate":"2999-12-31T00:00:00.000+0000"}"#;
    let (s, h) = call(
        &app,
        "POST",
        &format!("/ccaas/1/working-hours/{hid}/holiday"),
        Some(holiday),
    )
    .await;
    assert_eq!(s, 200, "{h}");
    let (_, st) = call(
        &app,
        "GET",
        &format!("/ccaas/1/working-hours/{hid}/status"),
        None,
    )
    .await;
    assert_eq!(st["status"], "OUTSIDE_OF_WORKING_HOURS", "{st}");
    let bad = json!({ "name": "x", "message": "m", "timezone": "Mars/Olympus", "workWeek": {} });
    let (s, v) = call(
        &app,
        "POST",
        "/ccaas/1/working-hours",
        Some(&bad.to_string()),
    )
    .await;
    assert_eq!(s, 400, "{v}");

    let (s, t) = call(&app, "GET", "/ccaas/1/templates", None).await;
    assert_eq!(
        (s, t["pagination"]["totalItems"].as_u64()),
        (200, Some(0)),
        "{t}"
    );
}

#[actix_web::test]
async fn finding_5_subscriptions_get_conversation_events_with_their_credentials() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(header("authorization", "Basic aG9vazpzZWNyZXQ="))
        .and(header("x-team", "care"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let (app, data) = app(MockConfig::default()).await;
    let subscription = json!({
        "subscriptionId": "care-events",
        "name": "Care",
        "events": ["CONVERSATION_MESSAGE_RECEIVED", "CONVERSATION_CREATED", "CONVERSATION_STATUS_UPDATED"],
        "profile": {
            "profileId": "care-hook",
            "webhook": { "notifyUrl": format!("{}/events", receiver.uri()) },
            "headers": { "x-team": "care" },
            "security": { "authId": "care-basic", "type": "BASIC",
                          "credentials": { "username": "hook", "password": "secret" } },
        },
    });
    let at = "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT";
    let (s, v) = call(&app, "POST", at, Some(&subscription.to_string())).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["profile"]["security"]["authId"], "care-basic", "{v}");
    let (_, listed) = call(&app, "GET", at, None).await;
    assert_eq!(listed["paging"]["totalResults"], 1, "{listed}");
    let (s, _) = call(&app, "DELETE", "/subscriptions/1/profiles/care-hook", None).await;
    assert_eq!(s, 400, "a profile in use stays");

    let inbound =
        r#"{"channel":"WHATSAPP","from":"447700900001","to":"385100","text":"Where is my order?"}"#;
    let (_, m) = call(&app, "POST", "/ccsim/1/inbound", Some(inbound)).await;
    let conv = m["message"]["conversationId"].as_str().unwrap().to_string();
    call(
        &app,
        "PATCH",
        &format!("{C}/{conv}"),
        Some(r#"{"status":"SOLVED"}"#),
    )
    .await;
    // Created, the message, the status change: three events, in order.
    let mut got = Vec::new();
    for _ in 0..100 {
        got = receiver.received_requests().await.unwrap_or_default();
        if got.len() >= 3 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "CONVERSATION_CREATED",
            "INBOUND_MESSAGE",
            "CONVERSATION_STATUS_UPDATED"
        ]
    );
    let message = &bodies[1]["payload"]["message"];
    assert_eq!(message["content"]["text"], "Where is my order?");
    assert_eq!(message["conversationId"], conv.as_str());
    assert_eq!(bodies[2]["payload"]["status"], "SOLVED");
    let delivered = data.deliveries().view();
    assert!(
        serde_json::to_string(&delivered)
            .unwrap()
            .contains("delivered")
    );
    // Nobody listens to assignments: none is sent.
    call(
        &app,
        "PUT",
        &format!("{C}/{conv}/assignee"),
        Some(r#"{"agentId":"ann"}"#),
    )
    .await;
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.received_requests().await.unwrap().len(), 3);
    // A key without the scope cannot manage subscriptions.
    let reader = ccsim::live::mock::auth::ApiKey::parse("reader=conversations:manage").unwrap();
    let (app, _) = crate::mock_api::app(MockConfig {
        keys: vec![reader],
        ..MockConfig::default()
    })
    .await;
    let (s, _) = crate::mock_api::call_as(&app, Some("App reader"), "GET", at, None, &[]).await;
    assert_eq!(s, 403);
}

#[actix_web::test]
async fn finding_5_whatsapp_templates_and_mark_as_read() {
    let (app, _) = app(MockConfig::default()).await;
    let t = r#"{"name":"order_update","language":"en","category":"UTILITY","structure":{"body":{"text":"Your order {{1}} is on its way."},"type":"TEXT"}}"#;
    let at = "/whatsapp/2/senders/385100/templates";
    let (s, made) = call(&app, "POST", at, Some(t)).await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["status"], "APPROVED");
    let (s, again) = call(&app, "POST", at, Some(t)).await;
    assert_eq!(s, 400, "the same name and language twice: {again}");
    let id = made["id"].as_str().unwrap();
    let (_, list) = call(&app, "GET", at, None).await;
    assert_eq!(list["templates"].as_array().map(Vec::len), Some(1));
    let (s, edited) = call(
        &app,
        "PATCH",
        &format!("{at}/{id}"),
        Some(r#"{"category":"MARKETING"}"#),
    )
    .await;
    assert_eq!(
        (s, edited["category"].as_str()),
        (200, Some("MARKETING")),
        "{edited}"
    );
    let (_, account) = call(
        &app,
        "GET",
        "/whatsapp/1/templates?sender=385100&name=order",
        None,
    )
    .await;
    assert_eq!(account["paging"]["totalResults"], 1, "{account}");
    for bad in [
        r#"{"name":"Bad Name","language":"en","category":"UTILITY","structure":{"body":{"text":"x"}}}"#,
        r#"{"name":"ok","language":"en","category":"SPAM","structure":{"body":{"text":"x"}}}"#,
        r#"{"name":"ok","language":"en","category":"UTILITY","structure":{}}"#,
    ] {
        let (s, v) = call(&app, "POST", at, Some(bad)).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
    let (s, _) = call(&app, "DELETE", &format!("{at}/order_update"), None).await;
    assert_eq!(s, 204);
    let (s, _) = call(&app, "GET", &format!("{at}/{id}"), None).await;
    assert_eq!(s, 404);
    // Mark-as-read: 204, at most 10 a second.
    let read = "/whatsapp/1/senders/385100/message/wamid.1/read";
    for _ in 0..10 {
        let (s, _) = call(&app, "POST", read, None).await;
        assert_eq!(s, 204);
    }
    let (s, v) = call(&app, "POST", read, None).await;
    assert_eq!(s, 429, "{v}");
}

#[test]
fn a_client_that_creates_without_end_is_refused_with_429_not_memory() {
    use ccsim::live::mock::directory::{AgentIn, Directory, MAX_ENTITIES};
    use ccsim::live::mock::state::MockError;
    let mut d = Directory::new(0);
    let agent: AgentIn =
        serde_json::from_str(r#"{"displayName":"A","role":"AGENT","status":"ACTIVE"}"#).unwrap();
    // The Default queue is one entity already.
    for _ in 1..MAX_ENTITIES {
        d.create_agent(&agent, 0).expect("room");
    }
    assert_eq!(
        d.create_agent(&agent, 0),
        Err(MockError::SetUpFull(MAX_ENTITIES))
    );

    use ccsim::live::mock::subscriptions::{MAX_HELD, Subscriptions};
    let mut subs = Subscriptions::default();
    for k in 0..MAX_HELD {
        let security = serde_json::from_value(json!({
            "authId": format!("a{k}"), "type": "BASIC",
            "credentials": { "username": "u", "password": "p" },
        }))
        .unwrap();
        subs.create_security(&security).expect("room");
    }
    let one_more = serde_json::from_value(json!({
        "authId": "last", "type": "BASIC", "credentials": { "username": "u", "password": "p" },
    }))
    .unwrap();
    assert_eq!(
        subs.create_security(&one_more),
        Err(MockError::SetUpFull(MAX_HELD))
    );
}
