//! The mock against what real Infobip clients hit (issue 15's findings), each as a test that
//! failed on the mock before: unknown body fields, `orderBy` in any case, the documented list
//! filters, Basic / IBSSO / Bearer auth, Infobip's error body on every status, content types,
//! webhook URLs, and the documented rate limit (`docs/platform-api.md` §1, §2, §6).

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::test;
use serde_json::Value;

use ccsim::live::mock::{DEFAULT_USER, MockConfig};

use crate::mock_api::{app, call, call_as};

const KEY: &str = "App ccsim-local-key";
const C: &str = "/ccaas/1/conversations";

/// Sends a request exactly as given (headers, raw body): status, `Retry-After`, JSON answer.
async fn raw<S, B>(
    app: &S,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Option<String>, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = test::TestRequest::default().method(method).uri(path);
    for h in headers {
        req = req.insert_header(*h);
    }
    if let Some(b) = body {
        req = req.set_payload(b.to_string());
    }
    let resp = test::call_service(app, req.to_request()).await;
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let bytes = test::read_body(resp).await;
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, retry, v)
}

fn message_id(v: &Value) -> &str {
    v["requestError"]["serviceException"]["messageId"]
        .as_str()
        .unwrap_or_else(|| panic!("not Infobip's error body: {v}"))
}

