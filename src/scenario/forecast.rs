//! The `[forecast]` reader: dated, long-format interval volumes as WFM tools export them (one
//! row per date, interval and queue or segment, with an optional average handle time), turned
//! into each segment's [`DatedRates`] and [`DatedMeans`].
//!
//! What it survives, because real exports do it (see `docs/wfm-files.md`): columns named
//! per tool (a mapping in the scenario), comma, semicolon, tab or pipe separators (detected),
//! decimal commas, `HH:MM`, `HH:MM:SS` or interval numbers, dates in any strftime spelling,
//! files in another time zone (UTC), rows missing where nothing arrives, and the day the
//! clocks go back, when a local period occurs twice: its first row is the first pass, its
//! second row the second. A mistake repeated on every row is reported a few times and counted,
//! not once per row.

use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::csv_input::{Delimiter, RowProblems, open_csv, parse_clock_s, parse_number};
use super::drivers::Warning;
use super::error::{FieldPath, Problem};
use super::file::{ForecastFile, SegmentFile};
use super::input_file::excerpt;
use crate::model::arrival_rate::{DatedMeans, DatedRates};
use crate::model::calendar::Calendar;

/// What the forecast gives one segment.
#[derive(Debug, Clone)]
pub(super) struct SegmentForecast {
    /// Its arrival rates.
    pub rate: DatedRates,
    /// Its average handle time per interval (empty without an AHT column).
    pub handle_means: DatedMeans,
}

/// A forecast read: per arrival segment (in the scenario's order) what the file gives it, and
/// what the user should know.
#[derive(Debug, Clone)]
pub(super) struct Forecast {
    /// `None` for segments the file does not name.
    pub segments: Vec<Option<SegmentForecast>>,
    /// Rows outside the run, a run longer than the forecast, handle times a segment ignores.
    pub warnings: Vec<Warning>,
}

/// When a row's interval starts.
enum Start {
    /// A local date and time in the file's zone.
    Local(DateTime),
    /// An exact instant (the cell carried an offset).
    Instant(Timestamp),
}

/// One row, read.
struct Row {
    line: usize,
    segment: usize,
    start_ms: i64,
    /// The local start as written, for rows without an offset.
    local: Option<DateTime>,
    volume: f64,
    aht_s: Option<f64>,
    /// The local date of the interval, in the file's zone (for coverage messages).
    date: Date,
}

