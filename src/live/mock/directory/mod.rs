//! The account's set-up as the Conversations API manages it (`docs/platform-api.md` §5):
//! agents and their queues, queues, the routing rules, external bots, working hours and
//! templates. A bot, a CRM sync or a translation layer reads these (an agent by e-mail, the
//! queues to route to) and writes some (an agent's status, a queue's members, the routing).
//!
//! A mock started with a scenario begins with its agents (id and display name the scenario's
//! agent name, e-mail `<name>@agents.ccsim.invalid`, **(ours)**), its queues (id and name the
//! queue's name) and memberships; the Default queue always exists and cannot be deleted
//! (RT-4). Everything here is plain data and functions, time passed in.

mod agents;
mod expression;
mod others;
mod queues;
mod whatsapp;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

pub use self::agents::{AgentIn, AgentOut, AgentsQuery};
pub use self::expression::Facts;
pub use self::others::{BotIn, BotOut, HolidayIn, TemplatesOut, WorkingHoursIn, WorkingHoursOut};
pub use self::queues::{QueueIn, QueueOut, RouteIn, RouteOut};
pub use self::whatsapp::{TemplateIn, v1_of};
use super::state::MockError;
use super::wire::{Pagination, entity_id};
use crate::model::centre::CentreSpec;
use crate::model::platform_api::ApiError;
use crate::scenario::routing::DEFAULT_QUEUE;

/// Entity kinds in ids (see [`entity_id`]).
const AGENT: u16 = 0xa9e;
const QUEUE: u16 = 0x90e;
const ROUTE: u16 = 0x207;
const BOT: u16 = 0xb07;
const HOURS: u16 = 0x4b5;
const HOLIDAY: u16 = 0x401;

/// The most entities the set-up holds (`Directory::new_id`).
pub const MAX_ENTITIES: usize = 10_000;

/// The account's set-up.
#[derive(Debug, Default)]
pub struct Directory {
    agents: BTreeMap<String, agents::Agent>,
    queues: BTreeMap<String, queues::Queue>,
    /// (agent id, queue id).
    members: BTreeSet<(String, String)>,
    routes: Vec<queues::Route>,
    /// Whether routing was set through the API (then it, not the scenario's, routes).
    routing_set: bool,
    bots: BTreeMap<String, others::Bot>,
    hours: BTreeMap<String, others::Hours>,
    /// WhatsApp templates, in the order they were made.
    wa_templates: Vec<whatsapp::Template>,
    next: u64,
}

pub(super) use super::state::invalid;

/// 404 (or 400, as configured) for an id the directory does not hold.
pub fn not_found_error(id: &str) -> MockError {
    not_found(id)
}

fn not_found(id: &str) -> MockError {
    MockError::Api(ApiError::NotFound(id.to_string()))
}

/// A page of `items` and its pagination.
pub(super) fn page_of<T: Clone>(
    items: &[T],
    page: usize,
    limit: usize,
    order_by: String,
) -> (Vec<T>, Pagination) {
    let out = items
        .iter()
        .skip(page.saturating_mul(limit))
        .take(limit)
        .cloned()
        .collect();
    (
        out,
        Pagination {
            total_items: items.len(),
            page,
            limit,
            order_by,
        },
    )
}

/// `{"statusCode": "SUCCESS", "message": …}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Done {
    status_code: &'static str,
    message: String,
}

pub(super) fn done(message: &str) -> Done {
    Done {
        status_code: "SUCCESS",
        message: message.to_string(),
    }
}

impl Directory {
    /// A directory with only the Default queue (RT-4).
    pub fn new(now_ms: u64) -> Self {
        let mut d = Self::default();
        d.queues.insert(
            DEFAULT_QUEUE.to_string(),
            queues::Queue::named(DEFAULT_QUEUE, now_ms),
        );
        d
    }

    /// A directory holding `spec`'s agents, queues and memberships.
    pub fn from_scenario(spec: &CentreSpec, now_ms: u64) -> Self {
        let mut d = Self::new(now_ms);
        for q in &spec.queues {
            d.queues
                .entry(q.name.clone())
                .or_insert_with(|| queues::Queue::named(&q.name, now_ms));
        }
        for a in &spec.agents {
            d.agents
                .insert(a.name.clone(), agents::Agent::seeded(&a.name, now_ms));
            for q in &a.queues {
                if let Some(queue) = spec.queues.get(*q as usize) {
                    d.members.insert((a.name.clone(), queue.name.clone()));
                }
            }
            // Every agent belongs to the Default queue (RT-4).
            d.members
                .insert((a.name.clone(), DEFAULT_QUEUE.to_string()));
        }
        d
    }

    /// A new id of `kind`, if the set-up has room for one more entity: it holds at most
    /// [`MAX_ENTITIES`] agents, queues, rules, bots, working hours, holidays and templates in
    /// all (a client that creates without end gets 429, as the store's caps answer).
    fn new_id(&mut self, kind: u16) -> Result<String, MockError> {
        let held = self.agents.len()
            + self.queues.len()
            + self.routes.len()
            + self.bots.len()
            + self
                .hours
                .values()
                .map(|h| 1 + h.holidays_len())
                .sum::<usize>()
            + self.wa_templates.len();
        if held >= MAX_ENTITIES {
            return Err(MockError::SetUpFull(MAX_ENTITIES));
        }
        self.next += 1;
        Ok(entity_id(kind, self.next))
    }

    /// Routing set through the API (`PUT /ccaas/1/routing`), in order, with each rule's queue;
    /// `None` until it is set.
    pub fn api_routing(&self) -> Option<&[queues::Route]> {
        self.routing_set.then_some(self.routes.as_slice())
    }
}
