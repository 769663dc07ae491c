//! How long the mock keeps closed conversations, so a long run holds only what is live.

use super::MockPlatform;

impl MockPlatform {
    /// Keep closed conversations only `ms` after they close (none: for ever), so a long load
    /// run holds what is open, not everything it ever saw. Reads of a dropped conversation
    /// answer as for an unknown id.
    pub fn retain_closed_for(&mut self, ms: Option<u64>) {
        self.retain_closed_ms = ms;
    }

    /// Conversations held (open and retained closed ones).
    pub fn held(&self) -> usize {
        self.conversations.len()
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
            if let Ok(c) = self.store.get(id) {
                for m in &c.messages {
                    self.messages.remove(&m.id);
                }
            }
            self.store.forget(id);
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
}
