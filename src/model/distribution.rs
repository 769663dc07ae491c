//! Duration distributions for handle times, patience and think times, sampled in whole ms.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// A distribution of durations. Parameters are validated when the scenario is built, so
/// sampling never fails.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationDist {
    /// Always the same duration.
    Constant {
        /// The duration, ms.
        ms: u64,
    },
    /// Exponential with the given mean.
    Exponential {
        /// Mean, ms.
        mean_ms: f64,
    },
    /// Lognormal with parameters of the underlying normal (of ln ms).
    LogNormal {
        /// Mean of ln(duration in ms).
        mu: f64,
        /// Standard deviation of ln(duration in ms).
        sigma: f64,
    },
    /// Drawn uniformly from observed durations (e.g. a WFM export).
    Empirical {
        /// The observations, ms; never empty.
        samples_ms: Vec<u64>,
    },
}

impl DurationDist {
    /// The lognormal with this mean and standard deviation (both ms, both > 0).
    pub fn lognormal_from_mean_sd(mean_ms: f64, sd_ms: f64) -> Self {
        let sigma2 = (1.0 + (sd_ms / mean_ms).powi(2)).ln();
        DurationDist::LogNormal {
            mu: mean_ms.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        }
    }

    /// One duration, rounded to the ms.
    #[inline]
    pub fn sample_ms<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        match self {
            DurationDist::Constant { ms } => *ms,
            DurationDist::Exponential { mean_ms } => {
                let e: f64 = Exp1.sample(rng);
                (e * mean_ms).round() as u64
            }
            DurationDist::LogNormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp().round() as u64
            }
            DurationDist::Empirical { samples_ms } => {
                let i = (rng.next_u64() % samples_ms.len() as u64) as usize;
                samples_ms[i]
            }
        }
    }

    /// One duration of the same shape with its mean moved to `mean_ms` (a forecast's AHT for
    /// the interval the customer came in): one draw, scaled.
    #[inline]
    pub fn sample_with_mean_ms<R: Rng + ?Sized>(&self, rng: &mut R, mean_ms: f64) -> u64 {
        let own = self.mean_ms();
        let drawn = self.sample_ms(rng) as f64;
        if own > 0.0 {
            (drawn * mean_ms / own).round() as u64
        } else {
            mean_ms.round() as u64
        }
    }

    /// The mean, ms.
    pub fn mean_ms(&self) -> f64 {
        match self {
            DurationDist::Constant { ms } => *ms as f64,
            DurationDist::Exponential { mean_ms } => *mean_ms,
            DurationDist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            DurationDist::Empirical { samples_ms } => {
                samples_ms.iter().map(|&s| s as f64).sum::<f64>() / samples_ms.len() as f64
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn sample_mean(dist: &DurationDist, n: usize) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        (0..n).map(|_| dist.sample_ms(&mut rng) as f64).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_stated_means() {
        let n = 200_000;
        for dist in [
            DurationDist::Exponential { mean_ms: 60_000.0 },
            DurationDist::lognormal_from_mean_sd(300_000.0, 200_000.0),
            DurationDist::Constant { ms: 1234 },
            DurationDist::Empirical {
                samples_ms: vec![1000, 2000, 6000],
            },
        ] {
            let want = dist.mean_ms();
            let got = sample_mean(&dist, n);
            assert!(
                (got - want).abs() / want < 0.01,
                "{dist:?}: {got} vs {want}"
            );
        }
    }
}
