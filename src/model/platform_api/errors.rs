//! What the Conversations API answers on failure (§1), with the text and without it.

use std::collections::BTreeMap;

/// What the API answers on failure: the status and `requestError.serviceException` body (§1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400 BAD_REQUEST "Closed conversation cannot be changed" (BOT-8).
    #[error("Closed conversation cannot be changed")]
    Closed,
    /// Unknown conversation or entity: "Invalid id '\<id\>' given! No such entity exists."
    #[error("Invalid id '{0}' given! No such entity exists.")]
    NotFound(String),
    /// 400 with `validationErrors` (field → messages).
    #[error("Bad request: {0:?}")]
    Validation(BTreeMap<String, Vec<String>>),
    /// The tag does not exist: "Invalid tagName 'X' given! No such entity exists."
    #[error("Invalid tagName '{0}' given! No such entity exists.")]
    UnknownTag(String),
    /// "Tag already exists."
    #[error("Tag already exists.")]
    TagExists,
    /// A free-form WhatsApp message outside the 24-hour window, rejected at once (WIN-1, in
    /// [`super::WindowMode::RejectAtOnce`]).
    #[error("Free-form message outside the 24-hour window")]
    OutsideWindow,
}

impl ApiError {
    /// The HTTP status (unknown ids: 404 by default, §1 leaves 400 or 404 open).
    pub fn status(&self) -> u16 {
        match self {
            ApiError::NotFound(_) => 404,
            _ => 400,
        }
    }

    /// The `messageId` of the error body.
    pub fn message_id(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "NOT_FOUND",
            _ => "BAD_REQUEST",
        }
    }

    /// Which failure this is, without its text (what a caller branches on).
    pub fn kind(&self) -> ApiErrorKind {
        match self {
            ApiError::Closed => ApiErrorKind::Closed,
            ApiError::NotFound(_) => ApiErrorKind::NotFound,
            ApiError::Validation(_) => ApiErrorKind::Validation,
            ApiError::UnknownTag(_) => ApiErrorKind::UnknownTag,
            ApiError::TagExists => ApiErrorKind::TagExists,
            ApiError::OutsideWindow => ApiErrorKind::OutsideWindow,
        }
    }
}

/// An [`ApiError`] without its text: small and `Copy`, for results passed between actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 400: the conversation is closed (BOT-8).
    Closed,
    /// 404: no such conversation or entity.
    NotFound,
    /// 400 with validation errors.
    Validation,
    /// 400: no such tag.
    UnknownTag,
    /// 400: the tag exists already.
    TagExists,
    /// 400: free-form WhatsApp message outside the window (WIN-1).
    OutsideWindow,
    /// 401/403: the key is wrong or lacks the scope (BOT-11); only over HTTP.
    Unauthorized,
    /// No answer, a timeout or a 5xx: the call did not happen as far as the caller knows;
    /// only over HTTP.
    Unavailable,
}

impl ApiErrorKind {
    /// The HTTP status.
    pub fn status(self) -> u16 {
        match self {
            ApiErrorKind::NotFound => 404,
            ApiErrorKind::Unauthorized => 401,
            ApiErrorKind::Unavailable => 503,
            _ => 400,
        }
    }
}

/// A validation error on one field, with one message.
pub(super) fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Validation(BTreeMap::from([(
        field.to_string(),
        vec![message.to_string()],
    )]))
}
