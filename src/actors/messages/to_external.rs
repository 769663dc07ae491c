//! [`ExternalMsg`]: what the external contact centre receives.

use super::{ApiAnswer, ApiCall};
use crate::actors::ConvId;
use crate::model::platform_api::ApiErrorKind;

/// What the external contact centre (the translation layer and its agents) receives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExternalMsg {
    /// The bot handed a conversation over; the layer reads its history (CC-2) and seats it in
    /// the external queue its routing context names (CC-3).
    Handover {
        /// The conversation.
        conv: ConvId,
        /// The external queue (index).
        queue: u16,
    },
    /// A customer message the layer forwards (CC-2).
    Inbound {
        /// The conversation.
        conv: ConvId,
    },
    /// The customer has no more questions.
    CustomerDone {
        /// The conversation.
        conv: ConvId,
    },
    /// An external agent's reply is written (its own timer).
    ReplyReady {
        /// The conversation.
        conv: ConvId,
    },
    /// An external agent may give up on a silent customer (its own timer).
    Silence {
        /// The conversation.
        conv: ConvId,
        /// The activity count it was set at.
        epoch: u32,
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
}
