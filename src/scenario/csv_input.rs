//! CSV inputs a scenario may point to: arrival profiles in the shape WFM tools export, and
//! observed durations for empirical distributions. Every bad row is reported with its line.

use std::path::Path;

use super::error::{FieldPath, Problem};
use super::input_file::excerpt;

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Index 0..7 (Monday first) of a weekday written `mon`, `Monday`, `MON`, …
pub fn weekday_index(text: &str) -> Option<usize> {
    let t = text.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|d| t == *d || (t.len() > 3 && t.starts_with(d) && is_full_name(&t)))
}

fn is_full_name(t: &str) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .contains(&t)
}

/// Minutes since midnight of `HH:MM` (00:00 ..= 24:00).
pub fn parse_hhmm(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    let total = h * 60 + m;
    (m < 60 && total <= 24 * 60).then_some(total)
}

fn problem(field: &FieldPath, file: &Path, line: usize, message: String) -> Problem {
    Problem {
        path: field.clone(),
        message,
        in_file: Some((file.to_path_buf(), line)),
    }
}

/// Reads an arrival profile: columns `start` (HH:MM), optional `weekday`, and `rate_per_h` or
/// `volume` (contacts per interval). Rows must run from 00:00 in steps of `interval_min`, one
/// day (daily) or seven days Monday first (weekly). Returns the rates per hour.
pub fn read_profile(
    path: &Path,
    interval_min: u32,
    field: &FieldPath,
) -> Result<Vec<f64>, Vec<Problem>> {
    let (mut reader, headers) = open_csv(path, "CSV profile", field)?;
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (start_col, weekday_col) = (col("start"), col("weekday"));
    let (rate_col, volume_col) = (col("rate_per_h"), col("volume"));
    let mut problems = Vec::new();
    let known = ["start", "weekday", "rate_per_h", "volume"];
    for h in headers.iter() {
        if !known.iter().any(|k| h.eq_ignore_ascii_case(k)) {
            problems.push(problem(
                field,
                path,
                1,
                format!(
                    "unknown column '{h}': expected start, weekday, and rate_per_h or volume",
                    h = shown_column(h)
                ),
            ));
        }
    }
    let Some(start_col) = start_col else {
        problems.push(problem(
            field,
            path,
            1,
            "missing column 'start' (HH:MM)".into(),
        ));
        return Err(problems);
    };
    let value_col = match (rate_col, volume_col) {
        (Some(c), None) => c,
        (None, Some(c)) => c,
        _ => {
            problems.push(problem(
                field,
                path,
                1,
                "expected exactly one of the columns 'rate_per_h' or 'volume'".into(),
            ));
            return Err(problems);
        }
    };
    let per_day = (24 * 60 / interval_min) as usize;
    let mut rates = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                problems.push(problem(field, path, line, format!("unreadable row: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(line, |p| p.line() as usize);
        let expected_day = row / per_day;
        let expected_start = (row % per_day) as u32 * interval_min;
        match record.get(start_col).and_then(parse_hhmm) {
            Some(m) if m == expected_start => {}
            Some(_) | None => problems.push(problem(
                field,
                path,
                line,
                format!(
                    "column 'start' is '{}': expected {:02}:{:02} (rows run from 00:00 in steps of {interval_min} minutes)",
                    excerpt(record.get(start_col).unwrap_or("")),
                    expected_start / 60,
                    expected_start % 60
                ),
            )),
        }
        if let Some(wc) = weekday_col {
            let text = record.get(wc).unwrap_or("");
            if weekday_index(text) != Some(expected_day) {
                problems.push(problem(
                    field,
                    path,
                    line,
                    format!(
                        "column 'weekday' is '{text}': expected {} (weeks run Monday to Sunday)",
                        WEEKDAYS.get(expected_day).unwrap_or(&"no more rows"),
                        text = excerpt(text)
                    ),
                ));
            }
        }
        let text = record.get(value_col).unwrap_or("");
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 && (v * 60.0).is_finite() => {
                let per_h = if Some(value_col) == volume_col {
                    v * 60.0 / f64::from(interval_min)
                } else {
                    v
                };
                rates.push(per_h);
            }
            _ => problems.push(problem(
                field,
                path,
                line,
                format!(
                    "column '{}' is '{text}': expected a number ≥ 0",
                    headers.get(value_col).unwrap_or(""),
                    text = excerpt(text)
                ),
            )),
        }
    }
    let want = if weekday_col.is_some() {
        7 * per_day
    } else {
        per_day
    };
    if problems.is_empty() && rates.len() != want {
        problems.push(problem(
            field,
            path,
            rates.len() + 1,
            format!(
                "{} rows: expected {want} ({} of {interval_min} minutes)",
                rates.len(),
                if weekday_col.is_some() {
                    "seven days"
                } else {
                    "one day"
                }
            ),
        ));
    }
    if problems.is_empty() {
        Ok(rates)
    } else {
        Err(problems)
    }
}

/// A CSV file read into memory (within the input size cap).
pub type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// Opens a CSV file (cells trimmed) and reads its header; problems name `field` and the file.
pub fn open_csv(
    path: &Path,
    what: &str,
    field: &FieldPath,
) -> Result<(CsvReader, csv::StringRecord), Vec<Problem>> {
    let bytes = super::input_file::read_bytes(path).map_err(|reason| {
        vec![Problem::new(
            field.clone(),
            format!("cannot read {what} {}: {reason}", path.display()),
        )]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(std::io::Cursor::new(bytes));
    let headers = reader
        .headers()
        .map_err(|e| vec![problem(field, path, 1, format!("bad CSV header: {e}"))])?
        .clone();
    Ok((reader, headers))
}

/// The columns of a header as an error may show them: at most 12, and only when every one
/// looks like a column name. The first line of a file that is not CSV at all (a key file, the
/// environment) is never echoed.
pub fn shown_columns(headers: &csv::StringRecord) -> String {
    if !headers.iter().all(name_like) {
        return "the first line is not a list of column names".into();
    }
    let mut shown: Vec<String> = headers.iter().take(12).map(str::to_string).collect();
    if headers.len() > 12 {
        shown.push(format!("… {} more", headers.len() - 12));
    }
    shown.join(", ")
}

/// A header cell as an error may show it: itself if it looks like a column name, otherwise
/// only that it does not (see [`shown_columns`]).
pub fn shown_column(h: &str) -> String {
    if name_like(h) {
        h.to_string()
    } else {
        "(a first line that is not column names)".into()
    }
}

fn name_like(h: &str) -> bool {
    h.chars().count() <= 40
        && h.chars()
            .all(|c| c.is_alphanumeric() || " _-.()%/".contains(c))
}

/// Reads the column `column` of `path` as durations in seconds (≥ 0).
pub fn read_durations(
    path: &Path,
    column: &str,
    field: &FieldPath,
) -> Result<Vec<f64>, Vec<Problem>> {
    let (mut reader, headers) = open_csv(path, "CSV", field)?;
    let Some(col) = headers.iter().position(|h| h == column) else {
        return Err(vec![problem(
            field,
            path,
            1,
            format!(
                "no column '{}' (columns: {})",
                excerpt(column),
                shown_columns(&headers)
            ),
        )]);
    };
    let mut values = Vec::new();
    let mut problems = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        match record {
            Ok(r) => match r.get(col).unwrap_or("").parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => values.push(v),
                _ => problems.push(problem(
                    field,
                    path,
                    line,
                    format!(
                        "column '{column}' is '{}': expected seconds ≥ 0",
                        excerpt(r.get(col).unwrap_or(""))
                    ),
                )),
            },
            Err(e) => problems.push(problem(field, path, line, format!("unreadable row: {e}"))),
        }
    }
    if problems.is_empty() && values.is_empty() {
        problems.push(problem(
            field,
            path,
            2,
            "no observations: expected at least one row".into(),
        ));
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_and_weekdays() {
        assert_eq!(parse_hhmm("08:30"), Some(510));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        assert_eq!(parse_hhmm("24:01"), None);
        assert_eq!(parse_hhmm("8:5"), None);
        assert_eq!(weekday_index("Monday"), Some(0));
        assert_eq!(weekday_index("sun"), Some(6));
        assert_eq!(weekday_index("mond"), None);
    }
}
