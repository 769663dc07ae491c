//! SLA policies in a scenario (SLA-1..7): conditions as in routes, validity dates in local
//! time, queue scope, severities with their targets.

use std::collections::HashMap;

use jiff::civil::{Date, Time};

use super::checks::Checker;
use super::error::FieldPath;
use super::file::{SlaHoursFile, SlaPolicyFile};
use super::routing::AttrNames;
use crate::model::calendar::Calendar;
use crate::model::sla::{Severity, SlaHours, SlaPolicy};

impl Checker<'_> {
    /// Checks and converts the SLA policies; validity dates need the run's calendar (`None`
    /// when the start or time zone is wrong, reported elsewhere).
    pub(super) fn sla_policies(
        &mut self,
        root: &FieldPath,
        files: &[SlaPolicyFile],
        queue_index: &HashMap<&str, u32>,
        names: &mut AttrNames,
        calendar: Option<&Calendar>,
    ) -> Vec<SlaPolicy> {
        let path = root.key("sla_policies");
        self.unique(&path, "name", files.iter().map(|p| p.name.as_str()));
        let mut out = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let p = path.index(i);
            if f.conditions.iter().all(|g| g.is_empty()) {
                self.fail(
                    p.key("conditions"),
                    "no conditions: expected at least one group with at least one condition",
                );
            }
            let mut groups = Vec::new();
            let mut ok = true;
            for (g, group) in f.conditions.iter().enumerate() {
                let gp = p.key("conditions").index(g);
                let conditions: Vec<_> = group
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| self.condition(gp.index(j), c, names))
                    .collect();
                ok &= conditions.len() == group.len();
                if !conditions.is_empty() {
                    groups.push(conditions);
                }
            }
            let queues = f.queues.as_ref().map(|qs| {
                qs.iter()
                    .enumerate()
                    .filter_map(|(j, q)| self.queue(p.key("queues").index(j), q, queue_index))
                    .collect::<Vec<u32>>()
            });
            let mut day = |field: &str, text: &Option<String>, next_day: bool| -> Option<i64> {
                let text = text.as_ref()?;
                match text.parse::<Date>() {
                    Ok(date) => {
                        let date = if next_day {
                            date.tomorrow().unwrap_or(date)
                        } else {
                            date
                        };
                        calendar.map(|cal| cal.ms_of_local(date.to_datetime(Time::midnight())))
                    }
                    Err(_) => {
                        self.fail(
                            p.key(field),
                            format!("'{text}': expected a date such as 2026-01-31"),
                        );
                        ok = false;
                        None
                    }
                }
            };
            let valid_from_ms = day("valid_from", &f.valid_from, false);
            let valid_until_ms = day("valid_until", &f.valid_until, true);
            if let (Some(from), Some(until)) = (valid_from_ms, valid_until_ms)
                && until <= from
            {
                self.fail(
                    p.key("valid_until"),
                    "ends before it starts: expected valid_until on or after valid_from",
                );
                ok = false;
            }
            if f.severities.is_empty() {
                self.fail(
                    p.key("severities"),
                    "no severities: expected at least the default one (SLA-2)",
                );
                ok = false;
            }
            self.unique(
                &p.key("severities"),
                "name",
                f.severities.iter().map(|s| s.name.as_str()),
            );
            let mut severities = Vec::new();
            for (j, s) in f.severities.iter().enumerate() {
                let sp = p.key("severities").index(j);
                let mut target = |field: &str, minutes: Option<f64>| -> Option<u64> {
                    let m = minutes?;
                    if m.is_finite() && m > 0.0 {
                        Some((m * 60_000.0).round() as u64)
                    } else {
                        self.fail(sp.key(field), format!("{m}: expected minutes > 0"));
                        ok = false;
                        None
                    }
                };
                let first_response_ms = target("first_response_min", s.first_response_min);
                let next_reply_ms = target("next_reply_min", s.next_reply_min);
                let resolution_ms = target("resolution_min", s.resolution_min);
                if s.first_response_min.is_none()
                    && s.next_reply_min.is_none()
                    && s.resolution_min.is_none()
                {
                    self.fail(
                        sp.clone(),
                        "no target: expected at least one of first_response_min, next_reply_min, resolution_min (SLA-2)",
                    );
                    ok = false;
                }
                let share_ok = s.agent_share.is_finite() && (0.0..=1.0).contains(&s.agent_share);
                if !share_ok || (j == 0 && s.agent_share > 0.0) {
                    self.fail(
                        sp.key("agent_share"),
                        if share_ok {
                            format!(
                                "{}: the first severity is the default, which agents do not set: expected 0 here",
                                s.agent_share
                            )
                        } else {
                            format!("{}: expected a share from 0 to 1", s.agent_share)
                        },
                    );
                    ok = false;
                }
                severities.push(Severity {
                    agent_share: s.agent_share,
                    name: s.name.clone(),
                    first_response_ms,
                    next_reply_ms,
                    resolution_ms,
                    hours: match s.hours {
                        SlaHoursFile::Always => SlaHours::Always,
                        SlaHoursFile::WorkingHours => SlaHours::WorkingHours,
                    },
                });
            }
            let shares: f64 = severities.iter().map(|s| s.agent_share).sum();
            if shares > 1.0 + 1e-9 {
                self.fail(
                    p.key("severities"),
                    format!("agent shares add up to {shares:.3}: expected at most 1 (SLA-2)"),
                );
                ok = false;
            }
            if ok {
                out.push(SlaPolicy {
                    name: f.name.clone(),
                    enabled: f.enabled,
                    valid_from_ms,
                    valid_until_ms,
                    condition_groups: groups,
                    queues,
                    exclude_automated: f.exclude_automated,
                    severities,
                });
            }
        }
        out
    }
}
