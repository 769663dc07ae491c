//! What a customer can send: every inbound content type a contact centre's bot must handle
//! (`docs/platform-api.md` §3c, §4), as the Conversations API writes it in a Message's
//! `contentType` and `content`: text, image, document, audio, video, location, contact, a
//! template's quick-reply button, and an interactive button or list reply.
//!
//! `POST /ccsim/1/inbound` takes any of them (checked here: a type's required fields, the
//! channel's limits), and a load scenario's `[load] inbound_content` shares make
//! [`InboundType::sample_content`] turn a share of its customers' messages into each.

use serde_json::{Value, json};

use super::state::MockError;
use crate::model::platform_api::ApiError;

/// An inbound content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InboundType {
    /// `TEXT {text}`.
    Text,
    /// `IMAGE {url, caption?}`.
    Image,
    /// `DOCUMENT {url, caption?}`.
    Document,
    /// `AUDIO {url}` (a voice note).
    Audio,
    /// `VIDEO {url, caption?}`.
    Video,
    /// `LOCATION {latitude, longitude, locationName?, address?}`.
    Location,
    /// `CONTACT {contacts: [{name: {firstName, formattedName}, phones: [{phone}]}]}`.
    Contact,
    /// `BUTTON {text, payload}`: a template's quick-reply button.
    Button,
    /// `INTERACTIVE_BUTTON_REPLY {id, title}`.
    ButtonReply,
    /// `INTERACTIVE_LIST_REPLY {id, title, description?}`.
    ListReply,
}

impl InboundType {
    /// Every type, in the order of the scenario's keys.
    pub const ALL: [InboundType; 10] = [
        InboundType::Text,
        InboundType::Image,
        InboundType::Document,
        InboundType::Audio,
        InboundType::Video,
        InboundType::Location,
        InboundType::Contact,
        InboundType::Button,
        InboundType::ButtonReply,
        InboundType::ListReply,
    ];

    /// The `contentType` the API writes.
    pub fn api_name(self) -> &'static str {
        match self {
            InboundType::Text => "TEXT",
            InboundType::Image => "IMAGE",
            InboundType::Document => "DOCUMENT",
            InboundType::Audio => "AUDIO",
            InboundType::Video => "VIDEO",
            InboundType::Location => "LOCATION",
            InboundType::Contact => "CONTACT",
            InboundType::Button => "BUTTON",
            InboundType::ButtonReply => "INTERACTIVE_BUTTON_REPLY",
            InboundType::ListReply => "INTERACTIVE_LIST_REPLY",
        }
    }

    /// The name in scenario files (`[load] inbound_content`).
    pub fn key(self) -> &'static str {
        match self {
            InboundType::Text => "text",
            InboundType::Image => "image",
            InboundType::Document => "document",
            InboundType::Audio => "audio",
            InboundType::Video => "video",
            InboundType::Location => "location",
            InboundType::Contact => "contact",
            InboundType::Button => "button",
            InboundType::ButtonReply => "button_reply",
            InboundType::ListReply => "list_reply",
        }
    }

    /// The type of an API `contentType`.
    pub fn from_api(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.api_name() == name)
    }

    /// The type of a scenario key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// A message of this type from a customer whose words are `text` (kept where the type
    /// has text: a caption, a button's text, a reply's title), the `n`th of the run (ids and
    /// links differ from message to message).
    pub fn sample_content(self, text: &str, n: u64) -> Value {
        let media = |ext: &str| format!("https://media.ccsim.invalid/inbound/{n}.{ext}");
        match self {
            InboundType::Text => json!({ "text": text }),
            InboundType::Image => json!({ "url": media("jpg"), "caption": text }),
            InboundType::Document => json!({ "url": media("pdf"), "caption": text }),
            InboundType::Audio => json!({ "url": media("ogg") }),
            InboundType::Video => json!({ "url": media("mp4"), "caption": text }),
            InboundType::Location => json!({
                "latitude": 45.815 + (n % 100) as f64 / 1000.0,
                "longitude": 15.982,
                "locationName": "Customer's pin",
                "address": "Ilica 1, Zagreb",
            }),
            InboundType::Contact => json!({
                "contacts": [{
                    "name": { "firstName": "Ana", "formattedName": "Ana Horvat" },
                    "phones": [{ "phone": "385911234567", "type": "CELL" }],
                }],
            }),
            InboundType::Button => json!({ "text": text, "payload": format!("quick-reply-{n}") }),
            InboundType::ButtonReply => {
                json!({ "id": format!("button-{n}"), "title": title(text, 20) })
            }
            InboundType::ListReply => json!({
                "id": format!("row-{n}"),
                "title": title(text, 24),
                "description": title(text, 72),
            }),
        }
    }

    /// The text a message of this type carries, for routing and the text's length.
    pub fn text_of(self, content: &Value) -> &str {
        let field = match self {
            InboundType::Text | InboundType::Button => "text",
            InboundType::Image | InboundType::Document | InboundType::Video => "caption",
            InboundType::ButtonReply | InboundType::ListReply => "title",
            InboundType::Audio | InboundType::Location | InboundType::Contact => "",
        };
        content.get(field).and_then(Value::as_str).unwrap_or("")
    }
}

