//! Issue 16, finding 2: the default that dominates the load is in view. Without a
//! `[conversations]` section Solved conversations count toward capacity and close after 120
//! minutes (Infobip's default, CAP-4): the run header and `summary.json` break each segment's
//! slot time into its parts, and `validate` warns, naming the setting.

use std::process::Command;

use ccsim::report::summary::Summary;
use ccsim::scenario;

/// The quickstart without its `[conversations]` section: Infobip's defaults.
fn quickstart_on_defaults() -> String {
    scenario::QUICKSTART_TOML
        .lines()
        .filter(|l| {
            !l.starts_with("[conversations]")
                && !l.starts_with("counted_statuses")
                && !l.starts_with("close_solved_after_min")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cap_4_validate_warns_when_the_default_solved_time_is_most_of_the_slot_and_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("centre.toml");
    std::fs::write(&path, quickstart_on_defaults()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning is not an error: {stdout}"
    );
    assert!(stdout.contains(": ok ("), "{stdout}");
    assert!(
        stdout.contains("warning (conversations.counted_statuses.solved")
            && stdout.contains("segment 'whatsapp'")
            && stdout.contains("7200 s")
            && stdout.contains("counted_statuses = { solved = false }"),
        "{stdout}"
    );
    // The quickstart sets the section: no warning.
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["validate", "scenarios/quickstart.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("warning"), "{stdout}");
}

#[test]
fn cap_4_the_summary_breaks_each_segments_slot_time_into_its_parts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("centre.toml");
    std::fs::write(&path, quickstart_on_defaults()).unwrap();
    let mut s = scenario::load(&path).unwrap();
    s.replications = 1;
    let summary = Summary::new(&s, &crate::common::run_checked(&s, 1));
    let whatsapp = summary
        .segments
        .iter()
        .find(|g| g.name == "whatsapp")
        .unwrap();
    assert_eq!(whatsapp.slot_parts_s["solved_until_closed"], 7200.0);
    let parts: f64 = whatsapp.slot_parts_s.values().sum();
    assert!((parts - whatsapp.slot_s).abs() < 1e-9);
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    // The quickstart's own settings: Solved does not count, thinking and replies do.
    let q = scenario::quickstart().unwrap();
    let parts = q.centre.mean_slot_time(0, 0);
    assert_eq!(parts.solved_ms, 0.0);
    assert!(parts.thinking_ms > 0.0 && parts.replies_ms > 0.0);
    assert!(q.warnings.is_empty());
}
