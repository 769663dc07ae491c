//! The exceptions: every problem of an input carries its file, line, column, field and
//! message, as the command line prints them (`file:line:column: field: message`).

use std::path::Path;

use ccsim::plan::PlanError;
use ccsim::scenario::error::{Located, ScenarioError};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyList;

create_exception!(
    ccsim,
    Error,
    PyException,
    "Anything ccsim refuses or cannot finish."
);
create_exception!(
    ccsim,
    InputError,
    Error,
    "Bad input: a scenario, plan, gate or argument with problems (the command line's exit 2). \
     `problems` lists each, with file, line, column, field and message; `file`, `line`, \
     `column`, `field` and `message` are the first one's."
);
create_exception!(
    ccsim,
    BudgetError,
    Error,
    "A run past its budget: refused before it ran, or stopped when too many conversations \
     were open at once (the command line's exit 4). Nothing was returned."
);
create_exception!(
    ccsim,
    InvariantError,
    Error,
    "The invariant checker found a broken rule in a run (`check=True`): a bug in ccsim. \
     `problems` lists what it found."
);

/// One problem of an input.
#[pyclass(frozen, get_all, module = "ccsim")]
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file (or the name of the text) the problem is in; `None` for an argument.
    pub file: Option<String>,
    /// 1-based line, when there is text to point into.
    pub line: Option<usize>,
    /// 1-based column, when there is text to point into.
    pub column: Option<usize>,
    /// The field (`agents[2].count`) or argument (`service_level`), when known.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

#[pymethods]
impl Problem {
    fn __repr__(&self) -> String {
        format!(
            "Problem(file={:?}, line={:?}, column={:?}, field={:?}, message={:?})",
            self.file, self.line, self.column, self.field, self.message
        )
    }

    fn __str__(&self) -> String {
        let mut s = String::new();
        if let Some(f) = &self.file {
            s += f;
            if let (Some(l), Some(c)) = (self.line, self.column) {
                s += &format!(":{l}:{c}");
            }
            s += ": ";
        }
        if let Some(f) = &self.field {
            s += f;
            s += ": ";
        }
        s + &self.message
    }
}

impl Problem {
    fn located(p: &Located) -> Self {
        Self {
            file: Some(p.file.display().to_string()),
            line: (p.line > 0).then_some(p.line),
            column: (p.line > 0).then_some(p.column),
            field: Some(p.path.to_string()),
            message: p.message.clone(),
        }
    }

    fn in_file(file: &Path, message: String) -> Self {
        Self {
            file: Some(file.display().to_string()),
            line: None,
            column: None,
            field: None,
            message,
        }
    }

    /// A problem with an argument of a Python call.
    pub fn argument(field: &str, message: String) -> Self {
        Self {
            file: None,
            line: None,
            column: None,
            field: Some(field.to_string()),
            message,
        }
    }

    fn message_only(message: String) -> Self {
        Self {
            file: None,
            line: None,
            column: None,
            field: None,
            message,
        }
    }
}

/// An exception of class `E` with `message`, and `problems` and the first one's parts as
/// attributes.
fn raise<E: pyo3::PyTypeInfo>(message: String, problems: Vec<Problem>) -> PyErr {
    Python::attach(|py| {
        let err = PyErr::from_type(py.get_type::<E>(), message);
        let value = err.value(py);
        let first = problems.first().cloned();
        let attach = || -> PyResult<()> {
            value.setattr("message", first.as_ref().map(|p| p.message.clone()))?;
            value.setattr("file", first.as_ref().and_then(|p| p.file.clone()))?;
            value.setattr("line", first.as_ref().and_then(|p| p.line))?;
            value.setattr("column", first.as_ref().and_then(|p| p.column))?;
            value.setattr("field", first.as_ref().and_then(|p| p.field.clone()))?;
            value.setattr("problems", PyList::new(py, problems)?)?;
            Ok(())
        };
        match attach() {
            Ok(()) => err,
            Err(e) => e,
        }
    })
}

/// A scenario's problems as an [`InputError`].
pub fn scenario_error(e: ScenarioError) -> PyErr {
    let message = e.to_string();
    raise::<InputError>(message, scenario_problems(e))
}

fn scenario_problems(e: ScenarioError) -> Vec<Problem> {
    match e {
        ScenarioError::Read { path, reason } => {
            vec![Problem::in_file(
                &path,
                format!("cannot read the scenario: {reason}"),
            )]
        }
        ScenarioError::Format { path } => vec![Problem::in_file(
            &path,
            "unknown scenario format: expected a .toml or .json file".into(),
        )],
        ScenarioError::Invalid { problems } => problems.iter().map(Problem::located).collect(),
    }
}

/// A plan's, variation's or gate's problems as an [`InputError`].
pub fn plan_error(e: PlanError) -> PyErr {
    let message = e.to_string();
    let problems = match e {
        PlanError::Read { path, reason } => {
            vec![Problem::in_file(&path, format!("cannot read: {reason}"))]
        }
        PlanError::Invalid { problems } => problems.iter().map(Problem::located).collect(),
        PlanError::Point { point, message } => {
            vec![Problem::message_only(format!(
                "variation '{point}': {message}"
            ))]
        }
        PlanError::Scenario { source, .. } => scenario_problems(source),
        PlanError::Merge(m) => vec![Problem::message_only(format!("cannot merge: {m}"))],
    };
    raise::<InputError>(message, problems)
}

/// A bad argument of a Python call as an [`InputError`].
pub fn argument_error(field: &str, message: String) -> PyErr {
    raise::<InputError>(
        format!("{field}: {message}"),
        vec![Problem::argument(field, message)],
    )
}

/// A message in the calculator's or staffing's words (which name the argument first) as an
/// [`InputError`] on `field`.
pub fn words_error(field: Option<&str>, message: String) -> PyErr {
    let problem = match field {
        Some(f) => Problem::argument(f, message.clone()),
        None => Problem::message_only(message.clone()),
    };
    raise::<InputError>(message, vec![problem])
}

/// A budget refusal or stop as a [`BudgetError`], naming the arguments that raise the budget
/// where the library's message names the command's flags.
pub fn budget_error(message: String) -> PyErr {
    let message = message
        .replace("--max-conversations", "max_conversations=")
        .replace("--max-open", "max_open=");
    raise::<BudgetError>(message.clone(), vec![Problem::message_only(message)])
}

/// Broken invariants as an [`InvariantError`].
pub fn invariant_error(problems: Vec<String>) -> PyErr {
    let message = format!(
        "the invariant checker found {} problem(s) (a bug in ccsim):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    raise::<InvariantError>(
        message,
        problems.into_iter().map(Problem::message_only).collect(),
    )
}
