//! Sweep plans and variation files in: the TOML people write, checked and turned into
//! [`Variation`]s, and the varied scenarios built from them (each checked exactly like a
//! scenario file).
//!
//! A plan names a scenario and lists its points, as a list, a grid, or both (then every listed
//! point is crossed with every grid combination, the list varying slowest):
//!
//! ```toml
//! scenario = "quickstart.toml"      # relative to the plan
//! replications = 5                  # optional: every point's replications
//! [[points]]
//! name = "baseline"
//! [[points]]
//! name = "support-first"
//! set = { route_order = ["premium-support", "support", "sales"] }
//! [[grid]]
//! path = "agents.support-early.count"
//! values = [4, 5, 6]
//! ```
//!
//! A variation file (the CANDIDATE of `ccsim compare`) is one point: `name` and `[set]`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::{Table, Value};

use super::PlanError;
use super::plan_points::{cross, settings_of};
use super::variation::{Setting, Variation};
use crate::scenario::error::{FieldPath, Located, PathSeg, ScenarioError};
use crate::scenario::input_file::FileRoot;
use crate::scenario::locate::{Format, Locator, line_col};
use crate::scenario::{self, Scenario, deserialize_toml, located_by};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    scenario: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    replications: Option<u32>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    points: Vec<PointFile>,
    #[serde(default)]
    grid: Vec<AxisFile>,
}

/// A listed point of a plan: its name and settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointFile {
    /// Name, unique in the plan.
    pub name: String,
    /// `path = value` settings.
    #[serde(default)]
    pub set: Table,
}

/// An axis of a plan's grid: one path and the values it takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AxisFile {
    /// The dotted path it sets.
    pub path: String,
    /// Its values, in order.
    pub values: Vec<Value>,
    /// How points name it (the path's last key unless given).
    #[serde(default)]
    pub label: Option<String>,
}

/// A base scenario as a document, ready to be varied.
#[derive(Debug, Clone)]
pub struct BaseScenario {
    /// Where it came from.
    pub path: PathBuf,
    /// Its document.
    pub doc: Table,
    /// Its text, to locate problems of a varied scenario in it.
    pub text: String,
    /// TOML or JSON.
    pub format: Format,
    /// Where the files it names resolve, and whether they may leave that folder.
    pub files: FileRoot,
}

impl BaseScenario {
    /// Reads the scenario at `path` (.toml or .json) as a document; it is checked when varied.
    /// The files it names may lie outside its folder when `allow_outside`.
    pub fn load(path: &Path, allow_outside: bool) -> Result<Self, PlanError> {
        let text = read(path)?;
        let is_json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let format = if is_json { Format::Json } else { Format::Toml };
        Self::parse(text, format, path, FileRoot::of(path, allow_outside))
    }

    /// Scenario text (not from a file of its own: a string or a document built in memory) as
    /// a document; `origin` names it in messages and the files it names resolve by `files`.
    /// A JSON scenario is checked here, so a broken one is reported by line; a TOML one is
    /// checked when varied.
    pub fn parse(
        text: String,
        format: Format,
        origin: &Path,
        files: FileRoot,
    ) -> Result<Self, PlanError> {
        let doc = match format {
            Format::Json => {
                scenario::parse(&text, Format::Json, origin, &files)?;
                serde_json::from_str::<Table>(&text).map_err(|e| located(origin, e.line(), &e))?
            }
            Format::Toml => text.parse::<Table>().map_err(|e| {
                let (line, _) = line_col(&text, e.span().map_or(0, |s| s.start));
                located(origin, line, &e.message())
            })?,
        };
        Ok(Self {
            path: origin.to_path_buf(),
            doc,
            format,
            text,
            files,
        })
    }

