//! The reference bot's calls over HTTP: each [`ApiCall`] of the bot actor as a request to the
//! platform — the Conversations API, or WhatsApp's own send API for the AI's WhatsApp formats
//! and attachments (WIN-4, WIN-5) — and the answer read back as the API's typed result.

use serde_json::{Value, json};

use crate::actors::{ApiAnswer, ApiCall};
use crate::model::bot::whatsapp::{Format, MEDIA_URL_CHARS, Part, ReplyShape};
use crate::model::bot::{HANDOFF_TAG, HandoffReason};
use crate::model::platform_api::ApiErrorKind;

/// The channel and addresses of a conversation, for replies.
#[derive(Debug, Clone)]
pub(super) struct Thread {
    pub(super) public: String,
    pub(super) channel: String,
    pub(super) customer: String,
    pub(super) business: String,
}

/// The words of the bot's replies (cut or repeated to the length the actor asks for).
const REPLY_TEXT: &str = "Here is what I found for you. ";

/// `words` repeated or cut to `chars` characters (at least one).
fn text_of_length(words: &str, chars: u32) -> String {
    words.chars().cycle().take(chars.max(1) as usize).collect()
}

/// WIN-4, WIN-5: the send kind (the path after `/whatsapp/1/message/`) and the `content` of one
/// part of a reply of `shape`.
pub(crate) fn whatsapp_content(part: Part, shape: &ReplyShape) -> (&'static str, Value) {
    let text = |chars| text_of_length(REPLY_TEXT, chars);
    // Titles must be unique (the platform refuses repeats): each ends in its number.
    let title = |k: u32| {
        let n = k.to_string();
        let fill = (shape.option_chars.max(1) as usize).saturating_sub(n.len());
        format!(
            "{}{n}",
            text_of_length("Option ", fill as u32)
                .get(..fill)
                .unwrap_or("")
        )
    };
    match part {
        Part::Attachment => {
            let url = text_of_length("https://files.example/doc.pdf", MEDIA_URL_CHARS);
            ("document", json!({ "mediaUrl": url }))
        }
        Part::Reply(Format::Text) => (
            "text",
            json!({ "text": text(Format::Text.text_chars(shape)) }),
        ),
        Part::Reply(Format::QuickReplies) => {
            let buttons: Vec<Value> = (0..shape.options)
                .map(|k| json!({ "type": "REPLY", "id": format!("o{k}"), "title": title(k) }))
                .collect();
            (
                "interactive/buttons",
                json!({ "body": { "text": text(shape.text_chars) }, "action": { "buttons": buttons } }),
            )
        }
        Part::Reply(Format::List) => {
            let rows: Vec<Value> = (0..shape.options)
                .map(|k| json!({ "id": format!("o{k}"), "title": title(k) }))
                .collect();
            (
                "interactive/list",
                json!({
                    "body": { "text": text(shape.text_chars) },
                    "action": { "title": "Choose", "sections": [{ "rows": rows }] },
                }),
            )
        }
        Part::Reply(Format::CtaUrl) => (
            "interactive/url-button",
            json!({
                "body": { "text": text(shape.text_chars) },
                "action": {
                    "displayText": text_of_length("Open ", shape.link_label_chars.max(1)),
                    "url": "https://example.com/next-step",
                },
            }),
        ),
    }
}

/// Sends one call and reads its answer as the API's typed result.
pub(super) async fn request(
    client: &awc::Client,
    platform: &str,
    auth: &str,
    thread: &Thread,
    (bot_name, direct_agent): (&str, &str),
    call: ApiCall,
) -> Result<ApiAnswer, ApiErrorKind> {
    let platform = platform.trim_end_matches('/');
    let base = format!("{platform}/ccaas/1/conversations/{}", thread.public);
    let (method, url, body): (&str, String, Option<Value>) = match call {
        ApiCall::CreateMessage { chars } => (
            "POST",
            format!("{base}/messages"),
            Some(json!({
                "channel": thread.channel,
                "from": thread.business,
                "to": thread.customer,
                "contentType": "TEXT",
                "content": { "text": text_of_length(REPLY_TEXT, chars) },
            })),
        ),
        ApiCall::SendWhatsapp { part, shape } => {
            let (kind, content) = whatsapp_content(part, &shape);
            let body = json!({
                "from": thread.business,
                "to": thread.customer,
                "content": content,
            });
            (
                "POST",
                format!("{platform}/whatsapp/1/message/{kind}"),
                Some(body),
            )
        }
        ApiCall::GetMessages { page, limit } => (
            "GET",
            format!("{base}/messages?page={page}&limit={limit}"),
            None,
        ),
        ApiCall::GetConversation => ("GET", base.clone(), None),
        ApiCall::Close => ("PATCH", base.clone(), Some(json!({ "status": "CLOSED" }))),
        ApiCall::Unassign => ("DELETE", format!("{base}/assignee"), None),
        ApiCall::AddTag => (
            "POST",
            format!("{base}/tags"),
            Some(json!({ "tagName": HANDOFF_TAG })),
        ),
        ApiCall::AddNote { reason } => (
            "POST",
            format!("{base}/notes"),
            Some(json!({
                "type": "INTERNAL",
                "content": match reason {
                    HandoffReason::Customer => "Handed over: the customer asked for a person.",
                    HandoffReason::ActionFailures => "Handed over: the bot's actions kept failing.",
                },
            })),
        ),
        ApiCall::Route => ("POST", format!("{base}/route"), None),
        // 004: straight to an agent, routing avoided; live, the agent the scenario names.
        ApiCall::Assign => (
            "PUT",
            format!("{base}/assignee"),
            Some(json!({ "agentId": direct_agent })),
        ),
    };
    let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("a method");
    let req = client
        .request(method, url)
        .insert_header(("authorization", auth))
        .insert_header(("content-type", "application/json"));
    let sent = match body {
        Some(b) => req.send_body(b.to_string()).await,
        None => req.send().await,
    };
    let mut resp = sent.map_err(|_| ApiErrorKind::Unavailable)?;
    let status = resp.status().as_u16();
    let bytes = resp.body().await.map_err(|_| ApiErrorKind::Unavailable)?;
    let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(match call {
            ApiCall::GetConversation => ApiAnswer::Conversation {
                assigned_to_caller: v.get("agentId").and_then(Value::as_str) == Some(bot_name),
            },
            ApiCall::GetMessages { .. } => ApiAnswer::Page {
                got: v["messages"].as_array().map_or(0, Vec::len) as u32,
                total: v["pagination"]["totalItems"].as_u64().unwrap_or(0) as u32,
            },
            _ => ApiAnswer::Done,
        });
    }
    Err(error_kind(status, &v))
}

/// The API's typed error from a failed answer.
pub fn error_kind(status: u16, body: &Value) -> ApiErrorKind {
    let e = &body["requestError"]["serviceException"];
    let text = e["text"].as_str().unwrap_or("");
    match status {
        404 => ApiErrorKind::NotFound,
        401 | 403 => ApiErrorKind::Unauthorized,
        400 if text == "Closed conversation cannot be changed" => ApiErrorKind::Closed,
        400 if e["messageId"] == "NOT_FOUND" => ApiErrorKind::NotFound,
        400 if text.starts_with("Invalid tagName") => ApiErrorKind::UnknownTag,
        400 if text == "Tag already exists." => ApiErrorKind::TagExists,
        400 if text.contains("window") => ApiErrorKind::OutsideWindow,
        400..=499 => ApiErrorKind::Validation,
        _ => ApiErrorKind::Unavailable,
    }
}
