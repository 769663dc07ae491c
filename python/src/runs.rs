//! `run` and `compare`, and what every run shares: each refused before it runs when past its
//! budget (as the command line does), simulating with the GIL released ([`crate::drive`]),
//! and returning what the command would write, as text, so Python reads the same figures as
//! the files. `staff`, `sweep` and the Erlang calculator are in [`crate::plans`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ccsim::plan::compare::{Comparison, compare as compare_runs};
use ccsim::plan::compare_report;
use ccsim::plan::gate::{self, Gate, Verdict};
use ccsim::report::aggregate::RunAggregate;
use ccsim::report::summary::Summary;
use ccsim::report::{FileWriter, channel_intervals, html_run, intervals, write_files};
use ccsim::scenario::budget::{self, Budget};
use ccsim::scenario::{self as sc};
use ccsim::sim::replicate::{Progress, run_replications, run_replications_checked};
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError};
use pyo3::prelude::*;

use crate::drive::drive;
use crate::errors::{budget_error, invariant_error, plan_error};
use crate::scenario::Scenario;

/// `threads`, or the machine's cores; at least 1.
pub(crate) use ccsim::sim::replicate::threads_or_cores;

/// Gives every scenario of one run the budget, and refuses the run when their expected cost
/// together passes it (the command line's check, before anything runs).
pub(crate) fn within_budget(
    scenarios: &mut [sc::Scenario],
    origin: &str,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<()> {
    let budget = Budget {
        max_conversations: max_conversations.unwrap_or(budget::DEFAULT_MAX_CONVERSATIONS),
        max_open: max_open.unwrap_or(budget::DEFAULT_MAX_OPEN),
    };
    budget
        .apply_to(scenarios)
        .map_err(|m| budget_error(format!("{origin}: {m}")))
}

/// `scenario` as checked, with the budget of one run; refused when past it.
pub(crate) fn budgeted(
    scenario: &Scenario,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<sc::Scenario> {
    let mut one = [scenario.checked.clone()];
    within_budget(
        &mut one,
        &scenario.base().path.display().to_string(),
        max_conversations,
        max_open,
    )?;
    let [s] = one;
    Ok(s)
}

/// Writes `files` into `dir` the way the command line does (each whole, or none).
pub(crate) fn save(dir: &Path, files: &[(&str, String)]) -> PyResult<()> {
    let writers: Vec<_> = files
        .iter()
        .map(|(_, text)| move |o: &mut dyn Write| o.write_all(text.as_bytes()))
        .collect();
    let named: Vec<FileWriter<'_>> = files
        .iter()
        .zip(&writers)
        .map(|((name, _), w)| (*name, w as &dyn Fn(&mut dyn Write) -> std::io::Result<()>))
        .collect();
    write_files(dir, &named).map_err(|e| PyOSError::new_err(e.to_string()))
}

pub(crate) fn interrupted() -> PyErr {
    PyKeyboardInterrupt::new_err("the run was interrupted")
}

/// A finished run of one scenario.
#[pyclass(frozen, module = "ccsim")]
pub struct RunOutput {
    scenario: sc::Scenario,
    aggregate: RunAggregate,
    summary: Summary,
    /// Wall time of the simulation alone, s (the replications, not the reports).
    #[pyo3(get)]
    simulation_s: f64,
}

#[pymethods]
impl RunOutput {
    /// `summary.json`, as `ccsim run` writes it.
    fn summary_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.summary)
            .map(|j| j + "\n")
            .map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// Every estimate of `summary.json` (a mean with its 95 % interval) as a row: scope (each
    /// queue, then `all`), metric (its path in the file: `service_level`,
    /// `open_hours.service_level`, `answered_by.weighted`), mean, half width, low, high, in
    /// the file's order. The numbers are the file's, walked here rather than in Python because
    /// this is what a notebook reads first.
    fn summary_rows(&self) -> PyResult<Vec<SummaryRow>> {
        let error = |e: serde_json::Error| PyOSError::new_err(e.to_string());
        // The numbers from the values themselves (parsing the text back could move one by its
        // last digit); the order of the keys from the text.
        let values = serde_json::to_value(&self.summary).map_err(error)?;
        let text = serde_json::to_string(&self.summary).map_err(error)?;
        let order: Ordered = serde_json::from_str(&text).map_err(error)?;
        let mut rows = Vec::new();
        let queues = order.get("queues").map(Ordered::items).unwrap_or_default();
        for (i, queue) in queues.iter().enumerate() {
            let value = &values["queues"][i];
            let scope = value["name"].as_str().unwrap_or_default();
            for (key, field) in queue.fields().iter().filter(|(k, _)| k != "name") {
                estimates((field, &value[key.as_str()]), key, scope, &mut rows);
            }
        }
        let overall = order
            .get("overall")
            .map(Ordered::fields)
            .unwrap_or_default();
        for (key, field) in overall {
            estimates(
                (field, &values["overall"][key.as_str()]),
                key,
                "all",
                &mut rows,
            );
        }
        Ok(rows)
    }

    /// `intervals.csv`, as `ccsim run` writes it.
    fn intervals_csv(&self) -> String {
        intervals::render(&self.scenario, &self.aggregate)
    }

    /// `intervals_by_channel.csv`, as `ccsim run` writes it.
    fn channels_csv(&self) -> PyResult<String> {
        let mut out = Vec::new();
        channel_intervals::write(&self.scenario, &self.aggregate, &mut out)
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| PyOSError::new_err(e.to_string()))
    }

    /// `report.html`, as `ccsim run` writes it.
    fn html(&self) -> String {
        html_run::run_page(&self.scenario, &self.summary, &self.aggregate)
    }

    /// Writes the four reports of `ccsim run` into `dir`.
    fn save(&self, dir: PathBuf) -> PyResult<()> {
        let files = [
            ("summary.json", self.summary_json()?),
            ("intervals.csv", self.intervals_csv()),
            ("intervals_by_channel.csv", self.channels_csv()?),
            ("report.html", self.html()),
        ];
        save(&dir, &files)
    }
}

