//! The regression gate of `ccsim compare`: per-metric limits on how much a candidate may worsen
//! a metric, read from a TOML gate file, and the verdicts.
//!
//! ```toml
//! [[rule]]
//! metric = "service_level"        # see `Metric::name`
//! scope = "*"                     # a queue, "all" (whole centre) or "*" (each queue and all)
//! per_interval = true             # also check every report interval
//! max_worsening = { abs = 0.02 }  # or { rel = 0.10 }: a share of the base's value
//! ```
//!
//! A limit may give `abs`, `rel` or both: the allowed worsening is `abs + rel × |base|` (as
//! numpy's `isclose` adds its tolerances), so `abs` is the floor a relative limit keeps when the
//! base is small. Against a base of 0 a `rel`-only limit allows no worsening at all: any rise
//! from nothing that the interval confirms fails the check, and the verdict says why (give
//! `abs` beside `rel` to allow some).
//!
//! The worsening is the paired difference turned so that positive is worse (base − candidate
//! for metrics where higher is better). A check **fails** when the mean worsening exceeds the
//! limit *and* its 95 % interval lies wholly above zero: the candidate is worse by more than
//! allowed, and the change — not noise — explains it. With one replication there is no
//! interval and the mean decides.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::PlanError;
use super::compare::{Comparison, Delta};
use super::metrics::{Better, Metric};
use crate::scenario::error::FieldPath;
use crate::scenario::locate::{Format, Locator};
use crate::scenario::{deserialize_toml, located_by};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GateFile {
    #[serde(default)]
    rule: Vec<RuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    metric: String,
    #[serde(default = "every_scope")]
    scope: String,
    #[serde(default)]
    per_interval: bool,
    max_worsening: LimitFile,
}

fn every_scope() -> String {
    "*".into()
}

/// `max_worsening` as written: read by [`limit_of`], so that a bare number (a common slip)
/// or a misspelt key is answered with the forms it could mean.
type LimitFile = toml::Value;

/// The limit `value` says, or what is wrong with it.
fn limit_of(value: &toml::Value) -> Result<Limit, String> {
    let number = |v: &toml::Value| match v {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    let table = match value {
        toml::Value::Table(t) => t,
        v => {
            return Err(match number(v) {
                Some(n) => format!(
                    "a bare number ({n}) does not say how it counts: expected {{ abs = {n} }} \
                     (in the metric's unit) or {{ rel = {n} }} (a share of the base's value)"
                ),
                None => "expected a table such as { abs = 0.02 } or { rel = 0.10 }".into(),
            });
        }
    };
    let mut limit = Limit {
        abs: None,
        rel: None,
    };
    for (key, v) in table {
        let slot = match key.as_str() {
            "abs" => &mut limit.abs,
            "rel" => &mut limit.rel,
            other => {
                return Err(format!(
                    "unknown key '{}': expected abs, rel or both",
                    crate::scenario::input_file::excerpt(other)
                ));
            }
        };
        match number(v) {
            Some(n) if n.is_finite() && n >= 0.0 => *slot = Some(n),
            _ => return Err(format!("{key} is {v}: expected a number ≥ 0")),
        }
    }
    if limit.abs.is_none() && limit.rel.is_none() {
        return Err("expected abs, rel or both, e.g. { abs = 0.02 }".into());
    }
    Ok(limit)
}

/// How much worse a metric may get: `abs + rel × |base|`, each part 0 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limit {
    /// In the metric's own unit (shares as fractions: 0.02 is two points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abs: Option<f64>,
    /// As a share of the base's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<f64>,
}

impl Limit {
    /// The allowed worsening for a base value.
    pub fn allowed(self, base: f64) -> f64 {
        self.abs.unwrap_or(0.0) + self.rel.unwrap_or(0.0) * base.abs()
    }

    /// "2 points" / "10 % of base" / "2 points + 10 % of base".
    pub fn describe(self, m: Metric) -> String {
        let abs = self.abs.map(|a| {
            if m.is_share() {
                format!("{:.2} points", a * 100.0)
            } else {
                format!("{a}")
            }
        });
        let rel = self.rel.map(|r| format!("{:.1} % of base", r * 100.0));
        match (abs, rel) {
            (Some(a), Some(r)) => format!("{a} + {r}"),
            (Some(a), None) => a,
            (None, Some(r)) => r,
            (None, None) => "0".into(),
        }
    }
}

/// One rule of a gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// The metric.
    pub metric: Metric,
    /// A queue name, `all`, or `*` for every scope.
    pub scope: String,
    /// Check every interval too.
    pub per_interval: bool,
    /// The limit.
    pub max_worsening: Limit,
}

