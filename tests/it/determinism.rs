//! Same scenario + seed + build → byte-identical reports, whatever the thread count.

use std::path::Path;
use std::process::Command;

use ccsim::report::{intervals, summary::Summary};
use ccsim::scenario;
use ccsim::sim::replicate::run_replications;

fn reports(threads: usize) -> (String, String) {
    let mut s = scenario::quickstart().expect("bundled scenario is valid");
    s.replications = 4;
    let run = run_replications(&s, threads, &|| {}).unwrap();
    let summary = serde_json::to_string_pretty(&Summary::new(&s, &run)).unwrap();
    (summary, intervals::render(&s, &run))
}

#[test]
fn same_seed_same_bytes_with_one_or_two_threads() {
    let once = reports(1);
    assert_eq!(once, reports(1), "two runs with one thread differ");
    assert_eq!(once, reports(2), "one thread and two threads differ");
    assert_eq!(once, reports(4), "one thread and four threads differ");
}

fn run_binary(dir: &Path, threads: &str) -> (Vec<u8>, Vec<u8>) {
    let out = dir.join(format!("t{threads}"));
    let status = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "run",
            "--quiet",
            "--replications",
            "3",
            "--threads",
            threads,
            "--out",
        ])
        .arg(&out)
        .status()
        .expect("binary runs");
    assert!(status.success());
    (
        std::fs::read(out.join("summary.json")).unwrap(),
        [
            std::fs::read(out.join("intervals.csv")).unwrap(),
            std::fs::read(out.join("intervals_by_channel.csv")).unwrap(),
        ]
        .concat(),
    )
}

#[test]
fn the_binary_writes_identical_files_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let one = run_binary(dir.path(), "1");
    let two = run_binary(dir.path(), "2");
    assert!(!one.0.is_empty() && !one.1.is_empty());
    assert_eq!(one, two);
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let mut s = scenario::quickstart().unwrap();
    s.replications = 2;
    let a = Summary::new(&s, &run_replications(&s, 1, &|| {}).unwrap());
    s.seed += 1;
    let b = Summary::new(&s, &run_replications(&s, 1, &|| {}).unwrap());
    assert_ne!(a.overall.offered.mean, b.overall.offered.mean);
}

#[test]
fn the_invariant_checker_does_not_change_the_results() {
    let mut s = scenario::quickstart().unwrap();
    s.replications = 3;
    let plain = run_replications(&s, 2, &|| {}).unwrap();
    let checked = crate::common::run_checked(&s, 2);
    assert_eq!(
        serde_json::to_string(&Summary::new(&s, &plain)).unwrap(),
        serde_json::to_string(&Summary::new(&s, &checked)).unwrap()
    );
    assert_eq!(
        intervals::render(&s, &plain),
        intervals::render(&s, &checked)
    );
}

#[test]
fn with_the_bot_and_every_policy_on_the_bytes_stay_the_same_across_threads() {
    for file in [
        "scenarios/bot-containment.toml",
        "scenarios/whatsapp-support.toml",
        "scenarios/external-ccaas.toml",
    ] {
        let mut s = scenario::load(Path::new(file)).unwrap();
        s.replications = 4;
        let render = |threads: usize| {
            let run = run_replications(&s, threads, &|| {}).unwrap();
            (
                serde_json::to_string_pretty(&Summary::new(&s, &run)).unwrap(),
                intervals::render(&s, &run),
            )
        };
        let one = render(1);
        assert_eq!(one, render(1), "{file}: two runs differ");
        assert_eq!(one, render(3), "{file}: one and three threads differ");
    }
}
