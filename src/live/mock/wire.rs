//! The Conversations API's JSON as Infobip writes it (`docs/platform-api.md` §1–2, §5):
//! request bodies the mock reads, entities it answers with, and the error body
//! `{"requestError":{"serviceException":{messageId, text, validationErrors?}}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::priority::Priority;
use crate::model::status::ConversationStatus;

/// The channels Create Message takes (§2 #1).
pub const CHANNELS: [&str; 13] = [
    "SMS",
    "VIBER",
    "FACEBOOK_MESSENGER",
    "WHATSAPP",
    "RCS",
    "LIVE_CHAT",
    "LINE",
    "APPLE_BUSINESS_CHAT",
    "EMAIL",
    "TELEGRAM",
    "INSTAGRAM_MESSAGING",
    "KAKAO_SANGDAM",
    "VIBER_BOT",
];

/// Content types of a message (§4, §5).
pub const CONTENT_TYPES: [&str; 12] = [
    "TEXT",
    "IMAGE",
    "VIDEO",
    "DOCUMENT",
    "AUDIO",
    "VOICE",
    "LOCATION",
    "INTERACTIVE",
    "TEMPLATE",
    "MEDIA_TEMPLATE",
    "BUTTON",
    "STICKER",
];

/// The error body (§1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The one field.
    pub request_error: RequestError,
}

/// `requestError`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RequestError {
    /// `serviceException`.
    pub service_exception: ServiceException,
}

/// `serviceException`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceException {
    /// `BAD_REQUEST`, `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `GENERAL_ERROR`…
    pub message_id: String,
    /// The human text.
    pub text: String,
    /// Field → messages, when the request failed validation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_errors: Option<BTreeMap<String, Vec<String>>>,
}

impl ErrorBody {
    /// An error body.
    pub fn new(
        message_id: &str,
        text: &str,
        validation_errors: Option<BTreeMap<String, Vec<String>>>,
    ) -> Self {
        Self {
            request_error: RequestError {
                service_exception: ServiceException {
                    message_id: message_id.to_string(),
                    text: text.to_string(),
                    validation_errors,
                },
            },
        }
    }
}

/// `{"statusCode":"SUCCESS","message":…}` for actions that return no entity (§1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Success {
    /// Always `SUCCESS`.
    pub status_code: String,
    /// What was done.
    pub message: String,
}

impl Success {
    /// A success body saying `message`.
    pub fn new(message: &str) -> Self {
        Self {
            status_code: "SUCCESS".into(),
            message: message.into(),
        }
    }
}

/// Create Message (§2 #1). Every field is optional here so that a missing one is reported as
/// Infobip does, by name ("must not be blank"), not as a parse failure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMessage {
    /// The channel.
    pub channel: Option<String>,
    /// Sender.
    pub from: Option<String>,
    /// Recipient.
    pub to: Option<String>,
    /// `TEXT`, `TEMPLATE`, `IMAGE`…
    pub content_type: Option<String>,
    /// The content, keyed by content type (`{"text": …}` for TEXT).
    pub content: Option<Value>,
}

/// A message as the API returns it (§2 #1–2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MessageOut {
    /// Message id.
    pub id: String,
    /// Channel.
    pub channel: String,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// `INBOUND` or `OUTBOUND`.
    pub direction: String,
    /// Its conversation.
    pub conversation_id: String,
    /// Who wrote it (an agent id), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// `CUSTOMER`, `AGENT`, `BOT`, `SYSTEM`.
    pub author_type: String,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
    /// Content type (a template comes back as TEXT holding the filled-in text).
    pub content_type: String,
    /// Content.
    pub content: Value,
}

/// Paging of a list (§1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    /// Items in all.
    pub total_items: usize,
    /// This page, from 0.
    pub page: usize,
    /// Page size.
    pub limit: usize,
    /// `field:asc|desc`.
    pub order_by: String,
}

/// Get Notes' answer: a page of a conversation's notes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotesOut {
    /// The page.
    pub notes: Vec<NoteOut>,
    /// Its paging.
    pub pagination: Pagination,
}

/// Get Messages' answer (§2 #2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MessagesOut {
    /// The page.
    pub messages: Vec<MessageOut>,
    /// Its paging.
    pub pagination: Pagination,
}

/// A conversation as the API returns it (§2 #3, #5).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConversationOut {
    /// Id.
    pub id: String,
    /// Topic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Summary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `OPEN`, `WAITING`, `SOLVED`, `CLOSED`.
    pub status: String,
    /// `LOW`, `NORMAL`, `HIGH`, `URGENT`.
    pub priority: String,
    /// Queue id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    /// Assignee id (agent or bot).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
    /// Closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

/// A list of conversations (§2 #5).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConversationsOut {
    /// The page.
    pub conversations: Vec<ConversationOut>,
    /// Its paging.
    pub pagination: Pagination,
}

