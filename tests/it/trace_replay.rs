//! Trace replay: the bundled synthetic week replays through the quickstart centre, every row
//! one arrival in its own interval; bad traces are refused with their lines.

use std::process::Command;

fn ccsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ccsim"))
}

const TRACE: &str = "scenarios/data/trace-week.csv";

#[test]
fn the_bundled_week_replays_one_arrival_per_row_in_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccsim()
        .args([
            "run",
            "-q",
            "scenarios/trace-replay.toml",
            "--replications",
            "3",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The trace's rows, binned into the report's 30-minute local intervals (January: no DST).
    let text = std::fs::read_to_string(TRACE).unwrap();
    let mut per_interval = vec![0u64; 336];
    let mut rows = 0u64;
    for line in text.lines().skip(1) {
        let at = line.split(',').next().unwrap();
        let day: u64 = at[8..10].parse::<u64>().unwrap() - 5;
        let minute = day * 1440
            + at[11..13].parse::<u64>().unwrap() * 60
            + at[14..16].parse::<u64>().unwrap();
        per_interval[(minute / 30) as usize] += 1;
        rows += 1;
    }
    assert_eq!(rows, 6968);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let offered = &summary["overall"]["offered"];
    assert_eq!(offered["mean"].as_f64(), Some(rows as f64), "{offered}");
    assert_eq!(
        offered["half_width"].as_f64(),
        Some(0.0),
        "the same arrivals in every replication"
    );
    let csv = std::fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
    let mut seen = 0;
    for line in csv.lines().skip(1).filter(|l| l.contains(",(all),")) {
        let f: Vec<&str> = line.split(',').collect();
        let interval = f[crate::common::interval_column("start_ms")]
            .parse::<u64>()
            .unwrap()
            / 1_800_000;
        let arrivals: f64 = f[crate::common::interval_column("offered_per_rep")]
            .parse()
            .unwrap();
        assert_eq!(arrivals, per_interval[interval as usize] as f64, "{line}");
        seen += 1;
    }
    assert_eq!(seen, 336);
}

fn validate(dir: &std::path::Path, trace: &str) -> (Option<i32>, String) {
    let scenario = std::fs::read_to_string("scenarios/trace-replay.toml")
        .unwrap()
        .replace("csv = \"data/trace-week.csv\"", "csv = \"bad.csv\"");
    std::fs::write(dir.join("s.toml"), scenario).unwrap();
    std::fs::write(dir.join("bad.csv"), trace).unwrap();
    let out = ccsim()
        .arg("validate")
        .arg(dir.join("s.toml"))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn unknown_columns_and_bad_rows_are_reported_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = validate(
        dir.path(),
        "arrival,channel,colour\n2026-01-05T08:00,whatsapp,red\n",
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("bad.csv:1:") && err.contains("unknown column 'colour'"),
        "{err}"
    );
    assert!(
        err.contains("person.custom.topic"),
        "lists the attributes it knows: {err}"
    );

    let (code, err) = validate(
        dir.path(),
        "arrival,channel,messages,outcome,wait_s\n\
         2026-01-05T08:00,whatsapp,3,answered,10\n\
         05.01.2026 08:00,whatsapp,3,,\n\
         2026-01-05T09:00,fax,,,\n\
         2026-01-05T09:00,whatsapp,two,,\n\
         2026-01-05T09:00,web-chat,4,,\n\
         2026-01-05T09:00,whatsapp,,maybe,\n\
         2026-02-05T09:00,whatsapp,,,\n",
    );
    assert_eq!(code, Some(2));
    for (line, what) in [
        (3, "expected a local date-time"),
        (4, "channel 'fax'"),
        (5, "messages 'two'"),
        (6, "has no conversation model"),
        (7, "outcome 'maybe'"),
        (8, "outside the scenario's run"),
    ] {
        assert!(
            err.contains(&format!("bad.csv:{line}:")) && err.contains(what),
            "line {line}, {what}: {err}"
        );
    }
    assert!(!err.contains("bad.csv:2:"), "line 2 is good: {err}");
}

/// What the trace says of a customer wins: an abandoned row's wait is its patience.
#[test]
fn an_abandoned_rows_wait_is_its_patience() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 00:00–08:00 the queues are closed: whoever comes waits, and leaves after the
    // patience the trace gives (120 s) long before the 08:00 opening.
    let (code, err) = validate(
        dir.path(),
        "arrival,channel,outcome,wait_s\n2026-01-05T01:00,web-chat,abandoned,120\n2026-01-05T01:10,web-chat,answered,30000\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let out = ccsim()
        .args(["run", "-q", "--replications", "2", "--out"])
        .arg(dir.path().join("r"))
        .arg(dir.path().join("s.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r/summary.json")).unwrap())
            .unwrap();
    let all = &summary["overall"];
    assert_eq!(all["offered"]["mean"].as_f64(), Some(2.0));
    // The first leaves after 120 s; the second would wait 30,000 s (past 08:00) and is answered.
    assert_eq!(all["abandoned"]["mean"].as_f64(), Some(1.0), "{all}");
    assert_eq!(all["answered"]["mean"].as_f64(), Some(1.0), "{all}");
}
