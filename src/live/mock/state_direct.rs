//! Sends on a channel's own API, as the mock's state sees them: the WhatsApp window they need
//! and the answer a load driver hears.

use super::{
    ApiError, ConversationStatus, DIRECT, MockError, MockPlatform, PlatformEvent, WindowMode,
    entity_id,
};

/// A channel send accepted outside the Conversations API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectSend {
    /// The message id answered (the caller's, else a new one).
    pub message_id: String,
    /// Accepted, but a free-form WhatsApp message outside the window: its delivery will fail
    /// (WIN-1, in [`WindowMode::FailOnDelivery`]).
    pub undeliverable: bool,
}

impl MockPlatform {
    /// A send on a channel's own API (WhatsApp direct, Messages API) from business number
    /// `from` to customer `to`; `free_form` unless a template. On WhatsApp a free-form message
    /// needs the customer's 24-hour window (WIN-1), known from their conversation with `from`
    /// (a conversation forgotten after the retention takes its window with it): outside it the
    /// send is accepted and undeliverable, or refused at once, as the window mode says. The
    /// send is not written into the conversation (whether Infobip shows it there is unknown),
    /// but a load driver hears it as an answer to the customer.
    pub fn direct_send(
        &mut self,
        channel: &str,
        from: &str,
        to: &str,
        message_id: Option<&str>,
        free_form: bool,
        now_ms: u64,
    ) -> Result<DirectSend, MockError> {
        let key = (to.to_string(), from.to_string(), channel.to_string());
        let conversation = self.threads.get(&key).copied();
        let last_inbound = conversation
            .and_then(|id| self.store.get(id).ok())
            .and_then(|c| c.messages.iter().rev().find(|m| m.inbound()))
            .map(|m| m.created_ms);
        let outside = channel == "WHATSAPP"
            && free_form
            && last_inbound.is_none_or(|at| {
                crate::model::window::outgoing(true, at, now_ms)
                    == crate::model::window::Outgoing::TemplateInstead
            });
        if outside && self.store.window_mode() == WindowMode::RejectAtOnce {
            return Err(ApiError::OutsideWindow.into());
        }
        let message_id = match message_id {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let n = self.next_direct;
                self.next_direct += 1;
                entity_id(DIRECT, n)
            }
        };
        if let Some(id) = conversation
            && self
                .store
                .get(id)
                .is_ok_and(|c| c.status != ConversationStatus::Closed)
        {
            let conversation = self.conversations[&id].public_id.clone();
            self.emit(PlatformEvent::Outbound {
                conversation,
                by_bot: false,
            });
        }
        Ok(DirectSend {
            message_id,
            undeliverable: outside,
        })
    }
}
