//! Checks a parsed [`ScenarioFile`] and turns it into a [`Scenario`]. Every problem is
//! collected (not just the first), each with the field path it concerns.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use jiff::civil::{DateTime, Time, Weekday};
use jiff::tz::TimeZone;

use super::Scenario;
use super::csv_input::{parse_hhmm, read_durations, read_profile, resolve, weekday_index};
use super::error::{FieldPath, Problem};
use super::file::{AgentGroupFile, CapacityFile, DistFile, ProfileFile, ScenarioFile, ShiftFile};
use crate::model::arrival_rate::{ArrivalRate, RateProfile, Repeat};
use crate::model::calendar::{Calendar, WeeklyPattern, WeeklySpan};
use crate::model::capacity::{Capacity, CapacityOverride, VOICE_CAPACITY};
use crate::model::centre::{AgentSpec, CentreSpec, QueueSpec, SegmentSpec};
use crate::model::channel::ChannelKind;
use crate::model::distribution::DurationDist;

/// Longest run accepted, days: ten years is far beyond any planning horizon and keeps interval
/// tables bounded.
pub const MAX_DURATION_DAYS: f64 = 3660.0;
/// Most replications accepted.
pub const MAX_REPLICATIONS: u32 = 100_000;
/// Largest capacity accepted in one category.
pub const MAX_CAPACITY: i64 = 1_000;
/// Most agents in one group.
pub const MAX_GROUP_SIZE: i64 = 100_000;

struct Checker<'a> {
    problems: Vec<Problem>,
    base_dir: &'a Path,
}

