//! List Conversations (§2 #1) as the mock's state answers it: the filters read, the page
//! taken from the listing index ([`super::super::list_index`]) in time of the page.

use super::super::list_index::Field;
use super::super::wire::{priority_name, status_name};
use super::{
    ConversationsOut, ConversationsQuery, MockError, MockPlatform, Pagination, invalid, paging,
    parse_priority, parse_status,
};

impl MockPlatform {
    /// GET /ccaas/1/conversations with filters and paging.
    pub fn conversation_list(&self, q: &ConversationsQuery) -> Result<ConversationsOut, MockError> {
        let (page, limit) = paging(q.page, q.limit)?;
        let status = match &q.status {
            Some(s) => Some(parse_status(s).ok_or_else(|| invalid("status", "invalid value"))?),
            None => None,
        };
        let priority = match &q.priority {
            Some(s) => Some(parse_priority(s).ok_or_else(|| invalid("priority", "invalid value"))?),
            None => None,
        };
        let mut filters = Vec::new();
        if let Some(s) = status {
            filters.push((Field::Status, status_name(s).to_string()));
        }
        if let Some(p) = priority {
            filters.push((Field::Priority, priority_name(p).to_string()));
        }
        if let Some(queue) = &q.queue_id {
            filters.push((Field::Queue, queue.clone()));
        }
        if let Some(agent) = &q.agent_id {
            filters.push((Field::Agent, agent.clone()));
        }
        if let Some(tag) = &q.tag_name {
            filters.push((Field::Tag, tag.clone()));
        }
        // Infobip's documents give `page` as an int64: a page whose first item lies past what
        // 64 bits count is past the end, an empty page (it wrapped to page 0 before).
        let offset = page.saturating_mul(limit);
        let found = self.index.page(&filters, offset, limit);
        let conversations = found
            .ids
            .iter()
            .map(|id| self.conversation_out(*id))
            .collect::<Result<_, _>>()?;
        Ok(ConversationsOut {
            conversations,
            pagination: Pagination {
                total_items: found.total,
                page,
                limit,
                order_by: "id:asc".into(),
            },
        })
    }
}
