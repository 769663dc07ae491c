//! The query strings of the mock's list endpoints, read as Infobip's servers read them
//! (`docs/platform-api.md` §1, §2 #2, #5, #11): a list parameter repeated (`queueIds=a&queueIds=b`,
//! the document's `form` style) or comma-separated, `orderBy` as `field:asc|desc` in any case,
//! times as `yyyy-MM-dd'T'HH:mm:ss.SSS+0000` (or any RFC 3339 time), numbers checked and named
//! in a validation error, and parameters the document does not list ignored.

use super::state::{MockError, invalid};
use crate::model::platform_api::{DEFAULT_PAGE, MAX_PAGE};

/// A parsed query string: its pairs in order, percent-decoded.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads `a=1&b=2` (no leading `?`).
    pub fn parse(query_string: &str) -> Self {
        Self {
            pairs: form_urlencoded::parse(query_string.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// The first value of `name`, when given and not empty.
    pub fn text(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    }

    /// Every value of list parameter `name` (also `name[]`), repeated or comma-separated.
    pub fn list(&self, name: &str) -> Vec<String> {
        let bracketed = format!("{name}[]");
        self.pairs
            .iter()
            .filter(|(k, _)| *k == name || *k == bracketed)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect()
    }

    /// Whole number `name`, when given.
    pub fn int(&self, name: &str) -> Result<Option<i64>, MockError> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| invalid(name, &format!("'{}' is not a whole number", excerpt(&v)))),
        }
    }

    /// Time `name` in ms since the epoch, when given.
    pub fn time_ms(&self, name: &str) -> Result<Option<u64>, MockError> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => parse_time_ms(&v).map(Some).ok_or_else(|| {
                invalid(
                    name,
                    &format!(
                        "'{}' is not a time: expected yyyy-MM-dd'T'HH:mm:ss.SSS+0000",
                        excerpt(&v)
                    ),
                )
            }),
        }
    }

    /// Value `name` that must be one of `allowed` (when given).
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, MockError> {
        match self.text(name) {
            None => Ok(None),
            Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
            Some(v) => Err(invalid(
                name,
                &format!("'{}' is not one of {}", excerpt(&v), allowed.join(", ")),
            )),
        }
    }

    /// `{prefix}After` and `{prefix}Before`.
    pub fn range(&self, prefix: &str) -> Result<TimeRange, MockError> {
        TimeRange::read(self, prefix)
    }

    /// `page` and `limit`: page from 0, limit 0..=999 (default 10).
    pub fn paging(&self) -> Result<(usize, usize), MockError> {
        let limit = self.int("limit")?.unwrap_or(DEFAULT_PAGE as i64);
        if limit < 0 {
            return Err(MockError::NegativePageSize);
        }
        if limit as u64 > MAX_PAGE as u64 {
            return Err(invalid("limit", "must be less than or equal to 999"));
        }
        let page = self.int("page")?.unwrap_or(0);
        if page < 0 {
            return Err(invalid("page", "must be greater than or equal to 0"));
        }
        Ok((page as usize, limit as usize))
    }

    /// `orderBy` on one of `fields` (`field:asc|desc`, both parts in any case; `id:asc` when not
    /// given).
    pub fn order(&self, fields: &[&'static str]) -> Result<Order, MockError> {
        let Some(text) = self.text("orderBy") else {
            return Ok(Order::default());
        };
        let (field, direction) = text.split_once(':').unwrap_or((&text, "asc"));
        let Some(field) = fields.iter().find(|f| f.eq_ignore_ascii_case(field.trim())) else {
            return Err(invalid(
                "orderBy",
                &format!(
                    "'{}': expected one of {} with :asc or :desc",
                    excerpt(&text),
                    fields.join(", ")
                ),
            ));
        };
        let descending = match direction.trim().to_ascii_lowercase().as_str() {
            "asc" => false,
            "desc" => true,
            _ => return Err(invalid("orderBy", "expected field:asc or field:desc")),
        };
        Ok(Order { field, descending })
    }
}

