//! `ccsim staff`: on single-queue, constant-rate, exponential cases the Erlang step gives
//! exactly the Erlang C / A agent counts (checked against a closed form written here), and the
//! simulation search, which staffs the centre with those counts and judges every interval,
//! lands on the same counts. The cases are chosen with Erlang's service level clearly either
//! side of the target at n − 1 and n agents: where it sits within a few points of the target,
//! 40 replications of an hour cannot tell, and the search may settle one agent either way.

use std::process::Command;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

/// Erlang C service level, written out independently of `model::erlang`.
fn erlang_c_service_level(servers: u32, load: f64, handle_s: f64, threshold_s: f64) -> f64 {
    let n = f64::from(servers);
    if load >= n {
        return 0.0;
    }
    let mut b = 1.0;
    for k in 1..=servers {
        b = load * b / (f64::from(k) + load * b);
    }
    let c = n * b / (n - load * (1.0 - b));
    1.0 - c * (-(n - load) * threshold_s / handle_s).exp()
}

struct Case {
    channel: &'static str,
    concurrency: u32,
    rate_per_h: f64,
    handle_s: f64,
    threshold_s: f64,
    target: f64,
    patience_s: Option<f64>,
}

impl Case {
    fn scenario(&self) -> String {
        let patience = self
            .patience_s
            .map(|p| format!("patience = {{ dist = \"exponential\", mean_s = {p} }}\n"))
            .unwrap_or_default();
        let capacity = match self.channel {
            "live_chat" => format!("[capacity]\nlive_chat = {}\n", self.concurrency),
            _ => String::new(),
        };
        format!(
            r#"name = "single"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 0.5
seed = 5
replications = 40
report_interval_min = 60
{capacity}
[[channels]]
name = "c"
kind = "{channel}"

[[queues]]
name = "q"
service_level_s = {threshold}
handle_time = {{ dist = "exponential", mean_s = {handle} }}

[[agents]]
group = "a"
count = 10
queues = ["q"]

[[arrivals]]
name = "customers"
channel = "c"
queue = "q"
rate_per_h = {rate}
{patience}"#,
            channel = self.channel,
            threshold = self.threshold_s,
            handle = self.handle_s,
            rate = self.rate_per_h,
        )
    }

    fn staff(&self) -> serde_json::Value {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("single.toml");
        std::fs::write(&file, self.scenario()).unwrap();
        let out = ccsim()
            .args(["staff", "-q", "--shrinkage", "0", "--threads", "2"])
            .args(["--service-level", &self.target.to_string()])
            .arg(&file)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(dir.path().join("out/staffing.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

fn check(case: &Case, want: u32) {
    let s = case.staff();
    assert_eq!(s["converged"], true, "the search settled");
    let cells = s["cells"][0].as_array().unwrap();
    assert_eq!(cells.len(), 12);
    for (i, c) in cells.iter().enumerate() {
        assert_eq!(c["offered_from"], "scenario");
        assert_eq!(
            c["erlang_agents"].as_u64(),
            Some(u64::from(want)),
            "interval {i}"
        );
        assert_eq!(c["met"], true, "interval {i}");
        assert_eq!(
            c["agents"].as_u64(),
            Some(u64::from(want)),
            "interval {i}: simulation {} against Erlang {want}: {c}",
            c["agents"]
        );
    }
}

#[test]
fn erlang_c_counts_exactly_on_a_voice_queue() {
    let case = Case {
        channel: "voice",
        concurrency: 1,
        rate_per_h: 300.0,
        handle_s: 60.0,
        threshold_s: 30.0,
        target: 0.75,
        patience_s: None,
    };
    // a = 5 erlangs: 7 agents answer 88 % within 30 s, 6 only 64 %.
    let load = case.rate_per_h * case.handle_s / 3600.0;
    assert!(erlang_c_service_level(6, load, case.handle_s, case.threshold_s) < 0.65);
    assert!(erlang_c_service_level(7, load, case.handle_s, case.threshold_s) > 0.88);
    check(&case, 7);
}

#[test]
fn erlang_c_counts_exactly_with_chat_concurrency() {
    // CAP-1: each agent holds 3 chats, so 7 agents are 21 servers for 15 erlangs: 96 % within
    // 30 s; 6 agents (18 servers) only 78 %.
    let case = Case {
        channel: "live_chat",
        concurrency: 3,
        rate_per_h: 300.0,
        handle_s: 180.0,
        threshold_s: 30.0,
        target: 0.85,
        patience_s: None,
    };
    let load = case.rate_per_h * case.handle_s / 3600.0;
    assert!(erlang_c_service_level(18, load, case.handle_s, case.threshold_s) < 0.79);
    assert!(erlang_c_service_level(21, load, case.handle_s, case.threshold_s) > 0.96);
    check(&case, 7);
}

#[test]
fn erlang_a_counts_exactly_with_patience() {
    let case = Case {
        channel: "voice",
        concurrency: 1,
        rate_per_h: 300.0,
        handle_s: 60.0,
        threshold_s: 30.0,
        target: 0.75,
        patience_s: Some(120.0),
    };
    let want = ccsim::model::erlang::agents_for(
        &ccsim::model::erlang::Traffic {
            arrival_rate_per_s: case.rate_per_h / 3600.0,
            service_rate_per_s: 1.0 / case.handle_s,
            patience_rate_per_s: 1.0 / 120.0,
            concurrency: 1.0,
        },
        &ccsim::model::erlang::Target {
            service_level: Some(ccsim::model::erlang::ServiceLevelTarget::single(
                case.target,
                case.threshold_s,
            )),
            ..Default::default()
        },
        100,
    )
    .unwrap();
    // Patience: abandoning customers shorten the queue, so Erlang A needs no more than C.
    let load = case.rate_per_h * case.handle_s / 3600.0;
    let c_count = (1..100)
        .find(|&n| erlang_c_service_level(n, load, case.handle_s, case.threshold_s) >= case.target)
        .unwrap();
    assert!(want <= c_count, "{want} {c_count}");
    let s = case.staff();
    assert_eq!(s["cells"][0][1]["patience_s"].as_f64(), Some(120.0));
    check(&case, want);
}

#[test]
fn staffing_inputs_are_checked() {
    let out = ccsim()
        .args(["staff", "--service-level", "80"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--service-level 80: expected a share"));
    for (flag, value, says) in [
        ("--asa", "0", "--asa 0: expected seconds > 0"),
        (
            "--max-occupancy",
            "1.5",
            "--max-occupancy 1.5: expected a share",
        ),
        (
            "--fte-hours",
            "0",
            "--fte-hours 0: expected paid hours per week",
        ),
    ] {
        let out = ccsim().args(["staff", flag, value]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{flag}"
        );
    }
}
