//! What the mock keeps on a conversation besides its messages — tags, metadata, notes — and the
//! account's tags and webhook (§2 #9–15).

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::wire::NotesOut;
use super::{
    AccountConfigurationIn, ApiError, MockError, MockPlatform, NOTE, NoteIn, NoteOut, NotesQuery,
    Pagination, TAG, TagIn, TagNameIn, TagOut, TagsOut, TagsQuery, entity_id, invalid, timestamp,
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
        let n = self.next_tag;
        self.next_tag += 1;
        self.tags_made.insert(name.to_string(), (n, now_ms));
        Ok(self.tag_out(name))
    }

    fn tag_out(&self, name: &str) -> TagOut {
        let (n, made_ms) = self.tags_made.get(name).copied().unwrap_or((0, 0));
        TagOut {
            id: entity_id(TAG, n),
            name: name.to_string(),
            created_at: timestamp(made_ms),
            updated_at: timestamp(made_ms),
        }
    }

    /// GET /ccaas/1/tags (§2 #11): filtered by a part of the name and by conversation, in
    /// `orderBy`'s order (`id:asc` by default: the order they were created in).
    pub fn tags(&self, q: &TagsQuery) -> Result<TagsOut, MockError> {
        let of_conversation = match &q.conversation_id {
            Some(public) => Some(match self.ids.get(public) {
                Some(id) => self.store.get(*id)?.tags.clone(),
                // An unknown conversation carries no tags.
                None => Vec::new(),
            }),
            None => None,
        };
        let mut names: Vec<&String> = self
            .store
            .tags()
            .iter()
            .filter(|t| q.name.as_ref().is_none_or(|n| t.contains(n.as_str())))
            .filter(|t| of_conversation.as_ref().is_none_or(|on| on.contains(t)))
            .collect();
        // Tags never change after creation: `id`, `createdAt` and `updatedAt` order alike.
        let made = |t: &String| self.tags_made.get(t).copied().unwrap_or((0, 0));
        match q.order.field {
            "name" => names.sort(),
            _ => names.sort_by_key(|t| made(t)),
        }
        if q.order.descending {
            names.reverse();
        }
        let total_items = names.len();
        let tags = names
            .into_iter()
            .skip(q.page.saturating_mul(q.limit))
            .take(q.limit)
            .map(|t| self.tag_out(t))
            .collect();
        Ok(TagsOut {
            tags,
            pagination: Pagination {
                total_items,
                page: q.page,
                limit: q.limit,
                order_by: q.order.text(),
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
        self.tags_made.remove(name);
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
    /// `orderBy` says `:desc` (notes are numbered as they are written and never edited, so
    /// `id`, `createdAt` and `updatedAt` order alike).
    pub fn notes(&self, public: &str, q: &NotesQuery) -> Result<NotesOut, MockError> {
        let id = self.id_of(public)?;
        let all = &self.conversations[&id].notes;
        let offset = q.page.saturating_mul(q.limit);
        let notes: Vec<NoteOut> = if q.order.descending {
            all.iter()
                .rev()
                .skip(offset)
                .take(q.limit)
                .cloned()
                .collect()
        } else {
            all.iter().skip(offset).take(q.limit).cloned().collect()
        };
        Ok(NotesOut {
            notes,
            pagination: Pagination {
                total_items: all.len(),
                page: q.page,
                limit: q.limit,
                order_by: q.order.text(),
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
    /// The URL must be absolute `http` or `https` with a host (an empty one removes the
    /// webhook): the mock POSTs to it, so `file://…` or `gopher://…` would be a way to make it
    /// read or reach what it should not.
    pub fn configure(&mut self, body: &AccountConfigurationIn) -> Result<(), MockError> {
        let url = body.webhook_url.as_deref().unwrap_or("");
        if !url.is_empty() {
            let ok = url::Url::parse(url).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some_and(|h| !h.is_empty())
            });
            if !ok {
                return Err(invalid(
                    "webhookUrl",
                    "must be a valid URL (http or https, with a host)",
                ));
            }
        }
        self.store.set_webhook(url)?;
        Ok(())
    }
}
