//! `staff`, `sweep` (a plan file, or points and a grid over a scenario) and the Erlang
//! calculator, as [`crate::runs`] runs `run` and `compare`.

use std::path::PathBuf;

use ccsim::plan::erlang_calc::Question;
use ccsim::plan::plan_file::{AxisFile, BaseScenario, Plan, PlanParts, PointFile};
use ccsim::plan::staff::{CANCELLED, StaffOptions, Staffing, staff_until};
use ccsim::plan::sweep::{self, Shard, SweepResult};
use ccsim::plan::variation::Variation;
use ccsim::plan::{staff_report, sweep_report};
use ccsim::report::html;
use ccsim::scenario::{self as sc};
use ccsim::sim::replicate::Progress;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;

use crate::drive::drive;
use crate::errors::{argument_error, budget_error, plan_error, words_error};
use crate::runs::{budgeted, interrupted, save, threads_or_cores, within_budget};
use crate::scenario::Scenario;

/// A staffing plan.
#[pyclass(frozen, module = "ccsim")]
pub struct StaffOutput {
    staffing: Staffing,
}

#[pymethods]
impl StaffOutput {
    /// `staffing.csv`.
    fn csv(&self) -> String {
        staff_report::csv(&self.staffing)
    }

    /// `staffing.json`.
    fn json(&self) -> String {
        staff_report::json(&self.staffing)
    }

    /// Per queue: agent-hours to schedule by Erlang and by simulation, rostered, intervals
    /// short, peak and FTE (the table `ccsim staff` prints), as JSON.
    fn totals_json(&self) -> PyResult<String> {
        serde_json::to_string(&staff_report::totals(&self.staffing))
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// The table `ccsim staff` prints.
    fn table(&self) -> String {
        staff_report::table(&self.staffing)
    }

    /// Writes the reports of `ccsim staff` into `dir`.
    fn save(&self, dir: PathBuf) -> PyResult<()> {
        let files = [
            ("staffing.csv", self.csv()),
            ("staffing.json", self.json()),
            ("report.html", staff_report::html(&self.staffing)),
        ];
        save(&dir, &files)
    }
}

/// The first word of `message` when it names one of `fields` (the argument at fault).
fn field_of<'a>(message: &str, fields: &[&'a str]) -> Option<&'a str> {
    let first = message.split_whitespace().next()?;
    fields.iter().copied().find(|f| *f == first)
}

