//! A scenario in Python: loaded from a file, a string or a document (a dict, as JSON), and
//! varied by settings exactly as `--set` and a sweep's points vary a file: paths by key, by
//! name in arrays, then the whole scenario checked again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ccsim::plan::plan_file::{BaseScenario, is_variation_file, load_variation};
use ccsim::plan::variation::{Setting, Variation};
use ccsim::scenario::budget;
use ccsim::scenario::input_file::FileRoot;
use ccsim::scenario::locate::Format;
use ccsim::scenario::{self as sc};
use pyo3::prelude::*;

use crate::errors::{argument_error, plan_error, scenario_error};

/// A checked scenario, and the document and settings it was made from.
#[pyclass(frozen, module = "ccsim")]
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The document as loaded.
    base: Arc<BaseScenario>,
    /// Every setting applied to it, in order.
    settings: Vec<Setting>,
    /// The seed and replications asked for instead of the document's, applied after the
    /// settings (as `--seed` and `--replications` are after `--set`).
    seed: Option<u64>,
    replications: Option<u32>,
    /// The scenario as checked, with seed and replications replaced as asked.
    pub checked: sc::Scenario,
}

fn format_of(name: &str) -> PyResult<Format> {
    match name {
        "toml" => Ok(Format::Toml),
        "json" => Ok(Format::Json),
        other => Err(argument_error(
            "format",
            format!("'{other}': expected \"toml\" or \"json\""),
        )),
    }
}

impl Scenario {
    /// The document this scenario was made from, for variations of it.
    pub fn base(&self) -> &BaseScenario {
        &self.base
    }

    /// The settings applied so far.
    pub fn settings(&self) -> &[Setting] {
        &self.settings
    }

    fn from_base(base: BaseScenario) -> PyResult<Self> {
        let checked =
            sc::parse(&base.text, base.format, &base.path, &base.files).map_err(scenario_error)?;
        Ok(Self {
            base: Arc::new(base),
            settings: Vec::new(),
            seed: None,
            replications: None,
            checked,
        })
    }
}

#[pymethods]
impl Scenario {
    /// The scenario file at `path` (.toml or .json). The files it names (CSV profiles,
    /// rosters, traces) must lie in its folder unless `allow_outside_files`.
    #[staticmethod]
    #[pyo3(signature = (path, allow_outside_files = false))]
    fn load(path: PathBuf, allow_outside_files: bool) -> PyResult<Self> {
        // The command line's own loader first: a file's problems read exactly as
        // `ccsim validate` prints them.
        sc::load_with(&path, allow_outside_files).map_err(scenario_error)?;
        let base = BaseScenario::load(&path, allow_outside_files).map_err(plan_error)?;
        Self::from_base(base)
    }

    /// Scenario text in `format` ("toml" or "json"), named `origin` in messages; the files it
    /// names resolve in `base_dir`.
    #[staticmethod]
    #[pyo3(signature = (text, format, origin, base_dir, allow_outside_files = false))]
    fn parse(
        text: String,
        format: &str,
        origin: &str,
        base_dir: PathBuf,
        allow_outside_files: bool,
    ) -> PyResult<Self> {
        let format = format_of(format)?;
        let files = FileRoot::new(&base_dir, allow_outside_files);
        let base =
            BaseScenario::parse(text, format, Path::new(origin), files).map_err(plan_error)?;
        Self::from_base(base)
    }

    /// The bundled quickstart scenario (what `ccsim run` runs without a file).
    #[staticmethod]
    fn quickstart() -> PyResult<Self> {
        let base = BaseScenario::parse(
            sc::QUICKSTART_TOML.to_string(),
            Format::Toml,
            Path::new(sc::QUICKSTART_PATH),
            FileRoot::new(Path::new("scenarios"), false),
        )
        .map_err(plan_error)?;
        Self::from_base(base)
    }

