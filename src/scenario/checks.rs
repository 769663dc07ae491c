//! Checks of single fields and sub-tables (distributions, capacities, shifts, profiles), each
//! turning file values into model values and recording every problem with its field path.

use std::collections::HashSet;
use std::path::PathBuf;

use jiff::civil::{Time, Weekday};

use super::csv_input::{parse_hhmm, read_durations, read_profile, weekday_index};
use super::error::{FieldPath, Problem};
use super::file::{CapacityFile, DistFile, ProfileFile, ScenarioFile, SegmentFile, ShiftFile};
use super::input_file::FileRoot;
use crate::model::arrival_rate::{ArrivalRate, RateProfile, Repeat};
use crate::model::calendar::{WeeklyPattern, WeeklySpan};
use crate::model::capacity::{CapacityOverride, VOICE_CAPACITY};
use crate::model::distribution::DurationDist;

/// What is wrong with `name` as a name the reports will show, if anything.
///
/// Names reach the CSV reports a planner opens in a spreadsheet, and the tables printed to a
/// terminal. A cell that begins with `=`, `+`, `-` or `@` is read by spreadsheets as a formula
/// (OWASP's "CSV injection"), and a control character can rewrite a terminal's screen. Scenario
/// files come from pull requests in CI, so such names are refused here rather than escaped on
/// the way out (an escaped name would no longer match the scenario's in the reports).
pub(super) fn unsafe_name(name: &str) -> Option<String> {
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "a name may not hold control characters (found U+{:04X}): use letters, digits, \
             spaces and punctuation",
            c as u32
        ));
    }
    let first = name.chars().next()?;
    matches!(first, '=' | '+' | '-' | '@').then(|| {
        format!(
            "'{name}' begins with '{first}', which a spreadsheet opening the reports would run \
             as a formula: begin the name with a letter or a digit"
        )
    })
}

/// Largest capacity accepted in one category.
pub const MAX_CAPACITY: i64 = 1_000;

/// Collects problems while checking.
pub(super) struct Checker<'a> {
    pub(super) problems: Vec<Problem>,
    pub(super) files: &'a FileRoot,
}