/// A gate: its rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// Rules, in file order.
    pub rules: Vec<Rule>,
}

impl Gate {
    /// Reads and checks a gate file.
    pub fn load(path: &Path) -> Result<Self, PlanError> {
        Self::parse(&super::plan_file::read(path)?, path)
    }

    /// Checks gate text (a gate file's TOML); `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, PlanError> {
        let file: GateFile =
            deserialize_toml(text, path).map_err(|problems| PlanError::Invalid { problems })?;
        let locator = Locator::new(text, Format::Toml);
        let at = |field: FieldPath, message: String| located_by(&locator, path, field, message);
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        if file.rule.is_empty() {
            problems.push(at(
                FieldPath::root(),
                "the gate has no [[rule]]: expected at least one".into(),
            ));
        }
        for (i, r) in file.rule.iter().enumerate() {
            let here = FieldPath::root().key("rule").index(i);
            let metric = Metric::from_name(&r.metric);
            if metric.is_none() {
                problems.push(at(
                    here.key("metric"),
                    format!(
                        "unknown metric '{}': expected one of {}",
                        r.metric,
                        Metric::ALL.map(Metric::name).join(", ")
                    ),
                ));
            }
            if let Some(m) = metric {
                if m.better() == Better::Neither {
                    problems.push(at(
                        here.key("metric"),
                        format!("'{}' is a load, not a quality: it cannot worsen", m.name()),
                    ));
                }
                if r.per_interval && !Metric::PER_INTERVAL.contains(&m) {
                    problems.push(at(
                        here.key("per_interval"),
                        format!(
                            "'{}' has no per-interval value: expected one of {}",
                            m.name(),
                            Metric::PER_INTERVAL.map(Metric::name).join(", ")
                        ),
                    ));
                }
            }
            let limit = match limit_of(&r.max_worsening) {
                Ok(limit) => Some(limit),
                Err(message) => {
                    problems.push(at(here.key("max_worsening"), message));
                    None
                }
            };
            if let (Some(metric), Some(max_worsening)) = (metric, limit) {
                rules.push(Rule {
                    metric,
                    scope: r.scope.clone(),
                    per_interval: r.per_interval,
                    max_worsening,
                });
            }
        }
        if problems.is_empty() {
            Ok(Self { rules })
        } else {
            Err(PlanError::Invalid { problems })
        }
    }

    /// Checks the gate at `path` (as [`Gate::load`] read it) against a comparison of
    /// `replications` paired replications whose queues are `queues`: every rule's scope must
    /// name one of them, `all` or `*` (a misspelt scope would judge nothing and pass), and a
    /// gate needs at least 2 replications (with 1, no interval on a difference exists, and
    /// every difference would read as a regression).
    pub fn check_against(
        &self,
        path: &Path,
        queues: &[&str],
        replications: u32,
    ) -> Result<(), PlanError> {
        self.check_in(&super::plan_file::read(path)?, path, queues, replications)
    }

    /// [`Gate::check_against`] for a gate parsed from `text` ([`Gate::parse`]).
    pub fn check_in(
        &self,
        text: &str,
        path: &Path,
        queues: &[&str],
        replications: u32,
    ) -> Result<(), PlanError> {
        let locator = Locator::new(text, Format::Toml);
        let at = |field: FieldPath, message: String| located_by(&locator, path, field, message);
        let mut problems = Vec::new();
        if replications < 2 {
            problems.push(at(
                FieldPath::root(),
                format!(
                    "a gate judges differences by their intervals, which need at least 2 paired replications; this comparison has {replications}: run 2 or more (--replications on the command line, replications= in Python)"
                ),
            ));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if rule.scope != "*" && rule.scope != "all" && !queues.contains(&rule.scope.as_str()) {
                problems.push(at(
                    FieldPath::root().key("rule").index(i).key("scope"),
                    format!(
                        "unknown scope '{}': expected all, * or a queue of the comparison ({})",
                        rule.scope,
                        queues.join(", ")
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PlanError::Invalid { problems })
        }
    }
}

/// One check of a rule against one scope (and interval).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The rule's index in the gate.
    pub rule: usize,
    /// The metric.
    pub metric: Metric,
    /// Queue name or `all`.
    pub scope: String,
    /// The interval's local start, or `None` for the whole run.
    pub interval: Option<String>,
    /// The comparison.
    pub delta: Delta,
    /// Worsening (positive is worse), mean.
    pub worsening: f64,
    /// The lower end of its interval.
    pub worsening_low: f64,
    /// The allowed worsening.
    pub allowed: f64,
    /// Whether this check failed.
    pub failed: bool,
}

/// The gate's verdict on a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// Every check made.
    pub checks: Vec<Check>,
    /// Rules that matched no scope of the comparison (a typo, or a queue that left).
    pub unmatched: Vec<String>,
}

