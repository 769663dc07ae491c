//! External bots (`/ccaas/1/bots`), working hours (`/ccaas/1/working-hours`, holidays, and
//! whether a period is open now, WH-1, WH-2) and templates (`/ccaas/1/templates`: made in
//! Infobip's web interface, so a mock account has none; the list answers empty and a read
//! 404).
//!
//! `workWeek` is a map from MONDAY…SUNDAY to `{enabled, startTime, endTime}` (minutes from
//! midnight, 0–1440). The OpenAPI document declares it as one day's object with the day names
//! as an `enum` — a schema no object can meet, a bug of the document (see
//! `docs/platform-api.md`, "Where the documents are wrong").

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BOT, Directory, Done, HOLIDAY, HOURS, done, invalid, not_found, page_of};
use crate::live::mock::queries::Query;
use crate::live::mock::state::MockError;
use crate::live::mock::wire::{CHANNELS, Pagination};

const DAYS: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

/// An external bot (`POST /ccaas/1/bots`), as sent and as answered.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BotIn {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    display_name: Option<String>,
    destination: Option<String>,
    channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_headers: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_event_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_event_headers: Option<BTreeMap<String, String>>,
    enabled: Option<bool>,
    message_persistence_policy: Option<String>,
    session_timeout_in_sec: Option<i64>,
}

/// A bot as the API answers (its id set, defaults filled in).
pub type BotOut = BotIn;

pub(super) type Bot = BotIn;

/// `{"bots": […], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
pub struct BotsOut {
    bots: Vec<BotOut>,
    pagination: Pagination,
}

/// Working hours, as sent (create, update, patch).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingHoursIn {
    name: Option<String>,
    message: Option<String>,
    timezone: Option<String>,
    work_week: Option<BTreeMap<String, DayIn>>,
    holidays: Option<Vec<HolidayIn>>,
    enabled: Option<bool>,
    is_default: Option<bool>,
    close_conversations: Option<bool>,
    #[serde(rename = "sendAwayMessageEveryOOWHPeriod")]
    send_away_every_period: Option<bool>,
}

/// One day of `workWeek`.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayIn {
    enabled: Option<bool>,
    start_time: Option<u32>,
    end_time: Option<u32>,
}

/// A holiday (WH-2: from 00:00 of its first day to 24:00 of its last, both included).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HolidayIn {
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    name: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    enabled: Option<bool>,
}

/// Working hours as stored and answered.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingHoursOut {
    id: String,
    name: String,
    message: String,
    timezone: String,
    work_week: BTreeMap<String, DayIn>,
    holidays: Vec<HolidayIn>,
    enabled: bool,
    is_default: bool,
    close_conversations: bool,
    #[serde(rename = "sendAwayMessageEveryOOWHPeriod")]
    send_away_every_period: bool,
}

pub(super) type Hours = WorkingHoursOut;

impl WorkingHoursOut {
    /// How many holidays it holds.
    pub(super) fn holidays_len(&self) -> usize {
        self.holidays.len()
    }
}

/// `{"workingHours": […], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkingHoursPage {
    working_hours: Vec<WorkingHoursOut>,
    pagination: Pagination,
}

/// `{"templates": [], "pagination"}`.
#[derive(Debug, Clone, Serialize)]
pub struct TemplatesOut {
    templates: Vec<Value>,
    pagination: Pagination,
}

fn holiday_ms(text: &Option<String>, field: &str) -> Result<u64, MockError> {
    text.as_deref()
        .and_then(crate::live::mock::queries::parse_time_ms)
        .ok_or_else(|| invalid(field, "expected a time, yyyy-MM-dd'T'HH:mm:ss.SSS+0000"))
}

