//! Queues (`/ccaas/1/queues`: list with filters, create, update, delete; the Default queue
//! always exists and cannot be deleted, RT-4) and the routing rules (`/ccaas/1/routing`: the
//! whole list replaced at once, read, deleted; each rule's `expression` checked when it is
//! set, RT-1). API-created queues have automatic assignment off, as the API document gives
//! the default (the web interface turns it on, AA-1; see `docs/decisions.md`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::expression::{self, Facts};
use super::{Directory, Done, QUEUE, ROUTE, done, invalid, not_found, page_of};
use crate::live::mock::queries::Query;
use crate::live::mock::state::MockError;
use crate::live::mock::wire::{Pagination, timestamp};
use crate::scenario::routing::DEFAULT_QUEUE;

const ALGORITHMS: [&str; 3] = ["LOAD_BALANCING", "ROUND_ROBIN", "PERFORMANCE_BASED"];
const PRIORITIES: [&str; 4] = ["URGENT", "HIGH", "NORMAL", "LOW"];

/// A queue as stored.
#[derive(Debug, Clone)]
pub(super) struct Queue {
    name: String,
    external_id: Option<String>,
    auto_assignment: bool,
    algorithm: String,
    sticky: bool,
    sticky_days: u64,
    outside_hours: bool,
    restricted: bool,
    working_hours_id: Option<String>,
    created_ms: u64,
    updated_ms: u64,
}

impl Queue {
    /// Whether the queue keeps working hours `id`.
    pub(super) fn uses_hours(&self, id: &str) -> bool {
        self.working_hours_id.as_deref() == Some(id)
    }

    /// A queue called `name` with the API's defaults.
    pub(super) fn named(name: &str, now_ms: u64) -> Self {
        Self {
            name: name.to_string(),
            external_id: None,
            auto_assignment: false,
            algorithm: "LOAD_BALANCING".into(),
            sticky: false,
            sticky_days: 30,
            outside_hours: false,
            restricted: false,
            working_hours_id: None,
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }
}

/// Create (`name` required) or update a queue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueIn {
    name: Option<String>,
    external_id: Option<String>,
    is_auto_assignment_enabled: Option<bool>,
    auto_assignment_algorithm: Option<String>,
    is_sticky_auto_assignment_enabled: Option<bool>,
    sticky_agent_timeout_days: Option<u64>,
    is_auto_assignment_outside_of_working_hours_enabled: Option<bool>,
    is_restricted: Option<bool>,
    working_hours_id: Option<String>,
}

/// A queue as the API answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueOut {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    is_auto_assignment_enabled: bool,
    auto_assignment_algorithm: String,
    is_sticky_auto_assignment_enabled: bool,
    sticky_agent_timeout_days: u64,
    is_auto_assignment_outside_of_working_hours_enabled: bool,
    is_private: bool,
    is_restricted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_hours_id: Option<String>,
    enabled_agents_count: usize,
    enabled_routes_count: usize,
    created_at: String,
    updated_at: String,
}

/// `{"queues": […], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
pub struct QueuesOut {
    queues: Vec<QueueOut>,
    pagination: Pagination,
}

/// A routing rule as stored.
#[derive(Debug, Clone)]
pub struct Route {
    id: String,
    name: Option<String>,
    /// Its destination queue.
    pub queue: String,
    /// The priority it sets.
    pub priority: String,
    enabled: bool,
    only_in_hours: bool,
    expression: Value,
    created_ms: u64,
}

impl Route {
    /// Whether the rule is on and its expression holds of `facts`.
    pub fn matches(&self, facts: &Facts) -> bool {
        self.enabled && expression::holds(&self.expression, facts)
    }
}

/// One rule of `PUT /ccaas/1/routing`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteIn {
    name: Option<String>,
    queue_id: Option<String>,
    priority: Option<String>,
    enabled: Option<bool>,
    route_only_during_working_hours: Option<bool>,
    expression: Option<Value>,
}

/// A rule as `GET /ccaas/1/routing` answers.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteOut {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    queue_id: String,
    queue_name: String,
    priority: String,
    enabled: bool,
    route_only_during_working_hours: bool,
    expression: Value,
    order: usize,
    is_private: bool,
    created_at: String,
    updated_at: String,
}

/// `{"routes": […], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
pub struct RoutesOut {
    routes: Vec<RouteOut>,
    pagination: Pagination,
}

