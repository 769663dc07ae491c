//! Sends on a channel's own API, beside the Conversations API: WhatsApp's direct sends — text,
//! template, media, location, contact, interactive (`docs/platform-api.md` §2 #17, §4's
//! limits in `whatsapp_content`, schemas in
//! `tests/data/infobip-openapi/whatsapp.schemas.json`) and Infobip's Messages API (`POST
//! /messages-api/1/messages`, the one endpoint Infobip's official Python client v6 sends
//! WhatsApp through; its shape is the client's models, as no document here covers it).
//!
//! Each checks the key (`message:send`, `whatsapp:message:send` or `whatsapp:manage`), the
//! documented field limits, and the customer's 24-hour window for free-form WhatsApp messages
//! (WIN-1, [`MockPlatform::direct_send`](crate::live::mock::state::MockPlatform::direct_send)); it answers PENDING as the real API does — delivery
//! is decided later. Bodies are read as JSON values and checked field by field, so every
//! problem is named in the answer.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use super::auth::Need;
use super::http::{Shared, allowed, body, json_content_type, now_ms, resource, respond};
use super::rate_limit::Limit;
use super::state::{DirectSend, MockError};
use super::whatsapp_content;
use crate::model::platform_api::ApiError;

/// `status` of an accepted send (§2 #17: group 1 PENDING, 7 PENDING_ENROUTE).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SendStatus {
    /// Status group id.
    pub group_id: u32,
    /// Status group name.
    pub group_name: &'static str,
    /// Status id.
    pub id: u32,
    /// Status name.
    pub name: &'static str,
    /// What it means.
    pub description: &'static str,
}

const PENDING_ENROUTE: SendStatus = SendStatus {
    group_id: 1,
    group_name: "PENDING",
    id: 7,
    name: "PENDING_ENROUTE",
    description: "Message sent to next instance",
};

/// WhatsApp's answer to one send (`SingleMessageInfo`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SingleMessageInfo {
    /// The customer.
    pub to: String,
    /// Messages needed: 1.
    pub message_count: u32,
    /// Its id.
    pub message_id: String,
    /// PENDING_ENROUTE.
    pub status: SendStatus,
}

/// WhatsApp's answer to a template send (`BulkMessageInfo`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct BulkMessageInfo {
    /// One per message.
    pub messages: Vec<SingleMessageInfo>,
    /// The request's bulk id, when given or when it held more than one message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_id: Option<String>,
}

/// Field problems, by field path.
#[derive(Debug, Default)]
pub(super) struct Problems(BTreeMap<String, Vec<String>>);

impl Problems {
    /// The fields with a problem.
    #[cfg(test)]
    pub(super) fn fields(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    pub(super) fn add(&mut self, field: &str, message: &str) {
        self.0
            .entry(field.to_string())
            .or_default()
            .push(message.to_string());
    }

    /// A text field: required or not, length within `min..=max` characters.
    pub(super) fn text<'a>(
        &mut self,
        v: &'a Value,
        field: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<&'a str> {
        let name = field.rsplit('.').next().unwrap_or(field);
        let value = v.get(name);
        match value {
            None | Some(Value::Null) => {
                if required {
                    self.add(field, "must not be null");
                }
                None
            }
            Some(Value::String(s)) => {
                let n = s.chars().count();
                if required && s.trim().is_empty() {
                    self.add(field, "must not be blank");
                } else if n < min || n > max {
                    self.add(field, &format!("size must be between {min} and {max}"));
                }
                Some(s.as_str())
            }
            Some(_) => {
                self.add(field, "must be a string");
                None
            }
        }
    }

    /// A required number within `min..=max`.
    pub(super) fn number(&mut self, v: &Value, field: &str, min: f64, max: f64) {
        let name = field.rsplit('.').next().unwrap_or(field);
        match v.get(name).and_then(Value::as_f64) {
            Some(x) if (min..=max).contains(&x) => {}
            Some(_) => self.add(field, &format!("must be between {min} and {max}")),
            None => self.add(field, "must not be null"),
        }
    }

