//! The `content` of WhatsApp's direct sends other than templates (`docs/platform-api.md`
//! §2 #17 and §4's limits, which the OpenAPI document's schemas repeat): text, media, location,
//! contacts, and the three interactive kinds. Every problem is named by its field path, in the
//! words of Infobip's validation errors. The WIN-4 limits are the model's
//! (`model::bot::whatsapp`), which the simulated platform enforces too.

use std::collections::HashSet;

use serde_json::Value;

use super::channels::Problems;
use crate::model::bot::whatsapp::{
    BUTTON_TITLE_CHARS, CTA_LABEL_CHARS, INTERACTIVE_BODY_CHARS, MAX_BUTTONS, MAX_LIST_ROWS,
    ROW_TITLE_CHARS, TEXT_CHARS,
};

/// A limit of the model (WIN-4) as the checks take it.
fn n(limit: u32) -> usize {
    limit as usize
}

/// The send kinds this module checks (the path after `/whatsapp/1/message/`).
pub const KINDS: [&str; 16] = [
    "text",
    "image",
    "document",
    "audio",
    "video",
    "sticker",
    "location",
    "contact",
    "interactive/buttons",
    "interactive/list",
    "interactive/url-button",
    "interactive/product",
    "interactive/multi-product",
    "interactive/flow",
    "interactive/location-request",
    "interactive/request-contact-info",
];

/// Checks `content` of a send of `kind` into `p`.
pub(super) fn check(kind: &str, p: &mut Problems, content: &Value) {
    match kind {
        "text" => {
            p.text(content, "content.text", true, 1, n(TEXT_CHARS));
        }
        "image" | "video" => {
            media(p, content);
            p.text(content, "content.caption", false, 0, 3000);
        }
        "document" => {
            media(p, content);
            p.text(content, "content.caption", false, 0, 3000);
            p.text(content, "content.filename", false, 0, 240);
        }
        "audio" => {
            media(p, content);
            if content.get("voice").is_some_and(|v| !v.is_boolean()) {
                p.add("content.voice", "must be a boolean");
            }
        }
        "sticker" => media(p, content),
        "location" => {
            p.number(content, "content.latitude", -90.0, 90.0);
            p.number(content, "content.longitude", -180.0, 180.0);
            p.text(content, "content.name", false, 0, 1000);
            p.text(content, "content.address", false, 0, 1000);
        }
        "contact" => {
            p.list(content, "contacts", "content.contacts");
        }
        "interactive/buttons" => {
            interactive_frame(p, content);
            buttons(p, content.get("action"));
        }
        "interactive/list" => {
            interactive_frame(p, content);
            list(p, content.get("action"));
        }
        "interactive/product" => {
            // The body is optional here: the product card speaks for itself.
            if content.get("body").is_some_and(Value::is_object) {
                interactive_frame(p, content);
            }
            let action = action_of(p, content);
            p.text(action, "content.action.catalogId", true, 1, 256);
            p.text(action, "content.action.productRetailerId", true, 1, 256);
        }
        "interactive/multi-product" => {
            interactive_frame(p, content);
            if !content.get("header").is_some_and(Value::is_object) {
                p.add("content.header", "must not be null");
            }
            let action = action_of(p, content);
            p.text(action, "content.action.catalogId", true, 1, 256);
            let sections = p.list(action, "sections", "content.action.sections");
            if !(1..=10).contains(&sections.len()) {
                p.add("content.action.sections", "size must be between 1 and 10");
            }
            let products: usize = sections
                .iter()
                .map(|s| {
                    s.get("productRetailerIds")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                })
                .sum();
            if !(1..=30).contains(&products) {
                p.add(
                    "content.action.sections",
                    "between 1 and 30 products in all",
                );
            }
        }
        "interactive/flow" => {
            interactive_frame(p, content);
            let action = action_of(p, content);
            p.text(action, "content.action.callToActionButton", true, 1, 20);
            p.text(action, "content.action.flowId", true, 1, 256);
            p.text(action, "content.action.flowToken", true, 1, 256);
        }
        "interactive/location-request" | "interactive/request-contact-info" => {
            interactive_frame(p, content);
        }
        _ => {
            interactive_frame(p, content);
            let action = content.get("action").unwrap_or(&Value::Null);
            if action.is_object() {
                p.text(
                    action,
                    "content.action.displayText",
                    true,
                    1,
                    n(CTA_LABEL_CHARS),
                );
                p.text(action, "content.action.url", true, 1, 2048);
            } else {
                p.add("content.action", "must not be null");
            }
        }
    }
}

/// `content.action`, or a problem and an empty object.
fn action_of<'a>(p: &mut Problems, content: &'a Value) -> &'a Value {
    static NONE: Value = Value::Null;
    match content.get("action") {
        Some(a) if a.is_object() => a,
        _ => {
            p.add("content.action", "must not be null");
            &NONE
        }
    }
}

fn media(p: &mut Problems, content: &Value) {
    p.text(content, "content.mediaUrl", true, 1, 2048);
}