impl Directory {
    fn check_bot(body: &BotIn) -> Result<BotIn, MockError> {
        let mut bot = body.clone();
        for (field, v) in [
            ("displayName", &body.display_name),
            ("destination", &body.destination),
            ("channel", &body.channel),
        ] {
            if v.as_deref().is_none_or(|s| s.trim().is_empty()) {
                return Err(invalid(field, "must not be blank"));
            }
        }
        if !CHANNELS.contains(&body.channel.as_deref().unwrap_or("")) {
            return Err(invalid("channel", "invalid value"));
        }
        for (field, url) in [
            ("webhookUrl", &body.webhook_url),
            ("webhookEventUrl", &body.webhook_event_url),
        ] {
            if let Some(u) = url
                && (u.chars().count() > 2000
                    || !url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https")))
            {
                return Err(invalid(
                    field,
                    "must be a valid http or https URL of at most 2000 characters",
                ));
            }
        }
        let timeout = body.session_timeout_in_sec.unwrap_or(86_400);
        if !(60..=86_400).contains(&timeout) {
            return Err(invalid(
                "sessionTimeoutInSec",
                "must be between 60 and 86400",
            ));
        }
        let policy = body
            .message_persistence_policy
            .clone()
            .unwrap_or_else(|| "PERSIST_ALL".into());
        if !["PERSIST_ALL", "PERSIST_NONE"].contains(&policy.as_str()) {
            return Err(invalid(
                "messagePersistencePolicy",
                "expected PERSIST_ALL or PERSIST_NONE",
            ));
        }
        bot.session_timeout_in_sec = Some(timeout);
        bot.message_persistence_policy = Some(policy);
        bot.enabled = Some(body.enabled.unwrap_or(true));
        Ok(bot)
    }

    /// `POST /ccaas/1/bots`.
    pub fn create_bot(&mut self, body: &BotIn) -> Result<BotOut, MockError> {
        let mut bot = Self::check_bot(body)?;
        let id = self.new_id(BOT)?;
        bot.id = Some(id.clone());
        self.bots.insert(id, bot.clone());
        Ok(bot)
    }

    /// `GET /ccaas/1/bots/{id}`.
    pub fn bot(&self, id: &str) -> Result<BotOut, MockError> {
        self.bots.get(id).cloned().ok_or_else(|| not_found(id))
    }

    /// `PUT /ccaas/1/bots/{id}`.
    pub fn update_bot(&mut self, id: &str, body: &BotIn) -> Result<BotOut, MockError> {
        if !self.bots.contains_key(id) {
            return Err(not_found(id));
        }
        let mut bot = Self::check_bot(body)?;
        bot.id = Some(id.to_string());
        self.bots.insert(id.to_string(), bot.clone());
        Ok(bot)
    }

    /// `DELETE /ccaas/1/bots/{id}`.
    pub fn delete_bot(&mut self, id: &str) -> Result<Done, MockError> {
        self.bots.remove(id).ok_or_else(|| not_found(id))?;
        Ok(done("Bot deleted."))
    }

    /// `GET /ccaas/1/bots`.
    pub fn bots(&self, q: &Query) -> Result<BotsOut, MockError> {
        let (page, limit) = q.paging()?;
        let order = q.order(&["id", "displayName"])?;
        let mut all: Vec<BotOut> = self.bots.values().cloned().collect();
        if order.field == "displayName" {
            all.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        }
        if order.descending {
            all.reverse();
        }
        let (bots, pagination) = page_of(&all, page, limit, order.text());
        Ok(BotsOut { bots, pagination })
    }

    /// Builds working hours from `body` over `base` (PATCH) or from nothing (POST, PUT).
    fn hours_from(
        id: &str,
        body: &WorkingHoursIn,
        base: Option<&WorkingHoursOut>,
    ) -> Result<WorkingHoursOut, MockError> {
        let text = |field: &str, v: &Option<String>, old: Option<&String>, max: usize| match v
            .as_ref()
            .or(old)
        {
            Some(s) if !s.trim().is_empty() && s.chars().count() <= max => Ok(s.clone()),
            Some(_) => Err(invalid(field, &format!("size must be between 1 and {max}"))),
            None => Err(invalid(field, "must not be blank")),
        };
        let name = text("name", &body.name, base.map(|b| &b.name), 255)?;
        let message = text("message", &body.message, base.map(|b| &b.message), 4000)?;
        let timezone = text("timezone", &body.timezone, base.map(|b| &b.timezone), 64)?;
        if jiff::tz::TimeZone::get(&timezone).is_err() {
            return Err(invalid(
                "timezone",
                "expected an IANA time zone, e.g. Europe/Zagreb",
            ));
        }
        let work_week = match (&body.work_week, base) {
            (Some(week), _) => {
                for (day, d) in week {
                    if !DAYS.contains(&day.as_str()) {
                        return Err(invalid(
                            "workWeek",
                            &format!("'{day}' is not MONDAY…SUNDAY"),
                        ));
                    }
                    let (start, end) = (d.start_time.unwrap_or(0), d.end_time.unwrap_or(1440));
                    if start > 1440 || end > 1440 || start > end {
                        return Err(invalid(
                            &format!("workWeek.{day}"),
                            "startTime and endTime are minutes from midnight, 0 to 1440, start first",
                        ));
                    }
                }
                week.clone()
            }
            (None, Some(b)) => b.work_week.clone(),
            (None, None) => return Err(invalid("workWeek", "must not be null")),
        };
        let mut holidays = base.map(|b| b.holidays.clone()).unwrap_or_default();
        if let Some(given) = &body.holidays {
            holidays = Vec::new();
            for (i, h) in given.iter().enumerate() {
                holidays.push(Self::holiday(
                    h,
                    &format!("holidays[{i}]"),
                    format!("{id}-h{i}"),
                )?);
            }
        }
        Ok(WorkingHoursOut {
            id: id.to_string(),
            name,
            message,
            timezone,
            work_week,
            holidays,
            enabled: body.enabled.or(base.map(|b| b.enabled)).unwrap_or(true),
            is_default: body
                .is_default
                .or(base.map(|b| b.is_default))
                .unwrap_or(false),
            close_conversations: body
                .close_conversations
                .or(base.map(|b| b.close_conversations))
                .unwrap_or(false),
            send_away_every_period: body
                .send_away_every_period
                .or(base.map(|b| b.send_away_every_period))
                .unwrap_or(false),
        })
    }

    fn holiday(h: &HolidayIn, at: &str, id: String) -> Result<HolidayIn, MockError> {
        if h.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(invalid(&format!("{at}.name"), "must not be blank"));
        }
        let start = holiday_ms(&h.start_date, &format!("{at}.startDate"))?;
        let end = holiday_ms(&h.end_date, &format!("{at}.endDate"))?;
        if end < start {
            return Err(invalid(
                &format!("{at}.endDate"),
                "must not be before startDate",
            ));
        }
        Ok(HolidayIn {
            id: Some(id),
            enabled: Some(h.enabled.unwrap_or(true)),
            ..h.clone()
        })
    }

