//! Planning on top of the simulator: variations of a scenario, sweeps over them (whole or in
//! shards merged exactly), paired comparisons with a regression gate, and staffing searches.
//!
//! - [`variation`]: `path = value` settings applied to a scenario's document;
//! - [`plan_file`]: sweep plans and variation files in;
//! - [`measures`]: what a replication leaves, as integers and histograms that add;
//! - [`metrics`]: the metrics computed from them, and which way each improves;
//! - [`sweep`]: running a plan or a shard of it, shard files, merging;
//! - [`sweep_report`]: the sweep's report files;
//! - [`compare`]: paired comparison of two scenarios on common random numbers;
//! - [`gate`]: the regression gate on a comparison;
//! - [`compare_report`]: Markdown, JUnit, JSON, CSV and HTML of a comparison.

pub mod compare;
pub mod compare_report;
pub mod erlang_calc;
pub mod gate;
pub mod measures;
pub mod metrics;
pub mod plan_file;
mod plan_points;
pub mod staff;
pub mod staff_inputs;
pub mod staff_report;
mod staff_search;
pub mod sweep;
pub mod sweep_report;
pub mod variation;

use std::path::PathBuf;

use crate::scenario::error::{Located, ScenarioError};

/// Why a plan, a variation or a merge could not go ahead.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A file or folder could not be read.
    #[error("{}: cannot read: {reason}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// Problems in a plan, variation or gate file, located.
    #[error("{}", render(problems))]
    Invalid {
        /// Every problem found.
        problems: Vec<Located>,
    },
    /// A setting does not fit the scenario.
    #[error("variation '{point}': {message}")]
    Point {
        /// The variation.
        point: String,
        /// What is wrong.
        message: String,
    },
    /// A scenario (the base, or a varied one) has problems.
    #[error("{context}: {source}")]
    Scenario {
        /// Which scenario.
        context: String,
        /// Its problems.
        source: ScenarioError,
    },
    /// Shards that do not merge.
    #[error("cannot merge: {0}")]
    Merge(String),
}

impl From<ScenarioError> for PlanError {
    fn from(source: ScenarioError) -> Self {
        PlanError::Scenario {
            context: "the scenario".into(),
            source,
        }
    }
}

fn render(problems: &[Located]) -> String {
    let mut s = format!(
        "{} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}
