//! WhatsApp message templates (`/whatsapp/2/senders/{sender}/templates`: create, list, read,
//! edit, delete by name; the deprecated `/whatsapp/1/senders/{sender}/templates` list and
//! create, which Infobip's Python SDK 5 still calls; `/whatsapp/1/templates`: the account's,
//! filtered and paged), scope
//! `whatsapp:manage`. A template is one (sender, name, language); its name is lower-case
//! letters, digits and `_` (≤ 512), its category MARKETING, UTILITY or AUTHENTICATION, its
//! structure has a body text. Meta reviews templates before they can be sent; the mock
//! approves them at once (status APPROVED, quality UNKNOWN) **(ours)**, so a test can create
//! and use one in the same run.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Directory, invalid, not_found};
use crate::live::mock::queries::Query;
use crate::live::mock::state::MockError;
use crate::live::mock::wire::timestamp;

const CATEGORIES: [&str; 3] = ["MARKETING", "UTILITY", "AUTHENTICATION"];
/// The deprecated v1 endpoint's categories: its request's list, and the older names its
/// answers still carry (Infobip's Python SDK 5 sends MARKETING, TRANSACTIONAL or OTP).
const V1_CATEGORIES: [&str; 16] = [
    "ACCOUNT_UPDATE",
    "PAYMENT_UPDATE",
    "PERSONAL_FINANCE_UPDATE",
    "SHIPPING_UPDATE",
    "RESERVATION_UPDATE",
    "ISSUE_RESOLUTION",
    "APPOINTMENT_UPDATE",
    "TRANSPORTATION_UPDATE",
    "TICKET_UPDATE",
    "ALERT_UPDATE",
    "AUTO_REPLY",
    "TRANSACTIONAL",
    "OTP",
    "MARKETING",
    "AUTHENTICATION",
    "UTILITY",
];

/// A template as stored.
#[derive(Debug, Clone)]
pub(super) struct Template {
    id: String,
    sender: String,
    name: String,
    language: String,
    category: String,
    structure: Value,
    platform: Option<Value>,
    created_ms: u64,
    updated_ms: u64,
}

/// A template to create or edit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateIn {
    name: Option<String>,
    language: Option<String>,
    category: Option<String>,
    structure: Option<Value>,
    platform: Option<Value>,
}

fn out(t: &Template) -> Value {
    let mut v = json!({
        "id": t.id,
        "businessAccountId": 1,
        "name": t.name,
        "language": t.language,
        "category": t.category,
        "structure": t.structure,
        "status": "APPROVED",
        "quality": "UNKNOWN",
        "createdAt": timestamp(t.created_ms),
        "lastUpdatedAt": timestamp(t.updated_ms),
    });
    if let Some(p) = &t.platform {
        v["platform"] = p.clone();
    }
    v
}

/// A template as the deprecated v1 endpoints answer it: `structure.body` and `footer` are
/// the texts themselves, `type` TEXT or MEDIA (a header other than text).
pub fn v1_of(mut v: Value) -> Value {
    let st = &mut v["structure"];
    let body = st["body"]["text"].clone();
    st["body"] = body;
    if let Some(footer) = st.get("footer").map(|f| f["text"].clone()) {
        st["footer"] = footer;
    }
    let media = st["header"]["format"].as_str().is_some_and(|f| f != "TEXT");
    st["type"] = json!(if media { "MEDIA" } else { "TEXT" });
    v
}

fn check_structure(s: &Value) -> Result<(), MockError> {
    let body = s
        .get("body")
        .and_then(|b| b.get("text"))
        .and_then(Value::as_str);
    match body {
        Some(text) if !text.trim().is_empty() && text.chars().count() <= 1024 => Ok(()),
        Some(_) => Err(invalid(
            "structure.body.text",
            "size must be between 1 and 1024",
        )),
        None => Err(invalid("structure.body.text", "must not be blank")),
    }
}

fn check_category(c: &str, allowed: &[&str]) -> Result<(), MockError> {
    if allowed.contains(&c) {
        Ok(())
    } else {
        Err(invalid(
            "category",
            &format!("expected one of {}", allowed.join(", ")),
        ))
    }
}

