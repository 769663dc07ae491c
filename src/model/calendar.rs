//! The one place where virtual time (ms since the scenario start) meets the wall clock of a time
//! zone: local dates and times, weekdays, daylight-saving changes (through jiff).
//!
//! Everything calendar-shaped (shifts, intraday profiles, report interval labels) converts
//! through [`Calendar`], so a DST change moves every local-time rule the same way.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

/// Milliseconds in a day of 24 hours.
pub const DAY_MS: u64 = 86_400_000;

/// A scenario's clock: its start instant and its time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    tz: TimeZone,
    start: Timestamp,
    start_date: Date,
}

impl Calendar {
    /// A calendar starting at local `start` in `tz` (the earlier instant if `start` is ambiguous,
    /// the later one if it falls in a DST gap, as jiff's "compatible" rule does).
    pub fn new(start: DateTime, tz: TimeZone) -> Result<Self, jiff::Error> {
        let zoned = tz.to_zoned(start)?;
        Ok(Self {
            start: zoned.timestamp(),
            start_date: zoned.date(),
            tz,
        })
    }

    /// The same start instant read in another time zone (WH-1: a queue's or an agent's own
    /// zone within one scenario).
    pub fn in_zone(&self, tz: TimeZone) -> Self {
        Self {
            start_date: self.start.to_zoned(tz.clone()).date(),
            start: self.start,
            tz,
        }
    }

    /// The time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The instant `ms` after the start, in the scenario's time zone.
    pub fn zoned(&self, ms: u64) -> Zoned {
        let ts = self
            .start
            .checked_add(SignedDuration::from_millis(ms as i64))
            .unwrap_or(Timestamp::MAX);
        ts.to_zoned(self.tz.clone())
    }

    /// Local date and time `ms` after the start.
    pub fn local(&self, ms: u64) -> DateTime {
        self.zoned(ms).datetime()
    }

    /// Ms since the start of the local date-time `dt` (negative before the start). Ambiguous or
    /// skipped local times resolve by jiff's "compatible" rule.
    pub fn ms_of_local(&self, dt: DateTime) -> i64 {
        match self.tz.to_timestamp(dt) {
            Ok(ts) => ts.as_millisecond() - self.start.as_millisecond(),
            Err(_) => i64::MAX,
        }
    }

    /// The local date `days` after the start's local date.
    pub fn date_after_start(&self, days: i64) -> Date {
        self.start_date
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(self.start_date)
    }

    /// Whole local days from the start's date to the date of `ms`.
    pub fn day_index(&self, ms: u64) -> i64 {
        let date = self.local(ms).date();
        (date - self.start_date).get_days() as i64
    }
}

/// One recurring span of a weekly pattern: on `weekday`, from local `start` for `length_min`
/// minutes (may run past midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklySpan {
    /// The weekday the span starts on.
    pub weekday: Weekday,
    /// Local start time.
    pub start: Time,
    /// Length in minutes, 1 ..= 7·24·60.
    pub length_min: u32,
}

/// A weekly pattern of spans in local time: agent shifts, later working hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyPattern {
    /// The spans; overlapping spans merge.
    pub spans: Vec<WeeklySpan>,
}

/// Where a pattern stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatternState {
    /// Whether `at` lies inside a span.
    pub on: bool,
    /// The next instant (ms, > `at`) where that changes; `None` if it never does.
    pub next_change_ms: Option<u64>,
}

impl WeeklyPattern {
    /// A pattern that is always on.
    pub fn always() -> Self {
        Self {
            spans: [
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
            ]
            .into_iter()
            .map(|weekday| WeeklySpan {
                weekday,
                start: Time::midnight(),
                length_min: 24 * 60,
            })
            .collect(),
        }
    }

