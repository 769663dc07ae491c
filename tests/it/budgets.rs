//! Resource budgets (issue 14, point 2): what validate says is what run does. A scenario
//! expected to pass the budget is refused before it runs (exit 2, with the numbers and the flag
//! that raises it); a run that passes it anyway stops with an error (exit 4), never an abort.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scenario(rate: &str, patience: bool, agents: u32) -> String {
    let patience = if patience {
        "patience = { dist = \"exponential\", mean_s = 300 }"
    } else {
        ""
    };
    crate::common::one_queue_scenario(
        "{ dist = \"exponential\", mean_s = 600 }",
        agents,
        &format!("{rate}\n{patience}"),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ccsim-budget-{}-{name}", std::process::id()))
}

fn ccsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_trillion_an_hour_is_refused_by_validate_and_run_alike() {
    let d = dir("trillion");
    let file = write(&d, "s.toml", &scenario("rate_per_h = 1e12", true, 2));
    let file = file.to_str().unwrap();
    for args in [vec!["validate", file], vec!["run", "--quiet", file]] {
        let out = ccsim(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("conversations"), "{stderr}");
        assert!(stderr.contains("--max-conversations"), "{stderr}");
        assert!(stderr.contains("4.8e13"), "the numbers: {stderr}");
    }
}

#[test]
fn a_forecast_volume_past_floating_point_is_refused() {
    let d = dir("csv");
    let rows: String = (0..48)
        .map(|i| {
            format!(
                "{:02}:{:02},{}\n",
                i / 2,
                (i % 2) * 30,
                if i == 20 { "1e308" } else { "3" }
            )
        })
        .collect();
    write(&d, "forecast.csv", &format!("start,volume\n{rows}"));
    let file = write(
        &d,
        "s.toml",
        &scenario(
            "profile = { interval_min = 30, csv = \"forecast.csv\" }",
            true,
            2,
        ),
    );
    let out = ccsim(&["validate", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("forecast.csv:22:"), "{stderr}");
}

#[test]
fn the_flags_raise_the_budget() {
    let d = dir("flags");
    // 100,000 an hour for a day, twice: 4.8 million conversations.
    let file = write(&d, "s.toml", &scenario("rate_per_h = 1e5", true, 2000));
    let file = file.to_str().unwrap();
    let out = ccsim(&["validate", file]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("about 4800000 conversations"));
    let out = ccsim(&["validate", "--max-conversations", "1000000", file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("about 4,800,000 conversations (2,400,000 per replication)"),
        "{stderr}"
    );
    // 100,000 an hour staying 600 + 300 s: 25,000 open at the peak.
    let out = ccsim(&["validate", "--max-open", "10000", file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("about 25,000 conversations open at once"),
        "{stderr}"
    );
    assert!(stderr.contains("--max-open"), "{stderr}");
}

#[test]
fn a_queue_that_grows_without_bound_stops_the_run_with_exit_4() {
    let d = dir("grows");
    // Patient customers at 2,000 an hour for one agent: the estimate (333 open) passes, the
    // queue does not.
    let file = write(&d, "s.toml", &scenario("rate_per_h = 2000", false, 1));
    let out_dir = d.join("out");
    let out = ccsim(&[
        "run",
        "--quiet",
        "--max-open",
        "5000",
        "--out",
        out_dir.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("more than the budget of 5000"), "{stderr}");
    assert!(stderr.contains("no report was written"), "{stderr}");
    assert!(!out_dir.join("summary.json").exists());
    // Sweeps and comparisons stop the same way.
    let variation = write(
        &d,
        "v.toml",
        "name = \"v\"\n[set]\n\"agents.team.count\" = 2\n",
    );
    let out = ccsim(&[
        "compare",
        "--quiet",
        "--max-open",
        "5000",
        "--out",
        out_dir.to_str().unwrap(),
        file.to_str().unwrap(),
        variation.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
