//! Resource budgets: what a scenario may cost before it runs, and the guard that stops a run
//! that would cost more.
//!
//! A scenario from a pull request must not exhaust the machine that checks it. Before a run,
//! [`estimate`] works out what the scenario asks for:
//!
//! - **conversations**: the expected arrivals (the integral of every segment's rate over the
//!   run, plus a trace's rows), times the replications: the run's time;
//! - **open conversations**: by Little's law, each segment's peak arrival rate times the time a
//!   conversation stays (the mean time it holds an agent, plus mean patience when customers
//!   give up): the run's memory.
//!
//! [`Budget::check`] refuses an estimate past the budget, with the numbers and the flag that
//! raises it (`validate` and every command that runs say so before running, exit 2). An
//! estimate can be wrong (an overloaded queue with patient customers grows without bound), so
//! the engine also watches the open conversations while it runs ([`Budget::max_open`]): a run
//! that passes the budget stops with an error (exit 4), never an abort on memory.

use super::Scenario;

/// Default of [`Budget::max_conversations`]: 200 million (minutes of a run).
pub const DEFAULT_MAX_CONVERSATIONS: u64 = 200_000_000;
/// Default of [`Budget::max_open`]: 2 million open at once (about 1 GB).
pub const DEFAULT_MAX_OPEN: u64 = 2_000_000;

/// What a run may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Conversations over every replication (`--max-conversations`).
    pub max_conversations: u64,
    /// Conversations open at once in one replication (`--max-open`).
    pub max_open: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            max_conversations: DEFAULT_MAX_CONVERSATIONS,
            max_open: DEFAULT_MAX_OPEN,
        }
    }
}

/// What a scenario is expected to cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Expected conversations in one replication.
    pub conversations_per_replication: f64,
    /// Expected conversations over every replication.
    pub conversations: f64,
    /// Expected peak of conversations open at once (Little's law at the peak rate).
    pub open_peak: f64,
}

/// Estimates what `scenario` will cost (see the module doc).
pub fn estimate(scenario: &Scenario) -> Estimate {
    let centre = &scenario.centre;
    let horizon_ms = centre.horizon_ms;
    let mut per_replication = centre.trace.as_ref().map_or(0.0, |t| t.rows.len() as f64);
    let mut open_peak = 0.0;
    for (k, segment) in centre.segments.iter().enumerate() {
        per_replication += segment
            .rate
            .expected_arrivals(&centre.calendar, 0, horizon_ms);
        let peak_per_ms = segment.rate.peak_per_h() / 3_600_000.0;
        // The longest a conversation of the segment holds a slot, wherever it is served.
        let handle_ms = centre
            .possible_queues(k as u32)
            .into_iter()
            .map(|q| centre.mean_occupancy_ms(k as u32, q))
            .fold(0.0, f64::max);
        let patience_ms = segment
            .patience
            .as_ref()
            .map_or(0.0, |d| d.mean_ms().max(0.0));
        let stay_ms = (handle_ms + patience_ms).min(horizon_ms as f64);
        open_peak += peak_per_ms * stay_ms;
    }
    Estimate {
        conversations_per_replication: per_replication,
        conversations: per_replication * f64::from(scenario.replications),
        open_peak,
    }
}

impl Budget {
    /// Gives every scenario of one run (a sweep's points, a comparison's pair) this budget,
    /// and checks what they are expected to cost together: their conversations add up, and
    /// the open peak is the largest of theirs. `Err` says what the run would pass, as
    /// [`Budget::check`] does.
    pub fn apply_to(&self, scenarios: &mut [Scenario]) -> Result<(), String> {
        let mut total: Option<Estimate> = None;
        for s in scenarios.iter_mut() {
            s.budget = *self;
            let e = estimate(s);
            total = Some(match total {
                None => e,
                Some(t) => Estimate {
                    conversations_per_replication: t.conversations_per_replication
                        + e.conversations_per_replication,
                    conversations: t.conversations + e.conversations,
                    open_peak: t.open_peak.max(e.open_peak),
                },
            });
        }
        total.map_or(Ok(()), |t| self.check(&t))
    }

    /// Whether `estimate` fits; otherwise what it asks for, against what is allowed, and the
    /// flag that raises it.
    pub fn check(&self, estimate: &Estimate) -> Result<(), String> {
        // A NaN estimate fits nothing, so it is refused too.
        let fits = |x: f64, max: u64| x <= max as f64;
        if !fits(estimate.conversations, self.max_conversations) {
            return Err(format!(
                "the scenario asks for about {} conversations ({} per replication): more than \
                 the budget of {} (raise it with --max-conversations if this is meant)",
                count(estimate.conversations),
                count(estimate.conversations_per_replication),
                count(self.max_conversations as f64)
            ));
        }
        if !fits(estimate.open_peak, self.max_open) {
            return Err(format!(
                "the scenario would hold about {} conversations open at once (arrivals at the \
                 peak rate × the time each stays): more than the budget of {} (raise it with \
                 --max-open if this is meant)",
                count(estimate.open_peak),
                count(self.max_open as f64)
            ));
        }
        Ok(())
    }
}

/// A count for people: `12,345,678`, or `3.2e15` past a trillion, `infinitely many`.
fn count(n: f64) -> String {
    if !n.is_finite() {
        return "infinitely many".into();
    }
    if n >= 1e12 {
        return format!("{n:.1e}");
    }
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The budget stopped a run: which replication and what it held.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "replication {replication} stopped at {at_h:.1} simulated hours: {open} conversations were \
     open at once, more than the budget of {max_open} (the queues grow without bound: add \
     agents or patience, or raise the budget with --max-open)"
)]
pub struct BudgetHit {
    /// The replication.
    pub replication: u32,
    /// Simulated hours when it stopped.
    pub at_h: f64,
    /// Conversations open then.
    pub open: u64,
    /// The budget.
    pub max_open: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_people_write_them() {
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(1e15), "1.0e15");
        assert_eq!(count(f64::INFINITY), "infinitely many");
    }
}
