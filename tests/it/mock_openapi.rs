//! The mock's answers against Infobip's own OpenAPI documents (their schemas, extracted into
//! `tests/data/infobip-openapi/` by `scripts/extract_openapi.py`): a
//! session of calls covering every endpoint the mock serves — successes and the documented
//! errors (400, 401, 403, 404) — is recorded, and each answer is validated against the schema
//! the document declares for that path, method and status (JSON Schema 2020-12, which OpenAPI
//! 3.1 schemas are).

use std::collections::HashMap;

use serde_json::{Value, json};

use ccsim::live::mock::MockConfig;
use ccsim::live::mock::auth::ApiKey;

use crate::mock_api::{app, call, call_as};

pub(crate) fn document(name: &str) -> Value {
    let path = format!(
        "{}/tests/data/infobip-openapi/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("an OpenAPI document")
}

/// The JSON schema of `method path`'s answer with `status` in `doc`, with the document's
/// components beside it so its references resolve.
pub(crate) fn response_schema(doc: &Value, path: &str, method: &str, status: u16) -> Option<Value> {
    let responses = &doc["paths"][path][method]["responses"];
    let mut response = &responses[status.to_string()];
    if let Some(r) = response["$ref"].as_str() {
        let name = r.rsplit('/').next().expect("a name");
        response = &doc["components"]["responses"][name];
    }
    let schema = response["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return None;
    }
    Some(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"],
    }))
}

/// A mistake of Infobip's documents the mock does not copy, from
/// `tests/data/infobip-openapi/document-bugs.json`: answers of paths starting `path` may break
/// the schema at fields named `field`, for `reason`.
#[derive(serde::Deserialize)]
pub(crate) struct DocumentBug {
    path: String,
    field: String,
    #[allow(dead_code)]
    reason: String,
}

pub(crate) fn document_bugs() -> Vec<DocumentBug> {
    let text = document("document-bugs.json");
    serde_json::from_value(text).expect("a list of bugs")
}

/// Answers checked so far, and what failed.
pub(crate) struct Checker {
    pub(crate) docs: HashMap<&'static str, Value>,
    pub(crate) checked: usize,
    pub(crate) failures: Vec<String>,
    /// Schema breaks that are the documents' own mistakes, seen (not failures).
    pub(crate) known: usize,
}