impl Directory {
    /// `POST /whatsapp/2/senders/{sender}/templates` (`v1`: the deprecated
    /// `/whatsapp/1/senders/{sender}/templates`, with its categories).
    pub fn create_template(
        &mut self,
        sender: &str,
        body: &TemplateIn,
        v1: bool,
        now_ms: u64,
    ) -> Result<Value, MockError> {
        let name = body.name.clone().unwrap_or_default();
        if name.is_empty()
            || name.chars().count() > 512
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(invalid(
                "name",
                "lower-case letters, digits and '_', 1 to 512 characters",
            ));
        }
        let language = body.language.clone().unwrap_or_default();
        if language.is_empty() || language.len() > 15 {
            return Err(invalid("language", "must not be blank"));
        }
        let category = body.category.clone().unwrap_or_default();
        let allowed: &[&str] = if v1 { &V1_CATEGORIES } else { &CATEGORIES };
        check_category(&category, allowed)?;
        let structure = body
            .structure
            .clone()
            .ok_or_else(|| invalid("structure", "must not be null"))?;
        check_structure(&structure)?;
        if self
            .wa_templates
            .iter()
            .any(|t| t.sender == sender && t.name == name && t.language == language)
        {
            return Err(invalid(
                "name",
                "a template with this name and language exists",
            ));
        }
        // The room check of every new entity; templates number themselves as WhatsApp does.
        self.new_id(0)?;
        let t = Template {
            id: (1_000_000_000 + self.next).to_string(),
            sender: sender.to_string(),
            name,
            language,
            category,
            structure,
            platform: body.platform.clone(),
            created_ms: now_ms,
            updated_ms: now_ms,
        };
        let v = out(&t);
        self.wa_templates.push(t);
        Ok(v)
    }

    /// `GET /whatsapp/2/senders/{sender}/templates`.
    pub fn sender_templates(&self, sender: &str) -> Value {
        let list: Vec<Value> = self
            .wa_templates
            .iter()
            .filter(|t| t.sender == sender)
            .map(out)
            .collect();
        json!({ "templates": list })
    }

    /// `GET /whatsapp/2/senders/{sender}/templates/{id}`.
    pub fn template(&self, sender: &str, id: &str) -> Result<Value, MockError> {
        self.wa_templates
            .iter()
            .find(|t| t.sender == sender && t.id == id)
            .map(out)
            .ok_or_else(|| not_found(id))
    }

    /// `PATCH /whatsapp/2/senders/{sender}/templates/{id}`: category, structure, platform.
    pub fn edit_template(
        &mut self,
        sender: &str,
        id: &str,
        body: &TemplateIn,
        now_ms: u64,
    ) -> Result<Value, MockError> {
        if let Some(c) = &body.category {
            check_category(c, &CATEGORIES)?;
        }
        if let Some(s) = &body.structure {
            check_structure(s)?;
        }
        let t = self
            .wa_templates
            .iter_mut()
            .find(|t| t.sender == sender && t.id == id)
            .ok_or_else(|| not_found(id))?;
        if let Some(c) = &body.category {
            t.category = c.clone();
        }
        if let Some(s) = &body.structure {
            t.structure = s.clone();
        }
        if body.platform.is_some() {
            t.platform = body.platform.clone();
        }
        t.updated_ms = now_ms;
        Ok(out(t))
    }

    /// `DELETE /whatsapp/2/senders/{sender}/templates/{templateName}`: every language of it.
    pub fn delete_template(&mut self, sender: &str, name: &str) -> Result<(), MockError> {
        let before = self.wa_templates.len();
        self.wa_templates
            .retain(|t| !(t.sender == sender && t.name == name));
        if self.wa_templates.len() == before {
            return Err(not_found(name));
        }
        Ok(())
    }

    /// `GET /whatsapp/1/templates`: the account's, by `sender`, `status`, `name`, `language`,
    /// `category`, paged with `page` and `size` (1–100, default 20).
    pub fn account_templates(&self, q: &Query) -> Result<Value, MockError> {
        let (page, size) = crate::live::mock::subscriptions::paging(q)?;
        let keep = |field: &str, v: &str| q.text(field).is_none_or(|want| want == v);
        let all: Vec<Value> = self
            .wa_templates
            .iter()
            .filter(|t| {
                keep("sender", &t.sender)
                    && keep("status", "APPROVED")
                    && keep("language", &t.language)
                    && keep("category", &t.category)
                    && q.text("name").is_none_or(|n| t.name.contains(&n))
            })
            .map(out)
            .collect();
        let total = all.len();
        let results: Vec<Value> = all.into_iter().skip(page * size).take(size).collect();
        Ok(json!({
            "results": results,
            "paging": {
                "page": page,
                "size": size,
                "totalPages": total.div_ceil(size),
                "totalResults": total,
            },
        }))
    }
}
