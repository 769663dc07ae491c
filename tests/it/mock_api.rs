//! The Infobip mock over HTTP (`ccsim mock`), request by request through actix's test service:
//! keys and scopes, Infobip's error bodies, closed conversations, field limits, paging, the
//! account webhook, `x-agent-id`, and malformed requests that must never crash it.

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::{App, test, web};
use serde_json::{Value, json};

use ccsim::live::mock::auth::ApiKey;
use ccsim::live::mock::routes::{Shared, routes, worker_data};
use ccsim::live::mock::{DEFAULT_KEY, MockConfig, shared};

const KEY: &str = "App ccsim-local-key";
const C: &str = "/ccaas/1/conversations";

pub(crate) async fn app(
    config: MockConfig,
) -> (
    impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
    web::Data<Shared>,
) {
    let data = shared(&config).expect("a valid config");
    let app = test::init_service(
        App::new()
            .app_data(data.clone())
            .app_data(worker_data(&data))
            .configure(routes),
    )
    .await;
    (app, data)
}

/// Sends `method path` with the default key and `body` (raw text, if any); the status and the
/// JSON answer.
pub(crate) async fn call<S, B>(
    app: &S,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    call_as(app, Some(KEY), method, path, body, &[]).await
}

pub(crate) async fn call_as<S, B>(
    app: &S,
    auth: Option<&str>,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = test::TestRequest::default().method(method).uri(path);
    if let Some(a) = auth {
        req = req.insert_header(("authorization", a));
    }
    for h in headers {
        req = req.insert_header(*h);
    }
    if let Some(b) = body {
        req = req
            .insert_header(("content-type", "application/json"))
            .set_payload(b.to_string());
    }
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let bytes = test::read_body(resp).await;
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, value)
}

fn text(v: &Value) -> &str {
    v["requestError"]["serviceException"]["text"]
        .as_str()
        .unwrap_or("")
}

async fn new_conversation<S, B>(app: &S) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (status, c) = call(app, "POST", C, Some("{}")).await;
    assert_eq!(status, 200, "{c}");
    c["id"].as_str().unwrap().to_string()
}

const HELLO: &str = r#"{"channel":"LIVE_CHAT","from":"bot","to":"visitor","contentType":"TEXT","content":{"text":"hello"}}"#;