impl Directory {
    fn queue_out(&self, id: &str) -> Result<QueueOut, MockError> {
        let q = self.queues.get(id).ok_or_else(|| not_found(id))?;
        let agents = self
            .members
            .iter()
            .filter(|(a, qu)| qu == id && self.agents.get(a).is_some_and(|a| a.enabled_now()));
        Ok(QueueOut {
            id: id.to_string(),
            name: q.name.clone(),
            external_id: q.external_id.clone(),
            is_auto_assignment_enabled: q.auto_assignment,
            auto_assignment_algorithm: q.algorithm.clone(),
            is_sticky_auto_assignment_enabled: q.sticky,
            sticky_agent_timeout_days: q.sticky_days,
            is_auto_assignment_outside_of_working_hours_enabled: q.outside_hours,
            is_private: false,
            is_restricted: q.restricted,
            working_hours_id: q.working_hours_id.clone(),
            enabled_agents_count: agents.count(),
            enabled_routes_count: self
                .routes
                .iter()
                .filter(|r| r.enabled && r.queue == id)
                .count(),
            created_at: timestamp(q.created_ms),
            updated_at: timestamp(q.updated_ms),
        })
    }

    /// Whether queue `id` exists.
    pub fn has_queue(&self, id: &str) -> bool {
        self.queues.contains_key(id)
    }

    fn apply_queue(&mut self, id: &str, body: &QueueIn, now_ms: u64) -> Result<(), MockError> {
        if let Some(a) = &body.auto_assignment_algorithm
            && !ALGORITHMS.contains(&a.as_str())
        {
            return Err(invalid(
                "autoAssignmentAlgorithm",
                &format!("expected one of {}", ALGORITHMS.join(", ")),
            ));
        }
        if let Some(h) = &body.working_hours_id
            && !self.hours.contains_key(h)
        {
            return Err(not_found(h));
        }
        if let Some(n) = &body.name
            && (n.trim().is_empty() || n.chars().count() > 255)
        {
            return Err(invalid("name", "size must be between 1 and 255"));
        }
        let q = self.queues.get_mut(id).ok_or_else(|| not_found(id))?;
        if let Some(n) = &body.name {
            q.name = n.clone();
        }
        if body.external_id.is_some() {
            q.external_id = body.external_id.clone();
        }
        q.auto_assignment = body.is_auto_assignment_enabled.unwrap_or(q.auto_assignment);
        if let Some(a) = &body.auto_assignment_algorithm {
            q.algorithm = a.clone();
        }
        q.sticky = body.is_sticky_auto_assignment_enabled.unwrap_or(q.sticky);
        q.sticky_days = body.sticky_agent_timeout_days.unwrap_or(q.sticky_days);
        q.outside_hours = body
            .is_auto_assignment_outside_of_working_hours_enabled
            .unwrap_or(q.outside_hours);
        q.restricted = body.is_restricted.unwrap_or(q.restricted);
        if body.working_hours_id.is_some() {
            q.working_hours_id = body.working_hours_id.clone();
        }
        q.updated_ms = now_ms;
        Ok(())
    }

    /// `POST /ccaas/1/queues`.
    pub fn create_queue(&mut self, body: &QueueIn, now_ms: u64) -> Result<QueueOut, MockError> {
        let name = body.name.clone().unwrap_or_default();
        if name.trim().is_empty() {
            return Err(invalid("name", "must not be blank"));
        }
        if self.queues.values().any(|q| q.name == name) {
            return Err(invalid("name", "a queue with this name exists"));
        }
        let id = self.new_id(QUEUE)?;
        self.queues.insert(id.clone(), Queue::named(&name, now_ms));
        if let Err(e) = self.apply_queue(&id, body, now_ms) {
            self.queues.remove(&id);
            return Err(e);
        }
        self.queue_out(&id)
    }

    /// `PUT /ccaas/1/queues/{id}`.
    pub fn update_queue(
        &mut self,
        id: &str,
        body: &QueueIn,
        now_ms: u64,
    ) -> Result<QueueOut, MockError> {
        self.apply_queue(id, body, now_ms)?;
        self.queue_out(id)
    }

    /// `DELETE /ccaas/1/queues/{id}`: not the Default queue, nor one a routing rule sends to.
    pub fn delete_queue(&mut self, id: &str) -> Result<Done, MockError> {
        if !self.queues.contains_key(id) {
            return Err(not_found(id));
        }
        if id == DEFAULT_QUEUE {
            return Err(invalid("queueId", "the Default queue cannot be deleted"));
        }
        if self.routes.iter().any(|r| r.queue == id) {
            return Err(invalid(
                "queueId",
                "a routing rule sends conversations to this queue",
            ));
        }
        self.queues.remove(id);
        self.members.retain(|(_, q)| q != id);
        Ok(done("Queue deleted."))
    }