fn ids(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list}: {v}"))
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn finding_2_unknown_body_fields_are_ignored_and_counted() {
    let (app, _) = app(MockConfig::default()).await;
    // A real client sends `channel` on Create Conversation; Infobip ignores it.
    let (s, c) = call(
        &app,
        "POST",
        C,
        Some(r#"{"topic":"t","channel":"WHATSAPP"}"#),
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["topic"], "t");
    let id = c["id"].as_str().unwrap();
    let (s, v) = call(
        &app,
        "PATCH",
        &format!("{C}/{id}"),
        Some(r#"{"priority":"HIGH","customField":{"a":1}}"#),
    )
    .await;
    assert_eq!((s, v["priority"].as_str()), (200, Some("HIGH")), "{v}");
    let (s, v) = call(
        &app,
        "PUT",
        "/ccaas/1/account/configuration",
        Some(r#"{"webhookUrl":"","headers":{}}"#),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (_, stats) = call(&app, "GET", "/ccsim/1/stats", None).await;
    let unknown = &stats["unknown_fields"];
    assert_eq!(unknown["POST /ccaas/1/conversations channel"], 1, "{stats}");
    assert_eq!(
        unknown["PATCH /ccaas/1/conversations/{id} customField"], 1,
        "{stats}"
    );
    assert_eq!(
        unknown["PUT /ccaas/1/account/configuration headers"], 1,
        "{stats}"
    );
}

#[actix_web::test]
async fn finding_3_order_by_reads_the_direction_in_any_case_on_every_list() {
    let (app, _) = app(MockConfig::default()).await;
    let mut made = Vec::new();
    for _ in 0..3 {
        let (_, c) = call(&app, "POST", C, Some("{}")).await;
        made.push(c["id"].as_str().unwrap().to_string());
    }
    let (s, v) = call(&app, "GET", &format!("{C}?orderBy=id:DESC"), None).await;
    assert_eq!(s, 200, "{v}");
    let mut reversed = made.clone();
    reversed.reverse();
    assert_eq!(ids(&v, "conversations"), reversed);
    assert_eq!(v["pagination"]["orderBy"], "id:desc");
    let (s, v) = call(&app, "GET", &format!("{C}?orderBy=createdAt:ASC"), None).await;
    assert_eq!((s, ids(&v, "conversations")), (200, made.clone()), "{v}");
    for list in [
        "/ccaas/1/tags?orderBy=name:DESC",
        "/ccaas/1/tags?orderBy=ID:asc",
    ] {
        let (s, v) = call(&app, "GET", list, None).await;
        assert_eq!(s, 200, "{list}: {v}");
    }
    let (s, v) = call(
        &app,
        "GET",
        &format!("{C}/{}/messages?orderBy=createdAt:ASC", made[0]),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = call(&app, "GET", &format!("{C}?orderBy=colour:asc"), None).await;
    assert_eq!(s, 400, "{v}");
    assert!(v["requestError"]["serviceException"]["validationErrors"]["orderBy"].is_array());
}

#[actix_web::test]
async fn finding_4_the_documented_list_filters_are_honoured() {
    let (app, _) = app(MockConfig::default()).await;
    let mut made = Vec::new();
    for queue in ["sales", "support", "billing", "support"] {
        let (_, c) = call(
            &app,
            "POST",
            C,
            Some(&format!(r#"{{"queueId":"{queue}"}}"#)),
        )
        .await;
        made.push(c["id"].as_str().unwrap().to_string());
    }
    for name in ["zeta", "alpha"] {
        let (s, _) = call(
            &app,
            "POST",
            "/ccaas/1/tags",
            Some(&format!(r#"{{"name":"{name}"}}"#)),
        )
        .await;
        assert_eq!(s, 200);
    }
    for (i, tag) in [(0, "zeta"), (2, "alpha"), (3, "alpha")] {
        let body = format!(r#"{{"tagName":"{tag}"}}"#);
        let (s, _) = call(&app, "POST", &format!("{C}/{}/tags", made[i]), Some(&body)).await;
        assert_eq!(s, 200);
    }
    let (s, _) = call(
        &app,
        "PATCH",
        &format!("{C}/{}", made[1]),
        Some(r#"{"status":"CLOSED"}"#),
    )
    .await;
    assert_eq!(s, 200);
    let list = |q: String| {
        let app = &app;
        async move {
            let (s, v) = call(app, "GET", &format!("{C}?{q}"), None).await;
            assert_eq!(s, 200, "{q}: {v}");
            ids(&v, "conversations")
        }
    };
    let pick = |is: &[usize]| is.iter().map(|i| made[*i].clone()).collect::<Vec<_>>();
    // Lists repeated (the document's form style) or comma-separated.
    assert_eq!(
        list("queueIds=sales&queueIds=billing".into()).await,
        pick(&[0, 2])
    );
    assert_eq!(
        list("queueIds=sales,support".into()).await,
        pick(&[0, 1, 3])
    );
    assert_eq!(list("tagNames=alpha".into()).await, pick(&[2, 3]));
    assert_eq!(
        list("tagNames=alpha&tagNames=zeta".into()).await,
        pick(&[0, 2, 3])
    );
    assert_eq!(
        list(format!(
            "conversationIds={}&conversationIds={}",
            made[3], made[1]
        ))
        .await,
        pick(&[1, 3])
    );
    assert_eq!(
        list("queueIds=support&tagNames=alpha".into()).await,
        pick(&[3])
    );
    // Times: Infobip's format, with the `+` percent-encoded or not.
    assert_eq!(
        list("createdAfter=2999-01-01T00:00:00.000%2B0000".into())
            .await
            .len(),
        0
    );
    assert_eq!(
        list("createdBefore=2999-01-01T00:00:00.000+0000".into())
            .await
            .len(),
        4
    );
    assert_eq!(
        list("updatedAfter=2000-01-01T00:00:00.000+0000".into())
            .await
            .len(),
        4
    );
    assert_eq!(
        list("closedAfter=2000-01-01T00:00:00.000+0000".into()).await,
        pick(&[1])
    );
    assert_eq!(
        list("closedBefore=2000-01-01T00:00:00.000+0000".into())
            .await
            .len(),
        0
    );
    // The undocumented singular names are not filters (Infobip ignores them).
    assert_eq!(list("queueId=sales".into()).await.len(), 4);

    // Get Tags: by conversation; `id:asc` (creation order) by default.
    let (_, v) = call(&app, "GET", "/ccaas/1/tags", None).await;
    let names: Vec<&str> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["zeta", "alpha"], "{v}");
    assert_eq!(v["pagination"]["orderBy"], "id:asc");
    assert!(v["tags"][0]["id"].is_string(), "{v}");
    let (_, v) = call(
        &app,
        "GET",
        &format!("/ccaas/1/tags?conversationId={}", made[0]),
        None,
    )
    .await;
    assert_eq!(v["pagination"]["totalItems"], 1, "{v}");
    assert_eq!(v["tags"][0]["name"], "zeta");

    // Get Messages: channel, messageIds, created window.
    let inbound = r#"{"channel":"WHATSAPP","from":"447700900001","to":"385100","text":"hi"}"#;
    let (_, m) = call(&app, "POST", "/ccsim/1/inbound", Some(inbound)).await;
    let conv = m["message"]["conversationId"].as_str().unwrap().to_string();
    let first = m["message"]["id"].as_str().unwrap().to_string();
    let chat = r#"{"channel":"LIVE_CHAT","from":"385100","to":"447700900001","contentType":"TEXT","content":{"text":"hello"}}"#;
    let (s, v) = call(&app, "POST", &format!("{C}/{conv}/messages"), Some(chat)).await;
    assert_eq!(s, 200, "{v}");
    let messages = |q: &'static str| {
        let (app, conv) = (&app, conv.clone());
        async move {
            let (s, v) = call(app, "GET", &format!("{C}/{conv}/messages?{q}"), None).await;
            assert_eq!(s, 200, "{q}: {v}");
            ids(&v, "messages").len()
        }
    };
    assert_eq!(messages("").await, 2);
    assert_eq!(messages("channel=LIVE_CHAT").await, 1);
    assert_eq!(messages("channel=WHATSAPP").await, 1);
    assert_eq!(
        messages("createdAfter=2999-01-01T00:00:00.000%2B0000").await,
        0
    );
    let (_, v) = call(
        &app,
        "GET",
        &format!("{C}/{conv}/messages?messageIds={first}"),
        None,
    )
    .await;
    assert_eq!(ids(&v, "messages"), [first]);
}

#[actix_web::test]
async fn finding_6_basic_ibsso_and_bearer_credentials_work_with_scopes() {
    use base64::Engine;
    let (app, _) = app(MockConfig::default()).await;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(DEFAULT_USER)
    );
    let (s, v) = call_as(&app, Some(&basic), "GET", C, None, &[]).await;
    assert_eq!(s, 200, "{v}");
    let wrong = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ccsim-local-user:nope")
    );
    let (s, v) = call_as(&app, Some(&wrong), "GET", C, None, &[]).await;
    assert_eq!((s, message_id(&v)), (401, "UNAUTHORIZED"));

    let (user, password) = DEFAULT_USER.split_once(':').unwrap();
    let login = format!(r#"{{"username":"{user}","password":"{password}"}}"#);
    let (s, session) = call_as(&app, None, "POST", "/auth/1/session", Some(&login), &[]).await;
    assert_eq!(s, 200, "{session}");
    let ibsso = format!("IBSSO {}", session["token"].as_str().unwrap());
    let (s, v) = call_as(&app, Some(&ibsso), "POST", C, Some("{}"), &[]).await;
    assert_eq!(s, 200, "{v}");
    let bad = format!(r#"{{"username":"{user}","password":"x"}}"#);
    let (s, _) = call_as(&app, None, "POST", "/auth/1/session", Some(&bad), &[]).await;
    assert_eq!(s, 401);

    let form = format!("client_id={user}&client_secret={password}&grant_type=client_credentials");
    let form_type = ("content-type", "application/x-www-form-urlencoded");
    let (s, _, token) = raw(
        &app,
        "POST",
        "/auth/1/oauth2/token",
        &[form_type],
        Some(&form),
    )
    .await;
    assert_eq!(s, 200, "{token}");
    assert!(token["expires_in"].as_u64().unwrap() > 0);
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let (s, v) = call_as(&app, Some(&bearer), "GET", C, None, &[]).await;
    assert_eq!(s, 200, "{v}");

    // Logging out ends the session.
    let (s, _, _) = raw(
        &app,
        "DELETE",
        "/auth/1/session",
        &[("authorization", &ibsso)],
        None,
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = call_as(&app, Some(&ibsso), "GET", C, None, &[]).await;
    assert_eq!(s, 401);

    // Scopes follow the user.
    let reader = ccsim::live::mock::auth::ApiKey::parse("rex:pw=conversations:read").unwrap();
    let (app, _) = crate::mock_api::app(MockConfig {
        users: vec![reader],
        ..MockConfig::default()
    })
    .await;
    let rex = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("rex:pw")
    );
    let (s, _) = call_as(&app, Some(&rex), "GET", C, None, &[]).await;
    assert_eq!(s, 200);
    let (s, v) = call_as(&app, Some(&rex), "POST", C, Some("{}"), &[]).await;
    assert_eq!((s, message_id(&v)), (403, "FORBIDDEN"));
}

#[actix_web::test]
async fn finding_7_every_error_carries_infobips_body_and_the_key_is_checked_first() {
    let (app, _) = app(MockConfig {
        max_body_bytes: 1024,
        ..MockConfig::default()
    })
    .await;
    let auth = ("authorization", KEY);
    let json = ("content-type", "application/json");
    // 405, with the error body.
    let (s, _, v) = raw(&app, "DELETE", "/ccaas/1/tags", &[auth], None).await;
    assert_eq!((s, message_id(&v)), (405, "METHOD_NOT_ALLOWED"), "{v}");
    // 413 names itself.
    let big = format!(r#"{{"topic":"{}"}}"#, "x".repeat(2000));
    let (s, _, v) = raw(&app, "POST", C, &[auth, json], Some(&big)).await;
    assert_eq!((s, message_id(&v)), (413, "PAYLOAD_TOO_LARGE"), "{v}");
    // A path nobody serves: 401 without a key, 404 with one.
    let (s, _, v) = raw(&app, "GET", "/ccaas/1/nothing-here", &[], None).await;
    assert_eq!((s, message_id(&v)), (401, "UNAUTHORIZED"), "{v}");
    let (s, _, v) = raw(&app, "GET", "/ccaas/1/nothing-here", &[auth], None).await;
    assert_eq!((s, message_id(&v)), (404, "NOT_FOUND"), "{v}");
    let (s, _, v) = raw(&app, "PUT", "/ccaas/1/tags", &[], None).await;
    assert_eq!((s, message_id(&v)), (401, "UNAUTHORIZED"), "{v}");
    // A body must say it is JSON.
    let plain = ("content-type", "text/plain");
    let (s, _, v) = raw(&app, "POST", C, &[auth, plain], Some("{}")).await;
    assert_eq!((s, message_id(&v)), (415, "UNSUPPORTED_MEDIA_TYPE"), "{v}");
    let (s, _, v) = raw(&app, "POST", C, &[auth], Some(r#"{"topic":"t"}"#)).await;
    assert_eq!(s, 415, "{v}");
    let charset = ("content-type", "application/json; charset=utf-8");
    let (s, _, v) = raw(&app, "POST", C, &[auth, charset], Some("{}")).await;
    assert_eq!(s, 200, "{v}");
    // A bad number in the query names its parameter.
    let (s, _, v) = raw(&app, "GET", &format!("{C}?limit=abc"), &[auth], None).await;
    assert_eq!(s, 400);
    let limit = &v["requestError"]["serviceException"]["validationErrors"]["limit"];
    assert!(limit[0].as_str().unwrap().contains("abc"), "{v}");
    // Webhook URLs must be http(s) with a host.
    for url in [
        "not a url",
        "file:///etc/passwd",
        "gopher://example.com/",
        "http://",
    ] {
        let body = format!(r#"{{"webhookUrl":"{url}"}}"#);
        let (s, _, v) = raw(
            &app,
            "PUT",
            "/ccaas/1/account/configuration",
            &[auth, json],
            Some(&body),
        )
        .await;
        assert_eq!(s, 400, "{url}: {v}");
        assert!(
            v["requestError"]["serviceException"]["validationErrors"]["webhookUrl"].is_array(),
            "{url}: {v}"
        );
    }
    let body = r#"{"webhookUrl":"https://hooks.example.com/infobip"}"#;
    let (s, _, v) = raw(
        &app,
        "PUT",
        "/ccaas/1/account/configuration",
        &[auth, json],
        Some(body),
    )
    .await;
    assert_eq!(s, 200, "{v}");
}

#[actix_web::test]
async fn finding_7_get_messages_answers_429_past_500_a_minute_unless_limits_are_off() {
    let (app, _) = app(MockConfig::default()).await;
    let (_, c) = call(&app, "POST", C, Some("{}")).await;
    let path = format!("{C}/{}/messages", c["id"].as_str().unwrap());
    let auth = ("authorization", KEY);
    for i in 0..500 {
        let (s, _, v) = raw(&app, "GET", &path, &[auth], None).await;
        assert_eq!(s, 200, "call {i}: {v}");
    }
    let (s, retry, v) = raw(&app, "GET", &path, &[auth], None).await;
    assert_eq!((s, message_id(&v)), (429, "TOO_MANY_REQUESTS"), "{v}");
    let retry: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Other endpoints have no published limit.
    let (s, _, _) = raw(&app, "GET", C, &[auth], None).await;
    assert_eq!(s, 200);

    let (app, _) = crate::mock_api::app(MockConfig {
        rate_limits: false,
        ..MockConfig::default()
    })
    .await;
    let (_, c) = call(&app, "POST", C, Some("{}")).await;
    let path = format!("{C}/{}/messages", c["id"].as_str().unwrap());
    for _ in 0..600 {
        let (s, _, _) = raw(&app, "GET", &path, &[auth], None).await;
        assert_eq!(s, 200);
    }
}

#[actix_web::test]
async fn unknown_field_names_are_counted_within_a_cap() {
    let (app, _) = app(MockConfig::default()).await;
    // A hostile client: a new field name each time, 1,200 of them.
    let fields: Vec<String> = (0..1_200).map(|k| format!(r#""f{k}":1"#)).collect();
    let body = format!("{{{}}}", fields.join(","));
    let (s, v) = call(&app, "POST", C, Some(&body)).await;
    assert_eq!(s, 200, "{v}");
    let (_, stats) = call(&app, "GET", "/ccsim/1/stats", None).await;
    let unknown = stats["unknown_fields"].as_object().unwrap();
    assert!(unknown.len() <= 1_001, "{}", unknown.len());
    assert_eq!(
        unknown["(other fields)"], 200,
        "1,000 names kept, the rest together"
    );
}
