//! [`BotMsg`]: what the bot receives.

use super::{ApiAnswer, ApiCall, Intent};
use crate::actors::ConvId;
use crate::model::ids::SegmentIx;
use crate::model::platform_api::ApiErrorKind;

/// What the bot receives: webhook deliveries, API results and its own timers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BotMsg {
    /// The platform's webhook POST of an inbound message.
    WebhookDelivery {
        /// The conversation.
        conv: ConvId,
        /// The message's id (repeats of one id are duplicates, BOT-5).
        message: u64,
        /// What the customer means.
        intent: Intent,
        /// When the customer wrote it, ms.
        sent_ms: u64,
        /// The conversation's arrival segment (its channel).
        segment: SegmentIx,
        /// What it is: text, or an attachment (BOT-6) of a kind (WIN-6).
        kind: crate::model::bot::whatsapp::InboundKind,
    },
    /// The platform's answer to an [`PlatformMsg::Api`](crate::actors::PlatformMsg::Api) call: what it returned, or its error.
    ApiResult {
        /// The conversation.
        conv: ConvId,
        /// The call answered.
        call: ApiCall,
        /// Its result.
        result: Result<ApiAnswer, ApiErrorKind>,
    },
    /// The gathering delay of a conversation may be over (BOT-10).
    Debounce {
        /// The conversation.
        conv: ConvId,
        /// The due time the timer was set for.
        due_ms: u64,
    },
    /// An action call the bot made came back (ACT-1).
    ActionDone {
        /// The conversation.
        conv: ConvId,
        /// How it ended.
        result: crate::model::bot::ActionResult,
    },
    /// The pause after one part of the bot's reply is over: the next part goes (WIN-5).
    NextPart {
        /// The conversation.
        conv: ConvId,
        /// The part that went (a later reply's parts are not moved on by it).
        sent: u32,
    },
    /// The bot's reply is written.
    ReplyReady {
        /// The conversation.
        conv: ConvId,
    },
    /// The session may have been inactive long enough to resolve itself (WIN-3).
    Inactive {
        /// The conversation.
        conv: ConvId,
        /// The activity count the timer was set at.
        epoch: u32,
    },
}