    /// `POST /ccaas/1/working-hours`.
    pub fn create_hours(&mut self, body: &WorkingHoursIn) -> Result<WorkingHoursOut, MockError> {
        let id = self.new_id(HOURS)?;
        let hours = Self::hours_from(&id, body, None)?;
        if hours.is_default {
            self.hours.values_mut().for_each(|h| h.is_default = false);
        }
        self.hours.insert(id, hours.clone());
        Ok(hours)
    }

    /// `PUT` (`patch` false) or `PATCH /ccaas/1/working-hours/{id}`.
    pub fn update_hours(
        &mut self,
        id: &str,
        body: &WorkingHoursIn,
        patch: bool,
    ) -> Result<WorkingHoursOut, MockError> {
        let old = self.hours.get(id).ok_or_else(|| not_found(id))?;
        let hours = Self::hours_from(id, body, patch.then_some(old))?;
        if hours.is_default {
            self.hours.values_mut().for_each(|h| h.is_default = false);
        }
        self.hours.insert(id.to_string(), hours.clone());
        Ok(hours)
    }

    /// `GET /ccaas/1/working-hours/{id}`.
    pub fn hours(&self, id: &str) -> Result<WorkingHoursOut, MockError> {
        self.hours.get(id).cloned().ok_or_else(|| not_found(id))
    }

    /// `DELETE /ccaas/1/working-hours/{id}`: not while a queue uses it.
    pub fn delete_hours(&mut self, id: &str) -> Result<Done, MockError> {
        if !self.hours.contains_key(id) {
            return Err(not_found(id));
        }
        if self.queues.values().any(|q| q.uses_hours(id)) {
            return Err(invalid("id", "a queue uses these working hours"));
        }
        self.hours.remove(id);
        Ok(done("Working hours deleted."))
    }

    /// `POST /ccaas/1/working-hours/{id}/holiday`.
    pub fn add_holiday(&mut self, id: &str, h: &HolidayIn) -> Result<WorkingHoursOut, MockError> {
        let holiday_id = self.new_id(HOLIDAY)?;
        let holiday = Self::holiday(h, "", holiday_id)?;
        let hours = self.hours.get_mut(id).ok_or_else(|| not_found(id))?;
        hours.holidays.push(holiday);
        Ok(hours.clone())
    }

