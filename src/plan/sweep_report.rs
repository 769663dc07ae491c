//! A sweep's report, computed once from the whole sweep's integers (never from averaged
//! shard reports): `sweep.json`, `sweep.csv` (point × scope × metric, mean and 95 % interval
//! over replications), `intervals.csv` (point × interval × scope) and `report.html`.

use std::fmt::Write as _;

use serde::Serialize;

use super::measures::PointData;
use super::metrics::Metric;
use super::sweep::{PointMeta, SettingValue, SweepResult};
use crate::report::stats::Estimate;

/// The report of one scope of one point.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeReport {
    /// Queue name, or `all`.
    pub scope: String,
    /// Per metric, mean and 95 % interval over replications (metrics undefined here left
    /// out).
    pub metrics: Vec<(Metric, Estimate)>,
    /// Waits of the answered of every replication pooled, s: p50, p90, p99.
    pub pooled_wait_s: Option<[f64; 3]>,
}

/// The report of one point.
#[derive(Debug, Clone, Serialize)]
pub struct PointReport {
    /// Name.
    pub name: String,
    /// Settings, in the order they apply.
    pub settings: Vec<SettingValue>,
    /// Seed.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
    /// Per scope: the queues, then `all`.
    pub scopes: Vec<ScopeReport>,
}

/// The name of scope `s` of a point.
pub fn scope_name(meta: &PointMeta, s: usize) -> &str {
    meta.queues.get(s).map_or("all", String::as_str)
}

/// The report of point `meta` from its data.
pub fn point_report(meta: &PointMeta, data: &PointData) -> PointReport {
    let scopes = (0..data.scopes)
        .map(|s| {
            let metrics = Metric::ALL
                .into_iter()
                .filter_map(|m| {
                    let values: Vec<f64> = data.reps.values().map(|r| m.of_rep(r, s)).collect();
                    let e = Estimate::ci95(&values);
                    e.mean.is_finite().then_some((m, e))
                })
                .collect();
            let pool = &data.waits_ms[s];
            let pooled_wait_s = (!pool.is_empty())
                .then(|| [0.5, 0.9, 0.99].map(|q| pool.value_at_quantile(q) as f64 / 1000.0));
            ScopeReport {
                scope: scope_name(meta, s).to_string(),
                metrics,
                pooled_wait_s,
            }
        })
        .collect();
    PointReport {
        name: meta.name.clone(),
        settings: meta.settings.clone(),
        seed: meta.seed,
        replications: meta.replications,
        scopes,
    }
}

/// Every point's report.
pub fn reports(result: &SweepResult) -> Vec<PointReport> {
    result
        .meta
        .points
        .iter()
        .zip(&result.points)
        .map(|(m, d)| point_report(m, d))
        .collect()
}

#[derive(Serialize)]
struct SweepJson<'a> {
    plan: &'a str,
    scenario: &'a str,
    ccsim: &'a str,
    fingerprint: &'a str,
    points: Vec<PointJson<'a>>,
}

#[derive(Serialize)]
struct PointJson<'a> {
    name: &'a str,
    settings: &'a [SettingValue],
    seed: u64,
    replications: u32,
    scopes: Vec<ScopeJson<'a>>,
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    scope: &'a str,
    metrics: serde_json::Map<String, serde_json::Value>,
    pooled_wait_s: Option<[f64; 3]>,
}

/// `sweep.json`.
pub fn json(result: &SweepResult, reports: &[PointReport]) -> String {
    let points = reports
        .iter()
        .map(|p| PointJson {
            name: &p.name,
            settings: &p.settings,
            seed: p.seed,
            replications: p.replications,
            scopes: p
                .scopes
                .iter()
                .map(|s| ScopeJson {
                    scope: &s.scope,
                    metrics: s
                        .metrics
                        .iter()
                        .map(|(m, e)| {
                            (
                                m.name().to_string(),
                                serde_json::to_value(e).expect("an estimate serialises"),
                            )
                        })
                        .collect(),
                    pooled_wait_s: s.pooled_wait_s,
                })
                .collect(),
        })
        .collect();
    let doc = SweepJson {
        plan: &result.meta.plan,
        scenario: &result.meta.scenario,
        ccsim: &result.meta.ccsim,
        fingerprint: &result.fingerprint,
        points,
    };
    serde_json::to_string_pretty(&doc).expect("the report serialises") + "\n"
}