/// A row of [`RunOutput::summary_rows`].
type SummaryRow = (
    String,
    String,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

/// The shape of a JSON document, its objects' keys in the text's order (`serde_json::Value`
/// sorts them), so that [`RunOutput::summary_rows`] lists the metrics as `summary.json` does.
#[derive(Debug)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    /// A number, a text, a truth value or `null`: read from the value itself.
    Leaf,
}

impl Ordered {
    /// The value of `key`, if this is an object that has it.
    fn get(&self, key: &str) -> Option<&Ordered> {
        self.fields().iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The fields of an object, in order; none for anything else.
    fn fields(&self) -> &[(String, Ordered)] {
        match self {
            Ordered::Object(fields) => fields,
            _ => &[],
        }
    }

    /// The elements of an array; none for anything else.
    fn items(&self) -> &[Ordered] {
        match self {
            Ordered::Array(items) => items,
            _ => &[],
        }
    }
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Leaf)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry::<String, Ordered>()? {
                    fields.push(field);
                }
                Ok(Ordered::Object(fields))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// The estimates under a node (at `path`), walked in its shape's order and read from its
/// value, for [`RunOutput::summary_rows`]: an object with a mean, half width and interval is
/// one; arrays name their elements by `name`, else index.
fn estimates(
    (node, value): (&Ordered, &serde_json::Value),
    path: &str,
    scope: &str,
    rows: &mut Vec<SummaryRow>,
) {
    const ESTIMATE: [&str; 4] = ["mean", "half_width", "ci_low", "ci_high"];
    match node {
        Ordered::Object(_) if ESTIMATE.iter().all(|k| node.get(k).is_some()) => {
            let [mean, half_width, ci_low, ci_high] = ESTIMATE.map(|k| value[k].as_f64());
            rows.push((
                scope.to_string(),
                path.to_string(),
                mean,
                half_width,
                ci_low,
                ci_high,
            ));
        }
        Ordered::Object(fields) => {
            for (key, field) in fields {
                let path = format!("{path}.{key}");
                estimates((field, &value[key.as_str()]), &path, scope, rows);
            }
        }
        Ordered::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let element = &value[i];
                let name = element["name"]
                    .as_str()
                    .map_or_else(|| i.to_string(), str::to_string);
                estimates((item, element), &format!("{path}.{name}"), scope, rows);
            }
        }
        Ordered::Leaf => {}
    }
}

