//! Dated agent schedules, the form WFM tools publish them in: one row per agent and date with
//! the shift's start and end, or a day off. A date with rows replaces the agent's weekly
//! pattern on that date; an agent with no weekly pattern works only its dated shifts.
//!
//! Columns (header names, any order, matched ignoring case): `agent_id` (the agent's name in
//! the scenario, or its roster id), `date` (`YYYY-MM-DD`, or as the group's
//! `schedule_date_format` says), `start` and `end` (`HH:MM` or `HH:MM:SS`; an end at or before
//! the start runs past midnight; both blank, or `off`, for a day off). Several rows on one date
//! give a split shift.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::{Date, Time};

use super::csv_input::{RowProblems, open_csv, parse_clock_s, shown_column};
use super::error::{FieldPath, Problem};
use super::input_file::excerpt;
use crate::model::calendar::{Calendar, WeeklyPattern, merge};

/// What one row says about one date of one agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayEntry {
    /// The date, in the agent's time zone.
    pub date: Date,
    /// The shift's local start and length in minutes; `None` for a day off.
    pub shift: Option<(Time, u32)>,
    /// The row's line.
    pub line: usize,
}

const COLUMNS: [&str; 4] = ["agent_id", "date", "start", "end"];

/// Reads a schedule: every agent's dated entries, by agent id.
pub fn read(
    path: &Path,
    field: &FieldPath,
    date_format: Option<&str>,
) -> Result<HashMap<String, Vec<DayEntry>>, Vec<Problem>> {
    let (mut reader, headers, delimiter) = open_csv(path, "schedule", field, None)?;
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| column(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(vec![Problem {
            path: field.clone(),
            message: format!(
                "missing column{} {}: a schedule has agent_id, date, start and end (the file's columns: {}{})",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                super::csv_input::shown_columns(&headers),
                delimiter.hint()
            ),
            in_file: Some((path.to_path_buf(), 1)),
        }]);
    }
    let unknown: Vec<String> = headers
        .iter()
        .filter(|h| !COLUMNS.iter().any(|c| h.eq_ignore_ascii_case(c)))
        .map(shown_column)
        .collect();
    if !unknown.is_empty() {
        return Err(vec![Problem {
            path: field.clone(),
            message: format!(
                "unknown column{} {}: expected agent_id, date, start and end",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", ")
            ),
            in_file: Some((path.to_path_buf(), 1)),
        }]);
    }
    let col = |name: &str| column(name).expect("checked above");
    let (id_col, date_col, start_col, end_col) =
        (col("agent_id"), col("date"), col("start"), col("end"));
    let mut problems = RowProblems::new(field, path);
    let mut entries: HashMap<String, Vec<DayEntry>> = HashMap::new();
    for (k, record) in reader.records().enumerate() {
        let line = k + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.add("the file", line, format!("unreadable row: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(line, |p| p.line() as usize);
        let cell = |c: usize| record.get(c).unwrap_or("").trim();
        let id = cell(id_col);
        if id.is_empty() {
            problems.add("column 'agent_id'", line, "empty agent_id".into());
            continue;
        }
        let date_text = cell(date_col);
        let date = match date_format {
            Some(fmt) => Date::strptime(fmt, date_text).ok(),
            None => date_text.parse::<Date>().ok(),
        };
        let Some(date) = date else {
            problems.add(
                "column 'date'",
                line,
                format!(
                    "column 'date' is '{}': expected a date written as {} (the group's schedule_date_format sets another spelling, e.g. \"%d.%m.%Y\")",
                    excerpt(date_text),
                    date_format.unwrap_or("YYYY-MM-DD")
                ),
            );
            continue;
        };
        let (start_text, end_text) = (cell(start_col), cell(end_col));
        let off = |t: &str| t.is_empty() || t.eq_ignore_ascii_case("off");
        let shift = if off(start_text) && off(end_text) {
            None
        } else {
            let start = parse_clock_s(start_text).filter(|&s| s < 24 * 3600);
            let end = parse_clock_s(end_text);
            let (Some(start), Some(end)) = (start, end) else {
                problems.add(
                    "columns 'start' and 'end'",
                    line,
                    format!(
                        "start '{}' and end '{}': expected times of day, HH:MM or HH:MM:SS (both blank or 'off' for a day off)",
                        excerpt(start_text),
                        excerpt(end_text)
                    ),
                );
                continue;
            };
            let length_s = if end > start {
                end - start
            } else {
                end + 24 * 3600 - start
            };
            let time = Time::new(
                (start / 3600) as i8,
                (start / 60 % 60) as i8,
                (start % 60) as i8,
                0,
            )
            .expect("a time of day before 24:00");
            Some((time, length_s.div_ceil(60)))
        };
        let list = entries.entry(id.to_string()).or_default();
        if let Some(other) = list
            .iter()
            .find(|e| e.date == date && (e.shift.is_none() != shift.is_none()))
        {
            problems.add(
                "days off",
                line,
                format!(
                    "agent '{}' on {date}: a day off and a shift (line {}); expected one or the other",
                    excerpt(id),
                    other.line
                ),
            );
            continue;
        }
        list.push(DayEntry { date, shift, line });
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems.finish())
    }
}

/// An agent's shifts over the run as merged `[start, end)` ms since the start: its dated
/// entries where it has them, its weekly pattern (if any) on every other date. `cal` is the
/// agent's own calendar; `days` is the run's length in local days.
pub fn dated_spans(
    entries: &[DayEntry],
    weekly: Option<&WeeklyPattern>,
    cal: &Calendar,
    days: i64,
) -> Vec<(i64, i64)> {
    let mut spans = Vec::new();
    let mut push = |date: Date, start: Time, length_min: u32| {
        let start_dt = date.to_datetime(start);
        if let Ok(end_dt) = start_dt.checked_add(jiff::Span::new().minutes(i64::from(length_min))) {
            let (s, e) = (cal.ms_of_local(start_dt), cal.ms_of_local(end_dt));
            if e > s {
                spans.push((s, e));
            }
        }
    };
    let mut by_date: HashMap<Date, Vec<&DayEntry>> = HashMap::new();
    for e in entries {
        by_date.entry(e.date).or_default().push(e);
    }
    // A day either side: a shift of the day before may run into the first day.
    for day in -1..=days + 1 {
        let date = cal.date_after_start(day);
        let dated = by_date.get(&date).map_or(&[][..], Vec::as_slice);
        if dated.is_empty() {
            for span in weekly
                .iter()
                .flat_map(|w| w.spans.iter())
                .filter(|s| s.weekday == date.weekday())
            {
                push(date, span.start, span.length_min);
            }
        } else {
            for (start, length_min) in dated.iter().filter_map(|e| e.shift) {
                push(date, start, length_min);
            }
        }
    }
    merge(spans)
}
