//! Means and confidence intervals over replications.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A metric estimated from independent replications.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Half-width of the confidence interval (0 with one replication: no interval).
    pub half_width: f64,
    /// Lower end of the interval.
    pub ci_low: f64,
    /// Upper end of the interval.
    pub ci_high: f64,
}

/// The two-sided Student-t quantile for `confidence` with `df` degrees of freedom.
pub fn t_quantile(confidence: f64, df: f64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df).expect("df > 0");
    t.inverse_cdf(0.5 + confidence / 2.0)
}

impl Estimate {
    /// Mean and `confidence` interval of `values` (one per replication), by Student's t.
    /// Non-finite values (a metric undefined in a replication, e.g. the mean wait of a queue
    /// that answered nobody) are left out.
    pub fn from_values(values: &[f64], confidence: f64) -> Self {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let n = finite.len();
        if n == 0 {
            return Self {
                mean: f64::NAN,
                half_width: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            };
        }
        let mean = finite.iter().sum::<f64>() / n as f64;
        let half_width = if n < 2 {
            0.0
        } else {
            let var = finite.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_quantile(confidence, (n - 1) as f64) * (var / n as f64).sqrt()
        };
        Self {
            mean,
            half_width,
            ci_low: mean - half_width,
            ci_high: mean + half_width,
        }
    }

    /// The 95 % interval the reports use.
    pub fn ci95(values: &[f64]) -> Self {
        Self::from_values(values, 0.95)
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci_low <= x && x <= self.ci_high
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_quantile(0.95, 9.0) - 2.262).abs() < 1e-3);
        assert!((t_quantile(0.95, 1e6) - 1.960).abs() < 1e-3);
    }

    #[test]
    fn interval_of_known_values() {
        let e = Estimate::ci95(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        // sd = 1.5811, se = 0.7071, t(0.975, 4) = 2.776 → 1.963
        assert!((e.half_width - 1.963).abs() < 1e-3, "{e:?}");
        assert!(Estimate::ci95(&[f64::NAN, 2.0]).mean == 2.0);
    }
}