/// A number for a CSV cell: empty when undefined, else up to 6 decimals.
pub fn cell(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    } else {
        String::new()
    }
}

/// `sweep.csv`: one row per point, scope and metric.
pub fn csv(reports: &[PointReport]) -> String {
    let mut out = String::from("point,name,scope,metric,mean,ci_low,ci_high,replications\n");
    for (i, p) in reports.iter().enumerate() {
        for s in &p.scopes {
            for (m, e) in &s.metrics {
                let _ = writeln!(
                    out,
                    "{i},{},{},{},{},{},{},{}",
                    quote(&p.name),
                    quote(&s.scope),
                    m.name(),
                    cell(e.mean),
                    cell(e.ci_low),
                    cell(e.ci_high),
                    p.replications
                );
            }
        }
    }
    out
}

/// `settings.csv`: one row per point, one column per setting key any point has (in the order
/// the keys first appear), the value where the point sets it and empty where it does not.
pub fn settings_csv(reports: &[PointReport]) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for p in reports {
        for s in &p.settings {
            if !keys.contains(&s.key.as_str()) {
                keys.push(&s.key);
            }
        }
    }
    let mut out = String::from("point,name");
    for k in &keys {
        out.push(',');
        out += &quote(k);
    }
    out.push('\n');
    for (i, p) in reports.iter().enumerate() {
        let _ = write!(out, "{i},{}", quote(&p.name));
        for k in &keys {
            // The last setting of a key is the one that holds.
            let value = p
                .settings
                .iter()
                .rev()
                .find(|s| s.key == *k)
                .map(|s| match &s.value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                });
            let _ = write!(out, ",{}", quote(value.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
    out
}

/// `intervals.csv`: per point, interval and scope, the interval's figures over all
/// replications (offered per replication; ratios of the summed counts).
pub fn intervals_csv(result: &SweepResult) -> String {
    let mut out = String::from(
        "point,name,interval_start,date,time,scope,offered_per_rep,answered_per_rep,service_level,abandon_rate,asa_s,occupancy,sla_compliance,max_queue_length_per_rep,staffed_slots,busy_slots\n",
    );
    for (i, (meta, data)) in result.meta.points.iter().zip(&result.points).enumerate() {
        let reps = data.reps.len().max(1) as f64;
        let interval_ms = (meta.interval_min * 60_000) as f64;
        for (k, start) in meta.interval_starts.iter().enumerate() {
            for (s, c) in data.interval(k).iter().enumerate() {
                let m = |metric: Metric| metric.of_counts(c).unwrap_or(f64::NAN);
                let (date, time) = super::sweep::date_time_cells(start);
                let _ = writeln!(
                    out,
                    "{i},{},{start},{date},{time},{},{},{},{},{},{},{},{},{},{},{}",
                    quote(&meta.name),
                    quote(scope_name(meta, s)),
                    cell(c.offered as f64 / reps),
                    cell(c.answered as f64 / reps),
                    cell(m(Metric::ServiceLevel)),
                    cell(m(Metric::AbandonRate)),
                    cell(m(Metric::AsaS)),
                    cell(m(Metric::Occupancy)),
                    cell(m(Metric::SlaCompliance)),
                    cell(c.max_queue_length as f64 / reps),
                    cell(c.staffed_slot_ms as f64 / reps / interval_ms),
                    cell(c.busy_slot_ms as f64 / reps / interval_ms),
                );
            }
        }
    }
    out
}

/// A CSV field, quoted when it needs to be.
pub fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
