//! What a load run found ([`LoadReport`]), and the figures its thresholds can name.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Threshold;
use super::humans::HumansView;
use super::measure::{IntervalRow, LoadView};
use crate::live::mock::routes::EndpointView;
use crate::live::webhook::DeliveryView;

/// API figures of the run, from the mock.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ApiView {
    /// Calls by endpoint (`METHOD pattern`): count and handling time.
    pub by_endpoint: BTreeMap<String, EndpointView>,
    /// Errors answered, by kind (`closed` are writes rejected, BOT-8).
    pub errors: BTreeMap<String, u64>,
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

/// The load generator's own health: how late it started deliveries against their intended
/// times. A late generator understates the load it claims to apply, so its figures on the
/// system under test are doubtful; it never fails the system under test.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HarnessView {
    /// Scheduling lag, median, ms.
    pub lag_p50_ms: f64,
    /// Scheduling lag, 99th percentile, ms.
    pub lag_p99_ms: f64,
    /// The lag p99 up to which the harness counts as healthy, ms (`HEALTHY_LAG_P99_MS`).
    pub healthy_up_to_ms: f64,
    /// `lag_p99_ms` within `healthy_up_to_ms`.
    pub healthy: bool,
}

/// Scheduling lag p99 past which the harness reports itself overloaded: 50 ms, a twentieth
/// of the one-second replies a bot is typically held to.
pub const HEALTHY_LAG_P99_MS: f64 = 50.0;

impl HarnessView {
    /// The health of a run whose deliveries were late by `deliveries`' lags.
    pub fn of(deliveries: &DeliveryView) -> Self {
        let lag_p99_ms = deliveries.lag_p99_us as f64 / 1000.0;
        Self {
            lag_p50_ms: deliveries.lag_p50_us as f64 / 1000.0,
            lag_p99_ms,
            healthy_up_to_ms: HEALTHY_LAG_P99_MS,
            healthy: lag_p99_ms <= HEALTHY_LAG_P99_MS,
        }
    }

    /// One line for people.
    pub fn describe(&self) -> String {
        if self.healthy {
            format!(
                "harness healthy: deliveries started {:.2} ms late at p99 (within {} ms)",
                self.lag_p99_ms, self.healthy_up_to_ms
            )
        } else {
            format!(
                "harness overloaded: deliveries started {:.2} ms late at p99 (more than {} ms): \
                 ccsim itself could not keep up, so the load applied was lower than asked and \
                 the figures on the system under test are doubtful; lower --compress or give \
                 ccsim more CPU",
                self.lag_p99_ms, self.healthy_up_to_ms
            )
        }
    }
}

/// One ramp stage as the report shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageView {
    /// Wall-clock seconds.
    pub duration_s: f64,
    /// The factor of the scenario's arrival rate at its end.
    pub target: f64,
}

/// What a load run found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LoadReport {
    /// Scenario name.
    pub scenario: String,
    /// The webhook loaded.
    pub target: Option<String>,
    /// Time compression.
    pub compress: f64,
    /// Arrival phase, s.
    pub duration_s: f64,
    /// Where in the scenario the run started: local date-time with its offset.
    pub start: String,
    /// The ramp stages, if any: wall-clock seconds and the factor at each one's end.
    pub stages: Vec<StageView>,
    /// Conversations and replies.
    pub load: LoadView,
    /// Webhook deliveries.
    pub deliveries: DeliveryView,
    /// `deliveries` that failed ÷ all.
    pub webhook_error_rate: f64,
    /// Calls the system under test made.
    pub api: ApiView,
    /// What the scenario's agents did with the conversations handed over (and those of
    /// channels without the bot), in simulated time.
    pub humans: HumansView,
    /// The load generator's own health (not a verdict on the system under test).
    pub harness: HarnessView,
    /// The run was cut short by a signal (Ctrl-C, SIGTERM): its figures cover what ran, and
    /// no threshold was judged.
    pub interrupted: bool,
    /// Threshold verdicts (none when interrupted).
    pub thresholds: Vec<Verdict>,
    /// All thresholds met (and the run was not interrupted).
    pub passed: bool,
    /// Per-interval rows.
    #[serde(skip)]
    pub rows: Vec<IntervalRow>,
}

impl LoadReport {
    /// The figure a threshold names.
    pub fn figure(&self, name: &str) -> f64 {
        let l = &self.load;
        match name {
            "reply_p50_ms" => l.reply_p50_ms as f64,
            "reply_p90_ms" => l.reply_p90_ms as f64,
            "reply_p99_ms" => l.reply_p99_ms as f64,
            "first_reply_p99_ms" => l.first_reply_p99_ms as f64,
            "unanswered_rate" => l.unanswered_rate,
            "unanswered" => l.unanswered as f64,
            "duplicates_answered_twice" => l.duplicates_answered_twice as f64,
            "webhook_error_rate" => self.webhook_error_rate,
            "writes_rejected" => self.api.errors.get("closed").copied().unwrap_or(0) as f64,
            "agent_wait_p90_s" => self.humans.wait_p90_s,
            _ => f64::NAN,
        }
    }
}
