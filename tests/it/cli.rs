//! The command line: the documented commands and exit codes.

use std::process::Command;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

#[test]
fn run_without_a_file_runs_the_bundled_quickstart_into_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .current_dir(dir.path())
        .args(["run", "--replications", "2"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The seed and derived parameters come first, the table last.
    assert!(stdout.starts_with("ccsim "), "{stdout}");
    assert!(stdout.contains("seed 20260105"));
    assert!(stdout.contains("(all)"));
    let report = dir.path().join("reports/quickstart");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "quickstart");
    assert_eq!(summary["queues"].as_array().unwrap().len(), 3);
    let csv = std::fs::read_to_string(report.join("intervals.csv")).unwrap();
    // 7 days × 48 half-hours × (3 queues + all) + header.
    assert_eq!(csv.lines().count(), 7 * 48 * 4 + 1);
}

#[test]
fn validate_accepts_the_bundled_scenario() {
    let out = ccsim()
        .args(["validate", "scenarios/quickstart.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("22 agents"));
}

#[test]
fn schema_prints_a_json_schema_of_the_format() {
    let out = ccsim().arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for field in [
        "start",
        "time_zone",
        "duration_days",
        "queues",
        "agents",
        "arrivals",
    ] {
        assert!(props.contains_key(field), "schema lacks {field}");
    }
}

#[test]
fn unknown_flags_are_bad_input() {
    let out = ccsim().args(["run", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn free_port() -> String {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string()
}

/// `ccsim demo` through the binary: the whole loop runs, writes its four reports, and a broken
/// threshold is exit code 3 (a bad one is 2, before anything runs).
#[test]
fn demo_runs_the_loop_writes_reports_and_a_broken_threshold_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let (mock, bot) = (free_port(), free_port());
    let out = ccsim()
        .current_dir(dir.path())
        .args(["demo", "--listen", &mock, "--bot-listen", &bot, "-q"])
        .args(["--duration-s", "2", "--grace-s", "3"])
        .args(["--threshold", "reply_p99_ms < 1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("FAIL reply_p99_ms < 1"), "{stdout}");
    let report = dir.path().join("reports/live-demo-load");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["passed"], false);
    assert!(summary["load"]["inbound"].as_u64().unwrap() > 0);
    // The scenario's three thresholds and the flag's.
    assert_eq!(summary["thresholds"].as_array().unwrap().len(), 4);
    // The generator's lag is the harness's health, beside the verdicts, never one of them.
    assert!(summary["harness"]["lag_p99_ms"].is_number(), "{summary}");
    assert!(stdout.contains("harness "), "{stdout}");
    let junit = std::fs::read_to_string(report.join("junit.xml")).unwrap();
    assert!(junit.contains("<failure"), "{junit}");
    assert!(report.join("report.html").exists() && report.join("intervals.csv").exists());

    let bad = ccsim()
        .current_dir(dir.path())
        .args(["demo", "--listen", &mock, "--bot-listen", &bot, "-q"])
        .args(["--threshold", "latency < 5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown figure 'latency'"));
}

/// Long runs draw an indicatif bar with an ETA on a terminal; piped (CI logs) or with --quiet
/// nothing but the report is printed.
#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_ccsim");
    let out_dir = dir.path().join("r");
    // Not a terminal: stderr stays empty.
    let out = ccsim()
        .args(["run", "--replications", "3", "--threads", "1", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ETA"));
    // --quiet: nothing at all.
    let out = ccsim()
        .args(["run", "-q", "--replications", "3", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
    // On a terminal (script(1) gives the command a pseudo-terminal): the bar and its ETA.
    if std::path::Path::new("/usr/bin/script").is_file() {
        let cmd = format!(
            "{bin} run --replications 3 --threads 1 --out {}",
            out_dir.display()
        );
        let out = Command::new("/usr/bin/script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("replications, ETA"), "{shown}");
        let cmd = format!("{cmd} --quiet");
        let out = Command::new("/usr/bin/script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .unwrap();
        assert!(!String::from_utf8_lossy(&out.stdout).contains("ETA"));
    }
}

/// Runs `args` with standard output a pipe whose reader is already gone: (exit code, stderr).
fn with_stdout_closed(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = ccsim()
        .current_dir(dir)
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_closed_stdout_ends_a_command_quietly_with_exit_141() {
    // `ccsim schema | head -2`, `ccsim run | head -3`: the reader goes away; the command ends
    // as a Unix tool ended by SIGPIPE would, never with a panic.
    let dir = tempfile::tempdir().unwrap();
    let quickstart = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/quickstart.toml");
    for args in [
        &["schema"][..],
        &["validate", quickstart],
        &["run", "--replications", "1", "--out", "out"],
    ] {
        let (code, stderr) = with_stdout_closed(args, dir.path());
        assert_eq!(code, Some(141), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} said: {stderr}");
    }
    // `run` prints its parameters before it runs: nothing was run, so nothing was written.
    assert!(!dir.path().join("out").exists());
}

#[test]
fn servers_refuse_a_non_loopback_address_without_allow_remote() {
    // The reference bot's webhook and the mock take unauthenticated requests: listening beyond
    // this machine needs --allow-remote, a flag each of these commands has.
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/live-demo.toml");
    for args in [
        &["bot", demo, "--listen", "0.0.0.0:0"][..],
        &["load", demo, "--listen", "0.0.0.0:0"],
        &["demo", "--bot-listen", "0.0.0.0:0"],
    ] {
        let out = ccsim().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("0.0.0.0:0 is not a loopback address: pass --allow-remote"),
            "{args:?}: {stderr}"
        );
        let help = ccsim().args([args[0], "--help"]).output().unwrap();
        assert!(String::from_utf8_lossy(&help.stdout).contains("--allow-remote"));
    }
}

#[test]
fn run_set_changes_a_field_before_the_run_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--set",
            "duration_days=1",
            "--set",
            "agents.sales-early.count=6",
            "--replications",
            "1",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let header = String::from_utf8_lossy(&out.stdout);
    assert!(header.contains("24 agents"), "{header}");
    assert!(header.contains("1.0 days"), "{header}");
    assert!(
        header.contains("--set duration_days=1 --set agents.sales-early.count=6"),
        "{header}"
    );
    // `ccsim staff` takes them too, and says so.
    let staff = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args([
            "staff",
            "scenarios/quickstart.toml",
            "--set",
            "duration_days=1",
            "--replications",
            "2",
            "--max-rounds",
            "1",
            "--out",
        ])
        .arg(dir.path().join("staff"))
        .output()
        .unwrap();
    assert!(staff.status.success(), "{staff:?}");
    let header = String::from_utf8_lossy(&staff.stdout);
    assert!(
        header.contains("'quickstart' --set duration_days=1"),
        "{header}"
    );
    assert!(header.contains("rounds of 2 replications"), "{header}");
    // A path that is not there, and a value the scenario refuses: located, exit 2.
    for (set, says) in [
        (
            "agents.nope.count=6",
            "'agents' has no element named 'nope'",
        ),
        (
            "duration_days=-3",
            "duration_days is -3: expected a number > 0",
        ),
        ("duration_days", "expected PATH=VALUE"),
    ] {
        let bad = std::process::Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .args(["run", "scenarios/quickstart.toml", "-q", "--set", set])
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{set}: {bad:?}");
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains(says), "{set}: {err}");
    }
}