/// `text` cut to `chars` characters (WhatsApp's limits on titles, WIN-4).
fn title(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Checks the `content` of an inbound message of `content_type` (an API name): the fields the
/// type needs are there and within WhatsApp's limits (§4). The type, or 400 naming the field.
pub fn check(content_type: &str, content: &Value) -> Result<InboundType, MockError> {
    let bad = |field: &str, message: &str| -> MockError {
        ApiError::Validation(std::collections::BTreeMap::from([(
            field.to_string(),
            vec![message.to_string()],
        )]))
        .into()
    };
    let kind = InboundType::from_api(content_type).ok_or_else(|| {
        let names: Vec<&str> = InboundType::ALL.iter().map(|t| t.api_name()).collect();
        bad(
            "contentType",
            &format!("expected one of {}", names.join(", ")),
        )
    })?;
    if !content.is_object() {
        return Err(bad("content", "must be an object"));
    }
    let text = |field: &str, required: bool, max: usize| -> Result<(), MockError> {
        match content.get(field) {
            None | Some(Value::Null) if !required => Ok(()),
            Some(Value::String(s)) if !(required && s.trim().is_empty()) => {
                if s.chars().count() > max {
                    Err(bad(
                        &format!("content.{field}"),
                        &format!("size must be between 0 and {max}"),
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Err(bad(&format!("content.{field}"), "must not be blank")),
        }
    };
    let url = || -> Result<(), MockError> {
        text("url", true, 2048)?;
        let u = content["url"].as_str().unwrap_or("");
        if url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https")) {
            Ok(())
        } else {
            Err(bad("content.url", "must be a valid http or https URL"))
        }
    };
    let number = |field: &str, limit: f64| -> Result<(), MockError> {
        match content.get(field).and_then(Value::as_f64) {
            Some(v) if v.abs() <= limit => Ok(()),
            _ => Err(bad(
                &format!("content.{field}"),
                &format!("must be a number between -{limit} and {limit}"),
            )),
        }
    };
    match kind {
        InboundType::Text => text("text", true, 4096)?,
        InboundType::Image | InboundType::Document | InboundType::Video => {
            url()?;
            text("caption", false, 3000)?;
        }
        InboundType::Audio => url()?,
        InboundType::Location => {
            number("latitude", 90.0)?;
            number("longitude", 180.0)?;
            text("locationName", false, 1000)?;
            text("address", false, 1000)?;
        }
        InboundType::Contact => {
            if content
                .get("contacts")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                return Err(bad("content.contacts", "must not be empty"));
            }
        }
        InboundType::Button => {
            text("text", true, 4096)?;
            text("payload", true, 4096)?;
        }
        InboundType::ButtonReply => {
            text("id", true, 256)?;
            text("title", true, 20)?;
        }
        InboundType::ListReply => {
            text("id", true, 200)?;
            text("title", true, 24)?;
            text("description", false, 72)?;
        }
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_passes_its_own_check_and_names_round_trip() {
        for t in InboundType::ALL {
            let content = t.sample_content("I have a question about my order.", 7);
            assert_eq!(check(t.api_name(), &content), Ok(t), "{t:?}: {content}");
            assert_eq!(InboundType::from_key(t.key()), Some(t));
        }
    }

    #[test]
    fn a_missing_field_or_bad_value_is_named() {
        let e = check("IMAGE", &json!({ "caption": "x" })).unwrap_err();
        assert!(format!("{e:?}").contains("content.url"), "{e:?}");
        let e = check("LOCATION", &json!({ "latitude": 91, "longitude": 0 })).unwrap_err();
        assert!(format!("{e:?}").contains("content.latitude"), "{e:?}");
        let e = check(
            "INTERACTIVE_BUTTON_REPLY",
            &json!({ "id": "a", "title": "x".repeat(21) }),
        )
        .unwrap_err();
        assert!(format!("{e:?}").contains("content.title"), "{e:?}");
        assert!(check("STICKER_PACK", &json!({})).is_err());
        let e = check("IMAGE", &json!({ "url": "file:///etc/passwd" })).unwrap_err();
        assert!(format!("{e:?}").contains("content.url"), "{e:?}");
    }
}
