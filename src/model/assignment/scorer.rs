//! The weighted-sum method (AA-7) as the document writes it, scoring every candidate: the
//! reference that the fast [`super::index`] must agree with.
//!
//! For each available agent: workload (non-beneficial) and unserved time = now − last
//! assignment (beneficial). Each is normalised — smallest workload ÷ own workload, own unserved
//! time ÷ largest unserved time — weighted 0.5 and 0.5, and summed. The highest score wins.
//!
//! **(decision, AA-8)** The document does not cover: a workload of 0 (the division is
//! undefined) scores the full workload half; when the largest unserved time is 0, every
//! unserved half is 0; equal scores go to the longer unserved time, then the lower agent id.

use super::Candidate;

/// Weight of the workload half.
pub const WORKLOAD_WEIGHT: f64 = 0.5;
/// Weight of the unserved-time half.
pub const UNSERVED_WEIGHT: f64 = 0.5;

/// The score of one agent, given the smallest workload and the largest unserved time among the
/// candidates. The one function both the reference and the index use, so both compute the same
/// bits.
#[inline]
pub fn score(min_workload: f64, workload: f64, unserved_ms: u64, max_unserved_ms: u64) -> f64 {
    let workload_part = if workload <= 0.0 {
        1.0
    } else {
        min_workload / workload
    };
    let unserved_part = if max_unserved_ms == 0 {
        0.0
    } else {
        unserved_ms as f64 / max_unserved_ms as f64
    };
    WORKLOAD_WEIGHT * workload_part + UNSERVED_WEIGHT * unserved_part
}

/// Whether `a` beats `b`: higher score, then longer unserved time, then lower agent id.
#[inline]
pub fn beats(a: (f64, u64, u32), b: (f64, u64, u32)) -> bool {
    let (score_a, unserved_a, agent_a) = a;
    let (score_b, unserved_b, agent_b) = b;
    if score_a != score_b {
        return score_a > score_b;
    }
    if unserved_a != unserved_b {
        return unserved_a > unserved_b;
    }
    agent_a < agent_b
}

/// The smallest workload and the largest unserved time among `candidates`.
fn extremes(candidates: &[Candidate], now_ms: u64) -> (f64, u64) {
    let min_workload = candidates
        .iter()
        .map(|c| c.workload)
        .fold(f64::INFINITY, f64::min);
    let max_unserved = candidates
        .iter()
        .map(|c| now_ms.saturating_sub(c.last_assigned_ms))
        .max()
        .unwrap_or(0);
    (min_workload, max_unserved)
}

/// Every candidate's score, in input order.
pub fn scores(candidates: &[Candidate], now_ms: u64) -> Vec<f64> {
    let (min_workload, max_unserved) = extremes(candidates, now_ms);
    candidates
        .iter()
        .map(|c| {
            let unserved = now_ms.saturating_sub(c.last_assigned_ms);
            score(min_workload, c.workload, unserved, max_unserved)
        })
        .collect()
}

/// The agent the weighted-sum method picks, scoring every candidate (no allocation: this runs
/// once per conversation).
pub fn pick(candidates: &[Candidate], now_ms: u64) -> Option<u32> {
    let (min_workload, max_unserved) = extremes(candidates, now_ms);
    let mut best: Option<(f64, u64, u32)> = None;
    for c in candidates {
        let unserved = now_ms.saturating_sub(c.last_assigned_ms);
        let key = (
            score(min_workload, c.workload, unserved, max_unserved),
            unserved,
            c.agent,
        );
        if best.is_none_or(|b| beats(key, b)) {
            best = Some(key);
        }
    }
    best.map(|(_, _, agent)| agent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(agent: u32, workload: f64, unserved_s: u64, now_ms: u64) -> Candidate {
        Candidate {
            agent,
            workload,
            last_assigned_ms: now_ms - unserved_s * 1000,
        }
    }

    #[test]
    fn aa_7_worked_example_third_agent_wins() {
        // Workloads 20, 35, 48 and unserved 10, 200, 300 s → about 0.52, 0.62, 0.71.
        let now = 1_000_000;
        let agents = [
            c(1, 20.0, 10, now),
            c(2, 35.0, 200, now),
            c(3, 48.0, 300, now),
        ];
        let s = scores(&agents, now);
        assert!((s[0] - 0.5167).abs() < 1e-3, "{s:?}");
        assert!((s[1] - 0.6190).abs() < 1e-3, "{s:?}");
        assert!((s[2] - 0.7083).abs() < 1e-3, "{s:?}");
        // The document rounds each half first: 0.5 + 0.02, 0.29 + 0.34, 0.21 + 0.5.
        assert_eq!((s[0] * 100.0).round(), 52.0);
        assert_eq!((s[2] * 100.0).round(), 71.0);
        assert_eq!(pick(&agents, now), Some(3));
    }

    #[test]
    fn aa_7_lower_workload_wins_when_unserved_times_are_equal() {
        // The text's example: A 2/4 = 50, B 3/8 = 37.5 → B.
        let now = 50_000;
        assert_eq!(
            pick(&[c(0, 50.0, 30, now), c(1, 37.5, 30, now)], now),
            Some(1)
        );
    }

    #[test]
    fn aa_8_zero_workload_scores_the_full_half_and_zero_unserved_scores_nothing() {
        assert_eq!(score(0.0, 0.0, 0, 0), 0.5);
        assert_eq!(score(0.0, 40.0, 5, 10), 0.25);
        let now = 7_000;
        // Both idle, both just assigned: a tie on score and unserved time → lower id.
        assert_eq!(pick(&[c(4, 0.0, 0, now), c(2, 0.0, 0, now)], now), Some(2));
    }

    #[test]
    fn aa_8_ties_go_to_longer_unserved_then_lower_id() {
        let now = 100_000;
        // Equal scores by construction: same workload, same unserved → id decides.
        assert_eq!(
            pick(&[c(9, 30.0, 20, now), c(3, 30.0, 20, now)], now),
            Some(3)
        );
        // Agent 5: 0.5·(10/20) + 0.5·(100/100) = 0.75; agent 6: 0.5·1 + 0.5·(50/100) = 0.75.
        assert_eq!(
            pick(&[c(6, 10.0, 50, now), c(5, 20.0, 100, now)], now),
            Some(5)
        );
        assert_eq!(pick(&[], now), None);
    }
}
