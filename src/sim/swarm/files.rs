//! The files a generated scenario may name, drawn as WFM tools write them: a dated forecast
//! (`[forecast]`) for one arrival segment and dated schedules (`schedule_csv`) for agent
//! groups. Each is drawn in the spellings the readers accept (separators, decimal commas, date
//! formats, `HH:MM` or `HH:MM:SS` or interval numbers, `MM:SS` AHT, blank cells, missing rows,
//! days off, split shifts and shifts past midnight) and over a day more than the run on each
//! side, so rows outside the run and the nights the clocks change are exercised too.
//!
//! Files are named `swarm-<seed>-….csv`, so a failing seed's scenario and its files can be
//! written side by side and replayed as they are.

use std::fmt::Write as _;

use jiff::civil::Date;

use super::draw::Draw;

/// A file of a generated scenario: its name (beside the scenario) and its text.
pub type GeneratedFile = (String, String);

/// The dates a file covers: from the day before the run's first to the day after its last.
fn dates(start: &str, days: f64) -> Vec<Date> {
    let first: Date = start[..10]
        .parse()
        .expect("the generator's start dates are valid");
    let count = days.ceil() as i64 + 2;
    (-1..count)
        .filter_map(|k| first.checked_add(jiff::Span::new().days(k)).ok())
        .collect()
}

/// `HH:MM` or `HH:MM:SS` for minute of the day `minute`.
fn clock(minute: u32, with_seconds: bool) -> String {
    if with_seconds {
        format!("{:02}:{:02}:00", minute / 60, minute % 60)
    } else {
        format!("{:02}:{:02}", minute / 60, minute % 60)
    }
}

/// A dated forecast for segment `segment` of a run from `start` (local, `YYYY-MM-DDTHH:MM`)
/// lasting `days`: the scenario's `[forecast]` section and the file. `only_unrated` says the
/// segment is the only one without a rate of its own (the file may then leave the queue
/// column out).
pub(super) fn forecast(
    d: &mut Draw,
    seed: u64,
    start: &str,
    days: f64,
    segment: &str,
    only_unrated: bool,
) -> (String, GeneratedFile) {
    let name = format!("swarm-{seed}-forecast.csv");
    let interval_min = *d.pick(&[15u32, 30, 60]);
    let (sep, decimal_comma) = match d.int(0, 3) {
        0 => (",", false),
        1 => (";", true),
        2 => ("\t", false),
        _ => ("|", d.chance(0.5)),
    };
    let date_format = *d.pick(&["%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%m%d%Y"]);
    let in_utc = d.chance(0.25);
    let own_names = d.chance(0.4);
    let with_queue = !only_unrated || d.chance(0.5);
    let with_aht = d.chance(0.5);
    let start_as = d.int(0, 2); // 0 HH:MM, 1 HH:MM:SS, 2 interval number
    let names = if own_names {
        ["Date", "Interval", "Segment", "Offered", "AHT"]
    } else {
        ["date", "start", "queue", "volume", "aht_s"]
    };

    let mut section = format!("[forecast]\ncsv = \"{name}\"\ninterval_min = {interval_min}\n");
    let _ = writeln!(section, "date_format = \"{date_format}\"");
    if in_utc {
        let _ = writeln!(section, "time_zone = \"UTC\"");
    }
    if d.chance(0.3) {
        let _ = writeln!(section, "scale = {}", d.real(0.5, 2.0));
    }
    if own_names {
        let _ = write!(
            section,
            "columns = {{ date = \"Date\", start = \"Interval\", volume = \"Offered\""
        );
        if with_queue {
            let _ = write!(section, ", queue = \"Segment\"");
        }
        if with_aht {
            let _ = write!(section, ", aht = \"AHT\"");
        }
        section.push_str(" }\n");
    }
    if sep != "," && d.chance(0.5) {
        let _ = writeln!(section, "delimiter = \"{}\"", sep.replace('\t', "\\t"));
    }

    let mut header: Vec<&str> = vec![names[0], names[1]];
    if with_queue {
        header.push(names[2]);
    }
    header.push(names[3]);
    if with_aht {
        header.push(names[4]);
    }
    let mut csv = header.join(sep) + "\n";
    // Open hours: all day in UTC files (so some rows fall inside the run whatever the
    // scenario's zone), else a window that starts early enough for a half-day run.
    let (open_from, open_to) = if in_utc || d.chance(0.3) {
        (0, 24 * 60)
    } else {
        let from = d.int(0, 8) * 60;
        (from, (from + d.int(8, 16) * 60).min(24 * 60))
    };
    let number = |x: f64| {
        let s = x.to_string();
        if decimal_comma {
            s.replace('.', ",")
        } else {
            s
        }
    };
    for (k, date) in dates(start, days).into_iter().enumerate() {
        let date_cell = date.strftime(date_format).to_string();
        let mut minute = open_from - open_from % interval_min;
        while minute < open_to {
            // The run's first open interval always has its row; others may be missing.
            let first_in_run = k == 1 && minute == open_from - open_from % interval_min;
            if first_in_run || d.chance(0.85) {
                let start_cell = match start_as {
                    0 => clock(minute, false),
                    1 => clock(minute, true),
                    _ => (minute / interval_min + 1).to_string(),
                };
                let mut cells = vec![date_cell.clone(), start_cell];
                if with_queue {
                    cells.push(segment.to_string());
                }
                let volume = if d.chance(0.1) {
                    0.0
                } else {
                    d.real(0.0, 8.0 * interval_min as f64 / 60.0)
                };
                cells.push(number(volume));
                if with_aht {
                    cells.push(match d.int(0, 4) {
                        0 => String::new(),
                        1 => {
                            let s = d.int(20, 900);
                            format!("{:02}:{:02}", s / 60, s % 60)
                        }
                        _ => number(d.real(20.0, 900.0)),
                    });
                }
                csv += &cells.join(sep);
                csv.push('\n');
            }
            minute += interval_min;
        }
    }
    (section, (name, csv))
}

