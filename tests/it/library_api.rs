//! The library's entry points that the Python package (issue 19) drives directly, beside the
//! command line: cancelling a run, plans and gates given in memory, scenario text with no file
//! of its own, and settings written as `PATH=VALUE`.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use ccsim::plan::PlanError;
use ccsim::plan::compare::compare;
use ccsim::plan::gate::Gate;
use ccsim::plan::plan_file::{AxisFile, BaseScenario, Plan, PlanParts};
use ccsim::plan::staff::{CANCELLED, StaffOptions, staff_until};
use ccsim::plan::sweep::{self, Shard};
use ccsim::plan::variation::{Setting, Variation};
use ccsim::scenario::input_file::FileRoot;
use ccsim::scenario::locate::Format;
use ccsim::scenario::{self, QUICKSTART_TOML};
use ccsim::sim::replicate::{Progress, run_replications};

/// Cancels once `after` units are done.
struct CancelAfter {
    after: u32,
    done: AtomicU32,
}

impl Progress for CancelAfter {
    fn done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.done.load(Ordering::Relaxed) >= self.after
    }
}

fn short_quickstart(replications: u32) -> scenario::Scenario {
    let base = quickstart_base();
    let variation = Variation {
        name: "short".into(),
        settings: vec![Setting::parse_assignment("duration_days=1").unwrap()],
    };
    base.vary(&variation, None, Some(replications)).unwrap()
}

fn quickstart_base() -> BaseScenario {
    BaseScenario::parse(
        QUICKSTART_TOML.to_string(),
        Format::Toml,
        Path::new("scenarios/quickstart.toml"),
        FileRoot::new(Path::new("scenarios"), false),
    )
    .unwrap()
}

#[test]
fn a_cancelled_run_takes_no_more_replications() {
    let s = short_quickstart(6);
    let cancel = CancelAfter {
        after: 2,
        done: AtomicU32::new(0),
    };
    let run = run_replications(&s, 1, &cancel).unwrap();
    assert_eq!(run.replications(), 2);
    let whole = run_replications(&s, 1, &|| ()).unwrap();
    assert_eq!(whole.replications(), 6);
}

#[test]
fn a_cancelled_comparison_and_sweep_stop_taking_work() {
    let s = short_quickstart(5);
    let cancel = CancelAfter {
        after: 1,
        done: AtomicU32::new(0),
    };
    compare(&s, &s, "same", 1, &cancel).unwrap();
    assert_eq!(cancel.done.load(Ordering::Relaxed), 1);

    let parts = PlanParts {
        name: "grid".into(),
        seed: None,
        replications: Some(3),
        points: Vec::new(),
        grid: vec![AxisFile {
            path: "agents.sales-early.count".into(),
            values: vec![toml::Value::Integer(4), toml::Value::Integer(6)],
            label: None,
        }],
    };
    let mut base = quickstart_base();
    Variation {
        name: "short".into(),
        settings: vec![Setting::parse_assignment("duration_days=1").unwrap()],
    }
    .apply(&mut base.doc)
    .unwrap();
    let (plan, scenarios) = Plan::of_parts(parts, Path::new("<sweep>"), base).unwrap();
    let cancel = CancelAfter {
        after: 2,
        done: AtomicU32::new(0),
    };
    sweep::run(&plan, &scenarios, Shard::WHOLE, 1, &cancel).unwrap();
    assert_eq!(cancel.done.load(Ordering::Relaxed), 2);
}

#[test]
fn a_cancelled_staffing_search_says_so() {
    let s = short_quickstart(2);
    let options = StaffOptions {
        service_level: 0.8,
        confidence: 0.9,
        shrinkage: 0.3,
        asa_s: None,
        max_occupancy: None,
        fte_hours_per_week: 40.0,
        max_rounds: 10,
    };
    let rounds = AtomicU32::new(0);
    let err = staff_until(
        &s,
        options,
        1,
        &|_, _| {
            rounds.fetch_add(1, Ordering::Relaxed);
        },
        &|| rounds.load(Ordering::Relaxed) >= 2,
    )
    .unwrap_err();
    assert_eq!(err.0, CANCELLED);
    assert_eq!(rounds.load(Ordering::Relaxed), 2);
}

