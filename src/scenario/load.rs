//! The `[load]` section of a scenario: how `ccsim load` runs it by default, and its pass/fail
//! thresholds, e.g. `reply_p99_ms < 2000` or `unanswered_rate <= 0.001`: a figure of the load
//! summary, a comparison, a number. A run that breaks any ends with its own exit code (3).
//! Flags on the command line override the defaults and add thresholds.

use serde::Serialize;

use super::checks::Checker;
use super::error::FieldPath;
use super::file::LoadFile;

/// The figures a threshold may name: figures of the system under test. The generator's own
/// scheduling lag is not one: it is the harness's health, reported beside the verdicts
/// ([`HARNESS_FIGURES`]).
pub const FIGURES: [&str; 10] = [
    "reply_p50_ms",
    "reply_p90_ms",
    "reply_p99_ms",
    "first_reply_p99_ms",
    "unanswered_rate",
    "unanswered",
    "duplicates_answered_twice",
    "webhook_error_rate",
    "writes_rejected",
    "agent_wait_p90_s",
];

/// Figures of ccsim's own load generator: reported as the harness's health, never judged as
/// the system under test's.
pub const HARNESS_FIGURES: [&str; 2] = ["lag_p50_ms", "lag_p99_ms"];

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Lt => left < right,
            Op::Le => left <= right,
            Op::Gt => left > right,
            Op::Ge => left >= right,
        }
    }
}

/// One threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The figure (one of [`FIGURES`]).
    pub figure: String,
    /// The comparison.
    pub op: Op,
    /// The bound.
    pub value: f64,
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match self.op {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        };
        write!(f, "{} {op} {}", self.figure, self.value)
    }
}

impl Threshold {
    /// Parses `figure op number`, spaces optional.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (at, op, len) = ["<=", ">=", "<", ">"]
            .iter()
            .find_map(|sym| t.find(sym).map(|at| (at, *sym, sym.len())))
            .ok_or_else(|| format!("'{text}': expected FIGURE < NUMBER (or <=, >, >=)"))?;
        let figure = &t[..at];
        if HARNESS_FIGURES.contains(&figure) {
            return Err(format!(
                "'{text}': {figure} measures ccsim's own load generator, not the system under \
                 test: every load report shows it under 'harness' (healthy or overloaded) and it \
                 never fails a run; remove the threshold"
            ));
        }
        if !FIGURES.contains(&figure) {
            return Err(format!(
                "'{text}': unknown figure '{figure}'; expected one of {}",
                FIGURES.join(", ")
            ));
        }
        let value: f64 = t[at + len..]
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("'{text}': expected a number after '{op}'"))?;
        let op = match op {
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            _ => Op::Ge,
        };
        Ok(Self {
            figure: figure.to_string(),
            op,
            value,
        })
    }

    /// Whether `actual` meets it.
    pub fn met_by(&self, actual: f64) -> bool {
        self.op.holds(actual, self.value)
    }
}

/// How `ccsim load` runs the scenario unless told otherwise on the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadSpec {
    /// Simulated time per wall-clock time.
    pub compress: Option<f64>,
    /// Arrivals, wall-clock s.
    pub duration_s: Option<f64>,
    /// Where in the run the load starts, local date-time.
    pub start: Option<jiff::civil::DateTime>,
    /// Ramp stages, `(duration_s, target)`, checked.
    pub stages: Vec<(f64, f64)>,
    /// Pass/fail thresholds.
    pub thresholds: Vec<Threshold>,
    /// The share of customers' messages sent as each content type other than text, by its
    /// scenario key (`image`, `location`, …); the rest are text.
    pub inbound_content: Vec<(&'static str, f64)>,
}

