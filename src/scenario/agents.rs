//! Agent groups of a scenario: counted, named, or read from a roster CSV; each agent's queues,
//! capacity, shift (with holidays) and status schedule checked and resolved.

use std::collections::{HashMap, HashSet};

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{AgentGroupFile, CapacityFile, ShiftFile};
use super::hours::Calendars;
use super::roster::{read_roster, relocate};
use crate::model::calendar::WeeklyPattern;
use crate::model::capacity::Capacity;
use crate::model::centre::{AgentSpec, DropOut};
use crate::model::status::DefaultStatus;
use crate::model::working_hours::WorkingHours;

/// Most agents in one group.
pub const MAX_GROUP_SIZE: i64 = 100_000;

/// One agent before it is checked: its name and what it gives of its own.
struct Member {
    name: String,
    /// Where a duplicate name is reported.
    at: FieldPath,
    queues: Option<Vec<String>>,
    capacity: Option<CapacityFile>,
    shift: Option<Vec<ShiftFile>>,
    /// For roster rows: the file and line problems belong to.
    row: Option<(std::path::PathBuf, usize)>,
}

impl Checker<'_> {
    fn queue_list(
        &mut self,
        path: &FieldPath,
        names: &[String],
        queue_index: &HashMap<&str, u32>,
    ) -> Vec<u32> {
        if names.is_empty() {
            self.fail(
                path.clone(),
                "no queues: expected the queues these agents serve",
            );
        }
        let mut queues = Vec::new();
        for (j, q) in names.iter().enumerate() {
            let Some(qi) = self.queue(path.index(j), q, queue_index) else {
                continue;
            };
            if queues.contains(&qi) {
                self.fail(path.index(j), format!("queue '{q}' is listed twice"));
            } else {
                queues.push(qi);
            }
        }
        queues.sort_unstable();
        queues
    }

    fn status_schedule(
        &mut self,
        p: &FieldPath,
        g: &AgentGroupFile,
    ) -> Vec<(WeeklyPattern, DefaultStatus)> {
        let mut schedule = Vec::new();
        for (k, span) in g.status_schedule.iter().enumerate() {
            let sp = p.key("status_schedule").index(k);
            if matches!(
                span.status,
                DefaultStatus::Available | DefaultStatus::FullCapacity
            ) {
                self.fail(
                    sp.key("status"),
                    format!(
                        "'{}': expected away, busy or offline (agents are available outside their scheduled spans; Full Capacity is set by the platform)",
                        span.status.as_str()
                    ),
                );
                continue;
            }
            let as_shift = ShiftFile {
                days: span.days.clone(),
                start: span.start.clone(),
                end: span.end.clone(),
            };
            schedule.push((
                self.shift(&sp, std::slice::from_ref(&as_shift)),
                span.status,
            ));
        }
        schedule
    }

    fn holidays(
        &mut self,
        p: &FieldPath,
        g: &AgentGroupFile,
        calendars: &Calendars,
    ) -> Vec<crate::model::working_hours::Holiday> {
        let Some(name) = &g.holidays_from else {
            return Vec::new();
        };
        calendars.holidays(name).unwrap_or_else(|| {
            let known = calendars.names();
            let known = if known.is_empty() {
                "(none defined)".to_string()
            } else {
                known.join(", ")
            };
            self.fail(
                p.key("holidays_from"),
                format!("unknown working hours '{name}': expected one of {known}"),
            );
            Vec::new()
        })
    }

    /// The dated schedule of group `g`, by agent id, if it has one.
    fn schedule(
        &mut self,
        p: &FieldPath,
        g: &AgentGroupFile,
    ) -> Option<HashMap<String, Vec<super::schedule::DayEntry>>> {
        let file = g.schedule_csv.as_ref()?;
        let field = p.key("schedule_csv");
        let path = self.named_file(&field, file)?;
        match super::schedule::read(&path, &field, g.schedule_date_format.as_deref()) {
            Ok(entries) => Some(entries),
            Err(problems) => {
                self.problems.extend(problems);
                None
            }
        }
    }

    /// The members of group `g`: counted, named or from its roster.
    fn members(&mut self, p: &FieldPath, g: &AgentGroupFile) -> Option<Vec<Member>> {
        let plain = |name: String, at: FieldPath| Member {
            name,
            at,
            queues: None,
            capacity: None,
            shift: None,
            row: None,
        };
        match (&g.count, &g.names, &g.roster_csv) {
            (Some(n), None, None) if (0..=MAX_GROUP_SIZE).contains(n) => Some(
                (1..=*n)
                    .map(|k| plain(format!("{}-{k}", g.group), p.key("group")))
                    .collect(),
            ),
            (Some(n), None, None) => {
                self.fail(
                    p.key("count"),
                    format!("{n}: expected 0 to {MAX_GROUP_SIZE} agents"),
                );
                None
            }
            (None, Some(names), None) => Some(
                names
                    .iter()
                    .enumerate()
                    .map(|(k, n)| plain(n.clone(), p.key("names").index(k)))
                    .collect(),
            ),
            (None, None, Some(file)) => {
                if !g.queues.is_empty() {
                    self.fail(
                        p.key("queues"),
                        "a roster group takes its queues from the roster's 'queues' column",
                    );
                }
                let path = self.named_file(&p.key("roster_csv"), file)?;
                let (rows, problems) = read_roster(&path, &p.key("roster_csv"));
                self.problems.extend(problems);
                Some(
                    rows.into_iter()
                        .map(|r| Member {
                            name: r.agent_id,
                            at: p.key("roster_csv").key("agent_id"),
                            queues: Some(r.queues),
                            capacity: Some(r.capacity),
                            shift: r.shift,
                            row: Some((path.clone(), r.line)),
                        })
                        .collect(),
                )
            }
            _ => {
                self.fail(
                    p.clone(),
                    "expected exactly one of count, names or roster_csv",
                );
                None
            }
        }
    }
}