/// Update or patch a conversation (§2 #3–4), or create one (#5). Fields the document does not
/// list (a client's `channel`, say) are ignored, as Infobip ignores them (§1).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationIn {
    /// Topic, ≤ 1000.
    pub topic: Option<String>,
    /// Summary, ≤ 4000.
    pub summary: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Queue id, ≤ 255.
    pub queue_id: Option<String>,
    /// Agent id, ≤ 255 (the documents say to use the assignee endpoint instead).
    pub agent_id: Option<String>,
}

/// A typing event (§2 #16).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventIn {
    /// Sender.
    pub from: Option<String>,
    /// Recipient.
    pub to: Option<String>,
    /// LIVE_CHAT, APPLE_BUSINESS_CHAT or WHATSAPP.
    pub channel: Option<String>,
    /// TYPING_STARTED or TYPING_STOPPED.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `{"agentId": …}` (§2 #6).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssigneeIn {
    /// The new assignee.
    pub agent_id: Option<String>,
}

/// `{"tagName": …}` (§2 #9).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagNameIn {
    /// The tag.
    pub tag_name: Option<String>,
}

/// `{"name": …}` (§2 #11).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TagIn {
    /// The tag.
    pub name: Option<String>,
}

/// A tag (§2 #11).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TagOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Created.
    pub created_at: String,
    /// Last changed (tags do not change: as created).
    pub updated_at: String,
}

/// Get Tags' answer (`TagsApiResponse`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TagsOut {
    /// This page's tags, by name.
    pub tags: Vec<TagOut>,
    /// The page.
    pub pagination: Pagination,
}

/// `{"webhookUrl": …}` (§2 #14); other fields ignored (§1).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountConfigurationIn {
    /// Where inbound messages go; empty removes it.
    pub webhook_url: Option<String>,
}

/// A note to add (§2 #15).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteIn {
    /// Text, ≤ 4000.
    pub content: Option<String>,
    /// `INTERNAL` (default) or `ATTACHMENT`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Who writes it.
    pub agent_id: Option<String>,
}

/// A note (§2 #15).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NoteOut {
    /// Id.
    pub id: String,
    /// Its conversation.
    pub conversation_id: String,
    /// Who wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// `INTERNAL` or `ATTACHMENT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Text.
    pub content: String,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
}

/// `POST /ccsim/1/inbound`: a customer's message (ccsim's own endpoint): `text` alone for a
/// text, or `contentType` and `content` as the Conversations API writes them (any type of
/// [`super::inbound::InboundType`]). Unknown fields are refused: this is ccsim's own
/// endpoint, and a typo should not pass for a text.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InboundIn {
    /// Channel, e.g. `WHATSAPP`, `LIVE_CHAT`.
    pub channel: String,
    /// The customer's address.
    pub from: String,
    /// The business number.
    pub to: String,
    /// The text of a TEXT message.
    pub text: Option<String>,
    /// `TEXT`, `IMAGE`, `DOCUMENT`, `AUDIO`, `VIDEO`, `LOCATION`, `CONTACT`, `BUTTON`,
    /// `INTERACTIVE_BUTTON_REPLY`, `INTERACTIVE_LIST_REPLY`.
    pub content_type: Option<String>,
    /// The content, shaped as the type's.
    pub content: Option<Value>,
}

/// The API's name of a status.
pub fn status_name(s: ConversationStatus) -> &'static str {
    match s {
        ConversationStatus::Open => "OPEN",
        ConversationStatus::Waiting => "WAITING",
        ConversationStatus::Solved => "SOLVED",
        ConversationStatus::Closed => "CLOSED",
    }
}

/// A status from its API name.
pub fn parse_status(s: &str) -> Option<ConversationStatus> {
    Some(match s {
        "OPEN" => ConversationStatus::Open,
        "WAITING" => ConversationStatus::Waiting,
        "SOLVED" => ConversationStatus::Solved,
        "CLOSED" => ConversationStatus::Closed,
        _ => return None,
    })
}

/// The API's name of a priority.
pub fn priority_name(p: Priority) -> &'static str {
    match p {
        Priority::Low => "LOW",
        Priority::Normal => "NORMAL",
        Priority::High => "HIGH",
        Priority::Urgent => "URGENT",
    }
}

/// A priority from its API name.
pub fn parse_priority(s: &str) -> Option<Priority> {
    Some(match s {
        "LOW" => Priority::Low,
        "NORMAL" => Priority::Normal,
        "HIGH" => Priority::High,
        "URGENT" => Priority::Urgent,
        _ => return None,
    })
}

/// A timestamp as the API writes it: `2024-01-01T00:00:00.000+00:00` (§1).
pub fn timestamp(epoch_ms: u64) -> String {
    let ts =
        jiff::Timestamp::from_millisecond(epoch_ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
}

/// An entity id in UUID v4 form, from the mock's number for it: `kind` tells conversations,
/// messages and notes apart (the fourth group), so no two entities share an id.
pub fn entity_id(kind: u16, n: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (n >> 32) as u32,
        (n >> 16) as u16,
        (n >> 4) & 0xfff,
        kind & 0xfff,
        n & 0xffff_ffff_ffff
    )
}