impl Verdict {
    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.failed)
    }

    /// Whether the candidate passes.
    pub fn passed(&self) -> bool {
        self.failures().next().is_none()
    }
}

/// Judges `comparison` by `gate`.
pub fn judge(gate: &Gate, comparison: &Comparison) -> Verdict {
    let mut checks = Vec::new();
    let mut unmatched = Vec::new();
    for (k, rule) in gate.rules.iter().enumerate() {
        let mut matched = false;
        for scope in comparison
            .scopes
            .iter()
            .filter(|s| rule.scope == "*" || rule.scope == s.scope)
        {
            matched = true;
            if let Some((_, d)) = scope.totals.iter().find(|(m, _)| *m == rule.metric) {
                checks.push(check(k, rule, &scope.scope, None, d));
            }
            if rule.per_interval {
                for (i, row) in scope.intervals.iter().enumerate() {
                    if let Some((_, d)) = row.iter().find(|(m, _)| *m == rule.metric) {
                        let start = comparison.interval_starts[i].clone();
                        checks.push(check(k, rule, &scope.scope, Some(start), d));
                    }
                }
            }
        }
        if !matched {
            unmatched.push(format!(
                "rule {} ({} of '{}') matched no queue",
                k + 1,
                rule.metric.name(),
                rule.scope
            ));
        }
    }
    Verdict { checks, unmatched }
}

fn check(k: usize, rule: &Rule, scope: &str, interval: Option<String>, d: &Delta) -> Check {
    let sign = match rule.metric.better() {
        Better::Higher => -1.0,
        Better::Lower | Better::Neither => 1.0,
    };
    let worsening = sign * d.diff.mean;
    let worsening_low = (sign * d.diff.ci_low).min(sign * d.diff.ci_high);
    let allowed = rule.max_worsening.allowed(d.base);
    // A tiny tolerance keeps float dust (1e-16) from failing an exact no-op.
    let failed = worsening > allowed + 1e-12 && worsening_low > 0.0;
    Check {
        rule: k,
        metric: rule.metric,
        scope: scope.to_string(),
        interval,
        delta: *d,
        worsening,
        worsening_low,
        allowed,
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(base: f64, diff_mean: f64, low: f64, high: f64) -> Delta {
        Delta {
            base,
            candidate: base + diff_mean,
            diff: crate::report::stats::Estimate {
                mean: diff_mean,
                half_width: (high - low) / 2.0,
                ci_low: low,
                ci_high: high,
            },
            pairs: 5,
        }
    }

    fn rule(abs: Option<f64>, rel: Option<f64>) -> Rule {
        Rule {
            metric: Metric::AbandonRate,
            scope: "all".into(),
            per_interval: false,
            max_worsening: Limit { abs, rel },
        }
    }

    #[test]
    fn abs_and_rel_combine_as_abs_plus_rel_of_the_base() {
        let both = Limit {
            abs: Some(0.01),
            rel: Some(0.1),
        };
        assert!((both.allowed(0.2) - 0.03).abs() < 1e-12);
        assert!((both.allowed(0.0) - 0.01).abs() < 1e-12);
        // Abandonment 0.20 → 0.225: within 0.01 + 10 % of 0.20, not within 0.01 alone.
        let d = delta(0.2, 0.025, 0.02, 0.03);
        assert!(!check(0, &rule(Some(0.01), Some(0.1)), "all", None, &d).failed);
        assert!(check(0, &rule(Some(0.01), None), "all", None, &d).failed);
    }

    #[test]
    fn rel_against_a_zero_base_allows_nothing_and_says_why() {
        let d = delta(0.0, 0.05, 0.03, 0.07);
        let c = check(0, &rule(None, Some(0.5)), "all", None, &d);
        assert!(c.failed);
        assert!(
            super::super::compare_report::failure_line(&c)
                .contains("a relative limit allows nothing against a base of 0")
        );
        // With abs beside it, the floor holds.
        assert!(!check(0, &rule(Some(0.1), Some(0.5)), "all", None, &d).failed);
        // A rise the interval does not confirm fails nothing.
        let noise = delta(0.0, 0.01, -0.01, 0.03);
        assert!(!check(0, &rule(None, Some(0.5)), "all", None, &noise).failed);
    }
}
