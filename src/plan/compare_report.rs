//! The outputs of `ccsim compare`: a Markdown summary (for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`), JUnit XML (one test case per gate rule and scope), JSON, the
//! per-interval differences as CSV, and the HTML page.

use std::fmt::Write as _;

use serde::Serialize;

use super::compare::{Comparison, Delta};
use super::gate::{Check, Gate, Verdict};
use super::metrics::Metric;
use super::sweep_report::{cell, quote};
use crate::report::html::{escape, fmt_value, page};
use crate::report::svg::{self, Dot, Series, YAxis};

/// A signed change for a table: `+1.2 pts`, `−3.4 s`.
fn fmt_change(m: Metric, x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let sign = if x > 0.0 {
        "+"
    } else if x < 0.0 {
        "−"
    } else {
        "±"
    };
    if m.is_share() {
        format!("{sign}{:.2} pts", x.abs() * 100.0)
    } else {
        format!("{sign}{:.2}", x.abs())
    }
}

fn fmt_delta(m: Metric, d: &Delta) -> String {
    if d.diff.half_width > 0.0 {
        format!(
            "{} [{} … {}]",
            fmt_change(m, d.diff.mean),
            fmt_change(m, d.diff.ci_low),
            fmt_change(m, d.diff.ci_high)
        )
    } else {
        fmt_change(m, d.diff.mean)
    }
}

fn where_of(c: &Check) -> String {
    match &c.interval {
        Some(i) => format!("{} · interval {i}", c.scope),
        None => format!("{} · whole run", c.scope),
    }
}

/// The failed checks: whole-run ones first, then by rule, then the worst (worsening over
/// allowance) first; ties keep check order.
pub fn worst_failures(verdict: &Verdict) -> Vec<&Check> {
    let mut f: Vec<&Check> = verdict.failures().collect();
    let overshoot = |c: &Check| {
        if c.allowed > 0.0 {
            c.worsening / c.allowed
        } else {
            f64::INFINITY
        }
    };
    f.sort_by(|a, b| {
        (a.interval.is_some(), a.rule)
            .cmp(&(b.interval.is_some(), b.rule))
            .then(overshoot(b).total_cmp(&overshoot(a)))
    });
    f
}

/// The one-line headline of a failure: metric, queue, interval, by how much.
pub fn failure_line(c: &Check) -> String {
    format!(
        "{} of {} worsened by {} (allowed {}; base {}, candidate {}){}",
        c.metric.name(),
        where_of(c),
        fmt_change(c.metric, c.worsening).trim_start_matches('+'),
        fmt_value(c.metric, c.allowed).replace(" %", " pts"),
        fmt_value(c.metric, c.delta.base),
        fmt_value(c.metric, c.delta.candidate),
        if c.delta.base == 0.0 && c.allowed == 0.0 {
            ": a relative limit allows nothing against a base of 0 (add abs for a floor)"
        } else {
            ""
        }
    )
}

/// The Markdown summary.
pub fn markdown(cmp: &Comparison, verdict: Option<&Verdict>) -> String {
    let mut md = String::new();
    let status = match verdict {
        Some(v) if v.passed() => "✅ passed the gate",
        Some(_) => "❌ regression",
        None => "compared (no gate)",
    };
    let _ = writeln!(md, "## ccsim compare: {status}\n");
    let _ = writeln!(
        md,
        "Base `{}` against candidate `{}` · seed {} · {} paired replications on common random numbers · changes are candidate − base with 95 % intervals of the paired differences.\n",
        cmp.base, cmp.candidate, cmp.seed, cmp.replications
    );
    if let Some(v) = verdict {
        let failures = worst_failures(v);
        if !failures.is_empty() {
            let _ = writeln!(md, "### Regressions ({})\n", failures.len());
            md += "| metric | queue | interval | base | candidate | change | allowed worsening |\n|---|---|---|---:|---:|---:|---:|\n";
            for c in failures.iter().take(25) {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    c.metric.name(),
                    c.scope,
                    c.interval.as_deref().unwrap_or("whole run"),
                    fmt_value(c.metric, c.delta.base),
                    fmt_value(c.metric, c.delta.candidate),
                    fmt_delta(c.metric, &c.delta),
                    fmt_value(c.metric, c.allowed).replace(" %", " pts"),
                );
            }
            if failures.len() > 25 {
                let _ = writeln!(
                    md,
                    "\n… and {} more (see compare.json).",
                    failures.len() - 25
                );
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "{} checks made, {} failed.\n",
            v.checks.len(),
            v.failures().count()
        );
        for u in &v.unmatched {
            let _ = writeln!(md, "- ⚠️ {u}");
        }
    }
    md += "### Whole run\n\n| queue | metric | base | candidate | change |\n|---|---|---:|---:|---:|\n";
    for s in &cmp.scopes {
        for (m, d) in &s.totals {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                s.scope,
                m.name(),
                fmt_value(*m, d.base),
                fmt_value(*m, d.candidate),
                fmt_delta(*m, d)
            );
        }
    }
    if !cmp.notes.is_empty() {
        md += "\nNotes:\n";
        for n in &cmp.notes {
            let _ = writeln!(md, "- {n}");
        }
    }
    md
}