/// The agents each queue needs per interval for a service-level target.
#[pyfunction]
#[pyo3(signature = (scenario, service_level, confidence, shrinkage, asa_s, max_occupancy, fte_hours_per_week, max_rounds, threads = None, progress = None, max_conversations = None, max_open = None))]
#[allow(clippy::too_many_arguments)]
pub fn staff(
    py: Python<'_>,
    scenario: &Scenario,
    service_level: f64,
    confidence: f64,
    shrinkage: f64,
    asa_s: Option<f64>,
    max_occupancy: Option<f64>,
    fte_hours_per_week: f64,
    max_rounds: u32,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<StaffOutput> {
    let options = StaffOptions {
        service_level,
        confidence,
        shrinkage,
        asa_s,
        max_occupancy,
        fte_hours_per_week,
        max_rounds,
    };
    const FIELDS: [&str; 7] = [
        "service_level",
        "confidence",
        "shrinkage",
        "asa_s",
        "max_occupancy",
        "fte_hours_per_week",
        "max_rounds",
    ];
    options
        .check(&|f: &str| f.to_string())
        .map_err(|m| words_error(field_of(&m, &FIELDS), m))?;
    let s = budgeted(scenario, max_conversations, max_open)?;
    let threads = threads_or_cores(threads);
    let outcome = drive(py, progress, u64::from(max_rounds) + 1, |reporter| {
        staff_until(
            &s,
            options,
            threads,
            &|round, short| reporter.at(u64::from(round), format!("{short} cells short")),
            &|| reporter.cancelled(),
        )
    })?;
    match outcome {
        Ok(staffing) => Ok(StaffOutput { staffing }),
        Err(e) if e.0 == CANCELLED => Err(interrupted()),
        Err(e) => Err(words_error(None, e.0)),
    }
}

/// A sweep's points, run.
#[pyclass(frozen, module = "ccsim")]
pub struct SweepOutput {
    result: SweepResult,
    reports: Vec<sweep_report::PointReport>,
}

#[pymethods]
impl SweepOutput {
    /// `sweep.json`.
    fn json(&self) -> String {
        sweep_report::json(&self.result, &self.reports)
    }

    /// `sweep.csv`: point × scope × metric, mean and 95 % interval.
    fn csv(&self) -> String {
        sweep_report::csv(&self.reports)
    }

    /// `settings.csv`: each point's settings.
    fn settings_csv(&self) -> String {
        sweep_report::settings_csv(&self.reports)
    }

    /// `intervals.csv`: point × interval × scope.
    fn intervals_csv(&self) -> String {
        sweep_report::intervals_csv(&self.result)
    }

    /// Writes the reports of `ccsim sweep` into `dir`.
    fn save(&self, dir: PathBuf) -> PyResult<()> {
        let files = [
            ("sweep.json", self.json()),
            ("sweep.csv", self.csv()),
            ("settings.csv", self.settings_csv()),
            ("intervals.csv", self.intervals_csv()),
            ("report.html", html::sweep_page(&self.result, &self.reports)),
        ];
        save(&dir, &files)
    }
}

fn run_sweep(
    py: Python<'_>,
    plan: &Plan,
    mut scenarios: Vec<sc::Scenario>,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<SweepOutput> {
    within_budget(
        &mut scenarios,
        &plan.path.display().to_string(),
        max_conversations,
        max_open,
    )?;
    let threads = threads_or_cores(threads);
    let meta = sweep::SweepMeta::of(plan, &scenarios);
    let units = meta.units().len() as u64;
    let (outcome, cancelled) = drive(py, progress, units, |reporter| {
        let out = sweep::run(plan, &scenarios, Shard::WHOLE, threads, reporter);
        (out, reporter.cancelled())
    })?;
    if cancelled {
        return Err(interrupted());
    }
    let result = outcome.map_err(|hit| budget_error(format!("{hit}; nothing was returned")))?;
    let reports = sweep_report::reports(&result);
    Ok(SweepOutput { result, reports })
}

/// Runs the sweep plan file at `path`.
#[pyfunction]
#[pyo3(signature = (path, allow_outside_files = false, threads = None, progress = None, max_conversations = None, max_open = None))]
pub fn sweep_plan(
    py: Python<'_>,
    path: PathBuf,
    allow_outside_files: bool,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<SweepOutput> {
    let (plan, scenarios) = Plan::load_with(&path, allow_outside_files).map_err(plan_error)?;
    run_sweep(
        py,
        &plan,
        scenarios,
        threads,
        progress,
        max_conversations,
        max_open,
    )
}

/// Runs a sweep of `scenario` (its settings included) over `points` (a JSON list of
/// `{name, set}`) crossed with `grid` (a JSON list of `{path, values, label}`).
#[pyfunction]
#[pyo3(signature = (scenario, name, points_json, grid_json, threads = None, progress = None, max_conversations = None, max_open = None))]
#[allow(clippy::too_many_arguments)]
pub fn sweep_points(
    py: Python<'_>,
    scenario: &Scenario,
    name: String,
    points_json: &str,
    grid_json: &str,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<SweepOutput> {
    let points: Vec<PointFile> = serde_json::from_str(points_json)
        .map_err(|e| argument_error("points", format!("{e}: expected a list of {{name, set}}")))?;
    let grid: Vec<AxisFile> = serde_json::from_str(grid_json).map_err(|e| {
        argument_error(
            "grid",
            format!("{e}: expected a list of {{path, values, label}}"),
        )
    })?;
    let from = scenario.base();
    let mut doc = from.doc.clone();
    Variation {
        name: "settings".into(),
        settings: scenario.settings().to_vec(),
    }
    .apply(&mut doc)
    .map_err(|(_, m)| argument_error("settings", m))?;
    let base = BaseScenario {
        doc,
        ..from.clone()
    };
    let parts = PlanParts {
        name,
        seed: Some(scenario.checked.seed),
        replications: Some(scenario.checked.replications),
        points,
        grid,
    };
    let (plan, scenarios) = Plan::of_parts(parts, &from.path, base).map_err(plan_error)?;
    run_sweep(
        py,
        &plan,
        scenarios,
        threads,
        progress,
        max_conversations,
        max_open,
    )
}

/// The Erlang calculator's answer, as the JSON `ccsim erlang --json` prints.
#[pyfunction]
#[pyo3(signature = (aht_s, rate_per_h = None, volume = None, interval_min = 30.0, threshold_s = 20.0, patience_s = None, concurrency = 1.0, agents = None, service_level = 0.8, asa_s = None, max_occupancy = None, shrinkage = 0.0))]
#[allow(clippy::too_many_arguments)]
pub fn erlang(
    aht_s: f64,
    rate_per_h: Option<f64>,
    volume: Option<f64>,
    interval_min: f64,
    threshold_s: f64,
    patience_s: Option<f64>,
    concurrency: f64,
    agents: Option<u32>,
    service_level: f64,
    asa_s: Option<f64>,
    max_occupancy: Option<f64>,
    shrinkage: f64,
) -> PyResult<String> {
    let question = Question {
        rate_per_h,
        volume,
        interval_min,
        aht_s,
        threshold_s,
        patience_s,
        concurrency,
        agents,
        service_level,
        asa_s,
        max_occupancy,
        shrinkage,
    };
    const FIELDS: [&str; 11] = [
        "rate_per_h",
        "volume",
        "interval_min",
        "aht_s",
        "threshold_s",
        "patience_s",
        "concurrency",
        "service_level",
        "asa_s",
        "max_occupancy",
        "shrinkage",
    ];
    let answer = question
        .answer(&|f: &str| f.to_string())
        .map_err(|m| words_error(field_of(&m, &FIELDS), m))?;
    serde_json::to_string_pretty(&answer).map_err(|e| PyOSError::new_err(e.to_string()))
}
