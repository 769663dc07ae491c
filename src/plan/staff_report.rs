//! The outputs of `ccsim staff`: `staffing.csv` (per interval and queue: Erlang's and the
//! simulation's agents, on the floor and to schedule, the roster's, and the gap),
//! `staffing.json`, `report.html` and the terminal summary.

use std::fmt::Write as _;

use super::staff::Staffing;
use super::sweep_report::{cell, quote};
use crate::report::html::{escape, page};
use crate::report::svg::{self, Series, YAxis};

/// `staffing.csv`.
pub fn csv(s: &Staffing) -> String {
    let mut out = String::from(
        "interval_start,date,time,queue,open,offered_per_h,offered_from,hold_s,hold_from,concurrency,patience_s,erlang_agents,erlang_scheduled,agents,scheduled,service_level,service_level_low,asa_s,asa_high_s,met,roster_agents,gap\n",
    );
    let from = |x: super::staff::Source| match x {
        super::staff::Source::Scenario => "scenario",
        super::staff::Source::Simulated => "simulated",
    };
    for (i, label) in s.interval_starts.iter().enumerate() {
        let (date, time) = super::sweep::date_time_cells(label);
        let start = format!("{label},{date},{time}");
        for (q, name) in s.queues.iter().enumerate() {
            let c = &s.cells[q][i];
            let _ = writeln!(
                out,
                "{start},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                quote(name),
                c.open,
                cell(c.offered_per_h),
                from(c.offered_from),
                cell(c.hold_s),
                from(c.hold_from),
                cell(c.concurrency),
                c.patience_s.map_or(String::new(), cell),
                c.erlang_agents.map_or(String::new(), |n| n.to_string()),
                s.erlang_scheduled(q, i)
                    .map_or(String::new(), |n| n.to_string()),
                c.agents,
                s.scheduled(q, i),
                cell(c.service_level),
                cell(c.service_level_low),
                cell(c.asa_s),
                cell(c.asa_high_s),
                c.met,
                cell(c.roster_agents),
                cell(c.roster_agents - f64::from(s.scheduled(q, i))),
            );
        }
        // The centre: every agent counted once.
        let open = s.cells.iter().any(|row| row[i].open);
        let offered: f64 = s.cells.iter().map(|row| row[i].offered_per_h).sum();
        let erlang: Option<u32> = (0..s.queues.len())
            .map(|q| s.cells[q][i].erlang_agents)
            .sum();
        let erlang_scheduled: Option<u32> =
            (0..s.queues.len()).map(|q| s.erlang_scheduled(q, i)).sum();
        let agents: u32 = s.cells.iter().map(|row| row[i].agents).sum();
        let scheduled: u32 = (0..s.queues.len()).map(|q| s.scheduled(q, i)).sum();
        let roster = s.roster_total.get(i).copied().unwrap_or(0.0);
        let met = s.cells.iter().all(|row| row[i].met);
        let _ = writeln!(
            out,
            "{start},(all),{open},{},,,,,,{},{},{agents},{scheduled},,,,,{met},{},{}",
            cell(offered),
            erlang.map_or(String::new(), |n| n.to_string()),
            erlang_scheduled.map_or(String::new(), |n| n.to_string()),
            cell(roster),
            cell(roster - f64::from(scheduled)),
        );
    }
    out
}

/// `staffing.json`.
pub fn json(s: &Staffing) -> String {
    serde_json::to_string_pretty(s).expect("the staffing serialises") + "\n"
}

/// Per queue: agent-hours to schedule by Erlang and by simulation, rostered, and the
/// intervals the roster is short.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueueTotals {
    /// Queue name.
    pub queue: String,
    /// Σ Erlang scheduled × interval, h.
    pub erlang_h: f64,
    /// Σ simulated scheduled × interval, h.
    pub simulated_h: f64,
    /// Σ roster × interval, h.
    pub roster_h: f64,
    /// Open intervals where the roster has fewer than the simulation's scheduled agents.
    pub short_intervals: usize,
    /// Open intervals where Erlang and the simulation differ.
    pub disagree: usize,
    /// Most agents scheduled at once (simulation).
    pub peak: u32,
    /// Full-time equivalents to schedule (simulation): agent-hours per week ÷ the paid hours
    /// of one full-time agent.
    pub fte: f64,
}