/// Reads the forecast at `path` for the segments `arrivals` of a run of `horizon_ms` on
/// `calendar`; `report_interval_min` is the interval length when the section gives none.
pub(super) fn read(
    section: &ForecastFile,
    path: &Path,
    field: &FieldPath,
    arrivals: &[SegmentFile],
    calendar: &Calendar,
    horizon_ms: u64,
    report_interval_min: u32,
) -> Result<Forecast, Vec<Problem>> {
    let section_path = field.clone();
    let csv_field = field.key("csv");
    let mut setup = Vec::new();
    let interval_min = section.interval_min.unwrap_or(report_interval_min);
    if ![15, 30, 60].contains(&interval_min) {
        setup.push(Problem::new(
            section_path.key("interval_min"),
            format!("{interval_min}: expected 15, 30 or 60 minutes"),
        ));
    }
    let delimiter = match section.delimiter.as_deref() {
        None => None,
        Some(d) => match Delimiter::named(d) {
            Some(d) => Some(d),
            None => {
                setup.push(Problem::new(
                    section_path.key("delimiter"),
                    format!("'{}': expected ',', ';', '|' or 'tab'", excerpt(d)),
                ));
                None
            }
        },
    };
    let zone = match section.time_zone.as_deref() {
        None => calendar.clone(),
        Some(name) => match TimeZone::get(name) {
            Ok(tz) => calendar.in_zone(tz),
            Err(_) => {
                setup.push(Problem::new(
                    section_path.key("time_zone"),
                    format!(
                        "unknown time zone '{}': expected an IANA name such as UTC or Europe/Berlin",
                        excerpt(name)
                    ),
                ));
                calendar.clone()
            }
        },
    };
    if !(section.scale.is_finite() && section.scale >= 0.0) {
        setup.push(Problem::new(
            section_path.key("scale"),
            format!("scale is {}: expected a number ≥ 0", section.scale),
        ));
    }
    if !setup.is_empty() {
        return Err(setup);
    }

    let (mut reader, headers, delimiter) = open_csv(path, "forecast", &csv_field, delimiter)?;
    let header_problem = |message: String| Problem {
        path: csv_field.clone(),
        message,
        in_file: Some((path.to_path_buf(), 1)),
    };
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    };
    let cols = &section.columns;
    let found = || super::csv_input::shown_columns(&headers);
    let mut problems = Vec::new();
    let missing = |what: &str, name: &str| {
        format!(
            "no column '{}' for the {what} (the file's columns: {}{}); name the file's column in [forecast.columns] {} = \"…\"",
            excerpt(name),
            found(),
            delimiter.hint(),
            match what {
                "interval start" => "start",
                "contacts per interval" => "volume",
                "queue or segment" => "queue",
                _ => "date",
            }
        )
    };
    let start_col = column(&cols.start);
    let volume_col = column(&cols.volume);
    let date_col = column(&cols.date);
    let aht_col = column(&cols.aht);
    if start_col.is_none() {
        problems.push(header_problem(missing("interval start", &cols.start)));
    }
    if volume_col.is_none() {
        problems.push(header_problem(missing(
            "contacts per interval",
            &cols.volume,
        )));
    }
    // Without a queue column, the file is the forecast of the one segment that needs it.
    let queue_col = column(&cols.queue);
    let needing: Vec<usize> = arrivals
        .iter()
        .enumerate()
        .filter(|(_, a)| a.rate_per_h.is_none() && a.profile.is_none())
        .map(|(i, _)| i)
        .collect();
    let sole_segment = match (queue_col, needing.as_slice()) {
        (None, [only]) => Some(*only),
        (None, _) => {
            problems.push(header_problem(format!(
                "{}; a file without one is the forecast of the scenario's only segment without a rate, and {} segments have none",
                missing("queue or segment", &cols.queue),
                needing.len()
            )));
            None
        }
        _ => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let (start_col, volume_col) = (
        start_col.expect("checked above"),
        volume_col.expect("checked above"),
    );

    let records: Vec<(usize, Result<csv::StringRecord, csv::Error>)> = reader
        .records()
        .enumerate()
        .map(|(k, r)| {
            let line = match &r {
                Ok(r) => r.position().map_or(k + 2, |p| p.line() as usize),
                Err(e) => e.position().map_or(k + 2, |p| p.line() as usize),
            };
            (line, r)
        })
        .collect();
    // A file without a date column needs dates in its start cells: say so once.
    if date_col.is_none()
        && let Some((_, Ok(first))) = records.first()
        && let text = first.get(start_col).unwrap_or("")
        && date_time(text).is_none()
    {
        return Err(vec![header_problem(format!(
            "{} and the first row's start '{}' has no date: give the file a date column or write the start as date and time (2026-01-05 08:30)",
            missing("date", &cols.date),
            excerpt(text)
        ))]);
    }

    let resolver = Resolver::new(arrivals);
    let mut unknown_keys: Vec<(String, usize, usize)> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut cells = RowProblems::new(&csv_field, path);
    let per_day = 24 * 60 / interval_min;
    for (line, record) in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                cells.add("the file", line, format!("unreadable row: {e}"));
                continue;
            }
        };
        let cell = |c: usize| record.get(c).unwrap_or("");
        let segment = match (sole_segment, queue_col) {
            (Some(s), _) => Some(s),
            (None, Some(qc)) => {
                let key = cell(qc);
                match resolver.segment(key) {
                    Some(s) => Some(s),
                    None => {
                        match unknown_keys.iter_mut().find(|k| k.0 == key) {
                            Some(k) => k.2 += 1,
                            None => unknown_keys.push((key.to_string(), line, 1)),
                        }
                        None
                    }
                }
            }
            (None, None) => None,
        };
        let start = start_of(
            date_col.map(cell),
            cell(start_col),
            section.date_format.as_deref(),
            interval_min,
            per_day,
            line,
            &mut cells,
            cols,
        );
        let volume_text = cell(volume_col);
        let volume = match parse_number(volume_text, delimiter) {
            Some(v) if v >= 0.0 => Some(v * section.scale),
            _ => {
                cells.add(
                    "the volume column",
                    line,
                    format!(
                        "column '{}' is '{}': expected contacts per interval, a number ≥ 0",
                        cols.volume,
                        excerpt(volume_text)
                    ),
                );
                None
            }
        };
        let aht_s = match aht_col.map(cell).filter(|t| !t.trim().is_empty()) {
            None => Some(None),
            Some(text) => match aht_seconds(text, delimiter) {
                Some(s) => Some(Some(s)),
                None => {
                    cells.add(
                        "the handle-time column",
                        line,
                        format!(
                            "column '{}' is '{}': expected an average handle time in seconds, MM:SS or HH:MM:SS",
                            cols.aht,
                            excerpt(text)
                        ),
                    );
                    None
                }
            },
        };
        let (Some(segment), Some(start), Some(volume), Some(aht_s)) =
            (segment, start, volume, aht_s)
        else {
            continue;
        };
        let (start_ms, local, date) = match start {
            // A local period the clock shows twice is placed on its first pass here, and a
            // second row for it on the second pass below.
            Start::Local(dt) => (zone.ms_of_local(dt), Some(dt), dt.date()),
            Start::Instant(ts) => (
                ts.as_millisecond() - calendar_start_ms(calendar),
                None,
                ts.to_zoned(zone.time_zone().clone()).date(),
            ),
        };
        rows.push(Row {
            line,
            segment,
            start_ms,
            local,
            volume,
            aht_s,
            date,
        });
    }
    let mut problems = cells.finish();
    for (key, line, count) in &unknown_keys {
        problems.push(Problem {
            path: csv_field.clone(),
            message: format!(
                "column '{}' is '{}' on {count} row{}: expected an arrival segment ({}) or a queue that one segment feeds",
                cols.queue,
                excerpt(key),
                if *count == 1 { "" } else { "s" },
                resolver.names()
            ),
            in_file: Some((path.to_path_buf(), *line)),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    fold_and_duplicates(&mut rows, &zone, calendar, path, &csv_field)?;
    let mut warnings = Vec::new();
    let conflicts = conflicts(&rows, arrivals, path, &csv_field);
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    coverage(&rows, &zone, horizon_ms, path, &csv_field, &mut warnings)?;

    let interval_ms = i64::from(interval_min) * 60_000;
    let mut segments: Vec<Option<SegmentForecast>> = vec![None; arrivals.len()];
    for (s, out) in segments.iter_mut().enumerate() {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.segment == s).collect();
        if mine.is_empty() {
            continue;
        }
        let stretches: Vec<(i64, i64, f64)> = mine
            .iter()
            .map(|r| (r.start_ms, r.start_ms + interval_ms, r.volume))
            .collect();
        let threaded = arrivals[s].conversation.is_some();
        let with_aht: Vec<&&Row> = mine
            .iter()
            .filter(|r| r.aht_s.is_some() && r.volume > 0.0)
            .collect();
        let handle_means = if threaded || with_aht.is_empty() {
            if threaded && !with_aht.is_empty() {
                warnings.push(Warning {
                    field: format!("forecast.columns.aht (segment '{}')", arrivals[s].name),
                    message: format!(
                        "the forecast gives segment '{}' handle times, but its conversations are message threads ([arrivals.conversation]): their length comes from the thread, and the forecast's handle times are left out",
                        arrivals[s].name
                    ),
                });
            }
            DatedMeans::default()
        } else {
            let mut pieces: Vec<(i64, i64, f64)> = with_aht
                .iter()
                .map(|r| {
                    (
                        r.start_ms,
                        r.start_ms + interval_ms,
                        r.aht_s.unwrap_or(0.0) * 1000.0,
                    )
                })
                .collect();
            pieces.sort_by_key(|p| p.0);
            // Two rows of one local hour that a DST change skips land on the same stretch:
            // the second starts where the first ends.
            let mut kept: Vec<(i64, i64, f64)> = Vec::with_capacity(pieces.len());
            for (s, e, m) in pieces {
                let s = kept.last().map_or(s, |last| s.max(last.1));
                if e > s {
                    kept.push((s, e, m));
                }
            }
            let volume: f64 = with_aht.iter().map(|r| r.volume).sum();
            let weighted: f64 = with_aht
                .iter()
                .map(|r| r.volume * r.aht_s.unwrap_or(0.0) * 1000.0)
                .sum();
            DatedMeans {
                pieces: kept,
                mean_ms: (volume > 0.0).then(|| weighted / volume),
            }
        };
        *out = Some(SegmentForecast {
            rate: DatedRates::from_volumes(&stretches),
            handle_means,
        });
    }
    Ok(Forecast { segments, warnings })
}

fn calendar_start_ms(calendar: &Calendar) -> i64 {
    calendar.zoned(0).timestamp().as_millisecond()
}

/// Which segment a key names: a segment's own name first, else a queue that exactly one
/// segment sends its conversations to.
struct Resolver<'a> {
    arrivals: &'a [SegmentFile],
}

