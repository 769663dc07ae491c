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

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

mod cells;
mod checks;

use cells::{Resolver, aht_seconds, date_time, start_of};
use checks::{conflicts, coverage, fold_and_duplicates};

use super::checks::Checker;
use super::csv_input::{Delimiter, RowProblems, open_csv, parse_number};
use super::drivers::Warning;
use super::error::{FieldPath, Problem};
use super::file::{ForecastFile, ScenarioFile, SegmentFile};
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
pub(super) enum Start {
    /// A local date and time in the file's zone.
    Local(DateTime),
    /// An exact instant (the cell carried an offset).
    Instant(Timestamp),
}

/// One row, read.
pub(super) struct Row {
    pub(super) line: usize,
    pub(super) segment: usize,
    pub(super) start_ms: i64,
    /// The local start as written, for rows without an offset.
    pub(super) local: Option<DateTime>,
    pub(super) volume: f64,
    pub(super) aht_s: Option<f64>,
    /// The local date of the interval, in the file's zone (for coverage messages).
    pub(super) date: Date,
}

/// Reads the scenario's `[forecast]`, if it has one, for a run of `horizon_ms` on `calendar`:
/// what it gives each segment (in order), with its problems in `c` and its warnings added to
/// `warnings`. `None` without a forecast or when it cannot be read.
pub(super) fn read_section(
    c: &mut Checker<'_>,
    file: &ScenarioFile,
    calendar: &Calendar,
    horizon_ms: u64,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<Option<SegmentForecast>>> {
    let f = file.forecast.as_ref()?;
    let field = FieldPath::root().key("forecast");
    if file.trace.is_some() {
        c.fail(
            field,
            "both a [forecast] and a [trace]: a trace replays the conversations that came, a forecast says how many will come; expected one of them",
        );
        return None;
    }
    let path = c.named_file(&field.key("csv"), &f.csv)?;
    match read(
        f,
        &path,
        &field,
        &file.arrivals,
        calendar,
        horizon_ms,
        file.report_interval_min,
    ) {
        Ok(forecast) => {
            warnings.extend(forecast.warnings);
            Some(forecast.segments)
        }
        Err(problems) => {
            c.problems.extend(problems);
            None
        }
    }
}

/// Reads the forecast at `path` for the segments `arrivals` of a run of `horizon_ms` on
/// `calendar`; `report_interval_min` is the interval length when the section gives none.
fn read(
    section: &ForecastFile,
    path: &Path,
    field: &FieldPath,
    arrivals: &[SegmentFile],
    calendar: &Calendar,
    horizon_ms: u64,
    report_interval_min: u32,
) -> Result<Forecast, Vec<Problem>> {
    let (interval_min, delimiter, zone) = settings(section, field, calendar, report_interval_min)?;
    let csv_field = field.key("csv");
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

    let segments = per_segment(&rows, arrivals, interval_min, &mut warnings);
    Ok(Forecast { segments, warnings })
}

pub(super) fn calendar_start_ms(calendar: &Calendar) -> i64 {
    calendar.zoned(0).timestamp().as_millisecond()
}

/// The section's settings, checked: interval length, separator, the file's time zone.
fn settings(
    section: &ForecastFile,
    field: &FieldPath,
    calendar: &Calendar,
    report_interval_min: u32,
) -> Result<(u32, Option<Delimiter>, Calendar), Vec<Problem>> {
    let section_path = field.clone();
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
    if setup.is_empty() {
        Ok((interval_min, delimiter, zone))
    } else {
        Err(setup)
    }
}

/// Each segment's rates and handle times from its rows.
fn per_segment(
    rows: &[Row],
    arrivals: &[SegmentFile],
    interval_min: u32,
    warnings: &mut Vec<Warning>,
) -> Vec<Option<SegmentForecast>> {
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
    segments
}