    /// The scenario with `variation` applied, checked. `seed` and `replications` replace the
    /// scenario's when given.
    pub fn vary(
        &self,
        variation: &Variation,
        seed: Option<u64>,
        replications: Option<u32>,
    ) -> Result<Scenario, PlanError> {
        let mut doc = self.doc.clone();
        variation.apply(&mut doc).map_err(|(i, message)| {
            let setting = &variation.settings[i];
            match &setting.at {
                Some((file, line, column)) => PlanError::Invalid {
                    problems: vec![Located {
                        file: file.clone(),
                        line: *line,
                        column: *column,
                        path: FieldPath::root().key(&setting.path),
                        message: format!("variation '{}': {message}", variation.name),
                    }],
                },
                None => PlanError::Point {
                    point: variation.name.clone(),
                    message,
                },
            }
        })?;
        if let Some(seed) = seed {
            doc.insert("seed".into(), Value::Integer(seed as i64));
        }
        if let Some(n) = replications {
            doc.insert("replications".into(), Value::Integer(i64::from(n)));
        }
        let text = toml::to_string(&doc).map_err(|e| PlanError::Point {
            point: variation.name.clone(),
            message: format!("the varied scenario cannot be written as TOML: {e}"),
        })?;
        let origin = PathBuf::from(format!(
            "{} [as varied by '{}']",
            self.path.display(),
            variation.name
        ));
        scenario::parse(&text, Format::Toml, &origin, &self.files).map_err(|source| match source {
            ScenarioError::Invalid { problems } => PlanError::Invalid {
                problems: problems
                    .into_iter()
                    .map(|p| self.relocate(p, &origin, variation))
                    .collect(),
            },
            source => PlanError::Scenario {
                context: format!("variation '{}'", variation.describe()),
                source,
            },
        })
    }

    /// A problem of the varied scenario (located in its rewritten text, `origin`) moved to
    /// where a person can see it: the setting that wrote the field, when one did (the base
    /// alone is valid, so the variation is the cause); else the field's line in the base file;
    /// else the variation's first setting.
    fn relocate(&self, p: Located, origin: &Path, variation: &Variation) -> Located {
        if p.file != origin {
            return p; // In a CSV file: already at its line.
        }
        let message = format!("{} (as varied by '{}')", p.message, variation.name);
        let last_key = p.path.0.iter().rev().find_map(|s| match s {
            PathSeg::Key(k) => Some(k.as_str()),
            PathSeg::Index(_) => None,
        });
        let wrote = variation
            .settings
            .iter()
            .filter(|s| s.at.is_some())
            .find(|s| last_key.is_some_and(|k| s.path.rsplit('.').next() == Some(k)));
        let base = Locator::new(&self.text, self.format);
        if wrote.is_none()
            && let Some(span) = base.find(&p.path)
        {
            let (line, column) = base.line_col(span.start);
            return Located {
                file: self.path.clone(),
                line,
                column,
                path: p.path,
                message,
            };
        }
        let introduced = wrote.or_else(|| variation.settings.iter().find(|s| s.at.is_some()));
        match introduced.and_then(|s| s.at.clone()) {
            Some((file, line, column)) => Located {
                file,
                line,
                column,
                path: p.path,
                message,
            },
            None => {
                let (line, column) = base.at(&p.path);
                Located {
                    file: self.path.clone(),
                    line,
                    column,
                    path: p.path,
                    message,
                }
            }
        }
    }
}

/// The most points one plan may have.
pub const MAX_POINTS: usize = 10_000;

/// A sweep plan, checked: its base scenario and points.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The plan file.
    pub path: PathBuf,
    /// Name (the plan file's stem unless given).
    pub name: String,
    /// The scenario varied.
    pub base: BaseScenario,
    /// Replaces every point's seed, if given.
    pub seed: Option<u64>,
    /// Replaces every point's replications, if given.
    pub replications: Option<u32>,
    /// The points, in plan order.
    pub points: Vec<Variation>,
}

