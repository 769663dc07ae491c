//! The short table a run prints last.

use std::fmt::Write as _;

use super::stats::Estimate;
use super::summary::{Measures, Summary};

fn pct(e: &Estimate) -> String {
    if e.mean.is_nan() {
        return "—".into();
    }
    format!("{:5.1}% ±{:.1}", 100.0 * e.mean, 100.0 * e.half_width)
}

fn secs(e: &Estimate) -> String {
    if e.mean.is_nan() {
        return "—".into();
    }
    format!("{:6.1}s ±{:.1}", e.mean, e.half_width)
}

fn row(out: &mut String, name: &str, m: &Measures) {
    let open = &m.open_hours;
    let _ = writeln!(
        out,
        "{:<16} {:>6.0} {:>9.0} {:>14} {:>14} {:>14} │ {:>9.0} {:>14} {:>14} {:>14} {:>14}",
        name,
        open.open_h.mean,
        open.offered.mean,
        pct(&open.service_level),
        pct(&open.abandon_rate),
        secs(&open.mean_wait_answered_s),
        m.offered.mean,
        pct(&m.service_level),
        pct(&m.abandon_rate),
        secs(&m.wait_p90_s),
        pct(&m.occupancy),
    );
}

/// The table: one row per queue and one for the centre, means ± 95 % half-widths; the
/// customer measures while open first, over all hours beside them.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16} {:─<61} │ {:─<69}",
        "", "while open (an agent on shift) ", "all hours "
    );
    let _ = writeln!(
        out,
        "{:<16} {:>6} {:>9} {:>14} {:>14} {:>14} │ {:>9} {:>14} {:>14} {:>14} {:>14}",
        "queue",
        "open h",
        "offered",
        "service level",
        "abandoned",
        "mean wait",
        "offered",
        "service level",
        "abandoned",
        "p90 wait",
        "occupancy"
    );
    for q in &summary.queues {
        row(&mut out, &q.name, &q.measures);
    }
    row(&mut out, "(all)", &summary.overall);
    // Queues that take several channels: each channel against its own threshold.
    for q in summary
        .queues
        .iter()
        .filter(|q| q.measures.channels.len() > 1)
    {
        let parts: Vec<String> = q
            .measures
            .channels
            .iter()
            .map(|c| {
                format!(
                    "{} {:.1}% within {} s ({:.0} offered, {:.1}% abandoned)",
                    c.channel,
                    c.service_level.mean * 100.0,
                    c.threshold_s.unwrap_or(q.service_level_threshold_s),
                    c.offered.mean,
                    c.abandon_rate.mean * 100.0
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} by channel, all hours: {}",
            q.name,
            parts.join(" · ")
        );
    }
    let _ = writeln!(
        out,
        "means over {} replications ± 95% CI half-width; service level = {}",
        summary.replications,
        super::summary::SERVICE_LEVEL_DEFINITION
    );
    let _ = writeln!(
        out,
        "while open = customers arriving in report intervals with an agent of the queue on \
         shift; all hours = every customer after warm-up (summary.json: open_hours and the \
         top-level measures)"
    );
    if !summary.decisions_applied.is_empty() {
        let _ = writeln!(
            out,
            "decisions this run relied on (docs/decisions.md; summary.json decisions_applied):"
        );
        for d in &summary.decisions_applied {
            let _ = writeln!(out, "  {}: {}; {}", d.rules, d.decision, d.applied);
        }
    }
    out
}