/// JUnit XML: one test case per gate rule and scope, failing with every failed check.
pub fn junit(cmp: &Comparison, gate: &Gate, verdict: &Verdict) -> String {
    let mut cases = String::new();
    let (mut tests, mut failures) = (0, 0);
    for (k, rule) in gate.rules.iter().enumerate() {
        let mut scopes: Vec<&str> = Vec::new();
        for c in verdict.checks.iter().filter(|c| c.rule == k) {
            if !scopes.contains(&c.scope.as_str()) {
                scopes.push(&c.scope);
            }
        }
        for scope in scopes {
            tests += 1;
            let mine: Vec<&Check> = verdict
                .checks
                .iter()
                .filter(|c| c.rule == k && c.scope == scope)
                .collect();
            let failed: Vec<&&Check> = mine.iter().filter(|c| c.failed).collect();
            let name = format!(
                "{} of {} may worsen by at most {}{}",
                rule.metric.name(),
                scope,
                rule.max_worsening.describe(rule.metric),
                if rule.per_interval {
                    format!(
                        " (whole run and {} intervals)",
                        mine.len().saturating_sub(1)
                    )
                } else {
                    String::new()
                }
            );
            let _ = write!(
                cases,
                "    <testcase classname=\"ccsim.compare.{}\" name=\"{}\"",
                escape(&cmp.candidate),
                escape(&name)
            );
            if failed.is_empty() {
                cases += "/>\n";
            } else {
                failures += 1;
                let text: Vec<String> = failed.iter().map(|c| failure_line(c)).collect();
                let _ = write!(
                    cases,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                    escape(&text[0]),
                    escape(&text.join("\n"))
                );
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ccsim compare\" tests=\"{tests}\" failures=\"{failures}\">\n  <testsuite name=\"{} vs {}\" tests=\"{tests}\" failures=\"{failures}\">\n{cases}  </testsuite>\n</testsuites>\n",
        escape(&cmp.base),
        escape(&cmp.candidate)
    )
}

#[derive(Serialize)]
struct CompareJson<'a> {
    base: &'a str,
    candidate: &'a str,
    seed: u64,
    replications: u32,
    passed: Option<bool>,
    failures: Vec<&'a Check>,
    unmatched_rules: &'a [String],
    checks: usize,
    scopes: Vec<ScopeJson<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    scope: &'a str,
    totals: serde_json::Map<String, serde_json::Value>,
}

/// `compare.json`: the verdict, every failure, and the whole-run deltas.
pub fn json(cmp: &Comparison, verdict: Option<&Verdict>) -> String {
    let doc = CompareJson {
        base: &cmp.base,
        candidate: &cmp.candidate,
        seed: cmp.seed,
        replications: cmp.replications,
        passed: verdict.map(Verdict::passed),
        failures: verdict.map_or(Vec::new(), worst_failures),
        unmatched_rules: verdict.map_or(&[], |v| v.unmatched.as_slice()),
        checks: verdict.map_or(0, |v| v.checks.len()),
        scopes: cmp
            .scopes
            .iter()
            .map(|s| ScopeJson {
                scope: &s.scope,
                totals: s
                    .totals
                    .iter()
                    .map(|(m, d)| {
                        (
                            m.name().to_string(),
                            serde_json::to_value(d).expect("a delta serialises"),
                        )
                    })
                    .collect(),
            })
            .collect(),
        notes: &cmp.notes,
    };
    serde_json::to_string_pretty(&doc).expect("the comparison serialises") + "\n"
}

/// `compare_intervals.csv`: every per-interval delta.
pub fn intervals_csv(cmp: &Comparison) -> String {
    let mut out = String::from(
        "interval_start,date,time,scope,metric,base,candidate,diff,diff_ci_low,diff_ci_high\n",
    );
    for s in &cmp.scopes {
        for (i, row) in s.intervals.iter().enumerate() {
            for (m, d) in row {
                let (date, time) = super::sweep::date_time_cells(&cmp.interval_starts[i]);
                let _ = writeln!(
                    out,
                    "{},{date},{time},{},{},{},{},{},{},{}",
                    cmp.interval_starts[i],
                    quote(&s.scope),
                    m.name(),
                    cell(d.base),
                    cell(d.candidate),
                    cell(d.diff.mean),
                    cell(d.diff.ci_low),
                    cell(d.diff.ci_high)
                );
            }
        }
    }
    out
}

/// The comparison's HTML page: whole-run differences with their intervals, and per interval
/// the base and candidate and their difference with its band.
pub fn html(cmp: &Comparison, verdict: Option<&Verdict>) -> String {
    let mut body = String::new();
    if let Some(v) = verdict {
        let failures = worst_failures(v);
        if failures.is_empty() {
            let _ = write!(
                body,
                "<p class=\"good\">Passed the gate: {} checks.</p>",
                v.checks.len()
            );
        } else {
            let _ = write!(
                body,
                "<p class=\"bad\">Regression: {} of {} checks failed.</p><ul>",
                failures.len(),
                v.checks.len()
            );
            for c in failures.iter().take(10) {
                let _ = write!(body, "<li>{}</li>", escape(&failure_line(c)));
            }
            body += "</ul>";
        }
    }
    body += "<h2>Whole run: candidate − base (95 % interval of paired differences)</h2>";
    for m in Metric::ALL {
        let dots: Vec<Dot> = cmp
            .scopes
            .iter()
            .filter_map(|s| {
                let (_, d) = s.totals.iter().find(|(x, _)| *x == m)?;
                Some(Dot {
                    label: s.scope.clone(),
                    mean: d.diff.mean,
                    low: d.diff.ci_low,
                    high: d.diff.ci_high,
                })
            })
            .collect();
        if dots.is_empty() || m == Metric::Offered {
            continue;
        }
        body += &svg::dot_chart(&format!("Δ {}", m.name()), &dots, m.change_axis(), true);
    }
    let labels = &cmp.interval_starts;
    for s in cmp.scopes.iter().filter(|s| !s.intervals.is_empty()) {
        let _ = write!(body, "<h2>Per interval: {}</h2>", escape(&s.scope));
        for (m, y) in [
            (Metric::ServiceLevel, YAxis::Percent),
            (Metric::AsaS, Metric::AsaS.axis()),
        ] {
            let get = |f: &dyn Fn(&Delta) -> f64| -> Vec<f64> {
                s.intervals
                    .iter()
                    .map(|row| {
                        row.iter()
                            .find(|(x, _)| *x == m)
                            .map_or(f64::NAN, |(_, d)| f(d))
                    })
                    .collect()
            };
            let series = [
                Series::line("base", get(&|d| d.base)),
                Series {
                    name: "candidate".into(),
                    values: get(&|d| d.candidate),
                    band: None,
                    dashed: true,
                },
            ];
            body += &svg::line_chart(&format!("{} per interval", m.name()), labels, &series, y);
            let diff = Series {
                name: "candidate − base".into(),
                values: get(&|d| d.diff.mean),
                band: Some(
                    get(&|d| d.diff.ci_low)
                        .into_iter()
                        .zip(get(&|d| d.diff.ci_high))
                        .collect(),
                ),
                dashed: false,
            };
            body += &svg::line_chart(
                &format!("Δ {} per interval, 95 % band", m.name()),
                labels,
                &[diff],
                m.change_axis(),
            );
        }
    }
    body += "<h2>Whole run, every metric</h2><table><tr><th>queue</th><th>metric</th><th>base</th><th>candidate</th><th>change</th></tr>";
    for s in &cmp.scopes {
        for (m, d) in &s.totals {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.scope),
                m.name(),
                fmt_value(*m, d.base),
                fmt_value(*m, d.candidate),
                escape(&fmt_delta(*m, d))
            );
        }
    }
    body += "</table>";
    for n in &cmp.notes {
        let _ = write!(body, "<p class=\"sub\">{}</p>", escape(n));
    }
    page(
        &format!("Compare '{}' → '{}'", cmp.base, cmp.candidate),
        &format!(
            "seed {} · {} paired replications · common random numbers",
            cmp.seed, cmp.replications
        ),
        &body,
    )
}