/// A dated schedule for group `group` of `count` counted agents (`<group>-1` …): the line to
/// add to the group and the file.
pub(super) fn schedule(
    d: &mut Draw,
    seed: u64,
    group: &str,
    count: u32,
    start: &str,
    days: f64,
) -> (String, GeneratedFile) {
    let name = format!("swarm-{seed}-schedule-{group}.csv");
    let date_format = *d.pick(&["%Y-%m-%d", "%d.%m.%Y"]);
    let sep = *d.pick(&[",", ";"]);
    let with_seconds = d.chance(0.3);
    let mut line = format!("schedule_csv = \"{name}\"\n");
    if date_format != "%Y-%m-%d" {
        let _ = writeln!(line, "schedule_date_format = \"{date_format}\"");
    }
    let mut csv = ["agent_id", "date", "start", "end"].join(sep) + "\n";
    let dates = dates(start, days);
    for agent in 1..=count {
        // Some agents keep their weekly shift only.
        if d.chance(0.2) {
            continue;
        }
        for date in &dates {
            let date_cell = date.strftime(date_format).to_string();
            let row =
                |a: &str, b: &str| format!("{group}-{agent}{sep}{date_cell}{sep}{a}{sep}{b}\n");
            match d.int(0, 9) {
                0..=1 => {} // no row: the weekly shift holds
                2 => csv += &row("", ""),
                3 => csv += &row("off", "off"),
                4 => {
                    // A split shift: two spans the same day.
                    let first = d.int(6, 10) * 60;
                    let second = first + d.int(4, 6) * 60;
                    csv += &row(
                        &clock(first, with_seconds),
                        &clock(first + d.int(2, 3) * 60, with_seconds),
                    );
                    csv += &row(
                        &clock(second, with_seconds),
                        &clock((second + d.int(2, 4) * 60).min(23 * 60 + 45), with_seconds),
                    );
                }
                _ => {
                    // One shift, in quarter hours; late ones run past midnight.
                    let from = d.int(0, 90) * 15;
                    let to = (from + d.int(8, 40) * 15) % (24 * 60);
                    csv += &row(&clock(from, with_seconds), &clock(to, with_seconds));
                }
            }
        }
    }
    (line, (name, csv))
}
