//! Mean and confidence interval of a share over replications, kept as integer sums so that
//! the order replications are folded in cannot change a bit (the HTML report's per-interval
//! bands).

use super::stats::{Estimate, t_quantile};

/// Mean and variance of a share (0–1) over replications, kept as fixed-point integer sums so
/// that the order replications are added in cannot change a bit of the result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moments {
    /// Replications with a value.
    pub n: u64,
    /// Σ x·2³⁰.
    sum: u128,
    /// Σ (x·2³⁰)².
    sum_sq: u128,
}

const FIXED_ONE: f64 = (1u64 << 30) as f64;

impl Moments {
    /// Adds one replication's share (ignored when undefined).
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            let fixed = (x.clamp(0.0, 1.0) * FIXED_ONE).round() as u128;
            self.n += 1;
            self.sum += fixed;
            self.sum_sq += fixed * fixed;
        }
    }

    /// Mean and 95 % interval over the replications with a value.
    pub fn estimate(&self) -> Estimate {
        if self.n == 0 {
            return Estimate {
                mean: f64::NAN,
                half_width: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let n = self.n as f64;
        let mean = self.sum as f64 / n / FIXED_ONE;
        let half_width = if self.n < 2 {
            0.0
        } else {
            // Σ(x−x̄)² = Σx² − (Σx)²/n, in the fixed-point unit squared.
            let ss = self.sum_sq as f64 - (self.sum as f64).powi(2) / n;
            let var = (ss.max(0.0) / (n - 1.0)) / (FIXED_ONE * FIXED_ONE);
            t_quantile(0.95, n - 1.0) * (var / n).sqrt()
        };
        Estimate {
            mean,
            half_width,
            ci_low: mean - half_width,
            ci_high: mean + half_width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_give_the_t_interval_of_the_shares() {
        let mut m = Moments::default();
        for x in [0.5, 0.6, 0.7, 0.8, 0.9, f64::NAN] {
            m.add(x);
        }
        let want = Estimate::ci95(&[0.5, 0.6, 0.7, 0.8, 0.9]);
        let got = m.estimate();
        assert_eq!(m.n, 5);
        assert!((got.mean - want.mean).abs() < 1e-9, "{got:?} {want:?}");
        assert!(
            (got.half_width - want.half_width).abs() < 1e-9,
            "{got:?} {want:?}"
        );
    }
}