    /// A list that must not be empty, named `field` in problems.
    pub(super) fn list<'a>(&mut self, v: &'a Value, key: &str, field: &str) -> &'a [Value] {
        match v.get(key) {
            Some(Value::Array(items)) if !items.is_empty() => items.as_slice(),
            _ => {
                self.add(field, "must not be empty");
                &[]
            }
        }
    }

    fn done(self) -> Result<(), MockError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0).into())
        }
    }
}

/// The fields every WhatsApp send has (`from`, `to`, `messageId`, `callbackData`,
/// `notifyUrl`), checked into `p` under `prefix`.
fn common<'a>(
    p: &mut Problems,
    v: &'a Value,
    prefix: &str,
) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
    let f = |name: &str| format!("{prefix}{name}");
    let from = p.text(v, &f("from"), true, 1, 24);
    let to = p.text(v, &f("to"), true, 1, 150);
    let id = p.text(v, &f("messageId"), false, 0, 200);
    p.text(v, &f("callbackData"), false, 0, 4000);
    p.text(v, &f("notifyUrl"), false, 0, 2048);
    (from, to, id)
}

fn send(
    shared: &Shared,
    channel: &str,
    (from, to, id): (&str, &str, Option<&str>),
    free_form: bool,
) -> Result<SingleMessageInfo, MockError> {
    let DirectSend { message_id, .. } =
        shared
            .platform()
            .direct_send(channel, from, to, id, free_form, now_ms())?;
    Ok(SingleMessageInfo {
        to: to.to_string(),
        message_count: 1,
        message_id,
        status: PENDING_ENROUTE,
    })
}

async fn json_value(
    req: &HttpRequest,
    shared: &Shared,
    payload: web::Payload,
) -> Result<Value, MockError> {
    allowed(req, shared, Need::WhatsAppSend)?;
    let bytes = body(payload, shared.max_body_bytes).await?;
    json_content_type(req, &bytes)?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| MockError::InvalidBody)?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(MockError::InvalidBody)
    }
}

/// `POST /whatsapp/1/message/{kind}` for every kind but templates: the common fields, the
/// kind's content, and — all being free-form — the window (WIN-1).
async fn whatsapp_send(
    kind: &'static str,
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let v = json_value(&req, &shared, payload).await?;
        shared.throttle(Limit::WhatsAppSend)?;
        let mut p = Problems::default();
        let (from, to, id) = common(&mut p, &v, "");
        match v.get("content") {
            Some(c) if c.is_object() => whatsapp_content::check(kind, &mut p, c),
            _ => p.add("content", "must not be null"),
        }
        p.done()?;
        let (Some(from), Some(to)) = (from, to) else {
            return Err(MockError::InvalidBody);
        };
        send(&shared, "WHATSAPP", (from, to, id), true)
    }
    .await;
    respond(&shared, result)
}

/// Checks a template's `content` (§4: name ≤ 512 of lowercase letters, digits and
/// underscores; a language; body placeholders, which may be empty but not null).
fn template_content(p: &mut Problems, c: Option<&Value>, prefix: &str) {
    let Some(c) = c.filter(|c| c.is_object()) else {
        p.add(&format!("{prefix}content"), "must not be null");
        return;
    };
    let name_field = format!("{prefix}content.templateName");
    if let Some(name) = p.text(c, &name_field, true, 1, 512)
        && !name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    {
        p.add(
            &name_field,
            "should only contain lowercase alphanumeric characters and underscores",
        );
    }
    p.text(c, &format!("{prefix}content.language"), true, 1, 64);
    let placeholders = c
        .get("templateData")
        .and_then(|d| d.get("body"))
        .and_then(|b| b.get("placeholders"));
    match placeholders {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if item.as_str().is_none_or(str::is_empty) {
                    p.add(
                        &format!("{prefix}content.templateData.body.placeholders[{i}]"),
                        "must not be null or empty",
                    );
                }
            }
        }
        _ => p.add(
            &format!("{prefix}content.templateData.body.placeholders"),
            "must not be null",
        ),
    }
}

