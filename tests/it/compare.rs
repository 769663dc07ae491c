//! `ccsim compare` with a gate: a routing change known to help passes, one known to hurt fails
//! with exit 3 naming the metric, queue and interval, and a no-op change passes with every
//! difference exactly zero (common random numbers).

use std::path::Path;
use std::process::{Command, Output};

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

/// Two queues: "big" with 8 agents, "small" with 3. Customers ask about topic a or b (half
/// each, 2.5 erlangs each); route `to-a` sends topic a to `a_queue`, route `to-b` topic b to
/// `b_queue`. Split (a → big, b → small), small answers about half within a minute (Erlang C);
/// all on big, big carries 5 erlangs on 8 agents and answers about 96 %; all on small, 5
/// erlangs on 3 agents overload it.
fn scenario(a_queue: &str, b_queue: &str) -> String {
    format!(
        r#"name = "two-queues"
start = "2026-01-05T00:00"
time_zone = "UTC"
duration_days = 1
seed = 7
replications = 8
report_interval_min = 60

[[channels]]
name = "chat"
kind = "live_chat"

[capacity]
live_chat = 1

[[queues]]
name = "big"
service_level_s = 60
handle_time = {{ dist = "exponential", mean_s = 300 }}

[[queues]]
name = "small"
service_level_s = 60
handle_time = {{ dist = "exponential", mean_s = 300 }}

[[queues]]
name = "Default"
service_level_s = 60
handle_time = {{ dist = "exponential", mean_s = 300 }}

[[agents]]
group = "big-team"
count = 8
queues = ["big", "Default"]

[[agents]]
group = "small-team"
count = 3
queues = ["small", "Default"]

[[routes]]
name = "to-a"
queue = "{a_queue}"
conditions = [{{ attribute = "person.custom.topic", operator = "is", value = "a" }}]

[[routes]]
name = "to-b"
queue = "{b_queue}"
conditions = [{{ attribute = "person.custom.topic", operator = "is", value = "b" }}]

[[arrivals]]
name = "customers"
channel = "chat"
rate_per_h = 60
patience = {{ dist = "exponential", mean_s = 600 }}
attributes = [{{ attribute = "person.custom.topic", values = [{{ value = "a", share = 0.5 }}, {{ value = "b", share = 0.5 }}] }}]
"#
    )
}

// A routing change moves load between queues by design: each queue may lose up to 10 points
// of service level, the whole centre 2 (and 5 in any hour).
const GATE: &str = r#"
[[rule]]
metric = "service_level"
scope = "*"
max_worsening = { abs = 0.10 }

[[rule]]
metric = "service_level"
scope = "all"
max_worsening = { abs = 0.02 }

[[rule]]
metric = "service_level"
scope = "all"
per_interval = true
max_worsening = { abs = 0.05 }

[[rule]]
metric = "abandon_rate"
scope = "all"
max_worsening = { abs = 0.01 }

[[rule]]
metric = "asa_s"
scope = "all"
max_worsening = { rel = 0.10 }
"#;

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.toml"), scenario("big", "big")).unwrap();
        std::fs::write(dir.path().join("split.toml"), scenario("big", "small")).unwrap();
        std::fs::write(dir.path().join("small.toml"), scenario("small", "small")).unwrap();
        std::fs::write(dir.path().join("gate.toml"), GATE).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn compare(&self, base: &str, candidate: &Path, out: &str) -> Output {
        ccsim()
            .args(["compare", "-q", "--threads", "2"])
            .arg(self.path(base))
            .arg(candidate)
            .arg("--gate")
            .arg(self.path("gate.toml"))
            .arg("--out")
            .arg(self.path(out))
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap()
    }

    fn json(&self, out: &str) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.path(out).join("compare.json")).unwrap())
            .unwrap()
    }
}

