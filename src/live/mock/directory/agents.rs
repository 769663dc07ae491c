//! Agents (`/ccaas/1/agents`): create, read, update, list with the documented filters (ids,
//! queues, display name, e-mail, status, availability, role, enabled, created/updated
//! windows), status changes, heartbeats, queue membership, and an agent's conversations.
//!
//! `availability` is what the platform computes from the status the agent sets; the mock
//! runs no assignment of its own, so it is the status **(ours)**. Role AGENT or SUPERVISOR,
//! enabled by default.

use serde::{Deserialize, Serialize};

use super::{AGENT, Directory, Done, done, invalid, not_found, page_of};
use crate::live::mock::queries::{Order, Query, TimeRange};
use crate::live::mock::state::MockError;
use crate::live::mock::wire::{Pagination, timestamp};

const STATUSES: [&str; 4] = ["ACTIVE", "BUSY", "INVISIBLE", "AWAY"];
const ROLES: [&str; 2] = ["AGENT", "SUPERVISOR"];

/// An agent as stored.
#[derive(Debug, Clone)]
pub(super) struct Agent {
    display_name: String,
    email: Option<String>,
    status: String,
    role: String,
    enabled: bool,
    created_ms: u64,
    updated_ms: u64,
}

impl Agent {
    /// Whether the agent is enabled.
    pub(super) fn enabled_now(&self) -> bool {
        self.enabled
    }

    /// A scenario's agent: ACTIVE, an AGENT, enabled.
    pub(super) fn seeded(name: &str, now_ms: u64) -> Self {
        Self {
            display_name: name.to_string(),
            email: Some(format!("{name}@agents.ccsim.invalid")),
            status: "ACTIVE".into(),
            role: "AGENT".into(),
            enabled: true,
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }
}

/// Create or update an agent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentIn {
    /// Name shown, ≤ 255, required.
    pub display_name: Option<String>,
    /// Enabled (default true).
    pub enabled: Option<bool>,
    /// AGENT or SUPERVISOR, required.
    pub role: Option<String>,
    /// ACTIVE, BUSY, INVISIBLE or AWAY, required.
    pub status: Option<String>,
}

/// An agent as the API answers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AgentOut {
    id: String,
    display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    status: String,
    availability: String,
    role: String,
    enabled: bool,
    created_at: String,
    updated_at: String,
}

/// `{"agents": […], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
pub struct AgentsOut {
    agents: Vec<AgentOut>,
    pagination: Pagination,
}

/// The agent list's query.
#[derive(Debug, Clone)]
pub struct AgentsQuery {
    page: usize,
    limit: usize,
    agent_ids: Vec<String>,
    queue_ids: Vec<String>,
    display_name: Option<String>,
    email: Option<String>,
    status: Option<String>,
    availability: Option<String>,
    role: Option<String>,
    enabled: Option<bool>,
    created: TimeRange,
    updated: TimeRange,
    order: Order,
}

impl AgentsQuery {
    /// Reads it from a query string.
    pub fn read(q: &Query) -> Result<Self, MockError> {
        let (page, limit) = q.paging()?;
        Ok(Self {
            page,
            limit,
            agent_ids: q.list("agentIds"),
            queue_ids: q.list("queueIds"),
            display_name: q.text("displayName"),
            email: q.text("email"),
            status: q.one_of("status", &STATUSES)?,
            availability: q.one_of("availability", &STATUSES)?,
            role: q.one_of("role", &ROLES)?,
            enabled: q
                .one_of("enabled", &["true", "false"])?
                .map(|v| v == "true"),
            created: q.range("created")?,
            updated: q.range("updated")?,
            order: q.order(&[
                "id",
                "displayName",
                "createdAt",
                "updatedAt",
                "status",
                "role",
            ])?,
        })
    }
}

fn checked(body: &AgentIn) -> Result<(String, String, String), MockError> {
    let name = body.display_name.clone().unwrap_or_default();
    if name.trim().is_empty() {
        return Err(invalid("displayName", "must not be blank"));
    }
    if name.chars().count() > 255 {
        return Err(invalid("displayName", "size must be between 0 and 255"));
    }
    let pick = |field: &str, v: &Option<String>, allowed: &[&str]| match v.as_deref() {
        Some(s) if allowed.contains(&s) => Ok(s.to_string()),
        Some(_) => Err(invalid(
            field,
            &format!("expected one of {}", allowed.join(", ")),
        )),
        None => Err(invalid(field, "must not be null")),
    };
    Ok((
        name,
        pick("role", &body.role, &ROLES)?,
        pick("status", &body.status, &STATUSES)?,
    ))
}

impl Directory {
    fn agent_out(&self, id: &str) -> Result<AgentOut, MockError> {
        let a = self.agents.get(id).ok_or_else(|| not_found(id))?;
        Ok(AgentOut {
            id: id.to_string(),
            display_name: a.display_name.clone(),
            email: a.email.clone(),
            status: a.status.clone(),
            availability: a.status.clone(),
            role: a.role.clone(),
            enabled: a.enabled,
            created_at: timestamp(a.created_ms),
            updated_at: timestamp(a.updated_ms),
        })
    }

    /// Whether agent `id` exists.
    pub fn has_agent(&self, id: &str) -> bool {
        self.agents.contains_key(id)
    }

    /// `POST /ccaas/1/agents`.
    pub fn create_agent(&mut self, body: &AgentIn, now_ms: u64) -> Result<AgentOut, MockError> {
        let (display_name, role, status) = checked(body)?;
        let id = self.new_id(AGENT)?;
        self.agents.insert(
            id.clone(),
            Agent {
                display_name,
                email: None,
                status,
                role,
                enabled: body.enabled.unwrap_or(true),
                created_ms: now_ms,
                updated_ms: now_ms,
            },
        );
        self.agent_out(&id)
    }

