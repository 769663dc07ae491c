//! The native half of the `ccsim` Python package: the library, not the command line.
//!
//! Python code imports `ccsim` (the files in `python/ccsim/`), which wraps this module: it
//! turns the reports this module returns (the very text `ccsim run` writes: `summary.json`,
//! `intervals.csv`, `staffing.csv`, …) into pandas DataFrames, so a figure in Python and in
//! the command's files is the same to the last digit.
//!
//! - `errors`: the exceptions, carrying file, line, field and message of each problem.
//! - `scenario`: a scenario loaded from a file, a string or a document, and varied.
//! - `runs`: `run` and `compare`, each refused before it runs when past its budget.
//! - `plans`: `staff`, `sweep` and the Erlang calculator.
//! - `drive`: how they simulate: the GIL released, progress and Ctrl-C on the caller's
//!   thread.

mod drive;
mod errors;
mod plans;
mod runs;
mod scenario;

use pyo3::prelude::*;

/// `ccsim._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("Error", py.get_type::<errors::Error>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add("BudgetError", py.get_type::<errors::BudgetError>())?;
    m.add("InvariantError", py.get_type::<errors::InvariantError>())?;
    m.add_class::<errors::Problem>()?;
    m.add_class::<scenario::Scenario>()?;
    m.add_class::<runs::RunOutput>()?;
    m.add_class::<runs::CompareOutput>()?;
    m.add_class::<plans::StaffOutput>()?;
    m.add_class::<plans::SweepOutput>()?;
    m.add_function(wrap_pyfunction!(runs::run, m)?)?;
    m.add_function(wrap_pyfunction!(runs::compare, m)?)?;
    m.add_function(wrap_pyfunction!(plans::staff, m)?)?;
    m.add_function(wrap_pyfunction!(plans::sweep_plan, m)?)?;
    m.add_function(wrap_pyfunction!(plans::sweep_points, m)?)?;
    m.add_function(wrap_pyfunction!(plans::erlang, m)?)?;
    Ok(())
}
