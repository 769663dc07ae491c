//! The mock's channel sends beside the Conversations API: WhatsApp's direct text and template
//! sends, and the Messages API — keys and scopes, the documented limits named field by field,
//! and the 24-hour window (WIN-1) in both of its failure modes.

use serde_json::Value;

use ccsim::live::mock::MockConfig;
use ccsim::live::mock::auth::ApiKey;
use ccsim::model::platform_api::WindowMode;

use crate::mock_api::{app, call, call_as};

const TEXT: &str = "/whatsapp/1/message/text";
const TEMPLATE: &str = "/whatsapp/1/message/template";
const MESSAGES: &str = "/messages-api/1/messages";

fn text_to(to: &str, text: &str) -> String {
    format!(r#"{{"from":"385100","to":"{to}","content":{{"text":"{text}"}}}}"#)
}

fn validation(v: &Value) -> &Value {
    &v["requestError"]["serviceException"]["validationErrors"]
}

/// The customer writes in: their window opens (the mock's inbound hook).
fn customer_writes(to_business: &str, customer: &str) -> String {
    format!(r#"{{"channel":"WHATSAPP","from":"{customer}","to":"{to_business}","text":"hi"}}"#)
}

#[actix_web::test]
async fn win_1_a_free_form_whatsapp_send_needs_the_window_and_a_template_does_not() {
    let (app, data) = app(MockConfig {
        window_mode: WindowMode::RejectAtOnce,
        ..MockConfig::default()
    })
    .await;
    // No inbound yet: refused at once in this mode.
    let (status, v) = call(&app, "POST", TEXT, Some(&text_to("447700", "hello"))).await;
    assert_eq!(status, 400, "{v}");
    // The customer writes: the window is open for this business number.
    let (status, _) = call(
        &app,
        "POST",
        "/ccsim/1/inbound",
        Some(&customer_writes("385100", "447700")),
    )
    .await;
    assert_eq!(status, 200);
    let (status, v) = call(&app, "POST", TEXT, Some(&text_to("447700", "hello"))).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["to"], "447700");
    assert_eq!(v["messageCount"], 1);
    assert_eq!(v["status"]["groupName"], "PENDING");
    assert_eq!(v["status"]["name"], "PENDING_ENROUTE");
    assert!(v["messageId"].as_str().is_some_and(|s| !s.is_empty()));
    // Another customer has no window; a template reaches them anyway.
    let (status, _) = call(&app, "POST", TEXT, Some(&text_to("447799", "hello"))).await;
    assert_eq!(status, 400);
    let template = r#"{"messages":[{"from":"385100","to":"447799","messageId":"mine-1","content":{"templateName":"order_update","templateData":{"body":{"placeholders":["A-17"]}},"language":"en"}}]}"#;
    let (status, v) = call(&app, "POST", TEMPLATE, Some(template)).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["messages"][0]["messageId"], "mine-1",
        "the caller's id kept"
    );
    assert_eq!(
        data.api_stats().errors.get("outside_window").copied(),
        Some(2)
    );
}

#[actix_web::test]
async fn win_1_by_default_an_out_of_window_send_is_accepted_and_fails_later() {
    let (app, _) = app(MockConfig::default()).await;
    let (status, v) = call(&app, "POST", TEXT, Some(&text_to("447700", "hello"))).await;
    assert_eq!(status, 200, "accepted with PENDING_ENROUTE (§4): {v}");
}