impl Checker<'_> {
    fn fail(&mut self, path: FieldPath, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn positive(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if value.is_finite() && value > 0.0 {
            true
        } else {
            self.fail(path, format!("{what} is {value}: expected a number > 0"));
            false
        }
    }

    fn non_negative(&mut self, path: FieldPath, value: f64, what: &str) -> bool {
        if value.is_finite() && value >= 0.0 {
            true
        } else {
            self.fail(path, format!("{what} is {value}: expected a number ≥ 0"));
            false
        }
    }

    fn unique<'n>(&mut self, path: &FieldPath, field: &str, names: impl Iterator<Item = &'n str>) {
        let mut seen = HashSet::new();
        for (i, name) in names.enumerate() {
            if name.trim().is_empty() {
                self.fail(path.index(i).key(field), "empty name");
            } else if !seen.insert(name) {
                self.fail(path.index(i).key(field), format!("duplicate name '{name}'"));
            }
        }
    }

    fn dist(&mut self, path: FieldPath, dist: &DistFile) -> Option<DurationDist> {
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
                        let file_path = resolve(self.base_dir, file);
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

    fn capacity(&mut self, path: &FieldPath, file: &CapacityFile) -> CapacityOverride {
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

    fn shift(&mut self, path: &FieldPath, shifts: &[ShiftFile]) -> WeeklyPattern {
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

    fn profile(&mut self, path: FieldPath, p: &ProfileFile) -> Option<RateProfile> {
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
                &resolve(self.base_dir, file),
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

/// Checks `file` (read from a file in `base_dir`) and builds the scenario.
pub fn build(file: &ScenarioFile, base_dir: &Path) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
        base_dir,
    };
    let root = FieldPath::root();

    if file.name.is_empty()
        || !file
            .name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
        || file.name.starts_with('.')
    {
        c.fail(
            root.key("name"),
            format!(
                "'{}': expected letters, digits, '-', '_' or '.' (it names the report folder)",
                file.name
            ),
        );
    }
    let tz = match TimeZone::get(&file.time_zone) {
        Ok(tz) => Some(tz),
        Err(_) => {
            c.fail(
                root.key("time_zone"),
                format!(
                    "unknown time zone '{}': expected an IANA name such as Europe/Berlin",
                    file.time_zone
                ),
            );
            None
        }
    };
    let start: Option<DateTime> = match file.start.parse() {
        Ok(dt) => Some(dt),
        Err(_) => {
            c.fail(
                root.key("start"),
                format!(
                    "'{}': expected a local date-time such as 2026-01-05T08:00",
                    file.start
                ),
            );
            None
        }
    };
    let duration_ok = c.positive(
        root.key("duration_days"),
        file.duration_days,
        "duration_days",
    );
    if duration_ok && file.duration_days > MAX_DURATION_DAYS {
        c.fail(
            root.key("duration_days"),
            format!(
                "{} days: expected at most {MAX_DURATION_DAYS}",
                file.duration_days
            ),
        );
    }
    if !(1..=MAX_REPLICATIONS).contains(&file.replications) {
        c.fail(
            root.key("replications"),
            format!("{}: expected 1 to {MAX_REPLICATIONS}", file.replications),
        );
    }
    if c.non_negative(root.key("warmup_h"), file.warmup_h, "warmup_h")
        && duration_ok
        && file.warmup_h >= file.duration_days * 24.0
    {
        c.fail(
            root.key("warmup_h"),
            format!(
                "{} h: expected less than the duration ({} h)",
                file.warmup_h,
                file.duration_days * 24.0
            ),
        );
    }
    if ![15, 30, 60].contains(&file.report_interval_min) {
        c.fail(
            root.key("report_interval_min"),
            format!(
                "{}: expected 15, 30 or 60 minutes",
                file.report_interval_min
            ),
        );
    }

    // Channels.
    if file.channels.is_empty() {
        c.fail(root.key("channels"), "no channels: expected at least one");
    }
    c.unique(
        &root.key("channels"),
        "name",
        file.channels.iter().map(|ch| ch.name.as_str()),
    );
    let channels: HashMap<&str, ChannelKind> = file
        .channels
        .iter()
        .map(|ch| (ch.name.as_str(), ch.kind))
        .collect();

    // Capacity defaults.
    let default_capacity = Capacity::system_default()
        .overridden_by(&c.capacity(&root.key("capacity"), &file.capacity));

    // Queues.
    if file.queues.is_empty() {
        c.fail(root.key("queues"), "no queues: expected at least one");
    }
    c.unique(
        &root.key("queues"),
        "name",
        file.queues.iter().map(|q| q.name.as_str()),
    );
    let queue_index: HashMap<&str, u32> = file
        .queues
        .iter()
        .enumerate()
        .map(|(i, q)| (q.name.as_str(), i as u32))
        .collect();
    let mut queues = Vec::new();
    for (i, q) in file.queues.iter().enumerate() {
        let p = root.key("queues").index(i);
        c.non_negative(
            p.key("service_level_s"),
            q.service_level_s,
            "service_level_s",
        );
        let handle_time = c.dist(p.key("handle_time"), &q.handle_time);
        if let Some(handle_time) = handle_time {
            queues.push(QueueSpec {
                name: q.name.clone(),
                service_level_threshold_ms: (q.service_level_s.max(0.0) * 1000.0).round() as u64,
                handle_time,
            });
        }
    }

    // Agents.
    let agents = build_agents(&mut c, &root, &file.agents, &queue_index, default_capacity);

    // Segments.
    if file.arrivals.is_empty() {
        c.fail(
            root.key("arrivals"),
            "no arrival segments: expected at least one",
        );
    }
    c.unique(
        &root.key("arrivals"),
        "name",
        file.arrivals.iter().map(|s| s.name.as_str()),
    );
    let mut segments = Vec::new();
    for (i, s) in file.arrivals.iter().enumerate() {
        let p = root.key("arrivals").index(i);
        let queue = queue_index.get(s.queue.as_str()).copied();
        if queue.is_none() {
            c.fail(
                p.key("queue"),
                format!(
                    "unknown queue '{}': expected one of {}",
                    s.queue,
                    names(file.queues.iter().map(|q| &q.name))
                ),
            );
        }
        let channel = channels.get(s.channel.as_str()).copied();
        if channel.is_none() {
            c.fail(
                p.key("channel"),
                format!(
                    "unknown channel '{}': expected one of {}",
                    s.channel,
                    names(file.channels.iter().map(|ch| &ch.name))
                ),
            );
        }
        let rate = match (s.rate_per_h, &s.profile) {
            (Some(r), None) => c
                .non_negative(p.key("rate_per_h"), r, "rate_per_h")
                .then_some(ArrivalRate::Constant { rate_per_h: r }),
            (None, Some(profile)) => c
                .profile(p.key("profile"), profile)
                .map(ArrivalRate::Profile),
            _ => {
                c.fail(p.clone(), "expected exactly one of rate_per_h or profile");
                None
            }
        };
        let patience = s.patience.as_ref().map(|d| c.dist(p.key("patience"), d));
        let handle_time = s
            .handle_time
            .as_ref()
            .map(|d| c.dist(p.key("handle_time"), d));
        if let (Some(queue), Some(channel), Some(rate)) = (queue, channel, rate) {
            segments.push(SegmentSpec {
                name: s.name.clone(),
                queue,
                channel,
                priority: s.priority,
                rate,
                patience: patience.flatten(),
                handle_time: handle_time.flatten(),
            });
        }
    }

    let calendar = match (start, tz) {
        (Some(start), Some(tz)) => match Calendar::new(start, tz) {
            Ok(cal) => Some(cal),
            Err(e) => {
                c.fail(
                    root.key("start"),
                    format!(
                        "'{}' cannot be placed in {}: {e}",
                        file.start, file.time_zone
                    ),
                );
                None
            }
        },
        _ => None,
    };

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let calendar = calendar.expect("no problems means a calendar");
    let horizon_ms = (file.duration_days * 86_400_000.0).round() as u64;
    Ok(Scenario {
        name: file.name.clone(),
        seed: file.seed,
        replications: file.replications,
        centre: Arc::new(CentreSpec {
            calendar,
            horizon_ms,
            warmup_ms: (file.warmup_h * 3_600_000.0).round() as u64,
            interval_ms: u64::from(file.report_interval_min) * 60_000,
            queues,
            agents,
            segments,
        }),
    })
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<String> = it.map(|n| format!("'{n}'")).collect();
    if v.is_empty() {
        "(none defined)".into()
    } else {
        v.join(", ")
    }
}

fn build_agents(
    c: &mut Checker<'_>,
    root: &FieldPath,
    groups: &[AgentGroupFile],
    queue_index: &HashMap<&str, u32>,
    default_capacity: Capacity,
) -> Vec<AgentSpec> {
    let mut agents = Vec::new();
    let mut seen_names: HashSet<String> = HashSet::new();
    c.unique(
        &root.key("agents"),
        "group",
        groups.iter().map(|g| g.group.as_str()),
    );
    for (i, g) in groups.iter().enumerate() {
        let p = root.key("agents").index(i);
        let names: Vec<String> = match (&g.count, &g.names) {
            (Some(n), None) if (0..=MAX_GROUP_SIZE).contains(n) => {
                (1..=*n).map(|k| format!("{}-{k}", g.group)).collect()
            }
            (Some(n), None) => {
                c.fail(
                    p.key("count"),
                    format!("{n}: expected 0 to {MAX_GROUP_SIZE} agents"),
                );
                continue;
            }
            (None, Some(names)) => names.clone(),
            _ => {
                c.fail(p.clone(), "expected exactly one of count or names");
                continue;
            }
        };
        if g.queues.is_empty() {
            c.fail(
                p.key("queues"),
                "no queues: expected the queues these agents serve",
            );
        }
        let mut queues = Vec::new();
        for (j, q) in g.queues.iter().enumerate() {
            match queue_index.get(q.as_str()) {
                Some(&qi) if !queues.contains(&qi) => queues.push(qi),
                Some(_) => c.fail(
                    p.key("queues").index(j),
                    format!("queue '{q}' is listed twice"),
                ),
                None => c.fail(
                    p.key("queues").index(j),
                    format!(
                        "unknown queue '{q}': expected one of {}",
                        queue_index
                            .keys()
                            .map(|k| format!("'{k}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
        }
        queues.sort_unstable();
        let capacity = match &g.capacity {
            Some(over) => default_capacity.overridden_by(&c.capacity(&p.key("capacity"), over)),
            None => default_capacity,
        };
        let shift = match &g.shift {
            Some(s) => c.shift(&p.key("shift"), s),
            None => WeeklyPattern::always(),
        };
        for (k, name) in names.into_iter().enumerate() {
            if !seen_names.insert(name.clone()) {
                let at = if g.names.is_some() {
                    p.key("names").index(k)
                } else {
                    p.key("group")
                };
                c.fail(at, format!("duplicate agent name '{name}'"));
                continue;
            }
            agents.push(AgentSpec {
                name,
                queues: queues.clone(),
                capacity,
                shift: shift.clone(),
            });
        }
    }
    agents
}
