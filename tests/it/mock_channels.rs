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