/// Runs the scenario's replications.
#[pyfunction]
#[pyo3(signature = (scenario, threads = None, progress = None, check = false, max_conversations = None, max_open = None))]
pub fn run(
    py: Python<'_>,
    scenario: &Scenario,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    check: bool,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<RunOutput> {
    let s = budgeted(scenario, max_conversations, max_open)?;
    let threads = threads_or_cores(threads);
    let total = u64::from(s.replications);
    let (outcome, simulation_s, cancelled) = drive(py, progress, total, |reporter| {
        let started = Instant::now();
        let outcome = if check {
            run_replications_checked(&s, threads, reporter)
        } else {
            run_replications(&s, threads, reporter).map(Ok)
        };
        (
            outcome,
            started.elapsed().as_secs_f64(),
            reporter.cancelled(),
        )
    })?;
    if cancelled {
        return Err(interrupted());
    }
    let aggregate = match outcome {
        Err(hit) => return Err(budget_error(format!("{hit}; nothing was returned"))),
        Ok(Err(problems)) => return Err(invariant_error(problems)),
        Ok(Ok(a)) => a,
    };
    let summary = Summary::new(&s, &aggregate);
    Ok(RunOutput {
        scenario: s,
        aggregate,
        summary,
        simulation_s,
    })
}

/// A paired comparison, and its gate's verdict when it had one.
#[pyclass(frozen, module = "ccsim")]
pub struct CompareOutput {
    comparison: Comparison,
    gate: Option<Gate>,
    verdict: Option<Verdict>,
}

#[pymethods]
impl CompareOutput {
    /// Whether every gate check passed; `None` without a gate.
    #[getter]
    fn passed(&self) -> Option<bool> {
        self.verdict.as_ref().map(Verdict::passed)
    }

    /// The worst gate failures, one line each, as the command prints them.
    #[getter]
    fn failures(&self) -> Vec<String> {
        self.verdict.as_ref().map_or(Vec::new(), |v| {
            compare_report::worst_failures(v)
                .into_iter()
                .map(compare_report::failure_line)
                .collect()
        })
    }

    /// `compare.json`.
    fn json(&self) -> String {
        compare_report::json(&self.comparison, self.verdict.as_ref())
    }

    /// `compare.md`.
    fn markdown(&self) -> String {
        compare_report::markdown(&self.comparison, self.verdict.as_ref())
    }

    /// `compare_intervals.csv`.
    fn intervals_csv(&self) -> String {
        compare_report::intervals_csv(&self.comparison)
    }

    /// Writes the reports of `ccsim compare` into `dir` (with `junit.xml` when gated).
    fn save(&self, dir: PathBuf) -> PyResult<()> {
        let mut files = vec![
            ("compare.md", self.markdown()),
            ("compare.json", self.json()),
            ("compare_intervals.csv", self.intervals_csv()),
            (
                "report.html",
                compare_report::html(&self.comparison, self.verdict.as_ref()),
            ),
        ];
        if let (Some(g), Some(v)) = (&self.gate, &self.verdict) {
            files.push(("junit.xml", compare_report::junit(&self.comparison, g, v)));
        }
        save(&dir, &files)
    }
}

/// Compares `candidate` with `base` on the same random numbers; `gate` is a gate file's text
/// and the name to report it by.
#[pyfunction]
#[pyo3(signature = (base, candidate, candidate_name, gate = None, threads = None, progress = None, max_conversations = None, max_open = None))]
#[allow(clippy::too_many_arguments)]
pub fn compare(
    py: Python<'_>,
    base: &Scenario,
    candidate: &Scenario,
    candidate_name: String,
    gate: Option<(String, String)>,
    threads: Option<usize>,
    progress: Option<Py<PyAny>>,
    max_conversations: Option<u64>,
    max_open: Option<u64>,
) -> PyResult<CompareOutput> {
    let origin = base.base().path.display().to_string();
    let mut pair = [base.checked.clone(), candidate.checked.clone()];
    // The candidate runs the base's seed and replications.
    pair[1].replications = pair[0].replications;
    pair[1].seed = pair[0].seed;
    within_budget(&mut pair, &origin, max_conversations, max_open)?;
    let [b, c] = pair;
    let gate = match &gate {
        None => None,
        Some((text, name)) => {
            let g = Gate::parse(text, Path::new(name)).map_err(plan_error)?;
            let mut queues: Vec<&str> = b.centre.queues.iter().map(|q| q.name.as_str()).collect();
            for q in &c.centre.queues {
                if !queues.contains(&q.name.as_str()) {
                    queues.push(&q.name);
                }
            }
            g.check_in(text, Path::new(name), &queues, b.replications)
                .map_err(plan_error)?;
            Some(g)
        }
    };
    let threads = threads_or_cores(threads);
    let (outcome, cancelled) = drive(py, progress, u64::from(b.replications), |reporter| {
        let out = compare_runs(&b, &c, &candidate_name, threads, reporter);
        (out, reporter.cancelled())
    })?;
    if cancelled {
        return Err(interrupted());
    }
    let comparison = outcome.map_err(|hit| budget_error(format!("{hit}; nothing was returned")))?;
    let verdict = gate.as_ref().map(|g| gate::judge(g, &comparison));
    Ok(CompareOutput {
        comparison,
        gate,
        verdict,
    })
}