/// The per-queue totals.
pub fn totals(s: &Staffing) -> Vec<QueueTotals> {
    let h = s.interval_min as f64 / 60.0;
    s.queues
        .iter()
        .enumerate()
        .map(|(q, name)| {
            let row = &s.cells[q];
            QueueTotals {
                queue: name.clone(),
                erlang_h: (0..row.len())
                    .map(|i| f64::from(s.erlang_scheduled(q, i).unwrap_or(0)) * h)
                    .sum(),
                simulated_h: (0..row.len())
                    .map(|i| f64::from(s.scheduled(q, i)) * h)
                    .sum(),
                roster_h: row.iter().map(|c| c.roster_agents * h).sum(),
                short_intervals: (0..row.len())
                    .filter(|&i| {
                        row[i].open && row[i].roster_agents + 1e-9 < f64::from(s.scheduled(q, i))
                    })
                    .count(),
                disagree: (0..row.len())
                    .filter(|&i| row[i].open && row[i].erlang_agents != Some(row[i].agents))
                    .count(),
                peak: (0..row.len()).map(|i| s.scheduled(q, i)).max().unwrap_or(0),
                fte: 0.0,
            }
        })
        .map(|mut t| {
            t.fte = fte(s, t.simulated_h);
            t
        })
        .collect()
}

/// FTE of `hours` scheduled over the run: hours per week ÷ one full-time agent's.
pub fn fte(s: &Staffing, hours: f64) -> f64 {
    let weeks = s.horizon_h / 168.0;
    if weeks > 0.0 {
        hours / weeks / s.options.fte_hours_per_week
    } else {
        0.0
    }
}

/// The terminal summary.
pub fn table(s: &Staffing) -> String {
    let mut out = format!(
        "\nstaffing for {:.0} % within each queue's threshold{}{} at {:.0} % confidence, shrinkage {:.0} % ({} rounds of {} replications{})\n{:<16} {:>10} {:>11} {:>10} {:>6} {:>7} {:>14} {:>12}\n",
        s.options.service_level * 100.0,
        s.options
            .asa_s
            .map_or(String::new(), |a| format!(", ASA ≤ {a} s")),
        s.options.max_occupancy.map_or(String::new(), |o| format!(
            ", occupancy ≤ {:.0} %",
            o * 100.0
        )),
        s.options.confidence * 100.0,
        s.options.shrinkage * 100.0,
        s.rounds,
        s.replications,
        if s.converged {
            ""
        } else {
            "; did not converge"
        },
        "queue",
        "Erlang h",
        "simulated h",
        "roster h",
        "peak",
        "FTE",
        "roster short",
        "Erlang ≠ sim"
    );
    let all = totals(s);
    for t in &all {
        let _ = writeln!(
            out,
            "{:<16} {:>10.1} {:>11.1} {:>10.1} {:>6} {:>7.1} {:>14} {:>12}",
            t.queue,
            t.erlang_h,
            t.simulated_h,
            t.roster_h,
            t.peak,
            t.fte,
            format!("{} intervals", t.short_intervals),
            format!("{} intervals", t.disagree)
        );
    }
    let simulated_h: f64 = all.iter().map(|t| t.simulated_h).sum();
    let h = s.interval_min as f64 / 60.0;
    let roster_h: f64 = s.roster_total.iter().map(|n| n * h).sum();
    let _ = writeln!(
        out,
        "{:<16} {:>10.1} {:>11.1} {:>10.1} {:>6} {:>7.1}\nagent-hours to schedule (after shrinkage); roster h counts each agent once, shared agents split by load; FTE at {} paid hours a week",
        "(all)",
        all.iter().map(|t| t.erlang_h).sum::<f64>(),
        simulated_h,
        roster_h,
        "",
        fte(s, simulated_h),
        s.options.fte_hours_per_week
    );
    out
}