/// At most 40 characters of a value, for an error.
fn excerpt(v: &str) -> String {
    let mut out: String = v.chars().filter(|c| !c.is_control()).take(40).collect();
    if v.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// `2024-01-01T10:00:00.000+0000` (Infobip's filter format), any RFC 3339 time, or either
/// with the `+` of its offset turned into a space (a client that did not percent-encode it).
pub fn parse_time_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    let fixed;
    let text = match text.rfind(' ') {
        Some(i) if i > 10 => {
            fixed = format!("{}+{}", &text[..i], &text[i + 1..]);
            fixed.as_str()
        }
        _ => text,
    };
    let ts = text
        .parse::<jiff::Timestamp>()
        .ok()
        .or_else(|| jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%.f%z", text).ok())
        .or_else(|| jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%z", text).ok())?;
    u64::try_from(ts.as_millisecond()).ok()
}

/// A list's order (`id:asc` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// The field, as the document spells it.
    pub field: &'static str,
    /// `:desc`.
    pub descending: bool,
}

impl Default for Order {
    fn default() -> Self {
        Self {
            field: "id",
            descending: false,
        }
    }
}

impl Order {
    /// `field:asc|desc`, as the answer's pagination gives it.
    pub fn text(&self) -> String {
        format!(
            "{}:{}",
            self.field,
            if self.descending { "desc" } else { "asc" }
        )
    }

    /// Whether this is the default, `id:asc`.
    pub fn is_id_ascending(&self) -> bool {
        self.field == "id" && !self.descending
    }
}

/// `xAfter` / `xBefore`: a window on a time, both ends excluded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeRange {
    /// After this, ms.
    pub after_ms: Option<u64>,
    /// Before this, ms.
    pub before_ms: Option<u64>,
}

impl TimeRange {
    fn read(q: &Query, prefix: &str) -> Result<Self, MockError> {
        Ok(Self {
            after_ms: q.time_ms(&format!("{prefix}After"))?,
            before_ms: q.time_ms(&format!("{prefix}Before"))?,
        })
    }

    /// Whether the range says anything.
    pub fn is_set(&self) -> bool {
        self.after_ms.is_some() || self.before_ms.is_some()
    }

    /// Whether time `t` (none: the thing has no such time) lies in the range.
    pub fn holds(&self, t: Option<u64>) -> bool {
        if !self.is_set() {
            return true;
        }
        let Some(t) = t else {
            return false;
        };
        self.after_ms.is_none_or(|a| t > a) && self.before_ms.is_none_or(|b| t < b)
    }
}

/// The statuses and priorities the document lists, for the filters.
const STATUSES: [&str; 4] = ["OPEN", "WAITING", "SOLVED", "CLOSED"];
const PRIORITIES: [&str; 4] = ["URGENT", "HIGH", "NORMAL", "LOW"];

/// Query of Get Messages (§2 #2).
#[derive(Debug, Clone)]
pub struct MessagesQuery {
    /// Page, from 0.
    pub page: usize,
    /// Page size.
    pub limit: usize,
    /// Only these messages (public ids).
    pub message_ids: Vec<String>,
    /// Only this channel.
    pub channel: Option<String>,
    /// `INBOUND` or `OUTBOUND`.
    pub direction: Option<String>,
    /// Created in this window.
    pub created: TimeRange,
    /// The order.
    pub order: Order,
}

impl MessagesQuery {
    /// Reads it from a query string.
    pub fn read(q: &Query) -> Result<Self, MockError> {
        let (page, limit) = q.paging()?;
        Ok(Self {
            page,
            limit,
            message_ids: q.list("messageIds"),
            channel: q.one_of("channel", &super::wire::CHANNELS)?,
            direction: q.one_of("direction", &["INBOUND", "OUTBOUND"])?,
            created: TimeRange::read(q, "created")?,
            order: q.order(&[
                "id",
                "createdAt",
                "updatedAt",
                "channel",
                "direction",
                "from",
                "to",
                "contentType",
            ])?,
        })
    }
}

/// Query of Get Notes: a page and its order.
#[derive(Debug, Clone)]
pub struct NotesQuery {
    /// Page, from 0.
    pub page: usize,
    /// Page size.
    pub limit: usize,
    /// The order (`id` and `createdAt` order alike: notes are numbered as written).
    pub order: Order,
}

impl NotesQuery {
    /// Reads it from a query string.
    pub fn read(q: &Query) -> Result<Self, MockError> {
        let (page, limit) = q.paging()?;
        Ok(Self {
            page,
            limit,
            order: q.order(&["id", "createdAt", "updatedAt"])?,
        })
    }
}