impl Checker<'_> {
    /// Checks and converts the `[load]` section.
    pub(super) fn load(&mut self, root: &FieldPath, file: &LoadFile) -> LoadSpec {
        let p = root.key("load");
        let mut thresholds = Vec::new();
        for (i, text) in file.thresholds.iter().enumerate() {
            match Threshold::parse(text) {
                Ok(t) => thresholds.push(t),
                Err(e) => self.fail(p.key("thresholds").index(i), e),
            }
        }
        if let Some(c) = file.compress
            && !(c.is_finite() && c > 0.0)
        {
            self.fail(
                p.key("compress"),
                format!("{c}: expected a positive factor"),
            );
        }
        if let Some(d) = file.duration_s
            && !(d.is_finite() && d > 0.0)
        {
            self.fail(
                p.key("duration_s"),
                format!("{d}: expected seconds, more than 0"),
            );
        }
        let mut inbound_content = Vec::new();
        if let Some(c) = &file.inbound_content {
            let at = p.key("inbound_content");
            let shares = c.shares();
            let mut ok = true;
            for (key, share) in shares.iter().chain(c.text.map(|t| ("text", t)).iter()) {
                if !(share.is_finite() && (0.0..=1.0).contains(share)) {
                    self.fail(
                        at.key(key),
                        format!("{share}: expected a share from 0 to 1"),
                    );
                    ok = false;
                }
            }
            let others: f64 = shares.iter().map(|(_, v)| v).sum();
            if ok && others > 1.0 + 1e-9 {
                self.fail(
                    at.clone(),
                    format!("the shares add up to {others}: expected at most 1 (the rest is text)"),
                );
            } else if ok
                && let Some(text) = c.text
                && (text + others - 1.0).abs() > 1e-9
            {
                self.fail(
                    at.key("text"),
                    format!(
                        "{text}: the other shares leave {} for text; give that, or leave text out",
                        1.0 - others
                    ),
                );
            }
            inbound_content = shares.into_iter().filter(|(_, v)| *v > 0.0).collect();
        }
        let start = file.start.as_deref().and_then(|text| match text.parse() {
            Ok(dt) => Some(dt),
            Err(_) => {
                self.fail(
                    p.key("start"),
                    format!("'{text}': expected a local date-time such as 2026-01-05T09:00"),
                );
                None
            }
        });
        let mut stages = Vec::new();
        for (i, stage) in file.stages.iter().enumerate() {
            let at = p.key("stages").index(i);
            if !(stage.duration_s.is_finite()
                && stage.duration_s > 0.0
                && stage.duration_s <= 30.0 * 86_400.0)
            {
                self.fail(
                    at.key("duration_s"),
                    format!(
                        "{}: expected seconds, more than 0 and at most 30 days",
                        stage.duration_s
                    ),
                );
            } else if !(stage.target.is_finite() && (0.0..=1000.0).contains(&stage.target)) {
                self.fail(
                    at.key("target"),
                    format!(
                        "{}: expected a factor of the scenario's rate from 0 to 1000",
                        stage.target
                    ),
                );
            } else {
                stages.push((stage.duration_s, stage.target));
            }
        }
        LoadSpec {
            compress: file.compress,
            duration_s: file.duration_s,
            start,
            stages,
            thresholds,
            inbound_content,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::error::ScenarioError;
    use crate::scenario::locate::Format;
    use crate::scenario::{QUICKSTART_TOML, parse};
    use std::path::Path;

    fn with_load(section: &str) -> Result<crate::scenario::Scenario, ScenarioError> {
        let text = format!("{QUICKSTART_TOML}\n[load]\n{section}");
        parse(
            &text,
            Format::Toml,
            Path::new("q.toml"),
            &crate::scenario::input_file::FileRoot::strict(Path::new("scenarios")),
        )
    }

    #[test]
    fn the_load_section_gives_defaults_and_thresholds() {
        let s = with_load("compress = 60\nduration_s = 30\nthresholds = [\"reply_p99_ms < 2000\", \"unanswered_rate <= 0.001\"]\n")
            .unwrap();
        assert_eq!(s.load.compress, Some(60.0));
        assert_eq!(s.load.duration_s, Some(30.0));
        let shown: Vec<String> = s.load.thresholds.iter().map(|t| t.to_string()).collect();
        assert_eq!(shown, ["reply_p99_ms < 2000", "unanswered_rate <= 0.001"]);
    }

    #[test]
    fn a_bad_threshold_in_the_scenario_is_named_by_line_and_field() {
        let lines = QUICKSTART_TOML.lines().count();
        let Err(ScenarioError::Invalid { problems }) = with_load(
            "compress = 0\nthresholds = [\n  \"reply_p99_ms < 2000\",\n  \"latency < 5\",\n]\n",
        ) else {
            panic!("expected problems");
        };
        let shown: Vec<String> = problems
            .iter()
            .map(|p| format!("{}:{} {}", p.line, p.path, p.message))
            .collect();
        assert_eq!(problems.len(), 2, "{shown:?}");
        let bad = problems
            .iter()
            .find(|p| p.path.to_string() == "load.thresholds[1]")
            .expect("the threshold");
        assert_eq!(bad.line, lines + 6, "{shown:?}");
        assert!(bad.message.contains("unknown figure 'latency'"));
        assert!(
            problems
                .iter()
                .any(|p| p.path.to_string() == "load.compress" && p.message.contains("positive"))
        );
    }

    #[test]
    fn thresholds_parse_with_or_without_spaces_and_name_bad_input() {
        let t = Threshold::parse("reply_p99_ms < 2000").unwrap();
        assert_eq!(
            (t.figure.as_str(), t.op, t.value),
            ("reply_p99_ms", Op::Lt, 2000.0)
        );
        let t = Threshold::parse("unanswered_rate<=0.001").unwrap();
        assert_eq!(t.op, Op::Le);
        assert!(t.met_by(0.001) && !t.met_by(0.002));
        assert!(
            Threshold::parse("latency < 5")
                .unwrap_err()
                .contains("unknown figure")
        );
        assert!(
            Threshold::parse("reply_p99_ms = 5")
                .unwrap_err()
                .contains("expected")
        );
        assert!(
            Threshold::parse("reply_p99_ms < fast")
                .unwrap_err()
                .contains("number")
        );
    }
}