/// Where a queue's offered load and hold time came from, as `staffing.csv` says it.
fn source_line(row: &[super::staff::Cell]) -> String {
    use super::staff::Source;
    let offered = if row.iter().any(|c| c.offered_from == Source::Simulated) {
        "offered load from the baseline simulation (offered_from = simulated)"
    } else {
        "offered load from the scenario's arrival rates, exact (offered_from = scenario)"
    };
    let hold = if row.iter().any(|c| c.hold_from == Source::Simulated) {
        "hold time from the baseline simulation (hold_from = simulated)"
    } else {
        "hold time from the scenario's handle times and threads (hold_from = scenario)"
    };
    format!("{offered}; {hold}")
}

/// The staffing page: per queue, the roster against Erlang's and the simulation's agents to
/// schedule, and the gap.
pub fn html(s: &Staffing) -> String {
    let labels = &s.interval_starts;
    let mut body = String::new();
    body += "<h2>Agent-hours per queue</h2><table><tr><th>queue</th><th>Erlang</th><th>simulation</th><th>roster</th><th>peak</th><th>FTE</th><th>intervals the roster is short</th><th>intervals Erlang ≠ simulation</th></tr>";
    for t in totals(s) {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{}</td></tr>",
            escape(&t.queue),
            t.erlang_h,
            t.simulated_h,
            t.roster_h,
            t.peak,
            t.fte,
            t.short_intervals,
            t.disagree
        );
    }
    body += "</table>";
    for (q, name) in s.queues.iter().enumerate() {
        let row = &s.cells[q];
        let _ = write!(
            body,
            "<h2>{}</h2><div class=\"sub\">service level within {} s; {}</div>",
            escape(name),
            s.threshold_s[q],
            source_line(row)
        );
        let series = [
            Series::line("roster", row.iter().map(|c| c.roster_agents).collect()),
            Series {
                dashed: true,
                ..Series::line(
                    "Erlang (scheduled)",
                    (0..row.len())
                        .map(|i| s.erlang_scheduled(q, i).map_or(f64::NAN, f64::from))
                        .collect(),
                )
            },
            Series::line(
                "simulation (scheduled)",
                (0..row.len())
                    .map(|i| f64::from(s.scheduled(q, i)))
                    .collect(),
            ),
        ];
        body += &svg::line_chart(
            &format!("{name}: agents per interval"),
            labels,
            &series,
            YAxis::Number { unit: "agents" },
        );
        let gap = Series::line(
            "roster − required",
            (0..row.len())
                .map(|i| {
                    if row[i].open {
                        row[i].roster_agents - f64::from(s.scheduled(q, i))
                    } else {
                        f64::NAN
                    }
                })
                .collect(),
        );
        body += &svg::line_chart(
            &format!("{name}: gap (negative: short)"),
            labels,
            &[gap],
            YAxis::Change {
                share: false,
                unit: "agents",
            },
        );
        let sl = Series {
            band: Some(
                row.iter()
                    .map(|c| (c.service_level_low, c.service_level))
                    .collect(),
            ),
            ..Series::line(
                "simulated service level with the requirement",
                row.iter().map(|c| c.service_level).collect(),
            )
        };
        body += &svg::line_chart(
            &format!(
                "{name}: service level with the requirement (band: from the lower bound), target {:.0} %",
                s.options.service_level * 100.0
            ),
            labels,
            &[sl],
            YAxis::Percent,
        );
    }
    page(
        &format!("Staffing '{}'", s.scenario),
        &format!(
            "{:.0} % within threshold{}{} at {:.0} % confidence · shrinkage {:.0} % · {} rounds × {} replications{}",
            s.options.service_level * 100.0,
            s.options
                .asa_s
                .map_or(String::new(), |a| format!(" · ASA ≤ {a} s")),
            s.options.max_occupancy.map_or(String::new(), |o| format!(
                " · occupancy ≤ {:.0} %",
                o * 100.0
            )),
            s.options.confidence * 100.0,
            s.options.shrinkage * 100.0,
            s.rounds,
            s.replications,
            if s.converged {
                ""
            } else {
                " · did not converge"
            }
        ),
        &body,
    )
}
