//! The cells of a forecast row: which segment a key names, when an interval starts, an AHT.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};

use super::super::csv_input::{Delimiter, RowProblems, parse_clock_s, parse_number};
use super::super::file::{ForecastColumnsFile, SegmentFile};
use super::super::input_file::excerpt;
use super::Start;

/// Which segment a key names: a segment's own name first, else a queue that exactly one
/// segment sends its conversations to.
pub(super) struct Resolver<'a> {
    arrivals: &'a [SegmentFile],
}

impl<'a> Resolver<'a> {
    pub(super) fn new(arrivals: &'a [SegmentFile]) -> Self {
        Self { arrivals }
    }

    pub(super) fn segment(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        if let Some(i) = self.arrivals.iter().position(|a| a.name == key) {
            return Some(i);
        }
        let feeding: Vec<usize> = self
            .arrivals
            .iter()
            .enumerate()
            .filter(|(_, a)| a.queue.as_deref() == Some(key))
            .map(|(i, _)| i)
            .collect();
        match feeding.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    pub(super) fn names(&self) -> String {
        let mut names: Vec<String> = self
            .arrivals
            .iter()
            .take(8)
            .map(|a| format!("'{}'", a.name))
            .collect();
        if self.arrivals.len() > 8 {
            names.push(format!("… {} more", self.arrivals.len() - 8));
        }
        names.join(", ")
    }
}

/// A cell holding a date and a time, with or without an offset.
pub(super) fn date_time(text: &str) -> Option<Start> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(Start::Instant(ts));
    }
    t.parse::<DateTime>().ok().map(Start::Local)
}

/// The start of a row's interval from its date cell (if the file has one) and start cell.
#[allow(clippy::too_many_arguments)]
pub(super) fn start_of(
    date_cell: Option<&str>,
    start_cell: &str,
    date_format: Option<&str>,
    interval_min: u32,
    per_day: u32,
    line: usize,
    cells: &mut RowProblems,
    cols: &ForecastColumnsFile,
) -> Option<Start> {
    let Some(date_text) = date_cell else {
        return match date_time(start_cell) {
            Some(Start::Local(dt)) => {
                on_grid(dt.time(), start_cell, interval_min, line, cells, cols)
                    .then_some(Start::Local(dt))
            }
            Some(instant) => Some(instant),
            None => {
                cells.add(
                    "the start column",
                    line,
                    format!(
                        "column '{}' is '{}': expected a date and time such as 2026-01-05 08:30",
                        cols.start,
                        excerpt(start_cell)
                    ),
                );
                None
            }
        };
    };
    let date = match date_format {
        Some(fmt) => Date::strptime(fmt, date_text.trim()).ok(),
        None => date_text.trim().parse::<Date>().ok(),
    };
    let Some(date) = date else {
        cells.add(
            "the date column",
            line,
            format!(
                "column '{}' is '{}': expected a date written as {} (set [forecast] date_format to the file's, e.g. \"%m%d%Y\" or \"%d.%m.%Y\")",
                cols.date,
                excerpt(date_text),
                date_format.unwrap_or("YYYY-MM-DD")
            ),
        );
        return None;
    };
    let text = start_cell.trim();
    let time = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        match text.parse::<u32>() {
            Ok(n) if (1..=per_day).contains(&n) => {
                let minutes = (n - 1) * interval_min;
                Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()
            }
            _ => {
                cells.add(
                    "the start column",
                    line,
                    format!(
                        "column '{}' is '{}': an interval number runs from 1 to {per_day} ({interval_min}-minute intervals)",
                        cols.start,
                        excerpt(text)
                    ),
                );
                return None;
            }
        }
    } else {
        parse_clock_s(text)
            .filter(|&s| s < 24 * 3600)
            .and_then(|s| Time::new((s / 3600) as i8, (s / 60 % 60) as i8, (s % 60) as i8, 0).ok())
    };
    let Some(time) = time else {
        cells.add(
            "the start column",
            line,
            format!(
                "column '{}' is '{}': expected the interval's start, HH:MM, HH:MM:SS or an interval number from 1",
                cols.start,
                excerpt(text)
            ),
        );
        return None;
    };
    on_grid(time, start_cell, interval_min, line, cells, cols)
        .then(|| Start::Local(date.to_datetime(time)))
}

/// Whether `time` starts an interval of `interval_min` minutes (else a problem).
fn on_grid(
    time: Time,
    text: &str,
    interval_min: u32,
    line: usize,
    cells: &mut RowProblems,
    cols: &ForecastColumnsFile,
) -> bool {
    let s = time.hour() as u32 * 3600 + time.minute() as u32 * 60 + time.second() as u32;
    let ok = s.is_multiple_of(interval_min * 60) && time.subsec_nanosecond() == 0;
    if !ok {
        cells.add(
            "the start column",
            line,
            format!(
                "column '{}' is '{}': not the start of a {interval_min}-minute interval (set [forecast] interval_min to the file's interval length)",
                cols.start,
                excerpt(text)
            ),
        );
    }
    ok
}

/// An average handle time: seconds (decimal comma allowed), `MM:SS` or `HH:MM:SS`.
pub(super) fn aht_seconds(text: &str, delimiter: Delimiter) -> Option<f64> {
    let t = text.trim();
    if let Some(v) = parse_number(t, delimiter) {
        return (v >= 0.0).then_some(v);
    }
    let parts: Vec<&str> = t.split(':').collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    match nums?.as_slice() {
        [m, s] if *s < 60 && parts[1].len() == 2 => Some(f64::from(m * 60 + s)),
        [h, m, s] if *m < 60 && *s < 60 && parts[1].len() == 2 && parts[2].len() == 2 => {
            Some(f64::from(h * 3600 + m * 60 + s))
        }
        _ => None,
    }
}