#[test]
fn a_plan_in_memory_names_its_points_as_a_file_does_and_its_problems_by_field() {
    let grid = |values: Vec<toml::Value>| PlanParts {
        name: "grid".into(),
        seed: Some(7),
        replications: Some(2),
        points: Vec::new(),
        grid: vec![AxisFile {
            path: "agents.sales-early.count".into(),
            values,
            label: None,
        }],
    };
    let (plan, scenarios) = Plan::of_parts(
        grid(vec![toml::Value::Integer(4), toml::Value::Integer(6)]),
        Path::new("<sweep>"),
        quickstart_base(),
    )
    .unwrap();
    let names: Vec<&str> = plan.points.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["count=4", "count=6"]);
    assert!(scenarios.iter().all(|s| s.seed == 7 && s.replications == 2));

    let err = Plan::of_parts(
        grid(vec![
            toml::Value::Integer(4),
            toml::Value::String("many".into()),
        ]),
        Path::new("<sweep>"),
        quickstart_base(),
    )
    .unwrap_err();
    let PlanError::Invalid { problems } = err else {
        panic!("expected located problems, got {err}");
    };
    // A value the scenario refuses: at the field's line in the base's text, naming the point.
    let p = &problems[0];
    assert_eq!(p.path.to_string(), "agents[0].count");
    assert!(
        p.line > 0 && p.message.contains("as varied by 'count=many'"),
        "{p}"
    );

    // A path the base does not have: no text of the plan to point into.
    let mut bad_path = grid(vec![toml::Value::Integer(4)]);
    bad_path.grid[0].path = "agents.nobody.count".into();
    let err = Plan::of_parts(bad_path, Path::new("<sweep>"), quickstart_base()).unwrap_err();
    let PlanError::Invalid { problems } = err else {
        panic!("expected located problems, got {err}");
    };
    assert_eq!(problems[0].line, 0, "nothing in memory has a line");
    assert_eq!(problems[0].path.to_string(), "grid[0].values[0]");
    assert!(
        problems[0]
            .to_string()
            .starts_with("<sweep>: grid[0].values[0]: "),
        "{}",
        problems[0]
    );
}

#[test]
fn gate_text_is_checked_at_its_lines() {
    let text = "[[rule]]\nmetric = \"speed\"\nscope = \"all\"\nmax_worsening = { abs = 1 }\n";
    let PlanError::Invalid { problems } = Gate::parse(text, Path::new("<gate>")).unwrap_err()
    else {
        panic!("expected located problems");
    };
    assert_eq!(
        (problems[0].line, problems[0].path.to_string().as_str()),
        (2, "rule[0].metric")
    );
    let good = Gate::parse(
        "[[rule]]\nmetric = \"service_level\"\nscope = \"sales\"\nmax_worsening = { abs = 0.02 }\n",
        Path::new("<gate>"),
    )
    .unwrap();
    let PlanError::Invalid { problems } = good
        .check_in("", Path::new("<gate>"), &["support"], 3)
        .unwrap_err()
    else {
        panic!("expected the unknown scope");
    };
    assert!(problems[0].message.contains("unknown scope 'sales'"));
}

#[test]
fn scenario_text_without_a_file_runs_as_the_bundled_file() {
    let from_text = quickstart_base()
        .vary(&Variation::default(), None, Some(2))
        .unwrap();
    let mut bundled = scenario::quickstart().unwrap();
    bundled.replications = 2;
    let a = run_replications(&from_text, 2, &|| ()).unwrap();
    let b = run_replications(&bundled, 2, &|| ()).unwrap();
    let sa = ccsim::report::summary::Summary::new(&from_text, &a);
    let sb = ccsim::report::summary::Summary::new(&bundled, &b);
    assert_eq!(
        serde_json::to_string(&sa).unwrap(),
        serde_json::to_string(&sb).unwrap()
    );
}

#[test]
fn settings_read_as_toml_else_as_text() {
    let s = Setting::parse_assignment("agents.sales-early.count = 6").unwrap();
    assert_eq!(
        (s.path.as_str(), s.value.clone()),
        ("agents.sales-early.count", toml::Value::Integer(6))
    );
    let s = Setting::parse_assignment("queues.sales.assignment.mode=weighted").unwrap();
    assert_eq!(s.value, toml::Value::String("weighted".into()));
    let s = Setting::parse_assignment("route_order=[\"support\", \"sales\"]").unwrap();
    assert!(matches!(s.value, toml::Value::Array(ref a) if a.len() == 2));
    assert!(
        Setting::parse_assignment("duration_days")
            .unwrap_err()
            .contains("PATH=VALUE")
    );
}
