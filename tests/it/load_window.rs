//! Issue 16, finding 8: a load test aims at the busy hours (`--start`), ramps as k6's stages
//! do, and its report has charts.

use std::process::Command;

use ccsim::live::load::Stage;
use ccsim::live::load::window::windowed;
use ccsim::scenario;

const H: u64 = 3_600_000;

#[test]
fn f8_a_window_from_monday_nine_carries_the_scenarios_own_arrivals_of_those_hours() {
    let s = scenario::quickstart().unwrap();
    let c = &s.centre;
    // 60 s of wall clock at 60×: Monday 09:00–10:00 (the quickstart starts Monday 00:00).
    let w = windowed(c, 9 * H, 60_000, 60.0, &[]);
    for (orig, seg) in c.segments.iter().zip(&w.segments) {
        let want = orig.rate.expected_arrivals(&c.calendar, 9 * H, 10 * H);
        let got = seg.rate.expected_arrivals(&c.calendar, 9 * H, 10 * H);
        assert!(
            (got - want).abs() < 1e-6 * want.max(1.0),
            "{got} against {want}"
        );
        // Nothing before or after the window.
        assert_eq!(seg.rate.expected_arrivals(&c.calendar, 0, 9 * H), 0.0);
        assert_eq!(
            seg.rate
                .expected_arrivals(&c.calendar, 10 * H, c.horizon_ms),
            0.0
        );
    }
    // The night the old default started at has (almost) nobody: what the finding hit.
    let night: f64 = c
        .segments
        .iter()
        .map(|seg| seg.rate.expected_arrivals(&c.calendar, 0, H))
        .sum();
    let nine: f64 = c
        .segments
        .iter()
        .map(|seg| seg.rate.expected_arrivals(&c.calendar, 9 * H, 10 * H))
        .sum();
    assert!(nine > 5.0 * night, "{nine} against {night}");
}

#[test]
fn f8_stages_ramp_the_rate_as_k6_does() {
    let s = crate::common::parse_toml(&crate::common::one_queue_scenario(
        "{ dist = \"exponential\", mean_s = 300 }",
        5,
        "rate_per_h = 100",
    ));
    let c = &s.centre;
    let web = 0;
    let stages = [Stage::parse("30:2").unwrap(), Stage::parse("30:2").unwrap()];
    // 60 s at 60×: the first simulated half hour ramps 0 → 2 (mean 1), the second holds 2.
    let w = windowed(c, 9 * H, 60_000, 60.0, &stages);
    let base = c.segments[web]
        .rate
        .expected_arrivals(&c.calendar, 9 * H, 9 * H + H / 2);
    let rate = &w.segments[web].rate;
    let first = rate.expected_arrivals(&c.calendar, 9 * H, 9 * H + H / 2);
    let second = rate.expected_arrivals(&c.calendar, 9 * H + H / 2, 10 * H);
    assert!((first - base).abs() < 0.01 * base, "{first} against {base}");
    assert!(
        (second - 2.0 * base).abs() < 0.01 * base,
        "{second} against {}",
        2.0 * base
    );
}

fn free_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

#[test]
fn f8_ccsim_load_starts_where_asked_ramps_and_draws_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let (mock, bot) = (free_port(), free_port());
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .current_dir(dir.path())
        .args(["demo", "--listen", &mock, "--bot-listen", &bot, "-q"])
        .args([
            "--start",
            "2026-03-02T11:00",
            "--stage",
            "1:1",
            "--stage",
            "2:3",
        ])
        .args(["--grace-s", "3", "--interval-s", "1"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = dir.path().join("reports/live-demo-load");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["start"], "2026-03-02T11:00+01:00");
    assert_eq!(summary["duration_s"], 3.0, "the stages' sum");
    assert_eq!(summary["stages"][1]["target"], 3.0);
    assert!(summary["load"]["inbound"].as_u64().unwrap() > 0);
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(
        html.contains("<svg") && html.contains("data-series=\"replies\""),
        "charts"
    );
    assert!(html.contains("from 2026-03-02T11:00+01:00"));
    // Bad input: a start outside the run, a stage that is not SECONDS:FACTOR, both lengths.
    for (args, says) in [
        (
            vec!["--start", "2027-01-01T00:00"],
            "outside the scenario's run",
        ),
        (vec!["--stage", "ten:1"], "is not a number of seconds"),
        (
            vec!["--stage", "5:1", "--duration-s", "5"],
            "give one or the other",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .current_dir(dir.path())
            .args(["demo", "--listen", &mock, "--bot-listen", &bot, "-q"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{args:?}"
        );
    }
}