/// A plan's fields but its scenario: what a plan file holds, or what a caller builds in
/// memory.
#[derive(Debug, Clone)]
pub struct PlanParts {
    /// Name.
    pub name: String,
    /// Replaces every point's seed, if given.
    pub seed: Option<u64>,
    /// Replaces every point's replications, if given.
    pub replications: Option<u32>,
    /// Listed points.
    pub points: Vec<PointFile>,
    /// Grid axes.
    pub grid: Vec<AxisFile>,
}

impl Plan {
    /// Reads and checks the plan at `path`: its fields, its base scenario and every point's
    /// varied scenario. The files it and its scenario name must lie in their folders.
    pub fn load(path: &Path) -> Result<(Self, Vec<Scenario>), PlanError> {
        Self::load_with(path, false)
    }

    /// [`Plan::load`], with files allowed outside the folders when `allow_outside`
    /// (`--allow-outside-files`).
    pub fn load_with(path: &Path, allow_outside: bool) -> Result<(Self, Vec<Scenario>), PlanError> {
        let text = read(path)?;
        let file: PlanFile =
            deserialize_toml(&text, path).map_err(|problems| PlanError::Invalid { problems })?;
        let locator = Locator::new(&text, Format::Toml);
        let at = |field: FieldPath, message: String| located_by(&locator, path, field, message);
        let base = || {
            let scenario_path = FileRoot::of(path, allow_outside)
                .resolve(&file.scenario)
                .map_err(|m| PlanError::Invalid {
                    problems: vec![at(FieldPath::root().key("scenario"), m)],
                })?;
            BaseScenario::load(&scenario_path, allow_outside)
        };
        let name = file.name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map_or("sweep".into(), |s| s.to_string_lossy().into_owned())
        });
        let parts = PlanParts {
            name,
            seed: file.seed,
            replications: file.replications,
            points: file.points,
            grid: file.grid,
        };
        Self::assemble(parts, path, &at, Some(&locator), &base)
    }

    /// A plan given in memory (the Python package's sweeps): its points vary `base`. Problems
    /// are reported by field path under `origin`, with no line.
    pub fn of_parts(
        parts: PlanParts,
        origin: &Path,
        base: BaseScenario,
    ) -> Result<(Self, Vec<Scenario>), PlanError> {
        let at = |field: FieldPath, message: String| Located {
            file: origin.to_path_buf(),
            line: 0,
            column: 0,
            path: field,
            message,
        };
        let base = move || Ok(base.clone());
        Self::assemble(parts, origin, &at, None, &base)
    }

    /// The checks and points of a plan, from a file or from memory; `at` locates a problem,
    /// `locator` (a file's) locates each setting, and `base` gives the scenario once the
    /// plan's own fields are good.
    fn assemble(
        file: PlanParts,
        path: &Path,
        at: &dyn Fn(FieldPath, String) -> Located,
        locator: Option<&Locator<'_>>,
        base: &dyn Fn() -> Result<BaseScenario, PlanError>,
    ) -> Result<(Self, Vec<Scenario>), PlanError> {
        let mut problems = Vec::new();
        if file.replications == Some(0) {
            problems.push(at(
                FieldPath::root().key("replications"),
                "expected at least 1".into(),
            ));
        }
        let listed: Vec<Variation> = file
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| Variation {
                name: p.name.clone(),
                settings: settings_of(
                    &p.set,
                    locator,
                    path,
                    &FieldPath::root().key("points").index(i).key("set"),
                ),
            })
            .collect();
        for (i, axis) in file.grid.iter().enumerate() {
            if axis.values.is_empty() {
                problems.push(at(
                    FieldPath::root().key("grid").index(i).key("values"),
                    "expected at least one value".into(),
                ));
            }
        }
        // A grid's points multiply: count them before building any, so a plan from a pull
        // request cannot ask for billions of scenarios.
        let count = file
            .grid
            .iter()
            .try_fold(listed.len().max(1), |n, axis| {
                n.checked_mul(axis.values.len())
            })
            .filter(|n| *n <= MAX_POINTS);
        if count.is_none() {
            problems.push(at(
                FieldPath::root().key("grid"),
                format!(
                    "the plan crosses into more than {MAX_POINTS} points: split it into several plans"
                ),
            ));
            return Err(PlanError::Invalid { problems });
        }
        let points = cross(&listed, &file.grid, locator, path);
        if points.is_empty() {
            problems.push(at(
                FieldPath::root(),
                "the plan has no points: expected [[points]], [[grid]] or both".into(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in file.points.iter().enumerate() {
            if !seen.insert(p.name.as_str()) {
                problems.push(at(
                    FieldPath::root().key("points").index(i).key("name"),
                    format!("'{}' names two points: expected unique names", p.name),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(PlanError::Invalid { problems });
        }
        let base = base()?;
        // Every setting is tried on the base first, so a bad path points at its line here.
        for (i, p) in file.points.iter().enumerate() {
            for (key, value) in &p.set {
                let mut doc = base.doc.clone();
                let setting = Setting {
                    path: key.clone(),
                    value: value.clone(),
                    at: None,
                };
                if let Err(m) = super::variation::apply_setting(&mut doc, &setting) {
                    problems.push(at(
                        FieldPath::root().key("points").index(i).key("set").key(key),
                        m,
                    ));
                }
            }
        }
        for (i, axis) in file.grid.iter().enumerate() {
            for (k, value) in axis.values.iter().enumerate() {
                let mut doc = base.doc.clone();
                let setting = Setting {
                    path: axis.path.clone(),
                    value: value.clone(),
                    at: None,
                };
                if let Err(m) = super::variation::apply_setting(&mut doc, &setting) {
                    problems.push(at(
                        FieldPath::root()
                            .key("grid")
                            .index(i)
                            .key("values")
                            .index(k),
                        m,
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(PlanError::Invalid { problems });
        }
        let plan = Self {
            name: file.name,
            path: path.to_path_buf(),
            base,
            seed: file.seed,
            replications: file.replications,
            points,
        };
        let scenarios = plan
            .points
            .iter()
            .map(|p| plan.base.vary(p, plan.seed, plan.replications))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((plan, scenarios))
    }
}

/// Reads a variation file: `name` and a `[set]` table.
pub fn load_variation(path: &Path) -> Result<Variation, PlanError> {
    let text = read(path)?;
    let file: PointFile =
        deserialize_toml(&text, path).map_err(|problems| PlanError::Invalid { problems })?;
    Ok(Variation {
        name: file.name,
        settings: settings_of(
            &file.set,
            Some(&Locator::new(&text, Format::Toml)),
            path,
            &FieldPath::root().key("set"),
        ),
    })
}

/// Whether the TOML file at `path` is a variation (a top-level `set` table and no `arrivals`)
/// rather than a scenario.
pub fn is_variation_file(path: &Path) -> bool {
    let is_toml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    is_toml
        && read(path)
            .ok()
            .and_then(|t| t.parse::<Table>().ok())
            .is_some_and(|t| t.contains_key("set") && !t.contains_key("arrivals"))
}

/// The text of `path` (a regular file within the size cap, UTF-8), or why it could not be
/// read.
pub(super) fn read(path: &Path) -> Result<String, PlanError> {
    use scenario::error::ScenarioError;
    scenario::read_text(path).map_err(|e| match e {
        ScenarioError::Read { path, reason } => PlanError::Read { path, reason },
        ScenarioError::Invalid { problems } => PlanError::Invalid { problems },
        ScenarioError::Format { path } => PlanError::Read {
            path,
            reason: "unknown format".into(),
        },
    })
}

fn located(path: &Path, line: usize, message: &dyn std::fmt::Display) -> PlanError {
    PlanError::Invalid {
        problems: vec![Located {
            file: path.to_path_buf(),
            line,
            column: 1,
            path: FieldPath::root(),
            message: message.to_string(),
        }],
    }
}
