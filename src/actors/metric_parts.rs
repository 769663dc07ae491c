//! The small enums that metrics carry: what became of a customer's message, which API call
//! an actor made, how a conversation reached its queue. Apart from `metrics.rs` so that
//! the metric type has a file of its own.

/// What became of a customer's message (a turn: one burst).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Delivered to the bot through the webhook.
    ToBot,
    /// Into a queue: the opening message of a conversation its agent will read.
    ToQueue,
    /// Delivered to the Infobip agent holding the conversation.
    ToAgent,
    /// Forwarded by the translation layer to the external centre.
    ToExternal,
    /// Rejected: the conversation was closed (the customer starts a new one, WF-2, BOT-8).
    RejectedClosed,
    /// Rejected: opened outside working hours and closed after the away message (WH-3).
    RejectedOutsideHours,
    /// Lost: no webhook subscription, so the bot never heard it (BOT-1).
    LostNoWebhook,
    /// Lost: the layer left the conversation open after the external agent was done (CC-5).
    LostForgottenClose,
}

impl Fate {
    /// Every fate, in report order.
    pub const ALL: [Fate; 8] = [
        Fate::ToBot,
        Fate::ToQueue,
        Fate::ToAgent,
        Fate::ToExternal,
        Fate::RejectedClosed,
        Fate::RejectedOutsideHours,
        Fate::LostNoWebhook,
        Fate::LostForgottenClose,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Fate::ToBot => "delivered_to_bot",
            Fate::ToQueue => "delivered_to_queue",
            Fate::ToAgent => "delivered_to_agent",
            Fate::ToExternal => "forwarded_to_external_centre",
            Fate::RejectedClosed => "rejected_closed_conversation",
            Fate::RejectedOutsideHours => "rejected_outside_hours",
            Fate::LostNoWebhook => "lost_no_webhook",
            Fate::LostForgottenClose => "lost_forgotten_close",
        }
    }
}

/// A Conversations API operation the bot or the translation layer called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiOp {
    /// Create Message.
    CreateMessage,
    /// Get Messages (one page).
    GetMessages,
    /// Get Conversation.
    GetConversation,
    /// Update Conversation (e.g. close).
    UpdateConversation,
    /// Remove the assignee.
    Unassign,
    /// Add a tag.
    AddTag,
    /// Add an internal note.
    AddNote,
    /// Route.
    Route,
    /// A send on WhatsApp's own API (WIN-4, WIN-5).
    SendWhatsapp,
    /// Change the assignee (004: a handoff straight to an agent).
    ChangeAssignment,
}

impl ApiOp {
    /// Every operation, in report order.
    pub const ALL: [ApiOp; 10] = [
        ApiOp::CreateMessage,
        ApiOp::GetMessages,
        ApiOp::GetConversation,
        ApiOp::UpdateConversation,
        ApiOp::Unassign,
        ApiOp::AddTag,
        ApiOp::AddNote,
        ApiOp::Route,
        ApiOp::SendWhatsapp,
        ApiOp::ChangeAssignment,
    ];

    /// The name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiOp::CreateMessage => "create_message",
            ApiOp::GetMessages => "get_messages",
            ApiOp::GetConversation => "get_conversation",
            ApiOp::UpdateConversation => "update_conversation",
            ApiOp::Unassign => "unassign",
            ApiOp::AddTag => "add_tag",
            ApiOp::AddNote => "add_note",
            ApiOp::Route => "route",
            ApiOp::SendWhatsapp => "send_whatsapp",
            ApiOp::ChangeAssignment => "change_assignment",
        }
    }
}

/// How a conversation reached its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutedVia {
    /// Its segment goes straight to a queue (no routing).
    Direct,
    /// The route with this index matched (RT-1).
    Route(u32),
    /// No route matched: the Default queue (RT-4).
    Default,
}