/// Checks the agent groups and builds every agent.
pub(super) fn build_agents(
    c: &mut Checker<'_>,
    root: &FieldPath,
    groups: &[AgentGroupFile],
    queue_index: &HashMap<&str, u32>,
    default_capacity: Capacity,
    calendars: &Calendars,
    run: Option<(&crate::model::calendar::Calendar, i64)>,
) -> (Vec<AgentSpec>, Vec<std::ops::Range<usize>>) {
    // The scenario's calendar and the run's length in local days (for dated schedules).
    let (scenario, run_days) = (run.map(|r| r.0), run.map_or(0, |r| r.1));
    let mut agents = Vec::new();
    // Where each group's agents are in the list (empty for a group in error).
    let mut ranges = vec![0..0; groups.len()];
    let mut seen_names: HashSet<String> = HashSet::new();
    c.unique(
        &root.key("agents"),
        "group",
        groups.iter().map(|g| g.group.as_str()),
    );
    for (i, g) in groups.iter().enumerate() {
        let p = root.key("agents").index(i);
        let Some(members) = c.members(&p, g) else {
            continue;
        };
        ranges[i] = agents.len()..agents.len() + members.len();
        let group_queues = if g.roster_csv.is_none() {
            c.queue_list(&p.key("queues"), &g.queues, queue_index)
        } else {
            Vec::new()
        };
        let group_capacity = match &g.capacity {
            Some(over) => default_capacity.overridden_by(&c.capacity(&p.key("capacity"), over)),
            None => default_capacity,
        };
        let mut schedule = c.schedule(&p, g);
        let group_weekly = match &g.shift {
            Some(s) => c.shift(&p.key("shift"), s),
            None => WeeklyPattern::always(),
        };
        let holidays = c.holidays(&p, g, calendars);
        let zone = c.zone(&p, g.time_zone.as_deref(), scenario);
        let status_schedule = c.status_schedule(&p, g);
        let drop_out = g.drop_out.as_ref().and_then(|d| {
            let dp = p.key("drop_out");
            let mut ok = true;
            if !(0.0..=1.0).contains(&d.share_of_shifts) {
                c.fail(
                    dp.key("share_of_shifts"),
                    format!("{}: expected a share from 0 to 1", d.share_of_shifts),
                );
                ok = false;
            }
            ok &= c.positive(
                dp.key("logout_after_min"),
                d.logout_after_min,
                "logout_after_min",
            );
            ok.then(|| DropOut {
                share_of_shifts: d.share_of_shifts,
                logout_after_ms: (d.logout_after_min * 60_000.0).round() as u64,
            })
        });
        for m in members {
            let problem = match super::checks::unsafe_name(&m.name) {
                Some(problem) => Some(problem),
                None => (!seen_names.insert(m.name.clone()))
                    .then(|| format!("duplicate agent name '{}'", m.name)),
            };
            if let Some(message) = problem {
                match &m.row {
                    Some((file, line)) => c.problems.extend(relocate(
                        vec![super::error::Problem::new(m.at.clone(), message)],
                        file,
                        *line,
                    )),
                    None => c.fail(m.at.clone(), message),
                }
                continue;
            }
            // A roster row's own values, checked with their problems moved to its line.
            let before = c.problems.len();
            let roster = p.key("roster_csv");
            let queues = match &m.queues {
                Some(names) => c.queue_list(&roster.key("queues"), names, queue_index),
                None => group_queues.clone(),
            };
            let capacity = match &m.capacity {
                Some(over) => group_capacity.overridden_by(&c.capacity(&roster, over)),
                None => group_capacity,
            };
            let has_weekly = m.shift.is_some() || g.shift.is_some();
            let weekly = match &m.shift {
                Some(s) => c.shift(&roster.key("shift"), s),
                None => group_weekly.clone(),
            };
            // A dated schedule, where the agent has one, replaces the weekly pattern date by
            // date (in the agent's own zone).
            let dated = match (schedule.as_mut().and_then(|s| s.remove(&m.name)), scenario) {
                (Some(entries), Some(cal)) => Some(super::schedule::dated_spans(
                    &entries,
                    has_weekly.then_some(&weekly),
                    zone.as_ref().unwrap_or(cal),
                    run_days,
                )),
                _ => None,
            };
            if let Some((file, line)) = &m.row {
                let row_problems: Vec<_> = c.problems.drain(before..).collect();
                c.problems.extend(relocate(row_problems, file, *line));
            }
            agents.push(AgentSpec {
                name: m.name,
                queues,
                capacity,
                shift: WorkingHours {
                    dated,
                    weekly,
                    holidays: holidays.clone(),
                    zone: zone.clone(),
                },
                status_schedule: status_schedule.clone(),
                drop_out,
            });
        }
        // Schedule rows for agents the group does not have: one error per agent.
        if let (Some(left), Some(file)) = (schedule, &g.schedule_csv) {
            let mut left: Vec<(String, usize)> = left
                .into_iter()
                .map(|(id, e)| (id, e.iter().map(|e| e.line).min().unwrap_or(2)))
                .collect();
            left.sort_by_key(|l| l.1);
            let path = c.named_file(&p.key("schedule_csv"), file);
            for (id, line) in left {
                let problem = super::error::Problem {
                    path: p.key("schedule_csv"),
                    message: format!(
                        "agent_id '{}' is not an agent of group '{}' (its agents are named {})",
                        super::input_file::excerpt(&id),
                        g.group,
                        if g.roster_csv.is_some() {
                            "by the roster's agent_id column".to_string()
                        } else if g.names.is_some() {
                            "in its names list".to_string()
                        } else {
                            format!("{}-1 … {}-N", g.group, g.group)
                        }
                    ),
                    in_file: path.clone().map(|p| (p, line)),
                };
                c.problems.push(problem);
            }
        }
    }
    (agents, ranges)
}
