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

/// Seconds since midnight of a clock time as WFM tools write it: `H:MM`, `HH:MM` or
/// `HH:MM:SS` (00:00 ..= 24:00).
pub fn parse_clock_s(text: &str) -> Option<u32> {
    let t = text.trim();
    let (hm, sec) = match t.matches(':').count() {
        1 => (t, 0),
        2 => {
            let (hm, s) = t.rsplit_once(':')?;
            if s.len() != 2 {
                return None;
            }
            let s: u32 = s.parse().ok()?;
            (hm, s)
        }
        _ => return None,
    };
    let minutes = parse_hhmm(hm)?;
    let total = minutes * 60 + sec;
    (sec < 60 && total <= 24 * 3600).then_some(total)
}

fn problem(field: &FieldPath, file: &Path, line: usize, message: String) -> Problem {
    Problem {
        path: field.clone(),
        message,
        in_file: Some((file.to_path_buf(), line)),
    }
}

/// How many problems of one kind a file reports row by row before it sums up the rest: a
/// file with one mistake repeated on every row gets a handful of located errors and a count,
/// not a flood.
const SHOWN_PER_KIND: usize = 5;

/// Problems of one CSV file, grouped by kind (usually the column) so each kind shows its first
/// few rows and then one line that counts the rest.
pub struct RowProblems {
    field: FieldPath,
    path: std::path::PathBuf,
    shown: Vec<Problem>,
    /// Per kind: rows reported, and the rows held back with their first and last line.
    kinds: Vec<(String, usize, usize, usize, usize)>,
}

impl RowProblems {
    /// Problems of the file at `path`, read for `field`.
    pub fn new(field: &FieldPath, path: &Path) -> Self {
        Self {
            field: field.clone(),
            path: path.to_path_buf(),
            shown: Vec::new(),
            kinds: Vec::new(),
        }
    }

