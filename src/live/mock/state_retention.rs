//! What the mock keeps, so a long run's memory is bounded: closed conversations only for the
//! retention time, and never more conversations or messages than its caps.
//!
//! When a new conversation or message would pass a cap, the oldest closed conversations are
//! evicted first (with their messages; a later read answers as for an unknown id). When
//! nothing closed is left to evict, the write is refused with 429 `TOO_MANY_REQUESTS`: the
//! system under test holds that many conversations open, and the mock says so rather than
//! grow without bound.

use super::{MockError, MockPlatform};

/// Default cap on conversations held (open and closed): 1,000,000.
pub const DEFAULT_MAX_CONVERSATIONS: usize = 1_000_000;
/// Default cap on messages held: 5,000,000.
pub const DEFAULT_MAX_MESSAGES: usize = 5_000_000;

/// The caps of a mock's store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreCaps {
    /// Conversations held at most.
    pub conversations: usize,
    /// Messages held at most.
    pub messages: usize,
}

impl Default for StoreCaps {
    fn default() -> Self {
        Self {
            conversations: DEFAULT_MAX_CONVERSATIONS,
            messages: DEFAULT_MAX_MESSAGES,
        }
    }
}

impl MockPlatform {
    /// Keep closed conversations only `ms` after they close (none: for ever), so a long load
    /// run holds what is open, not everything it ever saw. Reads of a dropped conversation
    /// answer as for an unknown id.
    pub fn retain_closed_for(&mut self, ms: Option<u64>) {
        self.retain_closed_ms = ms;
    }

    /// Hold at most `caps` (see the module doc).
    pub fn cap(&mut self, caps: StoreCaps) {
        self.caps = caps;
    }

    /// Conversations held (open and retained closed ones).
    pub fn held(&self) -> usize {
        self.conversations.len()
    }

    /// Messages held.
    pub fn messages_held(&self) -> usize {
        self.messages.len()
    }

    /// Drops the closed conversations kept longer than the retention.
    pub(super) fn drop_expired(&mut self, now_ms: u64) {
        let Some(keep_ms) = self.retain_closed_ms else {
            return;
        };
        while let Some(&(closed_ms, id)) = self.closed.front() {
            if closed_ms.saturating_add(keep_ms) > now_ms {
                break;
            }
            self.closed.pop_front();
            self.forget(id);
        }
    }

    /// Makes room for `conversations` new conversations and `messages` new messages under
    /// the caps, evicting the oldest closed conversations; 429 when nothing is left to evict.
    pub(super) fn make_room(
        &mut self,
        conversations: usize,
        messages: usize,
    ) -> Result<(), MockError> {
        let over = |p: &Self| {
            p.conversations.len() + conversations > p.caps.conversations
                || p.messages.len() + messages > p.caps.messages
        };
        while over(self) {
            let Some((_, id)) = self.closed.pop_front() else {
                return Err(MockError::Full {
                    conversations: self.caps.conversations,
                    messages: self.caps.messages,
                });
            };
            self.forget(id);
        }
        Ok(())
    }

    /// Forgets conversation `id` and its messages everywhere.
    fn forget(&mut self, id: u64) {
        if let Ok(c) = self.store.get(id) {
            for m in &c.messages {
                self.messages.remove(&m.id);
            }
        }
        self.store.forget(id);
        self.index.remove(id);
        if let Some(w) = self.conversations.remove(&id) {
            self.ids.remove(&w.public_id);
            if let Some(key) = w.thread
                && self.threads.get(&key) == Some(&id)
            {
                self.threads.remove(&key);
            }
        }
    }
}
