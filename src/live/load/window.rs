//! Where in the scenario a load run aims, and how hard: `--start` (a local date-time inside the
//! scenario's run, so a test can hit Monday's busy hours rather than its closed night) and
//! k6-style ramp stages (each stage ramps the arrival rate linearly, over its wall-clock
//! duration, from the previous stage's factor to its own `target`, the first from 0).
//!
//! Both are applied by giving the same customer actor a centre whose segments' rates are the
//! scenario's own over the window, multiplied by the ramp: dated rates in steps of at most a
//! two-thousandth of the window (the step's expected arrivals times the factor at its middle).
//! The driver's clock starts at the window's start, so shifts, working hours and profiles are
//! those of that moment.

use crate::model::arrival_rate::{ArrivalRate, DatedRates};
use crate::model::centre::CentreSpec;

/// One k6-style stage: over `duration_ms` of wall clock, the arrival rate moves linearly to
/// `target` times the scenario's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    /// Wall-clock length, ms.
    pub duration_ms: u64,
    /// The factor at its end.
    pub target: f64,
}

impl Stage {
    /// Parses `SECONDS:FACTOR`, e.g. `60:1.5`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (d, t) = text
            .split_once(':')
            .ok_or_else(|| format!("'{text}': expected SECONDS:FACTOR, e.g. 60:1.5"))?;
        let duration_s: f64 = d
            .trim()
            .parse()
            .map_err(|_| format!("'{text}': '{d}' is not a number of seconds"))?;
        let target: f64 = t
            .trim()
            .parse()
            .map_err(|_| format!("'{text}': '{t}' is not a factor"))?;
        Self::new(duration_s, target).map_err(|e| format!("'{text}': {e}"))
    }

    /// A stage of `duration_s` seconds ramping to `target`.
    pub fn new(duration_s: f64, target: f64) -> Result<Self, String> {
        if !(duration_s.is_finite() && duration_s > 0.0 && duration_s <= 30.0 * 86_400.0) {
            return Err(format!(
                "{duration_s} s: expected a stage of more than 0 s and at most 30 days"
            ));
        }
        if !(target.is_finite() && (0.0..=1000.0).contains(&target)) {
            return Err(format!(
                "factor {target}: expected 0 to 1000 times the scenario's rate"
            ));
        }
        Ok(Self {
            duration_ms: (duration_s * 1000.0).round() as u64,
            target,
        })
    }
}

/// The ramp's factor `wall_ms` into the run (after the last stage: its target).
pub fn factor_at(stages: &[Stage], wall_ms: f64) -> f64 {
    let mut from = 0.0;
    let mut start = 0.0;
    for s in stages {
        let end = start + s.duration_ms as f64;
        if wall_ms < end {
            let t = (wall_ms - start) / s.duration_ms as f64;
            return from + (s.target - from) * t.clamp(0.0, 1.0);
        }
        from = s.target;
        start = end;
    }
    stages.last().map_or(1.0, |s| s.target)
}

/// The centre a load run drives: `spec` with every segment's rate restricted to the window
/// of `window_ms` (wall clock) from `start_ms` (simulated) at `compress`, and multiplied by
/// the ramp `stages` (none: factor 1).
pub fn windowed(
    spec: &CentreSpec,
    start_ms: u64,
    window_ms: u64,
    compress: f64,
    stages: &[Stage],
) -> CentreSpec {
    let mut out = spec.clone();
    let window_virtual = (window_ms as f64 * compress).round() as u64;
    let end = start_ms.saturating_add(window_virtual).min(spec.horizon_ms);
    let step = (window_virtual / 2000).max(1000);
    for seg in &mut out.segments {
        let mut stretches = Vec::new();
        let mut a = start_ms;
        while a < end {
            let b = (a + step).min(end);
            let middle_wall = ((a + b) as f64 / 2.0 - start_ms as f64) / compress;
            let volume = seg.rate.expected_arrivals(&spec.calendar, a, b)
                * if stages.is_empty() {
                    1.0
                } else {
                    factor_at(stages, middle_wall)
                };
            stretches.push((a as i64, b as i64, volume));
            a = b;
        }
        seg.rate = ArrivalRate::Dated(DatedRates::from_volumes(&stretches));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_ramp_linearly_from_zero_like_k6() {
        let stages = [
            Stage::parse("10:2").unwrap(),
            Stage::parse("20:2").unwrap(),
            Stage::parse("10:0").unwrap(),
        ];
        assert_eq!(factor_at(&stages, 0.0), 0.0);
        assert!((factor_at(&stages, 5_000.0) - 1.0).abs() < 1e-12);
        assert_eq!(factor_at(&stages, 15_000.0), 2.0);
        assert!((factor_at(&stages, 35_000.0) - 1.0).abs() < 1e-12);
        assert_eq!(factor_at(&stages, 50_000.0), 0.0);
        assert!(Stage::parse("ten:1").is_err());
        assert!(Stage::parse("10:-1").is_err());
        assert!(Stage::parse("0:1").is_err());
    }
}