#[actix_web::test]
async fn bot_8_a_closed_conversation_rejects_every_write_with_infobips_body() {
    let (app, _) = app(MockConfig::default()).await;
    let (status, _) = call(&app, "POST", "/ccaas/1/tags", Some(r#"{"name":"vip"}"#)).await;
    assert_eq!(status, 200);
    let id = new_conversation(&app).await;
    let (status, _) = call(&app, "POST", &format!("{C}/{id}/messages"), Some(HELLO)).await;
    assert_eq!(status, 200);
    let (status, closed) = call(
        &app,
        "PATCH",
        &format!("{C}/{id}"),
        Some(r#"{"status":"CLOSED"}"#),
    )
    .await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("CLOSED")));
    assert!(closed["closedAt"].is_string());
    let writes: [(&str, String, Option<&str>); 10] = [
        ("POST", format!("{C}/{id}/messages"), Some(HELLO)),
        ("PUT", format!("{C}/{id}"), Some(r#"{"status":"OPEN"}"#)),
        ("PATCH", format!("{C}/{id}"), Some(r#"{"priority":"HIGH"}"#)),
        (
            "PUT",
            format!("{C}/{id}/assignee"),
            Some(r#"{"agentId":"a1"}"#),
        ),
        ("DELETE", format!("{C}/{id}/assignee"), None),
        ("POST", format!("{C}/{id}/route"), None),
        (
            "POST",
            format!("{C}/{id}/tags"),
            Some(r#"{"tagName":"vip"}"#),
        ),
        ("PUT", format!("{C}/{id}/metadata"), Some(r#"{"k":"v"}"#)),
        (
            "POST",
            format!("{C}/{id}/notes"),
            Some(r#"{"content":"n"}"#),
        ),
        ("DELETE", format!("{C}/{id}/tags/vip"), None),
    ];
    for (method, path, body) in writes {
        let (status, err) = call(&app, method, &path, body).await;
        assert_eq!(status, 400, "{method} {path}: {err}");
        assert_eq!(
            err["requestError"]["serviceException"]["messageId"],
            "BAD_REQUEST"
        );
        assert_eq!(
            text(&err),
            "Closed conversation cannot be changed",
            "{method} {path}"
        );
    }
    // Reading still works.
    let (status, page) = call(&app, "GET", &format!("{C}/{id}/messages"), None).await;
    assert_eq!(
        (status, page["pagination"]["totalItems"].as_u64()),
        (200, Some(1))
    );
}

#[actix_web::test]
async fn bot_11_keys_and_scopes_401_and_403() {
    let config = MockConfig {
        keys: vec![
            ApiKey::parse(DEFAULT_KEY).unwrap(),
            ApiKey::parse("reader=conversations:read").unwrap(),
        ],
        ..MockConfig::default()
    };
    let (app, _) = app(config).await;
    let id = new_conversation(&app).await;
    let path = format!("{C}/{id}");
    for auth in [None, Some("App wrong-key"), Some("Bearer ccsim-local-key")] {
        let (status, err) = call_as(&app, auth, "GET", &path, None, &[]).await;
        assert_eq!((status, text(&err)), (401, "Unauthorized"), "{auth:?}");
    }
    let reader = Some("App reader");
    let (status, _) = call_as(&app, reader, "GET", &path, None, &[]).await;
    assert_eq!(status, 200, "conversations:read may read");
    let patch = Some(r#"{"priority":"HIGH"}"#);
    let (status, err) = call_as(&app, reader, "PATCH", &path, patch, &[]).await;
    assert_eq!((status, text(&err)), (403, "Forbidden"), "but not write");
}

#[actix_web::test]
async fn cc_1_the_account_webhook_is_one_and_a_new_put_replaces_it() {
    let (app, data) = app(MockConfig::default()).await;
    let path = "/ccaas/1/account/configuration";
    for url in ["https://bot.example/hook", "https://layer.example/hook"] {
        let body = json!({ "webhookUrl": url }).to_string();
        let (status, ok) = call(&app, "PUT", path, Some(&body)).await;
        assert_eq!(status, 200);
        assert_eq!(ok["message"], "Account configuration successfully updated.");
    }
    let webhook = data.platform.lock().unwrap().webhook().map(String::from);
    assert_eq!(webhook.as_deref(), Some("https://layer.example/hook"));
    let long = json!({ "webhookUrl": format!("https://{}", "x".repeat(250)) }).to_string();
    let (status, err) = call(&app, "PUT", path, Some(&long)).await;
    assert_eq!(status, 400);
    assert!(err["requestError"]["serviceException"]["validationErrors"]["webhookUrl"].is_array());
    let (status, _) = call(&app, "PUT", path, Some(r#"{"webhookUrl":""}"#)).await;
    assert_eq!(status, 200);
    assert_eq!(
        data.platform.lock().unwrap().webhook(),
        None,
        "empty removes it"
    );
}

#[actix_web::test]
async fn cc_2_get_messages_pages_at_most_999_and_says_how_many() {
    let (app, _) = app(MockConfig::default()).await;
    let id = new_conversation(&app).await;
    for _ in 0..25 {
        call(&app, "POST", &format!("{C}/{id}/messages"), Some(HELLO)).await;
    }
    let mut seen = Vec::new();
    for page in 0..3 {
        let (status, p) = call(
            &app,
            "GET",
            &format!("{C}/{id}/messages?page={page}&limit=10"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(p["pagination"]["totalItems"], 25);
        for m in p["messages"].as_array().unwrap() {
            seen.push(m["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(seen.len(), 25);
    seen.dedup();
    assert_eq!(seen.len(), 25, "pages do not overlap");
    let (_, default) = call(&app, "GET", &format!("{C}/{id}/messages"), None).await;
    assert_eq!(
        default["messages"].as_array().unwrap().len(),
        10,
        "default limit 10"
    );
    let (_, newest) = call(
        &app,
        "GET",
        &format!("{C}/{id}/messages?limit=1&orderBy=createdAt:desc"),
        None,
    )
    .await;
    assert_eq!(
        newest["messages"][0]["id"].as_str(),
        seen.last().map(String::as_str)
    );
    let (status, err) = call(&app, "GET", &format!("{C}/{id}/messages?limit=1000"), None).await;
    assert_eq!(status, 400);
    assert!(err["requestError"]["serviceException"]["validationErrors"]["limit"].is_array());
    let (status, err) = call(&app, "GET", &format!("{C}/{id}/messages?limit=-1"), None).await;
    assert_eq!(
        (status, text(&err)),
        (400, "Page size has to be bigger or equal to zero!")
    );
    let (status, _) = call(&app, "GET", &format!("{C}/{id}/messages?limit=x"), None).await;
    assert_eq!(status, 400);
}

#[actix_web::test]
async fn documented_field_limits_are_validation_errors_naming_the_field() {
    let (app, _) = app(MockConfig::default()).await;
    let id = new_conversation(&app).await;
    let cases = [
        (
            "PATCH",
            format!("{C}/{id}"),
            json!({ "topic": "t".repeat(1001) }),
            "topic",
        ),
        (
            "PATCH",
            format!("{C}/{id}"),
            json!({ "summary": "s".repeat(4001) }),
            "summary",
        ),
        (
            "PATCH",
            format!("{C}/{id}"),
            json!({ "queueId": "q".repeat(256) }),
            "queueId",
        ),
        (
            "PUT",
            format!("{C}/{id}/assignee"),
            json!({ "agentId": "a".repeat(256) }),
            "agentId",
        ),
        ("PUT", format!("{C}/{id}/assignee"), json!({}), "agentId"),
        (
            "POST",
            format!("{C}/{id}/messages"),
            json!({ "channel": "LIVE_CHAT", "from": "a", "to": "b", "contentType": "TEXT", "content": { "text": "x".repeat(4097) } }),
            "content",
        ),
        (
            "POST",
            format!("{C}/{id}/messages"),
            json!({ "channel": "LIVE_CHAT", "from": "a", "contentType": "TEXT", "content": { "text": "x" } }),
            "to",
        ),
        (
            "POST",
            format!("{C}/{id}/messages"),
            json!({ "channel": "PIGEON", "from": "a", "to": "b", "contentType": "TEXT", "content": { "text": "x" } }),
            "channel",
        ),
        (
            "POST",
            format!("{C}/{id}/notes"),
            json!({ "content": "n".repeat(4001) }),
            "content",
        ),
        (
            "POST",
            "/ccaas/1/tags".to_string(),
            json!({ "name": "no spaces" }),
            "name",
        ),
        (
            "POST",
            "/ccaas/1/tags".to_string(),
            json!({ "name": "t".repeat(101) }),
            "name",
        ),
        (
            "PATCH",
            format!("{C}/{id}"),
            json!({ "status": "DONE" }),
            "status",
        ),
    ];
    for (method, path, body, field) in cases {
        let (status, err) = call(&app, method, &path, Some(&body.to_string())).await;
        assert_eq!(status, 400, "{method} {path} {field}: {err}");
        let fields = &err["requestError"]["serviceException"]["validationErrors"];
        assert!(fields[field].is_array(), "{field}: {err}");
        assert_eq!(text(&err), "Bad request");
    }
    // The limits themselves pass.
    let ok = json!({ "topic": "t".repeat(1000), "summary": "s".repeat(4000) });
    let (status, _) = call(&app, "PATCH", &format!("{C}/{id}"), Some(&ok.to_string())).await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn tags_must_exist_and_metadata_put_replaces_while_patch_merges() {
    let (app, _) = app(MockConfig::default()).await;
    let id = new_conversation(&app).await;
    let (status, err) = call(
        &app,
        "POST",
        &format!("{C}/{id}/tags"),
        Some(r#"{"tagName":"vip"}"#),
    )
    .await;
    assert_eq!(
        (status, text(&err)),
        (400, "Invalid tagName 'vip' given! No such entity exists.")
    );
    call(&app, "POST", "/ccaas/1/tags", Some(r#"{"name":"vip"}"#)).await;
    let (status, err) = call(&app, "POST", "/ccaas/1/tags", Some(r#"{"name":"vip"}"#)).await;
    assert_eq!((status, text(&err)), (400, "Tag already exists."));
    let (status, ok) = call(
        &app,
        "POST",
        &format!("{C}/{id}/tags"),
        Some(r#"{"tagName":"vip"}"#),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(ok["message"], "Tag added to conversation successfully.");
    let (_, listed) = call(&app, "GET", &format!("{C}?tagNames=vip"), None).await;
    assert_eq!(listed["pagination"]["totalItems"], 1);
    let meta = format!("{C}/{id}/metadata");
    call(&app, "PUT", &meta, Some(r#"{"a":1,"b":{"c":true}}"#)).await;
    call(&app, "PATCH", &meta, Some(r#"{"d":"x"}"#)).await;
    let (_, got) = call(&app, "GET", &meta, None).await;
    assert_eq!(got, json!({ "a": 1, "b": { "c": true }, "d": "x" }));
    call(&app, "PUT", &meta, Some(r#"{"e":2}"#)).await;
    let (_, got) = call(&app, "GET", &meta, None).await;
    assert_eq!(got, json!({ "e": 2 }), "PUT replaces");
    let (status, _) = call(&app, "DELETE", &meta, None).await;
    assert_eq!(status, 200);
    let (_, got) = call(&app, "GET", &meta, None).await;
    assert_eq!(got, json!({}));
}

#[actix_web::test]
async fn x_agent_id_is_required_exactly_when_a_human_agent_holds_the_conversation() {
    let config = MockConfig {
        bots: vec!["ai".into()],
        ..MockConfig::default()
    };
    let (app, _) = app(config).await;
    let id = new_conversation(&app).await;
    let path = format!("{C}/{id}/messages");
    let header = [("x-agent-id", "a1")];
    // Unassigned: no header.
    let (status, _) = call_as(&app, Some(KEY), "POST", &path, Some(HELLO), &header).await;
    assert_eq!(status, 400);
    let (status, _) = call(&app, "POST", &path, Some(HELLO)).await;
    assert_eq!(status, 200);
    // An agent's: its header, no other.
    call(
        &app,
        "PUT",
        &format!("{C}/{id}/assignee"),
        Some(r#"{"agentId":"a1"}"#),
    )
    .await;
    let (status, err) = call(&app, "POST", &path, Some(HELLO)).await;
    assert_eq!(status, 400, "{err}");
    let (status, m) = call_as(&app, Some(KEY), "POST", &path, Some(HELLO), &header).await;
    assert_eq!((status, m["authorType"].as_str()), (200, Some("AGENT")));
    let other = [("x-agent-id", "a2")];
    let (status, _) = call_as(&app, Some(KEY), "POST", &path, Some(HELLO), &other).await;
    assert_eq!(status, 400);
    // The bot's (BOT-1: assigned to the AI): no header needed, written as the bot.
    call(
        &app,
        "PUT",
        &format!("{C}/{id}/assignee"),
        Some(r#"{"agentId":"ai"}"#),
    )
    .await;
    let (status, m) = call(&app, "POST", &path, Some(HELLO)).await;
    assert_eq!((status, m["authorType"].as_str()), (200, Some("BOT")));
    // Route removes the assignee (BOT-3).
    let (status, c) = call(&app, "POST", &format!("{C}/{id}/route"), None).await;
    assert_eq!(status, 200);
    assert!(c.get("agentId").is_none());
}

#[actix_web::test]
async fn unknown_ids_answer_404_or_400_as_configured() {
    for (configured, expected) in [(404, 404), (400, 400)] {
        let config = MockConfig {
            unknown_id_status: configured,
            ..MockConfig::default()
        };
        let (app, _) = app(config).await;
        let (status, err) = call(&app, "GET", &format!("{C}/no-such-id"), None).await;
        assert_eq!(status, expected);
        assert_eq!(
            text(&err),
            "Invalid id 'no-such-id' given! No such entity exists."
        );
        assert_eq!(
            err["requestError"]["serviceException"]["messageId"],
            "NOT_FOUND"
        );
    }
}

#[actix_web::test]
async fn malformed_requests_get_a_4xx_and_never_crash_the_mock() {
    let config = MockConfig {
        max_body_bytes: 1024,
        ..MockConfig::default()
    };
    let (app, _) = app(config).await;
    let id = new_conversation(&app).await;
    let paths = [
        format!("{C}/{id}/messages"),
        format!("{C}/{id}"),
        format!("{C}/{id}/assignee"),
        format!("{C}/{id}/tags"),
        format!("{C}/{id}/metadata"),
        format!("{C}/{id}/notes"),
        "/ccaas/1/tags".to_string(),
        "/ccaas/1/account/configuration".to_string(),
        C.to_string(),
    ];
    let bodies = [
        "".to_string(),
        "{".to_string(),
        "[]".to_string(),
        "null".to_string(),
        r#"{"content":{"text":5},"channel":7}"#.to_string(),
        r#"{"status":{"nested":true}}"#.to_string(),
        "\u{0}\u{1}binary".to_string(),
        "x".repeat(2048),
        format!("{{\"topic\":\"{}\"}}", "é".repeat(600)),
    ];
    for path in &paths {
        for method in ["POST", "PUT", "PATCH", "GET", "DELETE"] {
            for body in &bodies {
                let (status, v) = call(&app, method, path, Some(body)).await;
                assert!(
                    (200..500).contains(&status),
                    "{method} {path} {:?}: {status} {v}",
                    &body[..body.len().min(20)]
                );
            }
        }
    }
    let (status, err) = call(
        &app,
        "POST",
        &format!("{C}/{id}/notes"),
        Some(&"x".repeat(2048)),
    )
    .await;
    assert_eq!(status, 413, "{err}");
    let (status, err) = call(&app, "GET", "/ccaas/1/nothing-here", None).await;
    assert_eq!((status, text(&err)), (404, "Not found"));
}

#[actix_web::test]
async fn the_mock_listens_on_loopback_only_unless_told_and_answers_on_a_real_socket() {
    use ccsim::live::mock::{MockStartError, serve};
    let config = MockConfig::default();
    let anywhere = "0.0.0.0:0".parse().unwrap();
    assert!(matches!(
        serve(&config, anywhere, false),
        Err(MockStartError::NotLoopback(_))
    ));
    let (server, addr) = serve(&config, "127.0.0.1:0".parse().unwrap(), false).unwrap();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let answer = actix_web::rt::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let body = "{}";
        write!(
            s,
            "POST /ccaas/1/conversations HTTP/1.1\r\nHost: x\r\nAuthorization: {KEY}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text
    })
    .await
    .unwrap();
    handle.stop(true).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"OPEN\""), "{answer}");
}

#[actix_web::test]
async fn bot_1_inbound_messages_reach_the_account_webhook_and_nobody_without_one() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    let (app, data) = app(MockConfig::default()).await;
    let hi = r#"{"channel":"WHATSAPP","from":"447700","to":"385100","text":"hi"}"#;
    // No webhook yet (BOT-1): stored, heard by nobody.
    let (status, first) = call(&app, "POST", "/ccsim/1/inbound", Some(hi)).await;
    assert_eq!((status, first["webhook"].as_bool()), (200, Some(false)));
    let hook = json!({ "webhookUrl": format!("{}/hook", receiver.uri()) }).to_string();
    call(&app, "PUT", "/ccaas/1/account/configuration", Some(&hook)).await;
    let (_, second) = call(&app, "POST", "/ccsim/1/inbound", Some(hi)).await;
    assert_eq!(second["webhook"].as_bool(), Some(true));
    assert_eq!(
        first["message"]["conversationId"], second["message"]["conversationId"],
        "the same session (WIN-2)"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while data.deliveries().by_outcome.is_empty() && std::time::Instant::now() < deadline {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let got = receiver.received_requests().await.unwrap();
    assert_eq!(
        got.len(),
        1,
        "only the message sent after the webhook was set"
    );
    let posted: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(
        posted, second["message"],
        "the Message object (§3a, assumed)"
    );
    assert_eq!(posted["direction"], "INBOUND");
    let (_, stats) = call(&app, "GET", "/ccsim/1/stats", None).await;
    assert_eq!(stats["by_outcome"]["delivered"], 1);
    // The conversation holds both messages.
    let id = second["message"]["conversationId"].as_str().unwrap();
    let (_, page) = call(&app, "GET", &format!("{C}/{id}/messages"), None).await;
    assert_eq!(page["pagination"]["totalItems"], 2);
}