impl<'a> Resolver<'a> {
    fn new(arrivals: &'a [SegmentFile]) -> Self {
        Self { arrivals }
    }

    fn segment(&self, key: &str) -> Option<usize> {
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

    fn names(&self) -> String {
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
fn date_time(text: &str) -> Option<Start> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Some(Start::Instant(ts));
    }
    t.parse::<DateTime>().ok().map(Start::Local)
}

/// The start of a row's interval from its date cell (if the file has one) and start cell.
#[allow(clippy::too_many_arguments)]
fn start_of(
    date_cell: Option<&str>,
    start_cell: &str,
    date_format: Option<&str>,
    interval_min: u32,
    per_day: u32,
    line: usize,
    cells: &mut RowProblems,
    cols: &super::file::ForecastColumnsFile,
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
    cols: &super::file::ForecastColumnsFile,
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
fn aht_seconds(text: &str, delimiter: Delimiter) -> Option<f64> {
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

/// Places rows of a local period the clock shows twice (the night DST ends): the first row on
/// the first pass, the second on the second. Any other repeated (segment, interval) is an
/// error naming both lines. A local period the clock skips (the night DST starts) is read as
/// the hour after it, where its volume adds to that hour's.
fn fold_and_duplicates(
    rows: &mut [Row],
    zone: &Calendar,
    calendar: &Calendar,
    path: &Path,
    field: &FieldPath,
) -> Result<(), Vec<Problem>> {
    #[derive(PartialEq, Eq, Hash)]
    enum Key {
        Local(DateTime),
        Instant(i64),
    }
    let mut seen: HashMap<(usize, Key), (usize, usize)> = HashMap::new();
    let mut problems = RowProblems::new(field, path);
    let start = calendar_start_ms(calendar);
    for row in rows.iter_mut() {
        let key = match row.local {
            Some(dt) => Key::Local(dt),
            None => Key::Instant(row.start_ms),
        };
        let entry = seen.entry((row.segment, key)).or_insert((0, row.line));
        entry.0 += 1;
        if entry.0 == 1 {
            continue;
        }
        let first_line = entry.1;
        let second_pass =
            row.local.and_then(
                |dt| match zone.time_zone().to_ambiguous_timestamp(dt).offset() {
                    AmbiguousOffset::Fold { after, .. } => after.to_timestamp(dt).ok(),
                    _ => None,
                },
            );
        match second_pass {
            Some(ts) if entry.0 == 2 => row.start_ms = ts.as_millisecond() - start,
            _ => problems.add(
                "repeated intervals",
                row.line,
                format!(
                    "the interval of line {first_line} appears again for the same queue or segment{}",
                    if entry.0 > 2 {
                        " (a local period the clock shows twice takes two rows, not more)"
                    } else {
                        ""
                    }
                ),
            ),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.finish())
    }
}

/// Segments the file names that have a rate of their own: one error each.
fn conflicts(
    rows: &[Row],
    arrivals: &[SegmentFile],
    path: &Path,
    field: &FieldPath,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, a) in arrivals.iter().enumerate() {
        if a.rate_per_h.is_none() && a.profile.is_none() {
            continue;
        }
        if let Some(row) = rows.iter().find(|r| r.segment == i) {
            out.push(Problem {
                path: field.clone(),
                message: format!(
                    "the forecast gives segment '{}' its arrivals, but the segment has its own {}: remove one of them",
                    a.name,
                    if a.rate_per_h.is_some() { "rate_per_h" } else { "profile" }
                ),
                in_file: Some((path.to_path_buf(), row.line)),
            });
        }
    }
    out
}

/// Rows outside the run are left out (with a warning); a forecast that misses the run
/// entirely is an error; a run that goes on past the forecast's last date, or starts before
/// its first, is a warning.
fn coverage(
    rows: &[Row],
    zone: &Calendar,
    horizon_ms: u64,
    path: &Path,
    field: &FieldPath,
    warnings: &mut Vec<Warning>,
) -> Result<(), Vec<Problem>> {
    let (Some(first), Some(last)) = (
        rows.iter().map(|r| r.date).min(),
        rows.iter().map(|r| r.date).max(),
    ) else {
        return Err(vec![Problem {
            path: field.clone(),
            message: "the forecast has no rows: expected one per date, interval and queue".into(),
            in_file: Some((path.to_path_buf(), 2)),
        }]);
    };
    let horizon = horizon_ms as i64;
    let run_first = zone.local(0).date();
    let run_last = zone.local(horizon_ms.saturating_sub(1)).date();
    let outside: Vec<&Row> = rows
        .iter()
        .filter(|r| r.start_ms >= horizon || r.start_ms < 0)
        .collect();
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if outside.len() == rows.len() {
        return Err(vec![Problem {
            path: field.clone(),
            message: format!(
                "the forecast's rows run from {first} to {last}, the run from {run_first} to {run_last}: none falls inside it (set the scenario's start and duration_days to the forecast's dates)"
            ),
            in_file: Some((path.to_path_buf(), outside[0].line)),
        }]);
    }
    if !outside.is_empty() {
        let volume: f64 = outside.iter().map(|r| r.volume).sum();
        warnings.push(Warning {
            field: "forecast.csv".into(),
            message: format!(
                "{} rows of {file_name} ({volume:.0} contacts) fall outside the run ({run_first} to {run_last}) and are left out; the forecast runs from {first} to {last}",
                outside.len()
            ),
        });
    }
    if last < run_last {
        warnings.push(Warning {
            field: "duration_days".into(),
            message: format!(
                "the forecast in {file_name} ends on {last}, the run on {run_last}: nothing arrives after {last} (shorten duration_days or extend the forecast)"
            ),
        });
    }
    if first > run_first {
        warnings.push(Warning {
            field: "start".into(),
            message: format!(
                "the forecast in {file_name} starts on {first}, the run on {run_first}: nothing arrives before {first}"
            ),
        });
    }
    Ok(())
}
