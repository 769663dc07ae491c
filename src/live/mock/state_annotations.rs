//! What the mock keeps on a conversation besides its messages — tags, metadata, notes — and the
//! account's tags and webhook (§2 #9–15).

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::wire::NotesOut;
use super::{
    AccountConfigurationIn, ApiError, MockError, MockPlatform, NOTE, NoteIn, NoteOut, NotesQuery,
    Pagination, TagIn, TagNameIn, TagOut, TagsOut, TagsQuery, descending, entity_id, invalid,
    paging, timestamp,
};
use crate::model::platform_api::{MAX_ID, MAX_SUMMARY};

impl MockPlatform {
    /// POST /ccaas/1/conversations/{id}/tags (§2 #9).
    pub fn add_tag(
        &mut self,
        public: &str,
        body: &TagNameIn,
        now_ms: u64,
    ) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        let name = body.tag_name.as_deref().unwrap_or("");
        if name.is_empty() {
            return Err(invalid("tagName", "must not be blank"));
        }
        self.store.add_tag(id, name)?;
        self.reindex(id);
        self.touched(id, now_ms);
        Ok(())
    }

    /// DELETE /ccaas/1/conversations/{id}/tags/{tagName} (§2 #10).
    pub fn remove_tag(&mut self, public: &str, name: &str, now_ms: u64) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        self.store.remove_tag(id, name)?;
        self.reindex(id);
        self.touched(id, now_ms);
        Ok(())
    }

    /// POST /ccaas/1/tags (§2 #11).
    pub fn create_tag(&mut self, body: &TagIn, now_ms: u64) -> Result<TagOut, MockError> {
        let name = body.name.as_deref().unwrap_or("");
        self.store.create_tag(name)?;
        self.tag_created_ms.insert(name.to_string(), now_ms);
        Ok(TagOut {
            name: name.to_string(),
            created_at: timestamp(now_ms),
            updated_at: timestamp(now_ms),
        })
    }

    /// GET /ccaas/1/tags.
    pub fn tags(&self, q: &TagsQuery) -> Result<TagsOut, MockError> {
        let (page, limit) = paging(q.page, q.limit)?;
        let mut names: Vec<&String> = self
            .store
            .tags()
            .iter()
            .filter(|t| q.name.as_ref().is_none_or(|n| t.contains(n.as_str())))
            .collect();
        names.sort();
        let total_items = names.len();
        let tags = names
            .into_iter()
            .skip(page.saturating_mul(limit))
            .take(limit)
            .map(|t| {
                let at = timestamp(self.tag_created_ms.get(t).copied().unwrap_or(0));
                TagOut {
                    name: t.clone(),
                    created_at: at.clone(),
                    updated_at: at,
                }
            })
            .collect();
        Ok(TagsOut {
            tags,
            pagination: Pagination {
                total_items,
                page,
                limit,
                order_by: "name:asc".into(),
            },
        })
    }

    /// DELETE /ccaas/1/tags/{tagName}.
    pub fn delete_tag(&mut self, name: &str) -> Result<(), MockError> {
        let tagged = self.index.with_tag(name);
        self.store.delete_tag(name)?;
        for id in tagged {
            self.reindex(id);
        }
        self.tag_created_ms.remove(name);
        Ok(())
    }

    /// PUT (`replace`) or PATCH …/metadata (§2 #12–13): values are any JSON.
    pub fn set_metadata(
        &mut self,
        public: &str,
        values: &serde_json::Map<String, Value>,
        replace: bool,
        now_ms: u64,
    ) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        let values = values
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect();
        self.store.set_metadata(id, values, replace)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// GET …/metadata: the bare map.
    pub fn metadata(&self, public: &str) -> Result<serde_json::Map<String, Value>, MockError> {
        let c = self.store.get(self.id_of(public)?)?;
        Ok(c.metadata
            .iter()
            .map(|(k, v)| {
                let value = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.clone()));
                (k.clone(), value)
            })
            .collect())
    }

    /// DELETE …/metadata.
    pub fn delete_metadata(&mut self, public: &str, now_ms: u64) -> Result<(), MockError> {
        let id = self.id_of(public)?;
        self.store.set_metadata(id, BTreeMap::new(), true)?;
        self.touched(id, now_ms);
        Ok(())
    }

    /// POST …/notes (§2 #15).
    pub fn add_note(
        &mut self,
        public: &str,
        body: &NoteIn,
        now_ms: u64,
    ) -> Result<NoteOut, MockError> {
        let id = self.id_of(public)?;
        let content = body.content.clone().unwrap_or_default();
        if content.trim().is_empty() {
            return Err(invalid("content", "must not be blank"));
        }
        let kind = body.kind.clone().unwrap_or_else(|| "INTERNAL".into());
        if kind != "INTERNAL" && kind != "ATTACHMENT" {
            return Err(invalid("type", "expected INTERNAL or ATTACHMENT"));
        }
        if body.agent_id.as_ref().is_some_and(|a| a.len() > MAX_ID) {
            return Err(invalid("agentId", "size must be between 0 and 255"));
        }
        let author = body.agent_id.clone().unwrap_or_default();
        self.store.add_note(
            id,
            &author,
            content.chars().count().min(MAX_SUMMARY + 1),
            now_ms,
        )?;
        let note = NoteOut {
            id: entity_id(NOTE, self.next_note),
            conversation_id: public.to_string(),
            agent_id: body.agent_id.clone(),
            kind,
            content,
            created_at: timestamp(now_ms),
            updated_at: timestamp(now_ms),
        };
        self.next_note += 1;
        if let Some(w) = self.conversations.get_mut(&id) {
            w.notes.push(note.clone());
            w.updated_ms = now_ms;
        }
        Ok(note)
    }

    /// GET …/notes: the conversation's notes, a page at a time, oldest first unless
    /// `orderBy` says `:desc` (notes are numbered as they are written, so `id` and
    /// `createdAt` order alike).
    pub fn notes(&self, public: &str, q: &NotesQuery) -> Result<NotesOut, MockError> {
        let (page, limit) = paging(q.page, q.limit)?;
        let descending = descending(q.order_by.as_deref(), &["id", "createdAt"])?;
        let id = self.id_of(public)?;
        let all = &self.conversations[&id].notes;
        let offset = page.saturating_mul(limit);
        let notes: Vec<NoteOut> = if descending {
            all.iter().rev().skip(offset).take(limit).cloned().collect()
        } else {
            all.iter().skip(offset).take(limit).cloned().collect()
        };
        Ok(NotesOut {
            notes,
            pagination: Pagination {
                total_items: all.len(),
                page,
                limit,
                order_by: q.order_by.clone().unwrap_or_else(|| "id:asc".into()),
            },
        })
    }

    /// GET …/notes/{noteId}: one note of the conversation.
    pub fn note(&self, public: &str, note_id: &str) -> Result<NoteOut, MockError> {
        let id = self.id_of(public)?;
        self.conversations[&id]
            .notes
            .iter()
            .find(|n| n.id == note_id)
            .cloned()
            .ok_or_else(|| ApiError::NotFound(note_id.to_string()).into())
    }

    /// PUT /ccaas/1/account/configuration (§2 #14): the one account webhook; a new one
    /// replaces the old, an empty one removes it (CC-1).
    pub fn configure(&mut self, body: &AccountConfigurationIn) -> Result<(), MockError> {
        let url = body.webhook_url.as_deref().unwrap_or("");
        self.store.set_webhook(url)?;
        Ok(())
    }
}