    /// `GET /ccaas/1/agents/{id}`.
    pub fn agent(&self, id: &str) -> Result<AgentOut, MockError> {
        self.agent_out(id)
    }

    /// `PUT /ccaas/1/agents/{id}`.
    pub fn update_agent(
        &mut self,
        id: &str,
        body: &AgentIn,
        now_ms: u64,
    ) -> Result<AgentOut, MockError> {
        let (display_name, role, status) = checked(body)?;
        let a = self.agents.get_mut(id).ok_or_else(|| not_found(id))?;
        a.display_name = display_name;
        a.role = role;
        a.status = status;
        a.enabled = body.enabled.unwrap_or(true);
        a.updated_ms = now_ms;
        self.agent_out(id)
    }

    /// `PUT /ccaas/1/agents/{id}/status`.
    pub fn set_agent_status(
        &mut self,
        id: &str,
        status: Option<&str>,
        now_ms: u64,
    ) -> Result<AgentOut, MockError> {
        let status = match status {
            Some(s) if STATUSES.contains(&s) => s.to_string(),
            Some(_) => {
                return Err(invalid(
                    "status",
                    &format!("expected one of {}", STATUSES.join(", ")),
                ));
            }
            None => return Err(invalid("status", "must not be null")),
        };
        let a = self.agents.get_mut(id).ok_or_else(|| not_found(id))?;
        a.status = status;
        a.updated_ms = now_ms;
        self.agent_out(id)
    }

    /// `PUT /ccaas/1/agents/{id}/heartbeat`: the agent is still there.
    pub fn heartbeat(&mut self, id: &str, now_ms: u64) -> Result<Done, MockError> {
        let a = self.agents.get_mut(id).ok_or_else(|| not_found(id))?;
        a.updated_ms = a.updated_ms.max(now_ms);
        Ok(done("Heartbeat received."))
    }

    /// `POST /ccaas/1/agents/{id}/queues`.
    pub fn add_to_queue(&mut self, id: &str, queue: Option<&str>) -> Result<Done, MockError> {
        if !self.agents.contains_key(id) {
            return Err(not_found(id));
        }
        let queue = queue
            .filter(|q| !q.is_empty())
            .ok_or_else(|| invalid("queueId", "must not be blank"))?;
        if !self.queues.contains_key(queue) {
            return Err(not_found(queue));
        }
        self.members.insert((id.to_string(), queue.to_string()));
        Ok(done("Agent added to queue."))
    }

    /// `DELETE /ccaas/1/agents/{id}/queues/{queueId}`.
    pub fn remove_from_queue(&mut self, id: &str, queue: &str) -> Result<Done, MockError> {
        if !self.agents.contains_key(id) {
            return Err(not_found(id));
        }
        if !self.queues.contains_key(queue) {
            return Err(not_found(queue));
        }
        if queue == crate::scenario::routing::DEFAULT_QUEUE {
            return Err(invalid(
                "queueId",
                "every agent belongs to the Default queue",
            ));
        }
        self.members.remove(&(id.to_string(), queue.to_string()));
        Ok(done("Agent removed from queue."))
    }

    /// `GET /ccaas/1/agents` with its filters.
    pub fn agents(&self, q: &AgentsQuery) -> Result<AgentsOut, MockError> {
        let mut found: Vec<AgentOut> = Vec::new();
        for (id, a) in &self.agents {
            let keep = (q.agent_ids.is_empty() || q.agent_ids.contains(id))
                && (q.queue_ids.is_empty()
                    || q.queue_ids
                        .iter()
                        .any(|qu| self.members.contains(&(id.clone(), qu.clone()))))
                && q.display_name
                    .as_ref()
                    .is_none_or(|n| a.display_name.to_lowercase().contains(&n.to_lowercase()))
                && q.email
                    .as_ref()
                    .is_none_or(|e| a.email.as_ref().is_some_and(|m| m.eq_ignore_ascii_case(e)))
                && q.status.as_ref().is_none_or(|s| *s == a.status)
                && q.availability.as_ref().is_none_or(|s| *s == a.status)
                && q.role.as_ref().is_none_or(|r| *r == a.role)
                && q.enabled.is_none_or(|e| e == a.enabled)
                && q.created.holds(Some(a.created_ms))
                && q.updated.holds(Some(a.updated_ms));
            if keep {
                found.push(self.agent_out(id)?);
            }
        }
        match q.order.field {
            "displayName" => found.sort_by(|a, b| a.display_name.cmp(&b.display_name)),
            "createdAt" => found.sort_by(|a, b| a.created_at.cmp(&b.created_at)),
            "updatedAt" => found.sort_by(|a, b| a.updated_at.cmp(&b.updated_at)),
            "status" => found.sort_by(|a, b| a.status.cmp(&b.status)),
            "role" => found.sort_by(|a, b| a.role.cmp(&b.role)),
            _ => {}
        }
        if q.order.descending {
            found.reverse();
        }
        let (agents, pagination) = page_of(&found, q.page, q.limit, q.order.text());
        Ok(AgentsOut { agents, pagination })
    }

    /// The queues agent `id` belongs to.
    pub fn queues_of(&self, id: &str) -> Vec<String> {
        self.members
            .iter()
            .filter(|(a, _)| a == id)
            .map(|(_, q)| q.clone())
            .collect()
    }
}
