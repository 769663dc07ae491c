//! Self-contained HTML reports: one file per run, sweep or comparison, with the charts as
//! inline SVG ([`super::svg`]), the styles inline, and one short script that only builds the
//! table of contents and marks the page ready (`data-ready` on `<html>`), so a headless browser
//! can tell a page that rendered from one whose script failed. Nothing is fetched.

use std::fmt::Write as _;

use super::svg::{self, Dot, Series, YAxis};
use crate::plan::metrics::Metric;
use crate::plan::sweep::SweepResult;
use crate::plan::sweep_report::{PointReport, scope_name};

const STYLE: &str = "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 12px}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}.sub{color:#666}table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}td,th{border-bottom:1px solid #eee;padding:3px 6px;text-align:right}.wide{overflow-x:auto}td:first-child,th:first-child{text-align:left}.chart{display:block;margin:6px 0 14px}.chart .ct{font-size:13px;font-weight:600;fill:#222}.chart .yl{font-size:10px;fill:#666;text-anchor:end}.chart .xl{font-size:10px;fill:#666;text-anchor:middle}.chart .rl{font-size:11px;fill:#222;text-anchor:end}.chart .lg{font-size:11px;fill:#222}.chart .yt{font-size:11px;fill:#444}.chart .clip{font-size:9px}.bad{color:#b00020;font-weight:600}.good{color:#1b7a3a}#toc a{margin-right:12px}";

const SCRIPT: &str = "(function(){var toc=document.getElementById('toc');var hs=document.querySelectorAll('h2');for(var i=0;i<hs.length;i++){hs[i].id='s'+i;var a=document.createElement('a');a.href='#s'+i;a.textContent=hs[i].textContent;toc.appendChild(a);}document.documentElement.setAttribute('data-ready','1');})();";

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A whole page around `body`.
pub fn page(title: &str, subtitle: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{t}</title><style>{STYLE}</style></head><body><h1>{t}</h1><div class=\"sub\">{s}</div><nav id=\"toc\"></nav>\n{body}\n<script>{SCRIPT}</script></body></html>\n",
        t = escape(title),
        s = escape(subtitle)
    )
}

/// A figure for a table cell: share as percent, else a number; "—" when undefined.
pub fn fmt_value(m: Metric, v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if m.is_share() {
        format!("{:.1} %", v * 100.0)
    } else {
        format!("{v:.1}")
    }
}

/// The sweep's page: each whole-centre metric across points with intervals, per-interval
/// service level and occupancy of every point, and a table per point.
pub fn sweep_page(result: &SweepResult, reports: &[PointReport]) -> String {
    let mut body = String::new();
    body += "<h2>Points compared (whole centre, mean and 95 % interval over replications)</h2>";
    for m in [
        Metric::ServiceLevel,
        Metric::AbandonRate,
        Metric::AsaS,
        Metric::WaitP90S,
        Metric::Occupancy,
        Metric::SlaCompliance,
        Metric::Containment,
    ] {
        let dots: Vec<Dot> = reports
            .iter()
            .filter_map(|p| {
                let all = p.scopes.last()?;
                let (_, e) = all.metrics.iter().find(|(x, _)| *x == m)?;
                Some(Dot {
                    label: p.name.clone(),
                    mean: e.mean,
                    low: e.ci_low,
                    high: e.ci_high,
                })
            })
            .collect();
        if dots.is_empty() {
            continue;
        }
        let y = m.axis();
        body += &svg::dot_chart(m.name(), &dots, y, false);
    }
    if let Some(first) = result.meta.points.first() {
        body += "<h2>Per interval (whole centre, all replications)</h2>";
        let labels = &first.interval_starts;
        for (m, y) in [
            (Metric::ServiceLevel, YAxis::Percent),
            (Metric::Occupancy, YAxis::Percent),
        ] {
            let series: Vec<Series> = result
                .meta
                .points
                .iter()
                .zip(&result.points)
                .take(svg::PALETTE.len())
                .map(|(meta, data)| {
                    let all = data.scopes - 1;
                    let values = (0..meta.interval_starts.len())
                        .map(|i| m.of_counts(&data.interval(i)[all]).unwrap_or(f64::NAN))
                        .collect();
                    Series::line(meta.name.clone(), values)
                })
                .collect();
            body += &svg::line_chart(&format!("{} per interval", m.name()), labels, &series, y);
        }
    }
    body += "<h2>Points</h2>";
    for (p, meta) in reports.iter().zip(&result.meta.points) {
        let _ = write!(
            body,
            "<h3>{}</h3><div class=\"sub\">{} · seed {} · {} replications</div>",
            escape(&p.name),
            escape(&if p.settings.is_empty() {
                "the scenario as it is".to_string()
            } else {
                p.settings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            p.seed,
            p.replications
        );
        body += &scope_table(p, meta);
    }
    page(
        &format!("Sweep '{}'", result.meta.plan),
        &format!(
            "scenario '{}' · {} points · ccsim {}",
            result.meta.scenario,
            reports.len(),
            result.meta.ccsim
        ),
        &body,
    )
}

fn scope_table(p: &PointReport, meta: &crate::plan::sweep::PointMeta) -> String {
    let mut t = String::from("<table><tr><th>scope</th>");
    let shown = [
        Metric::Offered,
        Metric::ServiceLevel,
        Metric::AbandonRate,
        Metric::AsaS,
        Metric::WaitP90S,
        Metric::Occupancy,
        Metric::SlaCompliance,
    ];
    for m in shown {
        let _ = write!(t, "<th>{}</th>", m.name());
    }
    t += "</tr>";
    for (s, scope) in p.scopes.iter().enumerate() {
        let _ = write!(t, "<tr><td>{}</td>", escape(scope_name(meta, s)));
        for m in shown {
            let cell = scope
                .metrics
                .iter()
                .find(|(x, _)| *x == m)
                .map_or("—".into(), |(_, e)| {
                    format!("{} ± {}", fmt_value(m, e.mean), fmt_value(m, e.half_width))
                });
            let _ = write!(t, "<td>{cell}</td>");
        }
        t += "</tr>";
    }
    t += "</table>";
    t
}