/// Query of Get Tags (§2 #11).
#[derive(Debug, Clone)]
pub struct TagsQuery {
    /// Page, from 0.
    pub page: usize,
    /// Page size.
    pub limit: usize,
    /// Only tags whose name holds this.
    pub name: Option<String>,
    /// Only the tags of this conversation (public id).
    pub conversation_id: Option<String>,
    /// The order (`id:asc` by default: the order the tags were created in).
    pub order: Order,
}

impl TagsQuery {
    /// Reads it from a query string.
    pub fn read(q: &Query) -> Result<Self, MockError> {
        let (page, limit) = q.paging()?;
        Ok(Self {
            page,
            limit,
            name: q.text("name"),
            conversation_id: q.text("conversationId"),
            order: q.order(&["id", "name", "createdAt", "updatedAt"])?,
        })
    }
}

/// Query of the conversation list (§2 #5).
#[derive(Debug, Clone)]
pub struct ConversationsQuery {
    /// Page, from 0.
    pub page: usize,
    /// Page size.
    pub limit: usize,
    /// Only these conversations (public ids).
    pub conversation_ids: Vec<String>,
    /// In one of these queues.
    pub queue_ids: Vec<String>,
    /// Carrying one of these tags.
    pub tag_names: Vec<String>,
    /// Assigned to this agent (or bot).
    pub agent_id: Option<String>,
    /// In this status.
    pub status: Option<String>,
    /// With this priority.
    pub priority: Option<String>,
    /// Created in this window.
    pub created: TimeRange,
    /// Last updated in this window.
    pub updated: TimeRange,
    /// Closed in this window.
    pub closed: TimeRange,
    /// The order.
    pub order: Order,
}

impl ConversationsQuery {
    /// Reads it from a query string.
    pub fn read(q: &Query) -> Result<Self, MockError> {
        let (page, limit) = q.paging()?;
        Ok(Self {
            page,
            limit,
            conversation_ids: q.list("conversationIds"),
            queue_ids: q.list("queueIds"),
            tag_names: q.list("tagNames"),
            agent_id: q.text("agentId"),
            status: q.one_of("status", &STATUSES)?,
            priority: q.one_of("priority", &PRIORITIES)?,
            created: TimeRange::read(q, "created")?,
            updated: TimeRange::read(q, "updated")?,
            closed: TimeRange::read(q, "closed")?,
            order: q.order(&[
                "id",
                "createdAt",
                "updatedAt",
                "closedAt",
                "status",
                "priority",
                "topic",
                "queueId",
                "agentId",
            ])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::platform_api::ApiError;

    #[test]
    fn lists_repeat_or_split_on_commas_and_brackets_count() {
        let q = Query::parse("queueIds=a&queueIds=b%2Cc&queueIds[]=d&queueId=x");
        assert_eq!(q.list("queueIds"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn times_take_infobips_format_rfc_3339_and_an_unencoded_plus() {
        let at = 1_704_103_200_000; // 2024-01-01T10:00:00Z
        assert_eq!(parse_time_ms("2024-01-01T10:00:00.000+0000"), Some(at));
        assert_eq!(parse_time_ms("2024-01-01T10:00:00.000 0000"), Some(at));
        assert_eq!(parse_time_ms("2024-01-01T10:00:00Z"), Some(at));
        assert_eq!(parse_time_ms("2024-01-01T12:00:00.000+02:00"), Some(at));
        assert_eq!(parse_time_ms("yesterday"), None);
    }

    #[test]
    fn a_bad_number_names_its_parameter() {
        let e = Query::parse("limit=abc").paging().unwrap_err();
        let MockError::Api(ApiError::Validation(fields)) = e else {
            panic!("{e:?}")
        };
        assert!(fields["limit"][0].contains("'abc' is not a whole number"));
    }

    #[test]
    fn order_reads_any_case_and_refuses_unknown_fields() {
        let q = Query::parse("orderBy=createdAt:DESC");
        let o = q.order(&["id", "createdAt"]).unwrap();
        assert_eq!(o.text(), "createdAt:desc");
        assert!(Query::parse("orderBy=colour:asc").order(&["id"]).is_err());
        assert!(Query::parse("orderBy=id:sideways").order(&["id"]).is_err());
    }
}