impl Checker<'_> {
    pub(super) fn fail(&mut self, path: FieldPath, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// The file `named` at `field`, resolved by the path rules ([`FileRoot::resolve`]); a
    /// refusal is a problem at `field`.
    pub(super) fn named_file(&mut self, field: &FieldPath, named: &str) -> Option<PathBuf> {
        self.files
            .resolve(named)
            .map_err(|m| self.fail(field.clone(), m))
            .ok()
    }

    pub(super) fn positive(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if value.is_finite() && value > 0.0 {
            true
        } else {
            self.fail(path, format!("{what} is {value}: expected a number > 0"));
            false
        }
    }

    pub(super) fn non_negative(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if value.is_finite() && value >= 0.0 {
            true
        } else {
            self.fail(path, format!("{what} is {value}: expected a number ≥ 0"));
            false
        }
    }

    /// A list of named entries (`what`, e.g. "queues") that must not be empty and whose names
    /// must be unique and non-empty.
    pub(super) fn named_list<'n>(
        &mut self,
        path: &FieldPath,
        what: &str,
        names: impl ExactSizeIterator<Item = &'n str>,
    ) {
        if names.len() == 0 {
            self.fail(path.clone(), format!("no {what}: expected at least one"));
        }
        self.unique(path, "name", names);
    }

    pub(super) fn unique<'n>(
        &mut self,
        path: &FieldPath,
        field: &str,
        names: impl Iterator<Item = &'n str>,
    ) {
        let mut seen = HashSet::new();
        for (i, name) in names.enumerate() {
            if name.trim().is_empty() {
                self.fail(path.index(i).key(field), "empty name");
            } else if let Some(problem) = unsafe_name(name) {
                self.fail(path.index(i).key(field), problem);
            } else if !seen.insert(name) {
                self.fail(path.index(i).key(field), format!("duplicate name '{name}'"));
            }
        }
    }

    pub(super) fn dist(&mut self, path: FieldPath, dist: &DistFile) -> Option<DurationDist> {
        const MS: f64 = 1000.0;
        match dist {
            DistFile::Exponential { mean_s } => self
                .positive(path.key("mean_s"), *mean_s, "mean_s")
                .then(|| DurationDist::Exponential {
                    mean_ms: mean_s * MS,
                }),
            DistFile::Lognormal { mean_s, sd_s } => {
                let ok = self.positive(path.key("mean_s"), *mean_s, "mean_s")
                    & self.positive(path.key("sd_s"), *sd_s, "sd_s");
                ok.then(|| DurationDist::lognormal_from_mean_sd(mean_s * MS, sd_s * MS))
            }
            DistFile::Constant { value_s } => self
                .non_negative(path.key("value_s"), *value_s, "value_s")
                .then(|| DurationDist::Constant {
                    ms: (value_s * MS).round() as u64,
                }),
            DistFile::Empirical {
                values_s,
                csv,
                column,
            } => {
                let values = match (values_s, csv) {
                    (Some(v), None) => {
                        if v.is_empty() {
                            self.fail(
                                path.key("values_s"),
                                "no observations: expected at least one",
                            );
                            return None;
                        }
                        let mut ok = true;
                        for (i, x) in v.iter().enumerate() {
                            ok &=
                                self.non_negative(path.key("values_s").index(i), *x, "observation");
                        }
                        ok.then(|| v.clone())?
                    }
                    (None, Some(file)) => {
                        let Some(column) = column else {
                            self.fail(
                                path.key("column"),
                                "missing: expected the CSV column that holds seconds",
                            );
                            return None;
                        };
                        let file_path = self.named_file(&path.key("csv"), file)?;
                        match read_durations(&file_path, column, &path.key("csv")) {
                            Ok(v) => v,
                            Err(p) => {
                                self.problems.extend(p);
                                return None;
                            }
                        }
                    }
                    _ => {
                        self.fail(path, "expected exactly one of values_s or csv");
                        return None;
                    }
                };
                Some(DurationDist::Empirical {
                    samples_ms: values.iter().map(|s| (s * MS).round() as u64).collect(),
                })
            }
        }
    }

    pub(super) fn capacity(&mut self, path: &FieldPath, file: &CapacityFile) -> CapacityOverride {
        let mut one = |name: &str, v: Option<i64>| -> Option<u32> {
            let v = v?;
            if (1..=MAX_CAPACITY).contains(&v) {
                Some(v as u32)
            } else {
                self.fail(
                    path.key(name),
                    format!("capacity {v}: expected 1 to {MAX_CAPACITY} conversations"),
                );
                None
            }
        };
        let over = CapacityOverride {
            live_messaging: one("live_messaging", file.live_messaging),
            live_chat: one("live_chat", file.live_chat),
            email: one("email", file.email),
        };
        // CAP-3: voice capacity is always 1 and cannot be changed.
        if let Some(v) = file.voice_video
            && v != i64::from(VOICE_CAPACITY)
        {
            self.fail(
                path.key("voice_video"),
                format!(
                    "capacity {v}: voice/video capacity is always 1 and cannot be changed (CAP-3)"
                ),
            );
        }
        over
    }

    pub(super) fn shift(&mut self, path: &FieldPath, shifts: &[ShiftFile]) -> WeeklyPattern {
        let mut spans = Vec::new();
        if shifts.is_empty() {
            self.fail(
                path.clone(),
                "empty shift list: leave `shift` out for agents who are always on",
            );
        }
        for (i, s) in shifts.iter().enumerate() {
            let p = path.index(i);
            let start = parse_hhmm(&s.start).filter(|&m| m < 24 * 60);
            let end = parse_hhmm(&s.end);
            if start.is_none() {
                self.fail(
                    p.key("start"),
                    format!(
                        "'{}': expected a local time HH:MM from 00:00 to 23:59",
                        s.start
                    ),
                );
            }
            if end.is_none() {
                self.fail(
                    p.key("end"),
                    format!(
                        "'{}': expected a local time HH:MM from 00:00 to 24:00",
                        s.end
                    ),
                );
            }
            if s.days.is_empty() {
                self.fail(
                    p.key("days"),
                    "no days: expected weekdays such as [\"mon\", \"tue\"]",
                );
            }
            let mut weekdays = Vec::new();
            for (d, day) in s.days.iter().enumerate() {
                match weekday_index(day) {
                    Some(w) => {
                        weekdays.push(Weekday::from_monday_zero_offset(w as i8).expect("0..7"))
                    }
                    None => self.fail(
                        p.key("days").index(d),
                        format!("'{day}': expected mon, tue, wed, thu, fri, sat or sun"),
                    ),
                }
            }
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            // An end at or before the start runs past midnight.
            let length_min = if end > start {
                end - start
            } else {
                end + 24 * 60 - start
            };
            let start_time =
                Time::new((start / 60) as i8, (start % 60) as i8, 0, 0).expect("valid");
            for weekday in weekdays {
                spans.push(WeeklySpan {
                    weekday,
                    start: start_time,
                    length_min,
                });
            }
        }
        WeeklyPattern { spans }
    }

    /// A queue's `service_level_s_by_channel`: each name a channel of the scenario, each
    /// threshold ≥ 0 s, and channels of one kind alike (thresholds are kept per kind).
    pub(super) fn channel_thresholds(
        &mut self,
        p: &FieldPath,
        q: &super::file::QueueFile,
        channels: &std::collections::HashMap<&str, crate::model::channel::ChannelKind>,
    ) -> Vec<(crate::model::channel::ChannelKind, u64)> {
        let mut out: Vec<(crate::model::channel::ChannelKind, u64)> = Vec::new();
        for (name, &seconds) in &q.service_level_s_by_channel {
            let at = p.key("service_level_s_by_channel").key(name);
            let Some(&kind) = channels.get(name.as_str()) else {
                let mut known: Vec<&str> = channels.keys().copied().collect();
                known.sort_unstable();
                self.fail(
                    at,
                    format!(
                        "unknown channel '{name}': expected one of {}",
                        known.join(", ")
                    ),
                );
                continue;
            };
            if !self.non_negative(at.clone(), seconds, "threshold") {
                continue;
            }
            let ms = (seconds * 1000.0).round() as u64;
            match out.iter().find(|(k, _)| *k == kind) {
                Some(&(_, other)) if other != ms => self.fail(
                    at,
                    format!(
                        "{seconds} s: another {} channel of this queue has {} s; channels of one kind share a threshold",
                        kind.as_str(),
                        other as f64 / 1000.0
                    ),
                ),
                Some(_) => {}
                None => out.push((kind, ms)),
            }
        }
        out
    }

    /// A segment's arrival rate: its own `rate_per_h` or `profile`, the rows a dated forecast
    /// gives it (`from_forecast`; `forecast_read` says whether the scenario's forecast could be
    /// read), or none while a trace replays arrivals.
    pub(super) fn arrival_rate(
        &mut self,
        p: &FieldPath,
        s: &SegmentFile,
        file: &ScenarioFile,
        forecast_read: bool,
        from_forecast: Option<&super::forecast::SegmentForecast>,
    ) -> Option<ArrivalRate> {
        match (s.rate_per_h, &s.profile) {
            (Some(r), None) => self
                .non_negative(p.key("rate_per_h"), r, "rate_per_h")
                .then_some(ArrivalRate::Constant { rate_per_h: r }),
            (None, Some(profile)) => self
                .profile(p.key("profile"), profile)
                .map(ArrivalRate::Profile),
            // Replaying a trace, the trace says when customers come.
            (None, None) if file.trace.is_some() => Some(ArrivalRate::Constant { rate_per_h: 0.0 }),
            (None, None) if from_forecast.is_some() => {
                from_forecast.map(|f| ArrivalRate::Dated(f.rate.clone()))
            }
            // A forecast that could not be read has said why.
            (None, None) if file.forecast.is_some() && !forecast_read => None,
            (None, None) if file.forecast.is_some() => {
                self.fail(
                    p.clone(),
                    format!(
                        "no rate_per_h or profile, and the [forecast] has no rows for it: give it one, or rows whose queue column is '{}'{}",
                        s.name,
                        s.queue
                            .as_deref()
                            .map(|q| format!(" (or '{q}', if no other segment feeds that queue)"))
                            .unwrap_or_default()
                    ),
                );
                None
            }
            _ => {
                self.fail(
                    p.clone(),
                    "expected exactly one of rate_per_h or profile (or neither, with a [forecast] or a [trace])",
                );
                None
            }
        }
    }

    pub(super) fn profile(&mut self, path: FieldPath, p: &ProfileFile) -> Option<RateProfile> {
        if ![15, 30, 60].contains(&p.interval_min) {
            self.fail(
                path.key("interval_min"),
                format!("{}: expected 15, 30 or 60 minutes", p.interval_min),
            );
            return None;
        }
        self.non_negative(path.key("scale"), p.scale, "scale");
        let per_day = (24 * 60 / p.interval_min) as usize;
        let rates = match (&p.rates_per_h, &p.csv) {
            (Some(r), None) => {
                let mut ok = true;
                for (i, v) in r.iter().enumerate() {
                    ok &= self.non_negative(path.key("rates_per_h").index(i), *v, "rate");
                }
                if r.len() != per_day && r.len() != 7 * per_day {
                    self.fail(path.key("rates_per_h"), format!("{} values: expected {per_day} (one day of {}-minute intervals) or {} (a week, Monday first)", r.len(), p.interval_min, 7 * per_day));
                    ok = false;
                }
                ok.then(|| r.clone())?
            }
            (None, Some(file)) => match read_profile(
                &self.named_file(&path.key("csv"), file)?,
                p.interval_min,
                &path.key("csv"),
            ) {
                Ok(r) => r,
                Err(problems) => {
                    self.problems.extend(problems);
                    return None;
                }
            },
            _ => {
                self.fail(path, "expected exactly one of rates_per_h or csv");
                return None;
            }
        };
        let repeat = if rates.len() == per_day {
            Repeat::Daily
        } else {
            Repeat::Weekly
        };
        Some(RateProfile {
            interval_min: p.interval_min,
            rates_per_h: rates.iter().map(|r| r * p.scale).collect(),
            repeat,
        })
    }
}