    /// The pattern's spans around `at_ms` as merged, sorted [start, end) intervals in ms
    /// (possibly negative), covering local days −8 ..= +8 around it: every span that can
    /// contain `at_ms` and the next change after it (spans reach at most a week past their
    /// start day). Also returns the end of that window.
    pub fn intervals_around(&self, cal: &Calendar, at_ms: u64) -> (Vec<(i64, i64)>, i64) {
        let today = cal.day_index(at_ms);
        let mut intervals: Vec<(i64, i64)> = Vec::new();
        for day in today - 8..=today + 8 {
            let date = cal.date_after_start(day);
            for span in self.spans.iter().filter(|s| s.weekday == date.weekday()) {
                let start_dt = date.to_datetime(span.start);
                let Ok(end_dt) =
                    start_dt.checked_add(jiff::Span::new().minutes(i64::from(span.length_min)))
                else {
                    continue;
                };
                let (s, e) = (cal.ms_of_local(start_dt), cal.ms_of_local(end_dt));
                if e > s {
                    intervals.push((s, e));
                }
            }
        }
        let window_end = cal.ms_of_local(
            cal.date_after_start(today + 9)
                .to_datetime(Time::midnight()),
        );
        (merge(intervals), window_end)
    }

    /// The pattern's state at `at_ms` and when it next changes.
    pub fn state_at(&self, cal: &Calendar, at_ms: u64) -> PatternState {
        let (intervals, window_end) = self.intervals_around(cal, at_ms);
        state_in(&intervals, at_ms, window_end)
    }
}

/// Sorts and merges overlapping or touching intervals.
pub fn merge(mut intervals: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    intervals.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(intervals.len());
    for (s, e) in intervals {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Where `at_ms` stands among merged `intervals` known up to `window_end`: inside one or not,
/// and the next boundary after it. A state that lasts past the window reports the window's end
/// as its next change, to be asked again then (it may not change there).
pub fn state_in(intervals: &[(i64, i64)], at_ms: u64, window_end: i64) -> PatternState {
    let at = at_ms as i64;
    let until = |t: i64| Some(t.min(window_end).max(at + 1) as u64);
    for &(s, e) in intervals {
        if at < s {
            return PatternState {
                on: false,
                next_change_ms: until(s),
            };
        }
        if at < e {
            return PatternState {
                on: true,
                next_change_ms: until(e),
            };
        }
    }
    PatternState {
        on: false,
        next_change_ms: if intervals.is_empty() {
            None
        } else {
            until(window_end)
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin_monday() -> Calendar {
        // 2026-03-23 is a Monday; DST starts in Berlin on Sunday 2026-03-29.
        Calendar::new(
            "2026-03-23T00:00".parse().unwrap(),
            TimeZone::get("Europe/Berlin").unwrap(),
        )
        .unwrap()
    }

    fn weekday_shift(start: &str, length_min: u32) -> WeeklyPattern {
        WeeklyPattern {
            spans: [
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
            ]
            .into_iter()
            .map(|weekday| WeeklySpan {
                weekday,
                start: start.parse().unwrap(),
                length_min,
            })
            .collect(),
        }
    }

    #[test]
    fn shift_starts_and_ends_at_local_times() {
        let cal = berlin_monday();
        let shift = weekday_shift("08:00", 8 * 60);
        let h = 3_600_000;
        assert_eq!(
            shift.state_at(&cal, 0),
            PatternState {
                on: false,
                next_change_ms: Some(8 * h)
            }
        );
        assert_eq!(
            shift.state_at(&cal, 8 * h),
            PatternState {
                on: true,
                next_change_ms: Some(16 * h)
            }
        );
        // Friday 16:00 → next Monday 08:00 (DST began on Sunday: one hour less in between).
        let friday_end = 4 * 24 * h + 16 * h;
        let next_monday = 7 * 24 * h + 8 * h - h;
        assert_eq!(
            shift.state_at(&cal, friday_end),
            PatternState {
                on: false,
                next_change_ms: Some(next_monday)
            }
        );
        assert_eq!(cal.local(next_monday).to_string(), "2026-03-30T08:00:00");
    }

    #[test]
    fn night_shift_runs_past_midnight_and_always_on_never_ends_early() {
        let cal = berlin_monday();
        let night = weekday_shift("22:00", 8 * 60);
        let h = 3_600_000;
        let s = night.state_at(&cal, 23 * h);
        assert!(s.on);
        assert_eq!(s.next_change_ms, Some(30 * h));
        let always = WeeklyPattern::always().state_at(&cal, 5 * h);
        assert!(always.on);
        assert!(always.next_change_ms.unwrap() >= 7 * 24 * h);
    }
}