    /// This scenario with more settings (pairs of a dotted path and a value as JSON text)
    /// applied after the ones it has, and its seed or replications replaced.
    #[pyo3(signature = (settings, seed = None, replications = None))]
    fn vary(
        &self,
        settings: Vec<(String, String)>,
        seed: Option<u64>,
        replications: Option<u32>,
    ) -> PyResult<Self> {
        let mut all = self.settings.clone();
        for (path, json) in settings {
            let value: toml::Value = serde_json::from_str(&json).map_err(|e| {
                argument_error(
                    &path,
                    format!(
                        "the value cannot be written in a scenario ({e}): expected a number, text, true/false, a list or a table, not None"
                    ),
                )
            })?;
            all.push(Setting {
                path,
                value,
                at: None,
            });
        }
        if replications == Some(0) {
            return Err(argument_error(
                "replications",
                "0: expected at least 1".into(),
            ));
        }
        let mut checked = if all.len() == self.settings.len() {
            self.checked.clone()
        } else {
            let variation = Variation {
                name: "settings".into(),
                settings: all.clone(),
            };
            self.base.vary(&variation, None, None).map_err(plan_error)?
        };
        let seed = seed.or(self.seed);
        let replications = replications.or(self.replications);
        if let Some(seed) = seed {
            checked.seed = seed;
        }
        if let Some(n) = replications {
            checked.replications = n;
        }
        Ok(Self {
            base: Arc::clone(&self.base),
            settings: all,
            seed,
            replications,
            checked,
        })
    }

    /// Whether the file at `path` is a variation of a scenario (`name` and a `[set]` table,
    /// the candidate `ccsim compare` also takes) rather than a scenario.
    #[staticmethod]
    fn is_variation_file(path: PathBuf) -> bool {
        is_variation_file(&path)
    }

    /// This scenario varied by the variation file at `path`, as `ccsim compare BASE
    /// VARIATION` varies its base: its settings apply after this scenario's, and a problem
    /// they cause is reported at their line in that file. Returns the scenario and the
    /// variation's name.
    fn vary_file(&self, path: PathBuf) -> PyResult<(Self, String)> {
        let variation = load_variation(&path).map_err(plan_error)?;
        let mut all = self.settings.clone();
        all.extend(variation.settings.iter().cloned());
        let mut checked = self
            .base
            .vary(
                &Variation {
                    name: variation.name.clone(),
                    settings: all.clone(),
                },
                None,
                None,
            )
            .map_err(plan_error)?;
        if let Some(seed) = self.seed {
            checked.seed = seed;
        }
        if let Some(n) = self.replications {
            checked.replications = n;
        }
        let varied = Self {
            base: Arc::clone(&self.base),
            settings: all,
            seed: self.seed,
            replications: self.replications,
            checked,
        };
        Ok((varied, variation.name))
    }

    /// Name (reports go to `reports/<name>/` on the command line).
    #[getter]
    fn name(&self) -> String {
        self.checked.name.clone()
    }

    /// Seed of every random stream.
    #[getter]
    fn seed(&self) -> u64 {
        self.checked.seed
    }

    /// Independent replications.
    #[getter]
    fn replications(&self) -> u32 {
        self.checked.replications
    }

    /// Queue names, in the scenario's order.
    #[getter]
    fn queues(&self) -> Vec<String> {
        self.checked
            .centre
            .queues
            .iter()
            .map(|q| q.name.clone())
            .collect()
    }

    /// Where the scenario came from.
    #[getter]
    fn origin(&self) -> String {
        self.base.path.display().to_string()
    }

    /// The settings applied, as (path, value as JSON text) pairs.
    #[getter]
    fn applied(&self) -> Vec<(String, String)> {
        self.settings
            .iter()
            .map(|s| {
                (
                    s.path.clone(),
                    serde_json::to_string(&s.value).unwrap_or_default(),
                )
            })
            .collect()
    }

    /// What to know before trusting its results, as (field, message) pairs.
    #[getter]
    fn warnings(&self) -> Vec<(String, String)> {
        self.checked
            .warnings
            .iter()
            .map(|w| (w.field.clone(), w.message.clone()))
            .collect()
    }

    /// Conversations a run of it is expected to simulate over every replication.
    #[getter]
    fn expected_conversations(&self) -> f64 {
        budget::estimate(&self.checked).conversations
    }

    /// The scenario as a TOML file, settings applied, seed and replications as they are:
    /// `ccsim run` of that file gives the same figures.
    fn to_toml(&self) -> PyResult<String> {
        let mut doc = self.base.doc.clone();
        let variation = Variation {
            name: "settings".into(),
            settings: self.settings.clone(),
        };
        variation
            .apply(&mut doc)
            .map_err(|(_, m)| argument_error("settings", m))?;
        doc.insert(
            "seed".into(),
            toml::Value::Integer(self.checked.seed as i64),
        );
        doc.insert(
            "replications".into(),
            toml::Value::Integer(i64::from(self.checked.replications)),
        );
        toml::to_string(&doc).map_err(|e| argument_error("settings", e.to_string()))
    }
}