    /// A problem on `line`, of kind `kind` (e.g. "column 'start'").
    pub fn add(&mut self, kind: &str, line: usize, message: String) {
        let i = match self.kinds.iter().position(|k| k.0 == kind) {
            Some(i) => i,
            None => {
                self.kinds.push((kind.to_string(), 0, 0, 0, 0));
                self.kinds.len() - 1
            }
        };
        let k = &mut self.kinds[i];
        if k.1 < SHOWN_PER_KIND {
            k.1 += 1;
            self.shown
                .push(problem(&self.field, &self.path, line, message));
        } else {
            if k.2 == 0 {
                k.3 = line;
            }
            k.2 += 1;
            k.4 = line;
        }
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// Every problem, with one summing-up line per kind that had more rows than shown.
    pub fn finish(mut self) -> Vec<Problem> {
        for (kind, _, held, first, last) in &self.kinds {
            if *held > 0 {
                self.shown.push(problem(
                    &self.field,
                    &self.path,
                    *first,
                    format!(
                        "and {held} more row{} with the same problem in {kind} (lines {first}–{last})",
                        if *held == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        self.shown
    }
}

/// Reads an arrival profile: columns `start` (`HH:MM` or `HH:MM:SS`), optional `weekday`, and
/// `rate_per_h` or `volume` (contacts per interval). One day (without `weekday`) or seven days
/// Monday first (with it) of `interval_min` intervals; rows may come in any order, and an
/// interval without a row has no arrivals (WFM exports often list opening hours only).
/// Returns the rates per hour of every interval.
pub fn read_profile(
    path: &Path,
    interval_min: u32,
    field: &FieldPath,
) -> Result<Vec<f64>, Vec<Problem>> {
    let (mut reader, headers, delimiter) = open_csv(path, "CSV profile", field, None)?;
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (start_col, weekday_col) = (col("start"), col("weekday"));
    let (rate_col, volume_col) = (col("rate_per_h"), col("volume"));
    let mut header_problems = Vec::new();
    if col("date").is_some() {
        header_problems.push(problem(
            field,
            path,
            1,
            "a 'date' column: a dated forecast goes in the scenario's [forecast] section, which reads dates, queues and handle times; a profile is one day or one week that repeats".into(),
        ));
    }
    let known = ["start", "weekday", "rate_per_h", "volume", "date"];
    for h in headers.iter() {
        if !known.iter().any(|k| h.eq_ignore_ascii_case(k)) {
            header_problems.push(problem(
                field,
                path,
                1,
                format!(
                    "unknown column '{h}': expected start, weekday, and rate_per_h or volume{}",
                    delimiter.hint(),
                    h = shown_column(h)
                ),
            ));
        }
    }
    let Some(start_col) = start_col else {
        header_problems.push(problem(
            field,
            path,
            1,
            format!("missing column 'start' (HH:MM){}", delimiter.hint()),
        ));
        return Err(header_problems);
    };
    let value_col = match (rate_col, volume_col) {
        (Some(c), None) => c,
        (None, Some(c)) => c,
        _ => {
            header_problems.push(problem(
                field,
                path,
                1,
                "expected exactly one of the columns 'rate_per_h' or 'volume'".into(),
            ));
            return Err(header_problems);
        }
    };
    if !header_problems.is_empty() {
        return Err(header_problems);
    }
    let per_day = (24 * 60 / interval_min) as usize;
    let days = if weekday_col.is_some() { 7 } else { 1 };
    let mut rates = vec![0.0; days * per_day];
    // The line that gave each interval its value, to name both rows of a duplicate.
    let mut given_on = vec![0usize; days * per_day];
    let mut problems = RowProblems::new(field, path);
    let value_name = headers.get(value_col).unwrap_or("").to_string();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                problems.add("the file", line, format!("unreadable row: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(line, |p| p.line() as usize);
        let start_text = record.get(start_col).unwrap_or("");
        let slot = match parse_clock_s(start_text) {
            Some(s) if s < 24 * 3600 && s.is_multiple_of(interval_min * 60) => {
                Some((s / (interval_min * 60)) as usize)
            }
            Some(s) if s < 24 * 3600 => {
                problems.add(
                    "column 'start'",
                    line,
                    format!(
                        "column 'start' is '{}': not the start of a {interval_min}-minute interval (set the profile's interval_min to the file's interval length)",
                        excerpt(start_text)
                    ),
                );
                None
            }
            _ => {
                problems.add(
                    "column 'start'",
                    line,
                    format!(
                        "column 'start' is '{}': expected a time of day, HH:MM or HH:MM:SS, before 24:00",
                        excerpt(start_text)
                    ),
                );
                None
            }
        };
        let day = match weekday_col {
            None => Some(0),
            Some(wc) => {
                let text = record.get(wc).unwrap_or("");
                let day = weekday_index(text);
                if day.is_none() {
                    problems.add(
                        "column 'weekday'",
                        line,
                        format!(
                            "column 'weekday' is '{}': expected a weekday, mon … sun or Monday … Sunday",
                            excerpt(text)
                        ),
                    );
                }
                day
            }
        };
        let text = record.get(value_col).unwrap_or("");
        let value = match parse_number(text, delimiter) {
            Some(v) if v >= 0.0 && (v * 60.0).is_finite() => {
                Some(if Some(value_col) == volume_col {
                    v * 60.0 / f64::from(interval_min)
                } else {
                    v
                })
            }
            _ => {
                problems.add(
                    &format!("column '{value_name}'"),
                    line,
                    format!(
                        "column '{value_name}' is '{}': expected a number ≥ 0",
                        excerpt(text)
                    ),
                );
                None
            }
        };
        if let (Some(day), Some(slot), Some(value)) = (day, slot, value) {
            let i = day * per_day + slot;
            if given_on[i] != 0 {
                problems.add(
                    "duplicate intervals",
                    line,
                    format!(
                        "{} {} appears twice: on line {} and here",
                        weekday_col.map_or("the interval at", |_| WEEKDAYS[day]),
                        excerpt(start_text),
                        given_on[i]
                    ),
                );
            } else {
                given_on[i] = line;
                rates[i] = value;
            }
        }
    }
    if problems.is_empty() {
        Ok(rates)
    } else {
        Err(problems.finish())
    }
}

/// A number as spreadsheets write it: `12.5`, or `12,5` in a file whose cells are not
/// separated by commas (the decimal comma of many European locales).
pub fn parse_number(text: &str, delimiter: Delimiter) -> Option<f64> {
    let t = text.trim();
    let v = match t.parse::<f64>() {
        Ok(v) => v,
        Err(_) if delimiter.byte != b',' && t.matches(',').count() == 1 && !t.contains('.') => {
            t.replace(',', ".").parse::<f64>().ok()?
        }
        Err(_) => return None,
    };
    v.is_finite().then_some(v)
}

/// The character that separates a CSV file's cells, and whether it was detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter {
    /// The separator.
    pub byte: u8,
    /// Detected from the first line (not named in the scenario).
    pub detected: bool,
}

impl Delimiter {
    /// The separator as a user names it.
    pub fn name(self) -> &'static str {
        match self.byte {
            b',' => "comma",
            b';' => "semicolon",
            b'\t' => "tab",
            b'|' => "pipe (|)",
            _ => "separator",
        }
    }

    /// What an error about the header adds: which separator the columns were read with.
    pub fn hint(self) -> String {
        format!(
            " (columns read as separated by {}{})",
            if self.detected { "" } else { "a " },
            if self.detected {
                format!("a {}, detected from the first line", self.name())
            } else {
                self.name().to_string()
            }
        )
    }

    /// A separator named in a scenario: `,` `;` `|` or `tab` (also `\t`).
    pub fn named(text: &str) -> Option<Self> {
        let byte = match text {
            "," | "comma" => b',',
            ";" | "semicolon" => b';',
            "|" | "pipe" => b'|',
            "tab" | "\t" | "\\t" => b'\t',
            _ => return None,
        };
        Some(Self {
            byte,
            detected: false,
        })
    }

    /// The separator of a file whose first line is in `bytes`: of comma, semicolon, tab and
    /// pipe, the one that line holds most often outside quotes (a comma on a tie or when it
    /// holds none: a one-column file).
    pub fn detect(bytes: &[u8]) -> Self {
        let line = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0), (b'|', 0)];
        let mut quoted = false;
        for &b in line {
            if b == b'"' {
                quoted = !quoted;
            } else if !quoted && let Some(c) = counts.iter_mut().find(|c| c.0 == b) {
                c.1 += 1;
            }
        }
        let best = counts
            .iter()
            .fold((b',', 0), |best, c| if c.1 > best.1 { *c } else { best });
        Self {
            byte: best.0,
            detected: true,
        }
    }
}

/// A CSV file read into memory (within the input size cap).
pub type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// Opens a CSV file (cells trimmed) and reads its header; problems name `field` and the file.
/// The separator is `delimiter` if the scenario names one, else detected from the first line
/// (comma, semicolon, tab or pipe), so files saved by spreadsheets in any locale read alike.
pub fn open_csv(
    path: &Path,
    what: &str,
    field: &FieldPath,
    delimiter: Option<Delimiter>,
) -> Result<(CsvReader, csv::StringRecord, Delimiter), Vec<Problem>> {
    let bytes = super::input_file::read_bytes(path).map_err(|reason| {
        vec![Problem::new(
            field.clone(),
            format!("cannot read {what} {}: {reason}", path.display()),
        )]
    })?;
    let delimiter = delimiter.unwrap_or_else(|| Delimiter::detect(&bytes));
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .delimiter(delimiter.byte)
        .from_reader(std::io::Cursor::new(bytes));
    let headers = reader
        .headers()
        .map_err(|e| vec![problem(field, path, 1, format!("bad CSV header: {e}"))])?
        .clone();
    Ok((reader, headers, delimiter))
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
    let (mut reader, headers, delimiter) = open_csv(path, "CSV", field, None)?;
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
            Ok(r) => match parse_number(r.get(col).unwrap_or(""), delimiter) {
                Some(v) if v >= 0.0 => values.push(v),
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
        assert_eq!(parse_clock_s("08:30:15"), Some(8 * 3600 + 30 * 60 + 15));
        assert_eq!(parse_clock_s("8:30"), Some(8 * 3600 + 30 * 60));
        assert_eq!(parse_clock_s("08:30:5"), None);
    }

    #[test]
    fn detects_the_separator_of_the_first_line() {
        assert_eq!(
            Delimiter::detect(b"weekday;start;volume\nmon;00:00;1,5").byte,
            b';'
        );
        assert_eq!(Delimiter::detect(b"a,b\n").byte, b',');
        assert_eq!(Delimiter::detect(b"\"x;y\",b\n").byte, b',');
        assert_eq!(Delimiter::detect(b"date|period|volume").byte, b'|');
        assert_eq!(Delimiter::detect(b"date\tperiod").byte, b'\t');
        assert_eq!(Delimiter::detect(b"volume\n3").byte, b',');
        let semi = Delimiter::detect(b";");
        assert_eq!(parse_number("1,5", semi), Some(1.5));
        assert_eq!(parse_number("1,5", Delimiter::detect(b",")), None);
    }
}
