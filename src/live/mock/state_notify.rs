//! What the mock tells subscriptions (the Subscriptions API, [`super::super::subscriptions`]):
//! each operation that a Conversations event stands for notes it — a customer's message, a new
//! conversation, a status change, an assignment change — when some subscription listens to
//! it; the HTTP route (or the load driver) then takes the notes as deliveries, one per
//! subscription, each body shaped as Infobip's conversation event webhook
//! (`docs/platform-api.md` §3b): `{"type", "timestamp", "payload": {…the conversation…,
//! "message"?}}`.

use serde_json::{Value, json};

use super::{Assignee, MESSAGE, MockPlatform, entity_id, priority_name, status_name, timestamp};

/// A Conversations event to deliver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Notice {
    /// The subscription event (`CONVERSATION_MESSAGE_RECEIVED`, …).
    event: &'static str,
    conversation: u64,
    message: Option<u64>,
    at_ms: u64,
}

/// One delivery to a subscription's webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The profile's `notifyUrl`.
    pub url: String,
    /// Credentials and custom headers.
    pub headers: Vec<(String, String)>,
    /// The event, as JSON.
    pub body: Vec<u8>,
    /// What receivers dedupe on: the message's id, or the event's.
    pub id: String,
}

/// The webhook body's `type` for a subscription event.
fn body_type(event: &str) -> &str {
    match event {
        "CONVERSATION_MESSAGE_RECEIVED" => "INBOUND_MESSAGE",
        other => other,
    }
}

impl MockPlatform {
    /// Notes `event` of conversation `conversation` (and `message`) when someone listens.
    pub(super) fn notice(
        &mut self,
        event: &'static str,
        conversation: u64,
        message: Option<u64>,
        at_ms: u64,
    ) {
        if self.subscriptions.listens(event) {
            self.notices.push(Notice {
                event,
                conversation,
                message,
                at_ms,
            });
        }
    }

    /// The account's subscriptions.
    pub fn subscriptions(&self) -> &super::super::subscriptions::Subscriptions {
        &self.subscriptions
    }

    /// The account's subscriptions, to change.
    pub fn subscriptions_mut(&mut self) -> &mut super::super::subscriptions::Subscriptions {
        &mut self.subscriptions
    }

    /// The deliveries the notes so far make, in the order the events happened.
    pub fn take_notifications(&mut self) -> Vec<Notification> {
        let notices = std::mem::take(&mut self.notices);
        let mut out = Vec::new();
        for n in notices {
            let Some(payload) = self.event_payload(n) else {
                continue;
            };
            let body = json!({
                "type": body_type(n.event),
                "timestamp": timestamp(n.at_ms),
                "payload": payload,
            });
            let id = match n.message {
                Some(m) => entity_id(MESSAGE, m),
                None => format!("{}-{}-{}", n.event, n.conversation, n.at_ms),
            };
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            for t in self.subscriptions.targets(n.event) {
                out.push(Notification {
                    url: t.url,
                    headers: t.headers,
                    body: bytes.clone(),
                    id: id.clone(),
                });
            }
        }
        out
    }

    /// The conversation as the event webhook describes it, with the message when there is one.
    fn event_payload(&self, n: Notice) -> Option<Value> {
        let c = self.store.get(n.conversation).ok()?;
        let w = self.conversations.get(&n.conversation)?;
        let (customer, business, channel) = w
            .thread
            .clone()
            .unwrap_or_else(|| (String::new(), String::new(), "LIVE_CHAT".into()));
        let assignee = match &c.assignee {
            Some(Assignee::Agent(a)) => json!({ "id": a, "name": a, "role": "AGENT" }),
            Some(Assignee::Bot(b)) => json!({ "id": b, "name": b, "role": "BOT" }),
            None => json!({}),
        };
        let queue = match &c.queue {
            Some(q) => json!({ "id": q, "name": q }),
            None => json!({}),
        };
        let tags: Vec<Value> = c
            .tags
            .iter()
            .map(|t| json!({ "id": t, "name": t }))
            .collect();
        let mut payload = json!({
            "id": w.public_id,
            "status": status_name(c.status),
            "queue": queue,
            "priority": priority_name(c.priority),
            "channel": channel,
            "direction": "INBOUND",
            "assignee": assignee,
            "customer": { "id": customer, "name": customer },
            "form": {},
            "tags": tags,
            "invoker": { "type": "SYSTEM" },
            "timestamp": timestamp(n.at_ms),
        });
        if let Some(t) = &w.topic {
            payload["topic"] = json!(t);
        }
        if let Some(s) = &w.summary {
            payload["summary"] = json!(s);
        }
        match n
            .message
            .and_then(|m| self.messages.get(&m).map(|wire| (m, wire)))
        {
            Some((m, wire)) => {
                let created = c
                    .messages
                    .iter()
                    .find(|x| x.id == m)
                    .map_or(n.at_ms, |x| x.created_ms);
                payload["message"] = json!({
                    "id": entity_id(MESSAGE, m),
                    "messageId": entity_id(MESSAGE, m),
                    "channel": wire.channel,
                    "from": wire.from,
                    "to": wire.to,
                    "conversationId": w.public_id,
                    "createdAt": timestamp(created),
                    "updatedAt": timestamp(created),
                    "contentType": wire.content_type,
                    "content": wire.content,
                });
            }
            None => {
                payload["lastMessage"] = json!({
                    "from": customer,
                    "to": business,
                    "direction": "INBOUND",
                    "channel": payload["channel"],
                });
            }
        }
        Some(payload)
    }
}
