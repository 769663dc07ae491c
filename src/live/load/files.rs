//! A load run's report files: `summary.json`, `intervals.csv`, `junit.xml` (one test case per
//! threshold, for CI) and `report.html` (the same figures for people).

use std::io::Write;

use super::LoadReport;

/// `summary.json`.
pub fn write_summary(r: &LoadReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, r)?;
    writeln!(out)
}

/// `intervals.csv`: one row per interval of intended time.
pub fn write_intervals(r: &LoadReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for row in &r.rows {
        w.serialize(row)?;
    }
    w.flush()
}

/// The load report's charts: messages and replies per interval, and reply latency, against
/// the seconds since the start.
fn charts(r: &LoadReport) -> String {
    use crate::report::svg::{Series, YAxis, line_chart};
    if r.rows.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = r
        .rows
        .iter()
        .map(|row| format!("{} s", row.start_s))
        .collect();
    let counts = [
        Series::line(
            "inbound messages",
            r.rows.iter().map(|x| x.inbound as f64).collect(),
        ),
        Series::line("replies", r.rows.iter().map(|x| x.replies as f64).collect()),
    ];
    let latency = [
        Series::line(
            "reply p50",
            r.rows.iter().map(|x| x.reply_p50_ms as f64).collect(),
        ),
        Series::line(
            "reply p99",
            r.rows.iter().map(|x| x.reply_p99_ms as f64).collect(),
        ),
    ];
    let mut s = String::from("<h2>Over the run</h2>");
    s += &line_chart(
        "inbound messages and replies per interval (wall clock)",
        &labels,
        &counts,
        YAxis::Number { unit: "messages" },
    );
    s += &line_chart(
        "reply latency per interval, from the message's intended time",
        &labels,
        &latency,
        YAxis::Number {
            unit: "milliseconds",
        },
    );
    s
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn op_text(v: &super::Verdict) -> String {
    serde_json::to_value(v.threshold.op)
        .ok()
        .and_then(|o| o.as_str().map(String::from))
        .unwrap_or_default()
}

/// `junit.xml`: each threshold a test case, failed when broken; an interrupted run is one
/// skipped case (nothing was judged).
pub fn write_junit(r: &LoadReport, out: &mut dyn Write) -> std::io::Result<()> {
    let failures = r.thresholds.iter().filter(|v| !v.passed).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    if r.interrupted {
        writeln!(
            out,
            r#"<testsuite name="ccsim load {}" tests="1" failures="0" skipped="1">"#,
            escape(&r.scenario)
        )?;
        writeln!(
            out,
            r#"  <testcase classname="thresholds" name="interrupted"><skipped message="the run was interrupted by a signal: no threshold was judged"/></testcase>"#
        )?;
        return writeln!(out, "</testsuite>");
    }
    writeln!(
        out,
        r#"<testsuite name="ccsim load {}" tests="{}" failures="{failures}">"#,
        escape(&r.scenario),
        r.thresholds.len()
    )?;
    for v in &r.thresholds {
        let name = format!(
            "{} {} {}",
            v.threshold.figure,
            op_text(v),
            v.threshold.value
        );
        write!(
            out,
            r#"  <testcase classname="thresholds" name="{}""#,
            escape(&name)
        )?;
        if v.passed {
            writeln!(out, "/>")?;
        } else {
            writeln!(out, ">")?;
            writeln!(
                out,
                r#"    <failure message="{} was {}"/>"#,
                escape(&v.threshold.figure),
                v.actual
            )?;
            writeln!(out, "  </testcase>")?;
        }
    }
    writeln!(out, "</testsuite>")
}

/// `report.html`: the figures, the thresholds and the interval table on one page.
pub fn write_html(r: &LoadReport, out: &mut dyn Write) -> std::io::Result<()> {
    let l = &r.load;
    writeln!(out, "<!doctype html><html><head><meta charset=\"utf-8\">")?;
    writeln!(out, "<title>ccsim load: {}</title>", escape(&r.scenario))?;
    writeln!(
        out,
        "<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}\
         .fail{{color:#b00}}.pass{{color:#070}}.chart{{display:block;max-width:960px;margin:6px 0 14px}}\
         .chart text{{font-size:10px;fill:#555}}.chart .ct{{font-size:13px;font-weight:600;fill:#222}}\
         .chart .yl{{text-anchor:end}}.chart .xl{{text-anchor:middle}}</style></head><body>"
    )?;
    writeln!(
        out,
        "<h1>ccsim load: {}</h1><p>{} · compress {} · {} s of arrivals · <b class=\"{}\">{}</b></p>",
        escape(&r.scenario),
        escape(r.target.as_deref().unwrap_or("the account webhook")),
        r.compress,
        r.duration_s,
        if r.passed { "pass" } else { "fail" },
        if r.interrupted {
            "INTERRUPTED (not judged)"
        } else if r.passed {
            "PASSED"
        } else {
            "FAILED"
        }
    )?;
    writeln!(
        out,
        "<p class=\"{}\">{}</p>",
        if r.harness.healthy { "pass" } else { "fail" },
        escape(&r.harness.describe())
    )?;
    writeln!(
        out,
        "<p>from {} in the scenario{}</p>",
        escape(&r.start),
        if r.stages.is_empty() {
            String::new()
        } else {
            format!(
                " · stages {}",
                r.stages
                    .iter()
                    .map(|s| format!("{} s → ×{}", s.duration_s, s.target))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )?;
    out.write_all(charts(r).as_bytes())?;
    writeln!(out, "<h2>Figures</h2><table>")?;
    let h = &r.humans;
    let rows: [(&str, String); 18] = [
        ("conversations", l.conversations.to_string()),
        ("inbound messages", l.inbound.to_string()),
        ("replies", l.replies.to_string()),
        (
            "unanswered",
            format!("{} ({:.4})", l.unanswered, l.unanswered_rate),
        ),
        (
            "first reply p50 / p99, ms",
            format!("{} / {}", l.first_reply_p50_ms, l.first_reply_p99_ms),
        ),
        (
            "reply p50 / p90 / p99 / max, ms",
            format!(
                "{} / {} / {} / {}",
                l.reply_p50_ms, l.reply_p90_ms, l.reply_p99_ms, l.reply_max_ms
            ),
        ),
        ("extra replies", l.extra_replies.to_string()),
        (
            "duplicates answered twice",
            l.duplicates_answered_twice.to_string(),
        ),
        ("handoffs", l.handoffs.to_string()),
        ("closed", l.closed.to_string()),
        ("abandoned before the first reply", l.abandoned.to_string()),
        (
            "written after a handoff or close, not sent",
            l.crossed_end.to_string(),
        ),
        ("webhook error rate", format!("{:.4}", r.webhook_error_rate)),
        (
            "webhook lag p50 / p99, µs",
            format!("{} / {}", r.deliveries.lag_p50_us, r.deliveries.lag_p99_us),
        ),
        (
            "writes rejected (closed)",
            r.api.errors.get("closed").copied().unwrap_or(0).to_string(),
        ),
        (
            "agents: conversations (handed over) / answered / abandoned / open at the end",
            format!(
                "{} ({}) / {} / {} / {}",
                h.conversations, h.handed_over, h.answered, h.abandoned, h.open_at_end
            ),
        ),
        (
            "agents: wait p50 / p90, simulated s",
            format!("{:.0} / {:.0}", h.wait_p50_s, h.wait_p90_s),
        ),
        (
            "agents: reply latency p50, simulated s",
            format!("{:.0}", h.agent_reply_p50_s),
        ),
    ];
    for (name, value) in rows {
        writeln!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(name),
            escape(&value)
        )?;
    }
    writeln!(out, "</table>")?;
    if !r.thresholds.is_empty() {
        writeln!(
            out,
            "<h2>Thresholds</h2><table><tr><th>threshold</th><th>actual</th><th></th></tr>"
        )?;
        for v in &r.thresholds {
            writeln!(
                out,
                "<tr><td>{} {} {}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                escape(&v.threshold.figure),
                escape(&op_text(v)),
                v.threshold.value,
                v.actual,
                if v.passed { "pass" } else { "fail" },
                if v.passed { "pass" } else { "FAIL" }
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(
        out,
        "<h2>API calls</h2><table><tr><th>endpoint</th><th>calls</th><th>p50 µs</th><th>p99 µs</th></tr>"
    )?;
    for (endpoint, e) in &r.api.by_endpoint {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(endpoint),
            e.calls,
            e.p50_us,
            e.p99_us
        )?;
    }
    writeln!(
        out,
        "</table><h2>Intervals</h2><table><tr><th>start s</th><th>inbound</th><th>replies</th><th>reply p50 ms</th><th>reply p99 ms</th></tr>"
    )?;
    for row in &r.rows {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            row.start_s, row.inbound, row.replies, row.reply_p50_ms, row.reply_p99_ms
        )?;
    }
    writeln!(out, "</table></body></html>")
}