    /// `DELETE /ccaas/1/working-hours/{id}/holiday/{holidayId}`.
    pub fn remove_holiday(&mut self, id: &str, holiday: &str) -> Result<Done, MockError> {
        let hours = self.hours.get_mut(id).ok_or_else(|| not_found(id))?;
        let before = hours.holidays.len();
        hours.holidays.retain(|h| h.id.as_deref() != Some(holiday));
        if hours.holidays.len() == before {
            return Err(not_found(holiday));
        }
        Ok(done("Holiday removed."))
    }

    /// `GET /ccaas/1/working-hours` (`name`, `enabled`, `isDefault`).
    pub fn hours_list(&self, q: &Query) -> Result<WorkingHoursPage, MockError> {
        let (page, limit) = q.paging()?;
        let order = q.order(&["id", "name"])?;
        let name = q.text("name");
        let enabled = q
            .one_of("enabled", &["true", "false"])?
            .map(|v| v == "true");
        let default = q
            .one_of("isDefault", &["true", "false"])?
            .map(|v| v == "true");
        let mut all: Vec<WorkingHoursOut> = self
            .hours
            .values()
            .filter(|h| {
                name.as_ref()
                    .is_none_or(|n| h.name.to_lowercase().contains(&n.to_lowercase()))
            })
            .filter(|h| enabled.is_none_or(|e| e == h.enabled))
            .filter(|h| default.is_none_or(|d| d == h.is_default))
            .cloned()
            .collect();
        if order.field == "name" {
            all.sort_by(|a, b| a.name.cmp(&b.name));
        }
        if order.descending {
            all.reverse();
        }
        let (working_hours, pagination) = page_of(&all, page, limit, order.text());
        Ok(WorkingHoursPage {
            working_hours,
            pagination,
        })
    }

    /// `GET /ccaas/1/working-hours/{id}/status` at `now_ms`: inside when enabled, not on a
    /// holiday (WH-2) and the weekday's hours hold the local time (WH-1); disabled working
    /// hours are always inside **(ours)**.
    pub fn hours_status(&self, id: &str, now_ms: u64) -> Result<Value, MockError> {
        let h = self.hours.get(id).ok_or_else(|| not_found(id))?;
        let inside = !h.enabled || Self::inside(h, now_ms);
        let status = if inside {
            "INSIDE_OF_WORKING_HOURS"
        } else {
            "OUTSIDE_OF_WORKING_HOURS"
        };
        Ok(serde_json::json!({ "status": status }))
    }

    fn inside(h: &WorkingHoursOut, now_ms: u64) -> bool {
        let Ok(tz) = jiff::tz::TimeZone::get(&h.timezone) else {
            return false;
        };
        let Ok(ts) = jiff::Timestamp::from_millisecond(now_ms as i64) else {
            return false;
        };
        let local = ts.to_zoned(tz);
        let date = local.date();
        let on_holiday = h.holidays.iter().filter(|x| x.enabled != Some(false)).any(|x| {
            let day = |t: &Option<String>| {
                t.as_deref()
                    .and_then(crate::live::mock::queries::parse_time_ms)
                    .and_then(|ms| jiff::Timestamp::from_millisecond(ms as i64).ok())
                    .map(|t| t.to_zoned(local.time_zone().clone()).date())
            };
            matches!((day(&x.start_date), day(&x.end_date)), (Some(a), Some(b)) if a <= date && date <= b)
        });
        if on_holiday {
            return false;
        }
        let day = DAYS[local.weekday().to_monday_zero_offset() as usize];
        let minute = u32::from(local.hour() as u8) * 60 + u32::from(local.minute() as u8);
        h.work_week.get(day).is_some_and(|d| {
            d.enabled != Some(false)
                && d.start_time.unwrap_or(0) <= minute
                && minute < d.end_time.unwrap_or(1440)
        })
    }

    /// `GET /ccaas/1/templates`: none on a mock account.
    pub fn templates(&self, q: &Query) -> Result<TemplatesOut, MockError> {
        let (page, limit) = q.paging()?;
        let order = q.order(&["id", "name", "createdAt", "updatedAt"])?;
        let (templates, pagination) = page_of(&[], page, limit, order.text());
        Ok(TemplatesOut {
            templates,
            pagination,
        })
    }
}
