//! Checks over a forecast's rows as a whole: repeated intervals (and the night the clocks go
//! back), segments that have a rate of their own, and how the rows cover the run.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::DateTime;
use jiff::tz::AmbiguousOffset;

use super::super::csv_input::RowProblems;
use super::super::drivers::Warning;
use super::super::error::{FieldPath, Problem};
use super::super::file::SegmentFile;
use super::{Row, calendar_start_ms};
use crate::model::calendar::Calendar;

/// Places rows of a local period the clock shows twice (the night DST ends): the first row on
/// the first pass, the second on the second. Any other repeated (segment, interval) is an
/// error naming both lines. A local period the clock skips (the night DST starts) is read as
/// the hour after it, where its volume adds to that hour's.
pub(super) fn fold_and_duplicates(
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
pub(super) fn conflicts(
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
pub(super) fn coverage(
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
