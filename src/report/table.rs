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

/// A share as a short percentage (`82.5%`), `—` when undefined.
fn share(e: &Estimate) -> String {
    if e.mean.is_nan() {
        return "—".into();
    }
    format!("{:.1}%", 100.0 * e.mean)
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
    // Queues that take several channels: each channel against its own threshold, while open
    // first as in the table above.
    for q in summary
        .queues
        .iter()
        .filter(|q| q.measures.channels.len() > 1)
    {
        for (label, open) in [("while open", true), ("all hours", false)] {
            let parts: Vec<String> = q
                .measures
                .channels
                .iter()
                .map(|c| {
                    let (offered, sl, abandoned) = if open {
                        let o = &c.open_hours;
                        (&o.offered, &o.service_level, &o.abandon_rate)
                    } else {
                        (&c.offered, &c.service_level, &c.abandon_rate)
                    };
                    format!(
                        "{} {} within {} s ({:.0} offered, {} abandoned)",
                        c.channel,
                        share(sl),
                        c.threshold_s.unwrap_or(q.service_level_threshold_s),
                        offered.mean,
                        share(abandoned)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "  {} by channel, {label}: {}",
                q.name,
                parts.join(" · ")
            );
        }
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