/// `POST /whatsapp/1/message/template`: `{"messages":[…],"bulkId"}`.
async fn whatsapp_template(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let v = json_value(&req, &shared, payload).await?;
        shared.throttle(Limit::WhatsAppSend)?;
        let mut p = Problems::default();
        let bulk_id = p.text(&v, "bulkId", false, 0, 100).map(String::from);
        let messages = p.list(&v, "messages", "messages");
        let mut sends = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            let prefix = format!("messages[{i}].");
            let fields = common(&mut p, m, &prefix);
            template_content(&mut p, m.get("content"), &prefix);
            sends.push(fields);
        }
        p.done()?;
        let mut infos = Vec::new();
        for (from, to, id) in sends {
            let (Some(from), Some(to)) = (from, to) else {
                return Err(MockError::InvalidBody);
            };
            infos.push(send(&shared, "WHATSAPP", (from, to, id), false)?);
        }
        let bulk_id =
            bulk_id.or_else(|| (infos.len() > 1).then(|| format!("bulk-{}", infos[0].message_id)));
        Ok(BulkMessageInfo {
            messages: infos,
            bulk_id,
        })
    }
    .await;
    respond(&shared, result)
}

/// The Messages API's channels the mock answers for (any is accepted; only WhatsApp has a
/// window).
const MESSAGES_API_CHANNELS: [&str; 9] = [
    "SMS",
    "MMS",
    "RCS",
    "WHATSAPP",
    "VIBER_BM",
    "VIBER_BOT",
    "APPLE_MB",
    "LINE_ON",
    "MESSENGER",
];

/// The Messages API's answer (`MessageResponse`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MessagesApiResponse {
    /// The request's bulk id (generated when not given).
    pub bulk_id: String,
    /// One per destination.
    pub messages: Vec<MessagesApiDetails>,
}

/// One destination's answer (`MessageResponseDetails`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MessagesApiDetails {
    /// Its id.
    pub message_id: String,
    /// PENDING.
    pub status: SendStatus,
    /// The destination.
    pub destination: String,
}

/// The Messages API's error body (the newer shape, §1: `errorCode`, `description`, `action`,
/// `violations`, `resources`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MessagesApiError {
    /// `E400`, `E401`…
    pub error_code: String,
    /// What went wrong.
    pub description: String,
    /// What to do.
    pub action: String,
    /// Field problems.
    pub violations: Vec<Violation>,
    /// Links (none here).
    pub resources: Vec<Value>,
}

/// One field problem.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Violation {
    /// The field path.
    pub property: String,
    /// What is wrong with it.
    pub violation: String,
}

