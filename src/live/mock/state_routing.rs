//! Where `POST …/route` sends a conversation on the mock (§2 #8, RT-1, RT-4): the routing
//! rules of the scenario the mock was started with, run on what the mock knows of the
//! conversation — its channel, business and customer addresses, tags, and the text of its
//! last inbound message (`content`) — through the same model function the simulation calls
//! ([`crate::model::routing::route`]). Attributes the mock does not hold (a person's, a
//! company's) are missing, so conditions on them read as on a customer without them. Without
//! a scenario every conversation goes to the Default queue.

use crate::live::bot_server::channel_kind;
use crate::model::priority::Priority;
use crate::model::routing::{self, AttrValue};
use crate::scenario::routing::DEFAULT_QUEUE;

use super::MockPlatform;
use crate::live::mock::inbound::InboundType;

impl MockPlatform {
    /// The queue (its name, the mock's queue id) and, when a route matched, the priority it
    /// sets (RT-5) for conversation `id`.
    pub(super) fn destination(&self, id: u64) -> (String, Option<Priority>) {
        let Some(spec) = &self.routing else {
            return (DEFAULT_QUEUE.to_string(), None);
        };
        let mut attributes: Vec<Option<AttrValue>> = vec![None; spec.attribute_names.len()];
        let mut set = |name: &str, value: AttrValue| {
            if let Some(a) = spec.attribute_id(name) {
                attributes[usize::from(a)] = Some(value);
            }
        };
        // Text compares lower-cased (model::routing's decisions).
        let text = |t: &str| AttrValue::Text(t.to_lowercase());
        if let Some((customer, business, channel)) =
            self.conversations.get(&id).and_then(|w| w.thread.as_ref())
        {
            if let Some(kind) = channel_kind(channel) {
                set("channel", text(kind.as_str()));
            }
            set("from", text(customer));
            set("to", text(business));
        }
        if let Ok(c) = self.store.get(id) {
            set(
                "tags",
                AttrValue::List(c.tags.iter().map(|t| t.to_lowercase()).collect()),
            );
            let last_inbound = c.messages.iter().rev().find(|m| m.inbound());
            if let Some(w) = last_inbound.and_then(|m| self.messages.get(&m.id)) {
                let words =
                    InboundType::from_api(&w.content_type).map_or("", |k| k.text_of(&w.content));
                set("content", text(words));
            }
        }
        let Some(default) = spec.default_queue else {
            return (DEFAULT_QUEUE.to_string(), None);
        };
        let d = routing::route(&spec.routes, &attributes, default);
        let queue = spec
            .queues
            .get(d.queue as usize)
            .map_or_else(|| DEFAULT_QUEUE.to_string(), |q| q.name.clone());
        (queue, d.route.map(|_| d.priority))
    }
}