// RT-1: where a route sends its conversations is the routing; moving topic b off the small
// team onto the big one is known to help the centre (pooling).
#[test]
fn rt_1_a_routing_change_that_helps_passes_the_gate() {
    let s = Setup::new();
    let out = s.compare("split.toml", &s.path("big.toml"), "helps");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = s.json("helps");
    assert_eq!(json["passed"], true);
    let all = json["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scope"] == "all")
        .unwrap();
    let sl = &all["totals"]["service_level"];
    assert!(sl["diff"]["ci_low"].as_f64().unwrap() > 0.0, "{sl}");
    let md = std::fs::read_to_string(s.path("helps").join("compare.md")).unwrap();
    assert!(md.contains("✅ passed the gate"), "{md}");
    let junit = std::fs::read_to_string(s.path("helps").join("junit.xml")).unwrap();
    assert!(junit.contains("failures=\"0\""), "{junit}");
}

// RT-1: sending topic a to the small team too is known to hurt: exit 3, and the metric,
// queue and interval that broke are named on stderr, in the Markdown, the JUnit and the JSON.
#[test]
fn rt_1_a_routing_change_that_hurts_fails_with_exit_3_naming_metric_queue_interval() {
    let s = Setup::new();
    let out = s.compare("split.toml", &s.path("small.toml"), "hurts");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("regression:"), "{err}");
    assert!(
        err.contains("service_level of small · whole run worsened"),
        "{err}"
    );
    let json = s.json("hurts");
    assert_eq!(json["passed"], false);
    let failures = json["failures"].as_array().unwrap();
    assert!(failures.iter().any(|f| f["metric"] == "service_level"
        && f["scope"] == "small"
        && f["interval"].is_null()));
    assert!(
        failures
            .iter()
            .any(|f| f["metric"] == "service_level" && f["interval"].is_string()),
        "some interval is named"
    );
    let interval_failure = failures.iter().find(|f| f["interval"].is_string()).unwrap();
    let md = std::fs::read_to_string(s.path("hurts").join("compare.md")).unwrap();
    assert!(md.contains("❌ regression"), "{md}");
    assert!(
        md.contains(&format!(
            "| service_level | {} | {} |",
            interval_failure["scope"].as_str().unwrap(),
            interval_failure["interval"].as_str().unwrap()
        )),
        "{md}"
    );
    let junit = std::fs::read_to_string(s.path("hurts").join("junit.xml")).unwrap();
    assert!(
        junit.contains("<failure message=\"service_level of"),
        "{junit}"
    );
    let html = std::fs::read_to_string(s.path("hurts").join("report.html")).unwrap();
    assert!(html.contains("Regression:") && html.contains("<svg"));
}

#[test]
fn a_no_op_change_passes_with_every_difference_exactly_zero() {
    let s = Setup::new();
    // The same scenario, and a variation that sets a field to the value it has.
    let noop = s.path("noop.toml");
    std::fs::write(
        &noop,
        "name = \"noop\"\n[set]\n\"agents.big-team.count\" = 8\n",
    )
    .unwrap();
    for (candidate, out_dir) in [(s.path("big.toml"), "same"), (noop, "noop")] {
        let out = s.compare("big.toml", &candidate, out_dir);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json = s.json(out_dir);
        assert_eq!(json["passed"], true);
        let mut compared = 0;
        for scope in json["scopes"].as_array().unwrap() {
            for (metric, d) in scope["totals"].as_object().unwrap() {
                for k in ["mean", "ci_low", "ci_high", "half_width"] {
                    assert_eq!(d["diff"][k].as_f64(), Some(0.0), "{metric} {k}: {d}");
                }
                compared += 1;
            }
        }
        assert!(compared >= 16, "{compared}");
        let csv = std::fs::read_to_string(s.path(out_dir).join("compare_intervals.csv")).unwrap();
        let mut rows = 0;
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(&f[7..10], ["0", "0", "0"], "{line}");
            rows += 1;
        }
        assert!(rows > 24, "{rows}");
    }
}

