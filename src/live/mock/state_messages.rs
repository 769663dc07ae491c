//! A conversation's messages on the mock: Create Message with its validation and `x-agent-id`
//! rules (§2 #1), Get Messages with filters and paging (§2 #2), and whether a message will be
//! delivered (WIN-1).

use std::collections::BTreeMap;

use serde_json::Value;

use super::*;

impl MockPlatform {
    /// POST /ccaas/1/conversations/{id}/messages (§2 #1). `agent_header` is `x-agent-id`:
    /// required on a conversation assigned to a human agent (and must name it), refused on an
    /// unassigned one; a bot's conversations take none (§2 "x-agent-id rules").
    pub fn create_message(
        &mut self,
        public: &str,
        body: &CreateMessage,
        agent_header: Option<&str>,
        now_ms: u64,
    ) -> Result<MessageOut, MockError> {
        let id = self.id_of(public)?;
        let mut errors = BTreeMap::new();
        let mut blank = |field: &str, v: &Option<String>| {
            if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                errors.insert(field.to_string(), vec!["must not be blank".to_string()]);
            }
        };
        blank("channel", &body.channel);
        blank("from", &body.from);
        blank("to", &body.to);
        blank("contentType", &body.content_type);
        if body.content.as_ref().is_none_or(Value::is_null) {
            errors.insert("content".into(), vec!["must not be blank".into()]);
        }
        if let Some(ch) = &body.channel
            && !ch.is_empty()
            && !CHANNELS.contains(&ch.as_str())
        {
            errors.insert("channel".into(), vec!["invalid value".into()]);
        }
        if let Some(ct) = &body.content_type
            && !ct.is_empty()
            && !CONTENT_TYPES.contains(&ct.as_str())
        {
            errors.insert("contentType".into(), vec!["invalid value".into()]);
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors).into());
        }
        let content_type = body.content_type.clone().unwrap_or_default();
        let content = body.content.clone().unwrap_or(Value::Null);
        let template = matches!(content_type.as_str(), "TEMPLATE" | "MEDIA_TEMPLATE");
        let text_len = match (content_type.as_str(), content.get("text")) {
            ("TEXT", Some(Value::String(t))) => t.chars().count(),
            ("TEXT", _) => 0,
            _ => 1,
        };
        let assignee = self.store.get(id)?.assignee.clone();
        self.make_room(0, 1)?;
        let author = match (&assignee, agent_header) {
            (None, Some(_)) => {
                return Err(invalid(
                    "x-agent-id",
                    "the conversation is not assigned to an agent",
                ));
            }
            (Some(Assignee::Agent(a)), None) => {
                return Err(invalid(
                    "x-agent-id",
                    &format!("required: the conversation is assigned to agent '{a}'"),
                ));
            }
            (Some(Assignee::Agent(a)), Some(h)) if a != h => {
                return Err(invalid(
                    "x-agent-id",
                    &format!("the conversation is assigned to agent '{a}'"),
                ));
            }
            (Some(Assignee::Agent(_)), Some(_)) => Author::Agent,
            (Some(Assignee::Bot(_)), _) => Author::Bot,
            (None, None) => Author::System,
        };
        let kind = if template {
            Content::Template
        } else {
            Content::FreeForm
        };
        let message = self
            .store
            .create_message(id, author, kind, text_len, now_ms)?
            .id;
        // A template comes back as TEXT holding the filled-in text (§2 #1).
        let (content_type, content) = if template {
            let name = content
                .get("templateName")
                .and_then(Value::as_str)
                .unwrap_or("template");
            ("TEXT".to_string(), serde_json::json!({ "text": name }))
        } else {
            (content_type, content)
        };
        let author_id = match assignee {
            Some(Assignee::Agent(a) | Assignee::Bot(a)) => Some(a),
            None => None,
        };
        self.messages.insert(
            message,
            MessageWire {
                channel: body.channel.clone().unwrap_or_default(),
                from: body.from.clone().unwrap_or_default(),
                to: body.to.clone().unwrap_or_default(),
                content_type,
                content,
                author_id,
            },
        );
        self.touched(id, now_ms);
        self.emit(PlatformEvent::Outbound {
            conversation: public.to_string(),
            by_bot: author == Author::Bot,
        });
        Ok(self.message_out(id, message))
    }

    /// Whether message `id` of the wire (as returned) will not be delivered: a free-form
    /// WhatsApp message outside the window, accepted in [`WindowMode::FailOnDelivery`] (WIN-1).
    pub fn undeliverable(&self, public_conversation: &str, message: &str) -> Option<bool> {
        let id = self.ids.get(public_conversation)?;
        let c = self.store.get(*id).ok()?;
        c.messages
            .iter()
            .find(|m| entity_id(MESSAGE, m.id) == message)
            .map(|m| m.undeliverable)
    }

    /// GET /ccaas/1/conversations/{id}/messages (§2 #2): filtered by id, channel, direction
    /// and creation time, in `orderBy`'s order (ties by id).
    pub fn messages(&self, public: &str, q: &MessagesQuery) -> Result<MessagesOut, MockError> {
        let id = self.id_of(public)?;
        let inbound = q.direction.as_deref().map(|d| d == "INBOUND");
        let wanted: Option<std::collections::HashSet<&str>> =
            (!q.message_ids.is_empty()).then(|| q.message_ids.iter().map(String::as_str).collect());
        let c = self.store.get(id)?;
        let mut selected: Vec<&crate::model::platform_api::Message> = c
            .messages
            .iter()
            .filter(|m| inbound.is_none_or(|i| m.inbound() == i))
            .filter(|m| q.created.holds(Some(m.created_ms)))
            .filter(|m| {
                q.channel
                    .as_deref()
                    .is_none_or(|ch| self.messages.get(&m.id).is_some_and(|w| w.channel == ch))
            })
            .filter(|m| {
                wanted
                    .as_ref()
                    .is_none_or(|w| w.contains(entity_id(MESSAGE, m.id).as_str()))
            })
            .collect();
        // Messages are numbered as they are written: `id`, `createdAt` and `updatedAt` (a
        // message is never edited) order alike; the other fields sort by their text.
        let text = |m: &crate::model::platform_api::Message| -> String {
            let Some(w) = self.messages.get(&m.id) else {
                return String::new();
            };
            match q.order.field {
                "channel" => w.channel.clone(),
                "direction" => if m.inbound() { "INBOUND" } else { "OUTBOUND" }.to_string(),
                "from" => w.from.clone(),
                "to" => w.to.clone(),
                "contentType" => w.content_type.clone(),
                _ => String::new(),
            }
        };
        if !matches!(q.order.field, "id" | "createdAt" | "updatedAt") {
            selected.sort_by_cached_key(|m| (text(m), m.id));
        }
        if q.order.descending {
            selected.reverse();
        }
        let messages = selected
            .iter()
            .skip(q.page.saturating_mul(q.limit))
            .take(q.limit)
            .map(|m| self.message_out(id, m.id))
            .collect();
        Ok(MessagesOut {
            messages,
            pagination: Pagination {
                total_items: selected.len(),
                page: q.page,
                limit: q.limit,
                order_by: q.order.text(),
            },
        })
    }
}
