//! A load run under signals and hung targets (issue 14, points 3, 4 and 11): a SIGTERM ends
//! it with exit 130 and reports marked interrupted that judge nothing; every webhook delivery
//! has exactly one fate, "in flight at the end" included; the generator's lag is the harness's
//! health, never a threshold on the system under test.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> String {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string()
}

fn summary(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn sigterm_mid_load_exits_130_with_an_interrupted_report_and_no_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let (mock, bot) = (free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["demo", "--listen", &mock, "--bot-listen", &bot, "-q"])
        .args(["--duration-s", "60", "--grace-s", "30", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if sent.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("ccsim demo did not stop within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stdout}{stderr}");
    // Within the short grace, not the run's 60 + 30 s.
    assert!(
        sent.elapsed() < Duration::from_secs(15),
        "{:?}",
        sent.elapsed()
    );
    assert!(
        !stdout.contains("FAIL"),
        "no verdict on the system under test: {stdout}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    let s = summary(&out);
    assert_eq!(s["interrupted"], true, "{s}");
    assert_eq!(s["passed"], false, "{s}");
    assert_eq!(s["thresholds"].as_array().unwrap().len(), 0, "{s}");
    // The mock kept serving until the run ended: the bot's calls were answered, and what the
    // customers sent in the four seconds was answered too.
    assert!(s["load"]["inbound"].as_u64().unwrap() > 0, "{s}");
    assert!(s["load"]["unanswered_rate"].as_f64().unwrap() < 0.05, "{s}");
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<skipped") && !junit.contains("<failure"),
        "{junit}"
    );
}

#[test]
fn deliveries_to_a_hung_target_end_in_flight_and_are_counted() {
    // A target that accepts connections and never answers: with a 60 s delivery timeout and a
    // 1 s grace, every delivery is still under way when the run ends.
    let hung = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = format!("http://{}/webhook", hung.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut conns = Vec::new();
        for c in hung.incoming().take(10_000) {
            match c {
                Ok(c) => conns.push(c),
                Err(_) => break,
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    // The mock's port is picked free and then bound by the child: another test may take it in
    // between. That is the one failure retried; any other shows the child's stderr.
    let run = (0..3)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_ccsim"))
                .args([
                    "load",
                    "scenarios/live-demo.toml",
                    "-q",
                    "--target",
                    &target,
                ])
                .args([
                    "--listen",
                    &free_port(),
                    "--duration-s",
                    "3",
                    "--grace-s",
                    "1",
                ])
                .args([
                    "--webhook-timeout-ms",
                    "60000",
                    "--wait-for-target-s",
                    "0",
                    "--out",
                ])
                .arg(&out)
                .output()
                .unwrap()
        })
        .find(|run| !String::from_utf8_lossy(&run.stderr).contains("already in use"))
        .expect("a free port within three tries");
    assert!(
        out.join("summary.json").exists(),
        "no summary.json; exit {:?}: {}",
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
    drop(held);
    let s = summary(&out);
    let outcomes = s["deliveries"]["by_outcome"].as_object().unwrap();
    let fates: u64 = outcomes.values().map(|v| v.as_u64().unwrap()).sum();
    let inbound = s["load"]["inbound"].as_u64().unwrap();
    assert!(inbound > 0, "{s}");
    assert_eq!(fates, inbound, "every delivery has one fate: {s}");
    assert!(outcomes["in_flight_at_end"].as_u64().unwrap() > 0, "{s}");
    assert!(s["webhook_error_rate"].as_f64().unwrap() > 0.99, "{s}");
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_generators_lag_is_not_a_threshold_on_the_system_under_test() {
    let out = Command::new(env!("CARGO_BIN_EXE_ccsim"))
        .args(["demo", "-q", "--threshold", "lag_p99_ms < 5"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("measures ccsim's own load generator, not the system under test"),
        "{stderr}"
    );
}

/// An address another program listens on is the user's to change: `ccsim load` and `mock`
/// say so once, in plain words, with exit code 2 (not an internal error).
#[test]
fn a_listen_address_in_use_is_bad_input_said_once() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let load = [
        "load",
        "scenarios/live-demo.toml",
        "-q",
        "--target",
        "http://127.0.0.1:9/webhook",
        "--duration-s",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--listen",
        &addr,
    ];
    let mock = ["mock", "--listen", &addr];
    for args in [&load[..], &mock[..]] {
        let run = Command::new(env!("CARGO_BIN_EXE_ccsim"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "cannot listen on {addr}: the address is already in use"
            )),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.matches("in use").count(), 1, "said once: {stderr}");
        assert!(!stderr.contains("internal error"), "{stderr}");
        assert!(!stderr.contains("os error"), "{stderr}");
    }
    assert!(!out.exists(), "nothing written");
}