#[actix_web::test]
async fn whatsapp_sends_name_every_field_out_of_its_documented_limits() {
    let (app, _) = app(MockConfig::default()).await;
    let long_from = "1".repeat(25);
    let body = format!(
        r#"{{"from":"{long_from}","to":"","content":{{"text":"{}"}},"callbackData":"{}"}}"#,
        "x".repeat(4097),
        "c".repeat(4001)
    );
    let (status, v) = call(&app, "POST", TEXT, Some(&body)).await;
    assert_eq!(status, 400);
    let errors = validation(&v);
    assert_eq!(errors["from"][0], "size must be between 1 and 24");
    assert_eq!(errors["to"][0], "must not be blank");
    assert_eq!(errors["content.text"][0], "size must be between 1 and 4096");
    assert_eq!(errors["callbackData"][0], "size must be between 0 and 4000");
    let (status, v) = call(&app, "POST", TEXT, Some(r#"{"from":"1","to":"2"}"#)).await;
    assert_eq!(
        (status, &validation(&v)["content"][0]),
        (400, &Value::from("must not be null"))
    );
    let bad_template = r#"{"messages":[{"from":"1","to":"2","content":{"templateName":"Order-Update","language":"en","templateData":{"body":{}}}}]}"#;
    let (status, v) = call(&app, "POST", TEMPLATE, Some(bad_template)).await;
    assert_eq!(status, 400);
    let errors = validation(&v);
    assert!(
        errors["messages[0].content.templateName"][0]
            .as_str()
            .unwrap()
            .contains("lowercase")
    );
    assert_eq!(
        errors["messages[0].content.templateData.body.placeholders"][0],
        "must not be null"
    );
    let (status, _) = call(&app, "POST", TEMPLATE, Some(r#"{"messages":[]}"#)).await;
    assert_eq!(status, 400);
    let (status, _) = call(&app, "POST", TEXT, Some("[1,2]")).await;
    assert_eq!(status, 400, "not an object");
}

#[actix_web::test]
async fn whatsapp_sends_need_a_sending_scope_not_conversations() {
    let (app, _) = app(MockConfig {
        keys: vec![
            ApiKey::parse("convs=conversations:manage").unwrap(),
            ApiKey::parse("wa=whatsapp:message:send").unwrap(),
        ],
        ..MockConfig::default()
    })
    .await;
    let body = text_to("447700", "hello");
    let (status, _) = call_as(&app, Some("App convs"), "POST", TEXT, Some(&body), &[]).await;
    assert_eq!(status, 403);
    let (status, _) = call_as(&app, Some("App wa"), "POST", TEXT, Some(&body), &[]).await;
    assert_eq!(status, 200);
    let (status, _) = call_as(&app, None, "POST", MESSAGES, Some("{}"), &[]).await;
    assert_eq!(status, 401);
}

#[actix_web::test]
async fn the_messages_api_sends_to_each_destination_and_answers_in_its_own_error_shape() {
    let (app, _) = app(MockConfig::default()).await;
    let ok = r#"{"messages":[{"channel":"WHATSAPP","sender":"385100","destinations":[{"to":"447700"},{"to":"447711","messageId":"m-2"}],"content":{"body":{"text":"Hello","type":"TEXT"}}}]}"#;
    let (status, v) = call(&app, "POST", MESSAGES, Some(ok)).await;
    assert_eq!(status, 200, "{v}");
    let messages = v["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["messageId"], "m-2");
    assert_eq!(messages[1]["destination"], "447711");
    assert_eq!(messages[0]["status"]["groupName"], "PENDING");
    assert!(v["bulkId"].as_str().is_some());
    let bad = r#"{"messages":[{"channel":"PIGEON","sender":"","destinations":[],"content":{"body":{"text":"","type":"TEXT"}}}]}"#;
    let (status, v) = call(&app, "POST", MESSAGES, Some(bad)).await;
    assert_eq!(status, 400);
    assert_eq!(v["errorCode"], "E400");
    let properties: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["property"].as_str().unwrap())
        .collect();
    for field in [
        "messages[0].channel",
        "messages[0].sender",
        "messages[0].destinations",
        "messages[0].content.body.text",
    ] {
        assert!(properties.contains(&field), "{field} in {properties:?}");
    }
}

/// A valid content for each WhatsApp send kind beyond text and templates.
const KINDS: [(&str, &str); 10] = [
    (
        "image",
        r#"{"mediaUrl":"https://x.test/a.png","caption":"a"}"#,
    ),
    (
        "document",
        r#"{"mediaUrl":"https://x.test/a.pdf","filename":"a.pdf"}"#,
    ),
    ("audio", r#"{"mediaUrl":"https://x.test/a.mp3"}"#),
    ("video", r#"{"mediaUrl":"https://x.test/a.mp4"}"#),
    ("sticker", r#"{"mediaUrl":"https://x.test/a.webp"}"#),
    (
        "location",
        r#"{"latitude":45.8,"longitude":15.97,"name":"Zagreb"}"#,
    ),
    (
        "contact",
        r#"{"contacts":[{"name":{"firstName":"Ana","formattedName":"Ana"}}]}"#,
    ),
    (
        "interactive/buttons",
        r#"{"body":{"text":"Pick one"},"action":{"buttons":[{"type":"REPLY","id":"1","title":"Yes"},{"type":"REPLY","id":"2","title":"No"}]}}"#,
    ),
    (
        "interactive/list",
        r#"{"body":{"text":"Pick"},"action":{"title":"Options","sections":[{"rows":[{"id":"a","title":"A"},{"id":"b","title":"B","description":"the second"}]}]}}"#,
    ),
    (
        "interactive/url-button",
        r#"{"body":{"text":"Track it"},"action":{"displayText":"Track","url":"https://x.test/t"}}"#,
    ),
];

fn send_of(content: &str) -> String {
    format!(r#"{{"from":"385100","to":"447700","content":{content}}}"#)
}

#[actix_web::test]
async fn every_whatsapp_send_kind_is_accepted_inside_the_window_and_refused_outside() {
    let (app, _) = app(MockConfig {
        window_mode: WindowMode::RejectAtOnce,
        ..MockConfig::default()
    })
    .await;
    for (kind, content) in KINDS {
        let path = format!("/whatsapp/1/message/{kind}");
        let (status, _) = call(&app, "POST", &path, Some(&send_of(content))).await;
        assert_eq!(status, 400, "{kind}: free-form outside the window (WIN-1)");
    }
    call(
        &app,
        "POST",
        "/ccsim/1/inbound",
        Some(&customer_writes("385100", "447700")),
    )
    .await;
    for (kind, content) in KINDS {
        let path = format!("/whatsapp/1/message/{kind}");
        let (status, v) = call(&app, "POST", &path, Some(&send_of(content))).await;
        assert_eq!(status, 200, "{kind}: {v}");
        assert_eq!(v["status"]["name"], "PENDING_ENROUTE");
    }
}

#[actix_web::test]
async fn whatsapp_media_location_and_interactive_limits_are_named_by_field() {
    let (app, _) = app(MockConfig::default()).await;
    let cases = [
        (
            "image",
            r#"{"caption":"x"}"#,
            "content.mediaUrl",
            "must not be null",
        ),
        (
            "location",
            r#"{"latitude":91,"longitude":0}"#,
            "content.latitude",
            "must be between -90 and 90",
        ),
        (
            "contact",
            r#"{"contacts":[]}"#,
            "content.contacts",
            "must not be empty",
        ),
        (
            "interactive/buttons",
            r#"{"body":{"text":"?"},"action":{"buttons":[{"id":"1","title":"Same"},{"id":"2","title":"Same"}]}}"#,
            "content.action.buttons",
            "ids and titles must be unique",
        ),
        (
            "interactive/buttons",
            r#"{"body":{"text":"?"},"action":{"buttons":[{"id":"1","title":"A"},{"id":"2","title":"B"},{"id":"3","title":"C"},{"id":"4","title":"D"}]}}"#,
            "content.action.buttons",
            "size must be between 1 and 3",
        ),
        (
            "interactive/buttons",
            r#"{"body":{"text":"?"},"action":{"buttons":[{"id":"1","title":"A title that is far too long"}]}}"#,
            "content.action.buttons[0].title",
            "size must be between 1 and 20",
        ),
        (
            "interactive/list",
            r#"{"body":{"text":"?"},"action":{"title":"T","sections":[{"title":"s1","rows":[{"id":"a","title":"A"}]},{"rows":[{"id":"a","title":"B"}]}]}}"#,
            "content.action.sections[1].title",
            "must not be null",
        ),
        (
            "interactive/list",
            r#"{"body":{"text":"?"},"action":{"title":"T","sections":[{"title":"s1","rows":[{"id":"a","title":"A"}]},{"title":"s2","rows":[{"id":"a","title":"B"}]}]}}"#,
            "content.action.sections[1].rows[0].id",
            "must be unique",
        ),
        (
            "interactive/url-button",
            r#"{"body":{"text":"?"},"action":{"url":"https://x.test"}}"#,
            "content.action.displayText",
            "must not be null",
        ),
    ];
    for (kind, content, field, message) in cases {
        let path = format!("/whatsapp/1/message/{kind}");
        let (status, v) = call(&app, "POST", &path, Some(&send_of(content))).await;
        assert_eq!(status, 400, "{kind} {content}");
        let errors = validation(&v);
        assert!(
            errors[field]
                .as_array()
                .is_some_and(|m| m.iter().any(|x| x == message)),
            "{kind}: expected {field}: {message} in {errors}"
        );
    }
    let eleven_rows: Vec<String> = (0..11)
        .map(|i| format!(r#"{{"id":"r{i}","title":"R{i}"}}"#))
        .collect();
    let list = format!(
        r#"{{"body":{{"text":"?"}},"action":{{"title":"T","sections":[{{"rows":[{}]}}]}}}}"#,
        eleven_rows.join(",")
    );
    let (status, v) = call(
        &app,
        "POST",
        "/whatsapp/1/message/interactive/list",
        Some(&send_of(&list)),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        validation(&v)["content.action.sections"][0],
        "must hold at most 10 rows in all"
    );
}

#[actix_web::test]
async fn typing_events_need_a_supported_channel_and_an_existing_conversation() {
    let (app, _) = app(MockConfig::default()).await;
    let (_, c) = call(&app, "POST", "/ccaas/1/conversations", Some("{}")).await;
    let id = c["id"].as_str().unwrap();
    let path = format!("/ccaas/1/conversations/{id}/events");
    let typing = |channel: &str| {
        format!(r#"{{"from":"bot","to":"447700","channel":"{channel}","type":"TYPING_STARTED"}}"#)
    };
    let (status, _) = call(&app, "POST", &path, Some(&typing("WHATSAPP"))).await;
    assert_eq!(status, 200);
    let (status, v) = call(&app, "POST", &path, Some(&typing("SMS"))).await;
    assert_eq!(status, 400);
    assert_eq!(
        validation(&v)["channel"][0],
        "Channel is not supported for provided event type"
    );
    let (status, v) = call(
        &app,
        "POST",
        &path,
        Some(r#"{"from":"bot","to":"x","channel":"WHATSAPP","type":"WAVING"}"#),
    )
    .await;
    assert_eq!(
        (status, &validation(&v)["type"][0]),
        (400, &Value::from("invalid value"))
    );
    let (status, _) = call(
        &app,
        "POST",
        "/ccaas/1/conversations/nope/events",
        Some(&typing("WHATSAPP")),
    )
    .await;
    assert_eq!(status, 404);
}