impl Checker {
    /// A checker over the named documents.
    pub(crate) fn over(names: &[&'static str]) -> Self {
        Self {
            docs: names
                .iter()
                .map(|n| (*n, document(&format!("{n}.schemas.json"))))
                .collect(),
            checked: 0,
            failures: Vec::new(),
            known: 0,
        }
    }

    pub(crate) fn check(
        &mut self,
        doc: &'static str,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) {
        let Some(schema) = response_schema(&self.docs[doc], path, method, status) else {
            self.failures.push(format!(
                "{method} {path} {status}: no such response in {doc}"
            ));
            return;
        };
        self.validate(&schema, &format!("{method} {path} {status}"), path, body);
    }

    /// Validates `body` against `schema`, leaving out the breaks `document-bugs.json` lists.
    pub(crate) fn validate(&mut self, schema: &Value, what: &str, path: &str, body: &Value) {
        let validator = jsonschema::validator_for(schema).expect("a valid schema");
        let bugs = document_bugs();
        let mut known = 0;
        let errors: Vec<String> = validator
            .iter_errors(body)
            .filter(|e| {
                let at = e.instance_path().to_string();
                let bug = bugs
                    .iter()
                    .any(|b| path.starts_with(&b.path) && at.contains(&format!("/{}", b.field)));
                known += usize::from(bug);
                !bug
            })
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        self.known += known;
        if !errors.is_empty() {
            self.failures
                .push(format!("{what}: {}\n  body: {body}", errors.join("; ")));
        }
        self.checked += 1;
    }
}

#[actix_web::test]
async fn every_answer_of_the_mock_validates_against_infobips_openapi_documents() {
    let (app, _) = app(MockConfig {
        keys: vec![
            ApiKey::parse("ccsim-local-key").unwrap(),
            ApiKey::parse("reader=conversations:read").unwrap(),
        ],
        ..MockConfig::default()
    })
    .await;
    let mut c = Checker::over(&["conversations", "whatsapp"]);
    const CONV: &str = "/ccaas/1/conversations/{conversationId}";

    let (s, v) = call(&app, "POST", "/ccaas/1/tags", Some(r#"{"name":"vip"}"#)).await;
    c.check("conversations", "post", "/ccaas/1/tags", s, &v);
    let (s, v) = call(&app, "GET", "/ccaas/1/tags", None).await;
    c.check("conversations", "get", "/ccaas/1/tags", s, &v);

    let inbound = r#"{"channel":"WHATSAPP","from":"447700900123","to":"385100","text":"hi"}"#;
    let (s, m) = call(&app, "POST", "/ccsim/1/inbound", Some(inbound)).await;
    assert_eq!(s, 200, "{m}");
    let id = m["message"]["conversationId"].as_str().unwrap().to_string();
    let at = |rest: &str| format!("/ccaas/1/conversations/{id}{rest}");

    let (s, v) = call(&app, "GET", &at(""), None).await;
    c.check("conversations", "get", CONV, s, &v);
    let (s, v) = call(&app, "GET", "/ccaas/1/conversations", None).await;
    c.check("conversations", "get", "/ccaas/1/conversations", s, &v);
    let (s, v) = call(
        &app,
        "POST",
        "/ccaas/1/conversations",
        Some(r#"{"topic":"t"}"#),
    )
    .await;
    c.check("conversations", "post", "/ccaas/1/conversations", s, &v);
    let body = r#"{"topic":"Orders","priority":"HIGH"}"#;
    let (s, v) = call(&app, "PATCH", &at(""), Some(body)).await;
    c.check("conversations", "patch", CONV, s, &v);
    let (s, v) = call(&app, "PUT", &at(""), Some(body)).await;
    c.check("conversations", "put", CONV, s, &v);

    let hello = r#"{"channel":"WHATSAPP","from":"385100","to":"447700900123","contentType":"TEXT","content":{"text":"hello"}}"#;
    let (s, v) = call(&app, "POST", &at("/messages"), Some(hello)).await;
    c.check("conversations", "post", &format!("{CONV}/messages"), s, &v);
    let (s, v) = call(&app, "GET", &at("/messages"), None).await;
    c.check("conversations", "get", &format!("{CONV}/messages"), s, &v);

    let (s, v) = call(&app, "PUT", &at("/assignee"), Some(r#"{"agentId":"a-1"}"#)).await;
    c.check("conversations", "put", &format!("{CONV}/assignee"), s, &v);
    let (s, v) = call(&app, "DELETE", &at("/assignee"), None).await;
    c.check(
        "conversations",
        "delete",
        &format!("{CONV}/assignee"),
        s,
        &v,
    );

    let (s, v) = call(&app, "POST", &at("/tags"), Some(r#"{"name":"vip"}"#)).await;
    c.check("conversations", "post", &format!("{CONV}/tags"), s, &v);
    let (s, v) = call(&app, "DELETE", &at("/tags/vip"), None).await;
    c.check(
        "conversations",
        "delete",
        &format!("{CONV}/tags/{{tagName}}"),
        s,
        &v,
    );

    let (s, v) = call(&app, "PUT", &at("/metadata"), Some(r#"{"order":"A-17"}"#)).await;
    c.check("conversations", "put", &format!("{CONV}/metadata"), s, &v);
    let (s, v) = call(&app, "PATCH", &at("/metadata"), Some(r#"{"tier":"gold"}"#)).await;
    c.check("conversations", "patch", &format!("{CONV}/metadata"), s, &v);
    let (s, v) = call(&app, "DELETE", &at("/metadata"), None).await;
    c.check(
        "conversations",
        "delete",
        &format!("{CONV}/metadata"),
        s,
        &v,
    );

    let note = r#"{"content":"handed over: billing"}"#;
    let (s, v) = call(&app, "POST", &at("/notes"), Some(note)).await;
    c.check("conversations", "post", &format!("{CONV}/notes"), s, &v);
    let note_id = v["id"].as_str().unwrap_or("").to_string();
    let (s, v) = call(&app, "GET", &at("/notes?orderBy=id:ASC"), None).await;
    c.check("conversations", "get", &format!("{CONV}/notes"), s, &v);
    let (s, v) = call(&app, "GET", &at(&format!("/notes/{note_id}")), None).await;
    c.check(
        "conversations",
        "get",
        &format!("{CONV}/notes/{{noteId}}"),
        s,
        &v,
    );

    let config = r#"{"webhookUrl":"http://127.0.0.1:9/webhook"}"#;
    let (s, v) = call(&app, "PUT", "/ccaas/1/account/configuration", Some(config)).await;
    c.check(
        "conversations",
        "put",
        "/ccaas/1/account/configuration",
        s,
        &v,
    );
    let (s, v) = call(&app, "DELETE", "/ccaas/1/tags/vip", None).await;
    c.check("conversations", "delete", "/ccaas/1/tags/{tagName}", s, &v);

    // The documented errors.
    let (s, v) = call_as(&app, None, "GET", &at(""), None, &[]).await;
    c.check("conversations", "get", CONV, s, &v);
    let (s, v) = call_as(&app, Some("App reader"), "PATCH", &at(""), Some(body), &[]).await;
    c.check("conversations", "patch", CONV, s, &v);
    let (s, v) = call(&app, "GET", "/ccaas/1/conversations/nope", None).await;
    c.check("conversations", "get", CONV, s, &v);
    let long_topic = format!(r#"{{"topic":"{}"}}"#, "t".repeat(1001));
    let (s, v) = call(&app, "PATCH", &at(""), Some(&long_topic)).await;
    c.check("conversations", "patch", CONV, s, &v);
    let close = r#"{"status":"CLOSED"}"#;
    let (s, _) = call(&app, "PATCH", &at(""), Some(close)).await;
    assert_eq!(s, 200);
    let (s, v) = call(&app, "POST", &at("/messages"), Some(hello)).await;
    c.check("conversations", "post", &format!("{CONV}/messages"), s, &v);

    // WhatsApp's own sends.
    let text = r#"{"from":"385100","to":"447700900123","content":{"text":"hello"}}"#;
    let (s, v) = call(&app, "POST", "/whatsapp/1/message/text", Some(text)).await;
    c.check("whatsapp", "post", "/whatsapp/1/message/text", s, &v);
    let template = r#"{"messages":[{"from":"385100","to":"447700900123","content":{"templateName":"order_update","templateData":{"body":{"placeholders":["A-17"]}},"language":"en"}}]}"#;
    let (s, v) = call(&app, "POST", "/whatsapp/1/message/template", Some(template)).await;
    c.check("whatsapp", "post", "/whatsapp/1/message/template", s, &v);
    for (kind, content) in [
        ("image", r#"{"mediaUrl":"https://x.test/a.png"}"#),
        ("location", r#"{"latitude":45.8,"longitude":15.97}"#),
        (
            "interactive/buttons",
            r#"{"body":{"text":"?"},"action":{"buttons":[{"type":"REPLY","id":"1","title":"Yes"}]}}"#,
        ),
    ] {
        let path = format!("/whatsapp/1/message/{kind}");
        let body = format!(r#"{{"from":"385100","to":"447700900123","content":{content}}}"#);
        let (s, v) = call(&app, "POST", &path, Some(&body)).await;
        c.check("whatsapp", "post", &path, s, &v);
    }
    let blank = r#"{"from":"385100","to":"447700900123","content":{"text":""}}"#;
    let (s, v) = call(&app, "POST", "/whatsapp/1/message/text", Some(blank)).await;
    c.check("whatsapp", "post", "/whatsapp/1/message/text", s, &v);
    let (s, v) = call_as(
        &app,
        None,
        "POST",
        "/whatsapp/1/message/text",
        Some(text),
        &[],
    )
    .await;
    c.check("whatsapp", "post", "/whatsapp/1/message/text", s, &v);

    // The check itself can fail: a wrong value behind a reference (priority is a $ref) and a
    // missing list are caught.
    let mut probe = Checker {
        docs: std::mem::take(&mut c.docs),
        checked: 0,
        failures: Vec::new(),
        known: 0,
    };
    probe.check(
        "conversations",
        "get",
        CONV,
        200,
        &json!({"id": "x", "priority": "SOMETIMES"}),
    );
    probe.check("conversations", "get", "/ccaas/1/tags", 200, &json!([]));
    assert_eq!(probe.failures.len(), 2, "{:?}", probe.failures);

    assert_eq!(c.checked, 33, "every call above was checked");
    assert!(
        c.failures.is_empty(),
        "{} of {} answers break the documents:\n{}",
        c.failures.len(),
        c.checked + c.failures.len(),
        c.failures.join("\n")
    );
}