    /// `GET /ccaas/1/queues` with its filters (`queueIds`, `agentId`, `workingHoursId`,
    /// `name`).
    pub fn queues(&self, q: &Query) -> Result<QueuesOut, MockError> {
        let (page, limit) = q.paging()?;
        let order = q.order(&["id", "name", "createdAt", "updatedAt"])?;
        let ids = q.list("queueIds");
        let agent = q.text("agentId");
        let hours = q.text("workingHoursId");
        let name = q.text("name");
        let mut found = Vec::new();
        for (id, queue) in &self.queues {
            let keep = (ids.is_empty() || ids.contains(id))
                && agent
                    .as_ref()
                    .is_none_or(|a| self.members.contains(&(a.clone(), id.clone())))
                && hours
                    .as_ref()
                    .is_none_or(|h| queue.working_hours_id.as_ref() == Some(h))
                && name
                    .as_ref()
                    .is_none_or(|n| queue.name.to_lowercase().contains(&n.to_lowercase()));
            if keep {
                found.push(self.queue_out(id)?);
            }
        }
        match order.field {
            "name" => found.sort_by(|a, b| a.name.cmp(&b.name)),
            "createdAt" => found.sort_by(|a, b| a.created_at.cmp(&b.created_at)),
            "updatedAt" => found.sort_by(|a, b| a.updated_at.cmp(&b.updated_at)),
            _ => {}
        }
        if order.descending {
            found.reverse();
        }
        let (queues, pagination) = page_of(&found, page, limit, order.text());
        Ok(QueuesOut { queues, pagination })
    }

    /// `PUT /ccaas/1/routing`: the whole list, in order; every rule names an existing queue and
    /// carries an expression the mock can evaluate.
    pub fn set_routing(&mut self, rules: &[RouteIn], now_ms: u64) -> Result<Done, MockError> {
        let mut routes = Vec::with_capacity(rules.len());
        for (i, r) in rules.iter().enumerate() {
            let at = |field: &str| format!("[{i}].{field}");
            let queue = r.queue_id.clone().unwrap_or_default();
            if queue.is_empty() {
                return Err(invalid(&at("queueId"), "must not be blank"));
            }
            if !self.queues.contains_key(&queue) {
                return Err(invalid(&at("queueId"), &format!("no queue '{queue}'")));
            }
            let priority = r.priority.clone().unwrap_or_else(|| "NORMAL".into());
            if !PRIORITIES.contains(&priority.as_str()) {
                return Err(invalid(
                    &at("priority"),
                    &format!("expected one of {}", PRIORITIES.join(", ")),
                ));
            }
            let expression = r
                .expression
                .clone()
                .ok_or_else(|| invalid(&at("expression"), "must not be null"))?;
            expression::check(&expression).map_err(|e| invalid(&at("expression"), &e))?;
            routes.push(Route {
                id: String::new(),
                name: r.name.clone(),
                queue,
                priority,
                enabled: r.enabled.unwrap_or(true),
                only_in_hours: r.route_only_during_working_hours.unwrap_or(false),
                expression,
                created_ms: now_ms,
            });
        }
        for r in &mut routes {
            r.id = self.new_id(ROUTE)?;
        }
        self.routes = routes;
        self.routing_set = true;
        Ok(done("Routing saved."))
    }

    /// `DELETE /ccaas/1/routing`: no rules (everything goes to Default).
    pub fn delete_routing(&mut self) -> Done {
        self.routes.clear();
        self.routing_set = true;
        done("Routing deleted.")
    }

    /// `GET /ccaas/1/routing` (`ruleIds`, `enabled`).
    pub fn routing(&self, q: &Query) -> Result<RoutesOut, MockError> {
        let ids = q.list("ruleIds");
        let enabled = q
            .one_of("enabled", &["true", "false"])?
            .map(|v| v == "true");
        let found: Vec<RouteOut> = self
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| ids.is_empty() || ids.contains(&r.id))
            .filter(|(_, r)| enabled.is_none_or(|e| e == r.enabled))
            .map(|(i, r)| RouteOut {
                id: r.id.clone(),
                name: r.name.clone(),
                queue_id: r.queue.clone(),
                queue_name: self
                    .queues
                    .get(&r.queue)
                    .map_or_else(|| r.queue.clone(), |q| q.name.clone()),
                priority: r.priority.clone(),
                enabled: r.enabled,
                route_only_during_working_hours: r.only_in_hours,
                expression: r.expression.clone(),
                order: i,
                is_private: false,
                created_at: timestamp(r.created_ms),
                updated_at: timestamp(r.created_ms),
            })
            .collect();
        let total = found.len().max(1);
        let (routes, pagination) = page_of(&found, 0, total, "order:asc".into());
        Ok(RoutesOut { routes, pagination })
    }
}