/// Body (1–1024), header text and footer (≤ 60) of an interactive message.
fn interactive_frame(p: &mut Problems, content: &Value) {
    match content.get("body") {
        Some(b) if b.is_object() => {
            p.text(b, "content.body.text", true, 1, n(INTERACTIVE_BODY_CHARS));
        }
        _ => p.add("content.body", "must not be null"),
    }
    if let Some(h) = content
        .get("header")
        .filter(|h| h.get("type") == Some(&"TEXT".into()))
    {
        p.text(h, "content.header.text", true, 1, 60);
    }
    if let Some(f) = content.get("footer").filter(|f| f.is_object()) {
        p.text(f, "content.footer.text", true, 1, 60);
    }
}

/// 1–3 reply buttons, ids ≤ 256 and titles ≤ 20, both unique.
fn buttons(p: &mut Problems, action: Option<&Value>) {
    let Some(action) = action.filter(|a| a.is_object()) else {
        p.add("content.action", "must not be null");
        return;
    };
    let buttons = action
        .get("buttons")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if !(1..=n(MAX_BUTTONS)).contains(&buttons.len()) {
        p.add("content.action.buttons", "size must be between 1 and 3");
    }
    let (mut ids, mut titles) = (HashSet::new(), HashSet::new());
    let mut unique = true;
    for (i, b) in buttons.iter().enumerate() {
        let prefix = format!("content.action.buttons[{i}]");
        let id = p.text(b, &format!("{prefix}.id"), true, 1, 256);
        let title = p.text(
            b,
            &format!("{prefix}.title"),
            true,
            1,
            n(BUTTON_TITLE_CHARS),
        );
        unique &= id.is_none_or(|id| ids.insert(id)) & title.is_none_or(|t| titles.insert(t));
    }
    if !unique {
        p.add("content.action.buttons", "ids and titles must be unique");
    }
}

/// A list: a button title ≤ 20, 1–10 sections, ≤ 10 rows in all with unique ids ≤ 200, titles
/// ≤ 24 and descriptions ≤ 72; section titles ≤ 24, required when there is more than one.
fn list(p: &mut Problems, action: Option<&Value>) {
    let Some(action) = action.filter(|a| a.is_object()) else {
        p.add("content.action", "must not be null");
        return;
    };
    p.text(action, "content.action.title", true, 1, 20);
    let sections = p.list(action, "sections", "content.action.sections");
    if sections.len() > n(MAX_LIST_ROWS) {
        p.add("content.action.sections", "size must be between 1 and 10");
    }
    let mut ids = HashSet::new();
    let mut rows_in_all = 0;
    for (i, s) in sections.iter().enumerate() {
        let prefix = format!("content.action.sections[{i}]");
        p.text(s, &format!("{prefix}.title"), sections.len() > 1, 0, 24);
        let rows = p.list(s, "rows", &format!("{prefix}.rows"));
        rows_in_all += rows.len();
        for (j, r) in rows.iter().enumerate() {
            let row = format!("{prefix}.rows[{j}]");
            if let Some(id) = p.text(r, &format!("{row}.id"), true, 1, 200)
                && !ids.insert(id)
            {
                p.add(&format!("{row}.id"), "must be unique");
            }
            p.text(r, &format!("{row}.title"), true, 1, n(ROW_TITLE_CHARS));
            p.text(r, &format!("{row}.description"), false, 0, 72);
        }
    }
    if rows_in_all > n(MAX_LIST_ROWS) {
        p.add(
            "content.action.sections",
            "must hold at most 10 rows in all",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::bot_api::whatsapp_content;
    use crate::model::bot::whatsapp::{Format, Part, ReplyShape, choose_format};

    fn problems(part: Part, shape: &ReplyShape) -> Vec<String> {
        let (kind, content) = whatsapp_content(part, shape);
        let mut p = Problems::default();
        check(kind, &mut p, &content);
        p.fields().into_iter().map(String::from).collect()
    }

    #[test]
    fn win_4_the_mock_takes_every_format_the_ai_picks_and_refuses_past_the_limits() {
        for options in 0..=12 {
            for option_chars in [1, 20, 21, 24, 25] {
                for (link, label) in [(false, 0), (true, 20), (true, 21)] {
                    let shape = ReplyShape {
                        text_chars: 300,
                        options,
                        option_chars,
                        link,
                        link_label_chars: label,
                        attachments: 1,
                    };
                    let format = choose_format(&shape);
                    assert!(
                        problems(Part::Reply(format), &shape).is_empty(),
                        "{shape:?}"
                    );
                    assert!(problems(Part::Attachment, &shape).is_empty());
                }
            }
        }
        // What the AI never picks, the mock refuses, naming the field (WIN-4's limits).
        let four = ReplyShape {
            text_chars: 80,
            options: 4,
            option_chars: 10,
            ..ReplyShape::default()
        };
        assert_eq!(
            problems(Part::Reply(Format::QuickReplies), &four),
            ["content.action.buttons"]
        );
        let long_rows = ReplyShape {
            options: 5,
            option_chars: 25,
            ..four
        };
        assert_eq!(problems(Part::Reply(Format::List), &long_rows).len(), 5);
        let long_label = ReplyShape {
            link: true,
            link_label_chars: 21,
            ..four
        };
        assert_eq!(
            problems(Part::Reply(Format::CtaUrl), &long_label),
            ["content.action.displayText"]
        );
        let long_body = ReplyShape {
            text_chars: 1025,
            ..long_label
        };
        assert!(
            problems(Part::Reply(Format::CtaUrl), &long_body)
                .contains(&"content.body.text".to_string())
        );
    }
}
