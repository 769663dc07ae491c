//! List Conversations (§2 #5) as the mock's state answers it. The common query — at most one
//! value per filter, no time window, the default order `id:asc` — is served from the listing
//! index ([`super::super::list_index`]) in time of the page. Any other (several queues or
//! tags, conversation ids, created/updated/closed windows, another `orderBy`) walks the
//! conversations the index narrows it to, checks each, sorts and pages: time in the number of
//! candidates, which the narrowest filter bounds.

use std::collections::BTreeSet;

use super::super::list_index::Field;
use super::{ConversationsOut, ConversationsQuery, MockError, MockPlatform, Pagination};
use crate::model::platform_api::Assignee;

impl MockPlatform {
    /// GET /ccaas/1/conversations with filters, paging and order.
    pub fn conversation_list(&self, q: &ConversationsQuery) -> Result<ConversationsOut, MockError> {
        let mut filters = Vec::new();
        if let Some(s) = &q.status {
            filters.push((Field::Status, s.clone()));
        }
        if let Some(p) = &q.priority {
            filters.push((Field::Priority, p.clone()));
        }
        if let Some(agent) = &q.agent_id {
            filters.push((Field::Agent, agent.clone()));
        }
        let simple = q.conversation_ids.is_empty()
            && q.queue_ids.len() <= 1
            && q.tag_names.len() <= 1
            && !q.created.is_set()
            && !q.updated.is_set()
            && !q.closed.is_set()
            && q.order.is_id_ascending();
        // Infobip's documents give `page` as an int64: a page whose first item lies past what
        // 64 bits count is past the end, an empty page.
        let offset = q.page.saturating_mul(q.limit);
        let (ids, total) = if simple {
            filters.extend(q.queue_ids.iter().map(|v| (Field::Queue, v.clone())));
            filters.extend(q.tag_names.iter().map(|v| (Field::Tag, v.clone())));
            let found = self.index.page(&filters, offset, q.limit);
            (found.ids, found.total)
        } else {
            let all = self.matching(q, &filters);
            let total = all.len();
            (all.into_iter().skip(offset).take(q.limit).collect(), total)
        };
        let conversations = ids
            .iter()
            .map(|id| self.conversation_out(*id))
            .collect::<Result<_, _>>()?;
        Ok(ConversationsOut {
            conversations,
            pagination: Pagination {
                total_items: total,
                page: q.page,
                limit: q.limit,
                order_by: q.order.text(),
            },
        })
    }

    /// Every conversation `q` selects, in its order.
    fn matching(&self, q: &ConversationsQuery, single: &[(Field, String)]) -> Vec<u64> {
        let union = |field: Field, values: &[String]| -> BTreeSet<u64> {
            values
                .iter()
                .filter_map(|v| self.index.having(&(field, v.clone())))
                .flatten()
                .copied()
                .collect()
        };
        // The candidates: the narrowest of the given id list, the queues' or tags' unions and
        // the single-valued filters' sets.
        let mut candidates: Vec<BTreeSet<u64>> = Vec::new();
        if !q.conversation_ids.is_empty() {
            candidates.push(
                q.conversation_ids
                    .iter()
                    .filter_map(|p| self.ids.get(p).copied())
                    .collect(),
            );
        }
        if !q.queue_ids.is_empty() {
            candidates.push(union(Field::Queue, &q.queue_ids));
        }
        if !q.tag_names.is_empty() {
            candidates.push(union(Field::Tag, &q.tag_names));
        }
        for key in single {
            candidates.push(self.index.having(key).cloned().unwrap_or_default());
        }
        let narrowest = candidates.iter().min_by_key(|c| c.len());
        let walk: Box<dyn Iterator<Item = u64>> = match narrowest {
            Some(set) => Box::new(set.iter().copied()),
            None => Box::new(self.index.all().iter().copied()),
        };
        let mut found: Vec<u64> = walk
            .filter(|id| candidates.iter().all(|c| c.contains(id)))
            .filter(|id| {
                let (Ok(c), Some(w)) = (self.store.get(*id), self.conversations.get(id)) else {
                    return false;
                };
                q.created.holds(Some(c.created_ms))
                    && q.updated.holds(Some(w.updated_ms))
                    && q.closed.holds(c.closed_ms)
            })
            .collect();
        self.sort(&mut found, q.order.field);
        if q.order.descending {
            found.reverse();
        }
        found
    }

    /// Sorts ids ascending on `field`, ties by id. Times sort as numbers (a conversation not
    /// closed sorts after every closed one on `closedAt`); status and priority by their rank
    /// (OPEN < WAITING < SOLVED < CLOSED, LOW < NORMAL < HIGH < URGENT) **(ours: the document
    /// only says the fields are the entity's properties)**; text fields by their text.
    fn sort(&self, ids: &mut [u64], field: &str) {
        if field == "id" {
            return;
        }
        ids.sort_by_cached_key(|id| {
            let (Ok(c), Some(w)) = (self.store.get(*id), self.conversations.get(id)) else {
                return (u64::MAX, String::new(), *id);
            };
            let (number, text) = match field {
                "createdAt" => (c.created_ms, String::new()),
                "updatedAt" => (w.updated_ms, String::new()),
                "closedAt" => (c.closed_ms.unwrap_or(u64::MAX), String::new()),
                "status" => (c.status as u64, String::new()),
                "priority" => (c.priority as u64, String::new()),
                "topic" => (0, w.topic.clone().unwrap_or_default()),
                "queueId" => (0, c.queue.clone().unwrap_or_default()),
                "agentId" => (
                    0,
                    match &c.assignee {
                        Some(Assignee::Agent(a) | Assignee::Bot(a)) => a.clone(),
                        None => String::new(),
                    },
                ),
                _ => (0, String::new()),
            };
            (number, text, *id)
        });
    }
}
