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
    /// Threshold verdicts.
    pub thresholds: Vec<Verdict>,
    /// All thresholds met.
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
            "lag_p99_ms" => self.deliveries.lag_p99_us as f64 / 1000.0,
            "agent_wait_p90_s" => self.humans.wait_p90_s,
            _ => f64::NAN,
        }
    }
}
