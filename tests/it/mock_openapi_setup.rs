//! The mock's account set-up and Subscriptions API against Infobip's OpenAPI documents (as
//! `mock_openapi.rs` does for conversations): every answer of a session over agents, queues,
//! routing, bots, working hours, templates and subscriptions validates against the schema the
//! document declares for it, and each Conversations event the mock delivers to a subscription
//! validates against the conversation event webhook of Infobip's common-assets document. The
//! documents' own mistakes are listed, with the reason, in
//! `tests/data/infobip-openapi/document-bugs.json`.

use serde_json::{Value, json};

use ccsim::live::mock::MockConfig;
use ccsim::live::mock::inbound::InboundType;
use ccsim::live::mock::state::MockPlatform;
use ccsim::model::platform_api::WindowMode;

use crate::mock_api::{app, call};
use crate::mock_openapi::Checker;

#[actix_web::test]
async fn the_set_up_and_subscription_answers_validate_against_infobips_documents() {
    let (app, _) = app(MockConfig::default()).await;
    let mut c = Checker::over(&["conversations", "subscriptions", "whatsapp"]);
    let conv = "conversations";
    let check = |c: &mut Checker, doc, method: &str, path: &str, (s, v): (u16, Value)| {
        c.check(doc, method, path, s, &v);
        v
    };

    let agent = r#"{"displayName":"Ann","role":"AGENT","status":"ACTIVE"}"#;
    let a = check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/agents",
        call(&app, "POST", "/ccaas/1/agents", Some(agent)).await,
    );
    let id = a["id"].as_str().unwrap_or_default().to_string();
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/agents",
        call(&app, "GET", "/ccaas/1/agents", None).await,
    );
    let one = "/ccaas/1/agents/{agentId}";
    check(
        &mut c,
        conv,
        "get",
        one,
        call(&app, "GET", &format!("/ccaas/1/agents/{id}"), None).await,
    );
    check(
        &mut c,
        conv,
        "put",
        one,
        call(&app, "PUT", &format!("/ccaas/1/agents/{id}"), Some(agent)).await,
    );
    let status = r#"{"status":"AWAY"}"#;
    check(
        &mut c,
        conv,
        "put",
        "/ccaas/1/agents/{agentId}/status",
        call(
            &app,
            "PUT",
            &format!("/ccaas/1/agents/{id}/status"),
            Some(status),
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "put",
        "/ccaas/1/agents/{agentId}/heartbeat",
        call(
            &app,
            "PUT",
            &format!("/ccaas/1/agents/{id}/heartbeat"),
            None,
        )
        .await,
    );
    let q = check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/queues",
        call(
            &app,
            "POST",
            "/ccaas/1/queues",
            Some(r#"{"name":"billing"}"#),
        )
        .await,
    );
    let queue = q["id"].as_str().unwrap_or_default().to_string();
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/queues",
        call(&app, "GET", "/ccaas/1/queues", None).await,
    );
    check(
        &mut c,
        conv,
        "put",
        "/ccaas/1/queues/{queueId}",
        call(
            &app,
            "PUT",
            &format!("/ccaas/1/queues/{queue}"),
            Some(r#"{"isAutoAssignmentEnabled":true}"#),
        )
        .await,
    );
    let member = format!(r#"{{"queueId":"{queue}"}}"#);
    check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/agents/{agentId}/queues",
        call(
            &app,
            "POST",
            &format!("/ccaas/1/agents/{id}/queues"),
            Some(&member),
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "delete",
        "/ccaas/1/agents/{agentId}/queues/{queueId}",
        call(
            &app,
            "DELETE",
            &format!("/ccaas/1/agents/{id}/queues/{queue}"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/agents/{agentId}/conversations",
        call(
            &app,
            "GET",
            &format!("/ccaas/1/agents/{id}/conversations"),
            None,
        )
        .await,
    );

    let rules = json!([{ "name": "sms", "queueId": queue, "expression": { "$eq": { "message.channel": "SMS" } } }]);
    check(
        &mut c,
        conv,
        "put",
        "/ccaas/1/routing",
        call(&app, "PUT", "/ccaas/1/routing", Some(&rules.to_string())).await,
    );
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/routing",
        call(&app, "GET", "/ccaas/1/routing", None).await,
    );
    let inbound = r#"{"channel":"SMS","from":"447700900001","to":"385100","text":"hi"}"#;
    let (_, m) = call(&app, "POST", "/ccsim/1/inbound", Some(inbound)).await;
    let cid = m["message"]["conversationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let c1 = "/ccaas/1/conversations/{conversationId}";
    check(
        &mut c,
        conv,
        "get",
        &format!("{c1}/simulate-routing"),
        call(
            &app,
            "GET",
            &format!("/ccaas/1/conversations/{cid}/simulate-routing"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "get",
        &format!("{c1}/links"),
        call(
            &app,
            "GET",
            &format!("/ccaas/1/conversations/{cid}/links"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "delete",
        "/ccaas/1/routing",
        call(&app, "DELETE", "/ccaas/1/routing", None).await,
    );
    check(
        &mut c,
        conv,
        "delete",
        "/ccaas/1/queues/{queueId}",
        call(&app, "DELETE", &format!("/ccaas/1/queues/{queue}"), None).await,
    );

    let bot = r#"{"displayName":"Helper","destination":"385100","channel":"WHATSAPP"}"#;
    let b = check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/bots",
        call(&app, "POST", "/ccaas/1/bots", Some(bot)).await,
    );
    let bid = b["id"].as_str().unwrap_or_default().to_string();
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/bots",
        call(&app, "GET", "/ccaas/1/bots", None).await,
    );
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/bots/{botId}",
        call(&app, "GET", &format!("/ccaas/1/bots/{bid}"), None).await,
    );
    check(
        &mut c,
        conv,
        "put",
        "/ccaas/1/bots/{botId}",
        call(&app, "PUT", &format!("/ccaas/1/bots/{bid}"), Some(bot)).await,
    );
    check(
        &mut c,
        conv,
        "delete",
        "/ccaas/1/bots/{botId}",
        call(&app, "DELETE", &format!("/ccaas/1/bots/{bid}"), None).await,
    );

    let hours = json!({ "name": "office", "message": "Closed.", "timezone": "Europe/Zagreb",
        "workWeek": { "MONDAY": { "enabled": true, "startTime": 480, "endTime": 1020 } } });
    let h = check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/working-hours",
        call(
            &app,
            "POST",
            "/ccaas/1/working-hours",
            Some(&hours.to_string()),
        )
        .await,
    );
    let hid = h["id"].as_str().unwrap_or_default().to_string();
    let wh = "/ccaas/1/working-hours/{id}";
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/working-hours",
        call(&app, "GET", "/ccaas/1/working-hours", None).await,
    );
    check(
        &mut c,
        conv,
        "get",
        wh,
        call(&app, "GET", &format!("/ccaas/1/working-hours/{hid}"), None).await,
    );
    check(
        &mut c,
        conv,
        "put",
        wh,
        call(
            &app,
            "PUT",
            &format!("/ccaas/1/working-hours/{hid}"),
            Some(&hours.to_string()),
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "patch",
        wh,
        call(
            &app,
            "PATCH",
            &format!("/ccaas/1/working-hours/{hid}"),
            Some(r#"{"enabled":false}"#),
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "get",
        &format!("{wh}/status"),
        call(
            &app,
            "GET",
            &format!("/ccaas/1/working-hours/{hid}/status"),
            None,
        )
        .await,
    );
    let holiday = r#"{"name":"New Year","startDate":"2027-01-01T00:00:00.000+0000","endDate":"2027-01-01T00:00:00.000+0000"}"#;
    let h = check(
        &mut c,
        conv,
        "post",
        "/ccaas/1/working-hours/{workingHoursId}/holiday",
        call(
            &app,
            "POST",
            &format!("/ccaas/1/working-hours/{hid}/holiday"),
            Some(holiday),
        )
        .await,
    );
    let hol = h["holidays"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    check(
        &mut c,
        conv,
        "delete",
        "/ccaas/1/working-hours/{workingHoursId}/holiday/{id}",
        call(
            &app,
            "DELETE",
            &format!("/ccaas/1/working-hours/{hid}/holiday/{hol}"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "delete",
        wh,
        call(
            &app,
            "DELETE",
            &format!("/ccaas/1/working-hours/{hid}"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        conv,
        "get",
        "/ccaas/1/templates",
        call(&app, "GET", "/ccaas/1/templates", None).await,
    );

    let subs = "subscriptions";
    let security =
        r#"{"authId":"hook-basic","type":"BASIC","credentials":{"username":"u","password":"p"}}"#;
    check(
        &mut c,
        subs,
        "post",
        "/subscriptions/1/security",
        call(&app, "POST", "/subscriptions/1/security", Some(security)).await,
    );
    check(
        &mut c,
        subs,
        "get",
        "/subscriptions/1/security",
        call(&app, "GET", "/subscriptions/1/security", None).await,
    );
    check(
        &mut c,
        subs,
        "get",
        "/subscriptions/1/security/{authId}",
        call(&app, "GET", "/subscriptions/1/security/hook-basic", None).await,
    );
    let profile = r#"{"profileId":"hook","webhook":{"notifyUrl":"http://127.0.0.1:9/events"},"security":{"authId":"hook-basic"}}"#;
    check(
        &mut c,
        subs,
        "post",
        "/subscriptions/1/profiles",
        call(&app, "POST", "/subscriptions/1/profiles", Some(profile)).await,
    );
    check(
        &mut c,
        subs,
        "get",
        "/subscriptions/1/profiles",
        call(&app, "GET", "/subscriptions/1/profiles", None).await,
    );
    check(
        &mut c,
        subs,
        "get",
        "/subscriptions/1/profiles/{profileId}",
        call(&app, "GET", "/subscriptions/1/profiles/hook", None).await,
    );
    let sub = r#"{"subscriptionId":"s1","events":["CONVERSATION_CREATED"],"profile":{"profileId":"hook"}}"#;
    let sp = "/subscriptions/1/subscription/{channel}";
    check(
        &mut c,
        subs,
        "post",
        sp,
        call(
            &app,
            "POST",
            "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT",
            Some(sub),
        )
        .await,
    );
    check(
        &mut c,
        subs,
        "get",
        sp,
        call(
            &app,
            "GET",
            "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT",
            None,
        )
        .await,
    );
    let one = "/subscriptions/1/subscription/{channel}/{subscriptionId}";
    check(
        &mut c,
        subs,
        "get",
        one,
        call(
            &app,
            "GET",
            "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT/s1",
            None,
        )
        .await,
    );
    check(
        &mut c,
        subs,
        "delete",
        one,
        call(
            &app,
            "DELETE",
            "/subscriptions/1/subscription/CUSTOMER_ENGAGEMENT/s1",
            None,
        )
        .await,
    );
    check(
        &mut c,
        subs,
        "delete",
        "/subscriptions/1/profiles/{profileId}",
        call(&app, "DELETE", "/subscriptions/1/profiles/hook", None).await,
    );
    check(
        &mut c,
        subs,
        "delete",
        "/subscriptions/1/security/{authId}",
        call(&app, "DELETE", "/subscriptions/1/security/hook-basic", None).await,
    );

    let wa = "whatsapp";
    let t = r#"{"name":"order_update","language":"en","category":"UTILITY","structure":{"body":{"text":"On its way."},"type":"TEXT"}}"#;
    let tp = "/whatsapp/2/senders/{sender}/templates";
    let made = check(
        &mut c,
        wa,
        "post",
        tp,
        call(
            &app,
            "POST",
            "/whatsapp/2/senders/385100/templates",
            Some(t),
        )
        .await,
    );
    let tid = made["id"].as_str().unwrap_or_default().to_string();
    check(
        &mut c,
        wa,
        "get",
        tp,
        call(&app, "GET", "/whatsapp/2/senders/385100/templates", None).await,
    );
    let one = "/whatsapp/2/senders/{sender}/templates/{id}";
    check(
        &mut c,
        wa,
        "get",
        one,
        call(
            &app,
            "GET",
            &format!("/whatsapp/2/senders/385100/templates/{tid}"),
            None,
        )
        .await,
    );
    check(
        &mut c,
        wa,
        "patch",
        one,
        call(
            &app,
            "PATCH",
            &format!("/whatsapp/2/senders/385100/templates/{tid}"),
            Some(r#"{"category":"MARKETING"}"#),
        )
        .await,
    );
    check(
        &mut c,
        wa,
        "get",
        "/whatsapp/1/templates",
        call(&app, "GET", "/whatsapp/1/templates", None).await,
    );

    assert_eq!(c.checked, 50, "every call above was checked");
    assert!(
        c.known > 0,
        "the workWeek bug of the document was met and set aside"
    );
    assert!(
        c.failures.is_empty(),
        "{} answers break the documents:\n{}",
        c.failures.len(),
        c.failures.join("\n")
    );
}

/// The schema of the Conversations event webhook's body in Infobip's common-assets document.
fn event_schema(doc: &Value) -> Value {
    let schema = &doc["webhooks"]["conversation-event-webhook"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(!schema.is_null(), "the document has the webhook");
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"],
    })
}

#[test]
fn every_conversation_event_delivered_validates_against_the_event_webhook() {
    let mut c = Checker::over(&["common-assets"]);
    let schema = event_schema(&c.docs["common-assets"]);
    let mut p = MockPlatform::new(WindowMode::FailOnDelivery, Vec::new());
    let sub: ccsim::live::mock::subscriptions::SubscriptionIn = serde_json::from_value(json!({
        "subscriptionId": "all",
        "events": ["CONVERSATION_CREATED", "CONVERSATION_MESSAGE_RECEIVED",
                   "CONVERSATION_STATUS_UPDATED", "CONVERSATION_ASSIGNMENT_UPDATED"],
        "profile": { "profileId": "hook", "webhook": { "notifyUrl": "https://hooks.example.com/e" } },
    }))
    .unwrap();
    p.subscriptions_mut()
        .create_subscription("CUSTOMER_ENGAGEMENT", &sub)
        .unwrap();
    for (k, kind) in InboundType::ALL.into_iter().enumerate() {
        let content = (kind, kind.sample_content("hello", k as u64));
        let m = p
            .inbound(
                "WHATSAPP",
                &format!("4477009{k:05}"),
                "385100",
                content,
                1_000,
            )
            .unwrap();
        let assign = ccsim::live::mock::wire::AssigneeIn {
            agent_id: Some("ann".into()),
        };
        p.assign(&m.conversation_id, &assign, 2_000).unwrap();
        let close = ccsim::live::mock::wire::ConversationIn {
            status: Some("CLOSED".into()),
            ..Default::default()
        };
        p.update_conversation(&m.conversation_id, &close, false, 3_000)
            .unwrap();
    }
    let sent = p.take_notifications();
    assert_eq!(sent.len(), 4 * InboundType::ALL.len());
    for n in &sent {
        let body: Value = serde_json::from_slice(&n.body).unwrap();
        c.validate(
            &schema,
            &format!("event {}", body["type"]),
            "/webhook",
            &body,
        );
    }
    assert!(
        c.failures.is_empty(),
        "{} events break the webhook schema:\n{}",
        c.failures.len(),
        c.failures.join("\n")
    );
}
