//! The query strings of the mock's list endpoints, as clients send them.

/// Query of Get Messages (§2 #2).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagesQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size (default 10, at most 999).
    pub limit: Option<i64>,
    /// `INBOUND` or `OUTBOUND`.
    pub direction: Option<String>,
    /// `createdAt:asc|desc` or `id:asc|desc`.
    pub order_by: Option<String>,
}

/// Query of Get Notes: a page and its order.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotesQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size (default 10, at most 999).
    pub limit: Option<i64>,
    /// `id:asc|desc` or `createdAt:asc|desc` (the direction in any case).
    pub order_by: Option<String>,
}

/// Query of Get Tags (§2 #11): a page, and a part of the name.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TagsQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size (default 10, at most 999).
    pub limit: Option<i64>,
    /// Only tags whose name holds this.
    pub name: Option<String>,
}

/// Query of the conversation list (§2 #5).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationsQuery {
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size.
    pub limit: Option<i64>,
    /// Status.
    pub status: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Assignee.
    pub agent_id: Option<String>,
    /// Queue.
    pub queue_id: Option<String>,
    /// Has this tag.
    pub tag_name: Option<String>,
}