#[test]
fn gate_mistakes_are_located() {
    let s = Setup::new();
    std::fs::write(
        s.path("bad-gate.toml"),
        "[[rule]]\nmetric = \"service_levle\"\nmax_worsening = { abs = 0.1, rel = -0.1 }\n",
    )
    .unwrap();
    let out = ccsim()
        .arg("compare")
        .arg(s.path("big.toml"))
        .arg(s.path("big.toml"))
        .arg("--gate")
        .arg(s.path("bad-gate.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad-gate.toml:2:") && err.contains("unknown metric 'service_levle'"),
        "{err}"
    );
    assert!(
        err.contains("bad-gate.toml:3:") && err.contains("rel is -0.1: expected a number ≥ 0"),
        "{err}"
    );
}

/// docs/ci.md shows the example workflows verbatim, and they call ccsim with files that exist.
#[test]
fn ci_docs_show_the_example_files_and_their_files_exist() {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    for f in [
        "docs/examples/github-actions-routing-gate.yml",
        "docs/examples/gitlab-routing-gate.yml",
    ] {
        let example = std::fs::read_to_string(f).unwrap();
        assert!(
            doc.contains(&example),
            "docs/ci.md does not show {f} as it is"
        );
        assert!(example.contains("--gate scenarios/plans/gate.toml"));
    }
    assert!(Path::new("scenarios/plans/gate.toml").is_file());
    // The documented quickstart example is a regression (exit 3).
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args([
            "compare",
            "-q",
            "--replications",
            "3",
            "scenarios/quickstart.toml",
            "scenarios/plans/sales-to-support.toml",
            "--gate",
            "scenarios/plans/gate.toml",
            "--out",
        ])
        .arg(dir.path())
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("of support · whole run worsened"));
}

#[test]
fn a_gate_that_cannot_judge_is_refused_before_the_run() {
    // A misspelt scope judged nothing and passed with "0 checks" (exit 0); with 1 replication
    // every difference read as a regression. Both are the gate's mistakes: exit 2, located.
    let s = Setup::new();
    std::fs::write(
        s.path("typo-gate.toml"),
        "[[rule]]\nmetric = \"service_level\"\nscope = \"bgi\"\nmax_worsening = { abs = 0.02 }\n",
    )
    .unwrap();
    let compare = |extra: &[&str]| {
        ccsim()
            .arg("compare")
            .arg(s.path("big.toml"))
            .arg(s.path("big.toml"))
            .arg("--gate")
            .arg(s.path("typo-gate.toml"))
            .args(extra)
            .output()
            .unwrap()
    };
    let out = compare(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("typo-gate.toml:3:")
            && err.contains("unknown scope 'bgi': expected all, * or a queue of the comparison (big, small, Default)"),
        "{err}"
    );
    let out = compare(&["--replications", "1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("at least 2 paired replications; this comparison has 1"),
        "{err}"
    );
    // The library's message serves the command line and the Python package alike.
    assert!(
        err.contains("--replications on the command line, replications= in Python"),
        "{err}"
    );
}

#[test]
fn a_bare_number_as_a_limit_is_refused_with_the_forms_it_could_mean() {
    // It said `expected struct LimitFile`.
    let s = Setup::new();
    std::fs::write(
        s.path("bare-gate.toml"),
        "[[rule]]\nmetric = \"service_level\"\nscope = \"all\"\nmax_worsening = 0.02\n\n[[rule]]\nmetric = \"asa_s\"\nmax_worsening = { abs = 5, rell = 0.1 }\n",
    )
    .unwrap();
    let out = ccsim()
        .arg("compare")
        .arg(s.path("big.toml"))
        .arg(s.path("big.toml"))
        .arg("--gate")
        .arg(s.path("bare-gate.toml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bare-gate.toml:4:")
            && err.contains(
                "a bare number (0.02) does not say how it counts: expected { abs = 0.02 }"
            ),
        "{err}"
    );
    assert!(
        err.contains("bare-gate.toml:8:")
            && err.contains("unknown key 'rell': expected abs, rel or both"),
        "both problems at once: {err}"
    );
    assert!(
        !err.contains("LimitFile") && !err.contains("struct"),
        "{err}"
    );
}
