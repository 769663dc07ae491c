//! Pass/fail thresholds of a load run, e.g. `reply_p99_ms < 2000` or `unanswered_rate <=
//! 0.001`: a figure of the summary, a comparison, a number. A run that breaks any ends with its
//! own exit code.

use serde::Serialize;

/// The figures a threshold may name, with where they come from.
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
    "lag_p99_ms",
];

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

impl Threshold {
    /// Parses `figure op number`, spaces optional.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (at, op, len) = ["<=", ">=", "<", ">"]
            .iter()
            .find_map(|sym| t.find(sym).map(|at| (at, *sym, sym.len())))
            .ok_or_else(|| format!("'{text}': expected FIGURE < NUMBER (or <=, >, >=)"))?;
        let figure = &t[..at];
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

/// A threshold's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The threshold.
    pub threshold: Threshold,
    /// The run's figure.
    pub actual: f64,
    /// Met.
    pub passed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

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
