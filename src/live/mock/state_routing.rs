//! Where `POST …/route` (and `GET …/simulate-routing`) sends a conversation on the mock (§2 #8,
//! RT-1, RT-4, RT-5), from what the mock knows of it — its channel, customer and business
//! addresses, tags, queue, and the text of its last inbound message:
//!
//! 1. the routing rules set through the API (`PUT /ccaas/1/routing`), in order, each rule's
//!    `expression` ([`super::super::directory::Facts`]);
//! 2. else the routing rules of the scenario the mock was started with, through the same model
//!    function the simulation calls ([`crate::model::routing::route`]); attributes the mock
//!    does not hold (a person's, a company's) are missing, so conditions on them read as on a
//!    customer without them;
//! 3. else the Default queue (RT-4).

use crate::live::bot_server::channel_kind;
use crate::live::mock::directory::Facts;
use crate::live::mock::inbound::InboundType;
use crate::live::mock::wire::{parse_priority, priority_name};
use crate::model::priority::Priority;
use crate::model::routing::{self, AttrValue};
use crate::scenario::routing::DEFAULT_QUEUE;

use super::{MockError, MockPlatform};

/// `GET …/simulate-routing`'s answer.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedRoute {
    id: String,
    queue_id: String,
    priority: String,
}

impl MockPlatform {
    fn facts(&self, id: u64) -> Facts {
        let mut facts = Facts::default();
        if let Some((customer, business, channel)) =
            self.conversations.get(&id).and_then(|w| w.thread.as_ref())
        {
            facts.channel = Some(channel.clone());
            facts.from = Some(customer.clone());
            facts.to = Some(business.clone());
        }
        if let Ok(c) = self.store.get(id) {
            facts.tags = c.tags.clone();
            facts.queue = c.queue.clone();
            let last_inbound = c.messages.iter().rev().find(|m| m.inbound());
            if let Some(w) = last_inbound.and_then(|m| self.messages.get(&m.id)) {
                let words =
                    InboundType::from_api(&w.content_type).map_or("", |k| k.text_of(&w.content));
                facts.content = Some(words.to_string());
            }
        }
        facts
    }

    /// The queue (the mock's queue id) and, when a rule matched, the priority it sets (RT-5)
    /// for conversation `id`.
    pub(super) fn destination(&self, id: u64) -> (String, Option<Priority>) {
        let facts = self.facts(id);
        if let Some(rules) = self.directory.api_routing() {
            return match rules.iter().find(|r| r.matches(&facts)) {
                Some(r) => (r.queue.clone(), parse_priority(&r.priority)),
                None => (DEFAULT_QUEUE.to_string(), None),
            };
        }
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
        if let Some(kind) = facts.channel.as_deref().and_then(channel_kind) {
            set("channel", text(kind.as_str()));
        }
        for (name, value) in [
            ("from", &facts.from),
            ("to", &facts.to),
            ("content", &facts.content),
        ] {
            if let Some(v) = value {
                set(name, text(v));
            }
        }
        set(
            "tags",
            AttrValue::List(facts.tags.iter().map(|t| t.to_lowercase()).collect()),
        );
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

    /// `GET /ccaas/1/conversations/{id}/simulate-routing`: where `…/route` would send it now,
    /// changing nothing.
    pub fn simulate_routing(&self, public: &str) -> Result<SimulatedRoute, MockError> {
        let id = self.id_of(public)?;
        let c = self.store.get(id)?;
        let (queue, priority) = self.destination(id);
        Ok(SimulatedRoute {
            id: public.to_string(),
            queue_id: queue,
            priority: priority_name(priority.unwrap_or(c.priority)).to_string(),
        })
    }
}
