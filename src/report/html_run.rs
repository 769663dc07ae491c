//! The HTML page of one run (`report.html` beside `summary.json`): per interval, offered load
//! against staffed capacity, queue length, speed of answer, service level and SLA compliance
//! with their 95 % bands, occupancy; over the run, wait percentiles, bot containment and a table
//! per queue.
//!
//! Runs of more than [`MAX_POINTS`] intervals are drawn in groups of consecutive intervals
//! (sums of the group's counts); the bands need each replication's value per interval, so
//! grouped charts show the means only (the page says so).

use std::fmt::Write as _;

use super::aggregate::{IntervalSums, RunAggregate};
use super::html::{escape, page};
use super::stats::Estimate;
use super::summary::{Measures, Summary};
use super::svg::{self, Dot, Series, YAxis};
use crate::scenario::Scenario;

/// Most points a chart draws.
pub const MAX_POINTS: usize = 1500;

/// One drawn point: a group of consecutive intervals of one scope.
#[derive(Debug, Clone, Copy, Default)]
struct Group {
    arrivals: f64,
    within: f64,
    wait_sum_ms: f64,
    answered: f64,
    max_queue: f64,
    busy_slot_ms: f64,
    staffed_slot_ms: f64,
    length_ms: f64,
    sl_band: Option<Estimate>,
    sla_band: Option<Estimate>,
    sla_conversations: f64,
    sla_met: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

/// The run's page.
pub fn run_page(scenario: &Scenario, summary: &Summary, run: &RunAggregate) -> String {
    let c = &scenario.centre;
    let n = c.interval_count();
    let per = n.div_ceil(MAX_POINTS).max(1);
    let reps = run.replications().max(1) as f64;
    let scopes = run.scopes();
    let scope_name = |s: usize| c.queues.get(s).map_or("all", |q| q.name.as_str());
    // groups[s][g]
    let mut groups: Vec<Vec<Group>> = vec![Vec::new(); scopes];
    let mut labels = Vec::new();
    for g0 in (0..n).step_by(per) {
        let g1 = (g0 + per).min(n);
        labels.push(crate::plan::sweep::interval_label(scenario, g0));
        for (s, out) in groups.iter_mut().enumerate() {
            let mut g = Group::default();
            for i in g0..g1 {
                let x: &IntervalSums = &run.interval(i)[s];
                g.arrivals += x.arrivals as f64;
                g.within += x.answered_within_threshold as f64;
                g.wait_sum_ms += x.answered_wait_sum_ms as f64;
                g.answered += x.answered as f64;
                g.max_queue += x.max_queue_length as f64;
                g.busy_slot_ms += x.busy_slot_ms as f64;
                g.staffed_slot_ms += x.staffed_slot_ms as f64;
                g.sla_conversations += x.sla.conversations as f64;
                g.sla_met += (x.sla.conversations - x.sla.breached.min(x.sla.conversations)) as f64;
                let start = i as u64 * c.interval_ms;
                g.length_ms += (c.horizon_ms - start).min(c.interval_ms) as f64;
                if per == 1 {
                    g.sl_band = Some(x.service_level.estimate());
                    g.sla_band = Some(x.sla_compliance.estimate());
                }
            }
            g.max_queue /= (g1 - g0) as f64;
            out.push(g);
        }
    }
    let series = |s: usize, name: &str, f: &dyn Fn(&Group) -> f64| {
        Series::line(name, groups[s].iter().map(f).collect())
    };
    let all = scopes - 1;
    let mut body = String::new();
    if per > 1 {
        let _ = write!(
            body,
            "<p class=\"sub\">{n} intervals drawn in groups of {per}: charts show each group's figures; confidence bands are drawn only when every interval is its own point.</p>"
        );
    }

    body += "<h2>Load and capacity</h2>";
    // Offered load of a queue: its arrivals × the mean time its own conversations hold a slot
    // (the model's, weighted by the segments that feed it), not its agents' busy time, which
    // they may spend on other queues. The centre's is the sum of its queues'.
    let hold_ms: Vec<f64> = (0..c.queues.len() as u32)
        .map(|q| {
            let feeds = crate::plan::staff_inputs::feeds(c, q);
            let capacity = crate::model::capacity::Capacity::system_default();
            crate::plan::staff_inputs::mix(c, q, &feeds, capacity, 0, c.horizon_ms).hold_s * 1000.0
        })
        .collect();
    let offered_load = |s: usize, g: usize| -> f64 {
        let of = |q: usize| {
            let x = &groups[q][g];
            x.arrivals / reps * hold_ms[q] / x.length_ms
        };
        if s == all {
            (0..c.queues.len()).map(of).sum()
        } else {
            of(s)
        }
    };
    for s in (0..scopes).rev() {
        let lines = [
            Series::line(
                "offered load (arrivals × mean hold)",
                (0..groups[s].len()).map(|g| offered_load(s, g)).collect(),
            ),
            series(s, "busy slots", &|g| g.busy_slot_ms / reps / g.length_ms),
            Series {
                dashed: true,
                ..series(s, "staffed slots", &|g| {
                    g.staffed_slot_ms / reps / g.length_ms
                })
            },
        ];
        body += &svg::line_chart(
            &format!("{}: offered load against staffed capacity", scope_name(s)),
            &labels,
            &lines,
            YAxis::Number {
                unit: "slots (conversations at once)",
            },
        );
    }

    body += "<h2>Queue length and waits</h2>";
    let queue_lines: Vec<Series> = (0..scopes)
        .map(|s| series(s, scope_name(s), &|g| g.max_queue / reps))
        .collect();
    body += &svg::line_chart(
        "longest queue in the interval (mean over replications)",
        &labels,
        &queue_lines,
        YAxis::Number {
            unit: "conversations waiting",
        },
    );
    let asa_lines: Vec<Series> = (0..scopes)
        .map(|s| {
            series(s, scope_name(s), &|g| {
                ratio(g.wait_sum_ms, g.answered) / 1000.0
            })
        })
        .collect();
    body += &svg::line_chart(
        "average speed of answer, s (customers arriving in the interval)",
        &labels,
        &asa_lines,
        YAxis::Number { unit: "seconds" },
    );
    let measures: Vec<(&str, &Measures)> = summary
        .queues
        .iter()
        .map(|q| (q.name.as_str(), &q.measures))
        .chain(std::iter::once(("all", &summary.overall)))
        .collect();
    let mut dots = Vec::new();
    for (name, m) in &measures {
        for (p, e) in [
            ("p50", m.wait_p50_s),
            ("p90", m.wait_p90_s),
            ("p95", m.wait_p95_s),
            ("p99", m.wait_p99_s),
        ] {
            dots.push(Dot {
                label: format!("{name} {p}"),
                mean: e.mean,
                low: e.ci_low,
                high: e.ci_high,
            });
        }
    }
    body += &svg::dot_chart(
        "wait percentiles of the answered, s (95 % interval over replications)",
        &dots,
        YAxis::Number { unit: "seconds" },
        false,
    );

    body += "<h2>Service level and SLA</h2>";
    for s in (0..scopes).rev() {
        let sl = Series {
            band: (per == 1).then(|| {
                groups[s]
                    .iter()
                    .map(|g| {
                        g.sl_band
                            .map_or((f64::NAN, f64::NAN), |e| (e.ci_low, e.ci_high))
                    })
                    .collect()
            }),
            ..series(s, "service level", &|g| ratio(g.within, g.arrivals))
        };
        let threshold = c.queues.get(s).map_or(String::new(), |q| {
            format!(" (within {} s)", q.service_level_threshold_ms / 1000)
        });
        body += &svg::line_chart(
            &format!("{}: service level{threshold}, 95 % band", scope_name(s)),
            &labels,
            &[sl],
            YAxis::Percent,
        );
    }
    if !c.sla_policies.is_empty() {
        let sla = Series {
            band: (per == 1).then(|| {
                groups[all]
                    .iter()
                    .map(|g| {
                        g.sla_band
                            .map_or((f64::NAN, f64::NAN), |e| (e.ci_low, e.ci_high))
                    })
                    .collect()
            }),
            ..series(all, "SLA compliance", &|g| {
                ratio(g.sla_met, g.sla_conversations)
            })
        };
        body += &svg::line_chart(
            "all: SLA compliance (conversations arriving in the interval), 95 % band",
            &labels,
            &[sla],
            YAxis::Percent,
        );
    }

    body += "<h2>Occupancy</h2>";
    let occ: Vec<Series> = (0..scopes)
        .map(|s| {
            series(s, scope_name(s), &|g| {
                ratio(g.busy_slot_ms, g.staffed_slot_ms)
            })
        })
        .collect();
    body += &svg::line_chart(
        "occupancy: busy ÷ staffed slot-time",
        &labels,
        &occ,
        YAxis::Percent,
    );

    if let Some(bot) = &summary.bot {
        body += "<h2>Bot</h2>";
        let dots: Vec<Dot> = [
            ("containment", bot.containment),
            ("handed over", bot.handoff_rate),
            ("dropped", bot.drop_rate),
        ]
        .into_iter()
        .map(|(l, e)| Dot {
            label: l.into(),
            mean: e.mean,
            low: e.ci_low,
            high: e.ci_high,
        })
        .collect();
        body += &svg::dot_chart(
            "conversations that met the bot (95 % interval)",
            &dots,
            YAxis::Percent,
            false,
        );
    }

    body += "<h2>Per queue, over the run</h2><p>While open: customers arriving in report intervals with an agent of the queue on shift. All hours: every customer after the warm-up.</p><div class=\"wide\"><table><tr><th rowspan=\"2\">queue</th><th colspan=\"5\">while open</th><th colspan=\"7\">all hours</th></tr><tr><th>open h</th><th>offered</th><th>service level</th><th>abandoned</th><th>ASA s</th><th>offered</th><th>service level</th><th>abandoned</th><th>ASA s</th><th>wait p90 s</th><th>occupancy</th><th>SLA compliance</th></tr>";
    let pm = |e: Estimate, pct: bool| {
        if !e.mean.is_finite() {
            "—".to_string()
        } else if pct {
            format!("{:.1} ± {:.1} %", e.mean * 100.0, e.half_width * 100.0)
        } else {
            format!("{:.1} ± {:.1}", e.mean, e.half_width)
        }
    };
    for (name, m) in &measures {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            pm(m.open_hours.open_h, false),
            pm(m.open_hours.offered, false),
            pm(m.open_hours.service_level, true),
            pm(m.open_hours.abandon_rate, true),
            pm(m.open_hours.mean_wait_answered_s, false),
            pm(m.offered, false),
            pm(m.service_level, true),
            pm(m.abandon_rate, true),
            pm(m.mean_wait_answered_s, false),
            pm(m.wait_p90_s, false),
            pm(m.occupancy, true),
            pm(m.sla.compliance, true)
        );
    }
    body += "</table></div>";
    page(
        &format!("Run '{}'", summary.scenario),
        &format!(
            "{} · {} · {:.1} days · seed {} · {} replications · ccsim {}",
            summary.start,
            summary.time_zone,
            summary.horizon_h / 24.0,
            summary.seed,
            summary.replications,
            summary.ccsim_version
        ),
        &body,
    )
}