/// `POST /messages-api/1/messages`.
async fn messages_api(
    req: HttpRequest,
    payload: web::Payload,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let result = async {
        let v = json_value(&req, &shared, payload).await?;
        let mut p = Problems::default();
        let messages = p.list(&v, "messages", "messages");
        let mut sends = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            let prefix = format!("messages[{i}].");
            let channel = match m.get("channel").and_then(Value::as_str) {
                Some(c) if MESSAGES_API_CHANNELS.contains(&c) => Some(c),
                _ => {
                    p.add(&format!("{prefix}channel"), "must be a supported channel");
                    None
                }
            };
            let sender = p.text(m, &format!("{prefix}sender"), true, 1, 100);
            let destinations = p.list(m, "destinations", &format!("{prefix}destinations"));
            let body = m.get("content").and_then(|c| c.get("body"));
            let free_form = match body.and_then(|b| b.get("type")).and_then(Value::as_str) {
                Some("TEXT") => {
                    if let Some(b) = body {
                        p.text(b, &format!("{prefix}content.body.text"), true, 1, 4096);
                    }
                    true
                }
                Some(_) => true,
                None if m.get("template").is_some() => false,
                None => {
                    p.add(&format!("{prefix}content.body"), "must not be null");
                    true
                }
            };
            for (j, d) in destinations.iter().enumerate() {
                let to = p.text(d, &format!("{prefix}destinations[{j}].to"), true, 1, 150);
                let id = p.text(
                    d,
                    &format!("{prefix}destinations[{j}].messageId"),
                    false,
                    0,
                    200,
                );
                sends.push((channel, sender, to, id, free_form));
            }
        }
        p.done()?;
        let bulk_id = v.get("bulkId").and_then(Value::as_str).map(String::from);
        let mut details = Vec::new();
        for (channel, sender, to, id, free_form) in sends {
            let (Some(channel), Some(sender), Some(to)) = (channel, sender, to) else {
                return Err(MockError::InvalidBody);
            };
            let DirectSend { message_id, .. } =
                shared
                    .platform()
                    .direct_send(channel, sender, to, id, free_form, now_ms())?;
            details.push(MessagesApiDetails {
                message_id,
                status: SendStatus {
                    // The Messages API's accepted status (PENDING_ACCEPTED, 26).
                    id: 26,
                    name: "PENDING_ACCEPTED",
                    ..PENDING_ENROUTE
                },
                destination: to.to_string(),
            });
        }
        let bulk_id = bulk_id.unwrap_or_else(|| {
            format!(
                "bulk-{}",
                details.first().map_or("", |d| d.message_id.as_str())
            )
        });
        Ok(MessagesApiResponse {
            bulk_id,
            messages: details,
        })
    }
    .await;
    match result {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => {
            shared.count_error(&e);
            messages_api_error(&e)
        }
    }
}

/// An error in the Messages API's own shape.
pub(super) fn messages_api_error(e: &MockError) -> HttpResponse {
    let (status, code, description, violations) = match e {
        MockError::Api(ApiError::Validation(fields)) => (
            StatusCode::BAD_REQUEST,
            "E400",
            "Request cannot be processed.",
            fields
                .iter()
                .flat_map(|(field, messages)| {
                    messages.iter().map(move |m| Violation {
                        property: field.clone(),
                        violation: m.clone(),
                    })
                })
                .collect(),
        ),
        MockError::Unauthorized => (StatusCode::UNAUTHORIZED, "E401", "Unauthorized", Vec::new()),
        MockError::Forbidden => (StatusCode::FORBIDDEN, "E403", "Forbidden", Vec::new()),
        MockError::TooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "E413",
            "Request body too large",
            Vec::new(),
        ),
        MockError::UnsupportedMediaType(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "E415",
            "Unsupported media type",
            Vec::new(),
        ),
        MockError::RateLimited { .. } | MockError::Full { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "E429",
            "Too many requests",
            Vec::new(),
        ),
        other => (
            StatusCode::BAD_REQUEST,
            "E400",
            if matches!(other, MockError::InvalidBody) {
                "Invalid request body."
            } else {
                "Request cannot be processed."
            },
            Vec::new(),
        ),
    };
    HttpResponse::build(status).json(MessagesApiError {
        error_code: code.into(),
        description: description.into(),
        action: "Check the request against the API's documentation and adjust it.".into(),
        violations,
        resources: Vec::new(),
    })
}

/// The channel-send routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/whatsapp/1/message/template").route(web::post().to(whatsapp_template)))
        .service(resource("/messages-api/1/messages").route(web::post().to(messages_api)));
    for kind in whatsapp_content::KINDS {
        cfg.service(
            resource(format!("/whatsapp/1/message/{kind}")).route(web::post().to(
                move |req: HttpRequest, payload: web::Payload, shared: web::Data<Shared>| {
                    whatsapp_send(kind, req, payload, shared)
                },
            )),
        );
    }
}
