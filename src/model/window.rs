//! WhatsApp's customer-service window and sessions (WIN-1..3).
//!
//! - WIN-1: a free-form message may go out only within 24 hours of the customer's last inbound
//!   message; outside that window only an approved template goes out, and the customer's next
//!   message opens the window again.
//! - WIN-2: a customer's message continues the open session of that customer and business
//!   number; with none open (or from an unknown sender) a new one starts.
//! - WIN-3: a session inactive for long enough resolves itself: about 12 hours on WhatsApp,
//!   3 hours on web chat, adjustable.

use super::channel::ChannelKind;

/// The length of the customer-service window, ms (WIN-1).
pub const WINDOW_MS: u64 = 24 * 3_600_000;

/// Whether a channel keeps a customer-service window (WIN-1: WhatsApp).
pub fn has_window(channel: ChannelKind) -> bool {
    channel == ChannelKind::Whatsapp
}

/// What goes out when a free-form message is wanted at some moment (WIN-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outgoing {
    /// The window is open: the free-form message goes out.
    FreeForm,
    /// The window is closed: the free-form message is rejected and a template goes instead.
    TemplateInstead,
}

/// WIN-1: a free-form message wanted at `now_ms` for a customer whose last inbound message was
/// at `last_inbound_ms`, on a channel with (`windowed`) or without a window.
pub fn outgoing(windowed: bool, last_inbound_ms: u64, now_ms: u64) -> Outgoing {
    if !windowed || now_ms < last_inbound_ms.saturating_add(WINDOW_MS) {
        Outgoing::FreeForm
    } else {
        Outgoing::TemplateInstead
    }
}

/// WIN-2: where a customer's message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// Into the open session (conversation) of this customer and business number.
    Continue,
    /// A new session: none is open (closed, or an unknown sender).
    New,
}

/// WIN-2: a message of a known customer with (`open`) or without an open session.
pub fn session_for(open: bool) -> Session {
    if open {
        Session::Continue
    } else {
        Session::New
    }
}

/// WIN-3: the default inactivity after which a session resolves itself on `channel`, ms; `None`
/// where the documents give none.
pub fn default_auto_resolve_ms(channel: ChannelKind) -> Option<u64> {
    match channel {
        ChannelKind::Whatsapp => Some(12 * 3_600_000),
        ChannelKind::LiveChat => Some(3 * 3_600_000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u64 = 3_600_000;

    #[test]
    fn win_1_free_form_only_within_24_hours_of_the_last_inbound_message() {
        assert_eq!(outgoing(true, 10 * H, 10 * H + 23 * H), Outgoing::FreeForm);
        assert_eq!(outgoing(true, 10 * H, 34 * H - 1), Outgoing::FreeForm);
        assert_eq!(outgoing(true, 10 * H, 34 * H), Outgoing::TemplateInstead);
        // The customer's next message opens it again.
        assert_eq!(outgoing(true, 40 * H, 41 * H), Outgoing::FreeForm);
        // Channels without a window never need a template.
        assert_eq!(outgoing(false, 0, 100 * H), Outgoing::FreeForm);
        assert!(has_window(ChannelKind::Whatsapp));
        assert!(!has_window(ChannelKind::LiveChat));
    }

    #[test]
    fn win_1_a_reply_at_23_59_passes_one_at_24_01_gets_a_template_the_next_message_reopens() {
        const MIN: u64 = 60_000;
        let inbound = 5 * H;
        assert_eq!(
            outgoing(true, inbound, inbound + 23 * H + 59 * MIN),
            Outgoing::FreeForm
        );
        assert_eq!(
            outgoing(true, inbound, inbound + 24 * H + MIN),
            Outgoing::TemplateInstead
        );
        // The customer answers the template at 24 h 30 min: the window is open again.
        let next_inbound = inbound + 24 * H + 30 * MIN;
        assert_eq!(
            outgoing(true, next_inbound, next_inbound + 2 * MIN),
            Outgoing::FreeForm
        );
    }

    #[test]
    fn win_2_an_open_session_continues_otherwise_a_new_one_starts() {
        assert_eq!(session_for(true), Session::Continue);
        assert_eq!(session_for(false), Session::New);
    }

    #[test]
    fn win_3_sessions_resolve_after_12_hours_on_whatsapp_and_3_on_web_chat() {
        assert_eq!(default_auto_resolve_ms(ChannelKind::Whatsapp), Some(12 * H));
        assert_eq!(default_auto_resolve_ms(ChannelKind::LiveChat), Some(3 * H));
        assert_eq!(default_auto_resolve_ms(ChannelKind::Email), None);
    }
}
