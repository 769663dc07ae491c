//! Rosters from CSV, the form WFM tools export: one agent per row with its id, name, queues,
//! capacity per category and weekly shift pattern. Every bad row is reported with its line.
//!
//! Columns (header names, any order): `agent_id` (unique; names the agent's random streams),
//! `name`, `queues` (names separated by `;`), optional `capacity_live_messaging`,
//! `capacity_live_chat`, `capacity_email` (blank: the group's or system default), optional
//! `shift` (e.g. `mon-fri 08:00-16:00; sat 09:00-13:00`; blank: the group's shift).

use std::path::{Path, PathBuf};

use super::csv_input::{open_csv, shown_column, weekday_index};
use super::error::{FieldPath, Problem};
use super::file::{CapacityFile, ShiftFile};
use super::input_file::excerpt;

/// One agent of a roster file, unchecked beyond its shape.
#[derive(Debug, Clone)]
pub struct RosterRow {
    /// Line in the file.
    pub line: usize,
    /// Unique id.
    pub agent_id: String,
    /// Display name.
    pub name: String,
    /// Queue names.
    pub queues: Vec<String>,
    /// Capacity overrides.
    pub capacity: CapacityFile,
    /// Shift, if the row gives one.
    pub shift: Option<Vec<ShiftFile>>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const COLUMNS: [&str; 7] = [
    "agent_id",
    "name",
    "queues",
    "capacity_live_messaging",
    "capacity_live_chat",
    "capacity_email",
    "shift",
];

/// Parses a shift pattern: entries separated by `;`, each `<days> <HH:MM>-<HH:MM>` where days
/// are one weekday, a range `mon-fri` or a list `mon,wed,fri`.
pub fn parse_shift_pattern(text: &str) -> Result<Vec<ShiftFile>, String> {
    let mut shifts = Vec::new();
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let (days, times) = entry.split_once(char::is_whitespace).ok_or_else(|| {
            format!(
                "'{entry}': expected '<days> <HH:MM>-<HH:MM>', e.g. 'mon-fri 08:00-16:00'",
                entry = excerpt(entry)
            )
        })?;
        let (start, end) = times.trim().split_once('-').ok_or_else(|| {
            format!(
                "'{entry}': expected times as HH:MM-HH:MM",
                entry = excerpt(entry)
            )
        })?;
        let mut list = Vec::new();
        for part in days.split(',') {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (Some(a), Some(b)) = (weekday_index(from), weekday_index(to)) else {
                        return Err(format!(
                            "'{part}': expected a weekday range such as mon-fri",
                            part = excerpt(part)
                        ));
                    };
                    if b < a {
                        return Err(format!(
                            "'{part}': a range runs forward, Monday to Sunday",
                            part = excerpt(part)
                        ));
                    }
                    list.extend(WEEKDAYS[a..=b].iter().map(|d| d.to_string()));
                }
                None => list.push(part.to_string()),
            }
        }
        shifts.push(ShiftFile {
            days: list,
            start: start.trim().into(),
            end: end.trim().into(),
        });
    }
    if shifts.is_empty() {
        return Err("empty shift pattern".into());
    }
    Ok(shifts)
}

fn problem(field: &FieldPath, file: &Path, line: usize, message: String) -> Problem {
    Problem {
        path: field.clone(),
        message,
        in_file: Some((file.to_path_buf(), line)),
    }
}

/// Reads a roster file: the rows that parse, and every problem (file, line, column), so that a
/// caller can check the good rows further and report everything at once. A bad header or an
/// unreadable file gives no rows.
pub fn read_roster(path: &Path, field: &FieldPath) -> (Vec<RosterRow>, Vec<Problem>) {
    match read(path, field) {
        Ok(result) => result,
        Err(problems) => (Vec::new(), problems),
    }
}

fn read(path: &Path, field: &FieldPath) -> Result<(Vec<RosterRow>, Vec<Problem>), Vec<Problem>> {
    let (mut reader, headers, _) = open_csv(path, "roster", field, None)?;
    let mut problems = Vec::new();
    for h in headers.iter() {
        if !COLUMNS.contains(&h) {
            problems.push(problem(
                field,
                path,
                1,
                format!(
                    "unknown column '{h}': expected {}",
                    COLUMNS.join(", "),
                    h = shown_column(h)
                ),
            ));
        }
    }
    for required in ["agent_id", "name", "queues"] {
        if !headers.iter().any(|h| h == required) {
            problems.push(problem(
                field,
                path,
                1,
                format!("missing column '{required}'"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(field, path, line, format!("unreadable row: {e}")));
                continue;
            }
        };
        let get = |name: &str| {
            col(name)
                .and_then(|c| record.get(c))
                .unwrap_or("")
                .to_string()
        };
        let at = |column: &str| field.key(column);
        let agent_id = get("agent_id");
        if agent_id.is_empty() {
            problems.push(problem(
                &at("agent_id"),
                path,
                line,
                "empty agent_id".into(),
            ));
            continue;
        }
        let problems_before = problems.len();
        let queues: Vec<String> = get("queues")
            .split(';')
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty())
            .collect();
        if queues.is_empty() {
            problems.push(problem(
                &at("queues"),
                path,
                line,
                format!(
                    "agent '{agent_id}' has no queues: expected names separated by ';'",
                    agent_id = excerpt(&agent_id)
                ),
            ));
        }
        let mut capacity = CapacityFile::default();
        for (column, slot) in [
            ("capacity_live_messaging", &mut capacity.live_messaging),
            ("capacity_live_chat", &mut capacity.live_chat),
            ("capacity_email", &mut capacity.email),
        ] {
            let text = get(column);
            if text.is_empty() {
                continue;
            }
            match text.parse::<i64>() {
                Ok(v) => *slot = Some(v),
                Err(_) => problems.push(problem(
                    &at(column),
                    path,
                    line,
                    format!(
                        "'{text}': expected a whole number of conversations",
                        text = excerpt(&text)
                    ),
                )),
            }
        }
        let shift_text = get("shift");
        let shift = if shift_text.is_empty() {
            None
        } else {
            match parse_shift_pattern(&shift_text) {
                Ok(s) => Some(s),
                Err(e) => {
                    problems.push(problem(&at("shift"), path, line, e));
                    None
                }
            }
        };
        if problems.len() == problems_before {
            rows.push(RosterRow {
                line,
                agent_id,
                name: get("name"),
                queues,
                capacity,
                shift,
            });
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            field,
            path,
            2,
            "no agents: expected at least one row".into(),
        ));
    }
    Ok((rows, problems))
}

/// Moves problems found while checking a roster row into the roster file at the row's line.
pub fn relocate(problems: Vec<Problem>, file: &Path, line: usize) -> Vec<Problem> {
    problems
        .into_iter()
        .map(|mut p| {
            p.in_file = Some((PathBuf::from(file), line));
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_patterns_parse_ranges_lists_and_several_entries() {
        let s = parse_shift_pattern("mon-fri 08:00-16:00; sat,sun 10:00-14:00").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].days, vec!["mon", "tue", "wed", "thu", "fri"]);
        assert_eq!((s[0].start.as_str(), s[0].end.as_str()), ("08:00", "16:00"));
        assert_eq!(s[1].days, vec!["sat", "sun"]);
        assert!(parse_shift_pattern("fri-mon 08:00-16:00").is_err());
        assert!(parse_shift_pattern("mon 08:00").is_err());
        assert!(parse_shift_pattern("").is_err());
    }
}
