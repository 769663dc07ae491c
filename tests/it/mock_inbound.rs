//! Issue 15, finding 8: what customers send beyond text, and where `…/route` sends a
//! conversation. `/ccsim/1/inbound` takes every inbound content type shaped as the
//! Conversations API writes it (and refuses a malformed one, naming the field); a load
//! scenario's `[load.inbound_content]` shares make its customers send them; the mock started
//! with a scenario routes `POST …/route` by the scenario's routes (RT-1, RT-4, RT-5).

use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};

use ccsim::live::mock::MockConfig;
use ccsim::live::mock::inbound::InboundType;
use ccsim::scenario::input_file::FileRoot;
use ccsim::scenario::locate::Format;
use ccsim::scenario::{QUICKSTART_TOML, parse};

use crate::mock_api::{app, call};

const C: &str = "/ccaas/1/conversations";

#[actix_web::test]
async fn finding_8_every_inbound_content_type_is_stored_and_read_back_as_sent() {
    let (app, _) = app(MockConfig::default()).await;
    for (k, kind) in InboundType::ALL.into_iter().enumerate() {
        let content = kind.sample_content("Where is my parcel?", k as u64);
        let body = json!({
            "channel": "WHATSAPP",
            "from": format!("44770090{k:04}"),
            "to": "385100",
            "contentType": kind.api_name(),
            "content": content,
        });
        let (s, v) = call(&app, "POST", "/ccsim/1/inbound", Some(&body.to_string())).await;
        assert_eq!(s, 200, "{kind:?}: {v}");
        let m = &v["message"];
        assert_eq!(m["contentType"], kind.api_name());
        assert_eq!(m["content"], content);
        assert_eq!(m["direction"], "INBOUND");
        let conv = m["conversationId"].as_str().unwrap();
        let (_, listed) = call(&app, "GET", &format!("{C}/{conv}/messages"), None).await;
        assert_eq!(listed["messages"][0]["content"], content, "{listed}");
    }
    // A malformed one is refused, naming the field.
    for (content_type, content, field) in [
        ("IMAGE", json!({ "caption": "no link" }), "content.url"),
        (
            "LOCATION",
            json!({ "latitude": 95, "longitude": 1 }),
            "content.latitude",
        ),
        (
            "INTERACTIVE_LIST_REPLY",
            json!({ "id": "r1" }),
            "content.title",
        ),
        ("HOLOGRAM", json!({}), "contentType"),
    ] {
        let body = json!({
            "channel": "WHATSAPP", "from": "447700900999", "to": "385100",
            "contentType": content_type, "content": content,
        });
        let (s, v) = call(&app, "POST", "/ccsim/1/inbound", Some(&body.to_string())).await;
        assert_eq!(s, 400, "{content_type}: {v}");
        let errors = &v["requestError"]["serviceException"]["validationErrors"];
        assert!(errors[field].is_array(), "{content_type}: {v}");
    }
}

/// The quickstart with `extra` after it.
fn quickstart_and(
    extra: &str,
) -> Result<ccsim::scenario::Scenario, ccsim::scenario::error::ScenarioError> {
    let text = format!("{QUICKSTART_TOML}\n{extra}");
    parse(
        &text,
        Format::Toml,
        Path::new("q.toml"),
        &FileRoot::strict(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))),
    )
}

fn quickstart_with(extra: &str) -> Arc<ccsim::model::centre::CentreSpec> {
    quickstart_and(extra).expect("a valid scenario").centre
}

async fn inbound(app: &impl InboundApp, from: &str, text: &str) -> String {
    let body = json!({ "channel": "WHATSAPP", "from": from, "to": "385100", "text": text });
    let (s, v) = app
        .call("POST", "/ccsim/1/inbound", Some(&body.to_string()))
        .await;
    assert_eq!(s, 200, "{v}");
    v["message"]["conversationId"].as_str().unwrap().to_string()
}

/// The calls the routing test makes, on an app built by [`app`].
trait InboundApp {
    async fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value);
}

impl<S, B> InboundApp for S
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    async fn call(&self, method: &str, path: &str, body: Option<&str>) -> (u16, Value) {
        call(self, method, path, body).await
    }
}

#[actix_web::test]
async fn finding_8_route_follows_the_scenarios_routes_rt_1_rt_4_rt_5() {
    // After the quickstart's routes (which read a person's attributes, unknown to the mock):
    // one on the handoff tag, one on what the customer wrote.
    let spec = quickstart_with(
        r#"
[[routes]]
name = "handed-off"
queue = "sales"
priority = "urgent"
conditions = [{ attribute = "tags", operator = "in_list", value = ["opencx_handed_off"] }]

[[routes]]
name = "refunds"
queue = "support"
conditions = [{ attribute = "content", operator = "contains", value = "refund" }]
"#,
    );
    let (app, _) = app(MockConfig {
        routing: Some(spec),
        ..MockConfig::default()
    })
    .await;
    let (s, _) = app
        .call(
            "POST",
            "/ccaas/1/tags",
            Some(r#"{"name":"opencx_handed_off"}"#),
        )
        .await;
    assert_eq!(s, 200);
    let tagged = inbound(&app, "447700900001", "hello").await;
    let (s, _) = app
        .call(
            "POST",
            &format!("{C}/{tagged}/tags"),
            Some(r#"{"tagName":"opencx_handed_off"}"#),
        )
        .await;
    assert_eq!(s, 200);
    let refund = inbound(&app, "447700900002", "I want a REFUND please").await;
    let other = inbound(&app, "447700900003", "hello").await;
    for (conv, queue, priority) in [
        (&tagged, "sales", "URGENT"),
        (&refund, "support", "NORMAL"),
        (&other, "Default", "NORMAL"),
    ] {
        let (s, v) = app.call("POST", &format!("{C}/{conv}/route"), None).await;
        assert_eq!(s, 200, "{v}");
        let (_, c) = app.call("GET", &format!("{C}/{conv}"), None).await;
        assert_eq!(c["queueId"], queue, "{c}");
        assert_eq!(c["priority"], priority, "{c}");
        assert!(c["agentId"].is_null(), "{c}");
    }

    // Without a scenario: the Default queue (it always exists, RT-4).
    let (app, _) = crate::mock_api::app(MockConfig::default()).await;
    let conv = inbound(&app, "447700900004", "hello").await;
    app.call("POST", &format!("{C}/{conv}/route"), None).await;
    let (_, c) = app.call("GET", &format!("{C}/{conv}"), None).await;
    assert_eq!(c["queueId"], "Default", "{c}");
}

#[test]
fn finding_8_load_scenarios_give_a_share_per_content_type() {
    let s = quickstart_and("[load.inbound_content]\nimage = 0.2\nlocation = 0.1\n").unwrap();
    assert_eq!(s.load.inbound_content, [("image", 0.2), ("location", 0.1)]);
    for (bad, says) in [
        ("image = 0.7\nvideo = 0.6\n", "add up to"),
        ("image = 1.5\n", "from 0 to 1"),
        ("image = 0.2\ntext = 0.5\n", "leave 0.8 for text"),
        ("imagez = 0.2\n", "imagez"),
    ] {
        let e = quickstart_and(&format!("[load.inbound_content]\n{bad}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{bad}: {e}");
        assert!(e.contains("inbound_content"), "{bad}: {e}");
    }
}
